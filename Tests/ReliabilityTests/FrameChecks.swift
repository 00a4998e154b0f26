import SWRAPI
import Testing
@testable import SWRTopUI

/// What the backend relies on to put every cell where the frame says, checked on a whole frame
/// (its size is `Frame.init`'s business and needs no check): each cell takes the columns it
/// declares, so every row is exactly the frame's width on a terminal.
/// - a cell of width 1 or 2 holds text of that display width;
/// - a wide cell is followed, on its row, by its continuation (width 0, no text), and a
///   continuation follows a wide cell: no half of a wide glyph is left when a widget writes a
///   cell over the other half, and none hangs past the right edge.
/// With `safety`, also that no cell holds a scalar `SafeText` calls unsafe (one pass for both).
/// Returns the first half-wide glyph (see `expectNoHalfWideGlyph`) and the first other
/// problem (the scan stops there), each with the cells around it.
func frameProblems(_ frame: Frame, safety: Bool = false) -> (halfWide: String?, other: String?) {
    var halfWide: String?
    let cells = frame.cells
    let width = frame.width
    // Most cells repeat a few texts (borders, bars, glyphs): measure each text once.
    var widths: [String: Int] = [:]
    func describe(_ x: Int, _ y: Int, _ what: String) -> String {
        let around = (max(0, x - 3)...min(width - 1, x + 3)).map { "\($0):\(scalars(cells[y * width + $0].text))w\(cells[y * width + $0].width)" }
        return "row \(y) column \(x): \(what)\n  cells \(around.joined(separator: " "))\n  row \"\(frame.line(y))\""
    }
    for y in 0..<frame.height {
        for x in 0..<width {
            let cell = cells[y * width + x]
            let text = cell.text
            if cell.width == 1, text.utf8.count == 1 {
                // One byte: printable ASCII (most cells) is one safe column; anything else is not.
                guard let byte = text.utf8.first, byte >= 0x20, byte < 0x7F else {
                    return (halfWide, describe(x, y, "\(scalars(text)) in a one-column cell"))
                }
                continue
            }
            if safety, text.unicodeScalars.contains(where: SafeText.isUnsafe) {
                return (halfWide, describe(x, y, "unsafe scalar \(scalars(text))"))
            }
            switch cell.width {
            case 0:
                if x == 0 || cells[y * width + x - 1].width != 2 {
                    halfWide = halfWide ?? describe(x, y, "a continuation without its wide cell")
                }
                guard text.isEmpty else { return (halfWide, describe(x, y, "a continuation holding \(scalars(text))")) }
            case 1, 2:
                let columns = widths[text] ?? DisplayWidth.of(text)
                widths[text] = columns
                guard columns == Int(cell.width) else {
                    return (halfWide, describe(x, y, "\(scalars(text)) is \(columns) columns in a cell of \(cell.width)"))
                }
                if cell.width == 2, x + 1 == width || cells[y * width + x + 1].width != 0 {
                    halfWide = halfWide ?? describe(x, y, "a wide cell without its continuation")
                }
            default:
                return (halfWide, describe(x, y, "a cell of width \(cell.width)"))
            }
        }
    }
    return (halfWide, nil)
}

private func scalars(_ text: String) -> String {
    "[" + text.unicodeScalars.prefix(8).map { String($0.value, radix: 16) }.joined(separator: " ") + (text.unicodeScalars.count > 8 ? " …" : "") + "]"
}

/// Fails with the first half of a wide glyph (CJK, emoji) a test met: a wide cell whose
/// continuation was overwritten, or a continuation whose wide cell is gone. The overlays fill
/// their rectangle before drawing it; `Frame.fill` blanks a wide glyph that straddles the edge
/// whole (it once left half of it, and the glyph and the border fought for one column).
func expectNoHalfWideGlyph(_ first: String?) {
    if let first { Issue.record("half of a wide glyph: \(first)") }
}
