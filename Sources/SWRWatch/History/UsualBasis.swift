import Foundation
import SWRAPI

extension UsualSample {
    /// `basis` (newest first) with the successful jobs of `jobs` merged in: a job that succeeded
    /// with a duration is a sample (its newer values win), a job of `basis` that `jobs` now holds
    /// in another state is not. Newest first by time then id, at most `cap`. A job without a
    /// creation time counts as seen at `seenAt`.
    public static func merge(_ basis: [UsualSample], _ jobs: [Job], seenAt: Date, cap: Int) -> [UsualSample] {
        var byID: [String: UsualSample] = [:]
        byID.reserveCapacity(basis.count)
        for sample in basis { byID[sample.jobID] = byID[sample.jobID] ?? sample }
        for job in jobs {
            if job.state == .successful, let duration = job.duration, duration >= 0 {
                byID[job.id] = UsualSample(jobID: job.id, duration: duration, at: job.createdAt ?? byID[job.id]?.at ?? seenAt)
            } else if byID[job.id] != nil {
                byID[job.id] = nil
            }
        }
        let sorted = byID.values.sorted { a, b in
            if a.at != b.at { return a.at > b.at }
            if let x = Int(a.jobID), let y = Int(b.jobID), x != y { return x > y }
            return a.jobID > b.jobID
        }
        return Array(sorted.prefix(max(0, cap)))
    }
}

extension JobChange {
    /// Whether the change may add or remove a sample of "usual" (a job that succeeds, or stops
    /// being successful).
    var mayChangeUsual: Bool {
        switch kind {
        case .appeared(let job): return job.state == .successful
        case .stateChanged(_, let from, let to): return from == .successful || to == .successful
        case .progressChanged, .durationChanged, .disappeared, .targetFailed, .targetRecovered: return false
        }
    }
}
