import Dispatch
import Foundation
import SWRAPI
import SWRSession
import SWRWatch
#if canImport(Glibc)
import Glibc
#endif

/// The settings of `swr-top export` beyond what to watch.
public struct ExportOptions: Sendable {
    /// `--listen`, as typed (default `127.0.0.1:9464`).
    public var listen: String
    /// `--metrics-token-env`: the environment variable holding the bearer token scrapers must send.
    public var tokenEnv: String?
    /// swr-top's version, for `swr_build_info`.
    public var version: String

    public init(listen: String = ListenAddress.standard.description, tokenEnv: String? = nil, version: String) {
        self.listen = listen
        self.tokenEnv = tokenEnv
        self.version = version
    }
}

/// `swr-top export`: the dashboard's session and engine, headless, as Prometheus metrics.
public enum ExportMode {
    /// Checks the options, builds the session, serves until SIGINT or SIGTERM, shuts down; the
    /// exit code (2 for a bad option or an address that cannot be bound, 3 when the service
    /// cannot be read at start).
    public static func run(_ request: SessionRequest, options: ExportOptions, environment: [String: String],
                           output: ScriptOutput = .standard) async -> Int32 {
        let listen: ListenAddress
        let token: String?
        do {
            (listen, token) = try check(options, environment: environment)
        } catch {
            output.complain(error.message)
            return error.exitCode
        }
        let session: Session
        do { session = try await SessionBuilder.make(request, environment: environment, output: output) } catch {
            output.complain(error.message)
            return error.exitCode
        }
        guard !session.targets().isEmpty else {
            output.complain("the watched pipelines have no stages to export")
            await session.shutdown()
            return ExitStatus.serviceUnreadable
        }
        let exporter: Exporter
        do { exporter = try await Exporter.start(session: session, listen: listen, token: token, version: options.version) } catch {
            output.complain(error.message)
            await session.shutdown()
            return ExitStatus.usage
        }
        for line in announcement(address: exporter.address, rate: exporter.rate, tokenEnv: token == nil ? nil : options.tokenEnv) {
            output.complain(line)
        }
        // Until a signal, or the server ends by itself; stopping ends the server, so both children end.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Interruption.wait() }
            group.addTask { await exporter.waitForServer() }
            await group.next()
            await exporter.stop()
            group.cancelAll()
        }
        await session.shutdown()
        return ExitStatus.ok
    }

    /// The address to bind and the token to require, or why not.
    static func check(_ options: ExportOptions, environment: [String: String]) throws(SetupError) -> (ListenAddress, String?) {
        let listen: ListenAddress
        do { listen = try ListenAddress.parse(options.listen) } catch {
            throw SetupError(message: error.description, exitCode: ExitStatus.usage)
        }
        guard let name = options.tokenEnv else { return (listen, nil) }
        guard let token = environment[name], !token.isEmpty else {
            throw SetupError(message: "--metrics-token-env \(name): the environment has no \(name) (or it is empty); set it to the token scrapers must send",
                             exitCode: ExitStatus.usage)
        }
        guard token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw SetupError(message: "--metrics-token-env \(name): the token must be printable ASCII without spaces", exitCode: ExitStatus.usage)
        }
        return (listen, token)
    }

    /// What the exporter says at start, on stderr: where it serves, who can read it, and the
    /// request rate it will make. Never the token.
    static func announcement(address: ListenAddress, rate: RequestRate, tokenEnv: String?) -> [String] {
        var lines = ["serving metrics on http://\(address)/metrics (also /healthz, /readyz, /api/state)"
            + (tokenEnv.map { "; requests must send 'Authorization: Bearer' with the token in $\($0)" } ?? "")]
        if !address.isLoopback {
            lines.append(tokenEnv == nil
                ? "\(address) is not loopback: anyone who can reach it can read the pipeline names, stage states and /api/state (add --metrics-token-env to require a token)"
                : "\(address) is not loopback: anyone who can reach it and holds the token can read the pipeline names, stage states and /api/state (plain HTTP: the token crosses the network unencrypted)")
        }
        lines.append(rate.sentence)
        return lines
    }
}

/// Waits for SIGINT or SIGTERM (the first one ends the wait; the signals are then handled here,
/// not by the default action).
enum Interruption {
    static func wait() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        await withTaskCancellationHandler {
            for await _ in stream { break }
        } onCancel: {
            continuation.finish()
        }
        sources.forEach { $0.cancel() }
    }
}
