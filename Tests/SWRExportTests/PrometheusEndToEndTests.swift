import Foundation
import Synchronization
import Testing
@testable import SWRAPI
@testable import SWRSimulator

/// `swr-top export` (the built binary, a non-demo session with an SWR token from the environment
/// and a scrape token) on the simulator, scraped every second by a real Prometheus on loopback;
/// everything checked is asked of Prometheus' HTTP API. The simulator runs in this process with
/// a clock moved by hand, so what the world did between two moments is known exactly, and every
/// wait is on an event (a value Prometheus reports), polled with a deadline. Here rather than in
/// EndToEndTests: it awaits an in-process server, which the synchronous end-to-end tests (they
/// hold the cooperative pool's threads) would starve.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: PrometheusServer.binary != nil, PrometheusServer.skipReason))
struct PrometheusEndToEndTests {
    /// The token the simulator accepts: what a non-demo session reads from `SWR_TOKEN`.
    static let swrToken = "swr-e2e-secret-\(UUID().uuidString)"
    /// The bearer token the exporter requires (`--metrics-token-env`), which Prometheus sends.
    static let scrapeToken = "scrape-e2e-secret-\(UUID().uuidString)"

    @Test func aRealPrometheusSeesProgressRiseAndEachFinishedJobCountedOnce() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Child.swrTop), "build swr-top first (swift build): \(Child.swrTop)")
        let wall = ManualWall(Date())
        var options = SimulatorOptions()
        options.pipelineCount = 5
        options.token = Self.swrToken
        let service = SimService(options: options, now: { wall.now })
        let simulator = SimulatorServer(service: service)
        defer { simulator.stop() }
        let simulatorURL = try await simulator.start()
        let world = service.world

        // A stage whose newest job is building, and the moments its progress rises and it ends.
        let running = try #require(RunningStage.find(in: world, from: wall.now), "no building stage in the first 15 minutes of the world")
        let start = running.moments[0].at
        wall.set(start)

        let directory = NSTemporaryDirectory() + "swr-top-prometheus-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/swr-top.json"
        try Self.swrTopConfig(url: simulatorURL, world: world).write(toFile: config, atomically: true, encoding: .utf8)

        let exporter = try Child(
            [Child.swrTop, "export", "--config", config, "--listen", "127.0.0.1:0", "--metrics-token-env", "SWR_E2E_SCRAPE_TOKEN", "--no-history"],
            environment: ["SWR_TOKEN": Self.swrToken, "SWR_E2E_SCRAPE_TOKEN": Self.scrapeToken]
        )
        defer { exporter.stop(SIGINT) }
        let announced = try await eventually("swr-top export says where it serves", describe: { "stderr: \(exporter.stderr)" }) { () -> String? in
            guard exporter.isRunning else { throw E2EFailure("swr-top export ended: \(exporter.stderr)") }
            let line = exporter.stderr.split(separator: "\n").first { $0.hasPrefix("swr-top: serving metrics on http://") }
            return line.map { String($0.dropFirst("swr-top: serving metrics on http://".count).prefix { $0 != "/" }) }
        }
        let exporterAddress = announced
        let exporterURL = "http://\(exporterAddress)"
        #expect(exporter.stderr.contains("requests/min to the SWR API"), "the request rate is not said: \(exporter.stderr)")

        let prometheus = try await PrometheusServer.start(in: directory, target: exporterAddress, token: Self.scrapeToken)
        defer { prometheus.stop() }

        try await AsyncHTTPClientTransport.with { http in
            let api = PrometheusAPI(url: prometheus.url, http: http)
            // Without the token the exporter refuses; Prometheus, which sends it, scrapes.
            let refused = try await http.send(HTTPRequest(url: exporterURL + "/metrics"))
            #expect(refused.status == 401)
            _ = try await eventually("Prometheus scrapes the exporter (up == 1)", describe: { "targets: \(prometheus.log.suffix(800))" }) {
                try await api.values("up{job=\"swr-e2e\"}").values.first == 1 ? true : nil
            }
            // Every stage polled once at `start`: the baseline that later counts are made against.
            _ = try await eventually("the exporter is ready (every stage polled)") {
                let answer = try await http.send(HTTPRequest(url: exporterURL + "/readyz", headers: [("Authorization", "Bearer \(Self.scrapeToken)")]))
                return answer.status == 200 ? true : nil
            }

            // The running stage's progress, as Prometheus has it, at each moment of the world.
            let series = "swr_stage_newest_job_progress_ratio{job=\"swr-e2e\",pipeline_id=\"\(running.pipeline.id)\",stage_index=\"\(running.stage)\"}"
            var seen: [Double] = []
            for moment in running.moments {
                wall.set(moment.at)
                let expected = Double(moment.progress) / 100
                var last: [Double] = []
                let value = try await eventually("\(series) reaches \(expected)", describe: { "last: \(last)" }) { () -> Double? in
                    last = try await api.values(series).values
                    return last.count == 1 && abs(last[0] - expected) < 1e-9 ? last[0] : nil
                }
                seen.append(value)
            }
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 }, "progress did not rise: \(seen)")

            // The job ends; every job the world finished since `start` counts once, by state.
            wall.set(running.end)
            let finalState = "swr_stage_newest_job_state{job=\"swr-e2e\",pipeline_id=\"\(running.pipeline.id)\",stage_index=\"\(running.stage)\",state=\"\(running.outcome.label.lowercased())\"}"
            _ = try await eventually("\(finalState) == 1") { try await api.values(finalState).values == [1] ? true : nil }
            #expect(FinishedJobs.between(start, running.end, in: world)[FinishedJobs.key(running.pipeline.id, running.stage, running.outcome.label.lowercased())] == 1)
            // Then eight more minutes of the world, two at a time: at each step, what
            // Prometheus has is what the world finished since the start.
            var expected: [String: Int] = [:]
            for step in 0...4 {
                let moment = running.end.addingTimeInterval(Double(step) * 120)
                wall.set(moment)
                expected = FinishedJobs.between(start, moment, in: world)
                var counted: [String: Int] = [:]
                _ = try await eventually("swr_stage_jobs_finished_total counts the \(expected.values.reduce(0, +)) jobs finished in the first \(Int(moment.timeIntervalSince(start))) s",
                                         describe: { "expected \(expected.sorted { $0.key < $1.key }), Prometheus has \(counted.sorted { $0.key < $1.key })" }) {
                    counted = try await api.finishedCounts()
                    return counted == expected ? true : nil
                }
            }
            // Enough jobs, and more than one final state, for the counts to show something (the
            // world of seed 42 finishes 41 jobs in those minutes, one failed and two timed out).
            #expect(expected.values.reduce(0, +) >= 10, "too few jobs finished to show anything: \(expected)")
            #expect(Set(expected.keys.map { $0.split(separator: "/").last ?? "" }).count >= 2, "only one final state: \(expected)")
            // Many polls and scrapes later (each stage polled again, the finished jobs seen again),
            // nothing counts twice.
            let requests = service.requestCount
            let stages = world.pipelines.reduce(0) { $0 + $1.stages.count }
            let scrapes = try await api.values("count_over_time(up{job=\"swr-e2e\"}[1h])").values.first ?? 0
            _ = try await eventually("three more scrapes and every stage polled again") { () -> Bool? in
                let now = try await api.values("count_over_time(up{job=\"swr-e2e\"}[1h])").values.first ?? 0
                return now >= scrapes + 3 && service.requestCount >= requests + 3 * stages ? true : nil
            }
            #expect(try await api.finishedCounts() == expected)
            let observed = try await api.values("sum(swr_stage_job_duration_seconds_count{job=\"swr-e2e\"})").values
            #expect(observed == [Double(expected.values.reduce(0, +))], "durations observed \(observed)")

            // Every query of the Grafana dashboard runs on this Prometheus.
            try await Self.checkDashboardQueries(api)

            // Neither token is in what the exporter serves, what Prometheus stored, or any log.
            var texts: [(String, String)] = []
            for path in ["/metrics", "/api/state"] {
                let answer = try await http.send(HTTPRequest(url: exporterURL + path, headers: [("Authorization", "Bearer \(Self.scrapeToken)")]))
                #expect(answer.status == 200)
                texts.append((path, String(decoding: answer.body, as: UTF8.self)))
            }
            #expect(texts[0].1.contains("swr_stage_up{"))
            let stored = try await api.raw("{job=\"swr-e2e\"}")
            #expect(stored.contains("swr_stage_newest_job_state"))
            texts.append(("every series Prometheus stored", stored))
            let targets = try await api.get("/api/v1/targets")
            #expect(targets.contains(exporterAddress))
            texts.append(("Prometheus' targets", targets))
            texts.append(("Prometheus' log", prometheus.log))
            texts.append(("swr-top's stdout", exporter.stdout))
            texts.append(("swr-top's stderr", exporter.stderr))
            for (name, text) in texts {
                #expect(!text.contains(Self.swrToken), "the SWR token is in \(name)")
                #expect(!text.contains(Self.scrapeToken), "the scrape token is in \(name)")
            }
        }
    }

    /// Every `expr` of examples/grafana/swr-top.json, its variables given plain values, answers
    /// without error; the panels that draw what every exporter has (states, durations, stages
    /// up, requests) return series.
    static func checkDashboardQueries(_ api: PrometheusAPI) async throws {
        let dashboard = try JSONParser.parse(try String(contentsOfFile: PromtoolExampleTests.dashboard, encoding: .utf8))
        let expressions = Grafana.panels(dashboard).flatMap { panel in
            (panel["targets"]?.arrayValue ?? []).compactMap { $0["expr"]?.nonEmptyString }
        }
        #expect(expressions.count >= 6, "\(expressions)")
        let mustHaveData = ["swr_stage_newest_job_state", "swr_stage_up", "swr_stage_newest_job_duration_seconds", "swr_api_requests_total["]
        for expression in expressions {
            let query = Grafana.substitute(expression)
            let answer = try JSONParser.parse(try await api.raw(query))
            #expect(answer["status"]?.lenientString == "success", "\(query): \(answer)")
            if mustHaveData.contains(where: query.contains), !query.contains("outcome!=") {
                #expect((answer["data"]?["result"]?.arrayValue ?? []).count > 0, "no series for \(query)")
            }
        }
    }

    /// Every stage at 0.5 s: about 2,400 requests a minute, so a budget that allows them (the
    /// default 300 would pace them and the test would wait on its budget, not on the exporter).
    static func swrTopConfig(url: String, world: SimWorld) -> String {
        let pipelines = world.pipelines.map { pipeline in
            let stages = pipeline.stages.enumerated().map { #"{"index": \#($0.offset), "name": "\#($0.element.name)"}"# }
            return #"{"id": \#(pipeline.id), "name": "\#(pipeline.name)", "stages": [\#(stages.joined(separator: ", "))]}"#
        }
        return #"{"endpoint": "\#(url)", "auth": {"token_env": "SWR_TOKEN"}, "interval_seconds": 0.5, "timeout_seconds": 5, "max_requests_per_minute": 100000, "pipelines": [\#(pipelines.joined(separator: ", "))]}"#
    }
}

