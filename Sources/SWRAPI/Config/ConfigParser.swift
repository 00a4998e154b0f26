import Foundation

/// Reads `config.json` strictly: unknown keys, wrong types and bad values are errors that name
/// the file and the key, so a typo never silently watches the wrong thing.
public enum ConfigParser {
    /// Where the config is read from: `--config`, else `$SWR_TOP_CONFIG`, else
    /// `$XDG_CONFIG_HOME/swr-top/config.json`, else `~/.config/swr-top/config.json`.
    public static func locate(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let path = environment["SWR_TOP_CONFIG"], !path.isEmpty { return path }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/swr-top/config.json" }
        return (environment["HOME"] ?? "~") + "/.config/swr-top/config.json"
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ConfigError(file: path, message: exists ? "cannot be read (check its permissions)" : "no such file; copy config.example.json there, pass --config PATH, or try --demo")
        }
        return try parse(Array(data), file: path)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> Config {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw ConfigError(file: file, message: "invalid JSON: \(error.description)")
        }
        guard let object = root.objectValue else {
            throw ConfigError(file: file, message: "expected a JSON object at the top, got \(root.kindName)")
        }
        let reader = ObjectReader(object: object, path: "", file: file)
        try reader.allowOnly(["endpoint", "region", "auth", "interval_seconds", "timeout_seconds", "max_requests_per_minute", "pipelines", "discover", "history", "mouse", "$comment"])

        let endpoint: String
        if let e = try reader.string("endpoint") {
            endpoint = e.hasSuffix("/") ? String(e.dropLast()) : e
        } else if let region = try reader.string("region") {
            try validateRegion(region, key: "region", file: file)
            endpoint = Config.endpoint(region: region)
        } else {
            throw ConfigError(file: file, key: "endpoint", message: "missing: give 'endpoint' (a URL) or 'region' (e.g. cn-north-4)")
        }
        try validateURL(endpoint, key: "endpoint", file: file)

