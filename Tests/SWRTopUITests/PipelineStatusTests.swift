import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

@Suite struct PipelineStatusTests {
    /// tomcat's run started 100 s ago: build done, scan running, push and deploy not reached.
    func runStatus(deploy: String = "waiting") -> Pipeline {
        Pipeline(id: 1024, name: "tomcat-release", stages: tomcat.stages.map { PipelineStage(index: $0.index, name: $0.name) },
                 status: PipelineStatus(status: "running", stageIndex: 1, startTime: at(-100), stages: [
                    StageStatus(status: "success", startTime: at(-100)), StageStatus(status: "running", startTime: at(-62)),
                    StageStatus(status: "waiting"), StageStatus(status: deploy),
                 ]))
    }

    @Test func stagesTheRunHasNotReachedShowAsPendingEvenWithoutJobs() {
        var state = fixtureState()
        let before = view(state, width: 120, height: 30).lines[1]
        #expect(before.contains("[3 push]"))
        #expect(before.contains("[4 deploy ✓ 30s !]"))
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        let strip = view(state, width: 120, height: 30).lines[1]
        // push has no jobs; deploy's newest job is from an earlier run (9,000 s ago).
        #expect(strip.contains("[3 push ○ pending]"))
        #expect(strip.contains("[4 deploy ○ pending !]"))
        #expect(strip.contains("[1 build ✓ 42s]"))
    }

    @Test func aJobOfTheCurrentRunWinsOverAStaleStatus() {
        var state = fixtureState()
        // The status says scan is waiting, but its newest job began after the run started.
        var status = runStatus()
        status.status?.stages[1] = StageStatus(status: "waiting")
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        #expect(!view(state, width: 120, height: 30).lines[1].contains("[2 scan ○ pending]"))
    }

    @Test func theOverviewUsesTheRunStatusToo() {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        _ = update(&state, .key(.char("o")))
        let row = view(state, width: 140, height: 30).lines.first { $0.contains("tomcat-release") && $0.contains("push") }
        #expect(row?.contains("○ push pending") == true)
        #expect(row?.contains("○ deploy pending") == true)
    }

    @Test func aStageWithoutJobsTakesItsStateAndTimeFromTheStatus() {
        var state = fixtureState()
        var status = runStatus(deploy: "stage_exception")
        status.status?.stages[2] = StageStatus(status: "success", startTime: at(-80), endTime: at(-70))
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        let strip = view(state, width: 120, height: 30).lines[1]
        #expect(strip.contains("[3 push ✓ 10s]"))
        #expect(StageLook.jobState(ofStatus: "stage_exception") == .failed)
        #expect(StageLook.jobState(ofStatus: "rollback_success") == .unknown("rollback_success"))
        _ = update(&state, .key(.char("o")))
        let row = view(state, width: 140, height: 30).lines.first { $0.contains("│1 tomcat-release") }
        #expect(row?.contains("running 1m40s") == true)
    }

    @Test func aFailedDetailCallChangesNothing() {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        _ = update(&state, .pipelineDetail(id: 1024, .failure(.timeout)))
        #expect(state.pipelineStatuses[1024]?.stageIndex == 1)
    }

    @Test func theRunningStageComesFromTheStatus() {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        #expect(StageLook.runningStage(state, pipeline: tomcat) == 1)
        var finished = runStatus()
        finished.status?.status = "success"
        _ = update(&state, .pipelineDetail(id: 1024, .success(finished)))
        #expect(StageLook.runningStage(state, pipeline: tomcat) == state.store.pipelineProgress(pipeline: 1024, stages: [0, 1, 2, 3]).running)
    }
}
