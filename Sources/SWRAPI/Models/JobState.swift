/// The state of one job (one execution of a stage), as the service reports it.
///
/// The service is inconsistent: the documented words (`Successful`), the lower-case words of the
/// logs page (`success`) and other synonyms all occur. Anything not recognised is kept verbatim
/// as `.unknown(raw)` and shown neutrally.
public enum JobState: Sendable, Hashable {
    case waiting
    case building
    case successful
    case failed
    case timeout
    case cancelled
    case unknown(String)

    /// Reads a state word case-insensitively, with the synonyms of SWR-API.md.
    public init(raw: String) {
        switch raw.trimmingSpaces().lowercased() {
        case "waiting", "pending", "queued", "wait": self = .waiting
        case "building", "running", "build", "in_progress": self = .building
        case "successful", "success", "succeeded", "succeed": self = .successful
        case "failed", "fail", "failure", "error": self = .failed
        case "timeout", "timed_out", "timedout": self = .timeout
        case "cancel", "cancelled", "canceled": self = .cancelled
        default: self = .unknown(raw)
        }
    }

    /// True when the job will not change any more.
    public var isFinal: Bool {
        switch self {
        case .successful, .failed, .timeout, .cancelled: return true
        case .waiting, .building, .unknown: return false
        }
    }

    /// The canonical word: one of `Waiting Building Successful Failed Timeout Cancel Unknown`.
    public var label: String {
        switch self {
        case .waiting: return "Waiting"
        case .building: return "Building"
        case .successful: return "Successful"
        case .failed: return "Failed"
        case .timeout: return "Timeout"
        case .cancelled: return "Cancel"
        case .unknown: return "Unknown"
        }
    }

    /// The word to show a person: the canonical word, or the server's own text when unknown.
    public var displayName: String {
        if case .unknown(let raw) = self { return raw.isEmpty ? "(empty)" : raw }
        return label
    }

    /// Every recognised state, in pipeline order (for legends and tests).
    public static let known: [JobState] = [.waiting, .building, .successful, .failed, .timeout, .cancelled]
}
