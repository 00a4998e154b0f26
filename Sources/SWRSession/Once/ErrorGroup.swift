import SWRAPI
import SWRWatch

/// Identical errors of a `--once` snapshot, said once: `token refused (401) on 19 stages of 5
/// pipelines: … — set a fresh token …`. Errors are the same when their kind and status are; the
/// server's own words are kept when every stage got the same.
struct ErrorGroup: Equatable {
    var key: String
    var error: SWRError
    var stages = 0
    var pipelines: Set<Int> = []
    var sameMessage = true

    static func key(_ error: SWRError) -> String {
        "\(error.kind) \(error.status.map(String.init) ?? "")"
    }

    /// The groups in order of first appearance.
    static func of(_ results: [StageSnapshot]) -> [ErrorGroup] {
        var groups: [ErrorGroup] = []
        for result in results {
            guard let error = result.error else { continue }
            let key = key(error)
            let index = groups.firstIndex { $0.key == key } ?? {
                groups.append(ErrorGroup(key: key, error: error))
                return groups.count - 1
            }()
            groups[index].stages += 1
            groups[index].pipelines.insert(result.pipeline.id)
            if groups[index].error.serverMessage != error.serverMessage { groups[index].sameMessage = false }
        }
        return groups
    }

    /// `token refused (401) on 3 stages of 2 pipelines: expired — set a fresh token …`.
    var sentence: String {
        let stagesText = stages == 1 ? "1 stage" : "\(stages) stages"
        let pipelinesText = pipelines.count == 1 ? "1 pipeline" : "\(pipelines.count) pipelines"
        var text = "\(error.shortDescription) on \(stagesText) of \(pipelinesText)"
        if sameMessage, let message = error.serverMessage, !message.isEmpty { text += ": \(message)" }
        return text + " — " + error.advice(willRetry: false)
    }
}
