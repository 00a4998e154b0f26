import SWRSession

/// swr-top's exit codes (the contract lives in `SWRSession.ExitStatus`).
typealias Exit = ExitStatus

/// Prints `swr-top: message` on stderr as one line (sanitised).
func complain(_ message: String) {
    ScriptOutput.standard.complain(message)
}
