import Foundation

/// A job's log from the logs endpoint: the job, plus its log lines decoded from the nested
/// JSON strings the service puts in each `content`.
public struct JobLog: Sendable, Hashable {
    /// One decoded log line: a phase heading or a content line.
    public struct Line: Sendable, Hashable {
        /// `raw`: a `content` that could not be decoded, shown as sent; `note`: a line swr-top
        /// adds itself (lines the service dropped before they could be read, for example).
        public enum Kind: Sendable, Hashable { case phase, content, raw, note }
        public var kind: Kind
        public var message: String
        public var time: Date?
        public var state: String?
        public var progress: Int?

        public init(kind: Kind, message: String, time: Date? = nil, state: String? = nil, progress: Int? = nil) {
            self.kind = kind
            self.message = message
            self.time = time
            self.state = state
            self.progress = progress
        }
    }

    public var job: Job?
    public var lines: [Line]
    /// How many `content` strings could not be decoded and are shown raw.
    public var undecodedEntries: Int

    public init(job: Job?, lines: [Line], undecodedEntries: Int = 0) {
        self.job = job
        self.lines = lines
        self.undecodedEntries = undecodedEntries
    }

    /// Decodes the logs reply; a `content` that is not a JSON array is kept as one raw line.
    public static func decode(_ body: [UInt8]) throws(SWRError) -> JobLog {
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch {
            throw .decoding("the job log is not valid JSON: \(error.description)")
        }
        guard let object = value.objectValue else {
            throw .decoding("expected a job log object, got \(value.kindName)")
        }
        let job = Job(json: object, fallbackID: "?")
        var lines: [Line] = []
        var undecoded = 0
        for entry in object["log"]?.arrayValue ?? [] {
            guard let content = entry["content"]?.lenientString else { continue }
            guard let parsed = try? JSONParser.parse(content), let items = parsed.arrayValue else {
                undecoded += 1
                lines.append(Line(kind: .raw, message: ServerLimits.text(content, max: ServerLimits.maxLogMessageLength), time: entry["created_at"]?.nonEmptyString.flatMap(ISO8601.parse)))
                continue
            }
            for item in items {
                guard let item = item.objectValue else { continue }
                let type = item["Type"]?.lenientString?.lowercased()
                lines.append(Line(
                    kind: type == "phase" ? .phase : .content,
                    message: ServerLimits.text(item["Message"]?.lenientString ?? "", max: ServerLimits.maxLogMessageLength),
                    time: item["Time"]?.nonEmptyString.flatMap(ISO8601.parse),
                    state: item["State"]?.nonEmptyString.map { ServerLimits.text($0, max: ServerLimits.maxStateLength) },
                    progress: ServerLimits.progress(item["Progress"]?.lenientInt)
                ))
            }
        }
        return JobLog(job: object["id"] == nil ? nil : job, lines: lines, undecodedEntries: undecoded)
    }
}
