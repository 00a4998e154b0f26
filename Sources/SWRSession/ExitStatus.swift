/// swr-top's exit codes, in one place: the contract scripts rely on (README "Exit codes").
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let runFailed: Int32 = 1
    public static let usage: Int32 = 2
    public static let serviceUnreadable: Int32 = 3
    public static let runTimedOut: Int32 = 4
    public static let runCancelled: Int32 = 5
    public static let totalTimeout: Int32 = 124
}
