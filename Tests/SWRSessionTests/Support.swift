import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSession
@testable import SWRWatch

/// A `ScriptOutput` that keeps what it was given: stdout and stderr, byte for byte.
final class CapturedOutput: Sendable {
    private let state = Mutex<(out: String, err: String)>(("", ""))
    var out: String { state.withLock { $0.out } }
    var err: String { state.withLock { $0.err } }
    var outLines: [String] { out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    var output: ScriptOutput {
        ScriptOutput(out: { text in self.state.withLock { $0.out += text } }, err: { text in self.state.withLock { $0.err += text } })
    }
}

/// A world of two pipelines, fixed times, fixed zone.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let utc = TimeZone(identifier: "UTC")!
    static let pipelines = [
        PipelineInfo(id: 11, name: "tomcat-release", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")]),
        PipelineInfo(id: 12, name: "nginx", stages: [StageInfo(index: 0, name: "build")]),
    ]
    static let build = Target(pipeline: 11, stage: 0)
    static let deploy = Target(pipeline: 11, stage: 1)
    static let nginx = Target(pipeline: 12, stage: 0)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func job(_ id: String, _ state: JobState, progress: Int? = nil, duration: Int? = nil, created: Double = -60) -> Job {
        Job(id: id, state: state, rawState: state.displayName, progress: progress, duration: duration,
            resource: "cce-01", creatorName: "ops", createdAt: at(created))
    }

    static func result(_ target: Target, _ jobs: [Job], at seconds: Double) -> PollResult {
        PollResult(target: target, outcome: .success(jobs), startedAt: at(seconds - 0.1), endedAt: at(seconds), nextPollAt: at(seconds + 3))
    }

    static func failure(_ target: Target, _ error: SWRError, at seconds: Double) -> PollResult {
        PollResult(target: target, outcome: .failure(error), startedAt: at(seconds - 0.1), endedAt: at(seconds), nextPollAt: at(seconds + 3), failureStreak: 1)
    }
}

/// Compares `text` with `Golden/NAME` byte for byte. A missing golden is recorded and the test
/// fails once, so a new golden is always looked at before it counts.
func assertGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let url = directory.appendingPathComponent(name)
    guard let expected = try? Data(contentsOf: url) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url)
        Issue.record("recorded a new golden \(name); look at it, then run again", sourceLocation: sourceLocation)
        return
    }
    if expected != Data(text.utf8) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let golden = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(golden, lines).enumerated().first { $0.element.0 != $0.element.1 }
        Issue.record("\(name) differs from its golden at line \((first?.offset ?? min(golden.count, lines.count)) + 1):\nexpected: \(first?.element.0 ?? "")\nactual:   \(first?.element.1 ?? "")",
                     sourceLocation: sourceLocation)
    }
}
