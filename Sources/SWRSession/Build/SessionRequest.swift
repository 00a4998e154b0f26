import Foundation
import Logging
import SWRAPI

/// The settings that shape a session: flags over the config file, or the demo.
public struct SessionRequest: Sendable {
    /// `--config`, else `$SWR_TOP_CONFIG`, else the XDG default.
    public var configPath: String?
    /// Watch this service instead of the configured one (`--demo`).
    public var demo: (any DemoService)?
    /// `--interval`, in seconds.
    public var interval: Double?
    /// `--pipeline` ids; they replace the config's list.
    public var pipelineIDs: [Int]
    /// `--endpoint`; replaces the config's.
    public var endpoint: String?
    /// `--history PATH`: the history file (over the config's and the default).
    public var historyPath: String?
    /// `--no-history`: keep no history this time.
    public var noHistory: Bool
    /// `--max-requests-per-minute`: the request budget (over the config's).
    public var maxRequestsPerMinute: Int?
    public var logger: Logger

    public init(configPath: String? = nil, demo: (any DemoService)? = nil, interval: Double? = nil, pipelineIDs: [Int] = [],
                endpoint: String? = nil, historyPath: String? = nil, noHistory: Bool = false, maxRequestsPerMinute: Int? = nil, logger: Logger = Logger(label: "swr-top", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.configPath = configPath
        self.demo = demo
        self.interval = interval
        self.pipelineIDs = pipelineIDs
        self.endpoint = endpoint
        self.historyPath = historyPath
        self.noHistory = noHistory
        self.maxRequestsPerMinute = maxRequestsPerMinute
        self.logger = logger
    }
}
