import Foundation
import Testing
@testable import SWRAPI

/// The official example of the jobs page, verbatim.
let officialExample = """
[
  {
    "id": 2211,
    "service": "jenkins_build",
    "service_id": 2865,
    "region_name": "",
    "resource_type": "image",
    "resource": "swr/tomcat:1.0",
    "duration": "12",
    "state": "Successful",
    "progress": "100",
    "pkg": null,
    "creator_id": "c6993164847244928091da9e86fb723f",
    "creator_name": "f00355482",
    "created_at": "2018-12-15T12:33:45.459407Z",
    "log_num": 1
  }
]
"""

func decode(_ text: String) throws -> [Job] {
    try Job.decodeList(Array(text.utf8))
}

@Suite struct DecodingTests {
    @Test func officialExampleVerbatim() throws {
        let jobs = try decode(officialExample)
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        #expect(job.id == "2211")
        #expect(job.state == .successful)
        #expect(job.rawState == "Successful")
        #expect(job.duration == 12)
        #expect(job.progress == 100)
        #expect(job.resource == "swr/tomcat:1.0")
        #expect(job.resourceType == "image")
        #expect(job.service == "jenkins_build")
        #expect(job.creatorName == "f00355482")
        #expect(job.logCount == 1)
        let created = try #require(job.createdAt)
        #expect(abs(created.timeIntervalSince1970 - 1_544_877_225.459407) < 0.000_01)
    }

