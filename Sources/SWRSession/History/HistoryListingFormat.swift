import Foundation
import SWRAPI
import SWRHistory
import SWRWatch

/// The forms `swr-top history` prints in.
public enum HistoryListingStyle: String, Sendable, CaseIterable {
    case table, json, csv
}

/// One stage's stored jobs and what they add up to, as `swr-top history` prints it.
public struct ListedStage: Sendable, Equatable {
    public var host: String
    public var target: Target
    /// Newest first.
    public var jobs: [ListedJob]

    public init(host: String, target: Target, jobs: [ListedJob]) {
        self.host = host
        self.target = target
        self.jobs = jobs
    }

    /// Groups jobs (ordered by host, stage, newest first, as `listJobs` returns them) by stage.
    public static func group(_ jobs: [ListedJob]) -> [ListedStage] {
        var stages: [ListedStage] = []
        for job in jobs {
            if let last = stages.last, last.host == job.host, last.target == job.target {
                stages[stages.count - 1].jobs.append(job)
            } else {
                stages.append(ListedStage(host: job.host, target: job.target, jobs: [job]))
            }
        }
        return stages
    }

    /// How the listed jobs ended (see `OutcomeCounts`).
    public var outcomes: OutcomeCounts {
        var counts = OutcomeCounts()
        for job in jobs { counts.add(job.job.state) }
        return counts
    }

    /// p50 and p90 of the newest successful jobs' durations (at most `HistoryReader.usualSamples`).
    public var usual: UsualDuration? {
        UsualDuration(durations: Array(jobs.lazy.filter { $0.job.state == .successful }.compactMap(\.job.duration).filter { $0 >= 0 }
            .prefix(HistoryReader.usualSamples)))
    }

    /// Whether the newest outcomes alternate (see `Flakiness`).
    public var isFlaky: Bool { Flakiness.isFlaky(jobs.map(\.job.state)) }
}

/// The output of `swr-top history`: a table for people, JSON for scripts, CSV for spreadsheets.
/// Every text that came from the service passes `SafeText.line` first, whatever the form; CSV
/// cells are quoted as RFC 4180 says and a cell that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`.
public enum HistoryListingFormat {
    /// `{"generated_at", "since", "stages": [{"endpoint", "pipeline_id", "stage_index", "summary", "jobs"}]}`
    /// (README "swr-top history").
    public static func json(_ stages: [ListedStage], since: Date?, generatedAt: Date) -> JSONValue {
        [
            "generated_at": .string(ISO8601.format(generatedAt)),
            "since": since.map { .string(ISO8601.format($0)) } ?? .null,
            "stages": .array(stages.map(stageJSON)),
        ]
    }

    static func stageJSON(_ stage: ListedStage) -> JSONValue {
        let outcomes = stage.outcomes
        let usual = stage.usual
        return [
            "endpoint": .string(SafeText.line(stage.host)),
            "pipeline_id": .int(stage.target.pipeline),
            "stage_index": .int(stage.target.stage),
            "summary": [
                "jobs": .int(stage.jobs.count),
                "successful": .int(outcomes.successful), "failed": .int(outcomes.failed),
                "timed_out": .int(outcomes.timedOut), "cancelled": .int(outcomes.cancelled),
                "success_rate": outcomes.successRate.map { .double(rounded($0)) } ?? .null,
                "p50_duration": usual.map { .double(rounded($0.p50)) } ?? .null,
                "p90_duration": usual.map { .double(rounded($0.p90)) } ?? .null,
                "flaky": .bool(stage.isFlaky),
            ],
            "jobs": .array(stage.jobs.map(jobJSON)),
        ]
    }

