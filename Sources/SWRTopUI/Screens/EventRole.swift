import SWRAPI
import SWRWatch

extension EventText {
    /// The role a change is drawn in.
    public static func role(_ change: JobChange) -> Role {
        switch change.kind {
        case .stateChanged(_, _, let to): return to.role
        case .appeared(let job): return job.state.role
        case .targetFailed: return .error
        case .targetRecovered: return .success
        case .progressChanged: return .running
        case .durationChanged, .disappeared: return .muted
        }
    }
}
