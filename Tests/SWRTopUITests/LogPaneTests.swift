import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch
@testable import SWRTopUI

/// A log answer with `count` numbered lines, phases every 5 lines.
func logAnswer(_ count: Int, state: JobState = .building, from first: Int = 1) -> JobLog {
    let lines = (first..<(first + count)).map { (n: Int) -> JobLog.Line in
        if n % 5 == 1 { return JobLog.Line(kind: .phase, message: "Phase \(n / 5 + 1)", time: at(Double(n))) }
        let message = n == 7 ? "Step 4/9 : RUN mvn -q package" : "line \(n)"
        return JobLog.Line(kind: .content, message: message, time: at(Double(n)))
    }
    return JobLog(job: Job(id: "2211", state: state, progress: 40), lines: lines)
}

/// The fixture with the logs pane open on the building scan job 2211.
func stateWithLog(rows: Int = 5) -> (AppState, JobRef) {
    var state = fixtureState()
    _ = update(&state, .key(.down))  // 2211, the building job
    let effects = update(&state, .key(.char("l")))
    let key = JobRef(target: Target(pipeline: 1024, stage: 1), jobID: "2211")
    #expect(effects == [.followLog(key)])
    _ = update(&state, .resize(width: 100, height: rows + 5))  // the log pane shows `rows` lines
    return (state, key)
}

@Suite struct LogPaneTests {
    @Test func lOpensTheSelectedJobsLogAndEscClosesIt() {
        var (state, key) = stateWithLog()
        #expect(state.logView?.key == key)
        #expect(state.logView?.title == "tomcat-release › scan › #2211")
        #expect(update(&state, .key(.escape)) == [.stopLog])
        #expect(state.logView == nil)
        // Nothing to open without a job.
        _ = update(&state, .key(.right))
        #expect(update(&state, .key(.char("l"))) == [])
        #expect(state.logView == nil)
        #expect(state.notice?.text.contains("no job") == true)
    }

    @Test func followingKeepsTheNewestLineInViewAndAppendsOnlyNewLines() {
        var (state, key) = stateWithLog(rows: 5)
        _ = update(&state, .log(key, .success(logAnswer(8))))
        #expect(state.logView?.lines.count == 8)
        #expect(state.logView?.top == 3)
        _ = update(&state, .log(key, .success(logAnswer(12))))
        #expect(state.logView?.lines.map(\.message) == logAnswer(12).lines.map(\.message))
        #expect(state.logView?.top == 7)
        // Answers for another job (a pane closed and reopened) are ignored.
        _ = update(&state, .log(JobRef(target: key.target, jobID: "1"), .success(logAnswer(30))))
        #expect(state.logView?.lines.count == 12)
    }

    @Test func scrollingUpStopsFollowingAndGResumes() {
        var (state, key) = stateWithLog(rows: 5)
        _ = update(&state, .log(key, .success(logAnswer(12))))
        _ = update(&state, .key(.up))
        #expect(state.logView?.isFollowing == false)
        #expect(state.logView?.top == 6)
        _ = update(&state, .log(key, .success(logAnswer(15))))
        #expect(state.logView?.top == 6)
        #expect(state.logView?.unseen == 3)
        let frame = view(state, width: 100, height: 30)
        #expect(frame.lines.contains { $0.contains("3 new · G to follow") })
        _ = update(&state, .key(.char("G")))
        #expect(state.logView?.isFollowing == true)
        #expect(state.logView?.top == 10)
        #expect(state.logView?.unseen == 0)
        _ = update(&state, .key(.char("g")))
        #expect(state.logView?.top == 0)
        _ = update(&state, .key(.pageDown))
        #expect(state.logView?.top == 4)
        // Scrolling back to the end follows again.
        for _ in 0..<10 { _ = update(&state, .key(.down)) }
        #expect(state.logView?.isFollowing == true)
    }

    @Test func logStatusAndListCallsCountInRequestsPerMinute() {
        var (state, key) = stateWithLog()
        let before = state.store.requestsPerMinute(now: state.now)
        _ = update(&state, .log(key, .success(logAnswer(2))))
        _ = update(&state, .log(JobRef(target: key.target, jobID: "other"), .failure(.timeout)))
        _ = update(&state, .pipelineDetail(id: 1024, .failure(.timeout)))
        _ = update(&state, .pipelinePage(.failure(.timeout)))
        #expect(state.store.requestsPerMinute(now: state.now) == before + 4)
    }

    @Test func theEndedJobsLastAnswerStopsTheReading() {
        var (state, key) = stateWithLog()
        #expect(update(&state, .log(key, .success(logAnswer(4)))) == [])
        #expect(update(&state, .log(key, .success(logAnswer(6, state: .successful)))) == [.stopLog])
        #expect(state.logView?.isFinished == true)
        #expect(update(&state, .log(key, .success(logAnswer(6, state: .successful)))) == [])
    }

    @Test func aFailedReadKeepsTheLinesAndSaysWhy() {
        var (state, key) = stateWithLog()
        _ = update(&state, .log(key, .failure(.server(status: 503, message: nil))))
        var frame = view(state, width: 100, height: 30)
        #expect(frame.lines.contains { $0.contains("could not read the log: server error 503") })
        _ = update(&state, .log(key, .success(logAnswer(3))))
        _ = update(&state, .log(key, .failure(.timeout)))
        frame = view(state, width: 100, height: 30)
        #expect(frame.lines.contains { $0.contains("line 2") })
    }

