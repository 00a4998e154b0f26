import ArgumentParser
import Foundation
import SWRAPI
import SWRSession
import SWRSimulator

/// `swr-top sim`: the simulated SWR service alone on 127.0.0.1, until Ctrl-C.
struct Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the simulated SWR service on 127.0.0.1 (prints its URL, a token and a config)."
    )

    @Option(parsing: .unconditional, help: "Port to listen on, 0 to 65535 (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("write-config"), help: "Write a ready swr-top config to this path.")
    var writeConfig: String?

    @OptionGroup var simulator: SimulatorFlags

    @Option(name: .customLong("pipelines"), parsing: .unconditional, help: "The same as --sim-pipelines.")
    var pipelineCount: Int?

    func validate() throws {
        do { try SimulatorLimits.check(port, in: SimulatorLimits.port, flag: "--port") } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        var flags = simulator
        if let pipelineCount { flags.simPipelines = pipelineCount }
        let options = try flags.options()
        let server = SimulatorServer(options: options)
        let url: String
        do {
            url = try Blocking.run { try await server.start(port: port) }
        } catch let error as SimulatorStartError {
            complain(error.message)
            throw ExitCode(Exit.usage)
        } catch {
            complain("cannot listen on 127.0.0.1:\(port): \(error)")
            throw ExitCode(Exit.usage)
        }
        let config = SimulatorConsole.config(for: server.service, url: url, tokenEnv: "SWR_TOKEN")
        for line in SimulatorConsole.banner(url: url, token: options.token, trapURL: server.trapURL) { print(line) }
        if let writeConfig {
            do {
                try Data(config.utf8).write(to: URL(fileURLWithPath: writeConfig))
                print("config written to \(writeConfig)")
            } catch {
                complain("cannot write \(writeConfig): \(error.localizedDescription)")
            }
        } else {
            print("config:\n\(config)")
        }
        fflush(nil)
        SimulatorConsole.serveUntilInterrupted(server)
    }
}
