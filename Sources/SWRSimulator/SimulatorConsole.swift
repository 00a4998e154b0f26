import Dispatch
import Foundation
import SWRAPI

/// What `swr-top sim` prints and how it waits: the banner with the URL, the token and a ready
/// swr-top config, then serving until SIGINT or SIGTERM.
public enum SimulatorConsole {
    /// The banner's lines.
    public static func banner(url: String, token: String, trapURL: String) -> [String] {
        [
            "swr-top simulator listening on \(url)",
            "token: \(token)   (export SWR_TOKEN=\(token))",
            "try:   curl -H 'X-Auth-Token: \(token)' \(url)/v3/manage/pipelines/\(SimPipeline.firstID)/stages/0/jobs",
            "trap:  \(trapURL) is where --faults redirect=R sends clients (another origin); what reached it: curl \(url)/_sim/trap",
        ]
    }

    /// A config for swr-top that watches every pipeline of the simulated world.
    public static func config(for service: SimService, url: String, tokenEnv: String) -> String {
        let pipelines: [JSONValue] = service.world.pipelines.map { pipeline in
            ["id": .int(pipeline.id), "name": .string(pipeline.name),
             "stages": .array(pipeline.stages.enumerated().map { ["index": .int($0.offset), "name": .string($0.element.name)] })]
        }
        let config: JSONValue = ["endpoint": .string(url), "auth": ["token_env": .string(tokenEnv)], "interval_seconds": 3, "pipelines": .array(pipelines)]
        return config.serialized
    }

    /// Blocks until SIGINT or SIGTERM, then stops `server`.
    public static func serveUntilInterrupted(_ server: SimulatorServer) {
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
}
