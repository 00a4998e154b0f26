import Foundation
import SWRAPI
import SWRWatch

/// Learns what to watch: names and stages from the config where it gives them, else from the
/// pipeline detail call; every pipeline of the account (discovery) when the config lists none.
/// Start-up calls retry transient errors (5xx, 429, timeouts) with the engine's own backoff, a
/// few times, so a flaky service does not stop swr-top before it has begun.
struct PipelineResolver: Sendable {
    let client: SWRClient
    let schedule: PollSchedule
    var attempts = 6
    /// The random factor of the backoff (the engine's jitter); fixed in tests.
    var random: @Sendable () -> Double = { Double.random(in: 0...1) }

    func resolve(_ config: Config) async throws(SetupError) -> [PipelineInfo] {
        guard let configured = config.pipelines else { return try await discover(config.discover) }
        do {
            return try await withThrowingTaskGroup(of: (Int, PipelineInfo).self) { group in
                for (position, pipeline) in configured.enumerated() {
                    group.addTask { (position, try await self.resolve(pipeline)) }
                }
                var resolved: [(Int, PipelineInfo)] = []
                for try await item in group { resolved.append(item) }
                return resolved.sorted { $0.0 < $1.0 }.map(\.1)
            }
        } catch let error as SetupError {
            throw error
        } catch {
            throw SetupError(message: "could not read the pipelines: \(Self.words(error))", exitCode: ExitStatus.serviceUnreadable)
        }
    }

    private func discover(_ filter: PipelineFilter?) async throws(SetupError) -> [PipelineInfo] {
        let found: [Pipeline]
        do { found = try await retrying { try await client.pipelines(filter: filter ?? PipelineFilter()) } } catch {
            throw SetupError(message: "could not list the pipelines: \(Self.words(error))", exitCode: ExitStatus.serviceUnreadable)
        }
        guard !found.isEmpty else {
            throw SetupError(message: "the account has no pipelines\(filter == nil ? "" : " matching 'discover'"); list them under 'pipelines' in the config",
                             exitCode: ExitStatus.serviceUnreadable)
        }
        return found.map(PipelineInfo.init)
    }

    private func resolve(_ pipeline: PipelineConfig) async throws -> PipelineInfo {
        if let name = pipeline.name, let stages = pipeline.stages {
            return PipelineInfo(id: pipeline.id, name: name, stages: stages.map { StageInfo(index: $0.index, name: $0.name ?? "stage \($0.index)") })
        }
        let detail: Pipeline
        do { detail = try await retrying { try await client.pipeline(id: pipeline.id) } } catch {
            throw SetupError(message: "could not read pipeline \(pipeline.id) to learn its stages: \(Self.words(error))", exitCode: ExitStatus.serviceUnreadable)
        }
        var resolved = PipelineInfo(detail)
        if let name = pipeline.name { resolved.name = name }
        if let stages = pipeline.stages {
            resolved.stages = stages.map { stage in
                StageInfo(index: stage.index, name: stage.name ?? detail.stages.first { $0.index == stage.index }?.name ?? "stage \(stage.index)")
            }
        }
        return resolved
    }

    /// An error of the last try, in words that do not promise a retry.
    static func words(_ error: any Error) -> String {
        (error as? SWRError)?.describe(willRetry: false) ?? "the request did not complete"
    }

    /// `call`, again after the engine's backoff while it fails transiently, at most `attempts` times.
    func retrying<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        var failures = 0
        while true {
            do {
                return try await call()
            } catch let error as SWRError where error.isTransient && failures + 1 < attempts {
                failures += 1
                let wait = schedule.backoff(after: error, interval: min(schedule.baseInterval, 1), failures: failures, random: random())
                try await Task.sleep(for: .milliseconds(Int(min(wait, 5) * 1000)))
            }
        }
    }
}
