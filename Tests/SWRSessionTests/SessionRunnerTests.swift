import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSession
@testable import SWRWatch

/// A transport that answers every request at once (`[]` for jobs, a run for the detail call, an
/// empty log) and lets a test wait, without polling, until the requests it has seen satisfy a
/// condition.
final class CountingTransport: HTTPTransport {
    enum Kind: Hashable { case jobs, detail, log }

    private struct Waiter {
        let condition: @Sendable ([Kind: Int]) -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private let state = Mutex<(counts: [Kind: Int], waiters: [Waiter])>(([:], []))

    var counts: [Kind: Int] { state.withLock { $0.counts } }

    static func kind(of url: String) -> Kind {
        if url.contains("/logs") { return .log }
        if url.hasSuffix("/jobs") { return .jobs }
        return .detail
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let kind = Self.kind(of: request.url)
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.counts[kind, default: 0] += 1
            let counts = s.counts
            let (met, waiting) = (s.waiters.filter { $0.condition(counts) }, s.waiters.filter { !$0.condition(counts) })
            s.waiters = waiting
            return met.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
        switch kind {
        case .jobs: return HTTPResponse(status: 200, body: Array("[]".utf8))
        case .detail: return HTTPResponse(status: 200, body: Array(#"{"id": 1, "name": "p", "status": "running"}"#.utf8))
        case .log: return HTTPResponse(status: 200, body: Array(#"{"total": 0, "logs": []}"#.utf8))
        }
    }

    /// Returns once the counts of requests satisfy `condition` (at once if they do now).
    func waitUntil(_ condition: @escaping @Sendable ([Kind: Int]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if condition(s.counts) { return true }
                s.waiters.append(Waiter(condition: condition, continuation: continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// The session's background work as the dashboard drives it: pause stops every reader (stages,
/// run status, the open log), resume brings each back.
@Suite(.timeLimit(.minutes(1))) struct SessionRunnerTests {
    static let target = Target(pipeline: 1, stage: 0)

    @Test func pauseStopsEveryReaderAndResumeBringsThemBack() async throws {
        let transport = CountingTransport()
        let clock = ManualWatchClock(start: Date(timeIntervalSince1970: 1_700_000_000))
        let client = SWRClient(endpoint: "http://127.0.0.1:9", transport: transport, tokens: StaticTokenProvider("t"))
        let session = Session(client: client, pipelines: [PipelineInfo(id: 1, name: "p", stages: [StageInfo(index: 0, name: "s")])],
                              interval: 3, timeout: 10, endpointHost: "127.0.0.1")
        let runner = SessionRunner(session: session, targets: [Self.target], clock: clock) { _ in }
        defer { runner.stop() }
        runner.send(.focus(Self.target))
        runner.send(.followLog(JobRef(target: Self.target, jobID: "7")))

        // Every reader has asked once and sleeps until its next turn.
        await transport.waitUntil { $0[.jobs, default: 0] >= 1 && $0[.detail, default: 0] >= 1 && $0[.log, default: 0] >= 1 }
        await clock.waitUntil { $0.deadlines.count == 3 }
        clock.advance(by: 3)
        await transport.waitUntil { $0[.jobs, default: 0] >= 2 && $0[.detail, default: 0] >= 2 && $0[.log, default: 0] >= 2 }

        // Paused: nobody sleeps on the clock any more (a reader left running would keep its
        // deadline, and this wait would end only at the time limit), and an hour asks nothing.
        runner.send(.pause)
        await clock.waitUntil { $0.deadlines.isEmpty }
        let paused = transport.counts
        for _ in 0..<60 { #expect(clock.advance(by: 60) == 0) }
        #expect(transport.counts == paused)

        // Resumed: each of the three asks again.
        runner.send(.resume)
        await transport.waitUntil { counts in
            [CountingTransport.Kind.jobs, .detail, .log].allSatisfy { counts[$0, default: 0] > paused[$0, default: 0] }
        }
        let resumed = transport.counts
        #expect([CountingTransport.Kind.jobs, .detail, .log].allSatisfy { resumed[$0, default: 0] > paused[$0, default: 0] })
    }
}
