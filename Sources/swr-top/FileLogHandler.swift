import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends lines to a file (a TUI never logs to its own screen).
struct FileLogHandler: LogHandler {
    private let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    final class Sink: Sendable {
        private let handle: Mutex<FileHandle>

        init(path: String) throws {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteNoPermission)
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.seekToEndOfFile()
            self.handle = Mutex(handle)
        }

        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let time = ISO8601DateFormatter().string(from: Date())
        sink.write("\(time) \(event.level) \(label): \(event.message)\n")
    }
}

/// The logger for `--log PATH` (debug level with `--verbose`), or one that drops everything.
func makeLogger(path: String?, verbose: Bool) throws -> Logger {
    guard let path else { return Logger(label: "swr-top", factory: { _ in SwiftLogNoOpLogHandler() }) }
    let sink = try FileLogHandler.Sink(path: path)
    return Logger(label: "swr-top", factory: { label in FileLogHandler(label: label, sink: sink, level: verbose ? .debug : .info) })
}
