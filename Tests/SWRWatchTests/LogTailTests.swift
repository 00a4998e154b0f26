import Foundation
import Testing
import SWRAPI
import SWRSimulator
@testable import SWRWatch

@Suite struct LogTailTests {
    func line(_ n: Int, _ kind: JobLog.Line.Kind = .content) -> JobLog.Line {
        JobLog.Line(kind: kind, message: "line \(n)", time: Date(timeIntervalSince1970: Double(n)))
    }

    func log(_ numbers: ClosedRange<Int>, state: JobState = .building) -> JobLog {
        JobLog(job: Job(id: "7", state: state), lines: numbers.map { line($0) })
    }

    @Test func followingAppendsOnlyNewLines() {
        var tail = LogTail()
        #expect(tail.merge(log(1...3)) == 3)
        #expect(tail.merge(log(1...3)) == 0)
        #expect(tail.merge(log(1...5)) == 2)
        #expect(tail.lines == (1...5).map { line($0) })
        #expect(tail.answers == 3)
    }

    @Test func aSlidingWindowAppendsWhatFollowsTheOverlap() {
        // The service keeps the newest entries only: the next answer starts later.
        var tail = LogTail()
        tail.merge(log(1...20))
        #expect(tail.merge(log(15...24)) == 4)
        #expect(tail.lines == (1...24).map { line($0) })
        #expect(tail.merge(log(24...26)) == 2)
        #expect(tail.lines.count == 26)
    }

    @Test func aWindowThatSlidPastEverythingHeldSaysLinesWereLost() {
        var tail = LogTail()
        tail.merge(log(1...5))
        #expect(tail.merge(log(9...10)) == 3)
        #expect(tail.lines[5].kind == .note)
        #expect(Array(tail.lines.suffix(2)) == [line(9), line(10)])
    }

    @Test func repeatedLinesAreMatchedByTheirNeighbours() {
        // "replica ready" twice at the same moment: the anchor is the last three lines, not one.
        let same = JobLog.Line(kind: .content, message: "replica ready", time: Date(timeIntervalSince1970: 5))
        var tail = LogTail()
        tail.merge(JobLog(job: nil, lines: [line(1), same]))
        #expect(tail.merge(JobLog(job: nil, lines: [line(1), same, same, line(3)])) == 2)
        #expect(tail.lines == [line(1), same, same, line(3)])
        #expect(tail.merge(JobLog(job: nil, lines: [line(1), same, same, line(3)])) == 0)
    }

    @Test func aRawEntryThatGrowsIsReplacedNotRepeated() {
        let t = Date(timeIntervalSince1970: 9)
        var tail = LogTail()
        tail.merge(JobLog(job: nil, lines: [line(1), JobLog.Line(kind: .raw, message: "[{\"Ty", time: t)], undecodedEntries: 1))
        let grown = JobLog.Line(kind: .raw, message: "[{\"Type\":\"content\",", time: t)
        #expect(tail.merge(JobLog(job: nil, lines: [line(1), grown, line(12)], undecodedEntries: 1)) == 1)
        #expect(tail.lines == [line(1), grown, line(12)])
    }

    @Test func theJobAndUndecodedCountFollowTheLatestAnswer() {
        var tail = LogTail()
        tail.merge(JobLog(job: Job(id: "7", state: .building), lines: [line(1)], undecodedEntries: 1))
        tail.merge(JobLog(job: Job(id: "7", state: .successful), lines: [line(1), line(2)], undecodedEntries: 0))
        #expect(tail.job?.state == .successful)
        #expect(tail.undecodedEntries == 0)
    }

    @Test func theNumberOfLinesHeldIsBounded() {
        var tail = LogTail()
        for start in stride(from: 1, through: 6_000, by: 100) { tail.merge(log(start...(start + 119))) }
        #expect(tail.lines.count == LogTail.maxLines)
        #expect(tail.lines.last == line(6_020))
    }

    @Test func followingTheSimulatorAppendsEachLineOnce() throws {
        var options = SimulatorOptions()
        options.faults = try FaultPlan.parse("bad-log=0.2")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let clock = ManualWatchClock(start: start)
        let service = SimService(options: options, now: { clock.now() })
        let pipeline = service.world.pipelines[0]
        let n = service.world.currentRunNumber(pipeline, at: start) + 1
        let plan = service.world.run(pipeline, n).stages[1]
        clock.advance(by: plan.buildsAt.timeIntervalSince(start))
        let id = SimJob.makeID(pipeline: pipeline.id, run: n, stage: 1)
        var tail = LogTail()
        var steps = 0
        while tail.job?.state.isFinal != true, steps < 500 {
            let response = service.handle(SimRequest(method: "GET", uri: "/v3/manage/pipelines/\(pipeline.id)/stages/1/jobs/\(id)/logs",
                                                     headers: ["x-auth-token": options.token], body: []))
            guard case .reply(_, _, let body) = response else { Issue.record("no reply"); return }
            tail.merge(try JobLog.decode(body))
            clock.advance(by: 3)
            steps += 1
        }
        let response = service.handle(SimRequest(method: "GET", uri: "/v3/manage/pipelines/\(pipeline.id)/stages/1/jobs/\(id)/logs",
                                                 headers: ["x-auth-token": options.token], body: []))
        guard case .reply(_, _, let body) = response else { return }
        let whole = try JobLog.decode(body)
        #expect(tail.job?.state.isFinal == true)
        #expect(tail.answers > 5)
        #expect(tail.lines == whole.lines)
    }
}
