import Synchronization
import SWRAPI

/// The other origin the `redirect` fault points to: it counts every request that reaches it and
/// whether it carried a token or a password (a client that follows a redirect off its origin
/// leaks them), and answers 200 `[]` (so such a client wrongly sees "no jobs").
public final class RedirectTrap: Sendable {
    /// What reached the trap so far.
    public struct Record: Sendable, Equatable {
        public var requests = 0
        public var tokensSeen = 0
        public var passwordsSeen = 0
    }

    private let state = Mutex(Record())

    public init() {}

    public var record: Record { state.withLock { $0 } }

    /// Counts `request` and answers it.
    public func handle(_ request: SimRequest) -> SimResponse {
        let token = !(request.headers["x-auth-token"] ?? "").isEmpty
        let password = Self.carriesPassword(request.body)
        state.withLock {
            $0.requests += 1
            if token { $0.tokensSeen += 1 }
            if password { $0.passwordsSeen += 1 }
        }
        return .json(200, [])
    }

    /// The record as `GET /_sim/trap` shows it.
    var json: JSONValue {
        let r = record
        return ["requests": .int(r.requests), "tokens_seen": .int(r.tokensSeen), "passwords_seen": .int(r.passwordsSeen)]
    }

    /// An IAM password body (or anything that names a password).
    static func carriesPassword(_ body: [UInt8]) -> Bool {
        guard !body.isEmpty else { return false }
        if let json = try? JSONParser.parse(body),
           json["auth"]?["identity"]?["password"]?["user"]?["password"]?.nonEmptyString != nil {
            return true
        }
        return String(decoding: body, as: UTF8.self).lowercased().contains("password")
    }
}
