/// One page of the pipeline list call.
public struct PipelinePage: Sendable, Equatable {
    /// The `offset` the page was asked for.
    public var offset: Int
    /// The pipelines on the page that could be read.
    public var pipelines: [Pipeline]
    /// How many elements the page had (readable or not), which is what the next offset adds.
    public var count: Int
    /// The total from `Content-Range`, when the service sent one.
    public var total: Int?

    public init(offset: Int, pipelines: [Pipeline], count: Int, total: Int?) {
        self.offset = offset
        self.pipelines = pipelines
        self.count = count
        self.total = total
    }
}
