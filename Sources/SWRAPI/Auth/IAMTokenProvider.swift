import Foundation

/// Logs in to Huawei Cloud IAM with a password identity scoped to a project, keeps the token
/// from the `X-Subject-Token` header and renews it before `token.expires_at` or after a 401.
public actor IAMTokenProvider: TokenProvider {
    /// What IAM needs to issue a token.
    public struct Credentials: Sendable {
        public var endpoint: String
        public var domain: String
        public var user: String
        public var password: String
        public var project: String

        public init(endpoint: String, domain: String, user: String, password: String, project: String) {
            self.endpoint = endpoint
            self.domain = domain
            self.user = user
            self.password = password
            self.project = project
        }
    }

    private let credentials: Credentials
    private let transport: any HTTPTransport
    private let timeout: Duration
    private let renewMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var current: (token: String, expiresAt: Date)?
    private var pending: Task<(String, Date), any Error>?
    /// How many times a token was obtained (for tests and the log).
    public private(set) var logins = 0

    public init(
        credentials: Credentials, transport: any HTTPTransport, timeout: Duration = .seconds(10),
        renewMargin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.credentials = credentials
        self.transport = transport
        self.timeout = timeout
        self.renewMargin = renewMargin
        self.now = now
    }

    public func token() async throws -> String {
        if let current, current.expiresAt.timeIntervalSince(now()) > renewMargin { return current.token }
        if let pending { return try await pending.value.0 }
        let task = Task { [credentials, transport, timeout, now] in
            try await Self.login(credentials: credentials, transport: transport, timeout: timeout, now: now)
        }
        pending = task
        defer { pending = nil }
        let (token, expiresAt) = try await task.value
        current = (token, expiresAt)
        logins += 1
        return token
    }

    public func invalidate() async -> Bool {
        current = nil
        return true
    }

    static func login(credentials: Credentials, transport: any HTTPTransport, timeout: Duration, now: @Sendable () -> Date) async throws -> (String, Date) {
        let body: JSONValue = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": ["user": ["name": .string(credentials.user), "password": .string(credentials.password),
                                          "domain": ["name": .string(credentials.domain)]]],
                ],
                "scope": ["project": ["name": .string(credentials.project)]],
            ],
        ]
        let base = credentials.endpoint.hasSuffix("/") ? String(credentials.endpoint.dropLast()) : credentials.endpoint
        let request = HTTPRequest(
            method: "POST", url: base + "/v3/auth/tokens",
            headers: [("Content-Type", "application/json;charset=utf8"), ("Accept", "application/json")],
            body: Array(body.serialized.utf8), timeout: timeout
        )
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            let message = ErrorBody.message(from: response.body).map { "IAM login failed: \($0)" } ?? "IAM login failed (HTTP \(response.status))"
            switch response.status {
            case 400, 401: throw SWRError.unauthorized(message: message + "; check the user, domain, project and password variable")
            case 403: throw SWRError.forbidden(message: message)
            default: throw SWRError.server(status: response.status, message: message)
            }
        }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw SWRError.decoding("IAM answered without an X-Subject-Token header")
        }
        let parsed = try? JSONParser.parse(response.body)
        let expires = parsed?["token"]?["expires_at"]?.nonEmptyString.flatMap(ISO8601.parse)
            ?? now().addingTimeInterval(24 * 3600)
        return (token, expires)
    }
}
