import ArgumentParser
import SWRAPI
import SWRSimulator

/// Options of the simulated service, shared by `swr-top sim` and `swr-top --demo`.
struct SimulatorFlags: ParsableArguments {
    @Option(help: "Seed of the simulated world (same seed, same world).")
    var seed: Int = 42

    @Option(help: "Simulated seconds per real second.")
    var speed: Double = 1

    @Option(name: [.customLong("sim-pipelines"), .customLong("pipelines")], help: "How many pipelines the simulated account has.")
    var simPipelines: Int = 5

    @Option(help: "Faults to inject, e.g. all=0.3 or 5xx=0.1,429=0.05,slow=0.02,truncate=0.02,html=0.02,drop=0.02,latency=50,jitter=200.")
    var faults: String = ""

    @Option(name: .customLong("wire-format"), help: "How jobs are written: official (the page's example), documented (its table) or mixed.")
    var wireFormat: String = "official"

    @Option(name: .customLong("token-lifetime"), help: "Lifetime of IAM tokens in simulated seconds.")
    var tokenLifetime: Double = 24 * 3600

    @Option(help: "End every run this way: success, failed, timeout or cancel.")
    var outcome: String?

    func options() throws -> SimulatorOptions {
        var options = SimulatorOptions()
        options.seed = seed
        guard speed > 0, speed <= 1000 else { throw ValidationError("--speed must be between 0 and 1000") }
        options.speed = speed
        guard (1...2000).contains(simPipelines) else { throw ValidationError("--sim-pipelines must be between 1 and 2000") }
        options.pipelineCount = simPipelines
        do { options.faults = try FaultPlan.parse(faults) } catch { throw ValidationError("--faults: \(error)") }
        guard let format = WireFormat(rawValue: wireFormat) else { throw ValidationError("--wire-format must be official, documented or mixed") }
        options.wireFormat = format
        options.tokenLifetime = tokenLifetime
        if let outcome {
            let state = JobState(raw: outcome)
            guard state.isFinal else { throw ValidationError("--outcome must be success, failed, timeout or cancel") }
            options.forcedOutcome = state
        }
        return options
    }
}
