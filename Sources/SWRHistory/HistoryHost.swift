import Foundation

/// The endpoint part of a history key: the SWR host, lower case, without scheme, port, user
/// info, path or query. The port is left out so the demo's simulator (a new loopback port each
/// run) keeps one history; user info is left out so nothing secret from a URL reaches the file.
public enum HistoryHost {
    /// The key of an endpoint URL such as `https://swr-api.cn-north-4.myhuaweicloud.com`.
    public static func key(endpoint: String) -> String {
        if let host = URLComponents(string: endpoint)?.host, !host.isEmpty {
            return host.lowercased()
        }
        // Not a URL Foundation reads: cut what surrounds a host by hand.
        var rest = Substring(endpoint)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let end = rest.firstIndex(where: { "/?#".contains($0) }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if !rest.hasPrefix("["), let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return rest.isEmpty ? "unknown" : rest.lowercased()
    }
}
