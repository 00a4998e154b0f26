import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

@Suite struct PipelineStatusTests {
    /// tomcat's run started 210 s ago: build done, scan running, push and deploy not reached.
    func runStatus(deploy: String = "waiting") -> Pipeline {
        Pipeline(id: 1024, name: "tomcat-release", stages: tomcat.stages.map { PipelineStage(index: $0.index, name: $0.name) },
                 status: PipelineStatus(status: "running", stageIndex: 1, startTime: at(-210), stages: [
                    StageStatus(status: "success", startTime: at(-200)), StageStatus(status: "running", startTime: at(-62)),
                    StageStatus(status: "waiting"), StageStatus(status: deploy),
                 ]))
    }

    @Test func stagesTheRunHasNotReachedShowAsPendingEvenWithoutJobs() {
        var state = fixtureState()
        // Before any detail call the jobs say it already: the run (started with build's newest
        // job) is at scan; push has no job, deploy's is 9,000 s old.
        let before = view(state, width: 120, height: 30).lines[1]
        #expect(before.contains("[2 push ○ pending]"))
        #expect(before.contains("[3 deploy ○ pending !]"))
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        let strip = view(state, width: 120, height: 30).lines[1]
        // push has no jobs; deploy's newest job is from an earlier run (9,000 s ago).
        #expect(strip.contains("[2 push ○ pending]"))
        #expect(strip.contains("[3 deploy ○ pending !]"))
        #expect(strip.contains("[0 build ✓ 42s]"))
    }

    @Test func aJobOfTheCurrentRunWinsOverAStaleStatus() {
        var state = fixtureState()
        // The status says scan is waiting, but its newest job began after the run started.
        var status = runStatus()
        status.status?.stages[1] = StageStatus(status: "waiting")
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        #expect(!view(state, width: 120, height: 30).lines[1].contains("[1 scan ○ pending]"))
    }

