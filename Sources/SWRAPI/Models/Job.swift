import Foundation

/// One execution of a pipeline stage, decoded leniently from the jobs endpoint.
///
/// Numbers may arrive as numbers or strings, the state as `state` or `status`; every field but
/// the id is optional, and one bad field never discards the job. Every value is checked here,
/// once, whoever builds the job (`ServerLimits`): progress is 0...100, a duration 0...10 years,
/// anything else is absent; text is cut to a bounded length. Code that reads a `Job` can do
/// arithmetic on its numbers without overflow.
public struct Job: Sendable, Hashable, Identifiable {
    /// The job id, kept as text (the service sends a number or a string).
    public var id: String
    /// False when the server sent no usable id (`id` is then a placeholder; such a job has no log).
    public var hasID: Bool
    public var state: JobState
    /// The state exactly as the server sent it, cut to a bounded length ("" when absent).
    public var rawState: String
    /// Progress in percent, 0...100; `nil` when absent or out of range.
    public var progress: Int? { didSet { progress = ServerLimits.progress(progress) } }
    /// Execution time in seconds, 0...`ServerLimits.maxDuration`; `nil` when absent or out of range.
    public var duration: Int? { didSet { duration = ServerLimits.duration(duration) } }
    public var resource: String?
    public var resourceType: String?
    public var service: String?
    public var creatorName: String?
    public var createdAt: Date?
    public var logCount: Int?

    public init(
        id: String, hasID: Bool = true, state: JobState, rawState: String? = nil, progress: Int? = nil, duration: Int? = nil,
        resource: String? = nil, resourceType: String? = nil, service: String? = nil,
        creatorName: String? = nil, createdAt: Date? = nil, logCount: Int? = nil
    ) {
        self.id = ServerLimits.text(id, max: ServerLimits.maxIDLength)
        self.hasID = hasID
        self.state = state
        self.rawState = ServerLimits.text(rawState ?? state.label, max: ServerLimits.maxStateLength)
        self.progress = ServerLimits.progress(progress)
        self.duration = ServerLimits.duration(duration)
        self.resource = resource.map { ServerLimits.text($0) }
        self.resourceType = resourceType.map { ServerLimits.text($0) }
        self.service = service.map { ServerLimits.text($0) }
        self.creatorName = creatorName.map { ServerLimits.text($0) }
        self.createdAt = createdAt
        self.logCount = logCount.flatMap { (0...ServerLimits.maxCount).contains($0) ? $0 : nil }
    }

    /// Progress for display (0...100); `nil` when unknown.
    public var displayProgress: Int? { progress }

    /// Decodes one job object. `fallbackID` names a job whose id is missing.
    public init(json object: JSONObject, fallbackID: String) {
        var id: String?
        var rawState: String?
        var progress: Int?
        var duration: Int?
        var resource: String?
        var resourceType: String?
        var service: String?
        var creatorName: String?
        var createdAt: Date?
        var logCount: Int?
        for (key, value) in object.members {
            switch key {
            case "id": id = value.lenientString
            case "state": rawState = value.lenientString ?? rawState
            case "status": if rawState == nil { rawState = value.lenientString }
            case "progress": progress = value.lenientInt
            case "duration": duration = value.lenientInt
            case "resource": resource = value.nonEmptyString
            case "resource_type": resourceType = value.nonEmptyString
            case "service": service = value.nonEmptyString
            case "creator_name": creatorName = value.nonEmptyString
            case "created_at": createdAt = value.nonEmptyString.flatMap(ISO8601.parse)
            case "log_num": logCount = value.lenientInt
            default: break
            }
        }
        let cappedState = rawState.map { ServerLimits.text($0, max: ServerLimits.maxStateLength) }
        let state = cappedState.map(JobState.init(raw:)) ?? .unknown("")
        let usableID = id.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            id: usableID ?? fallbackID, hasID: usableID != nil, state: state, rawState: cappedState ?? "", progress: progress, duration: duration,
            resource: resource, resourceType: resourceType, service: service, creatorName: creatorName,
            createdAt: createdAt, logCount: logCount
        )
    }

    /// Decodes the body of the jobs endpoint: a JSON array of jobs. Elements that are not objects
    /// are skipped; a body that is not a JSON array throws `SWRError.decoding`.
    public static func decodeList(_ body: [UInt8]) throws(SWRError) -> [Job] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw .decoding("the job history is not valid JSON: \(error.description)")
        }
        return try decodeList(value)
    }

    /// Decodes an already parsed jobs body.
    public static func decodeList(_ value: JSONValue) throws(SWRError) -> [Job] {
        guard case .array(let elements) = value else {
            throw .decoding("expected a JSON array of jobs, got \(value.kindName)")
        }
        var jobs: [Job] = []
        jobs.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if case .object(let object) = element {
                jobs.append(Job(json: object, fallbackID: "?\(index)"))
            }
        }
        return jobs
    }

    /// Newest first: by `created_at` (unknown times last), then by id (numeric when both are numbers).
    public static func newestFirst(_ a: Job, _ b: Job) -> Bool {
        switch (a.createdAt, b.createdAt) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default:
            if let x = Int(a.id), let y = Int(b.id), x != y { return x > y }
            return a.id > b.id
        }
    }
}