/// A wall clock moved by hand: the simulator's world stands still between moves.
final class ManualWall: Sendable {
    private let time: Mutex<Date>

    init(_ start: Date) { time = Mutex(start) }

    var now: Date { time.withLock { $0 } }

    func set(_ date: Date) { time.withLock { $0 = date } }
}

/// A stage of the simulated world whose newest job builds: three moments at which its progress
/// rises, and the moment it has ended.
struct RunningStage {
    var pipeline: SimPipeline
    var stage: Int
    var moments: [(at: Date, progress: Int)]
    var end: Date
    var outcome: JobState

    /// The first such stage from `origin` on, looked for second by second.
    static func find(in world: SimWorld, from origin: Date) -> RunningStage? {
        for offset in 0..<900 {
            let time = origin.addingTimeInterval(Double(offset))
            for pipeline in world.pipelines {
                for stage in pipeline.stages.indices {
                    if let found = follow(world, pipeline, stage, from: time) { return found }
                }
            }
        }
        return nil
    }

    private static func follow(_ world: SimWorld, _ pipeline: SimPipeline, _ stage: Int, from time: Date) -> RunningStage? {
        guard let job = world.jobs(pipeline: pipeline, stage: stage, at: time).first, job.state == .building else { return nil }
        var moments = [(at: time, progress: job.progress)]
        for second in 1...600 {
            let later = time.addingTimeInterval(Double(second))
            guard let newest = world.jobs(pipeline: pipeline, stage: stage, at: later).first, newest.id == job.id else { return nil }
            if newest.state.isFinal {
                return moments.count == 3 ? RunningStage(pipeline: pipeline, stage: stage, moments: moments, end: later, outcome: newest.state) : nil
            }
            if moments.count < 3, newest.progress > moments[moments.count - 1].progress {
                moments.append((later, newest.progress))
            }
        }
        return nil
    }
}

