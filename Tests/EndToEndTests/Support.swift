import Foundation
import Synchronization
import SWRAPI
import Testing

/// The package's root and the built `swr-top` binary (`swift build` puts it in .build/debug).
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: String {
        for candidate in [".build/debug/swr-top", ".build/x86_64-unknown-linux-gnu/debug/swr-top", ".build/aarch64-unknown-linux-gnu/debug/swr-top"] {
            let path = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/swr-top").path
    }
}

/// What a finished process printed and how it ended.
struct Outcome {
    var code: Int32
    var stdout: String
    var stderr: String
}

/// A child process started with posix_spawn, its output in files (not pipes: a daemon the
/// command starts, like the tmux server, may keep a pipe open forever), reaped with waitpid.
final class Spawned: @unchecked Sendable {
    let pid: pid_t
    let outPath: String
    let errPath: String
    private var status: Int32?

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let base = NSTemporaryDirectory() + "swr-top-run-\(UUID().uuidString)"
        outPath = base + ".out"
        errPath = base + ".err"
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, nil, argv, envp)
        guard result == 0 else { throw SpawnError(code: result, command: arguments[0]) }
        pid = child
    }

    /// Whether the child still runs (reaps it when it has ended).
    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            return false
        }
        return result == 0
    }

    /// Waits up to `timeout` seconds, then kills the child; returns its exit code.
    func wait(timeout: TimeInterval) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning, Date() < deadline { usleep(20_000) }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { usleep(10_000) }
        }
        return status ?? -1
    }

    func signal(_ sig: Int32) {
        if isRunning { kill(pid, sig) }
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    deinit {
        if isRunning { kill(pid, SIGKILL); _ = wait(timeout: 5) }
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
}

struct SpawnError: Error {
    var code: Int32
    var command: String
}

/// Runs a command to the end (killing it after `timeout` seconds) and collects its output.
func runProcess(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Outcome {
    let child = try Spawned(arguments, environment: environment)
    let code = child.wait(timeout: timeout)
    return Outcome(code: code, stdout: child.stdout, stderr: child.stderr)
}

/// A background process whose output lines can be read while it runs.
final class Background: @unchecked Sendable {
    let child: Spawned

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        child = try Spawned(arguments, environment: environment)
    }

    var output: [String] { Array(child.stdout.components(separatedBy: "\n").dropLast()) }
    var isRunning: Bool { child.isRunning }

    /// Waits (polling, generously) until a line satisfies `match`.
    func waitForLine(timeout: TimeInterval = 60, _ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = output.first(where: match) { return line }
            usleep(50_000)
        }
        return nil
    }

    func stop() {
        child.signal(SIGINT)
        _ = child.wait(timeout: 5)
    }
}

/// A tmux server of its own (a private socket) running one program in a window of a given size.
final class TmuxSession {
    let socket = "swrtop-e2e-\(UUID().uuidString.prefix(8))"

    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        // A UTF-8 locale and a known terminal unless the test asks otherwise, so the result does
        // not depend on the environment CI happens to have.
        var paneEnvironment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]
        for (key, value) in environment { paneEnvironment[key] = value }
        let exports = paneEnvironment.sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        let result = try tmux(["new-session", "-d", "-x", String(width), "-y", String(height), "-s", "e2e", "sh -c \"\(exports) \(command); echo EXIT=\\$?; stty -a; sleep 600\""])
        if result.code != 0 { throw TmuxError(message: result.stderr) }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> Outcome {
        try runProcess(["/usr/bin/tmux", "-u", "-L", socket, "-f", "/dev/null"] + arguments,
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"], timeout: 20)
    }

    func capture(colors: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (colors ? ["-e"] : []) + ["-t", "e2e"]).stdout) ?? ""
    }

    func send(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", "e2e"] + keys)
    }

    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", "e2e", "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `match` holds (generous timeout; no tight bounds).
    @discardableResult
    func waitFor(timeout: TimeInterval = 60, _ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let screen = capture()
            if match(screen) { return screen }
            usleep(100_000)
        }
        return nil
    }

    /// Stops the tmux server and everything in it. `kill-server` alone was seen to leave the
    /// server running here, so the pane's process group and the server are killed as well.
    func close() {
        func number(_ format: String) -> Int32? {
            (try? tmux(["display-message", "-p", "-t", "e2e", format])).flatMap { Int32($0.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let server = number("#{pid}")
        let pane = number("#{pane_pid}")
        _ = try? tmux(["kill-server"])
        if let pane, pane > 1 { kill(-pane, SIGKILL) }
        if let server, server > 1 { kill(server, SIGKILL) }
    }

    deinit {
        close()
    }
}

struct TmuxError: Error {
    var message: String
}

/// Skips nothing: a missing binary or tmux is a failure with a clear reason.
func requireTools() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Paths.binary), "build swr-top first (swift build): \(Paths.binary)")
    try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is needed (apt-get install tmux)")
}

/// A config file for a simulator at `url`.
func writeConfig(url: String, pipelines: String, interval: Double = 1) throws -> String {
    let path = NSTemporaryDirectory() + "swr-top-e2e-\(UUID().uuidString).json"
    let text = #"{"endpoint": "\#(url)", "auth": {"token_env": "SWR_TOKEN"}, "interval_seconds": \#(interval), "timeout_seconds": 3, "pipelines": \#(pipelines)}"#
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

let demoToken = "swr-top-demo-token"

/// Starts `swr-top sim --port 0` and returns it with the URL it printed.
func startSimulator(_ extra: [String] = []) throws -> (Background, String) {
    let sim = try Background([Paths.binary, "sim", "--port", "0"] + extra)
    let prefix = "swr-top simulator listening on "
    guard let line = sim.waitForLine(timeout: 60, { $0.hasPrefix(prefix) }) else {
        sim.stop()
        throw SpawnError(code: -1, command: "swr-top sim printed no URL")
    }
    return (sim, String(line.dropFirst(prefix.count)))
}

/// How many calls of a kind (`list`, `detail`, `jobs`, `logs`) the simulator at `url` has answered.
func simulatorCalls(_ url: String, _ kind: String) -> Int? {
    guard let result = try? runProcess(["/usr/bin/curl", "-s", "\(url)/_sim/stats"]), result.code == 0,
          let stats = try? JSONParser.parse(result.stdout) else { return nil }
    return stats["calls"]?[kind]?.lenientInt ?? 0
}
