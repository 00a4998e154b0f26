import Foundation
import Logging

/// Logs in to Huawei Cloud IAM with a password identity scoped to a project, keeps the token
/// from the `X-Subject-Token` header and renews it before `token.expires_at` or after a 401.
///
/// A login is bounded by the transport's deadline, so a hung IAM releases every caller waiting
/// on it with `SWRError.timeout`. The password and the token never appear in an error or the
/// log; each login is logged with the time the token is valid until.
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
    private let logger: Logger
    private var current: (token: String, expiresAt: Date)?
    private var lastInvalidation: Date?
    private var pending: Task<(String, Date), any Error>?
    /// How many times a token was obtained (for tests and the log).
    public private(set) var logins = 0

    public init(
        credentials: Credentials, transport: any HTTPTransport, timeout: Duration = .seconds(10),
        renewMargin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "swr-top.iam", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.logger = logger
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
        let renewal = current != nil || logins > 0
        let (token, expiresAt): (String, Date)
        do {
            (token, expiresAt) = try await task.value
        } catch {
            logger.warning("IAM login as \(credentials.user) failed: \(error)")
            throw error
        }
        current = (token, expiresAt)
        logins += 1
        logger.info("IAM \(renewal ? "renewal" : "login") as \(credentials.user) (project \(credentials.project)): token valid until \(ISO8601.format(expiresAt))")
        return token
    }

    /// Forgets the token after a 401, at most once a minute: when the renewed token is refused
    /// too, the account lacks the right, and logging in again (sending the password) on every
    /// poll would not help.
    public func invalidate() async -> Bool {
        if let last = lastInvalidation, now().timeIntervalSince(last) < 60 { return false }
        current = nil
        lastInvalidation = now()
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
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as SWRError {
            throw SWRClient.redact(error, token: credentials.password)
        }
        if (300..<400).contains(response.status) {
            // Never re-POST the password elsewhere.
            throw SWRError.redirect(status: response.status, location: response.header("Location").map { Redirect.describe($0, relativeTo: base, secrets: [credentials.password]) })
        }
        guard (200..<300).contains(response.status) else {
            let serverMessage = ErrorBody.message(from: response.body, redacting: [credentials.password])
            let message = serverMessage.map { "IAM login failed: \($0)" } ?? "IAM login failed (HTTP \(response.status))"
            switch response.status {
            case 400, 401: throw SWRError.unauthorized(message: message + "; check the user, domain, project and password variable")
            case 403: throw SWRError.forbidden(message: message)
            default: throw SWRError.server(status: response.status, message: message)
            }
        }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw SWRError.decoding("IAM answered without an X-Subject-Token header")
        }
        guard TokenCheck.isUsable(token) else {
            throw SWRError.decoding("IAM answered with a token that holds spaces or control characters; it was not used")
        }
        let parsed = try? JSONParser.parse(response.body)
        // A missing, unreadable or absurd expiry is read as the usual 24 hours.
        let stated = parsed?["token"]?["expires_at"]?.nonEmptyString.flatMap(ISO8601.parse)
        let fallback = now().addingTimeInterval(24 * 3600)
        let expires = stated.map { min($0, now().addingTimeInterval(366 * 24 * 3600)) } ?? fallback
        return (token, expires)
    }
}
