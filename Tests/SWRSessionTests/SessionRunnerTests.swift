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
    enum Kind: Hashable { case jobs, detail, log, page }

    private struct Waiter {
        let id: UUID
        let condition: @Sendable ([Kind: Int]) -> Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private let state = Mutex<(counts: [Kind: Int], waiters: [Waiter])>(([:], []))

    var counts: [Kind: Int] { state.withLock { $0.counts } }

    static func kind(of url: String) -> Kind {
        if url.contains("/logs") { return .log }
        if url.hasSuffix("/jobs") { return .jobs }
        if url.contains("?") { return .page }
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
        case .page: return HTTPResponse(status: 200, body: Array(#"{"total": 0, "pipelines": []}"#.utf8))
        }
    }

    /// Returns once the counts of requests satisfy `condition` (at once if they do now), or
    /// when the calling task is cancelled (a test past its time limit), so check the counts after.
    func waitUntil(_ condition: @escaping @Sendable ([Kind: Int]) -> Bool) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if Task.isCancelled || condition(s.counts) { return true }
                    s.waiters.append(Waiter(id: id, condition: condition, continuation: continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> Waiter? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}

/// The session's background work as the dashboard drives it: pause stops every reader (stages,
/// run status, the open log), resume brings each back.
@Suite(.timeLimit(.minutes(3))) struct SessionRunnerTests {
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

        // Every reader has asked once; then the clock moves on (each step once someone sleeps on
        // it) until each has asked again.
        await transport.waitUntil { $0[.jobs, default: 0] >= 1 && $0[.detail, default: 0] >= 1 && $0[.log, default: 0] >= 1 }
        let again: @Sendable ([CountingTransport.Kind: Int]) -> Bool = { counts in
            [CountingTransport.Kind.jobs, .detail, .log].allSatisfy { counts[$0, default: 0] >= 2 }
        }
        for _ in 0..<100 where !again(transport.counts) && !Task.isCancelled {
            await clock.waitForSleepers(1)
            clock.advance(by: 3)
        }
        await transport.waitUntil(again)
        #expect(again(transport.counts), "\(transport.counts)")

        // Paused: an hour on the clock asks nothing. Commands run in order, so the page of
        // pipelines asked after the pause shows it has been applied; the one asked after the hour
        // comes after anything the hour woke.
        runner.send(.pause)
        runner.send(.loadPipelines(offset: 0, limit: 1))
        await transport.waitUntil { $0[.page, default: 0] >= 1 }
        let paused = transport.counts
        for _ in 0..<60 { clock.advance(by: 60) }
        runner.send(.loadPipelines(offset: 1, limit: 1))
        await transport.waitUntil { $0[.page, default: 0] >= 2 }
        for kind in [CountingTransport.Kind.jobs, .detail, .log] {
            #expect(transport.counts[kind] == paused[kind], "\(kind) was read while paused")
        }

        // Resumed: each of the three asks again.
        runner.send(.resume)
        await transport.waitUntil { counts in
            [CountingTransport.Kind.jobs, .detail, .log].allSatisfy { counts[$0, default: 0] > paused[$0, default: 0] }
        }
        let resumed = transport.counts
        #expect([CountingTransport.Kind.jobs, .detail, .log].allSatisfy { resumed[$0, default: 0] > paused[$0, default: 0] })
    }
}
