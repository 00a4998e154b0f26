import SWRAPI
import SWRWatch

/// A progress bar in eighth blocks (`█▉▊▋▌▍▎▏`) or ASCII (`[#####-----]`).
public enum ProgressBar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The bar for `progress` (clamped to 0...100; `nil` is unknown) in exactly `width` columns
    /// (at most `Checked.maxColumns`; none for a width below 1).
    public static func render(_ progress: Int?, width requested: Int, glyphs: Glyphs) -> String {
        let width = Checked.count(requested)
        guard width > 0 else { return "" }
        guard let raw = progress else {
            return glyphs.isUnicode ? String(repeating: "┄", count: width)
                : (width >= 2 ? "[" + String(repeating: "?", count: width - 2) + "]" : String(repeating: "?", count: width))
        }
        // value ≤ 100 and width ≤ maxColumns: the products below stay far inside Int.
        let value = min(100, max(0, raw))
        if glyphs.isUnicode {
            let totalEighths = value * width * 8 / 100
            let full = min(width, totalEighths / 8)
            let part = totalEighths % 8
            var bar = String(repeating: "█", count: full)
            if full < width {
                bar += eighths[part].isEmpty ? "░" : eighths[part]
                bar += String(repeating: "░", count: width - full - 1)
            }
            return bar
        }
        guard width >= 3 else { return String(repeating: value >= 50 ? "#" : "-", count: width) }
        let inner = width - 2
        let filled = min(inner, value * inner / 100)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: inner - filled) + "]"
    }
}

/// A sparkline of recent values (`▁▂▃▄▅▆▇█`, or ASCII `_.-=+*#`), oldest first.
public enum Sparkline {
    /// One tick per value (the newest `width`), scaled between the lowest and highest shown;
    /// any `Int`s, even `Int.min` next to `Int.max`.
    public static func render(_ values: [Int], width: Int, glyphs: Glyphs) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        let ticks = glyphs.isUnicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "=", "+", "*", "#", "#"]
        let shown = values.suffix(min(width, Checked.maxColumns))
        let low = shown.min() ?? 0
        let high = shown.max() ?? 0
        // Differences from `low` fit a UInt for any Ints (high - low may not fit an Int).
        let span = UInt(bitPattern: high &- low)
        return shown.map { value in
            guard span > 0 else { return ticks[3] }
            let offset = UInt(bitPattern: value &- low)
            // Whole numbers while offset * 7 fits (every real duration); a ratio beyond that.
            let level = span <= UInt.max / 8 ? Int(offset * 7 / span) : Checked.int(Double(offset) * 7 / Double(span), in: 0...7) ?? 3
            return ticks[min(7, max(0, level))]
        }.joined()
    }
}