        var config = Config(endpoint: endpoint)
        if let auth = try reader.object("auth") {
            config.auth = try parseAuth(auth, file: file, region: try reader.string("region"))
        }
        if let interval = try reader.number("interval_seconds") {
            guard interval >= 0.5, interval <= 3600 else {
                throw ConfigError(file: file, key: "interval_seconds", message: "must be between 0.5 and 3600 seconds")
            }
            config.intervalSeconds = interval
        }
        if let timeout = try reader.number("timeout_seconds") {
            guard timeout >= 0.1, timeout <= 600 else {
                throw ConfigError(file: file, key: "timeout_seconds", message: "must be between 0.1 and 600 seconds")
            }
            config.timeoutSeconds = timeout
        }
        if let budget = try reader.number("max_requests_per_minute") {
            let range = Config.maxRequestsPerMinuteRange
            guard budget.rounded() == budget, budget >= Double(range.lowerBound), budget <= Double(range.upperBound) else {
                throw ConfigError(file: file, key: "max_requests_per_minute",
                                  message: "must be a whole number of requests between \(range.lowerBound) and \(range.upperBound)")
            }
            config.maxRequestsPerMinute = Int(budget)
        }
        if let pipelines = try reader.array("pipelines") {
            guard !pipelines.isEmpty else {
                throw ConfigError(file: file, key: "pipelines", message: "is empty; list pipelines, or remove the key to discover them")
            }
            config.pipelines = try pipelines.enumerated().map { index, value throws(ConfigError) in
                try parsePipeline(value, key: "pipelines[\(index)]", file: file)
            }
        }
        if let discover = try reader.object("discover") {
            let d = ObjectReader(object: discover, path: "discover", file: file)
            try d.allowOnly(["name", "group"])
            config.discover = PipelineFilter(name: try d.string("name"), group: try d.string("group"))
        }
        config.history = try parseHistory(reader, file: file)
        config.mouse = try reader.bool("mouse")
        return config
    }

    /// `"history": {"path": "...", "keep_days": 90}`, or `"history": false` to keep none.
    static func parseHistory(_ reader: ObjectReader, file: String) throws(ConfigError) -> HistoryConfig? {
        guard let value = reader.object["history"] else { return nil }
        if case .bool(let enabled) = value { return HistoryConfig(enabled: enabled) }
        guard let history = try reader.object("history") else { return nil }
        let h = ObjectReader(object: history, path: "history", file: file)
        try h.allowOnly(["path", "keep_days"])
        var config = HistoryConfig()
        if let path = try h.string("path") {
            guard !path.isEmpty, !path.contains("\0") else { throw ConfigError(file: file, key: "history.path", message: "must be a file path") }
            config.path = path
        }
        if let days = try h.number("keep_days") {
            guard days.isFinite, days >= 1, days <= 3650, days == days.rounded() else {
                throw ConfigError(file: file, key: "history.keep_days", message: "must be a whole number of days from 1 to 3650")
            }
            config.keepDays = Int(days)
        }
        return config
    }

    static func parseAuth(_ object: JSONObject, file: String, region: String?) throws(ConfigError) -> AuthConfig {
        let reader = ObjectReader(object: object, path: "auth", file: file)
        try reader.allowOnly(["token_env", "token_file", "iam"])
        let given = object.keys
        guard given.count == 1 else {
            throw ConfigError(file: file, key: "auth", message: "give exactly one of token_env, token_file or iam")
        }
        if let name = try reader.string("token_env") { return .tokenEnv(name) }
        if let path = try reader.string("token_file") { return .tokenFile(path) }
        guard let iam = try reader.object("iam") else {
            throw ConfigError(file: file, key: "auth", message: "give exactly one of token_env, token_file or iam")
        }
        let r = ObjectReader(object: iam, path: "auth.iam", file: file)
        try r.allowOnly(["endpoint", "region", "domain", "user", "password_env", "project"])
        let iamRegion = try r.string("region") ?? region
        if let iamRegion { try validateRegion(iamRegion, key: "auth.iam.region", file: file) }
        guard let endpoint = try r.string("endpoint") ?? iamRegion.map(Config.iamEndpoint(region:)) else {
            throw ConfigError(file: file, key: "auth.iam.endpoint", message: "missing: give 'endpoint' or 'region'")
        }
        try validateURL(endpoint, key: "auth.iam.endpoint", file: file)
        return .iam(IAMConfig(
            endpoint: endpoint,
            domain: try r.requiredString("domain"),
            user: try r.requiredString("user"),
            passwordEnv: try r.string("password_env") ?? "SWR_PASSWORD",
            project: try r.string("project") ?? iamRegion ?? ""
        ))
    }

    static func parsePipeline(_ value: JSONValue, key: String, file: String) throws(ConfigError) -> PipelineConfig {
        guard let object = value.objectValue else {
            throw ConfigError(file: file, key: key, message: "expected an object like {\"id\": 1024}, got \(value.kindName)")
        }
        let reader = ObjectReader(object: object, path: key, file: file)
        try reader.allowOnly(["id", "name", "stages"])
        guard case .int(let id)? = object["id"], id > 0 else {
            throw ConfigError(file: file, key: key + ".id", message: "must be a positive integer (the pipeline id)")
        }
        var pipeline = PipelineConfig(id: id, name: try reader.string("name"))
        switch object["stages"] {
        case nil, .null?: break
        case .int(let count)?:
            guard count > 0, count <= 64 else {
                throw ConfigError(file: file, key: key + ".stages", message: "a stage count must be between 1 and 64")
            }
            pipeline.stages = (0..<count).map { StageConfig(index: $0) }
        case .array(let stages)?:
            guard !stages.isEmpty else {
                throw ConfigError(file: file, key: key + ".stages", message: "is empty; list stages or remove the key")
            }
            pipeline.stages = try stages.enumerated().map { i, stage throws(ConfigError) in
                let stageKey = "\(key).stages[\(i)]"
                guard let o = stage.objectValue else {
                    throw ConfigError(file: file, key: stageKey, message: "expected an object like {\"index\": 0, \"name\": \"build\"}")
                }
                let s = ObjectReader(object: o, path: stageKey, file: file)
                try s.allowOnly(["index", "name"])
                guard case .int(let index)? = o["index"], index >= 0 else {
                    throw ConfigError(file: file, key: stageKey + ".index", message: "must be a whole number from 0 (stage indexes are 0-based)")
                }
                return StageConfig(index: index, name: try s.string("name"))
            }
        case let other?:
            throw ConfigError(file: file, key: key + ".stages", message: "expected a count or an array of stages, got \(other.kindName)")
        }
        return pipeline
    }

    /// A region is a word like `cn-north-4`: it becomes part of a host name, so nothing else passes.
    static func validateRegion(_ region: String, key: String, file: String) throws(ConfigError) {
        let allowed = region.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard allowed, region.utf8.count <= 40 else {
            throw ConfigError(file: file, key: key, message: "must be a region name like cn-north-4 (lower-case letters, digits and '-')")
        }
    }

    /// Applies `EndpointRule` to a URL of the file.
    static func validateURL(_ url: String, key: String, file: String) throws(ConfigError) {
        if let problem = EndpointRule.problem(with: url) {
            throw ConfigError(file: file, key: key, message: problem)
        }
    }

    /// Checks an endpoint given outside the file (a flag), with the same rules.
    public static func validateEndpoint(_ url: String, file: String) throws(ConfigError) {
        try validateURL(url, key: "endpoint", file: file)
    }

    /// The host part of a URL ("http://[::1]:8080/x" → "::1").
    public static func hostOf(_ url: String) -> String {
        EndpointRule.host(of: url)
    }
}

/// Reads typed members of one config object, naming `path.key` in errors.
struct ObjectReader {
    let object: JSONObject
    let path: String
    let file: String

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func allowOnly(_ allowed: Set<String>) throws(ConfigError) {
        for name in object.keys where !allowed.contains(name) {
            let known = allowed.filter { $0 != "$comment" }.sorted().joined(separator: ", ")
            throw ConfigError(file: file, key: key(name), message: "unknown key (known here: \(known))")
        }
    }

    func string(_ name: String) throws(ConfigError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let s)?:
            guard !s.isEmpty else { throw ConfigError(file: file, key: key(name), message: "is empty") }
            return s
        case let other?: throw ConfigError(file: file, key: key(name), message: "expected a string, got \(other.kindName)")
        }
    }

    func requiredString(_ name: String) throws(ConfigError) -> String {
        guard let value = try string(name) else { throw ConfigError(file: file, key: key(name), message: "missing") }
        return value
    }

    func bool(_ name: String) throws(ConfigError) -> Bool? {
        switch object[name] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw ConfigError(file: file, key: key(name), message: "expected true or false, got \(other.kindName)")
        }
    }

    func number(_ name: String) throws(ConfigError) -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        case let other?: throw ConfigError(file: file, key: key(name), message: "expected a number, got \(other.kindName)")
        }
    }

    func object(_ name: String) throws(ConfigError) -> JSONObject? {
        switch object[name] {
        case nil, .null?: return nil
        case .object(let o)?: return o
        case let other?: throw ConfigError(file: file, key: key(name), message: "expected an object, got \(other.kindName)")
        }
    }

    func array(_ name: String) throws(ConfigError) -> [JSONValue]? {
        switch object[name] {
        case nil, .null?: return nil
        case .array(let a)?: return a
        case let other?: throw ConfigError(file: file, key: key(name), message: "expected an array, got \(other.kindName)")
        }
    }
}
