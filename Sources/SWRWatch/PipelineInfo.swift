import SWRAPI

/// A watched pipeline: its id, its name and the stages watched (shared by the screen and the
/// script modes).
public struct PipelineInfo: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var stages: [StageInfo]

    public init(id: Int, name: String, stages: [StageInfo]) {
        self.id = id
        self.name = name
        self.stages = stages
    }

    /// A pipeline as the detail call or discovery describes it.
    public init(_ pipeline: Pipeline) {
        self.init(id: pipeline.id, name: pipeline.name, stages: pipeline.stages.map { StageInfo(index: $0.index, name: $0.name) })
    }

    public var targets: [Target] { stages.map { Target(pipeline: id, stage: $0.index) } }
}

/// A watched stage: its index on the service and its name.
public struct StageInfo: Sendable, Equatable {
    public var index: Int
    public var name: String

    public init(index: Int, name: String) {
        self.index = index
        self.name = name
    }
}