    @Test func theOverviewUsesTheRunStatusToo() {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        _ = update(&state, .key(.char("o")))
        let frame = view(state, width: 140, height: 30)
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 2) == "○ pending")
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 3) == "○ pending!")
    }

    @Test func aStageWithoutJobsTakesItsStateAndTimeFromTheStatus() {
        var state = fixtureState()
        var status = runStatus(deploy: "stage_exception")
        status.status?.stages[2] = StageStatus(status: "success", startTime: at(-80), endTime: at(-70))
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        let strip = view(state, width: 120, height: 30).lines[1]
        #expect(strip.contains("[2 push ✓ 10s]"))
        #expect(StageLook.jobState(ofStatus: "stage_exception") == .failed)
        #expect(StageLook.jobState(ofStatus: "rollback_success") == .unknown("rollback_success"))
        _ = update(&state, .key(.char("o")))
        let row = view(state, width: 140, height: 30).lines.first { $0.contains("1 tomcat-release") }
        #expect(row?.contains("● 3m30s") == true)
    }

    @Test func theOverviewNeverShowsARunningRunBesideOldResults() throws {
        var state = fixtureState()
        _ = update(&state, .pipelineDetail(id: 1024, .success(runStatus())))
        _ = update(&state, .key(.char("o")))
        let frame = view(state, width: 140, height: 30)
        let row = frame.lines.first { $0.contains("1 tomcat-release") } ?? ""
        #expect(row.contains("● 3m30s"))
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 0) == "✓ 42s")
        // nginx's second stage is deploy: the column is headed `stage 1`, its cells named.
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 1) == "○ scan")
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 2) == "○ pending")
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 3) == "○ pending!")
        // The stages this run finished are not dimmed; the pending ones are muted.
        let build = try #require(OverviewMatrixTests.cells(frame)[0]?[0]), deploy = try #require(OverviewMatrixTests.cells(frame)[0]?[3])
        #expect(frame[build.x, build.y].style.role == .success && !frame[build.x, build.y].style.dim)
        #expect(frame[deploy.x, deploy.y].style.role == .muted && frame[deploy.x, deploy.y].style.dim)
    }

    @Test func aFinishedStageOfAnEarlierRunIsDimmedWithItsAge() {
        var state = fixtureState()
        // The last run failed at scan 5 s ago: push and deploy were never reached by it.
        let ended = [job("2211", .failed, 63, 61, ago: 66), job("2210", .cancelled, 0, 0, ago: 30)] + scanJobs(progress: 0, duration: 0).dropFirst(2)
        _ = update(&state, .poll(poll(1024, 1, ended, at: 1)))
        var status = runStatus()
        status.status = PipelineStatus(status: "stage_exception", stageIndex: 1, startTime: at(-210), endTime: at(-5), stages: [
            StageStatus(status: "success", startTime: at(-200)), StageStatus(status: "stage_exception", startTime: at(-62), endTime: at(-5)),
            StageStatus(status: "waiting"), StageStatus(status: "waiting"),
        ])
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        let frame = view(state, width: 120, height: 30)
        // Nothing is pending once the run is over; deploy's ✓ is yesterday's, and says so.
        #expect(!frame.lines[1].contains("pending"))
        #expect(frame.lines[1].contains("[3 deploy ✓ 2h ago !]"))
        #expect(frame.styledLines[1].contains("{success~:[3 deploy ✓ 2h ago !]}"))
        #expect(frame.lines[1].contains("[0 build ✓ 42s]"))
        _ = update(&state, .key(.char("o")))
        let overview = view(state, width: 140, height: 30)
        let row = overview.lines.first { $0.contains("1 tomcat-release") } ?? ""
        // RUN: failed after 3m25s; AGE: it ended 5 s ago.
        #expect(row.contains("✗ 3m25s") && row.contains(" 5s "), "\(row)")
        #expect(OverviewMatrixTests.text(overview, pipeline: 0, stage: 3) == "✓ 2h ago!")
    }

    @Test func theStatusSpeaksForAStageNotPolledSinceTheRunReachedIt() {
        var state = fixtureState()
        // The run began 100 s ago; build's newest known job (200 s ago) is from before, but the
        // status says this run's build succeeded in 40 s: that is what shows, not dimmed.
        var status = runStatus()
        status.status = PipelineStatus(status: "running", stageIndex: 1, startTime: at(-100), stages: [
            StageStatus(status: "success", startTime: at(-100), endTime: at(-60)), StageStatus(status: "running", startTime: at(-62)),
            StageStatus(status: "waiting"), StageStatus(status: "waiting"),
        ])
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        let frame = view(state, width: 120, height: 30)
        #expect(frame.lines[1].contains("[0 build ✓ 40s]"))
        #expect(frame.styledLines[1].contains("{success:[0 build ✓ 40s]}"))
    }

    @Test func theOverviewTellsTheRunFromTheJobsWhenTheStatusIsOlder() {
        var state = fixtureState()
        // Read a while ago: the run before, which ended 5 minutes ago. A new run has begun since
        // (build's job, 200 s ago) and is at scan.
        var status = runStatus()
        status.status = PipelineStatus(status: "success", stageIndex: 3, startTime: at(-900), endTime: at(-300), stages: [
            StageStatus(status: "success", startTime: at(-900), endTime: at(-800)), StageStatus(status: "success"),
            StageStatus(status: "success"), StageStatus(status: "success", endTime: at(-300)),
        ])
        _ = update(&state, .pipelineDetail(id: 1024, .success(status)))
        _ = update(&state, .key(.char("o")))
        let frame = view(state, width: 140, height: 30)
        let row = frame.lines.first { $0.contains("1 tomcat-release") } ?? ""
        #expect(row.contains("● 3m20s"))
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 2) == "○ pending")
        #expect(OverviewMatrixTests.text(frame, pipeline: 0, stage: 3) == "○ pending!")
        // The run status says the last stage runs, but its job of this run has ended.
        var late = runStatus()
        late.status = PipelineStatus(status: "running", stageIndex: 3, startTime: at(-210), stages: [
            StageStatus(status: "success"), StageStatus(status: "success"), StageStatus(status: "success"), StageStatus(status: "running"),
        ])
        _ = update(&state, .pipelineDetail(id: 1024, .success(late)))
        _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 100, duration: 70).map { job($0.id, .successful, 100, 70, ago: 100) }, at: 1)))
        _ = update(&state, .poll(poll(1024, 2, [job("2300", .successful, 100, 10, ago: 50)], at: 1)))
        _ = update(&state, .poll(poll(1024, 3, [job("2301", .successful, 100, 20, ago: 30)], at: 1)))
        let ended = view(state, width: 140, height: 30).lines.first { $0.contains("1 tomcat-release") } ?? ""
        // RUN successful, AGE: it ended 10 s ago.
        #expect(ended.contains("✓ 3m20s") && ended.contains(" 10s "), "\(ended)")
        #expect(!ended.contains("pending"))
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
