import Foundation
import Testing
@testable import SWRAPI
@testable import SWRDashboard
@testable import SWRSession
@testable import SWRTopUI
@testable import SWRWatch

/// Every effect of `update` reaches exactly one place, once.
@Suite struct EffectRouterTests {
    static let target = Target(pipeline: 11, stage: 2)
    static let job = JobRef(target: target, jobID: "2211")

    static let routes: [(Effect, EffectRouter.Route)] = [
        (.quit, .loop(.quit)),
        (.bell, .loop(.bell)),
        (.notify("tomcat run ended"), .loop(.notify("tomcat run ended"))),
        (.focus(target), .session(.focus(target))),
        (.watch([target]), .session(.watch([target]))),
        (.refresh([target]), .session(.refresh([target]))),
        (.pause, .session(.pause)),
        (.resume, .session(.resume)),
        (.followLog(job), .session(.followLog(job))),
        (.stopLog, .session(.stopLog)),
        (.loadPipelines(offset: 40), .session(.loadPipelines(offset: 40, limit: PipelinePicker.pageSize))),
        (.loadStageHistory(target, now: Date(timeIntervalSince1970: 1_700_000_000)), .session(.loadStageHistory(target, now: Date(timeIntervalSince1970: 1_700_000_000)))),
        (.loadTimeline(job), .session(.loadTimeline(job))),
        (.loadWeekOutcomes([target], now: Date(timeIntervalSince1970: 1_700_000_000), request: 3),
         .session(.loadWeekOutcomes([target], now: Date(timeIntervalSince1970: 1_700_000_000), request: 3))),
    ]

    @Test(arguments: routes)
    func everyEffectHasOneRoute(effect: Effect, expected: EffectRouter.Route) {
        #expect(EffectRouter.route(effect) == expected)
    }

    /// Choosing a pipeline in the picker watches it and focuses it: one `watch`, one `focus`
    /// (the loop used to send the focus a second time).
    @Test func choosingANewPipelineSendsOneWatchAndOneFocus() {
        var state = AppState(pipelines: [PipelineInfo(id: 1, name: "a", stages: [StageInfo(index: 0, name: "build")])], now: Date(), endpointHost: "h")
        _ = update(&state, .key(.char("P")))
        let page = PipelinePage(offset: 0, pipelines: [Pipeline(id: 2, name: "b", stages: [PipelineStage(index: 0, name: "build")])], count: 1, total: 1)
        _ = update(&state, .pipelinePage(.success(page)))
        let routes = update(&state, .key(.enter)).map(EffectRouter.route)
        let commands = routes.compactMap { route -> SessionCommand? in if case .session(let command) = route { command } else { nil } }
        #expect(commands.filter { if case .watch = $0 { true } else { false } }.count == 1)
        #expect(commands.filter { if case .focus = $0 { true } else { false } }.count == 1)
        #expect(commands.last == .focus(Target(pipeline: 2, stage: 0)))
    }

    @Test func sessionAnswersBecomeActions() {
        let result = PollResult(target: Self.target, outcome: .success([]), startedAt: Date(), endedAt: Date(), nextPollAt: Date())
        guard case .poll(let polled) = EffectRouter.action(for: .poll(result)) else { Issue.record("not a poll"); return }
        #expect(polled.target == Self.target)
        guard case .log(let job, _) = EffectRouter.action(for: .log(Self.job, .failure(.timeout))) else { Issue.record("not a log"); return }
        #expect(job == Self.job)
        let figures = StageFigures(target: Self.target, usual: [UsualSample(jobID: "1", duration: 5, at: Date(timeIntervalSince1970: 0))], week: OutcomeCounts(successful: 1))
        guard case .stageFigures(let got) = EffectRouter.action(for: .figures(figures)) else { Issue.record("not figures"); return }
        #expect(got == figures)
        guard case .stageHistory(let target, .off) = EffectRouter.action(for: .stageHistory(Self.target, .off)) else { Issue.record("not a history"); return }
        #expect(target == Self.target)
        guard case .storedTimeline(let timelineJob, .failed(let why)) = EffectRouter.action(for: .storedTimeline(Self.job, .failed("disk"))) else {
            Issue.record("not a timeline")
            return
        }
        #expect(timelineJob == Self.job && why == "disk")
        guard case .weekOutcomes(let request, let counts) = EffectRouter.action(for: .weekOutcomes(request: 3, [Self.target: OutcomeCounts(failed: 1)])) else {
            Issue.record("not week outcomes")
            return
        }
        #expect(request == 3 && counts == [Self.target: OutcomeCounts(failed: 1)])
    }
}
