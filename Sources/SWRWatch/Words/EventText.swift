import Foundation
import SWRAPI

/// One-line descriptions of changes, shared by the events pane and `--watch` (words, no UI).
public enum EventText {
    /// `tomcat-release/scan #2211 progress 41% → 63%` (without the time).
    public static func describe(_ change: JobChange, pipelines: [PipelineInfo], arrow: String = "→") -> String {
        let place = placeName(change.target, pipelines: pipelines)
        switch change.kind {
        case .appeared(let job):
            return "\(place) #\(job.id) new \(job.state.displayName)" + (job.displayProgress.map { " \($0)%" } ?? "")
        case .stateChanged(let id, let from, let to):
            return "\(place) #\(id) \(from.displayName) \(arrow) \(to.displayName)"
        case .progressChanged(let id, let from, let to):
            return "\(place) #\(id) progress \(Format.percent(from)) \(arrow) \(Format.percent(to))"
        case .durationChanged(let id, let from, let to):
            return "\(place) #\(id) duration \(Format.duration(from)) \(arrow) \(Format.duration(to))"
        case .disappeared(let id):
            return "\(place) #\(id) left the history"
        case .targetFailed(let error):
            return "\(place) \(error.shortDescription)" + (error.serverMessage.map { ": \($0)" } ?? "")
        case .targetRecovered:
            return "\(place) answering again"
        }
    }

    /// `tomcat-release/scan`, or ids when names are unknown.
    public static func placeName(_ target: Target, pipelines: [PipelineInfo]) -> String {
        guard let pipeline = pipelines.first(where: { $0.id == target.pipeline }) else { return "\(target.pipeline)/\(target.stage)" }
        let stage = pipeline.stages.first { $0.index == target.stage }?.name ?? String(target.stage)
        return "\(pipeline.name)/\(stage)"
    }
}
