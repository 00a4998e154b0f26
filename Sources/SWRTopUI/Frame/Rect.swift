import SWRAPI
import SWRWatch

/// A rectangle of cells on the screen.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// The column after the rectangle (stops at `Int.max` for a rectangle at the far edge).
    public var maxX: Int { Checked.add(x, width) }
    /// The row after the rectangle (stops at `Int.max`).
    public var maxY: Int { Checked.add(y, height) }

    /// Whether the cell at (x, y) is inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The rectangle shrunk by `n` on every side.
    public func inset(_ n: Int) -> Rect {
        Rect(x: Checked.add(x, n), y: Checked.add(y, n), width: Checked.sub(width, Checked.mul(2, n)), height: Checked.sub(height, Checked.mul(2, n)))
    }

    /// Splits off the top `rows` rows.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let top = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: Checked.add(y, top), width: width, height: height - top))
    }

    /// Splits off the bottom `rows` rows.
    public func splitBottom(_ rows: Int) -> (Rect, Rect) {
        let bottom = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: height - bottom), Rect(x: x, y: Checked.add(y, height - bottom), width: width, height: bottom))
    }

    /// Splits off the left `columns` columns.
    public func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let left = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: left, height: height), Rect(x: Checked.add(x, left), y: y, width: width - left, height: height))
    }
}
