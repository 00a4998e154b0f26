/// The scroll math of a list that keeps its selection visible.
public enum Scrolling {
    /// The first visible row so that `selection` shows in a window of `height` rows.
    public static func offset(selection: Int, count: Int, height: Int, current: Int) -> Int {
        guard height > 0, count > 0 else { return 0 }
        var top = min(max(0, current), max(0, count - height))
        if selection < top { top = selection }
        if selection >= top + height { top = selection - height + 1 }
        return min(max(0, top), max(0, count - height))
    }
}
