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

    /// `stdout`: a descriptor to give the child as its standard output (the write end of a
    /// pipe) instead of a file.
    init(_ arguments: [String], environment: [String: String] = [:], stdout: Int32? = nil) throws {
        let base = NSTemporaryDirectory() + "swr-top-run-\(UUID().uuidString)"
        outPath = base + ".out"
        errPath = base + ".err"
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout {
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
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
            if raw & 0x7F != 0 { terminatingSignal = raw & 0x7F }
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

    /// Stops the child (SIGSTOP) and returns once every thread of it is stopped: from then on
    /// it writes nothing until `SIGCONT`.
    func stop(timeout: TimeInterval = 30) -> Bool {
        signal(SIGSTOP)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let states = threads.compactMap { thread -> Substring? in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return nil }
                return stat[stat.index(after: close)...].split(separator: " ").first
            }
            if !states.isEmpty, states.allSatisfy({ $0 == "T" || $0 == "t" }) { return true }
            usleep(10_000)
        }
        return false
    }

    /// The signal that ended the child, if one did (its exit code reads 128 + the signal).
    private(set) var terminatingSignal: Int32?

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

/// A child whose standard output is a real pipe (pipe(2)) read here while it runs, as a
/// script reads `swr-top --watch | …`; the reader can leave early, as `head` does.
final class Piped: @unchecked Sendable {
    let child: Spawned
    private var readEnd: Int32
    private var pending: [UInt8] = []

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        var fds: [Int32] = [0, 0]
        // Close-on-exec: no other child started meanwhile keeps the write end open.
        guard Self.pipe2(&fds, O_CLOEXEC) == 0 else { throw SpawnError(code: errno, command: "pipe2") }
        readEnd = fds[0]
        defer { close(fds[1]) }  // the child has its own copy, as fd 1
        do {
            child = try Spawned(arguments, environment: environment, stdout: fds[1])
        } catch {
            close(fds[0])
            throw error
        }
    }

    /// pipe2(2), which the Glibc module does not export: both ends close-on-exec from the start.
    private static let pipe2: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { fatalError("no pipe2 in the C library") }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()

    /// The next line the child wrote (without its newline); nil at the end of the output or
    /// after `timeout` seconds without one.
    func readLine(timeout: TimeInterval = 60) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while readEnd >= 0 {
            if let newline = pending.firstIndex(of: 0x0A) {
                defer { pending.removeSubrange(...newline) }
                return String(decoding: pending[..<newline], as: UTF8.self)
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return nil }
            var pollfd = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(readEnd, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            pending += buffer[..<n]
        }
        return nil
    }

    /// Reads lines until one satisfies `match` (nil at the end of the output or the timeout).
    func readLine(timeout: TimeInterval = 60, where match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while case let left = deadline.timeIntervalSinceNow, left > 0, let line = readLine(timeout: left) {
            if match(line) { return line }
        }
        return nil
    }

    /// Every line (and a last partial one) the child has written and nobody has read yet,
    /// without waiting for more.
    func drain() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while readEnd >= 0 {
            var pollfd = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, 0) > 0 else { break }
            let n = read(readEnd, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            pending += buffer[..<n]
        }
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The reader leaves: the child's next write meets a pipe nobody reads (EPIPE, or SIGPIPE
    /// for a process that does not ignore it).
    func closeReader() {
        if readEnd >= 0 { close(readEnd) }
        readEnd = -1
    }

    deinit {
        closeReader()
    }
}

/// A tmux server of its own (a private socket) running one program in a window of a given size.
final class TmuxSession {
    let socket = "swrtop-e2e-\(UUID().uuidString.prefix(8))"

    /// `serverOptions`: tmux commands (`set -g …`) the server starts with, before the pane's
    /// command writes anything.
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:], serverOptions: [String] = []) throws {
        // A UTF-8 locale and a known terminal unless the test asks otherwise, so the result does
        // not depend on the environment CI happens to have.
        var paneEnvironment = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]
        for (key, value) in environment { paneEnvironment[key] = value }
        // The pane inherits the server's environment, which is this process's: `swift test` sets
        // NO_COLOR there, which would turn every pane monochrome.
        let unset = ["NO_COLOR", "COLORTERM"].filter { paneEnvironment[$0] == nil }.map { "unset \($0);" }.joined(separator: " ")
        let exports = unset + " " + paneEnvironment.sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        let config = NSTemporaryDirectory() + "swr-top-tmux-\(UUID().uuidString).conf"
        try serverOptions.map { $0 + "\n" }.joined().write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let result = try tmux(["new-session", "-d", "-x", String(width), "-y", String(height), "-s", "e2e", "sh -c \"\(exports) \(command); echo EXIT=\\$?; stty -a; sleep 600\""],
                              config: config)
        if result.code != 0 { throw TmuxError(message: result.stderr) }
    }

    /// Runs a tmux command on this server (`config` is read only by the command that starts it).
    @discardableResult
    func tmux(_ arguments: [String], config: String = "/dev/null") throws -> Outcome {
        try runProcess(["/usr/bin/tmux", "-u", "-L", socket, "-f", config] + arguments,
                       environment: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"], timeout: 20)
    }

    /// A tmux format expanded for the pane (`#{pane_title}`, `#{alternate_on}`, …).
    func value(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", "e2e", format]))?.stdout ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The contents of the server's paste buffers (what an OSC 52 clipboard write would fill).
    func pasteBuffers() -> [String] {
        let names = ((try? tmux(["list-buffers", "-F", "#{buffer_name}"]))?.stdout ?? "").split(separator: "\n")
        return names.map { ((try? tmux(["show-buffer", "-b", String($0)]))?.stdout) ?? "" }
    }

    func capture(colors: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (colors ? ["-e"] : []) + ["-t", "e2e"]).stdout) ?? ""
    }

    /// The whole pane, scrolled-off lines included.
    func history() -> String {
        (try? tmux(["capture-pane", "-p", "-S", "-", "-t", "e2e"]).stdout) ?? ""
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

/// The simulator's `/_sim/stats`: requests received, calls by kind, faults sent.
func simulatorStats(_ url: String) -> JSONValue? {
    guard let result = try? runProcess(["/usr/bin/curl", "-s", "\(url)/_sim/stats"]), result.code == 0 else { return nil }
    return try? JSONParser.parse(result.stdout)
}

/// How many calls of a kind (`list`, `detail`, `jobs`, `logs`) the simulator at `url` has
/// received (counted as they arrive, before any delay).
func simulatorCalls(_ url: String, _ kind: String) -> Int? {
    simulatorStats(url).map { $0["calls"]?[kind]?.lenientInt ?? 0 }
}

/// Polls the simulator's stats until `match` holds (generous timeout); the last stats seen.
func waitForSimulator(_ url: String, timeout: TimeInterval = 60, _ match: (JSONValue) -> Bool) -> JSONValue? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let stats = simulatorStats(url), match(stats) { return stats }
        usleep(100_000)
    }
    return nil
}
