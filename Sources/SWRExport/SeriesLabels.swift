import SWRAPI
import SWRWatch

/// One label of a series: a name from `MetricFamily.labelNames` and its value.
public struct Label: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\"\(value)\"" }
}

/// Label values made from text the service sent (pipeline and stage names): sanitised by the one
/// sanitiser (`SafeText.line`: no control, bidi or line-break characters) and cut to a bounded
/// length, so a hostile name can neither forge a line of the exposition nor grow it without end.
public enum LabelText {
    /// The most Unicode scalars a label value from server text keeps.
    public static let maxScalars = 128

    public static func value(_ text: String) -> String {
        let line = SafeText.line(text)
        let scalars = line.unicodeScalars
        guard !scalars.isEmpty else { return "-" }
        guard scalars.count > maxScalars else { return line }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars.prefix(maxScalars - 1))
        cut.append("…")
        return String(cut)
    }

    /// `pipeline`, `pipeline_id`.
    public static func pipeline(_ pipeline: PipelineInfo) -> [Label] {
        [Label("pipeline", value(pipeline.name)), Label("pipeline_id", String(pipeline.id))]
    }

    /// `pipeline`, `pipeline_id`, `stage`, `stage_index`.
    public static func stage(_ pipeline: PipelineInfo, _ stage: StageInfo) -> [Label] {
        Self.pipeline(pipeline) + [Label("stage", value(stage.name)), Label("stage_index", String(stage.index))]
    }
}
