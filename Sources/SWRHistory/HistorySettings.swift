import SWRAPI

/// What the config file and the flags say about the history store, as plain values.
///
/// The config shape is `"history": {"path": "...", "keep_days": 90}` or `"history": false`
/// (parsed into SWRAPI's `HistoryConfig`); `--history PATH` overrides `path` (see
/// `HistoryPath.resolve`) and `--no-history` sets `enabled` to false: `init(config:noHistoryFlag:)`.
public struct HistorySettings: Sendable, Equatable {
    /// The days of history kept when the config does not say.
    public static let defaultKeepDays = 90
    /// The `keep_days` a config may give: at least a day, at most ten years.
    public static let keepDaysRange = 1...3650
    /// The most jobs kept per stage, whatever their age (the newest by creation time stay).
    public static let maxJobsPerStage = 10_000

    /// `history.path` from the config, `nil` when absent (the default place is used).
    public var path: String?
    /// `history.keep_days`: rows not seen for longer are removed.
    public var keepDays: Int
    /// False with `--no-history`: nothing is opened, read or written.
    public var enabled: Bool

    public init(path: String? = nil, keepDays: Int = HistorySettings.defaultKeepDays, enabled: Bool = true) {
        self.path = path
        self.keepDays = keepDays
        self.enabled = enabled
    }

    /// How long rows are kept, in seconds (`keepDays` held to `keepDaysRange`).
    public var retention: Double {
        let days = min(max(keepDays, Self.keepDaysRange.lowerBound), Self.keepDaysRange.upperBound)
        return Double(days) * 86_400
    }
}

extension HistorySettings {
    /// The settings from the config's `history` key (`nil` when absent) and `--no-history`.
    /// `--history PATH` is not folded in here: `HistoryPath.resolve` takes it first.
    public init(config: HistoryConfig?, noHistoryFlag: Bool = false) {
        self.init(
            path: config?.path,
            keepDays: config?.keepDays ?? HistorySettings.defaultKeepDays,
            enabled: !noHistoryFlag && (config?.enabled ?? true)
        )
    }
}
