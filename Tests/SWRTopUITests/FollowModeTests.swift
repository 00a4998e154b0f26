import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// Follow mode (issue 20): the view moves with the focused pipeline's run, a stage key stops
/// it, `f` and switching pipelines start it again.
@Suite struct FollowModeTests {
    /// tomcat's scan ended; push is building (a job of this run).
    func scanDone() -> [Job] {
        scanJobs(progress: 100, duration: 70).map { $0.id == "2211" || $0.id == "2210" ? job($0.id, .successful, 100, 70, ago: 62) : $0 }
    }

    @Test func followingIsOnAndSitsOnTheRunningStage() {
        let state = fixtureState()
        #expect(state.isFollowing)
        #expect(state.stageIndex == 1)
        #expect(view(state, width: 80, height: 24).lines[0].contains("FOLLOW"))
    }

    @Test func theViewMovesWithTheRunAndAsksForTheStage() {
        var state = fixtureState()
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        #expect(state.selectedJobID == "2198")
        // scan ends: the run sits between stages, the view stays on the last stage it reached.
        #expect(update(&state, .poll(poll(1024, 1, scanDone(), at: 1))) == [])
        #expect(state.stageIndex == 1)
        // push starts: the view moves there, selects the newest job and the engine is told.
        let effects = update(&state, .poll(poll(1024, 2, [job("2301", .building, 10, 4, ago: 4)], at: 2)))
        #expect(effects == [.focus(Target(pipeline: 1024, stage: 2))])
        #expect(state.stageIndex == 2)
        #expect(state.selectedJobID == nil)
        #expect(state.visibleJobs[state.selectedRow(in: state.visibleJobs)].id == "2301")
        let screen = view(state, width: 120, height: 40).lines
        #expect(screen[2].contains("jobs · stage 2 push"))
        #expect(screen[2].contains("job 2301"))
        // deploy starts (its old job is replaced by one of this run): on to deploy.
        _ = update(&state, .poll(poll(1024, 2, [job("2301", .successful, 100, 9, ago: 4)], at: 3)))
        let deploy = [job("2302", .waiting, 0, 0, ago: 1), job("2100", .successful, 100, 30, ago: 9000)]
        #expect(update(&state, .poll(poll(1024, 3, deploy, at: 4))) == [.focus(Target(pipeline: 1024, stage: 3))])
    }

    @Test func aStageKeyStopsFollowingAndFFollowsAgain() {
        var state = fixtureState()
        _ = update(&state, .key(.left))
        #expect(!state.isFollowing)
        #expect(state.stageIndex == 0)
        #expect(!view(state, width: 80, height: 24).lines[0].contains("FOLLOW"))
        #expect(view(state, width: 80, height: 24).lines[23].contains("f follow"))
        // The run moves on; the view stays where the user put it.
        _ = update(&state, .poll(poll(1024, 1, scanDone(), at: 1)))
        #expect(update(&state, .poll(poll(1024, 2, [job("2301", .building, 10, 4, ago: 4)], at: 2))) == [])
        #expect(state.stageIndex == 0)
        // `f`: back to the run, at once.
        #expect(update(&state, .key(.char("f"))) == [.focus(Target(pipeline: 1024, stage: 2))])
        #expect(state.isFollowing && state.stageIndex == 2)
        #expect(view(state, width: 80, height: 24).lines[0].contains("FOLLOW"))
    }

    @Test func theRunStatusLeadsWhereNoJobSaysSo() {
        var state = fixtureState()
        _ = update(&state, .key(.char("]")))  // nginx: only a failed build, from 100 s ago
        #expect(state.stageIndex == 0)
        let status = PipelineStatus(status: "running", stageIndex: 1, startTime: at(-50), stages: [
            StageStatus(status: "success", startTime: at(-50), endTime: at(-20)), StageStatus(status: "running", startTime: at(-20)),
        ])
        let detail = Pipeline(id: 1025, name: "nginx-hardened", stages: [PipelineStage(index: 0, name: "build"), PipelineStage(index: 1, name: "deploy")], status: status)
        #expect(update(&state, .pipelineDetail(id: 1025, .success(detail))) == [.focus(Target(pipeline: 1025, stage: 1))])
        #expect(state.stageIndex == 1)
    }

    @Test func drilledInTheViewWaitsThenCatchesUp() {
        var state = fixtureState()
        _ = update(&state, .resize(width: 120, height: 40))
        _ = update(&state, .key(.enter))
        _ = update(&state, .poll(poll(1024, 1, scanDone(), at: 1)))
        #expect(update(&state, .poll(poll(1024, 2, [job("2301", .building, 10, 4, ago: 4)], at: 2))) == [])
        #expect(state.stageIndex == 1)
        #expect(update(&state, .key(.escape)) == [.focus(Target(pipeline: 1024, stage: 2))])
    }

    @Test func choosingAWatchedPipelineInThePickerLandsOnItsRun() {
        var state = fixtureState()
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.char("P")))
        let page = PipelinePage(offset: 0, pipelines: [Pipeline(id: 1025, name: "nginx-hardened", stages: [PipelineStage(index: 0, name: "build"), PipelineStage(index: 1, name: "deploy")])], count: 1, total: 1)
        _ = update(&state, .pipelinePage(.success(page)))
        #expect(update(&state, .key(.enter)) == [.focus(Target(pipeline: 1025, stage: 0))])
        #expect(state.isFollowing)
    }
}