    @Test func searchFindsHighlightsAndWraps() {
        var (state, key) = stateWithLog(rows: 5)
        _ = update(&state, .log(key, .success(logAnswer(30))))
        _ = update(&state, .key(.char("g")))
        _ = update(&state, .key(.char("/")))
        for c in "LINE 1" { _ = update(&state, .key(.char(c))) }
        // Case-insensitive, found as typed: line 10 (index 9) is the first "line 1…" (8 in all:
        // 10, 12-15, 17-19; 11 and 16 are phases).
        #expect(state.logView?.match == 9)
        _ = update(&state, .key(.enter))
        #expect(state.logView?.isEditingSearch == false)
        // n moves to the next match, N back; both wrap.
        _ = update(&state, .key(.char("n")))
        #expect(state.logView?.match == 11)
        _ = update(&state, .key(.char("N")))
        #expect(state.logView?.match == 9)
        _ = update(&state, .key(.char("N")))
        #expect(state.logView?.match == 18)
        _ = update(&state, .key(.char("n")))
        #expect(state.logView?.match == 9)
        // The match is in view and highlighted: the matched text only, the current one stronger.
        let log = state.logView!
        #expect((log.top..<(log.top + log.rows)).contains(9))
        let frame = view(state, width: 100, height: 12)
        let y = frame.lines.firstIndex { $0.contains("line 10") }!
        let x = frame.lines[y].distance(from: frame.lines[y].startIndex, to: frame.lines[y].range(of: "line 1")!.lowerBound)
        #expect(frame[x, y].style == Style(.selection, bold: true, reverse: true))
        #expect(frame[x + 5, y].style == Style(.selection, bold: true, reverse: true))
        #expect(frame[x + 6, y].style == .plain)
        #expect(frame[x - 1, y].style != Style(.selection, bold: true, reverse: true))
        let other = frame.lines.firstIndex { $0.contains("line 12") }!
        #expect(frame[x, other].style == Style(.warning, reverse: true))
        #expect(frame.lines.last?.contains("'LINE 1': 1 of 8") == true)
        // Esc clears the search, a second Esc closes the pane.
        #expect(update(&state, .key(.escape)) == [])
        #expect(state.logView?.search == "")
        #expect(update(&state, .key(.escape)) == [.stopLog])
    }

    @Test func aSearchWithNoMatchSaysSo() {
        var (state, key) = stateWithLog()
        _ = update(&state, .log(key, .success(logAnswer(6))))
        _ = update(&state, .key(.char("/")))
        for c in "zzz" { _ = update(&state, .key(.char(c))) }
        _ = update(&state, .key(.enter))
        #expect(state.logView?.match == nil)
        #expect(view(state, width: 100, height: 12).lines.last?.contains("'zzz' not found") == true)
    }

    @Test func undecodableEntriesShowRawWithANote() {
        var (state, key) = stateWithLog()
        let log = JobLog(job: Job(id: "2211", state: .building), lines: [
            JobLog.Line(kind: .phase, message: "Build image", time: at(1)),
            JobLog.Line(kind: .raw, message: "[{\"Type\":\"content\",\"Mess", time: at(2)),
            JobLog.Line(kind: .content, message: "\u{1B}[32mOK\u{1B}[0m\tdone", time: at(3)),
        ], undecodedEntries: 1)
        _ = update(&state, .log(key, .success(log)))
        let frame = view(state, width: 100, height: 12)
        #expect(frame.lines.contains { $0.contains("raw  [{\"Type\":\"content\",\"Mess") })
        #expect(frame.lines.contains { $0.contains("1 log entry could not be decoded; shown raw") })
        // Colour codes from build tools are dropped, not shown as garbage.
        #expect(frame.lines.contains { $0.contains("00:00:03  OK    done") } || frame.lines.contains { $0.contains("OK    done") })
        #expect(!frame.lines.contains { $0.contains("[32m") })
    }

    @Test func leftAndRightScrollLongLinesSideways() {
        var (state, key) = stateWithLog()
        let long = "0123456789abcdefghij" + String(repeating: "x", count: 200) + "END"
        _ = update(&state, .log(key, .success(JobLog(job: nil, lines: [JobLog.Line(kind: .content, message: long, time: at(1))]))))
        #expect(view(state, width: 60, height: 12).lines.contains { $0.contains("22:13:21  0123456789") })
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.right))
        var frame = view(state, width: 60, height: 12)
        #expect(frame.lines.contains { $0.contains("22:13:21  ghij") })
        #expect(frame.lines.contains { $0.contains("col 17") })
        for _ in 0..<23 { _ = update(&state, .key(.right)) }  // column 200 of 223
        frame = view(state, width: 60, height: 12)
        #expect(frame.lines.contains { $0.contains("END") })
        for _ in 0..<40 { _ = update(&state, .key(.left)) }
        #expect(state.logView?.column == 0)
        #expect(DisplayWidth.dropColumns("王小明", 1) == "小明")
        #expect(DisplayWidth.dropColumns("王小明", 2) == "小明")
    }

    @Test func goldenLogPane() {
        var (state, key) = stateWithLog()
        _ = update(&state, .log(key, .success(logAnswer(14))))
        _ = update(&state, .resize(width: 90, height: 14))
        assertGolden(view(state, width: 90, height: 14), "log-pane")
    }
}
