import SWRSession
import ArgumentParser

/// `swr-top`: the dashboard (default), or `swr-top sim` for the simulated service alone.
@main
struct SWRTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swr-top",
        abstract: "Watch Huawei Cloud SWR build pipelines as they run.",
        usage: "swr-top [--config PATH] [--demo] [--pipeline ID ...] [--once | --watch] [--json] [<options>]",
        discussion: HelpText.topDiscussion,
        version: BuildInfo.versionLine,
        subcommands: [Dashboard.self, Sim.self, Export.self, History.self],
        defaultSubcommand: Dashboard.self
    )
}
