import DequeModule

/// A first-in-first-out buffer that keeps at most `capacity` elements, dropping the oldest.
public struct Ring<Element: Sendable>: Sendable {
    public let capacity: Int
    public private(set) var elements: Deque<Element> = []

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public mutating func append(_ element: Element) {
        if elements.count == capacity {
            elements.removeFirst()
        }
        elements.append(element)
    }

    public var count: Int { elements.count }
    public var last: Element? { elements.last }
    public var first: Element? { elements.first }
}
