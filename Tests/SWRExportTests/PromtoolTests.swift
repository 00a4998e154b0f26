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
}
