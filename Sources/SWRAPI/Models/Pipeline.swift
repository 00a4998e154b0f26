import Foundation

/// A pipeline from the list or detail call: its stages and, when sent, its run status.
public struct Pipeline: Sendable, Hashable, Identifiable {
    public var id: Int
    public var name: String
    public var groupName: String?
    public var stages: [PipelineStage]
    public var status: PipelineStatus?

    public init(id: Int, name: String, groupName: String? = nil, stages: [PipelineStage], status: PipelineStatus? = nil) {
        self.id = id
        self.name = name
        self.groupName = groupName
        self.stages = stages
        self.status = status
    }

    /// Decodes a pipeline object; `nil` when it has no usable id.
    public init?(json object: JSONObject) {
        guard let id = object["id"]?.lenientInt, id > 0 else { return nil }
        self.id = id
        self.name = object["name"]?.nonEmptyString.map { ServerLimits.text($0) } ?? "pipeline-\(id)"
        self.groupName = object["group_name"]?.nonEmptyString.map { ServerLimits.text($0) }
        let stageValues = object["stages"]?.arrayValue ?? []
        // A pipeline has a handful of stages; a body claiming thousands is cut (indexes stay dense).
        self.stages = stageValues.prefix(ServerLimits.maxStages).enumerated().compactMap { index, value in
            guard let stage = value.objectValue else { return nil }
            return PipelineStage(json: stage, index: index)
        }
        self.status = object["status"]?.objectValue.map(PipelineStatus.init(json:))
    }
}

/// One stage of a pipeline; `index` is its 0-based position, which the jobs endpoint takes.
public struct PipelineStage: Sendable, Hashable {
    public var index: Int
    public var name: String
    public var id: String?
    public var serviceName: String?

    public init(index: Int, name: String, id: String? = nil, serviceName: String? = nil) {
        self.index = index
        self.name = name
        self.id = id
        self.serviceName = serviceName
    }

    init(json object: JSONObject, index: Int) {
        self.index = index
        self.id = object["id"]?.lenientString.map { ServerLimits.text($0, max: ServerLimits.maxIDLength) }
        self.serviceName = object["service_name"]?.nonEmptyString.map { ServerLimits.text($0) }
        self.name = object["name"]?.nonEmptyString.map { ServerLimits.text($0) } ?? serviceName ?? "stage \(index)"
    }
}

/// The run status of a pipeline: overall word, the current stage and each stage's status.
/// Words are lower case on the wire (`running`, `success`, `rollback_failed` ...), kept as sent.
public struct PipelineStatus: Sendable, Hashable {
    public var status: String
    public var stageIndex: Int?
    public var startTime: Date?
    public var endTime: Date?
    public var stages: [StageStatus]

    public init(status: String, stageIndex: Int?, startTime: Date? = nil, endTime: Date? = nil, stages: [StageStatus]) {
        self.status = status
        self.stageIndex = stageIndex
        self.startTime = startTime
        self.endTime = endTime
        self.stages = stages
    }

    init(json object: JSONObject) {
        status = ServerLimits.text(object["status"]?.lenientString ?? "", max: ServerLimits.maxStateLength)
        stageIndex = object["stage_index"]?.lenientInt.flatMap { (0..<ServerLimits.maxStages).contains($0) ? $0 : nil }
        startTime = object["start_time"]?.nonEmptyString.flatMap(ISO8601.parse)
        endTime = object["end_time"]?.nonEmptyString.flatMap(ISO8601.parse)
        stages = (object["stages"]?.arrayValue ?? []).prefix(ServerLimits.maxStages).compactMap { $0.objectValue.map(StageStatus.init(json:)) }
    }
}

/// One stage's run status inside `PipelineStatus`.
public struct StageStatus: Sendable, Hashable {
    public var status: String
    public var startTime: Date?
    public var endTime: Date?

    public init(status: String, startTime: Date? = nil, endTime: Date? = nil) {
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
    }

    init(json object: JSONObject) {
        status = ServerLimits.text(object["status"]?.lenientString ?? "", max: ServerLimits.maxStateLength)
        startTime = object["start_time"]?.nonEmptyString.flatMap(ISO8601.parse)
        endTime = object["end_time"]?.nonEmptyString.flatMap(ISO8601.parse)
    }
}
