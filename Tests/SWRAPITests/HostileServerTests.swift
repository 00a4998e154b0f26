import Foundation
import Testing
@testable import SWRAPI

/// The client against a server that misbehaves on purpose: redirects, stalls, huge bodies,
/// echoed secrets, odd ids. Every case here was a real failure of an earlier version.
@Suite(.serialized, .timeLimit(.minutes(3))) struct HostileServerTests {
    @Test(arguments: [301, 302, 303, 307, 308])
    func aRedirectIsAnErrorAndIsNotFollowed(status: Int) async throws {
        // A second origin records whether anything reached it.
        let elsewhere = ScriptedServer { _, _ in .reply(status: 200, body: "[]") }
        let elsewhereURL = try await elsewhere.start()
        defer { elsewhere.stop() }
        try await withClient(script: { _, _ in
            .reply(status: status, headers: [("Location", elsewhereURL + "/v3/manage/pipelines/1/stages/0/jobs?sig=abc#frag")], body: "")
        }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("a redirect must not read as a success")
            } catch let error as SWRError {
                #expect(error.kind == "redirect")
                #expect(error.status == status)
                #expect(!error.isTransient)
                let text = error.description
                #expect(text.contains(elsewhereURL))
                #expect(text.contains("does not follow redirects"))
                #expect(!text.contains("sig=abc") && !text.contains("frag"))
                expectNoSecret(error)
            }
        }
        #expect(elsewhere.seen.withLock { $0.count } == 0)
    }

    @Test func iamLoginDoesNotFollowARedirectWithThePassword() async throws {
        let elsewhere = ScriptedServer { _, _ in .reply(status: 201, headers: [("X-Subject-Token", "stolen")], body: "{}") }
        let elsewhereURL = try await elsewhere.start()
        defer { elsewhere.stop() }
        let iam = ScriptedServer { _, _ in .reply(status: 307, headers: [("Location", elsewhereURL + "/v3/auth/tokens")], body: "") }
        let iamURL = try await iam.start()
        defer { iam.stop() }
        try await AsyncHTTPClientTransport.with { transport in
            let provider = IAMTokenProvider(
                credentials: .init(endpoint: iamURL, domain: "d", user: "u", password: "pa55-word-secret", project: "p"),
                transport: transport, timeout: .seconds(5))
            do {
                _ = try await provider.token()
                Issue.record("expected a redirect error")
            } catch let error as SWRError {
                #expect(error.kind == "redirect")
                #expect(!error.description.contains("pa55-word-secret"))
            }
        }
        #expect(elsewhere.seen.withLock { $0.count } == 0)
    }

    @Test func aStalledBodyTimesOutWithinTheRequestTimeout() async throws {
        try await withClient(timeout: .milliseconds(700), script: { _, _ in .stall(partial: #"[{"id": 1, "status": "#, announced: 4000) }) { client, _ in
            let started = ContinuousClock.now
            await #expect(throws: SWRError.timeout) { try await client.jobs(pipeline: 1, stage: 0) }
            // Bounded by the timeout, not by the server (which would hold it for 10 minutes).
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func aStalledIAMLoginReleasesEveryWaiter() async throws {
        let iam = ScriptedServer { _, _ in .stall(partial: "{", announced: 100) }
        let iamURL = try await iam.start()
        defer { iam.stop() }
        try await AsyncHTTPClientTransport.with { transport in
            let provider = IAMTokenProvider(
                credentials: .init(endpoint: iamURL, domain: "d", user: "u", password: "pw-secret", project: "p"),
                transport: transport, timeout: .milliseconds(600))
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        do { _ = try await provider.token(); return "token" } catch let error as SWRError { return error.kind } catch { return "other" }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes == ["timeout", "timeout", "timeout"])
        }
    }

    @Test func aHugeBodyIsRefusedWithWordsNotMemory() async throws {
        try await withClient(script: { _, _ in .huge(megabytes: 24) }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("expected the body to be refused")
            } catch let error as SWRError {
                #expect(error.kind == "transport")
                #expect(error.description.contains("larger than 8 MiB"))
            }
        }
    }

    @Test func anEchoedTokenIsRedactedBeforeTheMessageIsCut() async throws {
        // The token straddles the 200-character cut: cutting first would leave a prefix of it.
        let padding = String(repeating: "x", count: 185)
        try await withClient(script: { _, _ in
            .reply(status: 500, body: #"{"error_code": "E", "error_msg": "\#(padding)\#(secret) and more"}"#)
        }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
            } catch let error as SWRError {
                let text = error.description
                #expect(!text.contains(String(secret.prefix(8))))
                #expect(text.contains("•••") || text.count < 260)
            }
        }
    }

    @Test func controlCharactersInAnErrorBodyNeverPass() async throws {
        try await withClient(script: { _, _ in
            .reply(status: 500, body: #"{"error_code": "\u001b]0;pwned\u0007", "error_msg": "\u001b[2J\u009b31m\u202egone\r\n"}"#)
        }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
            } catch let error as SWRError {
                #expect(error.description.unicodeScalars.allSatisfy { !SafeText.isUnsafe($0) })
            }
        }
    }

    @Test func aJobIDGoesIntoTheLogPathAsOneEncodedSegment() async throws {
        try await withClient(script: { _, _ in .reply(status: 200, body: #"{"id": 1, "log": []}"#) }) { client, server in
            _ = try await client.jobLog(pipeline: 1, stage: 0, jobID: "../../x?y#z %/é")
            let path = try #require(server.seen.withLock { $0.first?.path })
            #expect(path == "/v3/manage/pipelines/1/stages/0/jobs/%2E%2E%2F%2E%2E%2Fx%3Fy%23z%20%25%2F%C3%A9/logs?limit=20&offset=0")
        }
    }

    @Test func aTokenWithALineBreakNeverReachesTheWireOrAMessage() async throws {
        try await withClient(tokens: StaticTokenProvider("abc\r\nX-Evil: 1" + secret), script: { _, _ in .reply(status: 200, body: "[]") }) { client, server in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
                Issue.record("a header with a line break must not be sent")
            } catch let error as SWRError {
                #expect(error.kind == "transport")
                expectNoSecret(error)
            }
            #expect(server.seen.withLock { $0.count } == 0)
        }
    }
}

/// IAM renewal after a 401 is bounded: a refused renewed token does not send the password again.
@Suite(.timeLimit(.minutes(3))) struct IAMRenewalTests {
    @Test func aRefusedRenewedTokenDoesNotLogInAgainWithinAMinute() async throws {
        let server = ScriptedServer { request, n in
            request.path == "/v3/auth/tokens"
                ? .reply(status: 201, headers: [("X-Subject-Token", "token-\(n)")], body: #"{"token": {"expires_at": "2999-01-01T00:00:00Z"}}"#)
                : .reply(status: 401, body: #"{"error_msg": "no permission"}"#)
        }
        defer { server.stop() }
        let url = try await server.start()
        try await AsyncHTTPClientTransport.with { transport in
            let iam = IAMTokenProvider(credentials: .init(endpoint: url, domain: "d", user: "u", password: "pw-secret", project: "p"), transport: transport)
            let client = SWRClient(endpoint: url, transport: transport, tokens: iam, timeout: .seconds(10))
            for _ in 0..<5 {
                await #expect(throws: SWRError.self) { try await client.jobs(pipeline: 1, stage: 0) }
            }
            // One login at start, one renewal after the first 401; then no more password traffic.
            #expect(await iam.logins == 2)
        }
    }

    @Test func aRedirectTargetNeverShowsTheToken() async throws {
        try await withClient(script: { _, _ in
            .reply(status: 302, headers: [("Location", "https://elsewhere.example/\(secret)/x?t=\(secret)")], body: "")
        }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
            } catch let error as SWRError {
                expectNoSecret(error)
                #expect(error.description.contains("elsewhere.example"))
            }
        }
        let encoded = secret.unicodeScalars.map { "%" + String($0.value, radix: 16, uppercase: true) }.joined()
        try await withClient(script: { _, _ in .reply(status: 302, headers: [("Location", "https://elsewhere.example/\(encoded)")], body: "") }) { client, _ in
            do {
                _ = try await client.jobs(pipeline: 1, stage: 0)
            } catch let error as SWRError {
                expectNoSecret(error)
                #expect(!error.description.contains(encoded))
            }
        }
    }
}
