import Foundation
import Testing
@testable import SWRAPI

func parseConfig(_ text: String) throws(ConfigError) -> Config {
    try ConfigParser.parse(Array(text.utf8), file: "config.json")
}

func configError(_ text: String) -> String? {
    do {
        _ = try parseConfig(text)
        return nil
    } catch {
        return error.description
    }
}

@Suite(.timeLimit(.minutes(3))) struct ConfigTests {
    @Test func fullConfig() throws {
        let config = try parseConfig("""
        {"region": "cn-north-4", "interval_seconds": 2, "timeout_seconds": 5.5, "max_requests_per_minute": 120,
         "auth": {"iam": {"domain": "acme", "user": "ops", "password_env": "PW"}},
         "pipelines": [{"id": 1024, "name": "tomcat-release", "stages": [{"index": 0, "name": "build"}, {"index": 2}]},
                       {"id": 7, "stages": 3}, {"id": 8}]}
        """)
        #expect(config.endpoint == "https://swr-api.cn-north-4.myhuaweicloud.com")
        #expect(config.intervalSeconds == 2 && config.timeoutSeconds == 5.5)
        #expect(config.maxRequestsPerMinute == 120)
        #expect(config.auth == .iam(IAMConfig(endpoint: "https://iam.cn-north-4.myhuaweicloud.com", domain: "acme", user: "ops", passwordEnv: "PW", project: "cn-north-4")))
        #expect(config.pipelines?[0] == PipelineConfig(id: 1024, name: "tomcat-release", stages: [StageConfig(index: 0, name: "build"), StageConfig(index: 2)]))
        #expect(config.pipelines?[1].stages?.map(\.index) == [0, 1, 2])
        #expect(config.pipelines?[2].stages == nil)
    }

    @Test func defaults() throws {
        let config = try parseConfig(#"{"endpoint": "http://127.0.0.1:8080/", "discover": {"name": "tomcat"}}"#)
        #expect(config.endpoint == "http://127.0.0.1:8080")
        #expect(config.auth == .tokenEnv("SWR_TOKEN"))
        #expect(config.intervalSeconds == 3 && config.timeoutSeconds == 10)
        #expect(config.maxRequestsPerMinute == 300)
        #expect(config.pipelines == nil)
        #expect(config.discover == PipelineFilter(name: "tomcat"))
    }

    @Test func exampleFileParses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json")
        let config = try ConfigParser.load(path: url.path)
        #expect(config.pipelines?.isEmpty == false)
    }

    @Test func everyErrorNamesFileAndKey() {
        let cases: [(String, String)] = [
            (#"{"endpoint": "https://x", "pipelines": [{"id": 1}],"#, "config.json: invalid JSON: the body ends early (truncated JSON) at line 1, column 52"),
            ("{\n  \"endpoint\": \"https://x\"\n  \"pipelines\": []}", "config.json: invalid JSON: expected ',' or '}' in an object at line 3, column 3"),
            (#"{"endpoint": "https://x", "intervall": 3}"#, "config.json: 'intervall': unknown key"),
            (#"{"endpoint": "https://x", "interval_seconds": "3"}"#, "config.json: 'interval_seconds': expected a number, got a string"),
            (#"{"endpoint": "https://x", "pipelines": []}"#, "config.json: 'pipelines': is empty"),
            (#"{"endpoint": "https://x", "max_requests_per_minute": 9}"#, "config.json: 'max_requests_per_minute': must be a whole number of requests between 10 and 100000"),
            (#"{"endpoint": "https://x", "max_requests_per_minute": 100001}"#, "config.json: 'max_requests_per_minute': must be a whole number"),
            (#"{"endpoint": "https://x", "max_requests_per_minute": 30.5}"#, "config.json: 'max_requests_per_minute': must be a whole number"),
            (#"{"endpoint": "https://x", "max_requests_per_minute": 1e300}"#, "config.json: 'max_requests_per_minute': must be a whole number"),
            (#"{"endpoint": "https://x", "max_requests_per_minute": "300"}"#, "config.json: 'max_requests_per_minute': expected a number, got a string"),
            (#"{"endpoint": "https://x", "pipelines": [{"id": 0}]}"#, "config.json: 'pipelines[0].id': must be a positive integer"),
            (#"{"endpoint": "https://x", "pipelines": [{"id": "12"}]}"#, "config.json: 'pipelines[0].id': must be a positive integer"),
            (#"{"endpoint": "https://x", "pipelines": [{"id": 1.5}]}"#, "config.json: 'pipelines[0].id': must be a positive integer"),
            (#"{"endpoint": "https://x", "pipelines": [{"id": 1, "stages": [{"index": -1}]}]}"#, "config.json: 'pipelines[0].stages[0].index'"),
            (#"{"endpoint": "http://swr.example.com"}"#, "config.json: 'endpoint': plain http:// to 'swr.example.com' would send the token unencrypted"),
            (#"{"endpoint": "ftp://x"}"#, "config.json: 'endpoint': must start with https://"),
            (#"{"pipelines": [{"id": 1}]}"#, "config.json: 'endpoint': missing"),
            (#"{"endpoint": "https://x", "auth": {"token_env": "A", "token_file": "b"}}"#, "config.json: 'auth': give exactly one"),
            (#"{"endpoint": "https://x", "auth": {"iam": {"user": "u", "region": "r"}}}"#, "config.json: 'auth.iam.domain': missing"),
            (#"{"endpoint": "https://x", "auth": {"iam": {"domain": "d", "user": "u"}}}"#, "config.json: 'auth.iam.endpoint': missing"),
            ("[1]", "config.json: expected a JSON object at the top, got an array"),
        ]
        for (text, expected) in cases {
            let message = configError(text)
            #expect(message?.hasPrefix(expected) == true, "got \(message ?? "no error") for \(text)")
        }
    }

    @Test func missingFile() {
        #expect(throws: ConfigError.self) { try ConfigParser.load(path: "/nonexistent/swr-top.json") }
        do { _ = try ConfigParser.load(path: "/nonexistent/swr-top.json") } catch {
            #expect(error.description.hasPrefix("/nonexistent/swr-top.json: no such file"))
        }
    }

    @Test func locateOrder() {
        #expect(ConfigParser.locate(explicit: "a.json", environment: ["SWR_TOP_CONFIG": "b.json"]) == "a.json")
        #expect(ConfigParser.locate(explicit: nil, environment: ["SWR_TOP_CONFIG": "b.json", "XDG_CONFIG_HOME": "/x"]) == "b.json")
        #expect(ConfigParser.locate(explicit: nil, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/swr-top/config.json")
        #expect(ConfigParser.locate(explicit: nil, environment: ["HOME": "/h"]) == "/h/.config/swr-top/config.json")
    }

    @Test func tokenSources() throws {
        let transport = NoTransport()
        #expect(throws: ConfigError.self) {
            try Credentials.provider(for: .tokenEnv("SWR_TOKEN"), file: "c", environment: ["SWR_TOKEN": "  "], transport: transport, timeout: .seconds(1))
        }
        do {
            _ = try Credentials.provider(for: .tokenEnv("SWR_TOKEN"), file: "c", environment: [:], transport: transport, timeout: .seconds(1))
        } catch {
            #expect(error.description == "c: 'auth.token_env': the environment variable SWR_TOKEN is empty or unset; export a token from IAM into it")
        }
        let path = NSTemporaryDirectory() + "swr-top-token-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data("tok\n".utf8), attributes: [.posixPermissions: 0o644])
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Credentials.provider(for: .tokenFile(path), file: "c", environment: [:], transport: transport, timeout: .seconds(1))
            Issue.record("a token file readable by others must be refused")
        } catch {
            #expect(error.description.contains("chmod 600"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let (_, none) = try Credentials.provider(for: .tokenFile(path), file: "c", environment: [:], transport: transport, timeout: .seconds(1))
        #expect(none.isEmpty)
        #expect(throws: ConfigError.self) {
            try Credentials.provider(for: .iam(IAMConfig(endpoint: "https://i", domain: "d", user: "u", passwordEnv: "PW", project: "p")),
                                     file: "c", environment: [:], transport: transport, timeout: .seconds(1))
        }
    }
}

/// A transport that must not be used.
struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw SWRError.transport("unused") }
}
