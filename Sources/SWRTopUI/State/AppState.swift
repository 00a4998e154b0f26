import Foundation
import SWRAPI
import SWRWatch

/// How the jobs pane orders the history.
public enum SortOrder: String, Sendable, CaseIterable {
    case newest, longest, state

    var next: SortOrder {
        let all = SortOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Everything the screen shows; changed only by `update`, drawn only by `view`.
public struct AppState: Sendable {
    public var pipelines: [PipelineInfo]
    public var store = HistoryStore()
    public var pipelineIndex = 0
    public var stageIndex = 0
    /// The selected job; `nil` follows the newest job.
    public var selectedJobID: String?
    public var scroll = 0
    public var filter = ""
    public var isEditingFilter = false
    public var sort = SortOrder.newest
    public var isPaused = false
    public var showHelp = false
    public var showOverview = false
    /// The selected row of the overview (a pipeline index); Enter opens that pipeline.
    public var overviewSelection = 0
    /// The selected column of the overview (a stage position); a pipeline with fewer stages
    /// selects its last (`overviewCellColumn`). Enter opens that stage.
    public var overviewColumn = 0
    /// The first stage column the overview shows when not all fit: scrolled in `update` so the
    /// selected column stays in view.
    public var overviewLeft = 0
    /// Rows of pipelines the overview showed in the last layout (for paging): its height less
    /// the border and the header row.
    public var overviewRows = 10
    /// The first pipeline (index) the overview shows: scrolled in `update` so the selected row
    /// stays in view.
    public var overviewTop = 0
    /// Whether the user drilled into the selected job's detail (Enter; Esc returns). On a wide
    /// screen the detail pane beside the jobs takes the keys (its border highlights, ↑↓ scroll
    /// the observed timeline); on a narrow one it replaces the jobs.
    public var showDetail = false
    /// Observations of the detail pane's timeline scrolled back from the newest (0: the newest
    /// shows at the bottom). Fitted to the timeline in `update`.
    public var detailScroll = 0
    /// Rows the detail pane's observed timeline showed in the last layout (for paging).
    public var detailRows = 0
    /// Follow mode (on by default, like `tail -f`): the focused pipeline's view moves to the
    /// stage its run is at, and the jobs list selects the newest job. A stage key turns it off,
    /// `f` (or switching pipelines) turns it on again.
    public var isFollowing = true
    /// Set when the service refused the token after the client's own renewal: polling stopped
    /// (the dashboard sent `.pause`) until `r`. Shown as a banner.
    public var refusal: Refusal?
    public var now: Date
    public var endpointHost: String
    public var glyphs: Glyphs
    /// The terminal's size (set by `Action.resize`); the layout that depends on it is fitted
    /// in `update`.
    public var width = 80
    public var height = 24
    /// Rows of the jobs list in the current layout (for PgUp/PgDn).
    public var pageRows = 10
    /// Jobs whose state or progress changed recently, until when to highlight them.
    public var highlights: [JobRef: Date] = [:]
    /// A message for the status line (a finished run, for example) and until when to show it.
    public var notice: (text: String, until: Date)?
    public var ringBellOnFinish = false
    /// Send a desktop notification when the focused pipeline's run ends (`--notify`).
    public var notifyOnFinish = false
    /// The job whose end was last announced, per stage, so an end is never announced twice
    /// (a finished job whose state changes again is not a new end).
    public var announcedJobs: [Target: String] = [:]
    /// The open logs pane.
    public var logView: LogView?
    /// The open pipelines picker.
    public var picker: PipelinePicker?
    /// The open history pane (`H`).
    public var historyView: HistoryView?
    /// Each stage's outcomes over the last 7 days, from the history file at start, counted on at
    /// once as jobs end and read again from the file after each end and every hour (the
    /// overview's rate); absent without history.
    public var weekOutcomes: [Target: OutcomeCounts] = [:]
    /// When `weekOutcomes` is read again from the history file (see `WeekRefresh`).
    public var weekRefresh = WeekRefresh()
    /// Whether the session keeps a history file (set by the front end): the `H history` hint,
    /// and the 7-day rates are read again as jobs end and the window slides.
    public var hasHistory = false
    /// The request budget as the engine last reported it (nil: not yet, or none).
    public var budget: BudgetReading?
    /// Run status from the pipeline detail call, by pipeline id.
    public var pipelineStatuses: [Int: PipelineStatus] = [:]
    /// The zone clock times are shown in (the user's; fixed in tests).
    public var timeZone = TimeZone.current

    /// A refused token: when it was seen, and what it was refused for.
    public struct Refusal: Sendable, Equatable {
        public var at: Date
        public var place: String

        public init(at: Date, place: String) {
            self.at = at
            self.place = place
        }
    }

    /// How long a changed value stays highlighted.
    public static let highlightSeconds: TimeInterval = 3

    public init(pipelines: [PipelineInfo], now: Date, endpointHost: String, glyphs: Glyphs = .unicode) {
        self.pipelines = pipelines
        self.now = now
        self.endpointHost = endpointHost
        self.glyphs = glyphs
    }

    public var pipeline: PipelineInfo? { pipelines.indices.contains(pipelineIndex) ? pipelines[pipelineIndex] : nil }

    public var stage: StageInfo? {
        guard let pipeline, pipeline.stages.indices.contains(stageIndex) else { return nil }
        return pipeline.stages[stageIndex]
    }

    /// The stage the user looks at.
    public var focusedTarget: Target? {
        guard let pipeline, let stage else { return nil }
        return Target(pipeline: pipeline.id, stage: stage.index)
    }

    /// Every watched target.
    public var allTargets: [Target] { pipelines.flatMap(\.targets) }

    /// The focused stage's jobs after the filter and sort.
    public var visibleJobs: [Job] {
        guard let target = focusedTarget, let jobs = store[target]?.jobs else { return [] }
        var shown = jobs
        if !filter.isEmpty {
            let needle = filter.lowercased()
            shown = shown.filter { job in
                job.id.lowercased().contains(needle) || job.state.displayName.lowercased().contains(needle)
                    || (job.creatorName?.lowercased().contains(needle) ?? false) || (job.resource?.lowercased().contains(needle) ?? false)
            }
        }
        switch sort {
        case .newest: break
        case .longest: shown.sort { ($0.duration ?? -1, $1.id) > ($1.duration ?? -1, $0.id) }
        case .state: shown.sort { ($0.state.label, $1.id) < ($1.state.label, $0.id) }
        }
        return shown
    }

    /// The selected row in `visibleJobs`: the selected job's, else the newest job's (wherever
    /// the sort put it), else the first.
    public func selectedRow(in jobs: [Job]) -> Int {
        if let id = selectedJobID, let row = jobs.firstIndex(where: { $0.id == id }) { return row }
        if sort != .newest, let newest = focusedTarget.flatMap({ store[$0]?.jobs.first }),
           let row = jobs.firstIndex(where: { $0.id == newest.id }) {
            return row
        }
        return 0
    }

    func isHighlighted(_ target: Target, _ jobID: String) -> Bool {
        (highlights[JobRef(target: target, jobID: jobID)] ?? .distantPast) > now
    }
}
