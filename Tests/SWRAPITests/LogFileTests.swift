import Foundation
import Glibc
import Logging
import Synchronization
import Testing
@testable import SWRAPI

/// `--log PATH`: pipes, files, our own descriptors, refused symlinks, and a dead reader that
/// turns logging off once instead of killing the process.
@Suite(.timeLimit(.minutes(3))) struct LogFileTests {
    /// Counts `onFailure` calls and keeps their messages.
    final class Notices: Sendable {
        private let messages = Mutex<[String]>([])
        var all: [String] { messages.withLock { $0 } }
        func record(_ message: String) { messages.withLock { $0.append(message) } }
    }

    static let linePattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|notice|warning|error|critical) [^ ]+: .*$"#

    private func temporaryPath(_ name: String) -> String {
        let directory = NSTemporaryDirectory() + "swr-top-logfile-\(UUID().uuidString)"
        mkdir(directory, 0o700)
        return directory + "/" + name
    }

    /// Everything waiting in a pipe's read end (the writer has written and gone on).
    private func drain(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func writesLinesToARealPipeThroughDevFd() throws {
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        let file = try LogFile(path: "/dev/fd/\(writeEnd)")
        close(writeEnd)  // the log holds its own duplicate
        let logger = Logger.writing(to: file, label: "test", verbose: false)
        logger.info("hello")
        logger.debug("not at info level")
        logger.warning("careful", metadata: ["stage": "3"])
        let lines = drain(readEnd).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].wholeMatch(of: try Regex(Self.linePattern)) != nil, "\(lines[0])")
        #expect(lines[0].hasSuffix(" info test: hello"))
        #expect(lines[1].hasSuffix(" warning test: careful stage=3"))
        #expect(lines[2].isEmpty)
        #expect(!file.hasStopped)
    }

    @Test func devFdOfAFileAndVerboseLevel() throws {
        let path = temporaryPath("fd.log")
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        try #require(fd >= 0)
        let file = try LogFile(path: "/dev/fd/\(fd)")
        close(fd)
        Logger.writing(to: file, label: "fd", verbose: true).debug("through a descriptor")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix(" debug fd: through a descriptor\n"))
    }

    @Test func ourOwnStreamsAreDuplicatedNotOpened() throws {
        #expect(LogFile.ownDescriptor("/dev/stderr") == 2)
        #expect(LogFile.ownDescriptor("/dev/stdout") == 1)
        #expect(LogFile.ownDescriptor("/dev/fd/7") == 7)
        #expect(LogFile.ownDescriptor("/dev/fd/x") == nil)
        #expect(LogFile.ownDescriptor("/dev/fd/") == nil)
        #expect(LogFile.ownDescriptor("/tmp/log") == nil)
        _ = try LogFile(path: "/dev/stderr")
        // A descriptor that is not open cannot be logged to.
        #expect(throws: LogFileError.self) { try LogFile(path: "/dev/fd/987654") }
    }

    @Test func aFileIsCreatedPrivateAndAppendedTo() throws {
        let path = temporaryPath("swr-top.log")
        let first = try LogFile(path: path)
        Logger.writing(to: first, label: "one", verbose: false).info("first")
        var info = stat()
        try #require(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let second = try LogFile(path: path)
        Logger.writing(to: second, label: "two", verbose: false).error("second")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix(" info one: first") == true)
        #expect(lines.last?.hasSuffix(" error two: second") == true)
    }

    @Test func aSymlinkIsRefused() throws {
        let target = temporaryPath("target")
        try "untouched\n".write(toFile: target, atomically: false, encoding: .utf8)
        let link = target + ".link"
        try #require(symlink(target, link) == 0)
        #expect {
            _ = try LogFile(path: link)
        } throws: { error in
            (error as? LogFileError)?.description.contains("symbolic link") == true
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "untouched\n")
    }

    @Test func aMissingDirectoryIsAPlainError() throws {
        #expect {
            _ = try LogFile(path: "/nonexistent-swr-top-dir/log")
        } throws: { error in
            (error as? LogFileError)?.description.hasPrefix("cannot write the log file /nonexistent-swr-top-dir/log: ") == true
        }
    }

    @Test func aClosedReaderStopsLoggingWithOneNotice() throws {
        let (readEnd, writeEnd) = try makePipe()
        let notices = Notices()
        let file = try LogFile(path: "/dev/fd/\(writeEnd)", onFailure: notices.record)
        close(writeEnd)
        close(readEnd)
        let logger = Logger.writing(to: file, label: "test", verbose: false)
        for index in 0..<5 { logger.info("line \(index)") }
        #expect(file.hasStopped)
        #expect(notices.all.count == 1, "\(notices.all)")
        #expect(notices.all.first?.contains("nothing reads the pipe") == true, "\(notices.all)")
        #expect(file.failure == notices.all.first)
        // Still off, still quiet.
        file.write("more\n")
        #expect(notices.all.count == 1)
    }

    @Test func aForgedLineStaysOneLine() throws {
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        let file = try LogFile(path: "/dev/fd/\(writeEnd)")
        close(writeEnd)
        let logger = Logger.writing(to: file, label: "test", verbose: false)
        logger.info("job done\n2026-01-01 error forged", metadata: ["name": "evil\n2026-01-01 critical x: \u{1b}[31mred\u{202e}"])
        let text = drain(readEnd)
        #expect(text.filter { $0 == "\n" }.count == 1, "\(text)")
        #expect(text.contains(#"job done\n2026-01-01 error forged"#))
        #expect(text.contains(#"name=evil\n2026-01-01 critical x: \x1b[31mred\u{202e}"#))
        #expect(!text.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\u{202e}" })
    }

    @Test func timestampIsISO8601UTC() {
        let line = FileLogHandler.line(time: Date(timeIntervalSince1970: 1_767_225_600.25), level: .notice, label: "l",
                                       message: "m", metadata: [:])
        #expect(line == "2026-01-01T00:00:00.250Z notice l: m\n")
    }
}
