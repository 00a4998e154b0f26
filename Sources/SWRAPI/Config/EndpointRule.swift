import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where swr-top may send a token: the rule for `endpoint`, `--endpoint` and the IAM endpoint.
///
/// The URL is read by a real URL parser (RFC 3986, `URLComponents`), never by string search:
/// - `https://` anywhere; plain `http://` only to a host that *is* loopback — an IPv4 literal in
///   127.0.0.0/8, the IPv6 literal `::1`, or exactly `localhost` (so `127.evil.example` and
///   `evil.example#@127.0.0.1` are refused);
/// - no userinfo, query or fragment (they hide where a request really goes).
public enum EndpointRule {
    /// Why an endpoint is refused, in words for a config error.
    public static func problem(with url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            return "is not a URL (expected https://host[:port][/path])"
        }
        guard scheme == "https" || scheme == "http" else {
            return "must start with https:// (got a \(SafeText.line(ServerLimits.text(scheme, max: 20)))://)"
        }
        if parts.user != nil || parts.password != nil {
            return "must not hold a user or password (user@host); give the token under 'auth'"
        }
        if parts.query != nil { return "must not have a query (?...)" }
        if parts.fragment != nil { return "must not have a fragment (#...)" }
        guard let host = parts.host, !host.isEmpty else { return "has no host" }
        // Only the characters of a host name or an IP literal: a NUL, a control or a percent
        // escape could make the check and the connection read different hosts.
        guard host.utf8.allSatisfy(Self.isHostByte) else {
            return "has a host with characters a host name cannot have"
        }
        if parts.port.map({ !(1...65535).contains($0) }) ?? false { return "has a port outside 1...65535" }
        if scheme == "http" && !isLoopback(host: host) {
            return "plain http:// to '\(SafeText.line(ServerLimits.text(host, max: 80)))' would send the token unencrypted; use https:// (http:// is allowed only to 127.0.0.1, ::1 or localhost)"
        }
        return nil
    }

    static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// True only for a loopback IP literal (127.0.0.0/8, ::1) or exactly `localhost`.
    public static func isLoopback(host raw: String) -> Bool {
        guard raw.utf8.allSatisfy(isHostByte) else { return false }
        var host = raw
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }

    /// The host of a URL (`http://[::1]:8080/x` → `::1`), or "" when there is none.
    public static func host(of url: String) -> String {
        guard var host = URLComponents(string: url)?.host else { return "" }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }
}

/// What a token may look like: visible ASCII only (it goes into an HTTP header as is).
public enum TokenCheck {
    public static func isUsable(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
