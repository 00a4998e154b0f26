import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 connection over a plain socket, for tests that look at the wire itself
/// (no client library in between to follow redirects, cap sizes or time out). Every read has a
/// deadline; the blocking calls run on their own thread, off the concurrency pool.
final class RawConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// What was read: the head (status line and headers) and the body bytes as they came.
    struct Reading {
        var head: String = ""
        var body: [UInt8] = []
        /// The server closed the connection.
        var closed = false

        var status: Int? { head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } }

        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect to port \(port): errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += n
        }
    }

    /// Sends a request with `Connection: close`.
    func send(_ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8] = []) throws {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        try send(Array((head + "\r\n").utf8) + body)
    }

    /// Reads until the server closes, `enough` says so, or `deadline` passes. Bytes beyond
    /// `keep` are counted in `total` but not kept (the tail is kept in `tail`).
    func read(until deadline: ContinuousClock.Instant, keep: Int = .max, enough: (Reading) -> Bool = { _ in false }) -> (Reading, total: Int, tail: [UInt8]) {
        var reading = Reading()
        var pending: [UInt8] = []
        var headDone = false
        var total = 0
        var tail: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while ContinuousClock.now < deadline, !enough(reading) {
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, min(1000, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { reading.closed = true; break }
            let chunk = buffer[0..<n]
            if !headDone {
                pending += chunk
                if let end = Self.headEnd(pending) {
                    headDone = true
                    reading.head = String(decoding: pending[..<end], as: UTF8.self)
                    let rest = Array(pending[(end + 4)...])
                    total = rest.count
                    reading.body = Array(rest.prefix(keep))
                    tail = Array(rest.suffix(64))
                }
                continue
            }
            total += n
            if reading.body.count < keep { reading.body += chunk.prefix(keep - reading.body.count) }
            tail = Array((tail + chunk).suffix(64))
        }
        return (reading, total, tail)
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }
}

/// Runs blocking work on a thread of its own and awaits its result.
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// One whole exchange on a fresh connection: the request, then everything until the server closes.
func exchange(port: Int, _ method: String = "GET", _ target: String, headers: [String: String] = [:], body: [UInt8] = [],
              within seconds: Int = 20) async throws -> RawConnection.Reading {
    try await offThread {
        let connection = try RawConnection(port: port)
        try connection.send(method, target, headers: headers, body: body)
        return connection.read(until: .now + .seconds(seconds)).0
    }
}

/// `value` with everything but `A-Z a-z 0-9 - _ ~` percent-encoded (dots too, so `..` stays a name).
func percentEncodedPathSegment(_ value: String) -> String {
    var out = ""
    for byte in value.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            out += String(format: "%%%02X", byte)
        }
    }
    return out
}

extension URL {
    /// The port of an `http://host:port` string.
    static func port(of url: String) -> Int { URL(string: url)?.port ?? 0 }
}
