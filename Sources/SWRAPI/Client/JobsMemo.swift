import Synchronization

/// Each stage's last jobs answer and what it decoded to: a watched stage's answer is mostly the
/// same bytes as the one before (an idle stage, a job that did not move), and decoding it again
/// was 4 % of an idle dashboard's CPU. The bytes are known by their length and a hash whose
/// seed is new in every process (Swift's `Hasher`), so a server cannot craft another answer
/// that passes for the last one; decoding is a pure function of the bytes, so the jobs are the
/// ones a decoding would give. One entry per stage asked for, the size of what is watched; past
/// `maxEntries` (stages no longer watched, a rediscovered account) it starts again empty.
final class JobsMemo: Sendable {
    private struct Key: Hashable {
        var pipeline: Int
        var stage: Int
    }

    private struct Entry {
        var count: Int
        var hash: Int
        var jobs: [Job]
    }

    private let entries = Mutex<[Key: Entry]>([:])
    /// More stages than any account watches (2,000 pipelines of a few stages each).
    static let maxEntries = 16_384
    private let decodings = Atomic<Int>(0)

    /// How many bodies were decoded (not taken from the last answer), for tests.
    var decoded: Int { decodings.load(ordering: .relaxed) }

    /// How many stages' answers are kept, for tests.
    var count: Int { entries.withLock { $0.count } }

    /// `body` decoded (`Job.decodeList`), or the jobs of the stage's last answer if it is the same.
    func decode(_ body: [UInt8], pipeline: Int, stage: Int) throws(SWRError) -> [Job] {
        let key = Key(pipeline: pipeline, stage: stage)
        var hasher = Hasher()
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        if let last = entries.withLock({ $0[key] }), last.count == body.count, last.hash == hash {
            return last.jobs
        }
        decodings.add(1, ordering: .relaxed)
        let jobs = try Job.decodeList(body)
        entries.withLock { entries in
            if entries.count >= Self.maxEntries, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(count: body.count, hash: hash, jobs: jobs)
        }
        return jobs
    }
}
