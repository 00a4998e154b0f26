import SWRAPI
import SWRWatch

/// One cell of the screen: a grapheme, the columns it takes and its style. The second column of
/// a wide grapheme is a continuation cell with empty text and width 0.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(_ text: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    public var isContinuation: Bool { width == 0 }
}

/// A full screen of cells: what `view` produces and the backend draws. Writing never goes past
/// the frame or the rectangle asked for, and a wide grapheme that does not fit is not split.
/// Every cell's text is safe for a terminal: server text is sanitised (`DisplayWidth.sanitized`)
/// on its way in, whatever path it takes through `put`.
public struct Frame: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// What the rectangles drawn stand for (`mark`, `hit`): the screen's clickable parts.
    public internal(set) var regions: [HitRegion] = []

    /// The most scalars one cell keeps (a grapheme with hundreds of combining marks keeps its
    /// first ones): enough for any emoji sequence, and a cell stays small to draw.
    static let maxScalarsPerCell = 32

    /// Each ASCII scalar as a one-scalar string, made once: the fast path of `put` copies them
    /// instead of building a string per cell.
    static let asciiText: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// A frame of blank cells; each side is clamped to `0...Checked.maxColumns`.
    public init(width: Int, height: Int) {
        self.width = Checked.count(width)
        self.height = Checked.count(height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), clipped to `limit` columns (and the frame); cuts with `…` when
    /// `ellipsis` is set. Returns the columns written.
    @discardableResult
    public mutating func put(_ whole: String, x: Int, y: Int, limit: Int? = nil, style: Style = .plain, ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        // Columns left of the frame are counted but not drawn: start at most a frame's width
        // to the left, so the column arithmetic below stays small.
        guard x > -Checked.maxColumns else { return 0 }
        let available = min(limit ?? (width - x), width - x)
        guard available > 0 else { return 0 }
        // Only the first scalars of a long text can show: cut it before it is measured and
        // sanitised, so a 100k-character server string costs what the columns shown cost.
        var text = whole
        let budget = DisplayWidth.scalarBudget(columns: available)
        if whole.utf8.count > budget {
            let head = whole.unicodeScalars.prefix(budget)
            if head.endIndex < whole.unicodeScalars.endIndex {
                text = String(String.UnicodeScalarView(head)) + (ellipsis ? "…" : "")
            }
        }
        if DisplayWidth.isPrintableASCII(text) {
            // Fast path: one column per scalar (ASCII, plus the one-column `…` of a cut), nothing
            // to sanitize.
            let fitted = ellipsis ? DisplayWidth.truncate(text, to: available) : text
            var column = x
            for scalar in fitted.unicodeScalars {
                if column >= x + available { break }
                if column >= 0 {
                    clearWide(at: column, y: y)
                    self[column, y] = Cell(scalar.isASCII ? Self.asciiText[Int(scalar.value)] : String(scalar), width: 1, style: style)
                }
                column += 1
            }
            return column - x
        }
        if DisplayWidth.simpleColumns(text) != nil {
            // Every scalar is a grapheme of its own with a known width: no grapheme breaking.
            let fitted = ellipsis ? DisplayWidth.truncate(text, to: available) : text
            var column = x
            for scalar in fitted.unicodeScalars {
                let w = DisplayWidth.simpleWidth(scalar)
                if column + w > x + available { break }
                if column >= 0 { place(String(scalar), width: w, column: column, y: y, style: style) }
                column += w
            }
            return column - x
        }
        let clean = DisplayWidth.sanitized(text)
        let fitted = ellipsis ? DisplayWidth.truncate(clean, to: available) : clean
        var column = x
        for character in fitted {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column + w > x + available { break }
            if column >= 0 { place(String(character), width: w, column: column, y: y, style: style) }
            column += w
        }
        return column - x
    }

    /// Writes one grapheme of width 1 or 2 (a wide one with its continuation cell).
    private mutating func place(_ text: String, width w: Int, column: Int, y: Int, style: Style) {
        clearWide(at: column, y: y)
        var text = text
        if text.utf8.count > Self.maxScalarsPerCell, text.unicodeScalars.count > Self.maxScalarsPerCell {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(Self.maxScalarsPerCell)))
        }
        self[column, y] = Cell(text, width: UInt8(w), style: style)
        if w == 2 {
            clearWide(at: column + 1, y: y)
            self[column + 1, y] = Cell("", width: 0, style: style)
        }
    }

    /// Keeps wide graphemes whole when one half is overwritten.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let cell = self[x, y]
        if cell.isContinuation, x > 0 { self[x - 1, y] = Cell(" ", style: self[x - 1, y].style) }
        if cell.width == 2, x + 1 < width { self[x + 1, y] = Cell(" ", style: cell.style) }
    }

    /// Fills a rectangle with spaces in `style`. A wide glyph that straddles the rectangle's left
    /// or right edge is blanked whole, so no half of it stays beside the filled area.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            clearWide(at: r.x, y: y)
            clearWide(at: r.maxX - 1, y: y)
            for x in r.x..<r.maxX { self[x, y] = Cell(" ", style: style) }
        }
    }

    /// Changes the style of every cell in a rectangle, keeping its text.
    public mutating func restyle(_ rect: Rect, _ change: (Style) -> Style) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { self[x, y].style = change(self[x, y].style) }
        }
    }

    public func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// The screen as plain text, one string per row (wide graphemes once).
    public var lines: [String] {
        (0..<height).map { line($0) }
    }

    public func line(_ y: Int) -> String {
        var out = ""
        for x in 0..<width where !self[x, y].isContinuation { out += self[x, y].text }
        return out
    }

    /// The screen as text with style marks, for golden tests of colour: each run of cells with a
    /// non-plain style is wrapped as `{role:text}` (`*` after the role for bold, `!` for reverse).
    public var styledLines: [String] {
        (0..<height).map { y in
            var out = ""
            var current: Style = .plain
            var open = false
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                if cell.style != current {
                    if open { out += "}" }
                    open = cell.style != .plain
                    if open {
                        out += "{\(cell.style.role)" + (cell.style.bold ? "*" : "") + (cell.style.reverse ? "!" : "") + (cell.style.dim ? "~" : "") + ":"
                    }
                    current = cell.style
                }
                out += cell.text
            }
            if open { out += "}" }
            return out
        }
    }

    /// The positions where `other` differs from this frame (what a backend must redraw).
    public func changedCells(from other: Frame?) -> [(x: Int, y: Int)] {
        changedCells(from: other, rows: 0..<height)
    }

    /// The positions where `other` differs from this frame in `rows`, for a caller that knows
    /// no other row can differ (see `ScreenRenderer.writtenRows`); every position when `other`
    /// is missing or of another size.
    public func changedCells(from other: Frame?, rows: some Sequence<Int>) -> [(x: Int, y: Int)] {
        guard let other, other.width == width, other.height == height else {
            return (0..<height).flatMap { y in (0..<width).map { (x: $0, y: y) } }
        }
        var changed: [(x: Int, y: Int)] = []
        for y in rows where y >= 0 && y < height {
            for index in (y * width)..<((y + 1) * width) where cells[index] != other.cells[index] {
                changed.append((index - y * width, y))
            }
        }
        return changed
    }

    /// Copies `rows` of `other` (a frame of the same size) into this frame, cells only.
    mutating func copyRows(_ rows: some Sequence<Int>, from other: Frame) {
        precondition(other.width == width && other.height == height, "frames of different sizes")
        for y in rows where y >= 0 && y < height {
            let range = (y * width)..<((y + 1) * width)
            cells.replaceSubrange(range, with: other.cells[range])
        }
    }
}
