import Foundation
import SWRAPI
import SWRWatch
@testable import SWRTopUI

let now = Date(timeIntervalSince1970: 1_700_000_000)
let tomcat = PipelineInfo(id: 1024, name: "tomcat-release", stages: [
    StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "scan"), StageInfo(index: 2, name: "push"), StageInfo(index: 3, name: "deploy"),
])
let nginx = PipelineInfo(id: 1025, name: "nginx-hardened", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")])

func at(_ seconds: Double) -> Date { now.addingTimeInterval(seconds) }

func job(_ id: String, _ state: JobState, _ progress: Int?, _ duration: Int?, ago: Double, creator: String? = "f00355482", resource: String? = "swr/tomcat:1.0", raw: String? = nil) -> Job {
    Job(id: id, state: state, rawState: raw, progress: progress, duration: duration, resource: resource, resourceType: "image",
        service: "jenkins_build", creatorName: creator, createdAt: at(-ago), logCount: 1)
}

func poll(_ pipeline: Int, _ stage: Int, _ jobs: [Job], at seconds: Double) -> PollResult {
    PollResult(target: Target(pipeline: pipeline, stage: stage), outcome: .success(jobs), startedAt: at(seconds - 0.1), endedAt: at(seconds), nextPollAt: at(seconds + 3))
}

func failed(_ pipeline: Int, _ stage: Int, _ error: SWRError, at seconds: Double) -> PollResult {
    PollResult(target: Target(pipeline: pipeline, stage: stage), outcome: .failure(error), startedAt: at(seconds - 0.1), endedAt: at(seconds), nextPollAt: at(seconds + 8), failureStreak: 2)
}

/// The scan stage's history: every state, an unknown one, CJK and emoji creators, a long resource.
func scanJobs(progress: Int, duration: Int) -> [Job] {
    [
        job("2211", .building, progress, duration, ago: 62, creator: "王小明"),
        job("2210", .waiting, 0, 0, ago: 30, creator: "🚀 deploy-bot"),
        job("2198", .successful, 100, 42, ago: 7200),
        job("2190", .failed, 37, 20, ago: 9000),
        job("2185", .timeout, 88, 600, ago: 12000, resource: "swr/a-very-long-organisation-name/with-a-very-long-repository-name:1.0.0-rc1+build.20240101"),
        job("2170", .cancelled, 12, 5, ago: 20000),
        job("2166", .unknown("rollbacking"), nil, nil, ago: 30000, raw: "rollbacking"),
        job("2150", .successful, 250, 45, ago: 40000),
    ]
}

/// A state with every kind of stage: running, stale with an error, empty, and another pipeline.
func fixtureState(glyphs: Glyphs = .unicode) -> AppState {
    var state = AppState(pipelines: [tomcat, nginx], now: now, endpointHost: "swr-api.cn-north-4.myhuaweicloud.com", glyphs: glyphs)
    state.timeZone = TimeZone(identifier: "UTC")!
    state.stageIndex = 1
    _ = update(&state, .poll(poll(1024, 0, [job("2200", .successful, 100, 42, ago: 200), job("2190", .successful, 100, 40, ago: 9000)], at: -40)))
    _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 20, duration: 40), at: -20)))
    _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 41, duration: 50), at: -10)))
    _ = update(&state, .poll(poll(1024, 1, scanJobs(progress: 63, duration: 60), at: -1)))
    _ = update(&state, .poll(poll(1024, 2, [], at: -5)))
    _ = update(&state, .poll(poll(1024, 3, [job("2100", .successful, 100, 30, ago: 9000)], at: -50)))
    _ = update(&state, .poll(failed(1024, 3, .server(status: 500, message: "internal error (SVCSTG.SWR.5000001)"), at: -2)))
    _ = update(&state, .poll(poll(1025, 0, [job("3001", .failed, 40, 20, ago: 100, resource: "swr/nginx:2")], at: -3)))
    _ = update(&state, .tick(now))
    return state
}
