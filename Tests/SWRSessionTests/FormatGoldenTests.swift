import Foundation
import Testing
@testable import SWRAPI
@testable import SWRSession
@testable import SWRWatch

/// Every line `--watch` and `--once` can print, byte for byte, in both forms: the scripted
/// contract (README "JSON"), checked without a process.
@Suite struct FormatGoldenTests {
    /// One change of every kind, a snapshot with and without a job, and one log line of each kind.
    static func everyWatchLine(_ format: WatchFormat) -> String {
        let running = Fixture.job("2211", .building, progress: 63, duration: 62)
        let changes: [JobChange.Kind] = [
            .appeared(running),
            .stateChanged(jobID: "2211", from: .waiting, to: .building),
            .progressChanged(jobID: "2211", from: 41, to: 63),
            .progressChanged(jobID: "2211", from: nil, to: 5),
            .durationChanged(jobID: "2211", from: 60, to: 62),
            .disappeared(jobID: "2100"),
            .targetFailed(.unauthorized(message: "token expired")),
            .targetFailed(.server(status: 503, message: nil)),
            .targetRecovered,
        ]
        var lines = [
            format.snapshot(Fixture.build, job: running, at: Fixture.at(0)),
            format.snapshot(Fixture.nginx, job: nil, at: Fixture.at(0)),
            format.snapshot(Target(pipeline: 99, stage: 7), job: nil, at: Fixture.at(0)),
        ]
        lines += changes.enumerated().map { format.change(JobChange(at: Fixture.at(Double($0.offset + 1)), target: Fixture.build, kind: $0.element)) }
        let job = JobRef(target: Fixture.deploy, jobID: "2211")
        let logTimes: [Date?] = [Fixture.at(20), nil]
        for time in logTimes {
            for kind in [JobLog.Line.Kind.phase, .content, .raw, .note] {
                lines.append(format.log(JobLog.Line(kind: kind, message: "\u{1B}[32mstep\u{1B}[0m\tdone", time: time), job: job, at: Fixture.at(30)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func watchTextLines() {
        assertGolden(Self.everyWatchLine(WatchFormat(pipelines: Fixture.pipelines, json: false, timeZone: Fixture.utc)), "watch.txt")
    }

    @Test func watchJSONLines() {
        let text = Self.everyWatchLine(WatchFormat(pipelines: Fixture.pipelines, json: true, timeZone: Fixture.utc))
        assertGolden(text, "watch.jsonl")
        // Every line is one JSON object that the reader takes back, starting with the same six keys.
        for line in text.split(separator: "\n") {
            guard case .object(let object)? = try? JSONParser.parse(String(line)) else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            #expect(object.members.prefix(6).map(\.key) == ["at", "event", "pipeline_id", "pipeline", "stage_index", "stage"])
        }
    }

    static let run = PipelineStatus(status: "running", stageIndex: 0, startTime: Fixture.at(-70), endTime: nil,
                                    stages: [StageStatus(status: "running", startTime: Fixture.at(-62)), StageStatus(status: "waiting")])
    static let snapshot: [StageSnapshot] = [
        StageSnapshot(pipeline: Fixture.pipelines[0], stage: Fixture.pipelines[0].stages[0],
                      outcome: .success([Fixture.job("2211", .building, progress: 63, duration: 62, created: -62),
                                         Fixture.job("2198", .successful, progress: 100, duration: 12, created: -7200)]), run: run),
        // The run has not reached deploy: its newest job is yesterday's.
        StageSnapshot(pipeline: Fixture.pipelines[0], stage: Fixture.pipelines[0].stages[1],
                      outcome: .success([Fixture.job("2100", .successful, progress: 100, duration: 30, created: -86_400)]), run: run, pending: true),
        StageSnapshot(pipeline: Fixture.pipelines[1], stage: Fixture.pipelines[1].stages[0],
                      outcome: .failure(.unauthorized(message: "the token expired"))),
    ]

    @Test func onceTable() {
        assertGolden(SnapshotFormat.table(Self.snapshot).joined(separator: "\n") + "\n", "once.txt")
    }

    @Test func onceJSON() {
        assertGolden(SnapshotFormat.json(Self.snapshot, generatedAt: Fixture.t0).serialized + "\n", "once.json")
    }

    /// A refused token on every stage: said once, with how many stages and pipelines, and the
    /// columns as narrow as the jobs make them.
    @Test func identicalErrorsAreSaidOnceAndColumnsStayFixed() {
        let pipelines = (1...5).map { id in PipelineInfo(id: id, name: "p\(id)", stages: (0..<4).map { StageInfo(index: $0, name: "s\($0)") }) }
        var results: [StageSnapshot] = []
        for pipeline in pipelines {
            for stage in pipeline.stages {
                let outcome: Result<[Job], SWRError> = pipeline.id == 1 && stage.index == 0
                    ? .success([Fixture.job("9", .successful, progress: 100, duration: 5)])
                    : pipeline.id == 5 && stage.index == 3 ? .failure(.server(status: 503, message: "busy")) : .failure(.unauthorized(message: "expired"))
                results.append(StageSnapshot(pipeline: pipeline, stage: stage, outcome: outcome))
            }
        }
        let lines = SnapshotFormat.table(results)
        assertGolden(lines.joined(separator: "\n") + "\n", "once-errors.txt")
        #expect(lines.filter { $0.contains("token refused") } == [
            "[1] token refused (401) on 18 stages of 5 pipelines: expired — the token is missing, wrong or expired; set a fresh token (SWR_TOKEN) or use IAM login in the config",
        ])
        #expect(lines.last == "[2] server error 503 on 1 stage of 1 pipeline: busy — the service is having trouble; try again later")
        #expect(lines.prefix(21).allSatisfy { DisplayWidth.of($0) <= DisplayWidth.of(lines[0]) })
        #expect(!lines.joined().contains("retrying"))
    }

    @Test func serverTextCannotBreakALine() {
        let hostile = [PipelineInfo(id: 1, name: "evil\n\u{1B}[2Jname\u{202E}", stages: [StageInfo(index: 0, name: "b\r\u{7}")])]
        let capture = CapturedOutput()
        let format = WatchFormat(pipelines: hostile, json: false, timeZone: Fixture.utc)
        capture.output.line(format.snapshot(Target(pipeline: 1, stage: 0), job: Fixture.job("x\ny", .failed), at: Fixture.t0))
        #expect(capture.outLines.count == 1)
        #expect(!capture.out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0 == "\u{202E}" })
    }
}
