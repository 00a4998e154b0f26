import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

@Suite struct UpdateTests {
    @Test func stageKeysWrapAround() {
        var state = fixtureState()
        #expect(update(&state, .key(.right)) == [.focus(Target(pipeline: 1024, stage: 2))])
        _ = update(&state, .key(.right))
        #expect(update(&state, .key(.tab)) == [.focus(Target(pipeline: 1024, stage: 0))])
        #expect(update(&state, .key(.left)) == [.focus(Target(pipeline: 1024, stage: 3))])
        _ = update(&state, .key(.left))
        #expect(update(&state, .key(.backTab)) == [.focus(Target(pipeline: 1024, stage: 1))])
    }

    @Test func pipelineKeysWrapAndLandOnTheRunsStage() {
        var state = fixtureState()
        _ = update(&state, .key(.right))
        _ = update(&state, .key(.right))  // stage 3 of tomcat, by hand
        // nginx ran only its build (failed): its last stage run, not tomcat's index clamped.
        #expect(update(&state, .key(.char("]"))) == [.focus(Target(pipeline: 1025, stage: 0))])
        // Back on tomcat: the running stage (scan), not where it was left.
        #expect(update(&state, .key(.char("n"))) == [.focus(Target(pipeline: 1024, stage: 1))])
        #expect(state.isFollowing)
        #expect(update(&state, .key(.char("["))) == [.focus(Target(pipeline: 1025, stage: 0))])
        #expect(update(&state, .key(.char("p"))) == [.focus(Target(pipeline: 1024, stage: 1))])
        #expect(update(&state, .key(.char("2"))) == [.focus(Target(pipeline: 1025, stage: 0))])
        #expect(update(&state, .key(.char("9"))) == [])
        #expect(state.pipelineIndex == 1)
    }

    @Test func jobSelectionKeys() {
        // Newest first: 2210 (queued), 2211 (building), 2198, 2190, 2185, 2170, 2166, 2150.
        var state = fixtureState()
        _ = update(&state, .resize(width: 80, height: 9))  // three rows of jobs
        _ = update(&state, .key(.down))
        #expect(state.selectedJobID == "2211")
        _ = update(&state, .key(.char("j")))
        #expect(state.selectedJobID == "2198")
        _ = update(&state, .key(.char("k")))
        #expect(state.selectedJobID == "2211")
        _ = update(&state, .key(.up))
        _ = update(&state, .key(.up))
        #expect(state.selectedJobID == "2210")
        _ = update(&state, .key(.pageDown))
        #expect(state.selectedJobID == "2198")
        _ = update(&state, .key(.pageUp))
        #expect(state.selectedJobID == "2210")
        _ = update(&state, .key(.char("G")))
        #expect(state.selectedJobID == "2150")
        _ = update(&state, .key(.end))
        #expect(state.selectedJobID == "2150")
        _ = update(&state, .key(.char("g")))
        #expect(state.selectedJobID == "2210")
        _ = update(&state, .key(.end))
        _ = update(&state, .key(.home))
        #expect(state.selectedJobID == "2210")
    }

    @Test func selectionStaysOnTheSameJobWhenTheListChanges() {
        var state = fixtureState()
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        #expect(state.selectedJobID == "2198")
        let newer = [job("2230", .waiting, 0, 0, ago: 1)] + scanJobs(progress: 70, duration: 70)
        _ = update(&state, .poll(poll(1024, 1, newer, at: 2)))
        #expect(state.visibleJobs[state.selectedRow(in: state.visibleJobs)].id == "2198")
        #expect(state.selectedRow(in: state.visibleJobs) == 3)
    }

    @Test func filterEditAndCancel() {
        var state = fixtureState()
        _ = update(&state, .key(.char("/")))
        #expect(state.isEditingFilter)
        for c in "王小" { _ = update(&state, .key(.char(c))) }
        #expect(state.visibleJobs.map(\.id) == ["2211"])
        _ = update(&state, .key(.backspace))
        #expect(state.filter == "王")
        _ = update(&state, .key(.char("q")))  // typed, not quit
        #expect(state.filter == "王q")
        _ = update(&state, .key(.backspace))
        _ = update(&state, .key(.enter))
        #expect(!state.isEditingFilter && state.filter == "王")
        _ = update(&state, .key(.escape))
        #expect(state.filter == "")
        _ = update(&state, .key(.char("/")))
        _ = update(&state, .key(.char("x")))
        _ = update(&state, .key(.escape))
        #expect(!state.isEditingFilter && state.filter == "")
        _ = update(&state, .key(.char("/")))
        for c in "rollback" { _ = update(&state, .key(.char(c))) }
        #expect(state.visibleJobs.map(\.id) == ["2166"])
    }

    @Test func sortCycles() {
        var state = fixtureState()
        _ = update(&state, .key(.char("s")))
        #expect(state.sort == .longest)
        #expect(state.visibleJobs.first?.id == "2185")
        _ = update(&state, .key(.char("s")))
        #expect(state.sort == .state)
        #expect(state.visibleJobs.first?.state == .building)
        _ = update(&state, .key(.char("s")))
        #expect(state.sort == .newest)
    }

    @Test func effectKeys() {
        var state = fixtureState()
        #expect(update(&state, .key(.char("r"))) == [.refresh(tomcat.targets)])
        #expect(update(&state, .key(.char(" "))) == [.pause])
        #expect(state.isPaused)
        #expect(view(state, width: 120, height: 40).lines[0].contains("PAUSED"))
        #expect(update(&state, .key(.char(" "))) == [.resume])
        #expect(update(&state, .key(.char("q"))) == [.quit])
        #expect(update(&state, .key(.ctrlC)) == [.quit])
    }

    @Test func toggles() {
        var state = fixtureState()
        _ = update(&state, .key(.char("?")))
        #expect(state.showHelp)
        _ = update(&state, .key(.char("x")))
        #expect(!state.showHelp)
        _ = update(&state, .key(.char("o")))
        #expect(state.showOverview)
        _ = update(&state, .key(.escape))
        #expect(!state.showOverview)
        _ = update(&state, .key(.enter))
        #expect(state.showDetail)
        _ = update(&state, .key(.escape))
        #expect(!state.showDetail)
    }

    @Test func qClosesTheHelpInsteadOfQuitting() {
        var state = fixtureState()
        _ = update(&state, .key(.char("?")))
        #expect(update(&state, .key(.char("q"))) == [])
        #expect(!state.showHelp)
        _ = update(&state, .key(.char("?")))
        #expect(update(&state, .key(.ctrlC)) == [.quit])
    }

    @Test func runEndRingsOnceWithNotice() {
        var state = fixtureState()
        state.ringBellOnFinish = true
        let finished = scanJobs(progress: 63, duration: 60).map { $0.id == "2211" ? job("2211", .failed, 63, 61, ago: 63, creator: "王小明") : $0 }
        #expect(update(&state, .poll(poll(1024, 1, finished, at: 1))) == [.bell])
        #expect(state.notice?.text == "tomcat-release run ended: Failed at scan")
        #expect(update(&state, .poll(poll(1024, 1, finished, at: 4))) == [])
    }
}
