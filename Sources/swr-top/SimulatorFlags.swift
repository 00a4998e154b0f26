import ArgumentParser
import SWRAPI
import SWRSimulator

/// Options of the simulated service, shared by `swr-top sim` and `swr-top --demo`.
struct SimulatorFlags: ParsableArguments {
    // Numbers are read unconditionally, so `--speed -1` is a value to reject (or `--seed -7` to use), not a missing one.
    @Option(parsing: .unconditional, help: "Seed of the simulated world (same seed, same world; any integer).")
    var seed: Int = 42

    @Option(parsing: .unconditional, help: "Simulated seconds per real second (above 0, at most 1000).")
    var speed: Double = 1

    // No `--pipelines` here: on the dashboard it was one letter from `--pipeline` (what to watch).
    // `swr-top sim` adds it back, where no `--pipeline` exists.
    @Option(name: .customLong("sim-pipelines"), parsing: .unconditional,
            help: "How many pipelines the simulated account has (1 to 2000).")
    var simPipelines: Int = 5

    @Option(name: .customLong("sim-busy"), parsing: .unconditional,
            help: "How many of them run back to back (0 to 2000); the others run every three to six hours.")
    var simBusy: Int = SimWorld.defaultBusyCount

    @Option(help: """
        Faults to inject, name=number,...: all=0.3 (5xx, 429, slow, truncate, html, drop evenly) or \
        5xx=0.1,429=0.05,slow=0.02,truncate=0.02,html=0.02,drop=0.02,bad-log=0.1; hostile answers: hostile=0.3 \
        (extreme, escape, redirect, stall, huge, deep evenly) or extreme=0.05 (edge numbers and times), escape=0.05 \
        (terminal escapes, control characters, path characters in ids, 100k strings), redirect=0.02 (to a trap \
        origin, see GET /_sim/trap), stall=0.01, huge=0.01 (64 MiB), deep=0.01 (100,000 nested arrays); tuning: \
        latency=50,jitter=200 (ms, 0-60000), slow-seconds=30, retry-after=2, stall-seconds=300 (0-3600), huge-mib=64 (1-1024).
        """)
    var faults: String = ""

    @Option(name: .customLong("wire-format"), help: "How jobs are written: official (the page's example), documented (its table) or mixed.")
    var wireFormat: String = "official"

    @Option(name: .customLong("token-lifetime"), parsing: .unconditional, help: "Lifetime of IAM tokens in simulated seconds (1 to 31536000).")
    var tokenLifetime: Double = 24 * 3600

    @Option(help: "End every run this way: success, failed, timeout or cancel.")
    var outcome: String?

    /// Checks every flag while parsing, so a bad value is reported with the right usage line.
    func validate() throws {
        _ = try options()
    }

    func options() throws -> SimulatorOptions {
        var settings = SimulatorSettings()
        (settings.seed, settings.speed, settings.pipelines, settings.busy) = (seed, speed, simPipelines, simBusy)
        (settings.faults, settings.wireFormat, settings.tokenLifetime, settings.outcome) = (faults, wireFormat, tokenLifetime, outcome)
        do { return try settings.options() } catch { throw ValidationError(error.message) }
    }
}
