import ArgumentParser
import Glibc
import Foundation
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
        var simOptions = try simulator.options()
        simOptions.speed = UsageRules.demoSpeed(requested: simOptions.speed, live: !script.once && !script.watch)
        let session = SessionRequest(configPath: watched.config, demo: watched.demo ? SimulatorDemo(options: simOptions) : nil, interval: watched.interval,
                                     pipelineIDs: watched.pipelines, endpoint: watched.endpoint, historyPath: screen.history,
                                     noHistory: screen.noHistory, maxRequestsPerMinute: watched.maxRequestsPerMinute)
        let mode: DashboardCommand.Request.Mode
        if script.once {
            mode = .once(json: script.json, stage: script.stage)
        } else if script.watch {
            mode = .watch(WatchOptions(json: script.json, exitStatus: script.exitStatus, stage: script.stage, timeoutTotal: script.timeoutTotal, logs: script.logs))
        } else {
            mode = .screen(DashboardOptions(noColor: screen.noColor, bell: screen.bell, notify: screen.notify, mouse: !screen.noMouse))
        }
        let request = DashboardCommand.Request(mode: mode, session: session, logPath: screen.log, verbose: screen.verbose)
        // Straight out: the screen's session may leave tasks behind that nothing needs to wait for.
        Glibc.exit(DashboardCommand.run(request, environment: ProcessInfo.processInfo.environment, stdoutIsTerminal: isatty(STDOUT_FILENO) != 0))
    }
}
