import Testing
@testable import SWRSession

/// The flags' rules as values: every range and every combination says what is wrong, in words.
@Suite struct UsageRulesTests {
    func watched(interval: Double? = nil, pipelines: [Int] = [], budget: Int? = nil, history: String? = nil, noHistory: Bool = false) -> String? {
        UsageRules.watched(interval: interval, pipelines: pipelines, maxRequestsPerMinute: budget, history: history, noHistory: noHistory)
    }

    @Test func whatToWatch() {
        #expect(watched() == nil)
        #expect(watched(interval: 0.5, pipelines: [1, 2], budget: 10, history: "h") == nil)
        for interval in [0.4, 3600.5, -1, .nan, .infinity] {
            #expect(watched(interval: interval)?.hasPrefix("--interval must be between 0.5 and 3600") == true, "\(interval)")
        }
        #expect(watched(budget: 9) == "--max-requests-per-minute must be between 10 and 100000, not 9")
        #expect(watched(budget: 100_001) != nil)
        #expect(watched(pipelines: [3, 0]) == "--pipeline must be a pipeline id (a positive number), not 0")
        #expect(watched(history: "h", noHistory: true) == "--history and --no-history do not go together")
    }

    @Test func pipelinesAndStages() {
        #expect(UsageRules.pipeline(1) == nil)
        #expect(UsageRules.pipeline(-5) != nil)
        #expect(UsageRules.stage(0) == nil && UsageRules.stage(4096) == nil)
        #expect(UsageRules.stage(4097) == "--stage must be between 0 and 4096, not 4097")
        #expect(UsageRules.stage(-1) != nil)
    }

    @Test func modesAndTheFlagsThatGoWithThem() {
        func check(_ change: (inout UsageRules.Modes) -> Void) -> String? {
            var modes = UsageRules.Modes()
            change(&modes)
            return UsageRules.modes(modes)
        }
        #expect(check { _ in } == nil)
        #expect(check { $0.watch = true; $0.json = true; $0.exitStatus = true; $0.logs = true; $0.timeoutTotal = 60; $0.stage = 2 } == nil)
        #expect(check { $0.once = true; $0.json = true; $0.stage = 0 } == nil)
        #expect(check { $0.once = true; $0.watch = true } == "--once and --watch do not go together")
        #expect(check { $0.json = true } == "--json goes with --once or --watch")
        #expect(check { $0.once = true; $0.logs = true } == "--logs goes with --watch")
        #expect(check { $0.watch = true; $0.notify = true } == "--notify goes with the dashboard, not --once or --watch")
        #expect(check { $0.once = true; $0.exitStatus = true } == "--exit-status goes with --watch")
        #expect(check { $0.timeoutTotal = 5 } == "--timeout-total goes with --watch")
        #expect(check { $0.stage = 1 } == "--stage goes with --watch or --once")
        for total in [0, -1, .nan, .infinity, 31_536_001] as [Double] {
            #expect(check { $0.watch = true; $0.timeoutTotal = total }?.hasPrefix("--timeout-total must be more than 0") == true, "\(total)")
        }
        #expect(check { $0.watch = true; $0.stage = 5000 } == "--stage must be between 0 and 4096, not 5000")
    }

    @Test func historyListingFlags() {
        #expect(UsageRules.historyListing(json: false, csv: false, pipeline: 7, stage: 0, since: "7d") == nil)
        #expect(UsageRules.historyListing(json: true, csv: true, pipeline: nil, stage: nil, since: nil) == "--json and --csv do not go together")
        #expect(UsageRules.historyListing(json: false, csv: false, pipeline: 0, stage: nil, since: nil)?.hasPrefix("--pipeline must be") == true)
        #expect(UsageRules.historyListing(json: false, csv: false, pipeline: nil, stage: 5000, since: nil)?.hasPrefix("--stage must be") == true)
        #expect(UsageRules.historyListing(json: false, csv: false, pipeline: nil, stage: nil, since: "7x")
                == "--since takes a count and a unit (s, m, h, d, w), such as 7d or 24h, not '7x'")
    }

    @Test func theDashboardNeedsATerminalAndTheLiveDemoRunsAtThreeTimes() {
        #expect(UsageRules.terminal(once: false, watch: false, stdoutIsTerminal: false)?.hasPrefix("stdout is not a terminal") == true)
        #expect(UsageRules.terminal(once: true, watch: false, stdoutIsTerminal: false) == nil)
        #expect(UsageRules.terminal(once: false, watch: true, stdoutIsTerminal: false) == nil)
        #expect(UsageRules.terminal(once: false, watch: false, stdoutIsTerminal: true) == nil)
        #expect(UsageRules.demoSpeed(requested: 1, live: true) == 3)
        #expect(UsageRules.demoSpeed(requested: 1, live: false) == 1)
        #expect(UsageRules.demoSpeed(requested: 0.0001, live: true) == 0.0001)
    }
}
