import Foundation
import SWRAPI

/// Bodies and job lists the benchmarks work on (the same as `scripts/bench-compare.sh` writes
/// for python3 and jq).
enum BenchFixtures {
    /// A jobs answer of `count` jobs in the official example's shape or the documented one.
    static func body(count: Int, official: Bool) -> [UInt8] {
        var out = "["
        out.reserveCapacity(count * 360)
        for i in 0..<count {
            if i > 0 { out += "," }
            let id = 100_000 + i
            if official {
                out += #"{"id":\#(id),"service":"jenkins_build","service_id":2865,"region_name":"","resource_type":"image","resource":"swr/tomcat:1.\#(i % 100)","duration":"\#(i % 900)","state":"\#(["Successful", "Failed", "Building", "success"][i % 4])","progress":"\#(i % 101)","pkg":null,"creator_id":"c6993164847244928091da9e86fb723f","creator_name":"f00355482","created_at":"2018-12-15T12:33:45.459407Z","log_num":1}"#
            } else {
                out += #"{"id":"\#(id)","duration":\#(i % 900),"progress":\#(i % 101),"status":"\#(["Successful", "Failed", "Building", "Waiting"][i % 4])","resource":"swr/tomcat:1.\#(i % 100)","creator_name":"f00355482","created_at":"2018-12-15T12:33:45.459407Z"}"#
            }
        }
        return Array((out + "]").utf8)
    }

    /// `count` jobs, newest first, `changedShare` of them with a new progress and duration.
    static func jobs(count: Int, round: Int, changedShare: Double, seed: Int) -> [Job] {
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        var rng = SeededRandom(seed, round)
        return (0..<count).map { i in
            let changed = rng.unit() < changedShare
            return Job(id: String(seed * 1000 + i), state: i == 0 ? .building : .successful,
                       progress: changed ? Int(rng.next() % 100) : (i == 0 ? 50 : 100),
                       duration: changed ? round * 3 : 60, createdAt: base.addingTimeInterval(Double(-i * 60)))
        }
    }
}
