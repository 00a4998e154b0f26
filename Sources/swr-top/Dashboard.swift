import ArgumentParser
import Glibc
import Foundation
import Logging
import SWRAPI
import SWRDashboard
import SWRSession
import SWRSimulator

/// The default command: the live dashboard, or a scriptable mode (`--once`, `--watch`).
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard", abstract: "Watch pipelines live (the default).", discussion: HelpText.dashboardDiscussion)

    @Option(help: "The config file (default: $SWR_TOP_CONFIG, then $XDG_CONFIG_HOME/swr-top/config.json).")
    var config: String?

    @Flag(help: "Watch a built-in simulated SWR service (no cloud account needed).")
    var demo = false

    // Numbers are read unconditionally, so `--interval -1` is a value to reject, not a missing one.
    @Option(parsing: .unconditional, help: "Base poll interval of the focused stage, in seconds (0.5 to 3600).")
    var interval: Double?

    @Option(name: .customLong("pipeline"), parsing: .unconditionalSingleValue, help: "Watch this pipeline id (repeatable); overrides the config's list.")
    var pipelines: [Int] = []

    @Option(parsing: .unconditional, help: "Only this stage index, 0 to 4096 (with --watch or --once).")
    var stage: Int?

    @Option(help: "The SWR API endpoint; overrides the config.")
    var endpoint: String?

    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: "Append a log to this file.")
    var log: String?

    @Flag(help: "More detail in the log.")
    var verbose = false

    @Flag(help: "Ring the bell when the focused pipeline's run ends.")
    var bell = false

    @Flag(help: "Also send a desktop notification (OSC 9 and OSC 777) when the focused pipeline's run ends.")
    var notify = false

    @Flag(help: "With --watch: also print new log lines of the watched jobs.")
    var logs = false

    @Flag(help: "Poll every stage once, print a snapshot and exit.")
    var once = false

    @Flag(help: "With --once or --watch: JSON (one object; JSON Lines when watching).")
    var json = false

    @Flag(help: "No screen: print one line per change.")
    var watch = false

    @Flag(name: .customLong("exit-status"), help: "With --watch: exit when every watched stage's newest job has finished; 0 all succeeded, 1 failed, 4 timeout, 5 cancelled, 3 could not watch.")
    var exitStatus = false

    @Option(name: .customLong("timeout-total"), parsing: .unconditional, help: "With --watch: give up after this many seconds (exit 124; at most 31536000).")
    var timeoutTotal: Double?

    @OptionGroup(title: "Simulator (with --demo)") var simulator: SimulatorFlags

    static let intervalRange = 0.5...3600.0
    static let stageRange = 0...4096
    static let timeoutTotalLimit = 31_536_000.0

    func validate() throws {
        if let interval, !Self.intervalRange.contains(interval) {
            throw ValidationError("--interval must be between 0.5 and 3600 (seconds), not \(interval)")
        }
        if let timeoutTotal, !(timeoutTotal.isFinite && timeoutTotal > 0 && timeoutTotal <= Self.timeoutTotalLimit) {
            throw ValidationError("--timeout-total must be more than 0 and at most 31536000 (seconds), not \(timeoutTotal)")
        }
        if let stage, !Self.stageRange.contains(stage) {
            throw ValidationError("--stage must be between 0 and 4096, not \(stage)")
        }
        if let bad = pipelines.first(where: { $0 <= 0 }) {
            throw ValidationError("--pipeline must be a pipeline id (a positive number), not \(bad)")
        }
        if once && watch { throw ValidationError("--once and --watch do not go together") }
        if json && !once && !watch { throw ValidationError("--json goes with --once or --watch") }
        if logs && !watch { throw ValidationError("--logs goes with --watch") }
        if notify && (once || watch) { throw ValidationError("--notify goes with the dashboard, not --once or --watch") }
        if exitStatus && !watch { throw ValidationError("--exit-status goes with --watch") }
        if timeoutTotal != nil && !watch { throw ValidationError("--timeout-total goes with --watch") }
        if stage != nil && !watch && !once { throw ValidationError("--stage goes with --watch or --once") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if !once && !watch && isatty(STDOUT_FILENO) == 0 {
            complain("stdout is not a terminal: use --once (a snapshot) or --watch (a line per change) in scripts; add --json for JSON")
            throw ExitCode(Exit.usage)
        }
        let logger: Logger
        let logFile: LogFile?
        do { (logger, logFile) = try makeLogger() } catch {
            complain(error.description)
            throw ExitCode(Exit.usage)
        }
        var simOptions = try simulator.options()
        if demo, !once, !watch, simulator.speed == 1 { simOptions.speed = 3 }
        let request = SessionRequest(configPath: config, demo: demo ? SimulatorDemo(options: simOptions) : nil, interval: interval,
                                     pipelineIDs: pipelines, endpoint: endpoint, logger: logger)
        let session: Session
        do {
            session = try blocking { try await SessionBuilder.make(request, environment: environment) }
        } catch let error as SetupError {
            complain(error.message)
            throw ExitCode(error.exitCode)
        }
        let code: Int32
        if once {
            code = try blocking { await OnceMode.run(session: session, json: json, stage: stage) }
        } else if watch {
            let options = WatchOptions(json: json, exitStatus: exitStatus, stage: stage, timeoutTotal: timeoutTotal, logs: logs)
            code = try blocking { await WatchMode.run(session: session, options: options) }
        } else {
            let options = DashboardOptions(noColor: noColor, bell: bell, notify: notify, logFile: logFile)
            code = SWRDashboard.Dashboard.run(session: session, options: options, environment: environment, logger: logger)
            Glibc.exit(code)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

extension Dashboard {
    /// The logger for `--log PATH` (debug level with `--verbose`), or one that drops everything.
    /// A failed write stops the log with one notice: on stderr in `--once`/`--watch`; the
    /// dashboard owns the screen, so there the notice is kept in `LogFile.failure`.
    private func makeLogger() throws(LogFileError) -> (Logger, LogFile?) {
        guard let log else { return (Logger(label: "swr-top", factory: { _ in SwiftLogNoOpLogHandler() }), nil) }
        let toScreen = !once && !watch
        let file = try LogFile(path: log, onFailure: { message in if !toScreen { complain(message) } })
        return (Logger.writing(to: file, verbose: verbose), file)
    }
}
