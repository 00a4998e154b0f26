import Foundation
import Testing
import SWRAPI
import SWRWatch
@testable import SWRTopUI

/// The account's pipelines as the list call pages them: 45 in all, three groups.
func accountPipelines() -> [Pipeline] {
    (0..<45).map { i in
        Pipeline(id: 1024 + i, name: i == 0 ? "tomcat-release" : "service-\(i)", groupName: ["web", "data", "platform"][i % 3],
                 stages: [PipelineStage(index: 0, name: "build"), PipelineStage(index: 1, name: "deploy")])
    }
}

func page(offset: Int, limit: Int = PipelinePicker.pageSize, total: Int? = 45) -> PipelinePage {
    let all = accountPipelines()
    let items = Array(all.dropFirst(offset).prefix(limit))
    return PipelinePage(offset: offset, pipelines: items, count: items.count, total: total)
}

@Suite struct PickerTests {
    @Test func pOpensThePickerAndAsksForTheFirstPage() {
        var state = fixtureState()
        #expect(update(&state, .key(.char("P"))) == [.loadPipelines(offset: 0)])
        #expect(state.picker?.isLoading == true)
        // Keys go to the picker while it is open.
        #expect(update(&state, .key(.char("q"))) == [])
        #expect(state.picker?.filter == "q")
        #expect(update(&state, .key(.escape)) == [])
        #expect(state.picker == nil)
    }

    @Test func scrollingPagesThroughEveryPage() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        state.picker?.rows = 10
        #expect(update(&state, .pipelinePage(.success(page(offset: 0)))) == [])
        #expect(state.picker?.items.count == 20)
        // Nearing the end of what is loaded asks for the next page, once.
        var asked: [Effect] = []
        for _ in 0..<15 { asked += update(&state, .key(.down)) }
        #expect(asked == [.loadPipelines(offset: 20)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 20)))) == [])
        asked = []
        for _ in 0..<25 { asked += update(&state, .key(.pageDown)) }
        #expect(asked == [.loadPipelines(offset: 40)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 40)))) == [])
        #expect(state.picker?.items.count == 45)
        #expect(state.picker?.isComplete == true)
        #expect(update(&state, .key(.end)) == [])
        #expect(state.picker?.selected?.name == "service-44")
        let frame = view(state, width: 100, height: 30)
        #expect(frame.lines.contains { $0.contains("add a pipeline · 45 of 45 loaded") })
        #expect(frame.lines.contains { $0.contains("service-44") && $0.contains("[platform] 2 stages  #1068") })
    }

    @Test func typingFiltersAndLoadsTheRestSoTheFilterSeesEveryPipeline() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        _ = update(&state, .pipelinePage(.success(page(offset: 0))))
        #expect(update(&state, .key(.char("4"))) == [.loadPipelines(offset: 20)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 20)))) == [.loadPipelines(offset: 40)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 40)))) == [])
        // "4" matches names and ids: service-4, -14, -24, ... and every id with a 4 in it.
        #expect(state.picker?.shown.contains { $0.name == "service-44" } == true)
        _ = update(&state, .key(.char("4")))
        #expect(state.picker?.filter == "44")
        #expect(state.picker?.shown.map(\.name) == ["service-20", "service-44"])  // #1044 and service-44
        _ = update(&state, .key(.backspace))
        _ = update(&state, .key(.backspace))
        for c in "data" { _ = update(&state, .key(.char(c))) }
        #expect(state.picker?.shown.count == 15)
    }

    @Test func enterWatchesThePipelineForTheSessionAndShowsIt() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        _ = update(&state, .pipelinePage(.success(page(offset: 0))))
        for c in "service-7" { _ = update(&state, .key(.char(c))) }
        _ = update(&state, .pipelinePage(.success(page(offset: 20))))
        _ = update(&state, .pipelinePage(.success(page(offset: 40))))
        let effects = update(&state, .key(.enter))
        #expect(state.picker == nil)
        #expect(state.pipelines.map(\.name) == ["tomcat-release", "nginx-hardened", "service-7"])
        #expect(state.pipeline?.name == "service-7")
        let added = state.pipelines[2]
        // Nothing is known of its run yet: its first stage (not the old stage index, clamped).
        #expect(effects == [.watch(tomcat.targets + nginx.targets + added.targets), .focus(Target(pipeline: 1031, stage: 0))])
        #expect(state.notice?.text.contains("watching service-7 for this session") == true)
        // Choosing a pipeline already watched only moves to it.
        _ = update(&state, .key(.char("P")))
        _ = update(&state, .pipelinePage(.success(page(offset: 0))))
        #expect(update(&state, .key(.enter)) == [.focus(Target(pipeline: 1024, stage: 1))])
        #expect(state.pipelines.count == 3)
    }

    @Test func aFailedPageSaysWhyAndIsAskedForAgainOnTheNextMove() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        #expect(update(&state, .pipelinePage(.failure(.server(status: 502, message: nil)))) == [])
        #expect(view(state, width: 100, height: 30).lines.contains { $0.contains("could not list the pipelines: server error 502") })
        #expect(update(&state, .key(.down)) == [.loadPipelines(offset: 0)])
    }

    @Test func aServiceWithoutContentRangeEndsAtAShortPage() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        _ = update(&state, .key(.char("s")))
        #expect(update(&state, .pipelinePage(.success(page(offset: 0, total: nil)))) == [.loadPipelines(offset: 20)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 20, total: nil)))) == [.loadPipelines(offset: 40)])
        #expect(update(&state, .pipelinePage(.success(page(offset: 40, total: nil)))) == [])
        #expect(state.picker?.isComplete == true)
        #expect(state.picker?.total == nil)
        #expect(view(state, width: 100, height: 30).lines.contains { $0.contains("add a pipeline · 45 loaded") })
    }

    @Test func goldenPicker() {
        var state = fixtureState()
        _ = update(&state, .key(.char("P")))
        _ = update(&state, .resize(width: 80, height: 16))
        _ = update(&state, .pipelinePage(.success(page(offset: 0))))
        assertGolden(view(state, width: 80, height: 16), "picker")
    }
}
