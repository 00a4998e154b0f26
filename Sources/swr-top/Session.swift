import Foundation
import Logging
import SWRAPI
import SWRSimulator
import SWRTopUI
import SWRWatch

/// Everything a mode needs, made from the config (or the demo): the client, the watched
/// pipelines with their stages, and what must be shut down at the end.
struct Session: Sendable {
    let client: SWRClient
    let pipelines: [PipelineInfo]
    let interval: TimeInterval
    let timeout: TimeInterval
    let endpointHost: String
    let transport: AsyncHTTPClientTransport
    let simulator: SimulatorServer?

    func shutdown() async {
        await transport.shutdown()
        simulator?.stop()
    }
}

/// Why a session could not be made, with the exit code it means.
struct SetupError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32
    var description: String { message }
}

/// The flags that shape a session.
struct SessionRequest: Sendable {
    var configPath: String?
    var demo: Bool
    var simulator: SimulatorOptions?
    var interval: Double?
    var pipelineIDs: [Int]
    var endpoint: String?
    var logger: Logger
}

enum SessionBuilder {
    static func make(_ request: SessionRequest, environment: [String: String]) async throws -> Session {
        let transport = AsyncHTTPClientTransport()
        do {
            return try await make(request, environment: environment, transport: transport)
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    private static func make(_ request: SessionRequest, environment: [String: String], transport: AsyncHTTPClientTransport) async throws -> Session {
        var config: Config
        var tokens: any TokenProvider
        var simulator: SimulatorServer?
        if request.demo, let options = request.simulator {
            let server = SimulatorServer(options: options)
            let url = try await server.start(port: 0)
            simulator = server
            config = Config(endpoint: url, auth: .tokenEnv("(demo)"))
            tokens = StaticTokenProvider(options.token)
        } else {
            let loaded: (Config, any TokenProvider)
            do {
                loaded = try loadConfig(request, environment: environment, transport: transport)
            } catch {
                throw SetupError(message: error.description, exitCode: Exit.usage)
            }
            (config, tokens) = loaded
        }
        if let interval = request.interval {
            guard interval >= 0.5, interval <= 3600 else { throw SetupError(message: "--interval must be between 0.5 and 3600 seconds", exitCode: Exit.usage) }
            config.intervalSeconds = interval
        }
        if !request.pipelineIDs.isEmpty {
            guard request.pipelineIDs.allSatisfy({ $0 > 0 }) else { throw SetupError(message: "--pipeline takes a positive pipeline id", exitCode: Exit.usage) }
            let known = Dictionary((config.pipelines ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            config.pipelines = request.pipelineIDs.map { known[$0] ?? PipelineConfig(id: $0) }
        }
        let client = SWRClient(endpoint: config.endpoint, transport: transport, tokens: tokens,
                               timeout: .milliseconds(Int(config.timeoutSeconds * 1000)), logger: request.logger)
        let pipelines = try await resolvePipelines(config, client: client)
        return Session(client: client, pipelines: pipelines, interval: config.intervalSeconds, timeout: config.timeoutSeconds,
                       endpointHost: ConfigParser.hostOf(config.endpoint), transport: transport, simulator: simulator)
    }

    /// Reads the config file, applies `--endpoint`, and reads the token (or password) now.
    static func loadConfig(_ request: SessionRequest, environment: [String: String], transport: AsyncHTTPClientTransport) throws(ConfigError) -> (Config, any TokenProvider) {
        let path = ConfigParser.locate(explicit: request.configPath, environment: environment)
        var config = try ConfigParser.load(path: path)
        if let endpoint = request.endpoint {
            let trimmed = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            try ConfigParser.validateEndpoint(trimmed, file: "--endpoint")
            config.endpoint = trimmed
        }
        let made = try Credentials.provider(for: config.auth, file: path, environment: environment, transport: transport,
                                            timeout: .milliseconds(Int(config.timeoutSeconds * 1000)), logger: request.logger)
        for warning in made.warnings { complain(warning) }
        return (config, made.provider)
    }

    /// Fills names and stages from the detail call where the config leaves them out, or
    /// discovers every pipeline when the config lists none.
    static func resolvePipelines(_ config: Config, client: SWRClient) async throws -> [PipelineInfo] {
        guard let configured = config.pipelines else {
            let found: [Pipeline]
            do { found = try await retrying { try await client.pipelines(filter: config.discover ?? PipelineFilter()) } } catch let error as SWRError {
                throw SetupError(message: "could not list the pipelines: \(error)", exitCode: Exit.serviceUnreadable)
            }
            guard !found.isEmpty else {
                throw SetupError(message: "the account has no pipelines\(config.discover == nil ? "" : " matching 'discover'"); list them under 'pipelines' in the config", exitCode: Exit.serviceUnreadable)
            }
            return found.map(info)
        }
        return try await withThrowingTaskGroup(of: (Int, PipelineInfo).self) { group in
            for (position, pipeline) in configured.enumerated() {
                group.addTask {
                    if let name = pipeline.name, let stages = pipeline.stages {
                        return (position, PipelineInfo(id: pipeline.id, name: name, stages: stages.map { StageInfo(index: $0.index, name: $0.name ?? "stage \($0.index)") }))
                    }
                    do {
                        let detail = try await retrying { try await client.pipeline(id: pipeline.id) }
                        var resolved = info(detail)
                        if let name = pipeline.name { resolved.name = name }
                        if let stages = pipeline.stages {
                            resolved.stages = stages.map { stage in
                                StageInfo(index: stage.index, name: stage.name ?? detail.stages.first { $0.index == stage.index }?.name ?? "stage \(stage.index)")
                            }
                        }
                        return (position, resolved)
                    } catch let error as SWRError {
                        throw SetupError(message: "could not read pipeline \(pipeline.id) to learn its stages: \(error)", exitCode: Exit.serviceUnreadable)
                    }
                }
            }
            var resolved: [(Int, PipelineInfo)] = []
            for try await item in group { resolved.append(item) }
            return resolved.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Start-up calls retry transient errors (5xx, 429, timeouts) a few times, so a flaky
    /// service does not stop swr-top before it has begun.
    static func retrying<T: Sendable>(attempts: Int = 6, _ call: @Sendable () async throws -> T) async throws -> T {
        var delay = 0.25
        for attempt in 1... {
            do {
                return try await call()
            } catch let error as SWRError where error.isTransient && attempt < attempts {
                var wait = delay
                if case .rateLimited(let after?, _) = error { wait = min(after, 5) }
                try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                delay = min(delay * 2, 4)
            }
        }
        fatalError("unreachable")
    }

    static func info(_ pipeline: Pipeline) -> PipelineInfo {
        PipelineInfo(id: pipeline.id, name: pipeline.name, stages: pipeline.stages.map { StageInfo(index: $0.index, name: $0.name) })
    }
}
