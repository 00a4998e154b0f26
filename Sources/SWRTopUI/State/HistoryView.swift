import Foundation
import SWRAPI
import SWRWatch

/// The history pane (`H`) of one stage: what the history file answered, the selected bar, and
/// the stored timeline opened from it. Changed only by `update`; drawn by `HistoryPane`.
public struct HistoryView: Sendable, Equatable {
    public var target: Target
    /// `pipeline › stage`, as the title shows it.
    public var title: String
    /// `nil` while the file is being read.
    public var answer: HistoryLookup<StageHistory>?
    /// The selected bar, counted from the newest job (0) back.
    public var selection = 0
    /// The stored timeline opened with Enter on a bar, if any.
    public var timeline: OpenTimeline?

    /// A job's stored timeline in the pane: which job, and the file's answer (`nil` while read).
    public struct OpenTimeline: Sendable, Equatable {
        public var jobID: String
        public var answer: HistoryLookup<[Observation]>?

        public init(jobID: String, answer: HistoryLookup<[Observation]>? = nil) {
            self.jobID = jobID
            self.answer = answer
        }
    }

    public init(target: Target, title: String) {
        self.target = target
        self.title = title
    }

    /// The jobs of the bar chart, newest first (empty until found).
    public var jobs: [HistoricJob] {
        if case .found(let history) = answer { return history.recent }
        return []
    }

    /// The selected job, if any.
    public var selected: HistoricJob? {
        let jobs = jobs
        return jobs.indices.contains(selection) ? jobs[selection] : nil
    }

    /// Takes the file's answer; the selection stays on the same job when it is still there.
    mutating func receive(_ answer: HistoryLookup<StageHistory>) {
        let id = selected?.id
        self.answer = answer
        let jobs = jobs
        selection = id.flatMap { id in jobs.firstIndex { $0.id == id } } ?? Checked.clamp(selection, jobs.count - 1)
    }

    /// What a key does in the pane: ←→ (and g G Home End) move over the bars, Enter opens the
    /// selected job's stored timeline, Esc closes the timeline, then the pane (so does `H`).
    /// Returns the effects and whether the pane closes.
    mutating func handle(_ command: Keymap.Command) -> (effects: [Effect], close: Bool) {
        let count = jobs.count
        switch command {
        // The newest bar is on the right: → goes to newer jobs.
        case .previousStage: selection = min(Checked.add(selection, 1), max(0, count - 1))
        case .nextStage: selection = max(0, Checked.sub(selection, 1))
        case .top: selection = max(0, count - 1)
        case .bottom: selection = 0
        case .toggleDetail:
            guard timeline == nil, let job = selected else { return ([], false) }
            timeline = OpenTimeline(jobID: job.id)
            return ([.loadTimeline(JobRef(target: target, jobID: job.id))], false)
        case .escape:
            if timeline != nil {
                timeline = nil
            } else {
                return ([], true)
            }
        case .toggleHistory: return ([], true)
        default: break
        }
        // An open timeline follows the selection.
        if let open = timeline, let job = selected, job.id != open.jobID {
            timeline = OpenTimeline(jobID: job.id)
            return ([.loadTimeline(JobRef(target: target, jobID: job.id))], false)
        }
        return ([], false)
    }
}
