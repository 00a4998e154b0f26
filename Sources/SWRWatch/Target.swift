import SWRAPI

/// One polled thing: a stage of a pipeline.
public struct Target: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var pipeline: Int
    public var stage: Int

    public init(pipeline: Int, stage: Int) {
        self.pipeline = pipeline
        self.stage = stage
    }

    public static func < (a: Target, b: Target) -> Bool {
        (a.pipeline, a.stage) < (b.pipeline, b.stage)
    }

    public var description: String { "\(pipeline)/\(stage)" }
}

/// Where job histories come from; `SWRClient` in production, a script in tests.
public protocol JobSource: RequestSource {
    /// The stage's execution history. Throws `SWRError` (or `CancellationError`).
    func jobs(pipeline: Int, stage: Int) async throws -> [Job]
}

/// What the engine asks of every source of answers.
public protocol RequestSource: Sendable {
    /// How long one of its requests can take at most, when the source itself ends it by then
    /// (`nil`: unbounded, the engine races each request against its own timeout).
    var requestBound: Duration? { get }
}

extension RequestSource {
    public var requestBound: Duration? { nil }
}

extension SWRClient: JobSource {}

/// Where pipeline details (with their run status) come from; `SWRClient` in production.
public protocol DetailSource: RequestSource {
    /// The pipeline's detail. Throws `SWRError` (or `CancellationError`).
    func pipeline(id: Int) async throws -> Pipeline
}

extension SWRClient: DetailSource {}
