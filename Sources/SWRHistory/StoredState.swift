import SWRAPI

/// How a `JobState` is kept in the file: its canonical label (`Successful`, `Cancel`,
/// `Unknown` ...), which the statistics query, plus the server's own word where the label
/// alone cannot give the state back (an unrecognised word).
enum StoredState {
    static let successful = JobState.successful.label
    /// Finished without success and not by a person's decision: counts against the success rate.
    static let unsuccessful = [JobState.failed.label, JobState.timeout.label]
    static let cancelled = JobState.cancelled.label

    /// The state from its label and the raw word it came with.
    static func state(label: String, raw: String?) -> JobState {
        // The commonest first: a label is compared case by case.
        switch label {
        case JobState.successful.label: return .successful
        case JobState.waiting.label: return .waiting
        case JobState.building.label: return .building
        case JobState.failed.label: return .failed
        case JobState.timeout.label: return .timeout
        case JobState.cancelled.label: return .cancelled
        default: return .unknown(raw ?? "")
        }
    }

    /// The raw word to keep next to the label in a timeline row: only an unknown state needs it.
    static func timelineRaw(_ state: JobState) -> String? {
        if case .unknown(let raw) = state { return raw }
        return nil
    }
}