    /// A stored job: the keys of `--once --json`'s jobs, then when swr-top first and last saw it.
    static func jobJSON(_ listed: ListedJob) -> JSONValue {
        let job = listed.job
        return [
            "id": .string(SafeText.line(job.id)), "state": .string(job.state.label), "raw_state": .string(SafeText.line(job.rawState)),
            "progress": job.progress.map(JSONValue.int) ?? .null, "duration": job.duration.map(JSONValue.int) ?? .null,
            "resource": job.resource.map { .string(SafeText.line($0)) } ?? .null,
            "creator_name": job.creatorName.map { .string(SafeText.line($0)) } ?? .null,
            "created_at": job.createdAt.map { .string(ISO8601.format($0)) } ?? .null,
            "first_seen": .string(ISO8601.format(listed.firstSeen)),
            "last_seen": .string(ISO8601.format(listed.lastSeen)),
        ]
    }

    /// Four decimals: enough for a rate or seconds, and stable text.
    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    /// The CSV header.
    public static let csvColumns = ["endpoint", "pipeline_id", "stage_index", "job_id", "state", "raw_state", "progress", "duration",
                                    "created_at", "first_seen", "last_seen", "resource", "creator_name"]

    /// A header line, then one line per job.
    public static func csv(_ stages: [ListedStage]) -> [String] {
        var lines = [csvColumns.joined(separator: ",")]
        for stage in stages {
            for listed in stage.jobs {
                let job = listed.job
                let key: [String] = [text(stage.host), String(stage.target.pipeline), String(stage.target.stage), text(job.id)]
                let values: [String] = [job.state.label, text(job.rawState), job.progress.map { String($0) } ?? "", job.duration.map { String($0) } ?? ""]
                let created: String = job.createdAt.map { ISO8601.format($0) } ?? ""
                let seen: [String] = [created, ISO8601.format(listed.firstSeen), ISO8601.format(listed.lastSeen)]
                let who: [String] = [job.resource.map { text($0) } ?? "", job.creatorName.map { text($0) } ?? ""]
                let cells = key + values + seen + who
                lines.append(cells.joined(separator: ","))
            }
        }
        return lines
    }

    /// A text cell: sanitised, defused for spreadsheets, quoted when needed.
    static func text(_ value: String) -> String {
        csvCell(SafeText.line(value))
    }

    /// One CSV cell: `'` before a leading `=`, `+`, `-`, `@` (a formula to a spreadsheet), then
    /// quoted (with `"` doubled) when it holds a comma, a quote, a line break, or spaces at
    /// either end.
    public static func csvCell(_ value: String) -> String {
        var cell = value
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { cell = "'" + cell }
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || cell.first == " " || cell.last == " "
        return needsQuotes ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    /// The table: for each stage a heading with its figures, then its jobs, newest first.
    public static func table(_ stages: [ListedStage]) -> [String] {
        var lines: [String] = []
        for stage in stages {
            let outcomes = stage.outcomes
            var heading = "\(SafeText.line(stage.host)) pipeline \(stage.target.pipeline) stage \(stage.target.stage): \(stage.jobs.count) job\(stage.jobs.count == 1 ? "" : "s")"
            if let rate = outcomes.successRate { heading += ", \(Int((rate * 100).rounded()))% successful of \(outcomes.decided)" }
            if let usual = stage.usual {
                heading += ", p50 \(Format.duration(Checked.int(usual.p50.rounded()))), p90 \(Format.duration(Checked.int(usual.p90.rounded())))"
            }
            if stage.isFlaky { heading += ", FLAKY (outcomes alternate)" }
            if !lines.isEmpty { lines.append("") }
            lines.append(heading)
            var rows = [["JOB", "STATE", "DURATION", "CREATED", "CREATOR"]]
            for listed in stage.jobs {
                let job = listed.job
                rows.append([
                    DisplayWidth.truncate(SafeText.line(job.id), to: 24), SafeText.line(job.state.displayName), Format.duration(job.duration),
                    ISO8601.format(listed.at, fractionDigits: 0), DisplayWidth.truncate(SafeText.line(job.creatorName ?? "-"), to: 24),
                ])
            }
            let widths = (0..<5).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
            for row in rows {
                lines.append(row.enumerated().map { index, cell in index == 4 ? cell : DisplayWidth.pad(cell, to: widths[index]) }
                    .joined(separator: "  "))
            }
        }
        return lines
    }
}
