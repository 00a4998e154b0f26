/// A progress bar in eighth blocks (`█▉▊▋▌▍▎▏`) or ASCII (`[#####-----]`).
public enum ProgressBar {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The bar for `progress` (clamped to 0...100; `nil` is unknown) in exactly `width` columns.
    public static func render(_ progress: Int?, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else { return "" }
        guard let raw = progress else {
            return glyphs.isUnicode ? String(repeating: "┄", count: width)
                : (width >= 2 ? "[" + String(repeating: "?", count: width - 2) + "]" : String(repeating: "?", count: width))
        }
        let value = min(100, max(0, raw))
        if glyphs.isUnicode {
            let totalEighths = value * width * 8 / 100
            let full = totalEighths / 8
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
        let filled = value * inner / 100
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: inner - filled) + "]"
    }
}

/// A sparkline of recent values (`▁▂▃▄▅▆▇█`, or ASCII `_.-=+*#`), oldest first.
public enum Sparkline {
    public static func render(_ values: [Int], width: Int, glyphs: Glyphs) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        let ticks = glyphs.isUnicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "=", "+", "*", "#", "#"]
        let shown = values.suffix(width)
        let low = shown.min() ?? 0
        let high = shown.max() ?? 0
        return shown.map { value in
            let level = high == low ? 3 : (value - low) * 7 / (high - low)
            return ticks[min(7, max(0, level))]
        }.joined()
    }
}
