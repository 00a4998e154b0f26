import Foundation
import Testing
@testable import SWRAPI
@testable import SWRSimulator

private let token = "swr-top-demo-token"
private let jobsPath = "/v3/manage/pipelines/1024/stages/0/jobs"
private let authHeaders = ["X-Auth-Token": token, "Accept": "application/json"]

/// A simulator on 127.0.0.1 (ephemeral port) answering every call with `spec`'s faults.
private func startServer(_ spec: String) async throws -> (SimulatorServer, Int) {
    var options = SimulatorOptions()
    options.faults = try FaultPlan.parse(spec)
    let server = SimulatorServer(options: options)
    let url = try await server.start()
    return (server, URL.port(of: url))
}

/// Each hostile fault as a client meets it: on the wire, through a plain socket.
@Suite(.serialized) struct HostileWireTests {
    @Test(.timeLimit(.minutes(3))) func extremeNumbersOnTheWire() async throws {
        let (server, port) = try await startServer("extreme=1")
        defer { server.stop() }
        let reply = try await exchange(port: port, "GET", jobsPath, headers: authHeaders)
        #expect(reply.status == 200)
        let body = reply.text
        for raw in ["9223372036854775807", "-9223372036854775807", "5000000000000000000", "1e300", "1e308", "-0"] {
            #expect(body.contains(":\(raw),") || body.contains(":\(raw)}"), "\(raw) as a number")
        }
        for string in ["NaN", "1e300", "9223372036854775807"] { #expect(body.contains(":\"\(string)\""), "\(string) as a string") }
        for time in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2018-02-30T00:00:00Z"] { #expect(body.contains("\"\(time)\"")) }
    }

    @Test(.timeLimit(.minutes(3))) func escapesOnTheWireAndEncodedIDsReachTheirLogs() async throws {
        let (server, port) = try await startServer("escape=1")
        defer { server.stop() }
        let reply = try await exchange(port: port, "GET", jobsPath, headers: authHeaders)
        #expect(reply.status == 200)
        let body = reply.text
        for escaped in [#"\u001b]0;pwned\u0007"#, #"\u001b]52;c;cHduZWQ=\u0007"#, #"\u009b"#, #"\u009d"#, #"\u007f"#,
                        #"\r\n"#, #"\u0000"#, #"\ud800"#, #""id":"../../../etc/passwd""#, #""id":"id with spaces""#, #""id":"100%""#] {
            let found = body.contains(escaped)
            #expect(found, "\(escaped)")
        }
        let bidi = body.contains("\u{202E}") || body.contains(#"\u202e"#)
        #expect(bidi, "a bidi override, raw or escaped")
        #expect(reply.body.count > 100_000)
        server.service.setFaults(.none)
        let id = HostileValues.jobID(1)  // "a/b"
        let log = try await exchange(port: port, "GET", "\(jobsPath)/\(percentEncodedPathSegment(id))/logs", headers: authHeaders)
        #expect(log.status == 200)
        #expect(log.text.contains(#""id":"a/b""#))
    }

    @Test(.timeLimit(.minutes(3))) func redirectsLeadToATrapThatCountsTokensAndPasswords() async throws {
        let (server, port) = try await startServer("redirect=1")
        defer { server.stop() }
        let reply = try await exchange(port: port, "GET", jobsPath, headers: authHeaders)
        #expect([301, 302, 307, 308].contains(reply.status ?? 0))
        let location = try #require(reply.header("Location").flatMap(URL.init(string:)))
        let trapPort = try #require(location.port)
        #expect(trapPort != port, "another origin")
        #expect(location.path == jobsPath)
        // Followed by hand, as a careless client would, with the token.
        let followed = try await exchange(port: trapPort, "GET", location.path, headers: authHeaders)
        #expect(followed.status == 200)
        #expect(followed.text == "[]")
        // A login redirected with 307/308 keeps its body: the password reaches the trap too.
        let body = Array(#"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"u","password":"hunter2","domain":{"name":"d"}}}}}}"#.utf8)
        let loginReply = try await exchange(port: port, "POST", "/v3/auth/tokens", headers: ["Content-Type": "application/json"], body: body)
        let loginLocation = try #require(loginReply.header("Location").flatMap(URL.init(string:)))
        #expect(loginLocation.port == trapPort)
        _ = try await exchange(port: trapPort, "POST", loginLocation.path, headers: ["Content-Type": "application/json"], body: body)
        let record = try await exchange(port: port, "GET", "/_sim/trap")
        let json = try JSONParser.parse(record.body)
        #expect(json["requests"]?.lenientInt == 2)
        #expect(json["tokens_seen"]?.lenientInt == 1)
        #expect(json["passwords_seen"]?.lenientInt == 1)
        #expect(server.trapURL == "http://127.0.0.1:\(trapPort)")
    }

    @Test(.timeLimit(.minutes(3))) func stallSendsPartThenNothingUntilTheServerStops() async throws {
        let (server, port) = try await startServer("stall=1")
        defer { server.stop() }
        let connection = try RawConnection(port: port)
        try connection.send("GET", jobsPath, headers: authHeaders)
        // The head and part of the body arrive...
        let (first, _, _) = try await offThread {
            connection.read(until: .now + .seconds(10)) { !$0.head.isEmpty && !$0.body.isEmpty }
        }
        #expect(first.status == 200)
        let declared = try #require(first.header("Content-Length").flatMap(Int.init))
        #expect(declared > first.body.count)
        // ...then nothing that completes it within the window, and the connection stays open.
        let (quiet, _, _) = try await offThread { connection.read(until: .now + .milliseconds(1500)) }
        #expect(quiet.head.isEmpty)
        #expect(first.body.count + quiet.body.count < declared)
        #expect(!quiet.closed)
        // Stopping the server ends the stall (it does not wait out its 300 s).
        server.stop()
        let (end, _, _) = try await offThread { connection.read(until: .now + .seconds(20)) }
        #expect(end.closed)
        #expect(first.body.count + quiet.body.count + end.body.count < declared)
    }

    @Test(.timeLimit(.minutes(3))) func hugeBodyIsStreamedPastAnySaneCap() async throws {
        let (server, port) = try await startServer("huge=1")
        defer { server.stop() }
        let (reading, total, tail) = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send("GET", jobsPath, headers: authHeaders)
            return connection.read(until: .now + .seconds(50), keep: 4096)
        }
        #expect(reading.status == 200)
        #expect(reading.closed)
        #expect(total >= 64 << 20)
        let chunked = reading.header("Transfer-Encoding")?.lowercased() == "chunked"
        if let length = reading.header("Content-Length").flatMap(Int.init) {
            #expect(length == total)
        } else {
            #expect(chunked)
        }
        #expect(reading.text.contains("[{"))
        let end = String(decoding: tail, as: UTF8.self)
        // Chunked, the closing bracket comes in a chunk of its own.
        #expect(chunked ? end.hasSuffix("}\r\n1\r\n]\r\n0\r\n\r\n") : end.hasSuffix("}]"), "\(end.debugDescription)")
    }

    @Test(.timeLimit(.minutes(3))) func deepNestingOnTheWire() async throws {
        let (server, port) = try await startServer("deep=1")
        defer { server.stop() }
        let reply = try await exchange(port: port, "GET", jobsPath, headers: authHeaders)
        #expect(reply.status == 200)
        #expect(reply.body == HostileValues.deepNesting)
    }

    @Test(.timeLimit(.minutes(3))) func aPortInUseIsSaidPlainly() async throws {
        let (first, port) = try await startServer("")
        defer { first.stop() }
        let second = SimulatorServer(options: SimulatorOptions())
        defer { second.stop() }
        do {
            try await second.start(port: port)
            Issue.record("started twice on port \(port)")
        } catch let error as SimulatorStartError {
            #expect(error.message == "port \(port) is in use; pick another with --port or 0 for any")
        }
    }
}
