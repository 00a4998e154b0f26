import Foundation
import SWRAPI
import SWRWatch

/// The `--once` output: an aligned table, or the documented JSON shape (README "JSON").
public enum SnapshotFormat {
    /// The widest a pipeline or stage name shows in the table (the JSON has them whole).
    static let maxNameColumns = 40

    /// The table's lines: a header, one row per stage, then each distinct error once, with
    /// how many stages of how many pipelines it hit. Columns never grow with an error's text.
    public static func table(_ results: [StageSnapshot]) -> [String] {
        let groups = ErrorGroup.of(results)
        var rows = [["PIPELINE", "STAGE", "JOB", "STATE", "PROGRESS", "DURATION"]]
        for result in results {
            let place = [DisplayWidth.truncate(SafeText.line(result.pipeline.name), to: maxNameColumns),
                         DisplayWidth.truncate(SafeText.line("\(result.stage.index) \(result.stage.name)"), to: maxNameColumns)]
            switch result.outcome {
            case .success where result.pending:
                rows.append(place + ["-", "pending", "-", "-"])
            case .success(let jobs):
                if let job = jobs.first {
                    rows.append(place + [DisplayWidth.truncate(SafeText.line(job.id), to: maxNameColumns),
                                         DisplayWidth.truncate(SafeText.line(job.state.displayName), to: 20),
                                         Format.percent(job.displayProgress), Format.duration(job.duration)])
                } else {
                    rows.append(place + ["-", "no jobs", "-", "-"])
                }
            case .failure(let error):
                let number = (groups.firstIndex { $0.key == ErrorGroup.key(error) } ?? 0) + 1
                rows.append(place + ["-", "error [\(number)]", "-", "-"])
            }
        }
        let widths = (0..<6).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { index, text in index == 5 ? text : DisplayWidth.pad(text, to: widths[index]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        for (number, group) in groups.enumerated() { lines.append("[\(number + 1)] " + group.sentence) }
        return lines
    }

    /// `{"generated_at", "pipelines": [{"id", "name", "run", "stages": [{"index", "name", "pending", "error", "jobs"}]}]}`.
    public static func json(_ results: [StageSnapshot], generatedAt: Date) -> JSONValue {
        var pipelines: [(StageSnapshot, [JSONValue])] = []
        for result in results {
            let stage = stageJSON(result)
            if let index = pipelines.firstIndex(where: { $0.0.pipeline.id == result.pipeline.id }) {
                pipelines[index].1.append(stage)
            } else {
                pipelines.append((result, [stage]))
            }
        }
        return [
            "generated_at": .string(ISO8601.format(generatedAt)),
            "pipelines": .array(pipelines.map { first, stages in
                ["id": .int(first.pipeline.id), "name": .string(first.pipeline.name), "run": first.run.map(runJSON) ?? .null, "stages": .array(stages)]
            }),
        ]
    }

    static func stageJSON(_ result: StageSnapshot) -> JSONValue {
        let head: [(key: String, value: JSONValue)] = [(key: "index", value: .int(result.stage.index)), (key: "name", value: .string(result.stage.name)),
                                                       (key: "pending", value: .bool(result.pending))]
        switch result.outcome {
        case .success(let jobs):
            return .object(JSONObject(head + [(key: "error", value: .null), (key: "jobs", value: .array(jobs.map(jobJSON)))]))
        case .failure(let error):
            return .object(JSONObject(head + [(key: "error", value: errorJSON(error, willRetry: false)), (key: "jobs", value: [])]))
        }
    }

    /// The pipeline's run as the detail call tells it: `{"status", "stage_index", "start_time", "end_time"}`.
    static func runJSON(_ run: PipelineStatus) -> JSONValue {
        ["status": .string(run.status), "stage_index": run.stageIndex.map(JSONValue.int) ?? .null,
         "start_time": run.startTime.map { .string(ISO8601.format($0)) } ?? .null,
         "end_time": run.endTime.map { .string(ISO8601.format($0)) } ?? .null]
    }

    /// A job as every JSON output shows it.
    public static func jobJSON(_ job: Job) -> JSONValue {
        [
            "id": .string(job.id), "state": .string(job.state.label), "raw_state": .string(job.rawState),
            "progress": job.progress.map(JSONValue.int) ?? .null, "duration": job.duration.map(JSONValue.int) ?? .null,
            "resource": job.resource.map(JSONValue.string) ?? .null, "creator_name": job.creatorName.map(JSONValue.string) ?? .null,
            "created_at": job.createdAt.map { .string(ISO8601.format($0)) } ?? .null,
        ]
    }

    /// An error as every JSON output shows it.
    public static func errorJSON(_ error: SWRError, willRetry: Bool = true) -> JSONValue {
        ["kind": .string(error.kind), "status": error.status.map(JSONValue.int) ?? .null, "message": .string(error.describe(willRetry: willRetry))]
    }
}
