import Foundation
import SWRAPI
import SWRWatch

/// What one cell of the overview's matrix says about a stage of a pipeline: the state's glyph,
/// then `pending` (the run has not reached it), `2h ago` (dimmed: an earlier run's result),
/// the progress while it builds, or how long its job ran; `!` when its last poll failed; and
/// apart from that text, the stage's 7-day success rate (`7d 92%`) when the history gave one.
/// A stage with nothing known shows `·`. Where the stages of a column have different names,
/// the cell says its own stage's name after the glyph (see `OverviewMatrix`).
struct OverviewCell: Equatable {
    /// The state's glyph.
    var glyph: String
    /// The stage's name, where the column's names differ; else empty.
    var name: String
    /// ` 42s!`: the word after the name, and the stale mark.
    var tail: String
    /// `7d 92%`, or empty.
    var week: String
    var style: Style

    /// The glyph and what follows it (never the 7-day rate).
    var text: String { glyph + (name.isEmpty ? "" : " " + name) + tail }

    /// `text` in at most `width` columns: a name that does not fit is cut (by display width)
    /// before the time after it is.
    func text(fitting width: Int, ellipsis: String) -> String {
        let whole = text
        if DisplayWidth.of(whole, upTo: width) <= width { return whole }
        let room = width - DisplayWidth.of(glyph) - 1 - DisplayWidth.of(tail)
        if !name.isEmpty, room >= 2 { return glyph + " " + DisplayWidth.truncate(name, to: room, ellipsis: ellipsis) + tail }
        return DisplayWidth.truncate(whole, to: width, ellipsis: ellipsis)
    }

    init(_ look: StageLook, stage: StageInfo, pipeline: Int, isRunning: Bool, withName: Bool, state: AppState) {
        let g = state.glyphs
        glyph = look.state.map(g.state) ?? g.separator
        name = withName ? stage.name : ""
        let detail = look.detail(now: state.now)
        tail = (detail.isEmpty ? "" : " " + detail) + (look.summary.isStale ? "!" : "")
        week = state.weekOutcomes[Target(pipeline: pipeline, stage: stage.index)]?.successRate.map { "7d " + HistoryPane.percent($0) } ?? ""
        if look.isPending || look.state == nil {
            style = .muted
        } else if look.isPrevious {
            style = Style(look.state?.role ?? .muted, dim: true)
        } else {
            style = Style(look.state?.role ?? .muted, bold: isRunning)
        }
    }
}

extension StageLook {
    /// The word after a stage's glyph, as the stage strip shows it: `pending`, `2h ago` (an
    /// earlier run), the progress while building, how long a finished job (or the run status's
    /// stage) ran; empty for a waiting job or a stage with nothing known.
    func detail(now: Date) -> String {
        if isPending { return "pending" }
        if let age = previousAge(now: now) { return "\(age) ago" }
        if !isFromStatus, let job = summary.current {
            if job.state.isFinal { return Format.duration(job.duration) }
            return job.state == .building ? Format.percent(summary.progress) : ""
        }
        return statusDuration.map { Format.duration($0) } ?? ""
    }
}

/// The run of a pipeline as the overview's RUN and AGE columns show it: its state, how long it
/// has run (while it goes) or ran (once it ended), and when it ended (as GitLab's pipeline list
/// says `finished 2h ago`: an old outcome never reads like a fresh one).
struct RunSummary: Equatable {
    var state: JobState
    /// Seconds; nil when unknown.
    var duration: Int?
    /// nil while the run goes, or when unknown.
    var ended: Date?

    /// RUN: `● 2m10s`, `✗ 5m03s`.
    func runText(_ glyphs: Glyphs) -> String { glyphs.state(state) + " " + Format.duration(duration) }

    /// AGE: how long ago the run ended (`2h`); empty while it goes.
    func ageText(now: Date) -> String { ended.map { Format.age($0, now: now) } ?? "" }
}

extension RunView {
    /// The run in figures, from the same sources as `text(now:)`: the run status when it is
    /// about this run and agrees with the jobs, else the jobs (the run's start to now while it
    /// goes, to the end of its last reached stage's job once it has ended). `nil` when nothing
    /// is known.
    func summary(now: Date) -> RunSummary? {
        func fromStatus(_ status: PipelineStatus) -> RunSummary {
            let state = RunPosition.jobState(ofStatus: status.status.lowercased())
            let end = state.isFinal ? status.endTime : now
            let duration = status.startTime.flatMap { start in end.flatMap { Checked.seconds(from: start, to: $0) } }
            return RunSummary(state: state, duration: duration, ended: state.isFinal ? status.endTime ?? status.startTime : nil)
        }
        if let status, statusIsCurrent, (RunPosition.runningStage(status) != nil) == isGoing {
            return fromStatus(status)
        }
        if isGoing, let start = runStart {
            return RunSummary(state: .building, duration: Checked.seconds(from: start, to: now), ended: nil)
        }
        if let last = lastReachedPosition, let job = looks[last].summary.current, job.state.isFinal {
            let ended = job.createdAt.map { created in job.duration.map { created.addingTimeInterval(TimeInterval(max(0, $0))) } ?? created }
            let start = runStart ?? job.createdAt
            let duration = start.flatMap { start in ended.flatMap { Checked.seconds(from: start, to: $0) } } ?? job.duration
            return RunSummary(state: job.state, duration: duration, ended: ended)
        }
        return status.map(fromStatus)
    }
}
