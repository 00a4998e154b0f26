import Foundation

/// Turns the `auth` section into a `TokenProvider`, reading the token or password now so that a
/// missing secret stops swr-top before any screen is drawn.
public enum Credentials {
    /// The provider, plus warnings to print (e.g. a token file readable by others).
    public static func provider(
        for auth: AuthConfig, file: String, environment: [String: String], transport: any HTTPTransport, timeout: Duration
    ) throws(ConfigError) -> (provider: any TokenProvider, warnings: [String]) {
        switch auth {
        case .tokenEnv(let name):
            guard let token = environment[name]?.trimmingSpaces(), !token.isEmpty else {
                throw ConfigError(file: file, key: "auth.token_env", message: "the environment variable \(name) is empty or unset; export a token from IAM into it")
            }
            return (StaticTokenProvider(token), [])
        case .tokenFile(let path):
            let expanded = path.hasPrefix("~/") ? (environment["HOME"] ?? "") + path.dropFirst(1) : path
            guard let data = FileManager.default.contents(atPath: expanded) else {
                throw ConfigError(file: file, key: "auth.token_file", message: "cannot read '\(path)'")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingSpaces()
            guard !token.isEmpty else {
                throw ConfigError(file: file, key: "auth.token_file", message: "'\(path)' is empty")
            }
            var warnings: [String] = []
            if let attributes = try? FileManager.default.attributesOfItem(atPath: expanded),
               let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
                warnings.append("warning: token file '\(path)' is readable by group or others; run: chmod 600 '\(path)'")
            }
            return (StaticTokenProvider(token), warnings)
        case .iam(let iam):
            guard let password = environment[iam.passwordEnv], !password.isEmpty else {
                throw ConfigError(file: file, key: "auth.iam.password_env", message: "the environment variable \(iam.passwordEnv) is empty or unset")
            }
            let credentials = IAMTokenProvider.Credentials(
                endpoint: iam.endpoint, domain: iam.domain, user: iam.user, password: password, project: iam.project)
            return (IAMTokenProvider(credentials: credentials, transport: transport, timeout: timeout), [])
        }
    }
}
