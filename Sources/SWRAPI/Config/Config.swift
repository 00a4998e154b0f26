/// swr-top's settings from `config.json`: where the service is, how to authenticate, what to
/// watch and how often. README "Configuration reference" lists every key.
public struct Config: Sendable, Equatable {
    public var endpoint: String
    public var auth: AuthConfig
    public var intervalSeconds: Double
    public var timeoutSeconds: Double
    /// The pipelines to watch; `nil` means discover them with the list call.
    public var pipelines: [PipelineConfig]?
    public var discover: PipelineFilter?
    /// The history file (`history` key); `nil`: the defaults.
    public var history: HistoryConfig?
    /// `"mouse": false` leaves the mouse to the terminal (its own selection); nil: on.
    public var mouse: Bool?
    /// The request budget: at most this many requests to the service in any 60 s
    /// (`max_requests_per_minute`, `--max-requests-per-minute`).
    public var maxRequestsPerMinute = defaultMaxRequestsPerMinute

    public static let defaultInterval = 3.0
    public static let defaultTimeout = 10.0
    public static let defaultMaxRequestsPerMinute = 300
    /// The budgets a setting may ask for: below 10 a minute the focused stage alone would not fit.
    public static let maxRequestsPerMinuteRange = 10...100_000

    public init(endpoint: String, auth: AuthConfig = .tokenEnv("SWR_TOKEN"), intervalSeconds: Double = defaultInterval,
                timeoutSeconds: Double = defaultTimeout, pipelines: [PipelineConfig]? = nil, discover: PipelineFilter? = nil) {
        self.endpoint = endpoint
        self.auth = auth
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.pipelines = pipelines
        self.discover = discover
    }

    /// The SWR API endpoint of a region.
    public static func endpoint(region: String) -> String { "https://swr-api.\(region).myhuaweicloud.com" }
    /// The IAM endpoint of a region.
    public static func iamEndpoint(region: String) -> String { "https://iam.\(region).myhuaweicloud.com" }
}

/// How swr-top obtains its token.
/// The `history` key: where the SQLite history lives, how long it keeps jobs, or none at all.
public struct HistoryConfig: Sendable, Equatable {
    public var enabled: Bool
    public var path: String?
    public var keepDays: Int?

    public init(enabled: Bool = true, path: String? = nil, keepDays: Int? = nil) {
        self.enabled = enabled
        self.path = path
        self.keepDays = keepDays
    }
}

public enum AuthConfig: Sendable, Equatable {
    /// Read the token from this environment variable (default `SWR_TOKEN`).
    case tokenEnv(String)
    /// Read the token from this file.
    case tokenFile(String)
    /// Log in to IAM with a password from an environment variable.
    case iam(IAMConfig)
}

/// The `auth.iam` section.
public struct IAMConfig: Sendable, Equatable {
    public var endpoint: String
    public var domain: String
    public var user: String
    public var passwordEnv: String
    public var project: String

    public init(endpoint: String, domain: String, user: String, passwordEnv: String, project: String) {
        self.endpoint = endpoint
        self.domain = domain
        self.user = user
        self.passwordEnv = passwordEnv
        self.project = project
    }
}

/// One watched pipeline; missing `name` or `stages` are filled from the pipeline detail call.
public struct PipelineConfig: Sendable, Equatable {
    public var id: Int
    public var name: String?
    public var stages: [StageConfig]?

    public init(id: Int, name: String? = nil, stages: [StageConfig]? = nil) {
        self.id = id
        self.name = name
        self.stages = stages
    }
}

/// One watched stage of a pipeline (0-based index).
public struct StageConfig: Sendable, Equatable {
    public var index: Int
    public var name: String?

    public init(index: Int, name: String? = nil) {
        self.index = index
        self.name = name
    }
}

/// A configuration problem, said in one line that names the file and the key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var message: String

    public init(file: String, key: String? = nil, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(file): '\(key)': \(message)" }
        return "\(file): \(message)"
    }
}