/// The jobs the simulated world finished between two moments, as the exporter must count them.
enum FinishedJobs {
    static func key(_ pipeline: Int, _ stage: Int, _ state: String) -> String { "\(pipeline)/\(stage)/\(state)" }

    /// By pipeline, stage and state: the jobs finished at `end` that were not finished at
    /// `start` (those are the exporter's baseline and never count).
    static func between(_ start: Date, _ end: Date, in world: SimWorld) -> [String: Int] {
        var counts: [String: Int] = [:]
        for pipeline in world.pipelines {
            for stage in pipeline.stages.indices {
                let before = Set(world.jobs(pipeline: pipeline, stage: stage, at: start).filter { $0.state.isFinal }.map(\.id))
                for job in world.jobs(pipeline: pipeline, stage: stage, at: end) where job.state.isFinal && !before.contains(job.id) {
                    counts[key(pipeline.id, stage, job.state.label.lowercased()), default: 0] += 1
                }
            }
        }
        return counts
    }
}

/// A `prometheus` of its own: loopback, a free port, storage in a temporary directory, scraping
/// one target every second with a bearer token read from a file.
final class PrometheusServer: Sendable {
    static let binary: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin"]
        return directories.map { "\($0)/prometheus" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let skipReason: Comment = "prometheus is not installed (apt-get install prometheus, or make test-deps): no end-to-end scrape by a real Prometheus"

    let child: Child
    let url: String

    private init(child: Child, url: String) {
        self.child = child
        self.url = url
    }

    var log: String { child.stderr + child.stdout }

    /// Starts it (on another free port if the one picked was taken meanwhile) and waits until it
    /// is ready.
    static func start(in directory: String, target: String, token: String) async throws -> PrometheusServer {
        let tokenFile = directory + "/scrape.token"
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw E2EFailure("cannot write \(tokenFile)")
        }
        let config = directory + "/prometheus.yml"
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: swr-e2e
                authorization:
                  type: Bearer
                  credentials_file: \(tokenFile)
                static_configs:
                  - targets: ["\(target)"]

            """.write(toFile: config, atomically: true, encoding: .utf8)
        var failures: [String] = []
        for attempt in 0..<3 {
            let port = try #require(freeLoopbackPort())
            let child = try Child([binary!, "--config.file=\(config)", "--storage.tsdb.path=\(directory)/data-\(attempt)",
                                     "--web.listen-address=127.0.0.1:\(port)", "--log.level=info"])
            let server = PrometheusServer(child: child, url: "http://127.0.0.1:\(port)")
            let ready = try await AsyncHTTPClientTransport.with { http in
                try await eventually("Prometheus is ready", timeout: .seconds(60), describe: { server.log.suffix(1500).description }) { () -> Bool? in
                    guard child.isRunning else { return false }
                    let answer = try? await http.send(HTTPRequest(url: server.url + "/-/ready", timeout: .seconds(2)))
                    return answer?.status == 200 ? true : nil
                }
            }
            if ready { return server }
            failures.append(server.log.suffix(800).description)
        }
        throw E2EFailure("prometheus did not start: \(failures.joined(separator: "\n---\n"))")
    }

    func stop() { child.stop(SIGTERM) }

    /// A port on 127.0.0.1 that nobody listens on right now (the kernel's pick for port 0).
    static func freeLoopbackPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Prometheus' HTTP API, as far as the test needs it.
struct PrometheusAPI {
    let url: String
    let http: AsyncHTTPClientTransport

    /// Query strings with everything but unreserved characters percent-encoded (a `+` left
    /// as it is would read as a space).
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func get(_ path: String) async throws -> String {
        let answer = try await http.send(HTTPRequest(url: url + path, timeout: .seconds(10)))
        return String(decoding: answer.body, as: UTF8.self)
    }

    /// The body of an instant query, as it came.
    func raw(_ query: String) async throws -> String {
        try await get("/api/v1/query?query=" + Self.encode(query))
    }

    /// An instant query's series: their labels and values.
    func values(_ query: String) async throws -> (labels: [[String: String]], values: [Double]) {
        let answer = try JSONParser.parse(try await raw(query))
        guard answer["status"]?.lenientString == "success" else { throw E2EFailure("\(query): \(answer)") }
        var labels: [[String: String]] = []
        var values: [Double] = []
        for series in answer["data"]?["result"]?.arrayValue ?? [] {
            var metric: [String: String] = [:]
            for (name, value) in series["metric"]?.objectValue?.members ?? [] { metric[name] = value.lenientString }
            labels.append(metric)
            values.append(series["value"]?.arrayValue?.last?.lenientString.flatMap(Double.init) ?? .nan)
        }
        return (labels, values)
    }

    /// `swr_stage_jobs_finished_total` by pipeline, stage and state (`FinishedJobs.key`), zeros left out.
    func finishedCounts() async throws -> [String: Int] {
        let (labels, values) = try await self.values("swr_stage_jobs_finished_total{job=\"swr-e2e\"} > 0")
        var counts: [String: Int] = [:]
        for (metric, value) in zip(labels, values) {
            counts[FinishedJobs.key(Int(metric["pipeline_id"] ?? "") ?? -1, Int(metric["stage_index"] ?? "") ?? -1, metric["state"] ?? "?"),
                   default: 0] += Int(value)
        }
        return counts
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `probe` every 200 ms until it returns a value, for at most `timeout` (and once more
/// after it, so a test starved of threads for that long still gets its answer); records an
/// issue (with `describe()`) and throws if it never does.
func eventually<T>(_ what: String, timeout: Duration = .seconds(60), describe: () -> String = { "" },
                   _ probe: () async throws -> T?) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        let last = clock.now >= deadline
        if let value = try await probe() { return value }
        if last { break }
        try await Task.sleep(for: .milliseconds(200))
    }
    Issue.record("never happened: \(what). \(describe())")
    throw E2EFailure("never happened: \(what)")
}

/// A child process (Foundation's `Process`), its output in files, stopped by a signal.
final class Child: @unchecked Sendable {
    /// The built `swr-top` (`swift build` puts it in .build/debug).
    static let swrTop = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/debug/swr-top").standardizedFileURL.path

    private let process = Process()
    private let outPath: String
    private let errPath: String

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let base = NSTemporaryDirectory() + "swr-top-child-\(UUID().uuidString)"
        outPath = base + ".out"
        errPath = base + ".err"
        for path in [outPath, errPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw E2EFailure("cannot create \(path)")
            }
        }
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Sends `signal`, waits up to 20 s for the child to end, then kills it.
    func stop(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
}
