/// The body of the `huge` fault: a JSON array of one element repeated until the body passes a
/// size, produced in chunks of about 64 KiB so it is never held whole.
public struct HugeBody: Sendable, Sequence {
    public let element: [UInt8]
    /// How many times `element` is repeated.
    public let count: Int
    /// Sent with a `Content-Length` (else chunked, so a client must count as it reads).
    public let declaresLength: Bool
    /// `,element` repeated, the unit of writing.
    private let block: [UInt8]
    private let elementsPerBlock: Int

    public init(element: [UInt8], targetBytes: Int, declaresLength: Bool) {
        let element = element.isEmpty ? Array("{}".utf8) : element
        self.element = element
        self.declaresLength = declaresLength
        let stride = element.count + 1
        count = Swift.max(1, (Swift.max(0, targetBytes - 1) + stride - 1) / stride)
        elementsPerBlock = Swift.max(1, 65_536 / stride)
        block = ([UInt8(ascii: ",")] + element).cycled(times: elementsPerBlock)
    }

    /// The exact length of the body.
    public var byteCount: Int { 2 + count * element.count + (count - 1) }

    public func makeIterator() -> Iterator { Iterator(body: self) }

    /// Yields `[element`, then blocks of `,element`, then `]`.
    public struct Iterator: IteratorProtocol {
        let body: HugeBody
        var written = 0
        var closed = false

        public mutating func next() -> [UInt8]? {
            if written == 0 {
                written = 1
                return [UInt8(ascii: "[")] + body.element
            }
            if written < body.count {
                let n = Swift.min(body.elementsPerBlock, body.count - written)
                written += n
                return n == body.elementsPerBlock ? body.block : Array(body.block.prefix(n * (body.element.count + 1)))
            }
            if closed { return nil }
            closed = true
            return [UInt8(ascii: "]")]
        }
    }
}

extension Sequence {
    /// The elements of this sequence, `times` times over.
    fileprivate func cycled(times: Int) -> [Element] {
        let once = Array(self)
        var out: [Element] = []
        out.reserveCapacity(once.count * times)
        for _ in 0..<times { out.append(contentsOf: once) }
        return out
    }
}
