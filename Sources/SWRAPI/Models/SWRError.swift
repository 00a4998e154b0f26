/// Everything that can go wrong talking to SWR, typed, with the server's message when it sent one.
///
/// Descriptions are one line in plain words: what failed, what it means, what to do. They never
/// contain the token (`SWRClient` redacts any echo of it before an error is built).
public enum SWRError: Error, Sendable, Hashable {
    case unauthorized(message: String?)
    case badRequest(message: String?)
    case forbidden(message: String?)
    case notFound(message: String?)
    case conflict(message: String?)
    /// 429, or 503 with a `Retry-After`; `retryAfter` in seconds when the server said.
    case rateLimited(retryAfter: Double?, message: String?)
    case server(status: Int, message: String?)
    /// A 3xx answer. swr-top never follows one (the token would go along); `location` is the
    /// target as sent (sanitised, without userinfo, query or fragment), `nil` when absent.
    case redirect(status: Int, location: String?)
    case timeout
    case transport(String)
    case decoding(String)

    /// The stable machine name used in `--json` output.
    public var kind: String {
        switch self {
        case .unauthorized: return "unauthorized"
        case .badRequest: return "bad_request"
        case .forbidden: return "forbidden"
        case .notFound: return "not_found"
        case .conflict: return "conflict"
        case .rateLimited: return "rate_limited"
        case .server: return "server"
        case .redirect: return "redirect"
        case .timeout: return "timeout"
        case .transport: return "transport"
        case .decoding: return "decoding"
        }
    }

    /// The HTTP status behind the error, when there was a response.
    public var status: Int? {
        switch self {
        case .unauthorized: return 401
        case .badRequest: return 400
        case .forbidden: return 403
        case .notFound: return 404
        case .conflict: return 409
        case .rateLimited: return 429
        case .server(let status, _), .redirect(let status, _): return status
        case .timeout, .transport, .decoding: return nil
        }
    }

    /// The server's own message, if any.
    public var serverMessage: String? {
        switch self {
        case .unauthorized(let m), .badRequest(let m), .forbidden(let m), .notFound(let m), .conflict(let m):
            return m
        case .rateLimited(_, let m), .server(_, let m): return m
        case .timeout, .redirect: return nil
        case .transport(let m), .decoding(let m): return m
        }
    }

    /// True for errors worth retrying later (5xx, 429, timeouts, dropped connections, bad bodies).
    public var isTransient: Bool {
        switch self {
        case .server, .rateLimited, .timeout, .transport, .decoding: return true
        case .unauthorized, .badRequest, .forbidden, .notFound, .conflict, .redirect: return false
        }
    }

    /// A short label for a status line: "server error 500", "timed out".
    public var shortDescription: String {
        switch self {
        case .unauthorized: return "token refused (401)"
        case .badRequest: return "bad request (400)"
        case .forbidden: return "forbidden (403)"
        case .notFound: return "not found (404)"
        case .conflict: return "conflict (409)"
        case .rateLimited: return "rate limited (429)"
        case .server(let status, _): return "server error \(status)"
        case .redirect(let status, _): return "redirected (\(status))"
        case .timeout: return "timed out"
        case .transport: return "connection failed"
        case .decoding: return "unreadable answer"
        }
    }

    /// The advice part of the description, for a watcher that keeps trying.
    public var advice: String { advice(willRetry: true) }

    /// The advice part of the description; without "retrying" when nothing will retry (`--once`,
    /// start-up after its few tries).
    public func advice(willRetry: Bool) -> String {
        guard willRetry else { return finalAdvice }
        switch self {
        case .unauthorized: return "the token is missing, wrong or expired; set a fresh token (SWR_TOKEN) or use IAM login in the config"
        case .badRequest: return "check the pipeline id and stage index in the config"
        case .forbidden: return "the account may not read this pipeline; check its permissions"
        case .notFound: return "the pipeline or stage does not exist, or the endpoint is wrong"
        case .conflict: return "the service reported a conflict"
        case .rateLimited(let after, _):
            if let after, after.isFinite, after >= 0 { return "the service asks to slow down; retrying in \(Int(min(after, 86_400).rounded(.up)))s" }
            return "the service asks to slow down; retrying later"
        case .server: return "the service is having trouble; retrying with backoff"
        case .redirect(_, let location):
            let target = location.map { "the endpoint redirects to \($0)" } ?? "the endpoint answers with a redirect"
            return target + "; swr-top does not follow redirects, so the token stays with the host you configured — set `endpoint` to the final URL"
        case .timeout: return "the service did not answer in time; retrying"
        case .transport: return "check the endpoint and the network; retrying"
        case .decoding: return "the service sent something that is not a job list; retrying"
        }
    }

    /// The advice when this was the last try.
    private var finalAdvice: String {
        switch self {
        case .rateLimited(let after, _):
            if let after, after.isFinite, after >= 0 { return "the service asks to slow down; try again in \(Int(min(after, 86_400).rounded(.up)))s" }
            return "the service asks to slow down; try again later"
        case .server: return "the service is having trouble; try again later"
        case .timeout: return "the service did not answer in time; check the endpoint, or raise timeout_seconds"
        case .transport: return "check the endpoint and the network"
        case .decoding: return "the service sent something that is not a job list"
        case .unauthorized, .badRequest, .forbidden, .notFound, .conflict, .redirect: return advice(willRetry: true)
        }
    }

    /// What failed, the server's words, and what to do: `token refused (401): … — set a fresh token …`.
    public func describe(willRetry: Bool) -> String {
        var text = shortDescription
        if let message = serverMessage, !message.isEmpty { text += ": \(message)" }
        return text + " — " + advice(willRetry: willRetry)
    }
}

extension SWRError: CustomStringConvertible {
    public var description: String { describe(willRetry: true) }
}
