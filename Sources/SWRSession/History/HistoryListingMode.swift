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
    /// them; the exit code (0; 2 for a config that cannot be read; 3 for a file that cannot).
    public static func run(_ request: HistoryListingRequest, environment: [String: String], now: Date = Date(),
                           output: ScriptOutput = .standard) async -> Int32 {
        var configHistory: String?
        let explicitConfig = request.configPath ?? environment["SWR_TOP_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let configPath = ConfigParser.locate(explicit: request.configPath, environment: environment)
        if explicitConfig != nil || FileManager.default.fileExists(atPath: configPath) {
            do {
                configHistory = try ConfigParser.load(path: configPath).history?.path
            } catch {
                output.complain(error.description)
                return ExitStatus.usage
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = HistoryPath.resolve(flag: request.historyPath, config: configHistory, environment: environment, home: home, demo: request.demo)
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
}
