import Foundation
import SWRAPI
import SWRWatch

/// `--once`: every watched stage polled once, at most `Session.maxConcurrent` at a time, then a
/// snapshot printed (a table, or the documented JSON) and an exit code: 0, or 3 when a stage
/// could not be read.
public enum OnceMode {
    /// Polls, prints on `output`, shuts the session down, and returns the exit code.
    public static func run(session: Session, json: Bool, stage: Int?, output: ScriptOutput = .standard, now: @Sendable () -> Date = Date.init) async -> Int32 {
        let client = session.client
        let details = await details(session.pipelines.map(\.id)) { try await client.pipeline(id: $0) }
        let results = await poll(session.pipelines, stage: stage, source: session.client, runs: details.compactMapValues(\.status))
        if let history = session.history {
            let at = now()
            for result in results {
                history.record(PollResult(target: Target(pipeline: result.pipeline.id, stage: result.stage.index), outcome: result.outcome,
                                          startedAt: at, endedAt: at, nextPollAt: at))
            }
            for pipeline in details.values { history.record(pipeline) }
        }
        await session.shutdown()
        if json {
            output.line(SnapshotFormat.json(results, generatedAt: now()).serialized)
        } else {
            output.lines(SnapshotFormat.table(results))
        }
        return results.contains { $0.error != nil } ? ExitStatus.serviceUnreadable : ExitStatus.ok
    }

    /// Each pipeline's detail (with its run status), at most `Session.maxConcurrent` at a time; a
    /// pipeline whose detail cannot be read has none (its stages are then never pending).
    public static func details(_ ids: [Int], read: @escaping @Sendable (Int) async throws -> Pipeline?) async -> [Int: Pipeline] {
        await withTaskGroup(of: (Int, Pipeline?).self) { group in
            var next = 0
            func start() {
                guard next < ids.count else { return }
                let id = ids[next]
                next += 1
                group.addTask { (id, try? await read(id)) }
            }
            for _ in 0..<Session.maxConcurrent { start() }
            var details: [Int: Pipeline] = [:]
            for await (id, detail) in group {
                details[id] = detail
                start()
            }
            return details
        }
    }

    /// Every watched stage (or those with index `stage`) polled once, in watch order; a stage
    /// the current run (from `runs`) has not reached is marked pending.
    public static func poll(_ pipelines: [PipelineInfo], stage: Int?, source: any JobSource, runs: [Int: PipelineStatus] = [:]) async -> [StageSnapshot] {
        var work: [(pipeline: PipelineInfo, stage: StageInfo)] = []
        for pipeline in pipelines {
            for info in pipeline.stages where stage == nil || info.index == stage { work.append((pipeline, info)) }
        }
        return await withTaskGroup(of: (Int, StageSnapshot).self) { group in
            var next = 0
            func start() {
                guard next < work.count else { return }
                let (order, item) = (next, work[next])
                next += 1
                group.addTask { (order, await pollOne(item.pipeline, item.stage, source: source)) }
            }
            for _ in 0..<Session.maxConcurrent { start() }
            var all: [(Int, StageSnapshot)] = []
            for await item in group {
                all.append(item)
                start()
            }
            return all.sorted { $0.0 < $1.0 }.map { _, result in
                var result = result
                result.run = runs[result.pipeline.id]
                result.pending = RunPosition.isPending(stage: result.stage.index, status: result.run, newestJob: try? result.outcome.get().first)
                return result
            }
        }
    }

    static func pollOne(_ pipeline: PipelineInfo, _ stage: StageInfo, source: any JobSource) async -> StageSnapshot {
        do {
            let jobs = try await source.jobs(pipeline: pipeline.id, stage: stage.index)
            return StageSnapshot(pipeline: pipeline, stage: stage, outcome: .success(jobs.sorted(by: Job.newestFirst)))
        } catch let error as SWRError {
            return StageSnapshot(pipeline: pipeline, stage: stage, outcome: .failure(error))
        } catch {
            return StageSnapshot(pipeline: pipeline, stage: stage, outcome: .failure(.transport("the request did not complete")))
        }
    }
}

/// What one stage answered to `--once`: its jobs, newest first, or the error; and whether the
/// pipeline's current run has reached it.
public struct StageSnapshot: Sendable {
    public var pipeline: PipelineInfo
    public var stage: StageInfo
    public var outcome: Result<[Job], SWRError>
    /// The pipeline's run status, when the detail call answered.
    public var run: PipelineStatus?
    /// The current run has not reached this stage: its newest job, if any, is from an earlier run.
    public var pending: Bool

    public init(pipeline: PipelineInfo, stage: StageInfo, outcome: Result<[Job], SWRError>, run: PipelineStatus? = nil, pending: Bool = false) {
        self.pipeline = pipeline
        self.stage = stage
        self.outcome = outcome
        self.run = run
        self.pending = pending
    }

    public var error: SWRError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }
}
