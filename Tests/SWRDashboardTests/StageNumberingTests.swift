import Foundation
import Testing
import SWRAPI
import SWRSession
import SWRTopUI
import SWRWatch

/// One stage, one number on every surface: the API's `stage_index`. A pipeline configured with
/// stages 2 and 5 only (not 0 and 1, not positions) shows `5` in the strip, the jobs pane title,
/// the `--once` table and JSON, and the `--watch` JSON.
@Suite struct StageNumberingTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    static let pipeline = PipelineInfo(id: 7, name: "release", stages: [StageInfo(index: 2, name: "scan"), StageInfo(index: 5, name: "deploy")])
    static let deployJob = Job(id: "9001", state: .building, rawState: nil, progress: 40, duration: 12, resource: "swr/app:1",
                               resourceType: "image", service: "jenkins_build", creatorName: "ops", createdAt: start.addingTimeInterval(-12), logCount: 1)

    @Test func stripTitleOnceAndWatchAgreeOnTheAPIIndex() throws {
        var state = AppState(pipelines: [Self.pipeline], now: Self.start, endpointHost: "127.0.0.1")
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = update(&state, .resize(width: 120, height: 30))
        let target = Target(pipeline: 7, stage: 5)
        _ = update(&state, .poll(PollResult(target: target, outcome: .success([Self.deployJob]), startedAt: Self.start,
                                            endedAt: Self.start, nextPollAt: Self.start.addingTimeInterval(3))))
        state.stageIndex = 1
        #expect(state.focusedTarget == target)
        let frame = view(state)
        #expect(frame.lines[1].contains("[2 scan"))
        #expect(frame.lines[1].contains("[5 deploy"))
        #expect(!frame.lines[1].contains("[1 scan") && !frame.lines[1].contains("[2 deploy"), "a position leaked into the strip: \(frame.lines[1])")
        #expect(frame.lines[2].contains("jobs · stage 5 deploy"))

        let snapshot = StageSnapshot(pipeline: Self.pipeline, stage: Self.pipeline.stages[1], outcome: .success([Self.deployJob]))
        let table = SnapshotFormat.table([snapshot])
        #expect(table[1].contains("5 deploy"))
        let json = SnapshotFormat.json([snapshot], generatedAt: Self.start).serialized
        #expect(json.contains("\"index\":5"))

        let line = WatchFormat(pipelines: [Self.pipeline], json: true).snapshot(target, job: Self.deployJob, at: Self.start)
        #expect(line.contains("\"stage_index\":5"))
    }
}
