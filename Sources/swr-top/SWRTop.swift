import ArgumentParser

/// `swr-top`: the dashboard (default), or `swr-top sim` for the simulated service alone.
@main
struct SWRTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swr-top",
        abstract: "Watch Huawei Cloud SWR build pipelines as they run.",
        discussion: """
        Try it without a cloud account: swr-top --demo
        Exit codes: 0 ok, 1 a watched run failed, 2 usage or config error, 3 the service could not be read,
        4 a watched run timed out, 5 a watched run was cancelled, 124 --timeout-total reached.
        """,
        version: BuildInfo.versionLine,
        subcommands: [Dashboard.self, Sim.self],
        defaultSubcommand: Dashboard.self
    )
}
