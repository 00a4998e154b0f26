import ArgumentParser
import Foundation
import SWRSession

/// `swr-top history`: what the history file holds, for scripts and spreadsheets, without network.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the jobs kept in the history file (no network): a table, --json or --csv.",
        discussion: HelpText.historyDiscussion
    )

    @Option(help: "The config file (only its history key is read: history.path, or \"history\": false, which refuses with exit 2).")
    var config: String?

    @Option(help: "The history file (default: the config's history.path, else $XDG_STATE_HOME/swr-top/history.sqlite).")
    var history: String?

    @Flag(help: "The demo's history file (demo-history.sqlite in the default folder; the config is not read).")
    var demo = false

    @Option(help: "Only this endpoint's jobs (its host); default: every endpoint in the file.")
    var endpoint: String?

    @Option(parsing: .unconditional, help: "Only this pipeline id.")
    var pipeline: Int?

    @Option(parsing: .unconditional, help: "Only this stage index, 0 to 4096.")
    var stage: Int?

    @Option(help: "Only jobs of the last N seconds, minutes, hours, days or weeks: 30s, 90m, 24h, 7d, 2w.")
    var since: String?

    @Flag(help: "JSON: one object (see the README).")
    var json = false

    @Flag(help: "CSV: a header, then one line per job.")
    var csv = false

    func validate() throws {
        if let problem = UsageRules.historyListing(json: json, csv: csv, pipeline: pipeline, stage: stage, since: since) { throw ValidationError(problem) }
    }

    func run() throws {
        let request = HistoryListingRequest(configPath: config, historyPath: history, demo: demo, endpoint: endpoint, pipeline: pipeline,
                                            stage: stage, since: since.flatMap(HistoryListingRequest.parseSince),
                                            style: json ? .json : csv ? .csv : .table)
        let environment = ProcessInfo.processInfo.environment
        let code = Blocking.run { await HistoryListingMode.run(request, environment: environment) }
        if code != 0 { throw ExitCode(code) }
    }
}
