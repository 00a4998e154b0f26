import SWRAPI
import SWRWatch

/// Word wrapping for prose in panes (the refused-token banner): lines of at most `width`
/// columns, broken at spaces; a word wider than a line is cut with `…`.
public enum Wrap {
    /// The wrapped lines of `text` (at most `maxLines`; the last one ends with `…` when cut).
    public static func lines(_ text: String, width requested: Int, maxLines: Int = 12) -> [String] {
        let width = Checked.count(requested)
        guard width > 0, maxLines > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var piece = String(word)
            var pieceWidth = DisplayWidth.of(piece, upTo: width + 1)
            if pieceWidth > width {
                piece = DisplayWidth.truncate(piece, to: width)
                pieceWidth = DisplayWidth.of(piece)
            }
            if lineWidth > 0, lineWidth + 1 + pieceWidth > width {
                lines.append(line)
                line = ""
                lineWidth = 0
                if lines.count == maxLines { break }
            }
            if lineWidth > 0 {
                line += " "
                lineWidth += 1
            }
            line += piece
            lineWidth += pieceWidth
        }
        if lines.count < maxLines, lineWidth > 0 {
            lines.append(line)
        } else if lines.count == maxLines, lineWidth > 0, let last = lines.last {
            lines[lines.count - 1] = DisplayWidth.truncate(last + " " + line, to: width)
        }
        return lines
    }
}
