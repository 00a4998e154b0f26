import Foundation
import SWRAPI
import SWRTopUI
import SWRWatch
import Terminal

/// `--once`: poll every watched stage once, concurrently, and print a snapshot.
enum OnceMode {
    struct StageResult: Sendable {
        var pipeline: PipelineInfo
        var stage: StageInfo
        var outcome: Result<[Job], SWRError>
    }

    static func run(session: Session, json: Bool, stage: Int?) async -> Int32 {
        let results = await poll(session: session, stage: stage)
        await session.shutdown()
        if json {
            FileDescriptorWriter.write(Snapshot.json(results, generatedAt: Date()).serialized + "\n", fd: 1)
        } else {
            FileDescriptorWriter.write(Snapshot.table(results), fd: 1)
        }
        return results.contains { if case .failure = $0.outcome { true } else { false } } ? Exit.serviceUnreadable : Exit.ok
    }

    /// At most this many requests at once (as the polling engine), however many stages there are.
    static let maxConcurrent = 8

    static func poll(session: Session, stage: Int?) async -> [StageResult] {
        var work: [(pipeline: PipelineInfo, stage: StageInfo)] = []
        for pipeline in session.pipelines {
            for info in pipeline.stages where stage == nil || info.index == stage { work.append((pipeline, info)) }
        }
        return await withTaskGroup(of: (Int, StageResult).self) { group in
            var next = 0
            func start() {
                guard next < work.count else { return }
                let (order, item) = (next, work[next])
                next += 1
                group.addTask { (order, await pollOne(session: session, pipeline: item.pipeline, stage: item.stage)) }
            }
            for _ in 0..<maxConcurrent { start() }
            var all: [(Int, StageResult)] = []
            for await item in group {
                all.append(item)
                start()
            }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func pollOne(session: Session, pipeline: PipelineInfo, stage: StageInfo) async -> StageResult {
        do {
            let jobs = try await session.client.jobs(pipeline: pipeline.id, stage: stage.index)
            return StageResult(pipeline: pipeline, stage: stage, outcome: .success(jobs.sorted(by: Job.newestFirst)))
        } catch let error as SWRError {
            return StageResult(pipeline: pipeline, stage: stage, outcome: .failure(error))
        } catch {
            return StageResult(pipeline: pipeline, stage: stage, outcome: .failure(.transport("the request did not complete")))
        }
    }
}

/// The `--once` output: an aligned table, or the documented JSON shape.
enum Snapshot {
    static func table(_ results: [OnceMode.StageResult]) -> String {
        var rows = [["PIPELINE", "STAGE", "JOB", "STATE", "PROGRESS", "DURATION"]]
        for result in results {
            let place = [result.pipeline.name, "\(result.stage.index) \(result.stage.name)"]
            switch result.outcome {
            case .success(let jobs):
                if let job = jobs.first {
                    rows.append(place + [job.id, job.state.displayName, Format.percent(job.displayProgress), Format.duration(job.duration)])
                } else {
                    rows.append(place + ["-", "no jobs", "-", "-"])
                }
            case .failure(let error):
                rows.append(place + ["-", "ERROR", error.description, ""])
            }
        }
        rows = rows.map { $0.map(SafeText.line) }
        let widths = (0..<6).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, text in index == 5 ? text : DisplayWidth.pad(text, to: widths[index]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    static func json(_ results: [OnceMode.StageResult], generatedAt: Date) -> JSONValue {
        var pipelines: [(PipelineInfo, [JSONValue])] = []
        for result in results {
            let stage = stageJSON(result)
            if let index = pipelines.firstIndex(where: { $0.0.id == result.pipeline.id }) {
                pipelines[index].1.append(stage)
            } else {
                pipelines.append((result.pipeline, [stage]))
            }
        }
        return [
            "generated_at": .string(ISO8601.format(generatedAt)),
            "pipelines": .array(pipelines.map { ["id": .int($0.0.id), "name": .string($0.0.name), "stages": .array($0.1)] }),
        ]
    }

    static func stageJSON(_ result: OnceMode.StageResult) -> JSONValue {
        switch result.outcome {
        case .success(let jobs):
            return ["index": .int(result.stage.index), "name": .string(result.stage.name), "error": .null, "jobs": .array(jobs.map(jobJSON))]
        case .failure(let error):
            return ["index": .int(result.stage.index), "name": .string(result.stage.name), "error": errorJSON(error), "jobs": []]
        }
    }

    static func jobJSON(_ job: Job) -> JSONValue {
        [
            "id": .string(job.id), "state": .string(job.state.label), "raw_state": .string(job.rawState),
            "progress": job.progress.map(JSONValue.int) ?? .null, "duration": job.duration.map(JSONValue.int) ?? .null,
            "resource": job.resource.map(JSONValue.string) ?? .null, "creator_name": job.creatorName.map(JSONValue.string) ?? .null,
            "created_at": job.createdAt.map { .string(ISO8601.format($0)) } ?? .null,
        ]
    }

    static func errorJSON(_ error: SWRError) -> JSONValue {
        ["kind": .string(error.kind), "status": error.status.map(JSONValue.int) ?? .null, "message": .string(error.description)]
    }
}
