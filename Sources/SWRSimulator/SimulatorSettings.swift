import SWRAPI

/// The simulator's settings as `swr-top sim` and `--demo` take them (numbers and words from
/// flags), checked and turned into `SimulatorOptions`; a bad value is refused with its flag's name.
public struct SimulatorSettings: Sendable {
    public var seed = 42
    public var speed = 1.0
    public var pipelines = 5
    public var busy = SimWorld.defaultBusyCount
    public var faults = ""
    public var wireFormat = "official"
    public var tokenLifetime: Double = 24 * 3600
    public var outcome: String?

    public init() {}

    /// The options these settings ask for, or the first refusal in plain words.
    public func options() throws(SimulatorLimitError) -> SimulatorOptions {
        try SimulatorLimits.checkSpeed(speed)
        try SimulatorLimits.check(pipelines, in: SimulatorLimits.pipelines, flag: "--sim-pipelines")
        try SimulatorLimits.check(busy, in: SimulatorLimits.busyPipelines, flag: "--sim-busy")
        try SimulatorLimits.check(tokenLifetime, in: SimulatorLimits.tokenLifetime, flag: "--token-lifetime")
        var options = SimulatorOptions()
        options.seed = seed
        options.speed = speed
        options.pipelineCount = pipelines
        options.busyPipelines = busy
        do { options.faults = try FaultPlan.parse(faults) } catch { throw SimulatorLimitError(message: "--faults: \(error)") }
        guard let format = WireFormat(rawValue: wireFormat) else {
            throw SimulatorLimitError(message: "--wire-format must be official, documented or mixed")
        }
        options.wireFormat = format
        options.tokenLifetime = tokenLifetime
        if let outcome {
            let state = JobState(raw: outcome)
            guard state.isFinal else { throw SimulatorLimitError(message: "--outcome must be success, failed, timeout or cancel") }
            options.forcedOutcome = state
        }
        return options
    }
}
