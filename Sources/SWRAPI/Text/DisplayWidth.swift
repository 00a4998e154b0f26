
/// Terminal column widths of text, the way terminals (wcwidth) count them: East Asian wide and
/// fullwidth characters and emoji take two columns, combining marks none. Control characters are
/// never passed to the terminal: `sanitized` turns them into `?`.
public enum DisplayWidth {
    /// Columns taken by one grapheme (0, 1 or 2).
    public static func of(_ character: Character) -> Int {
        if character.isASCII { return 1 }  // control characters are sanitised to `?` before drawing
        var width = 0
        for scalar in character.unicodeScalars {
            let w = of(scalar)
            if w == 2 { return 2 }
            width = max(width, w)
            // A variation selector 16 asks for emoji presentation: two columns.
            if scalar.value == 0xFE0F, character.unicodeScalars.count > 1 { return 2 }
        }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0xFE00...0xFE0F).contains(v) { return 0 }
        if isWide(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// The width of each scalar of the Basic Multilingual Plane, computed once (a few ms at the
    /// first frame): 1 or 2 for a scalar that is always a grapheme of its own, `joins` for one
    /// that can merge with its neighbours (marks, joiners, variation selectors, Hangul jamo,
    /// prepend characters) or must be sanitised (controls), which take the grapheme path.
    static let joins: UInt8 = 3
    static let bmpWidths: [UInt8] = (0..<0x10000).map { (v: UInt32) -> UInt8 in
        guard let scalar = Unicode.Scalar(v) else { return joins }
        if isControl(scalar) { return joins }
        if v < 0x300 { return 1 }
        if (0x1100...0x11FF).contains(v) || (0xA960...0xA97F).contains(v) || (0xD7B0...0xD7FF).contains(v) || v == 0x0D4E {
            return joins
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .lineSeparator, .paragraphSeparator, .surrogate:
            return joins
        default:
            let width = of(scalar)
            return width == 0 ? joins : UInt8(width)
        }
    }

    /// Columns of `text` when every scalar in it is a one- or two-column grapheme of its own
    /// (box drawing, blocks, arrows, CJK, most symbols); `nil` when it needs grapheme breaking.
    public static func simpleColumns(_ text: String) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            guard scalar.value < 0x10000 else { return nil }
            let w = bmpWidths[Int(scalar.value)]
            if w == joins { return nil }
            total += Int(w)
        }
        return total
    }

    /// The width of a scalar that `simpleColumns` accepted.
    @inline(__always)
    public static func simpleWidth(_ scalar: Unicode.Scalar) -> Int { Int(bmpWidths[Int(scalar.value)]) }

    /// Whether every byte is printable ASCII (one column each): the fast path for most text.
    public static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Columns taken by a string.
    public static func of(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        if let simple = simpleColumns(text) { return simple }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The scalars of a text worth looking at for `columns` columns: room for many scalars per
    /// column (emoji sequences, combining marks) and never a gigantic number.
    public static func scalarBudget(columns: Int) -> Int { 64 + 16 * Checked.count(columns) }

    /// Columns taken by `text` when they are at most `limit`, else `limit + 1`: the cost is
    /// bounded by `limit` (a text with more than 16 scalars per column counts as too wide).
    public static func of(_ text: String, upTo limit: Int) -> Int {
        let limit = max(0, limit)
        let budget = scalarBudget(columns: limit)
        guard text.utf8.count > budget else { return min(of(text), Checked.add(limit, 1)) }
        return min(of(String(String.UnicodeScalarView(text.unicodeScalars.prefix(budget)))), Checked.add(limit, 1))
    }

    /// The text with control characters (C0, DEL, C1) replaced by `?`, so a server string can
    /// never move the cursor or change the terminal.
    public static func sanitized(_ text: String) -> String {
        SafeText.line(text)
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        SafeText.isUnsafe(scalar)
    }

    /// The text cut to at most `width` columns, ending in `…` when it was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(text) {
            let count = text.utf8.count
            if count <= width { return text }
            return String(text.utf8.prefix(max(0, width - of(ellipsis)))).map { $0 + ellipsis } ?? ""
        }
        let ellipsisWidth = of(ellipsis)
        if let total = simpleColumns(text) {
            if total <= width { return text }
            var out = String.UnicodeScalarView()
            var used = 0
            for scalar in text.unicodeScalars {
                let w = simpleWidth(scalar)
                if used + w > width - ellipsisWidth { break }
                out.append(scalar)
                used += w
            }
            return String(out) + (width >= ellipsisWidth ? ellipsis : "")
        }
        // One pass that stops as soon as the text is known not to fit (a 100k-character
        // string costs what the columns shown cost, not its length).
        var used = 0
        var cut = text.startIndex
        var cutting = true
        var index = text.startIndex
        while index < text.endIndex {
            let w = of(text[index])
            if cutting {
                if used + w <= width - ellipsisWidth { cut = text.index(after: index) } else { cutting = false }
            }
            used += w
            if used > width { return String(text[..<cut]) + (width >= ellipsisWidth ? ellipsis : "") }
            index = text.index(after: index)
        }
        return text
    }

    /// The text without its first `columns` columns (a wide grapheme cut in half goes whole).
    public static func dropColumns(_ text: String, _ columns: Int) -> String {
        guard columns > 0 else { return text }
        if isPrintableASCII(text) { return String(text.utf8.dropFirst(columns)) ?? "" }
        var used = 0
        var index = text.startIndex
        while index < text.endIndex, used < columns {
            used += of(text[index])
            index = text.index(after: index)
        }
        return String(text[index...])
    }

    /// The text padded with spaces (or cut) to exactly `width` columns (padding stops at
    /// `Checked.maxColumns`).
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let gap = Checked.count(width - of(cut))
        return alignRight ? String(repeating: " ", count: gap) + cut : cut + String(repeating: " ", count: gap)
    }
}
