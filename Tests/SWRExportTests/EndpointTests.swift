import Foundation
import Testing
@testable import SWRAPI
@testable import SWRExport
@testable import SWRSession
@testable import SWRWatch

/// The HTTP answers, without HTTP: `ExporterCore.answer` on a manual clock.
@Suite struct EndpointTests {
    typealias F = Fixture

    func core(token: String? = nil) -> (ExporterCore, ManualWatchClock) {
        let clock = ManualWatchClock(start: F.t0)
        return (ExporterCore(metrics: F.metrics(), version: "0.1.0", clock: clock, token: token), clock)
    }

    @Test func metricsAreTheTextExposition() {
        let (core, _) = core()
        core.ingest(F.result(F.build, [F.job("1", .building, progress: 25, duration: 30)], at: 0))
        let answer = core.answer(ExportRequest(path: "/metrics"))
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let exposition = Exposition(answer.body)
        #expect(exposition.value("swr_stage_newest_job_state", "pipeline_id=\"11\"", "stage_index=\"0\"", "state=\"building\"") == 1)
        #expect(exposition.value("swr_stage_newest_job_progress_ratio", "pipeline_id=\"11\"", "stage_index=\"0\"") == 0.25)
        #expect(exposition.value("swr_build_info", "version=\"0.1.0\"") == 1)
        #expect(exposition.value("swr_api_requests_total", "kind=\"jobs\"", "outcome=\"success\"") == 1)
        #expect(exposition.value("swr_stage_up", "pipeline_id=\"11\"", "stage_index=\"0\"") == 1)
        // Not polled yet: no data, so not up (though /healthz gives it 3 intervals from the start).
        #expect(exposition.value("swr_stage_up", "pipeline_id=\"12\"", "stage_index=\"0\"") == 0)
        #expect(exposition.lines.contains("# TYPE swr_stage_jobs_finished_total counter") == false)  // nothing finished yet
        #expect(exposition.lines.contains("# TYPE swr_api_request_duration_seconds histogram"))
    }

    @Test func healthNamesTheStaleStages() {
        let (core, clock) = core()
        for target in [F.build, F.deploy, F.nginx] { core.ingest(F.result(target, [F.job("1", .building)], at: 0)) }
        #expect(core.answer(ExportRequest(path: "/healthz")).status == 200)
        clock.advance(by: 5)
        core.ingest(F.result(F.build, [F.job("1", .building)], at: 5))
        core.ingest(F.result(F.nginx, [F.job("1", .building)], at: 5))
        core.ingest(F.failure(F.deploy, .server(status: 503, message: nil), at: 5))
        clock.advance(by: 5)
        let answer = core.answer(ExportRequest(path: "/healthz"))
        #expect(answer.status == 503)
        #expect(answer.text.hasPrefix("stale: 1 stage\ntomcat-release/1 deploy: last good poll 10s ago (stale after 9s), latest error: "))
        #expect(Exposition(core.answer(ExportRequest(path: "/metrics")).body).value("swr_stage_up", "pipeline_id=\"11\"", "stage_index=\"1\"") == 0)
    }

    @Test func readyAfterTheFirstRound() {
        let (core, _) = core()
        core.ingest(F.result(F.build, [], at: 0))
        let waiting = core.answer(ExportRequest(path: "/readyz"))
        #expect(waiting.status == 503 && waiting.text == "not ready: 2 of 3 stages not polled yet\n")
        core.ingest(F.failure(F.deploy, .timeout, at: 0))
        core.ingest(F.result(F.nginx, [], at: 0))
        #expect(core.answer(ExportRequest(path: "/readyz")).status == 200)
    }

    @Test func stateIsTheOnceJSON() throws {
        let (core, _) = core()
        core.ingest(F.result(F.build, [F.job("1", .building, progress: 25)], at: 0))
        let answer = core.answer(ExportRequest(path: "/api/state"))
        #expect(answer.status == 200 && answer.header("Content-Type") == "application/json")
        let document = try JSONParser.parse(answer.body)
        #expect(document["generated_at"]?.lenientString == ISO8601.format(F.t0))
        let stages = document["pipelines"]?.arrayValue?.first?["stages"]?.arrayValue
        #expect(stages?.first?["jobs"]?.arrayValue?.first?["progress"]?.lenientInt == 25)
    }

