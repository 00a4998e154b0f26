import Testing
@testable import SWRAPI

/// The same answer again is not decoded again; any other byte is.
@Suite struct JobsMemoTests {
    static func body(progress: Int, id: Int = 7) -> [UInt8] {
        Array(#"[{"id":"\#(id)","status":"RUNNING","progress":\#(progress),"created_at":"2018-05-03T10:00:00Z"}]"#.utf8)
    }

    @Test func theSameBytesGiveTheSameJobsWithoutDecodingAgain() throws {
        let memo = JobsMemo()
        let first = try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0)
        let again = try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0)
        #expect(again == first)
        #expect(first.first?.progress == 40)
        #expect(memo.decoded == 1)
    }

    @Test func anyOtherByteIsDecoded() throws {
        let memo = JobsMemo()
        _ = try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0)
        // The same length, one digit moved.
        let moved = try memo.decode(Self.body(progress: 41), pipeline: 1, stage: 0)
        #expect(moved.first?.progress == 41)
        // Another stage's answer is its own, even with the same bytes.
        _ = try memo.decode(Self.body(progress: 41), pipeline: 1, stage: 1)
        #expect(memo.decoded == 3)
        // Back to the first bytes: decoded again (only the last answer is kept).
        #expect(try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0).first?.progress == 40)
        #expect(memo.decoded == 4)
    }

    @Test func aBadAnswerAfterAGoodOneIsAnError() throws {
        let memo = JobsMemo()
        _ = try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0)
        #expect(throws: SWRError.self) { try memo.decode(Array("{oops".utf8), pipeline: 1, stage: 0) }
        #expect(try memo.decode(Self.body(progress: 40), pipeline: 1, stage: 0).first?.progress == 40)
    }

    @Test func itNeverKeepsMoreThanItsBound() throws {
        let memo = JobsMemo()
        for stage in 0..<(JobsMemo.maxEntries + 10) {
            _ = try memo.decode(Self.body(progress: 1), pipeline: 1, stage: stage)
        }
        #expect(memo.count <= JobsMemo.maxEntries)
        #expect(memo.count == 10, "started again empty once full")
    }
}
