import ArgumentParser
import Foundation
import SWRAPI
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
            url = try blocking { try await server.start(port: port) }
        } catch let error as SimulatorStartError {
            complain(error.message)
            throw ExitCode(Exit.usage)
        } catch {
            complain("cannot listen on 127.0.0.1:\(port): \(error)")
            throw ExitCode(Exit.usage)
        }
        let config = Self.config(for: server.service, url: url, tokenEnv: "SWR_TOKEN")
        print("swr-top simulator listening on \(url)")
        print("token: \(options.token)   (export SWR_TOKEN=\(options.token))")
        print("try:   curl -H 'X-Auth-Token: \(options.token)' \(url)/v3/manage/pipelines/\(SimPipeline.firstID)/stages/0/jobs")
        print("trap:  \(server.trapURL) is where --faults redirect=R sends clients (another origin); what reached it: curl \(url)/_sim/trap")
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
        // Serve until SIGINT/SIGTERM.
        let signals = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { signals.signal() }
            source.resume()
            return source
        }
        signals.wait()
        sources.forEach { $0.cancel() }
        server.stop()
    }

    /// A config for swr-top that watches every pipeline of the simulated world.
    static func config(for service: SimService, url: String, tokenEnv: String) -> String {
        let pipelines: [JSONValue] = service.world.pipelines.map { pipeline in
            ["id": .int(pipeline.id), "name": .string(pipeline.name),
             "stages": .array(pipeline.stages.enumerated().map { ["index": .int($0.offset), "name": .string($0.element.name)] })]
        }
        let config: JSONValue = ["endpoint": .string(url), "auth": ["token_env": .string(tokenEnv)], "interval_seconds": 3, "pipelines": .array(pipelines)]
        return config.serialized
    }
}
