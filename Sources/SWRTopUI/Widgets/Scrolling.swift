import SWRAPI
import SWRWatch

/// The scroll math of a list that keeps its selection visible.
public enum Scrolling {
    /// The first visible row so that `selection` shows in a window of `height` rows: always in
    /// `0...max(0, count - height)`, for any `Int`s.
    public static func offset(selection: Int, count: Int, height: Int, current: Int) -> Int {
        guard height > 0, count > 0 else { return 0 }
        let last = max(0, count - height)
        var top = Checked.clamp(current, last)
        if selection < top { top = selection }
        if selection >= Checked.add(top, height) { top = Checked.add(Checked.sub(selection, height), 1) }
        return Checked.clamp(top, last)
    }
}
