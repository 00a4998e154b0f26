import Foundation
import Testing
@testable import SWRAPI
@testable import SWRHistory
@testable import SWRSession
@testable import SWRSimulator
@testable import SWRWatch

/// Each `--demo` starts its world again from the same seed, so the same job ids come back; the
/// demo's history file keeps every start apart, or one start's jobs would take the next one's
/// observations (a timeline with hundreds of points, its progress going back and forth).
@Suite(.serialized, .timeLimit(.minutes(3))) struct DemoHistoryTests {
    @Test func eachDemoStartIsRecordedApartThoughItsJobIdsComeBack() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swr-top-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("demo-history.sqlite").path
        var options = SimulatorOptions()
        options.pipelineCount = 1
        var ids: [[String]] = []
        var hosts: [String] = []
        for start in 0..<2 {
            let request = SessionRequest(demo: SimulatorDemo(options: options), historyPath: path)
            let session = try await SessionBuilder.make(request, environment: ["HOME": folder.path], output: CapturedOutput().output)
            let history = try #require(session.history)
            let target = Target(pipeline: try #require(session.pipelines.first).id, stage: 0)
            // Nothing of the first start is taken for this one's.
            let known = try await history.reader.lastKnown(targets: [target], timelines: .all)
            #expect(known.allSatisfy { $0.jobs.isEmpty }, "start \(start) loaded \(known.flatMap(\.jobs).map(\.id))")
            let jobs = try await session.client.jobs(pipeline: target.pipeline, stage: target.stage)
            let now = Date()
            history.record(PollResult(target: target, outcome: .success(jobs), startedAt: now, endedAt: now, nextPollAt: now))
            await history.flush()
            let first = try #require(jobs.first)
            #expect(try await history.reader.timeline(of: JobRef(target: target, jobID: first.id)).count == 1)
            ids.append(jobs.map(\.id))
            hosts.append(history.writer.host)
            await session.shutdown()
        }
        // The premise: the second start's history repeats the first one's job ids.
        #expect(!Set(ids[0]).isDisjoint(with: ids[1]))
        #expect(hosts[0] != hosts[1])
        #expect(hosts.allSatisfy { $0.hasPrefix("simulator-seed\(options.seed)-") && !$0.contains(":") })
        // `swr-top history --endpoint NAME` finds one start by its name.
        #expect(hosts.allSatisfy { HistoryHost.key(endpoint: $0) == $0 })
    }
}
