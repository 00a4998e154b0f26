import Foundation
import Testing
@testable import SWRAPI
@testable import SWRExport
@testable import SWRSession
@testable import SWRSimulator
@testable import SWRWatch

/// The real simulator on 127.0.0.1, the exporter on 127.0.0.1:0, and real HTTP scrapes.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ExporterIntegrationTests {
    static let token = "scrape-token-0123456789"

    /// The simulator (3 pipelines at speed 20), a session on it as `SessionBuilder` makes one
    /// (pipelines from discovery, base interval 0.5 s, the largest budget), the exporter on 127.0.0.1:0, and a client.
    /// Everything stops in the order that leaves no server with a connection open: clients first.
    func withExporter(token: String?, _ body: (Exporter, AsyncHTTPClientTransport) async throws -> Void) async throws {
        var options = SimulatorOptions()
        options.pipelineCount = 3
        options.speed = 20
        let simulator = SimulatorServer(options: options)
        defer { simulator.stop() }
        let url = try await simulator.start()
        try await AsyncHTTPClientTransport.with { polling in
            let client = SWRClient(endpoint: url, transport: polling, tokens: StaticTokenProvider(options.token), timeout: .seconds(10))
            let pipelines = try await client.pipelines().map(PipelineInfo.init)
            // Twelve stages every 0.5 s want 1,440 requests a minute: a budget that allows them,
            // so every stage stays fresh (under the default 300 the paced ones would go stale).
            let session = Session(client: client, pipelines: pipelines, interval: 0.5, timeout: 10, endpointHost: "127.0.0.1",
                                  maxRequestsPerMinute: Config.maxRequestsPerMinuteRange.upperBound)
            let exporter = try await Exporter.start(session: session, listen: ListenAddress(host: "127.0.0.1", port: 0), token: token, version: "9.9.9")
            do {
                try await AsyncHTTPClientTransport.with { transport in try await body(exporter, transport) }
            } catch {
                await exporter.stop()
                throw error
            }
            await exporter.stop()
        }
    }

    static func get(_ transport: AsyncHTTPClientTransport, _ url: String, token: String? = ExporterIntegrationTests.token,
                    accept: String? = nil) async throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let accept { headers.append(("Accept", accept)) }
        return try await transport.send(HTTPRequest(url: url, headers: headers, timeout: .seconds(10)))
    }

    /// Asks `url` until it answers `status`, at most `tries` times, 100 ms apart.
    static func await(_ transport: AsyncHTTPClientTransport, _ url: String, status: Int, token: String? = ExporterIntegrationTests.token,
                      tries: Int = 300) async throws -> HTTPResponse {
        var last: HTTPResponse?
        for _ in 0..<tries {
            let answer = try await get(transport, url, token: token)
            if answer.status == status { return answer }
            last = answer
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(url) never answered \(status); last: \(last?.status ?? 0) \(String(decoding: last?.body ?? [], as: UTF8.self))")
        throw CancellationError()
    }

    @Test func servesMetricsHealthReadinessAndState() async throws {
        try await withExporter(token: nil) { exporter, transport in
            #expect(exporter.address.host == "127.0.0.1" && exporter.address.port > 0)
            #expect(exporter.rate.stages > 0)
            _ = try await Self.await(transport, exporter.url + "/readyz", status: 200, token: nil)
            let health = try await Self.await(transport, exporter.url + "/healthz", status: 200, token: nil)
            #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")

            // A scraper that prefers OpenMetrics gets the text format (all swift-prometheus writes).
            // Scraped until every stage's last poll succeeded: on a loaded machine one of the
            // simulator's answers can miss its timeout, and that stage is down until its retry.
            let stages = exporter.rate.stages
            var scrape = HTTPResponse(status: 0, headers: [], body: [])
            var exposition = Exposition([])
            for _ in 0..<300 {
                scrape = try await Self.get(transport, exporter.url + "/metrics", token: nil,
                                            accept: "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1")
                exposition = Exposition(scrape.body)
                let up = exposition.samples.filter { $0.hasPrefix("swr_stage_up{") }
                if scrape.status == 200, up.count == stages, up.allSatisfy({ $0.hasSuffix(" 1.0") }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(scrape.status == 200)
            #expect(scrape.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(exposition.count("swr_stage_newest_job_state") == stages * StateWord.jobStates.count)
            #expect(exposition.count("swr_stage_up") == stages)
            #expect(exposition.samples.filter { $0.hasPrefix("swr_stage_up{") }.allSatisfy { $0.hasSuffix(" 1.0") })
            #expect(exposition.value("swr_build_info", "version=\"9.9.9\"") == 1)
            #expect((exposition.value("swr_api_requests_total", "kind=\"jobs\"", "outcome=\"success\"") ?? 0) >= Double(stages))
            #expect(exposition.count("swr_stage_last_success_timestamp_seconds") == stages)
            // One of each state per stage is 1.
            #expect(exposition.samples.filter { $0.hasPrefix("swr_stage_newest_job_state{") && $0.hasSuffix(" 1.0") }.count == stages)

            let state = try await Self.get(transport, exporter.url + "/api/state", token: nil)
            #expect(state.status == 200 && state.header("Content-Type") == "application/json")
            let document = try JSONParser.parse(state.body)
            let pipelines = document["pipelines"]?.arrayValue ?? []
            #expect(pipelines.count == exporter.rate.pipelines)
            #expect(pipelines.flatMap { $0["stages"]?.arrayValue ?? [] }.count == stages)
            #expect(pipelines.first?["stages"]?.arrayValue?.first?.objectValue?.keys == ["index", "name", "pending", "error", "jobs"])

            if Promtool.path != nil {
                let (status, output) = try Promtool.checkMetrics(scrape.body)
                #expect(status == 0, "promtool check metrics: \(output)")
            }
        }
    }

    @Test func everyEndpointRequiresTheBearerToken() async throws {
        try await withExporter(token: Self.token) { exporter, transport in
            for path in ["/metrics", "/healthz", "/readyz", "/api/state", "/"] {
                for token in [nil, "wrong", Self.token + "x", String(Self.token.dropLast())] as [String?] {
                    let answer = try await Self.get(transport, exporter.url + path, token: token)
                    #expect(answer.status == 401, "\(path) with \(token ?? "no token")")
                    #expect(!String(decoding: answer.body, as: UTF8.self).contains(Self.token))
                }
            }
            _ = try await Self.await(transport, exporter.url + "/readyz", status: 200)
            let scrape = try await Self.get(transport, exporter.url + "/metrics")
            #expect(scrape.status == 200)
            #expect(!String(decoding: scrape.body, as: UTF8.self).contains(Self.token))
            let state = try await Self.get(transport, exporter.url + "/api/state")
            #expect(state.status == 200 && !String(decoding: state.body, as: UTF8.self).contains(Self.token))
        }
    }

    @Test func aTakenAddressIsAnError() async throws {
        try await withExporter(token: nil) { exporter, transport in
            let session = Session(client: SWRClient(endpoint: "http://127.0.0.1:9", transport: transport, tokens: StaticTokenProvider("t")),
                                  pipelines: [PipelineInfo(id: 1, name: "p", stages: [StageInfo(index: 0, name: "s")])], interval: 3, timeout: 1,
                                  endpointHost: "127.0.0.1")
            await #expect(throws: ExportStartError.self) {
                _ = try await Exporter.start(session: session, listen: exporter.address, token: nil, version: "1")
            }
        }
    }
}
