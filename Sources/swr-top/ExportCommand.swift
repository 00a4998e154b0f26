import ArgumentParser
import Foundation
import SWRExport
import SWRSession
import SWRSimulator

/// `swr-top export`: the same session and engine, headless, as Prometheus metrics over HTTP.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the watched stages as Prometheus metrics (/metrics, /healthz, /readyz, /api/state).",
        discussion: HelpText.exportDiscussion
    )

    @OptionGroup(title: "What to watch") var watched: WatchedFlags

    @Option(help: "Address to serve on, HOST:PORT or [IPv6]:PORT (port 0 picks a free one).")
    var listen: String = ListenAddress.standard.description

    @Option(name: .customLong("metrics-token-env"),
            help: "Require 'Authorization: Bearer <token>' on every request, the token read from this environment variable.")
    var metricsTokenEnv: String?

    @Option(help: "The history file (default: the config's history.path, else $XDG_STATE_HOME/swr-top/history.sqlite).")
    var history: String?

    @Flag(name: .customLong("no-history"), help: "Keep no history this time (nothing read, nothing written).")
    var noHistory = false

    @OptionGroup(title: "Simulator (with --demo)") var simulator: SimulatorFlags

    func validate() throws {
        if let problem = UsageRules.watched(interval: watched.interval, pipelines: watched.pipelines,
                                            maxRequestsPerMinute: watched.maxRequestsPerMinute, history: history, noHistory: noHistory) {
            throw ValidationError(problem)
        }
        do { _ = try ListenAddress.parse(listen) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let simOptions = try simulator.options()
        let request = SessionRequest(configPath: watched.config, demo: watched.demo ? SimulatorDemo(options: simOptions) : nil,
                                     interval: watched.interval, pipelineIDs: watched.pipelines, endpoint: watched.endpoint,
                                     historyPath: history, noHistory: noHistory, maxRequestsPerMinute: watched.maxRequestsPerMinute)
        let options = ExportOptions(listen: listen, tokenEnv: metricsTokenEnv, version: BuildInfo.version)
        let environment = ProcessInfo.processInfo.environment
        let code = Blocking.run { await ExportMode.run(request, options: options, environment: environment) }
        if code != 0 { throw ExitCode(code) }
    }
}