    @Test func everyEndpointNeedsTheBearerToken() {
        let (core, _) = core(token: "s3cret-token")
        for path in ["/metrics", "/healthz", "/readyz", "/api/state", "/nope"] {
            for header in [nil, "Bearer wrong-token!", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token", "Bearer "] as [String?] {
                let answer = core.answer(ExportRequest(path: path, authorization: header))
                #expect(answer.status == 401, "\(path) \(header ?? "none")")
                #expect(answer.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                #expect(!answer.text.contains("s3cret"))
            }
            #expect(core.answer(ExportRequest(path: path, authorization: "Bearer s3cret-token")).status != 401)
            #expect(core.answer(ExportRequest(path: path, authorization: "bearer s3cret-token")).status != 401)
        }
        #expect(!core.answer(ExportRequest(path: "/metrics", authorization: "Bearer s3cret-token")).text.contains("s3cret"))
    }

    @Test func otherMethodsAndPaths() {
        let (core, _) = core()
        #expect(core.answer(ExportRequest(method: "POST", path: "/metrics")).status == 405)
        #expect(core.answer(ExportRequest(path: "/metricz")).status == 404)
        #expect(core.answer(ExportRequest(method: "HEAD", path: "/healthz")).status != 405)
    }

    @Test func bearerComparison() {
        let token = Array("abc".utf8)
        #expect(ExporterCore.bearerMatches("Bearer abc", token: token))
        #expect(ExporterCore.bearerMatches("BEARER abc", token: token))
        #expect(!ExporterCore.bearerMatches("Bearer abd", token: token))
        #expect(!ExporterCore.bearerMatches("Bearer abcabc", token: token))
        #expect(!ExporterCore.bearerMatches("Bearer ab", token: token))
        #expect(!ExporterCore.bearerMatches("Bearer  abc", token: token))
        #expect(!ExporterCore.bearerMatches("Bearerxabc", token: token))
        #expect(!ExporterCore.bearerMatches(nil, token: token))
        #expect(!ExporterCore.bearerMatches("Bearer ", token: []))
    }

    // MARK: Options

    @Test func listenAddresses() throws {
        #expect(try ListenAddress.parse("127.0.0.1:9464") == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(try ListenAddress.parse(":0") == ListenAddress(host: "127.0.0.1", port: 0))
        #expect(try ListenAddress.parse("[::1]:9464") == ListenAddress(host: "::1", port: 9464))
        #expect(try ListenAddress.parse("0.0.0.0:9464").isLoopback == false)
        #expect(try ListenAddress.parse("[::]:9464").isLoopback == false)
        #expect(try ListenAddress.parse("10.1.2.3:80").isLoopback == false)
        #expect(try ListenAddress.parse("127.0.0.2:80").isLoopback)
        #expect(try ListenAddress.parse("localhost:80").isLoopback)
        #expect(try ListenAddress.parse("[::1]:80").description == "[::1]:80")
        for bad in ["9464", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:9464", "[::1]9464", "a b:1", "host/x:1"] {
            #expect(throws: ListenAddressError.self, "\(bad)") { try ListenAddress.parse(bad) }
        }
    }

    @Test func theTokenComesFromTheEnvironment() throws {
        let options = ExportOptions(listen: "127.0.0.1:0", tokenEnv: "SWR_METRICS_TOKEN", version: "0.1.0")
        #expect(try ExportMode.check(options, environment: ["SWR_METRICS_TOKEN": "abc"]).1 == "abc")
        for environment in [[:], ["SWR_METRICS_TOKEN": ""], ["SWR_METRICS_TOKEN": "a b"]] {
            #expect(throws: SetupError.self) { try ExportMode.check(options, environment: environment) }
        }
        #expect(try ExportMode.check(ExportOptions(version: "0.1.0"), environment: [:]).1 == nil)
    }
}

@Suite struct AnnouncementTests {
    let rate = RequestRate(stages: 2, pipelines: 1, schedule: PollSchedule(baseInterval: 3), detailInterval: 60)

    @Test func loopbackSaysWhereAndTheRate() {
        let lines = ExportMode.announcement(address: ListenAddress(host: "127.0.0.1", port: 9464), rate: rate, tokenEnv: nil)
        #expect(lines == ["serving metrics on http://127.0.0.1:9464/metrics (also /healthz, /readyz, /api/state)", rate.sentence])
    }

    @Test func anyOtherAddressSaysWhoCanReadIt() {
        let open = ExportMode.announcement(address: ListenAddress(host: "0.0.0.0", port: 9464), rate: rate, tokenEnv: nil)
        #expect(open.count == 3)
        #expect(open[1].hasPrefix("0.0.0.0:9464 is not loopback: anyone who can reach it can read"))
        let guarded = ExportMode.announcement(address: ListenAddress(host: "::", port: 1), rate: rate, tokenEnv: "SWR_METRICS_TOKEN")
        #expect(guarded[0].hasSuffix("with the token in $SWR_METRICS_TOKEN"))
        #expect(guarded[1].hasPrefix("[::]:1 is not loopback: anyone who can reach it and holds the token"))
    }
}
