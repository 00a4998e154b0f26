import Foundation
import SWRAPI

/// What one poll of one target gave: the jobs or the error, when, and when the next one is due.
public struct PollResult: Sendable {
    public var target: Target
    public var outcome: Result<[Job], SWRError>
    public var startedAt: Date
    public var endedAt: Date
    /// When the engine will poll this target again (for the countdown on screen);
    /// `Date.distantFuture` while the stage rests (its pipeline's detail stands in for it).
    public var nextPollAt: Date
    /// Consecutive failures including this one (0 after a success).
    public var failureStreak: Int
    /// Whether this poll started late because the request budget was full.
    public var heldByBudget: Bool
    /// The request budget when the poll ended (nil: the engine has none).
    public var budget: BudgetReading?

    public init(target: Target, outcome: Result<[Job], SWRError>, startedAt: Date, endedAt: Date, nextPollAt: Date, failureStreak: Int = 0,
                heldByBudget: Bool = false, budget: BudgetReading? = nil) {
        self.target = target
        self.outcome = outcome
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.nextPollAt = nextPollAt
        self.failureStreak = failureStreak
        self.heldByBudget = heldByBudget
        self.budget = budget
    }

    public var latency: TimeInterval { endedAt.timeIntervalSince(startedAt) }

    /// Whether the stage rests after this poll (no poll is planned; see `PollPlan`).
    public var isResting: Bool { nextPollAt == .distantFuture }
}

/// The request budget as the header shows it: requests begun in the last 60 s, the limit now
/// (lower for a while after a 429), and the configured limit.
public struct BudgetReading: Sendable, Equatable {
    public var used: Int
    public var limit: Int
    public var configured: Int
    /// The requests a minute the schedule would make with no budget: every stage and detail at
    /// its interval (what a budget below it makes late).
    public var wanted: Int

    public init(used: Int, limit: Int, configured: Int, wanted: Int = 0) {
        self.used = used
        self.limit = limit
        self.configured = configured
        self.wanted = wanted
    }

    /// Whether the budget clearly keeps the schedule from its intervals (a tenth over it, so
    /// the words do not come and go with every poll).
    public var isShort: Bool { wanted > Checked.add(limit, max(1, limit / 10)) }
}

/// One read of a pipeline's detail by a run-aware engine.
public struct DetailResult: Sendable {
    public var pipeline: Int
    public var outcome: Result<Pipeline, SWRError>
    public var at: Date

    public init(pipeline: Int, outcome: Result<Pipeline, SWRError>, at: Date) {
        self.pipeline = pipeline
        self.outcome = outcome
        self.at = at
    }
}
