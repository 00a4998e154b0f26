import Foundation
import SWRAPI
import SWRWatch

/// Everything a mode needs, made from the settings (or the demo): the client, the watched
/// pipelines with their stages, the intervals, and what must be shut down at the end.
public struct Session: Sendable {
    public let client: SWRClient
    public let pipelines: [PipelineInfo]
    /// The base poll interval (the focused stage's), in seconds.
    public let interval: TimeInterval
    /// The end-to-end deadline of one request, in seconds.
    public let timeout: TimeInterval
    /// The service's host, as the header shows it.
    public let endpointHost: String
    /// The history file, unless turned off or it could not be opened.
    public let history: SessionHistory?
    /// Whether the dashboard takes the mouse (config `"mouse"`; `--no-mouse` turns it off).
    public var mouse = true
    /// The request budget: at most this many requests in any 60 s.
    public let maxRequestsPerMinute: Int
    private let closers: [@Sendable () async -> Void]

    public init(client: SWRClient, pipelines: [PipelineInfo], interval: TimeInterval, timeout: TimeInterval,
                endpointHost: String, history: SessionHistory? = nil,
                maxRequestsPerMinute: Int = Config.defaultMaxRequestsPerMinute, closers: [@Sendable () async -> Void] = []) {
        self.client = client
        self.pipelines = pipelines
        self.interval = interval
        self.timeout = timeout
        self.endpointHost = endpointHost
        self.history = history
        self.maxRequestsPerMinute = maxRequestsPerMinute
        self.closers = closers
    }

    /// Every watched stage, or only those with index `stage`.
    public func targets(stage: Int? = nil) -> [Target] {
        pipelines.flatMap { pipeline in
            pipeline.stages.filter { stage == nil || $0.index == stage }.map { Target(pipeline: pipeline.id, stage: $0.index) }
        }
    }

    /// The polling schedule for this session's interval.
    public var schedule: PollSchedule { PollSchedule(baseInterval: interval) }

    /// A polling engine on the session's client for `targets`, within the request budget.
    /// `runAware`: it reads the pipelines' details too, and polls their stages by what they say
    /// (the dashboard); otherwise every stage polls on the focus-level schedule (the script modes).
    public func engine(targets: [Target], schedule: PollSchedule? = nil, clock: any WatchClock = SystemWatchClock(),
                       runAware: Bool = false) -> PollingEngine {
        PollingEngine(source: client, details: runAware ? client : nil, clock: clock, targets: targets, schedule: schedule ?? self.schedule,
                      maxConcurrent: Self.maxConcurrent, requestTimeout: timeout + 1, maxRequestsPerMinute: maxRequestsPerMinute)
    }

    /// At most this many requests at once, whatever the number of stages.
    public static let maxConcurrent = 8

    /// Writes the last history, closes connections and stops the demo's simulator.
    public func shutdown() async {
        await history?.close()
        for close in closers { await close() }
    }
}

/// Why a session could not be made, in plain words, with the exit code it means.
public struct SetupError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var exitCode: Int32
    public init(message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }
    public var description: String { message }
}
