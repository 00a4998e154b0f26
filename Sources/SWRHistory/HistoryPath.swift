/// Where the history file lives: a pure function of the flag, the config and the environment.
///
/// Order: `--history PATH`, else the config's `history.path`, else
/// `$XDG_STATE_HOME/swr-top/history.sqlite` (when that variable is an absolute path, as the XDG
/// spec requires), else `~/.local/state/swr-top/history.sqlite`. A leading `~/` in the flag or
/// the config means `home`.
///
/// `--demo` keeps its own file so a demo never mixes with real history: `demo-history.sqlite`
/// in the folder the real file would be in. A `--history PATH` flag is taken as given, demo or
/// not (the person asked for that file).
public enum HistoryPath {
    /// The file name of the real history.
    public static let fileName = "history.sqlite"
    /// The file name of the demo's history, next to the real one.
    public static let demoFileName = "demo-history.sqlite"

    /// The history file's path.
    /// - Parameters:
    ///   - flag: `--history PATH`, if given.
    ///   - config: `history.path` from the config file, if given.
    ///   - environment: the process environment (only `XDG_STATE_HOME` is read).
    ///   - home: the user's home folder.
    ///   - demo: true for `--demo`.
    public static func resolve(flag: String?, config: String?, environment: [String: String], home: String, demo: Bool = false) -> String {
        if let flag = nonEmpty(flag) { return expandingTilde(flag, home: home) }
        let real: String
        if let config = nonEmpty(config) {
            real = expandingTilde(config, home: home)
        } else if let state = nonEmpty(environment["XDG_STATE_HOME"]), state.hasPrefix("/") {
            real = join(state, "swr-top", fileName)
        } else {
            real = join(home, ".local", "state", "swr-top", fileName)
        }
        return demo ? join(folder(of: real), demoFileName) : real
    }

    /// The folder part of `path` (`.` for a bare file name, `/` for a file at the root).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = path[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    static func expandingTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return join(home, String(path.dropFirst(2))) }
        return path
    }

    static func join(_ parts: String...) -> String {
        var out = ""
        for part in parts where !part.isEmpty {
            if out.isEmpty || out.hasSuffix("/") {
                out += part
            } else {
                out += "/" + (part.hasPrefix("/") ? String(part.dropFirst()) : part)
            }
        }
        return out
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
