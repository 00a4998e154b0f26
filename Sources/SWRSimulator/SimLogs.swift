import Foundation
import SWRAPI

/// The log of a simulated job: phases and lines that appear as the build advances, packed the
/// way the service does (each entry's `content` is a string holding a JSON array).
enum SimLogs {
    /// Lines per entry; the service keeps only the newest 20 entries.
    static let linesPerEntry = 3
    static let keptEntries = 20

    static func phases(for service: String) -> [(String, [String])] {
        let build: [(String, [String])] = [
            ("Prepare workspace", ["allocating build node", "restoring cache (412 MB)", "workspace ready"]),
            ("Pull source", ["git fetch origin --depth=50", "checked out 3f9c2ab", "submodules: none"]),
            ("Build image", ["Step 1/9 : FROM swr.cn-north-4.myhuaweicloud.com/base/jdk:17", "Step 4/9 : RUN mvn -q package",
                             "[INFO] BUILD SUCCESS", "Step 9/9 : ENTRYPOINT [\"catalina.sh\", \"run\"]", "Successfully built 8d1e0f2c"]),
            ("Push image", ["pushing layer 1/6", "pushing layer 6/6", "digest: sha256:4be2…c1 size: 2417"]),
        ]
        switch service {
        case "code_source": return [("Checkout", ["resolving origin", "fetched 128 objects", "HEAD is 3f9c2ab"])]
        case "test_review": return [("Scan image", ["loading CVE database", "scanning 214 packages", "0 critical, 2 high, 11 medium"]),
                                    ("Review", ["policy: block on critical", "passed"])]
        case "official_deploy", "gray_deploy":
            return [("Rollout", ["updating deployment web (3 replicas)", "replica 1/3 ready", "replica 2/3 ready", "replica 3/3 ready"]),
                    ("Verify", ["health check /healthz 200", "rollout complete"])]
        default: return build
        }
    }

    /// Every line of the job's log with the moment it appears.
    static func allLines(_ job: SimJob) -> [(time: Date, isPhase: Bool, text: String)] {
        let phases = phases(for: job.service)
        let total = phases.reduce(0) { $0 + 1 + $1.1.count }
        let start = job.plan.buildsAt
        let span = job.plan.endsAt.timeIntervalSince(start)
        var lines: [(Date, Bool, String)] = []
        var k = 0
        for (phase, contents) in phases {
            for (isPhase, text) in [(true, phase)] + contents.map({ (false, $0) }) {
                let fraction = Double(k) / Double(total) * job.plan.endFraction
                lines.append((start.addingTimeInterval(span * fraction / max(job.plan.endFraction, 0.01)), isPhase, text))
                k += 1
            }
        }
        if job.plan.outcome != .successful {
            lines = lines.filter { $0.0 < job.plan.endsAt }
            lines.append((job.plan.endsAt, false, "ERROR: stage ended: \(job.plan.outcome.label)"))
        }
        return lines
    }

    static func visibleLines(_ job: SimJob) -> [(time: Date, isPhase: Bool, text: String)] {
        allLines(job).filter { $0.time <= job.at }
    }

    /// The job's progress when a line was written, so a line never changes once served.
    static func progress(_ job: SimJob, at time: Date) -> Int {
        if time >= job.plan.endsAt { return job.plan.outcome == .successful ? 100 : job.plan.curve.progress(at: job.plan.endFraction) }
        let span = job.plan.endsAt.timeIntervalSince(job.plan.buildsAt)
        let fraction = span > 0 ? time.timeIntervalSince(job.plan.buildsAt) / span : 0
        return min(99, job.plan.curve.progress(at: fraction * job.plan.endFraction))
    }

    static func entryCount(_ job: SimJob) -> Int {
        let count = visibleLines(job).count
        return min(keptEntries, (count + linesPerEntry - 1) / linesPerEntry)
    }

    /// The `log` array of the logs reply made at `moment` (newest 20 entries, oldest first), after
    /// `offset`, at most `limit`; `badLogRate` of the entries (the same ones every time) carry a nested
    /// string cut short.
    static func entries(_ job: SimJob, at moment: SimMoment, limit: Int, offset: Int, badLogRate: Double = 0, seed: Int = 0) -> [JSONValue] {
        let lines = visibleLines(job)
        var chunks: [(number: Int, lines: [(time: Date, isPhase: Bool, text: String)])] = stride(from: 0, to: lines.count, by: linesPerEntry).map {
            ($0 / linesPerEntry, Array(lines[$0..<min($0 + linesPerEntry, lines.count)]))
        }
        if chunks.count > keptEntries { chunks = Array(chunks.suffix(keptEntries)) }
        let page = chunks.dropFirst(max(0, offset)).prefix(max(0, limit))
        return page.map { number, chunk in
            let items: [JSONValue] = chunk.map { line in
                .object(JSONObject([
                    (key: "Type", value: .string(line.isPhase ? "phase" : "content")),
                    (key: "Message", value: .string(line.text)),
                    (key: "Time", value: .string(moment.stamp(line.time))),
                    (key: "State", value: .string(line.time < job.plan.endsAt ? "running" : job.plan.outcome.label.lowercased())),
                    (key: "Progress", value: .int(progress(job, at: line.time))),
                ]))
            }
            var content = JSONValue.array(items).serialized
            var roll = SeededRandom(seed, 313, job.id, number)
            if badLogRate > 0, roll.unit() < badLogRate { content = String(content.prefix(content.count / 2)) }
            return .object(JSONObject([
                (key: "content", value: .string(content)),
                (key: "created_at", value: .string(moment.stamp(chunk[0].time))),
            ]))
        }
    }
}
