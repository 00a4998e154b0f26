import Logging
import SWRAPI
import SWRSession

/// `swr-top [dashboard]` once its flags are parsed and checked: what only a run can check (that
/// stdout is a terminal, the log file), the session, then one of the three modes.
public enum DashboardCommand {
    /// What the command was asked to do.
    public struct Request: Sendable {
        /// The three ways to watch.
        public enum Mode: Sendable {
            /// `--once`: one snapshot (`--json`, `--stage`).
            case once(json: Bool, stage: Int?)
            /// `--watch`: a line (or a JSON line) per change.
            case watch(WatchOptions)
            /// The live screen (its log file is filled in here).
            case screen(DashboardOptions)
        }

        public var mode: Mode
        /// The session to build (its logger is set here, from `logPath`).
        public var session: SessionRequest
        /// `--log PATH`.
        public var logPath: String?
        /// `--verbose`: debug lines in the log.
        public var verbose: Bool

        public init(mode: Mode, session: SessionRequest, logPath: String? = nil, verbose: Bool = false) {
            self.mode = mode
            self.session = session
            self.logPath = logPath
            self.verbose = verbose
        }

        var isOnce: Bool {
            if case .once = mode { return true }
            return false
        }

        var isWatch: Bool {
            if case .watch = mode { return true }
            return false
        }

        var isScript: Bool { isOnce || isWatch }
    }

    /// Runs the command to its end; the exit code (README "Exit codes"). Every failure before
    /// the mode starts is one line on `output`'s stderr. It blocks the calling thread (the main
    /// thread, which the screen needs) and must not be called from the cooperative pool.
    public static func run(_ request: Request, environment: [String: String], stdoutIsTerminal: Bool,
                           output: ScriptOutput = .standard) -> Int32 {
        if let problem = UsageRules.terminal(once: request.isOnce, watch: request.isWatch, stdoutIsTerminal: stdoutIsTerminal) {
            output.complain(problem)
            return ExitStatus.usage
        }
        let logger: Logger
        let logFile: LogFile?
        do {
            (logger, logFile) = try makeLogger(path: request.logPath, verbose: request.verbose, onScreen: !request.isScript, output: output)
        } catch {
            output.complain(error.description)
            return ExitStatus.usage
        }
        var sessionRequest = request.session
        sessionRequest.logger = logger
        let settings = sessionRequest
        let session: Session
        do {
            session = try Blocking.run { () async throws(SetupError) -> Session in
                try await SessionBuilder.make(settings, environment: environment, output: output)
            }
        } catch {
            output.complain(error.message)
            return error.exitCode
        }
        switch request.mode {
        case .once(let json, let stage):
            return Blocking.run { await OnceMode.run(session: session, json: json, stage: stage, output: output) }
        case .watch(let options):
            return Blocking.run { await WatchMode.run(session: session, options: options, output: output) }
        case .screen(var options):
            options.logFile = logFile
            return Dashboard.run(session: session, options: options, environment: environment, logger: logger, output: output)
        }
    }

    /// The logger for `--log PATH` (debug level with `--verbose`), or one that drops everything.
    /// A failed write stops the log with one notice: on stderr in `--once`/`--watch`; the screen
    /// owns the terminal, so there the notice is kept in `LogFile.failure` for the status line.
    static func makeLogger(path: String?, verbose: Bool, onScreen: Bool, output: ScriptOutput) throws(LogFileError) -> (Logger, LogFile?) {
        guard let path else { return (Logger(label: "swr-top", factory: { _ in SwiftLogNoOpLogHandler() }), nil) }
        let file = try LogFile(path: path, onFailure: { message in if !onScreen { output.complain(message) } })
        return (Logger.writing(to: file, verbose: verbose), file)
    }
}
