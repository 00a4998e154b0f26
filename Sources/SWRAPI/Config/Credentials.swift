import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the `auth` section into a `TokenProvider`, reading the token or password now so that a
/// missing or unsafe secret stops swr-top before any screen is drawn.
///
/// Errors name where a secret came from (the variable, the file), never the secret. A token
/// file is refused, as ssh refuses a private key, when the file it resolves to is readable by
/// group or others or owned by another user. The IAM password is removed from the process
/// environment once read, so no child process or crash report inherits it.
public enum Credentials {
    /// The largest token file read.
    public static let maxTokenFileBytes = 64 * 1024

    /// The provider, plus warnings to print.
    public static func provider(
        for auth: AuthConfig, file: String, environment: [String: String], transport: any HTTPTransport, timeout: Duration,
        logger: Logger = Logger(label: "swr-top.iam", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ConfigError) -> (provider: any TokenProvider, warnings: [String]) {
        switch auth {
        case .tokenEnv(let name):
            guard let token = environment[name]?.trimmingSpaces(), !token.isEmpty else {
                throw ConfigError(file: file, key: "auth.token_env", message: "the environment variable \(name) is empty or unset; export a token from IAM into it")
            }
            guard TokenCheck.isUsable(token) else {
                throw ConfigError(file: file, key: "auth.token_env", message: "the token in \(name) holds spaces or control characters; a token is one word of visible characters")
            }
            return (StaticTokenProvider(token), [])
        case .tokenFile(let path):
            let token = try readTokenFile(path, file: file, home: environment["HOME"])
            return (StaticTokenProvider(token), [])
        case .iam(let iam):
            guard let password = environment[iam.passwordEnv], !password.isEmpty else {
                throw ConfigError(file: file, key: "auth.iam.password_env", message: "the environment variable \(iam.passwordEnv) is empty or unset")
            }
            // Overwrite the bytes first: unsetenv alone leaves them in /proc/PID/environ.
            if let raw = getenv(iam.passwordEnv) { memset(raw, 0, strlen(raw)) }
            unsetenv(iam.passwordEnv)
            let credentials = IAMTokenProvider.Credentials(
                endpoint: iam.endpoint, domain: iam.domain, user: iam.user, password: password, project: iam.project)
            return (IAMTokenProvider(credentials: credentials, transport: transport, timeout: timeout, logger: logger), [])
        }
    }

    /// Reads a token file after checking the file it resolves to: a regular file, owned by this
    /// user, not readable or writable by group or others, at most `maxTokenFileBytes`.
    static func readTokenFile(_ path: String, file: String, home: String?) throws(ConfigError) -> String {
        let key = "auth.token_file"
        let expanded = path.hasPrefix("~/") ? (home ?? "") + path.dropFirst(1) : path
        let shown = SafeText.line(path)
        let fd = open(expanded, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            throw ConfigError(file: file, key: key, message: "cannot read '\(shown)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // Judged on the open file (what the path resolves to), so a swap after the check cannot fool it.
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ConfigError(file: file, key: key, message: "cannot inspect '\(shown)'")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' is not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' belongs to another user; a token file must be your own (chown it, or copy it and chmod 600 the copy)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' is readable or writable by group or others, so it is not used; run: chmod 600 '\(shown)'")
        }
        guard info.st_size <= maxTokenFileBytes else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' is larger than \(maxTokenFileBytes / 1024) KiB; a token file holds one token")
        }
        var bytes = [UInt8](repeating: 0, count: maxTokenFileBytes + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ConfigError(file: file, key: key, message: "cannot read '\(shown)'") }
            if n == 0 { break }
            filled += n
        }
        guard filled <= maxTokenFileBytes else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' is larger than \(maxTokenFileBytes / 1024) KiB; a token file holds one token")
        }
        let token = String(decoding: bytes.prefix(filled), as: UTF8.self).trimmingSpaces()
        guard !token.isEmpty else {
            throw ConfigError(file: file, key: key, message: "'\(shown)' is empty")
        }
        guard TokenCheck.isUsable(token) else {
            throw ConfigError(file: file, key: key, message: "the token in '\(shown)' holds spaces or control characters; a token file holds one word of visible characters")
        }
        return token
    }
}
