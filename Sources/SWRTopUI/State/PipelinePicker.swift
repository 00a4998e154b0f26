import Foundation
import SWRAPI
import SWRWatch

/// The pipelines picker (`P`): the account's pipelines from the list call, read a page at a
/// time as the user scrolls (or all of them while a filter is typed), filtered as you type.
public struct PipelinePicker: Sendable {
    /// Pipelines asked for per list call.
    public static let pageSize = 20

    public var items: [Pipeline] = []
    /// The offset of the next page to ask for.
    public var nextOffset = 0
    /// The total the service reported, if it did.
    public var total: Int?
    /// Whether the last page said there are no more.
    public var isComplete = false
    public var isLoading = false
    public var error: SWRError?
    public var filter = ""
    /// The selected row of `shown`.
    public var selection = 0
    public var scroll = 0
    /// Rows the list showed in the last layout (for paging and loading ahead).
    public var rows = 10

    public init() {}

    /// The loaded pipelines that match the filter (name, group or id).
    public var shown: [Pipeline] {
        guard !filter.isEmpty else { return items }
        let needle = filter.lowercased()
        return items.filter { pipeline in
            pipeline.name.lowercased().contains(needle) || (pipeline.groupName?.lowercased().contains(needle) ?? false)
                || String(pipeline.id).contains(needle)
        }
    }

    var selected: Pipeline? {
        let list = shown
        return list.indices.contains(selection) ? list[selection] : nil
    }

    /// The next page to ask for, if one is needed now: when the selection nears the end of what
    /// is loaded, or while a filter is typed (so it sees every pipeline). Marks it loading.
    mutating func pageToLoad() -> Effect? {
        guard !isComplete, !isLoading, error == nil else { return nil }
        guard !filter.isEmpty || Checked.sub(shown.count, selection) <= max(3, rows / 2) else { return nil }
        isLoading = true
        return .loadPipelines(offset: nextOffset)
    }

    /// Adds a page; returns the next page to load, if needed.
    mutating func receive(_ outcome: Result<PipelinePage, SWRError>) -> Effect? {
        isLoading = false
        switch outcome {
        case .success(let page):
            guard page.offset == nextOffset else { return pageToLoad() }
            let known = Set(items.map(\.id))
            items += page.pipelines.filter { !known.contains($0.id) }
            nextOffset = Checked.add(nextOffset, page.count)
            total = page.total ?? total
            if page.count == 0 || page.count < Self.pageSize || total.map({ nextOffset >= $0 }) == true { isComplete = true }
            error = nil
        case .failure(let failure):
            error = failure
        }
        return pageToLoad()
    }

    mutating func move(to row: Int) {
        let count = shown.count
        selection = count == 0 ? 0 : min(max(0, row), count - 1)
        scroll = Scrolling.offset(selection: selection, count: count, height: rows, current: scroll)
    }

    /// What a key does in the picker.
    enum Outcome {
        case stay([Effect])
        case close
        case choose(Pipeline)
        case quit
    }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .close
        case .ctrlC: return .quit
        case .enter: return selected.map(Outcome.choose) ?? .stay([])
        case .up: move(to: Checked.sub(selection, 1))
        case .down: move(to: Checked.add(selection, 1))
        case .pageUp: move(to: Checked.sub(selection, max(1, Checked.sub(rows, 1))))
        case .pageDown: move(to: Checked.add(selection, max(1, Checked.sub(rows, 1))))
        case .home: move(to: 0)
        case .end: move(to: Int.max)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
            move(to: 0)
        case .char(let c):
            filter.append(c)
            move(to: 0)
        case .tab, .backTab, .left, .right: break
        }
        // A failed page is asked for again when the user moves on.
        if error != nil, key == .down || key == .pageDown || key == .end { error = nil }
        return .stay(pageToLoad().map { [$0] } ?? [])
    }
}
