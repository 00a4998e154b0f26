import Foundation
import SWRAPI
import SWRHistory
import SWRWatch

/// What `swr-top history` was asked for (its flags, as values).
public struct HistoryListingRequest: Sendable, Equatable {
    /// `--config`: only read for `history.path`.
    public var configPath: String?
    /// `--history PATH`.
    public var historyPath: String?
    /// `--demo`: the demo's own history file.
    public var demo: Bool
    /// `--endpoint URL`: only that endpoint's jobs (else every endpoint in the file).
    public var endpoint: String?
    public var pipeline: Int?
    public var stage: Int?
    /// `--since`: only jobs of the last this many seconds.
    public var since: TimeInterval?
    public var style: HistoryListingStyle

    public init(configPath: String? = nil, historyPath: String? = nil, demo: Bool = false, endpoint: String? = nil, pipeline: Int? = nil,
                stage: Int? = nil, since: TimeInterval? = nil, style: HistoryListingStyle = .table) {
        self.configPath = configPath
        self.historyPath = historyPath
        self.demo = demo
        self.endpoint = endpoint
        self.pipeline = pipeline
        self.stage = stage
        self.since = since
        self.style = style
    }

    /// `7d`, `24h`, `90m`, `30s`, `2w` as seconds; `nil` for anything else (a usage error).
    public static func parseSince(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 100_000 else { return nil }
        let seconds: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400]
        return seconds[unit].map { Double(count) * $0 }
    }
}

/// `swr-top history`: prints what the history file holds, without network. The library half:
/// the executable only parses flags.
public enum HistoryListingMode {
    /// Finds the file (flag, config, default, demo), reads the jobs the request takes and prints
    /// them; the exit code (0; 2 for a config that cannot be read or that turns history off; 3
    /// for a file that cannot be read).
    public static func run(_ request: HistoryListingRequest, environment: [String: String], now: Date = Date(),
                           output: ScriptOutput = .standard) async -> Int32 {
        let path: String
        switch locate(request, environment: environment) {
        case .success(let found): path = found
        case .failure(let refusal):
            output.complain(refusal.message)
            return ExitStatus.usage
        }
        let since = request.since.map { now.addingTimeInterval(-$0) }
        let stages: [ListedStage]
        if FileManager.default.fileExists(atPath: path) {
            do {
                // A damaged file stays where it is: the next dashboard moves it aside and says so.
                let database = try HistoryDatabase.open(path: path, now: now, movingDamagedAside: false)
                defer { database.close() }
                let filter = HistoryFilter(host: request.endpoint.map { HistoryHost.key(endpoint: $0) }, pipeline: request.pipeline,
                                           stage: request.stage, since: since)
                stages = ListedStage.group(try await database.listJobs(filter))
            } catch {
                output.complain(error.description)
                return ExitStatus.serviceUnreadable
            }
        } else {
            output.complain("no history file at \(path) yet: swr-top records jobs there as it watches them")
            stages = []
        }
        switch request.style {
        case .json: output.line(HistoryListingFormat.json(stages, since: since, generatedAt: now).serialized)
        case .csv: output.lines(HistoryListingFormat.csv(stages))
        case .table:
            if stages.isEmpty, FileManager.default.fileExists(atPath: path) { output.complain("no stored job matches") }
            output.lines(HistoryListingFormat.table(stages))
        }
        return ExitStatus.ok
    }

    /// Why `swr-top history` prints nothing: a config that cannot be read, or one that turns
    /// history off (both usage errors, exit 2).
    public struct Refusal: Error, Equatable, Sendable {
        public var message: String
    }

    /// The history file the request reads, from `--history PATH`, else the config's
    /// `history.path`, else the default place; `--demo` reads the demo's file.
    ///
    /// - A config with `"history": false` keeps no history: asking for it is a refusal in plain
    ///   words, unless `--history PATH` names a file (the person asked for that file).
    /// - `--demo` does not read the config, as the demo dashboard does not: it records whatever
    ///   the config says, in `demo-history.sqlite` in the default folder (or `--history PATH`).
    public static func locate(_ request: HistoryListingRequest, environment: [String: String]) -> Result<String, Refusal> {
        var history: HistoryConfig?
        if !request.demo {
            let explicitConfig = request.configPath ?? environment["SWR_TOP_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            let configPath = ConfigParser.locate(explicit: request.configPath, environment: environment)
            if explicitConfig != nil || FileManager.default.fileExists(atPath: configPath) {
                do {
                    history = try ConfigParser.load(path: configPath).history
                } catch {
                    return .failure(Refusal(message: error.description))
                }
            }
            if history?.enabled == false, request.historyPath?.isEmpty ?? true {
                return .failure(Refusal(message: "history is turned off in \(configPath) (\"history\": false), so swr-top keeps no "
                    + "history file to print; remove that key (or set it to {}) to keep one, or name a file with --history PATH"))
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return .success(HistoryPath.resolve(flag: request.historyPath, config: history?.path, environment: environment,
                                            home: home, demo: request.demo))
    }
}
