import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The history pane under seeded random keys, answers (found, empty, off, failed; stored
/// timelines, some for other jobs), polls and sizes down to 1×1: never a crash, every cell takes
/// the columns it declares (no half of a wide glyph either), and the selection stays on a bar.
@Suite struct HistoryPaneFuzzTests {
    static let keys: [Key] = [.left, .right, .home, .end, .enter, .escape, .up, .down] + "HgGo".map { Key.char($0) }

    static func history(_ rng: inout SeededRandom, start: Date) -> HistoryLookup<StageHistory> {
        switch rng.next() % 6 {
        case 0: return .off
        case 1: return .failed("history: reading \u{1B}]0;x\u{7} failed")
        case 2: return .found(StageHistory(recent: [], rates: SuccessRates(), usual: nil, isFlaky: false))
        default:
            let states: [JobState] = [.waiting, .building, .successful, .failed, .timeout, .cancelled, .unknown("王小明 🚀")]
            var recent: [HistoricJob] = []
            for i in 0..<Int(rng.next() % 130) {
                let durations: [Int] = [0, 1, 59, 3600, Int.max, -5, Int(rng.next() % 4000)]
                let duration: Int? = rng.next() % 9 == 0 ? nil : durations[Int(rng.next() % 7)]
                let at = start.addingTimeInterval(-Double(i) * 900)
                let id = i % 17 == 0 ? "🚀\(i)" : String(5000 - i)
                recent.append(HistoricJob(id: id, state: states[Int(rng.next() % 7)], duration: duration,
                                          createdAt: rng.next() % 5 == 0 ? nil : at, firstSeen: at))
            }
            let counts = OutcomeCounts(successful: Int(rng.next() % 50), failed: Int(rng.next() % 5), timedOut: Int(rng.next() % 2), cancelled: Int(rng.next() % 3))
            return .found(StageHistory(recent: recent, rates: SuccessRates(day: counts, week: counts, month: counts),
                                       usual: UsualDuration(durations: recent.compactMap { $0.duration }), isFlaky: rng.next() % 2 == 0))
        }
    }

    @Test func randomUseOfThePaneNeverCrashes() {
        var rng = SeededRandom(seed: 15_015)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let pipelines = [PipelineInfo(id: 1, name: "a", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")])]
        var state = AppState(pipelines: pipelines, now: start, endpointHost: "h")
        for step in 0..<5_000 {
            let now = start.addingTimeInterval(Double(step))
            let target = state.historyView?.target ?? Target(pipeline: 1, stage: 0)
            let action: Action
            switch rng.next() % 6 {
            case 0, 1, 2: action = .key(Self.keys[Int(rng.next() % UInt64(Self.keys.count))])
            case 3: action = .stageHistory(target, Self.history(&rng, start: now))
            case 4:
                let id = rng.next() % 3 == 0 ? "other" : state.historyView?.timeline?.jobID ?? "x"
                let observations = (0..<Int(rng.next() % 300)).map { i in
                    Observation(at: now.addingTimeInterval(Double(i)), state: .building, progress: Int(rng.next() % 130) - 10, duration: i)
                }
                action = .storedTimeline(JobRef(target: target, jobID: id), rng.next() % 4 == 0 ? .off : .found(observations))
            default:
                action = .stageFigures(StageFigures(target: target, usual: [UsualSample(jobID: "1", duration: Int(rng.next() % 100), at: now)],
                                                    week: OutcomeCounts(successful: Int(rng.next() % 3), failed: Int(rng.next() % 3))))
            }
            _ = update(&state, action)
            let width = Int(rng.next() % 160) + 1
            let height = Int(rng.next() % 50) + 1
            _ = update(&state, .resize(width: width, height: height))
            // No overlay here (the help's known half-glyph bug is InteractionFuzzTests'): any problem counts.
            let problems = frameProblems(view(state, width: width, height: height))
            if let problem = problems.other ?? problems.halfWide {
                Issue.record("step \(step) at \(width)×\(height): \(problem)")
                return
            }
            if let pane = state.historyView {
                #expect(pane.jobs.isEmpty ? pane.selection == 0 : pane.jobs.indices.contains(pane.selection))
            }
        }
    }
}
