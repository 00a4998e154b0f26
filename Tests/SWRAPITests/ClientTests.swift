import Foundation
import Testing
@testable import SWRAPI

let secret = "MIIsecret-token-value-1234567890"

/// Runs `body` with a client against a scripted server, then stops both.
@discardableResult
func withClient<T>(
    tokens: (any TokenProvider)? = nil, timeout: Duration = .seconds(30),
    script: @escaping @Sendable (SeenRequest, Int) -> Scripted,
    _ body: (SWRClient, ScriptedServer) async throws -> T
) async throws -> T {
    let server = ScriptedServer(script: script)
    let url = try await server.start()
    let transport = AsyncHTTPClientTransport()
    let client = SWRClient(endpoint: url, transport: transport, tokens: tokens ?? StaticTokenProvider(secret), timeout: timeout)
    do {
        let result = try await body(client, server)
        await transport.shutdown()
        server.stop()
        return result
    } catch {
        await transport.shutdown()
        server.stop()
        throw error
    }
}

func expectNoSecret(_ error: any Error) {
    #expect(!String(describing: error).contains(secret))
    #expect(!"\(error)".contains(secret))
}

@Suite(.serialized, .timeLimit(.minutes(3))) struct ClientTests {
    @Test func okSendsTokenAndPath() async throws {
        try await withClient(script: { _, _ in .reply(status: 200, body: officialExample) }) { client, server in
            let jobs = try await client.jobs(pipeline: 1024, stage: 2)
            #expect(jobs.map(\.id) == ["2211"])
            let request = try #require(server.seen.withLock { $0.first })
            #expect(request.path == "/v3/manage/pipelines/1024/stages/2/jobs")
            #expect(request.headers["x-auth-token"] == secret)
            #expect(request.method == "GET")
        }
    }

    @Test func badRequestCarriesServerMessage() async throws {
        try await withClient(script: { _, _ in .reply(status: 400, body: #"{"error_code": "SVCSTG.SWR.4000001", "error_msg": "invalid stage index"}"#) }) { client, _ in
            await #expect(throws: SWRError.badRequest(message: "invalid stage index (SVCSTG.SWR.4000001)")) {
                try await client.jobs(pipeline: 1, stage: 99)
            }
        }
    }

    @Test func unauthorizedWithoutRenewal() async throws {
        try await withClient(script: { _, _ in .reply(status: 401, body: #"{"errorCode": "SVCSTG.SWR.4010000", "errorMessage": "token \#(secret) expired"}"#) }) { client, server in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("expected 401")
            } catch let error as SWRError {
                #expect(error.kind == "unauthorized")
                #expect(error.serverMessage?.contains("•••") == true)
                expectNoSecret(error)
                #expect(error.description.contains("SWR_TOKEN"))
            }
            #expect(server.seen.withLock { $0.count } == 1)
        }
    }

    @Test func unauthorizedRenewsOnceWithIAM() async throws {
        // One server plays both IAM and SWR: the first token is refused, the renewed one works.
        let script: @Sendable (SeenRequest, Int) -> Scripted = { request, n in
            if request.path == "/v3/auth/tokens" {
                return .reply(status: 201, headers: [("X-Subject-Token", "token-\(n)")], body: #"{"token": {"expires_at": "2999-01-01T00:00:00Z"}}"#)
            }
            return request.headers["x-auth-token"] == "token-1"
                ? .reply(status: 401, body: #"{"errorCode": "SVCSTG.SWR.4010000", "errorMessage": "expired"}"#)
                : .reply(status: 200, body: "[]")
        }
        let server = ScriptedServer(script: script)
        defer { server.stop() }
        let url = try await server.start()
        try await AsyncHTTPClientTransport.with { transport in
        let iam = IAMTokenProvider(credentials: .init(endpoint: url, domain: "d", user: "u", password: "pw-secret", project: "cn-north-4"), transport: transport)
        let client = SWRClient(endpoint: url, transport: transport, tokens: iam, timeout: .seconds(30))
        let jobs = try await client.jobs(pipeline: 1, stage: 0)
        #expect(jobs.isEmpty)
        #expect(await iam.logins == 2)
        let paths = server.seen.withLock { $0.map(\.path) }
        #expect(paths == ["/v3/auth/tokens", "/v3/manage/pipelines/1/stages/0/jobs", "/v3/auth/tokens", "/v3/manage/pipelines/1/stages/0/jobs"])
        let login = try #require(server.seen.withLock { $0.first })
        let parsed = try JSONParser.parse(login.body)
        #expect(parsed["auth"]?["identity"]?["password"]?["user"]?["name"] == "u")
        #expect(parsed["auth"]?["scope"]?["project"]?["name"] == "cn-north-4")
        }
    }

    @Test func rateLimitedHonoursRetryAfter() async throws {
        try await withClient(script: { _, _ in .reply(status: 429, headers: [("Retry-After", "7")], body: "") }) { client, _ in
            await #expect(throws: SWRError.rateLimited(retryAfter: 7, message: nil)) {
                try await client.jobs(pipeline: 1, stage: 0)
            }
        }
    }

    @Test func serverErrorWithHTMLBody() async throws {
        try await withClient(script: { _, _ in .reply(status: 500, body: "<html><body>Internal Server Error</body></html>") }) { client, _ in
            await #expect(throws: SWRError.server(status: 500, message: "the server sent an HTML page")) {
                try await client.jobs(pipeline: 1, stage: 0)
            }
        }
    }

    @Test func slowAnswerTimesOut() async throws {
        try await withClient(timeout: .milliseconds(500), script: { _, _ in .slow(seconds: 5, body: "[]") }) { client, _ in
            await #expect(throws: SWRError.timeout) { try await client.jobs(pipeline: 1, stage: 0) }
        }
    }

    @Test func closedConnectionIsATransportError() async throws {
        try await withClient(script: { _, _ in .close }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("expected a transport error")
            } catch let error as SWRError {
                #expect(error.kind == "transport")
                expectNoSecret(error)
            }
        }
    }

    @Test func refusedConnectionIsATransportError() async throws {
        try await AsyncHTTPClientTransport.with { transport in
            let client = SWRClient(endpoint: "http://127.0.0.1:1", transport: transport, tokens: StaticTokenProvider(secret), timeout: .seconds(10))
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("expected an error")
            } catch let error as SWRError {
                #expect(error.kind == "transport" || error.kind == "timeout")
                expectNoSecret(error)
            }
        }
    }

    @Test func pipelineListFollowsPages() async throws {
        let script: @Sendable (SeenRequest, Int) -> Scripted = { request, _ in
            let offset = Int(request.path.components(separatedBy: "offset=").last ?? "0") ?? 0
            let ids = (offset..<min(offset + 2, 5)).map { #"{"id": \#($0 + 1), "name": "p\#($0 + 1)", "stages": [{"name": "build"}]}"# }
            return .reply(status: 200, headers: [("Content-Range", "\(offset)-\(ids.count)/5")], body: "[" + ids.joined(separator: ",") + "]")
        }
        try await withClient(script: script) { client, server in
            let pipelines = try await client.pipelines(filter: PipelineFilter(name: "to m"), pageSize: 2)
            #expect(pipelines.map(\.id) == [1, 2, 3, 4, 5])
            let paths = server.seen.withLock { $0.map(\.path) }
            #expect(paths.count == 3)
            #expect(paths[0] == "/v3/manage/pipelines?filter=name::to%20m&limit=2&offset=0")
        }
    }

    @Test func pipelineDetailAsksForJSON() async throws {
        try await withClient(script: { _, _ in .reply(status: 200, body: #"{"id": 7, "name": "x", "stages": []}"#) }) { client, server in
            let pipeline = try await client.pipeline(id: 7)
            #expect(pipeline.name == "x")
            #expect(server.seen.withLock { $0.first?.headers["accept"] } == "application/json")
        }
    }

    @Test func errorDescriptionsAreOneLineAndSecretFree() {
        let errors: [SWRError] = [
            .unauthorized(message: nil), .badRequest(message: "x"), .forbidden(message: nil), .notFound(message: nil),
            .conflict(message: nil), .rateLimited(retryAfter: 3, message: nil), .server(status: 502, message: nil),
            .timeout, .transport("connection refused"), .decoding("expected a JSON array of jobs, got an object"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("—"))
        }
        #expect(SWRError.server(status: 500, message: nil).description == "server error 500 — the service is having trouble; retrying with backoff")
    }
}
