/// What a rectangle of the screen stands for, so that a click can be mapped to an action
/// (`update` with `.mouse`). `view` marks these as it draws; the last one drawn over a cell wins.
public enum HitTarget: Sendable, Equatable {
    /// A stage of the focused pipeline (its position in the pipeline's stages).
    case stage(Int)
    /// A row of the jobs list (the job's id).
    case job(String)
    /// A column title of the jobs list: sorts by it where it can.
    case column(String)
    /// The jobs pane as a whole (the wheel scrolls it).
    case jobsPane
    /// The detail pane (the wheel scrolls its timeline).
    case detailPane
    /// The log pane (the wheel scrolls the log).
    case logPane
    /// A row of the overview (the pipeline's position).
    case overviewPipeline(Int)
    /// A cell of the overview: the pipeline's position and the stage's position in it.
    case overviewCell(pipeline: Int, stage: Int)
    /// The overview as a whole (the wheel moves its selection).
    case overview
    /// A row of the picker's list (its position in the shown rows).
    case pickerRow(Int)
    /// The picker as a whole.
    case picker
}

/// One rectangle `view` drew and what it stands for.
public struct HitRegion: Sendable, Equatable {
    public var rect: Rect
    public var target: HitTarget

    public init(_ rect: Rect, _ target: HitTarget) {
        self.rect = rect
        self.target = target
    }
}

extension Frame {
    /// Records that `rect` (clipped to the frame) stands for `target`.
    public mutating func mark(_ rect: Rect, _ target: HitTarget) {
        let clipped = clip(rect)
        guard !clipped.isEmpty else { return }
        regions.append(HitRegion(clipped, target))
    }

    /// What the cell at (x, y) stands for: the region drawn last over it, if any.
    public func hit(x: Int, y: Int) -> HitTarget? {
        regions.last { $0.rect.contains(x: x, y: y) }?.target
    }

    /// Every target under (x, y), the one drawn last first (a row, then the pane it is in).
    public func hits(x: Int, y: Int) -> [HitTarget] {
        regions.reversed().filter { $0.rect.contains(x: x, y: y) }.map(\.target)
    }
}