    @Test func documentedShape() throws {
        let jobs = try decode(#"[{"id": "88", "duration": 42, "progress": 63, "status": "Building"}]"#)
        #expect(jobs == [Job(id: "88", state: .building, rawState: "Building", progress: 63, duration: 42)])
    }

    @Test func stateSynonymsCaseInsensitive() throws {
        let cases: [(String, JobState)] = [
            ("success", .successful), ("SUCCEEDED", .successful), ("running", .building), ("Cancel", .cancelled),
            ("canceled", .cancelled), ("cancelled", .cancelled), ("fail", .failed), ("failure", .failed),
            ("pending", .waiting), ("queued", .waiting), ("TIMEOUT", .timeout), ("Waiting", .waiting),
        ]
        for (raw, expected) in cases {
            let job = try #require(try decode(#"[{"id": 1, "state": "\#(raw)"}]"#).first)
            #expect(job.state == expected, "\(raw)")
            #expect(job.rawState == raw)
        }
    }

    @Test func stateTakesPrecedenceOverStatus() throws {
        let job = try #require(try decode(#"[{"id": 1, "status": "Failed", "state": "success"}]"#).first)
        #expect(job.state == .successful)
    }

    @Test func unknownAndEmptyStatesAreKept() throws {
        let jobs = try decode(#"[{"id": 1, "state": "rollbacking"}, {"id": 2, "state": ""}, {"id": 3}, {"id": 4, "state": 7}]"#)
        #expect(jobs.map(\.state) == [.unknown("rollbacking"), .unknown(""), .unknown(""), .unknown("7")])
        #expect(jobs[0].state.displayName == "rollbacking")
        #expect(jobs[1].state.displayName == "(empty)")
    }

    @Test func hostileFieldsNeverDropTheJob() throws {
        let body = """
        [{"id": null, "state": null, "progress": null, "duration": "abc", "created_at": "yesterday"},
         {"id": 5, "progress": 250, "duration": -3, "resource": {"nested": [1, 2, {"deep": true}]}},
         {"id": 6, "progress": "63.7", "duration": 1e3, "creator_name": "王小明 🚀", "created_at": "0001-01-01T00:00:00Z"},
         {"id": 7, "progress": 99999999999999999999999, "duration": "1e400"},
         "not a job", 42, null,
         {"id": 2.0, "progress": -20}]
        """
        let jobs = try decode(body)
        #expect(jobs.count == 5)
        #expect(jobs[0].id == "?0")
        #expect(jobs[0].progress == nil && jobs[0].duration == nil && jobs[0].createdAt == nil)
        // Out of range is absent (shown as –), never clamped into a plausible lie.
        #expect(jobs[1].progress == nil && jobs[1].displayProgress == nil)
        #expect(jobs[1].duration == nil)
        #expect(jobs[1].resource == nil)
        #expect(jobs[2].progress == 63 && jobs[2].duration == 1000)
        #expect(jobs[2].creatorName == "王小明 🚀")
        #expect(jobs[2].createdAt == nil)
        #expect(jobs[3].progress == nil && jobs[3].duration == nil)
        #expect(jobs[4].id == "2" && jobs[4].displayProgress == nil)
        #expect(jobs[0].hasID == false && jobs[1].hasID)
    }

    @Test func notAnArrayIsADecodingError() {
        #expect(throws: SWRError.decoding("expected a JSON array of jobs, got an object")) {
            try decode(#"{"jobs": []}"#)
        }
        #expect(throws: SWRError.decoding("expected a JSON array of jobs, got null")) { try decode("null") }
    }

    @Test func truncatedAndNonJSONBodies() {
        for body in ["[{\"id\": 1, \"state\": \"Succ", "", "<html><body>502 Bad Gateway</body></html>", "[1,]", "[{\"id\":1}] trailing"] {
            do {
                _ = try decode(body)
                Issue.record("expected a decoding error for \(body)")
            } catch let error as SWRError {
                guard case .decoding(let reason) = error else { Issue.record("wrong kind \(error)"); continue }
                #expect(reason.hasPrefix("the job history is not valid JSON"))
                #expect(reason.contains("line 1"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: SWRError.self) { try decode(deep) }
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        let job = try #require(try decode(#"[{"id": "a\u00e9\ud83d\ude80", "creator_name": "\u738b"}]"#).first)
        #expect(job.id == "aé🚀")
        #expect(job.creatorName == "王")
    }

    @Test func newestFirstOrdering() throws {
        let jobs = try decode("""
        [{"id": 1, "created_at": "2018-12-15T12:00:00Z"}, {"id": 3}, {"id": 2, "created_at": "2018-12-15T13:00:00+08:00"},
         {"id": 10, "created_at": "2018-12-15T12:00:00Z"}, {"id": 9}]
        """)
        #expect(jobs.sorted(by: Job.newestFirst).map(\.id) == ["10", "1", "2", "9", "3"])
    }
}

@Suite struct TimeTests {
    @Test func precisionsAndOffsets() throws {
        let base = 1_544_877_225.0
        let cases: [(String, Double)] = [
            ("2018-12-15T12:33:45Z", base), ("2018-12-15T12:33:45.459407Z", base + 0.459407),
            ("2018-12-15T12:33:45.459407123Z", base + 0.459407123), ("2018-12-15T20:33:45+08:00", base),
            ("2018-12-15T20:33:45+0800", base), ("2018-12-15 12:33:45Z", base), ("2018-12-15T07:33:45-05:00", base),
        ]
        for (text, expected) in cases {
            let date = try #require(ISO8601.parse(text), "\(text)")
            #expect(abs(date.timeIntervalSince1970 - expected) < 0.000_001, "\(text)")
        }
    }

    @Test func zeroTimeAndGarbageAreAbsent() {
        #expect(ISO8601.parse("0001-01-01T00:00:00Z") == nil)
        #expect(ISO8601.parse("") == nil)
        #expect(ISO8601.parse("2018-13-01T00:00:00Z") == nil)
        #expect(ISO8601.parse("2018-12-15T12:33:45Zjunk") == nil)
    }

    @Test func formatRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_544_877_225.459)
        #expect(ISO8601.format(date) == "2018-12-15T12:33:45.459Z")
        #expect(ISO8601.parse(ISO8601.format(date)) == date)
    }
}

@Suite struct PipelineDecodingTests {
    @Test func detailWithStatus() throws {
        let body = """
        {"id": 1024, "name": "tomcat-release", "group_name": "web",
         "stages": [{"id": "s1", "name": "source", "service_name": "code_source"}, {"name": "", "service_name": "jenkins_build"}, 7],
         "status": {"status": "running", "stage_index": "1", "start_time": "2020-01-01T00:00:00Z", "end_time": "0001-01-01T00:00:00Z",
                    "stages": [{"status": "success"}, {"status": "running"}]}}
        """
        let value = try JSONParser.parse(body)
        let object = try #require(value.objectValue)
        let pipeline = try #require(Pipeline(json: object))
        #expect(pipeline.id == 1024 && pipeline.name == "tomcat-release" && pipeline.groupName == "web")
        #expect(pipeline.stages.map(\.name) == ["source", "jenkins_build"])
        #expect(pipeline.stages.map(\.index) == [0, 1])
        #expect(pipeline.status?.stageIndex == 1)
        #expect(pipeline.status?.endTime == nil)
        #expect(pipeline.status?.stages.map(\.status) == ["success", "running"])
    }

    @Test func errorBodiesInAllThreeShapes() {
        #expect(ErrorBody.message(from: Array(#"{"errorCode": "SVCSTG.SWR.4010000", "errorMessage": "token expired"}"#.utf8)) == "token expired (SVCSTG.SWR.4010000)")
        #expect(ErrorBody.message(from: Array(#"[{"errorCode": "SVCSTG.SWR.4000001", "errorMessage": "bad id", "detail": ""}]"#.utf8)) == "bad id (SVCSTG.SWR.4000001)")
        #expect(ErrorBody.message(from: Array(#"{"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}"#.utf8)) == "Incorrect IAM authentication information (APIGW.0301)")
        #expect(ErrorBody.message(from: Array("<html><title>502</title></html>".utf8)) == "the server sent an HTML page")
        #expect(ErrorBody.message(from: []) == nil)
    }

    @Test func jobLogWithNestedContent() throws {
        let body = #"""
        {"id": 2211, "state": "success", "log": [
          {"content": "[{\"Type\":\"phase\",\"Message\":\"Pull source\",\"Time\":\"2019-01-01T00:00:00.123456789Z\",\"State\":\"success\",\"Progress\":10},{\"Type\":\"content\",\"Message\":\"cloning\"}]", "created_at": "2019-01-01T00:00:00Z"},
          {"content": "not json at all"}
        ]}
        """#
        let log = try JobLog.decode(Array(body.utf8))
        #expect(log.job?.state == .successful)
        #expect(log.lines.map(\.kind) == [.phase, .content, .raw])
        #expect(log.lines.map(\.message) == ["Pull source", "cloning", "not json at all"])
        #expect(log.lines[0].progress == 10)
        #expect(log.undecodedEntries == 1)
    }
}
