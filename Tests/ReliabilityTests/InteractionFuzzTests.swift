import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// Seeded random keys, poll results, log answers, picker pages and run statuses through
/// `update` and `view` at random sizes (down to 1×1): never a crash, every cell takes the
/// columns it declares, and the panes' positions always stay inside what they show.
@Suite struct InteractionFuzzTests {
    static let keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape, .backspace]
        + "lPo/ngGNj k[]12sr?qa4-".map { Key.char($0) }

    static func line(_ rng: inout SeededRandom, _ n: Int) -> JobLog.Line {
        let kinds: [JobLog.Line.Kind] = [.phase, .content, .content, .raw, .note]
        let messages = ["Step \(n)", "", "王小明 🚀", "\u{1B}[31mred\u{1B}[0m\tx", String(repeating: "w", count: 300), "line \(n % 7)"]
        return JobLog.Line(kind: kinds[Int(rng.next() % 5)], message: messages[Int(rng.next() % 6)],
                           time: rng.next() % 4 == 0 ? nil : Date(timeIntervalSince1970: 1_700_000_000 + Double(n)))
    }

    @Test func randomInteractionNeverCrashes() {
        var rng = SeededRandom(seed: 9_090)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let pipelines = [PipelineInfo(id: 1, name: "a", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")]),
                         PipelineInfo(id: 2, name: "b", stages: [StageInfo(index: 0, name: "only")])]
        var state = AppState(pipelines: pipelines, now: start, endpointHost: "h")
        var logLines = 0
        var halfWide: String?
        defer { expectNoHalfWideGlyph(halfWide) }
        for step in 0..<20_000 {
            let now = start.addingTimeInterval(Double(step) * 0.25)
            let action: Action
            switch rng.next() % 8 {
            case 0, 1, 2:
                action = .key(Self.keys[Int(rng.next() % UInt64(Self.keys.count))])
            case 3:
                let target = state.allTargets[Int(rng.next() % UInt64(state.allTargets.count))]
                let states: [JobState] = [.waiting, .building, .successful, .failed, .timeout, .cancelled]
                let jobs = (0..<Int(rng.next() % 6)).map { i in
                    Job(id: String(100 - i - Int(rng.next() % 3)), state: states[Int(rng.next() % 6)], progress: Int(rng.next() % 120) - 10, duration: Int(rng.next() % 100))
                }
                action = .poll(PollResult(target: target, outcome: rng.next() % 5 == 0 ? .failure(.timeout) : .success(jobs),
                                          startedAt: now, endedAt: now, nextPollAt: now.addingTimeInterval(3)))
            case 4:
                let key = state.logView?.key ?? JobRef(target: Target(pipeline: 1, stage: 0), jobID: "100")
                logLines += Int(rng.next() % 5)
                let first = max(0, logLines - 20)
                let lines = (first..<logLines).map { n -> JobLog.Line in var r = SeededRandom(n); return Self.line(&r, n) }
                let job = Job(id: key.jobID, state: rng.next() % 10 == 0 ? .successful : .building)
                action = .log(key, rng.next() % 6 == 0 ? .failure(.server(status: 500, message: nil))
                              : .success(JobLog(job: job, lines: lines, undecodedEntries: Int(rng.next() % 2))))
            case 5:
                let offset = state.picker.map(\.nextOffset) ?? 0
                let page = (0..<Int(rng.next() % 21)).map { i in
                    Pipeline(id: 10 + offset + i, name: "p\(offset + i)", groupName: rng.next() % 2 == 0 ? nil : "g",
                             stages: rng.next() % 4 == 0 ? [] : [PipelineStage(index: 0, name: "s")])
                }
                action = .pipelinePage(rng.next() % 7 == 0 ? .failure(.timeout)
                                       : .success(PipelinePage(offset: offset, pipelines: page, count: page.count, total: rng.next() % 3 == 0 ? nil : 60)))
            case 6:
                let id = [1, 2, 99][Int(rng.next() % 3)]
                let words = ["running", "success", "waiting", "stage_exception", "", "cancel"]
                let status = PipelineStatus(status: words[Int(rng.next() % 6)], stageIndex: Int(rng.next() % 4) - 1,
                                            startTime: rng.next() % 3 == 0 ? nil : now.addingTimeInterval(-100),
                                            endTime: nil, stages: (0..<Int(rng.next() % 4)).map { _ in StageStatus(status: words[Int(rng.next() % 6)]) })
                action = .pipelineDetail(id: id, .success(Pipeline(id: id, name: "x", stages: [], status: status)))
            default:
                action = .tick(now)
            }
            _ = update(&state, action)
            let width = Int(rng.next() % 160) + 1
            let height = Int(rng.next() % 50) + 1
            _ = update(&state, .resize(width: width, height: height))
            if step % 8 == 0 {
                let problems = frameProblems(view(state, width: width, height: height))
                if halfWide == nil, let known = problems.halfWide { halfWide = "step \(step) at \(width)×\(height): \(known)" }
                if let problem = problems.other {
                    Issue.record("step \(step) at \(width)×\(height): \(problem)")
                    return
                }
            } else {
                _ = view(state, width: width, height: height)
            }
            if let log = state.logView {
                #expect(log.top >= 0 && log.top <= max(0, log.lines.count - 1))
                #expect(log.match.map { log.lines.indices.contains($0) } ?? true)
            }
            if let picker = state.picker {
                #expect(picker.selection >= 0 && (picker.shown.isEmpty || picker.selection < picker.shown.count))
            }
            #expect(state.pipelines.indices.contains(state.pipelineIndex))
        }
    }
}
