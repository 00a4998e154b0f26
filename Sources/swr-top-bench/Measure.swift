import CMallocCounter
import Foundation

/// One benchmark's figures: the median time of an operation and its allocations.
struct Figure {
    var name: String
    var medianSeconds: Double
    var p99Seconds: Double
    var allocationsPerOp: Double
    var note = ""

    var row: String {
        "| \(name) | \(Measure.human(medianSeconds)) | \(Measure.human(p99Seconds)) | \(allocationsPerOp < 0 ? "-" : String(format: "%.0f", allocationsPerOp)) | \(note) |"
    }
}

enum Measure {
    /// Runs `body` `iterations` times after `warmup` runs; median and p99 of wall time, mean allocations.
    static func run(_ name: String, iterations: Int, warmup: Int = 2, note: String = "", _ body: () -> Void) -> Figure {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        times.reserveCapacity(iterations)
        let before = swrtop_malloc_count()
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            body()
            times.append(seconds(ContinuousClock.now - start))
        }
        let allocations = Double(swrtop_malloc_count() - before) / Double(iterations)
        return Figure(name: name, medianSeconds: percentile(times, 0.5), p99Seconds: percentile(times, 0.99), allocationsPerOp: allocations, note: note)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func human(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.1f µs", seconds * 1e6)
    }

    /// Runs a shell command and returns its stdout and wall time.
    static func shell(_ command: String) -> (output: String, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let path = NSTemporaryDirectory() + "swr-top-bench-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = FileHandle(forWritingAtPath: path)
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        do { try process.run() } catch { return ("", -1) }
        process.waitUntilExit()
        let elapsed = seconds(ContinuousClock.now - start)
        try? handle?.close()
        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "", elapsed)
    }
}
