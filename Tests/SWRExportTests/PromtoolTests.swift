import Foundation
import Testing
@testable import SWRAPI
@testable import SWRExport
@testable import SWRWatch

/// `promtool check metrics` (from the Debian `prometheus` package, installed by
/// `scripts/install-deps.sh --test`) on the exposition.
enum Promtool {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let skipReason: Comment = "promtool is not installed (apt-get install prometheus, or make test-deps): the exposition was not checked by promtool"

    /// Runs `promtool check metrics` on `exposition`: its exit status and what it said.
    static func checkMetrics(_ exposition: [UInt8]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Write and read on separate threads: a large exposition must not dead-lock on full pipes.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(exposition))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let said = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: said, as: UTF8.self))
    }
}

@Suite(.enabled(if: Promtool.path != nil, Promtool.skipReason)) struct PromtoolTests {
    typealias F = Fixture

    /// Every family with values in it: states, gauges, counters, histograms, run status, requests.
    @Test func theExpositionPassesPromtool() throws {
        var metrics = F.metrics()
        var sink = PrometheusSink()
        sink.apply(metrics.initialUpdates(version: "0.1.0"))
        for target in [F.build, F.deploy, F.nginx] {
            sink.apply(metrics.apply(F.result(target, [F.job("1", .building, progress: 10, duration: 5, created: -5)], at: 0)))
            sink.apply(metrics.apply(F.result(target, [F.job("1", .successful, progress: 100, duration: 65, created: -5)], at: 3)))
        }
        sink.apply(metrics.apply(F.failure(F.nginx, .rateLimited(retryAfter: 1, message: nil), at: 6)))
        sink.apply(metrics.applyDetail(pipeline: 11, .success(Pipeline(id: 11, name: "tomcat-release", stages: [],
                                                                       status: PipelineStatus(status: "success", stageIndex: 1, stages: [])))))
        sink.apply(ExportMetrics.request(.pipelineDetail, error: nil, seconds: 0.2))
        sink.apply(metrics.freshness(now: F.at(7)))
        let exposition = sink.exposition()
        #expect(Exposition(exposition).value("swr_stage_jobs_finished_total", "pipeline_id=\"12\"", "state=\"successful\"") == 1)
        let (status, output) = try Promtool.checkMetrics(exposition)
        #expect(status == 0, "promtool check metrics: \(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool check metrics: \(output)")
    }
}

@Suite(.enabled(if: Promtool.path != nil, Promtool.skipReason)) struct PromtoolExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/prometheus").standardizedFileURL.path

    static func promtool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Promtool.path!)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: said, as: UTF8.self))
    }

    @Test func theAlertRulesPassPromtool() throws {
        let (status, output) = try Self.promtool(["check", "rules", Self.examples + "/alerts.yml"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("SUCCESS: 4 rules found"), "\(output)")
    }

    @Test func theScrapeConfigPassesPromtool() throws {
        let (status, output) = try Self.promtool(["check", "config", Self.examples + "/prometheus.yml"])
        #expect(status == 0, "\(output)")
    }

    static let dashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/grafana/swr-top.json").standardizedFileURL.path

    /// examples/grafana/swr-top.json: an importable dashboard (a `DS_PROMETHEUS` input that every
    /// panel and query uses) whose every query is valid PromQL (`promtool check rules` on them as
    /// recording rules, Grafana's variables given plain values) and names only metrics the
    /// exporter serves. EndToEndTests runs the same queries on a real Prometheus.
    @Test func theGrafanaDashboardQueriesPassPromtool() throws {
        let dashboard = try JSONParser.parse(try String(contentsOfFile: Self.dashboard, encoding: .utf8))
        #expect(dashboard["schemaVersion"]?.lenientInt == 39)
        #expect(dashboard["__inputs"]?.arrayValue?.compactMap { $0["name"]?.lenientString } == ["DS_PROMETHEUS"])
        let panels = Grafana.panels(dashboard).filter { $0["type"]?.lenientString != "row" }
        let kinds = Set(panels.compactMap { $0["type"]?.lenientString })
        #expect(kinds.isSuperset(of: ["state-timeline", "table", "timeseries"]), "\(kinds)")
        var expressions: [String] = []
        for panel in panels {
            let title = panel["title"]?.lenientString ?? "?"
            #expect(panel["datasource"]?["uid"]?.lenientString == "${DS_PROMETHEUS}", "\(title)")
            let targets = panel["targets"]?.arrayValue ?? []
            #expect(!targets.isEmpty, "\(title) has no query")
            for target in targets {
                #expect(target["datasource"]?["uid"]?.lenientString == "${DS_PROMETHEUS}", "\(title)")
                let expression = try #require(target["expr"]?.nonEmptyString, "\(title): a query without expr")
                expressions.append(expression)
            }
        }
        // What it draws: states, durations, the success rate, requests and errors, stages up.
        for metric in ["swr_stage_newest_job_state", "swr_stage_newest_job_duration_seconds", "swr_stage_jobs_finished_total",
                       "swr_api_requests_total", "swr_stage_up"] {
            #expect(expressions.contains { $0.contains(metric) }, "no panel shows \(metric)")
        }
        // Only the exporter's metric names (a histogram's series end in _bucket, _count, _sum).
        let served = Set(MetricFamily.allCases.flatMap { family in
            family.kind == .histogram ? ["_bucket", "_count", "_sum"].map { family.name + $0 } : [family.name]
        })
        let named = Set(expressions.flatMap { Grafana.metricNames($0) })
        #expect(named.isSubset(of: served), "not served: \(named.subtracting(served).sorted())")

        let file = NSTemporaryDirectory() + "swr-top-grafana-\(UUID().uuidString).yml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var rules = "groups:\n  - name: grafana\n    rules:\n"
        for (index, expression) in expressions.enumerated() {
            rules += "      - record: grafana_query_\(index)\n        expr: \(Grafana.yamlQuoted(Grafana.substitute(expression)))\n"
        }
        try rules.write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try Self.promtool(["check", "rules", file])
        #expect(status == 0, "\(output)")
        #expect(output.contains("SUCCESS: \(expressions.count) rules found"), "\(output)")
    }
}

/// Reading a Grafana dashboard's queries.
enum Grafana {
    /// Every panel, those in rows included.
    static func panels(_ dashboard: JSONValue) -> [JSONValue] {
        func flatten(_ list: [JSONValue]) -> [JSONValue] { list.flatMap { [$0] + flatten($0["panels"]?.arrayValue ?? []) } }
        return flatten(dashboard["panels"]?.arrayValue ?? [])
    }

    /// Grafana's variables as plain values: every pipeline, the intervals 1m, the range 1h.
    static func substitute(_ expression: String) -> String {
        expression
            .replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__interval", with: "1m")
            .replacingOccurrences(of: "$__range", with: "1h")
            .replacingOccurrences(of: "$pipeline", with: ".*")
    }

    /// The `swr_…` names an expression uses.
    static func metricNames(_ expression: String) -> [String] {
        var names: [String] = []
        var rest = Substring(expression)
        while let start = rest.range(of: "swr_") {
            let name = rest[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            names.append(String(name))
            rest = rest[name.endIndex...]
        }
        return names
    }

    /// A YAML double-quoted scalar.
    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
