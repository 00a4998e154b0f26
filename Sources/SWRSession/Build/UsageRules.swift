import SWRAPI

/// The rules the commands' flags follow, as plain values: each check returns the first problem in
/// plain words (the executable prints it and exits 2), or nil. One place for the ranges and the
/// combinations, shared by the dashboard, `export` and `history`, and tested without a process.
public enum UsageRules {
    public static let intervalRange = 0.5...3600.0
    public static let stageRange = 0...4096
    public static let timeoutTotalLimit = 31_536_000.0

    /// What to watch, as the dashboard and `export` take it.
    public static func watched(interval: Double?, pipelines: [Int], maxRequestsPerMinute: Int?,
                               history: String?, noHistory: Bool) -> String? {
        if let interval, !intervalRange.contains(interval) {
            return "--interval must be between 0.5 and 3600 (seconds), not \(interval)"
        }
        if let budget = maxRequestsPerMinute, !Config.maxRequestsPerMinuteRange.contains(budget) {
            let range = Config.maxRequestsPerMinuteRange
            return "--max-requests-per-minute must be between \(range.lowerBound) and \(range.upperBound), not \(budget)"
        }
        if let bad = pipelines.first(where: { $0 <= 0 }) { return pipeline(bad) }
        if history != nil && noHistory { return "--history and --no-history do not go together" }
        return nil
    }

    /// A pipeline id given on the command line.
    public static func pipeline(_ id: Int) -> String? {
        id > 0 ? nil : "--pipeline must be a pipeline id (a positive number), not \(id)"
    }

    /// A stage index given on the command line.
    public static func stage(_ index: Int) -> String? {
        stageRange.contains(index) ? nil : "--stage must be between 0 and 4096, not \(index)"
    }

    /// The dashboard command's modes and the flags that go with each.
    public struct Modes: Sendable {
        public var once = false, watch = false, json = false, logs = false, notify = false, exitStatus = false
        public var timeoutTotal: Double?
        public var stage: Int?

        public init() {}
    }

    /// How the dashboard command's modes combine.
    public static func modes(_ m: Modes) -> String? {
        if let total = m.timeoutTotal, !(total.isFinite && total > 0 && total <= timeoutTotalLimit) {
            return "--timeout-total must be more than 0 and at most 31536000 (seconds), not \(total)"
        }
        if let index = m.stage, let problem = stage(index) { return problem }
        if m.once && m.watch { return "--once and --watch do not go together" }
        if m.json && !m.once && !m.watch { return "--json goes with --once or --watch" }
        if m.logs && !m.watch { return "--logs goes with --watch" }
        if m.notify && (m.once || m.watch) { return "--notify goes with the dashboard, not --once or --watch" }
        if m.exitStatus && !m.watch { return "--exit-status goes with --watch" }
        if m.timeoutTotal != nil && !m.watch { return "--timeout-total goes with --watch" }
        if m.stage != nil && !m.watch && !m.once { return "--stage goes with --watch or --once" }
        return nil
    }

    /// `swr-top history`'s flags: one output format, a valid pipeline and stage, `--since` with a unit.
    public static func historyListing(json: Bool, csv: Bool, pipeline id: Int?, stage index: Int?, since: String?) -> String? {
        if json && csv { return "--json and --csv do not go together" }
        if let problem = id.flatMap(pipeline) ?? index.flatMap(stage) { return problem }
        if let since, HistoryListingRequest.parseSince(since) == nil {
            return "--since takes a count and a unit (s, m, h, d, w), such as 7d or 24h, not '\(since)'"
        }
        return nil
    }

    /// The live dashboard needs a terminal on stdout; a script gets a snapshot or a line per change.
    public static func terminal(once: Bool, watch: Bool, stdoutIsTerminal: Bool) -> String? {
        once || watch || stdoutIsTerminal ? nil
            : "stdout is not a terminal: use --once (a snapshot) or --watch (a line per change) in scripts; add --json for JSON"
    }

    /// The simulator's speed for `--demo`: the live demo runs at 3× unless a speed was asked for
    /// (`1`, the flag's default, counts as not asked); scripts keep real time.
    public static func demoSpeed(requested: Double, live: Bool) -> Double {
        live && requested == 1 ? 3 : requested
    }
}
