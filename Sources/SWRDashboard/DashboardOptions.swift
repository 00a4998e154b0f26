import SWRAPI

/// How the dashboard was asked to behave.
public struct DashboardOptions: Sendable {
    public var noColor: Bool
    /// Ring the bell when the focused pipeline's run ends.
    public var bell: Bool
    /// Send a desktop notification when the focused pipeline's run ends.
    public var notify: Bool
    /// The `--log` file, whose one failure notice is shown in the status line.
    public var logFile: LogFile?
    /// Take the mouse (clicks and the wheel) unless `--no-mouse` or config `"mouse": false`.
    public var mouse: Bool

    public init(noColor: Bool = false, bell: Bool = false, notify: Bool = false, logFile: LogFile? = nil, mouse: Bool = true) {
        self.mouse = mouse
        self.noColor = noColor
        self.bell = bell
        self.notify = notify
        self.logFile = logFile
    }
}
