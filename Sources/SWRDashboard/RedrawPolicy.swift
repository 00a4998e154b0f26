import SWRTopUI

/// When the loop draws a frame. Input (a key, a resize) and the answers it asked for (a log, a
/// page of pipelines) are drawn at once. Background answers (polls, pipeline details) are drawn at
/// once only while someone is at the keyboard (a key in the last two seconds); otherwise they wait
/// for the next whole-second tick, which draws anyway because ages and countdowns move. So an
/// idle screen renders once a second however many answers arrive, and never waits more than a
/// second to show one.
struct RedrawPolicy {
    /// How long after a key the screen counts as watched closely.
    static let interactiveWindow: Duration = .seconds(2)

    private var lastInput: ContinuousClock.Instant?

    /// `watchedSince`: counts as the last input (the start of the screen, whose first answers
    /// are drawn as they come).
    init(watchedSince: ContinuousClock.Instant? = nil) {
        lastInput = watchedSince
    }

    /// Whether the frame for this batch of actions is drawn now (else at the next tick).
    /// `newSecond`: the batch holds the whole-second tick.
    mutating func drawsNow(_ actions: [Action], newSecond: Bool, at now: ContinuousClock.Instant) -> Bool {
        if actions.contains(where: Self.isInput) { lastInput = now }
        if newSecond || !actions.allSatisfy(Self.canWait) { return true }
        return watchedClosely(at: now)
    }

    /// Whether a key (or a click, a resize) came in the last two seconds.
    func watchedClosely(at now: ContinuousClock.Instant) -> Bool {
        lastInput.map { $0.duration(to: now) < Self.interactiveWindow } ?? false
    }

    /// Every case named, so a new `Action` is a compile error here until it is placed.
    static func isInput(_ action: Action) -> Bool {
        switch action {
        case .key, .mouse, .resize: return true
        case .poll, .tick, .notice, .seed, .stageFigures, .weekOutcomes, .stageHistory, .storedTimeline, .log, .pipelinePage,
             .pipelineDetail:
            return false
        }
    }

    /// Answers nobody is waiting for: they may wait for the next tick. Every case named too.
    static func canWait(_ action: Action) -> Bool {
        switch action {
        case .tick, .poll, .pipelineDetail, .seed, .weekOutcomes: return true
        // Input, and what the user asked for or must see now (a log, a page of pipelines, a
        // notice, a stage's history or a job's timeline, the start's figures).
        case .key, .mouse, .resize, .notice, .stageFigures, .stageHistory, .storedTimeline, .log, .pipelinePage: return false
        }
    }
}
