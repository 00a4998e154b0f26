import Foundation
import Logging
import SWRAPI
import SWRHistory
import SWRWatch

/// Builds a `Session` from a `SessionRequest`: reads the config (or starts the demo), applies
/// the flags, reads the token, and learns each pipeline's name and stages (from the config,
/// else from the detail call, else by discovery).
public enum SessionBuilder {
    /// A session on a real HTTP client; every failure is a `SetupError` in plain words.
    public static func make(_ request: SessionRequest, environment: [String: String],
                            output: ScriptOutput = .standard) async throws(SetupError) -> Session {
        let transport = AsyncHTTPClientTransport()
        do {
            return try await make(request, environment: environment, output: output, transport: transport,
                                  closers: [{ await transport.shutdown() }])
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// A session on `transport`; `closers` run at shutdown (after the demo's stop).
    public static func make(_ request: SessionRequest, environment: [String: String], output: ScriptOutput,
                            transport: any HTTPTransport, closers: [@Sendable () async -> Void]) async throws(SetupError) -> Session {
        var closers = closers
        var config: Config
        let tokens: any TokenProvider
        if let demo = request.demo {
            let started: (endpoint: String, token: String)
            do { started = try await demo.start() } catch {
                throw SetupError(message: "could not start the simulated service: \(error)", exitCode: ExitStatus.serviceUnreadable)
            }
            closers.insert({ await demo.stop() }, at: 0)
            config = Config(endpoint: started.endpoint, auth: .tokenEnv("(demo)"))
            tokens = StaticTokenProvider(started.token)
        } else {
            do {
                (config, tokens) = try loadConfig(request, environment: environment, output: output, transport: transport)
            } catch {
                throw SetupError(message: error.description, exitCode: ExitStatus.usage)
            }
        }
        do {
            try apply(request, to: &config)
            let client = SWRClient(endpoint: config.endpoint, transport: transport, tokens: tokens,
                                   timeout: .milliseconds(Int(config.timeoutSeconds * 1000)), logger: request.logger)
            let pipelines = try await PipelineResolver(client: client, schedule: PollSchedule(baseInterval: config.intervalSeconds))
                .resolve(config)
            let (history, notice) = SessionHistory.open(settings: HistorySettings(config: config.history, noHistoryFlag: request.noHistory),
                                                        flag: request.historyPath, host: request.demo?.historyHost ?? HistoryHost.key(endpoint: config.endpoint),
                                                        demo: request.demo != nil,
                                                        environment: environment)
            if let notice { output.complain("history: \(notice)") }
            var session = Session(client: client, pipelines: pipelines, interval: config.intervalSeconds, timeout: config.timeoutSeconds,
                                  endpointHost: ConfigParser.hostOf(config.endpoint), history: history,
                                  maxRequestsPerMinute: config.maxRequestsPerMinute, closers: closers)
            session.mouse = config.mouse ?? true
            return session
        } catch {
            for close in closers where request.demo != nil { await close() }
            throw error
        }
    }

    /// `--interval`, `--max-requests-per-minute` and `--pipeline` over the config.
    static func apply(_ request: SessionRequest, to config: inout Config) throws(SetupError) {
        if let budget = request.maxRequestsPerMinute {
            let range = Config.maxRequestsPerMinuteRange
            guard range.contains(budget) else {
                throw SetupError(message: "--max-requests-per-minute must be between \(range.lowerBound) and \(range.upperBound)", exitCode: ExitStatus.usage)
            }
            config.maxRequestsPerMinute = budget
        }
        if let interval = request.interval {
            guard interval >= 0.5, interval <= 3600 else {
                throw SetupError(message: "--interval must be between 0.5 and 3600 seconds", exitCode: ExitStatus.usage)
            }
            config.intervalSeconds = interval
        }
        if !request.pipelineIDs.isEmpty {
            guard request.pipelineIDs.allSatisfy({ $0 > 0 }) else {
                throw SetupError(message: "--pipeline takes a positive pipeline id", exitCode: ExitStatus.usage)
            }
            let known = Dictionary((config.pipelines ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            config.pipelines = request.pipelineIDs.map { known[$0] ?? PipelineConfig(id: $0) }
        }
    }

    /// Reads the config file, applies `--endpoint`, and reads the token (or password) now.
    static func loadConfig(_ request: SessionRequest, environment: [String: String], output: ScriptOutput,
                           transport: any HTTPTransport) throws(ConfigError) -> (Config, any TokenProvider) {
        let path = ConfigParser.locate(explicit: request.configPath, environment: environment)
        var config = try ConfigParser.load(path: path)
        if let endpoint = request.endpoint {
            let trimmed = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            try ConfigParser.validateEndpoint(trimmed, file: "--endpoint")
            config.endpoint = trimmed
        }
        let made = try Credentials.provider(for: config.auth, file: path, environment: environment, transport: transport,
                                            timeout: .milliseconds(Int(config.timeoutSeconds * 1000)), logger: request.logger)
        for warning in made.warnings { output.complain(warning) }
        return (config, made.provider)
    }
}
