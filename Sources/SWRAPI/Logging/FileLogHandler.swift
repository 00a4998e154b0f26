import Foundation
import Logging

/// A swift-log handler that appends one line per event to a `LogFile` (a TUI never logs to its
/// own screen): `2026-01-01T12:34:56.789Z info swr-top: message key=value`. The message,
/// metadata keys and values are escaped with `SafeText.escaped`, so text from a server can
/// neither forge a line nor hide a terminal escape in one.
public struct FileLogHandler: LogHandler {
    private let file: LogFile
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    public let label: String

    public init(label: String, file: LogFile, level: Logger.Level = .info) {
        self.label = label
        self.file = file
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard !file.hasStopped else { return }
        file.write(Self.line(time: Date(), level: event.level, label: label, message: event.message.description,
                             metadata: mergedMetadata(event.metadata)))
    }

    private func mergedMetadata(_ event: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let event { merged.merge(event) { _, new in new } }
        return merged
    }

    /// One log line, newline included; every piece that may carry outside text is escaped.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = ISO8601.format(time)
        line += " \(level) \(SafeText.escaped(label)): \(SafeText.escaped(message))"
        for key in metadata.keys.sorted() {
            line += " \(SafeText.escaped(key))=\(SafeText.escaped(metadata[key]?.description ?? ""))"
        }
        line += "\n"
        return line
    }
}

extension Logger {
    /// A logger for `--log PATH` (debug level when `verbose`) that writes to `file`.
    public static func writing(to file: LogFile, label: String = "swr-top", verbose: Bool) -> Logger {
        Logger(label: label, factory: { label in FileLogHandler(label: label, file: file, level: verbose ? .debug : .info) })
    }
}
