import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SWRAPI
import SWRHistory
import SWRSession
import ServiceLifecycle
import SWRWatch
import Synchronization

/// A running exporter: the session's engine on the focus-free schedule (every stage at the base
/// interval while its newest job runs, slower once settled), each pipeline's run status once a
/// minute, and the HTTP server answering `/metrics`, `/healthz`, `/readyz` and `/api/state`.
/// Like every mode, it records what it sees in the session's history file.
public final class Exporter: Sendable {
    /// The address bound (with the port the system chose when asked for 0).
    public let address: ListenAddress
    /// The requests per minute it makes.
    public let rate: RequestRate
    let core: ExporterCore
    private let tasks: Mutex<[Task<Void, Never>]>
    private let server: Server

    /// How often each pipeline's run status is read.
    public static func detailInterval(_ schedule: PollSchedule) -> TimeInterval { schedule.cap }

    /// The HTTP server's service group (stopped gracefully, never by cancelling its task: NIO
    /// traps when a connection accepted at that moment is dropped unserved) and its task.
    private struct Server: Sendable {
        let group: ServiceGroup
        let task: Task<Void, any Error>
    }

    /// How long a graceful stop may take before the server's task is cancelled.
    static let gracefulStopLimit: Duration = .seconds(5)

    private init(address: ListenAddress, rate: RequestRate, core: ExporterCore, tasks: [Task<Void, Never>], server: Server) {
        self.address = address
        self.rate = rate
        self.core = core
        self.tasks = Mutex(tasks)
        self.server = server
    }

    /// The base URL, `http://HOST:PORT`.
    public var url: String { "http://\(address)" }

    /// Binds `listen`, then starts polling `session`'s stages. `token`: the bearer token every
    /// request must carry (nil: none). Throws `ExportStartError` when the address cannot be bound.
    public static func start(session: Session, listen: ListenAddress, token: String?, version: String,
                             clock: any WatchClock = SystemWatchClock()) async throws(ExportStartError) -> Exporter {
        var schedule = session.schedule
        schedule.uniform = true
        let targets = session.targets()
        let rate = RequestRate(stages: targets.count, pipelines: session.pipelines.count, schedule: schedule,
                               detailInterval: detailInterval(schedule))
        var metrics = ExportMetrics(pipelines: session.pipelines, schedule: schedule, startedAt: clock.now())
        // What earlier sessions saw, before the first poll: jobs that finished while nobody
        // watched count, those an earlier session saw finished do not.
        let history = session.history
        if let history, let known = try? await history.reader.lastKnown(targets: targets, timelines: .none) {
            for stage in known { metrics.seed(stage.target, jobs: stage.jobs, lastSeen: stage.lastSeen) }
        }
        let core = ExporterCore(metrics: metrics, version: version, clock: clock, token: token)
        let (server, port) = try await serve(core, on: listen)
        let engine = session.engine(targets: targets, schedule: schedule, clock: clock)
        let client = session.client
        let details = Refresher<Int, Pipeline>(clock: clock) { id in
            let started = clock.instant()
            do {
                let pipeline = try await client.pipeline(id: id)
                core.request(.pipelineDetail, error: nil, seconds: clock.instant().seconds(since: started))
                return pipeline
            } catch let error as SWRError {
                core.request(.pipelineDetail, error: error, seconds: clock.instant().seconds(since: started))
                throw error
            }
        }
        let tasks = [
            Task.detached { await engine.run() },
            Task.detached { await details.run() },
            Task.detached {
                for await result in engine.results {
                    history?.record(result)
                    core.ingest(result)
                }
            },
            Task.detached {
                for await update in details.updates {
                    if case .success(let pipeline) = update.outcome { history?.record(pipeline) }
                    core.ingestDetail(pipeline: update.key, update.outcome)
                }
            },
            Task.detached {
                for pipeline in session.pipelines { await details.set(pipeline.id, every: detailInterval(schedule)) }
            },
        ]
        return Exporter(address: ListenAddress(host: listen.host, port: port), rate: rate, core: core, tasks: tasks, server: server)
    }

    /// Serves `core` on `listen`; the server's task and the port bound.
    private static func serve(_ core: ExporterCore, on listen: ListenAddress) async throws(ExportStartError) -> (Server, Int) {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let answer = core.answer(ExportRequest(method: request.method.rawValue, path: request.uri.path,
                                                   authorization: request.headers[.authorization]))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields[name] = value }
            }
            let body = request.method == .head ? [] : answer.body
            return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let logger = Logger(label: "swr-top.export", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "swr-top-export"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task {
            do { try await group.run() } catch {
                continuation.finish()
                throw error
            }
        }
        var bound = 0
        for await port in ports { bound = port }
        guard bound > 0 else {
            let reason: String
            do {
                try await task.value
                reason = "the server stopped"
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                reason = "the address is in use"
            } catch {
                reason = "\(error)"
            }
            throw ExportStartError(message: "cannot listen on \(listen): \(reason)")
        }
        return (Server(group: group, task: task), bound)
    }

    /// Waits until the server stops (by itself, which it should not, or by `stop`).
    public func waitForServer() async {
        _ = try? await server.task.value
    }

    /// Stops polling (requests in flight are abandoned) and serving (gracefully: answers being
    /// written are finished, idle connections closed). Does not shut the session down.
    public func stop() async {
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        let server = self.server
        await server.group.triggerGracefulShutdown()
        await withTaskGroup(of: Void.self) { race in
            race.addTask { _ = try? await server.task.value }
            race.addTask {
                // A connection that never lets go must not hold the exit forever.
                guard (try? await Task.sleep(for: Self.gracefulStopLimit)) != nil else { return }
                server.task.cancel()
            }
            await race.next()
            race.cancelAll()
        }
    }
}

/// The exporter could not start: the address is taken or cannot be bound.
public struct ExportStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
