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

    @OptionGroup(title: "What to watch") var watched: WatchedFlags
    @OptionGroup(title: "Scripts (no screen)") var script: ScriptFlags
    @OptionGroup(title: "Screen, log and history") var screen: ScreenFlags
    @OptionGroup(title: "Simulator (with --demo)") var simulator: SimulatorFlags

    func validate() throws {
        if let problem = UsageRules.watched(interval: watched.interval, pipelines: watched.pipelines,
                                            maxRequestsPerMinute: watched.maxRequestsPerMinute,
                                            history: screen.history, noHistory: screen.noHistory) ?? UsageRules.modes(modes) {
            throw ValidationError(problem)
        }
    }

    private var modes: UsageRules.Modes {
        var m = UsageRules.Modes()
        (m.once, m.watch, m.json, m.logs, m.notify, m.exitStatus) = (script.once, script.watch, script.json, script.logs, screen.notify, script.exitStatus)
        (m.timeoutTotal, m.stage) = (script.timeoutTotal, script.stage)
        return m
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if let problem = UsageRules.terminal(once: script.once, watch: script.watch, stdoutIsTerminal: isatty(STDOUT_FILENO) != 0) {
            complain(problem)
            throw ExitCode(Exit.usage)
        }
        let logger: Logger
        let logFile: LogFile?
        do { (logger, logFile) = try makeLogger() } catch {
            complain(error.description)
            throw ExitCode(Exit.usage)
        }
        var simOptions = try simulator.options()
        simOptions.speed = UsageRules.demoSpeed(requested: simOptions.speed, live: !script.once && !script.watch)
        let request = SessionRequest(configPath: watched.config, demo: watched.demo ? SimulatorDemo(options: simOptions) : nil, interval: watched.interval,
                                     pipelineIDs: watched.pipelines, endpoint: watched.endpoint, historyPath: screen.history,
                                     noHistory: screen.noHistory, maxRequestsPerMinute: watched.maxRequestsPerMinute, logger: logger)
        let session: Session
        do {
            session = try blocking { try await SessionBuilder.make(request, environment: environment) }
        } catch let error as SetupError {
            complain(error.message)
            throw ExitCode(error.exitCode)
        }
        let code: Int32
        if script.once {
            code = try blocking { await OnceMode.run(session: session, json: script.json, stage: script.stage) }
        } else if script.watch {
            let options = WatchOptions(json: script.json, exitStatus: script.exitStatus, stage: script.stage, timeoutTotal: script.timeoutTotal, logs: script.logs)
            code = try blocking { await WatchMode.run(session: session, options: options) }
        } else {
            let options = DashboardOptions(noColor: screen.noColor, bell: screen.bell, notify: screen.notify, logFile: logFile, mouse: !screen.noMouse)
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
        guard let log = screen.log else { return (Logger(label: "swr-top", factory: { _ in SwiftLogNoOpLogHandler() }), nil) }
        let toScreen = !script.once && !script.watch
        let file = try LogFile(path: log, onFailure: { message in if !toScreen { complain(message) } })
        return (Logger.writing(to: file, verbose: screen.verbose), file)
    }
}
