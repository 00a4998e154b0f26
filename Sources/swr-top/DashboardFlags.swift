import ArgumentParser
import SWRAPI

/// What to watch: the everyday flags, listed first in `--help`.
struct WatchedFlags: ParsableArguments {
    @Option(help: "The config file (default: $SWR_TOP_CONFIG, then $XDG_CONFIG_HOME/swr-top/config.json).")
    var config: String?

    @Flag(help: "Watch a built-in simulated SWR service (no cloud account needed).")
    var demo = false

    @Option(name: .customLong("pipeline"), parsing: .unconditionalSingleValue, help: "Watch this pipeline id (repeatable); overrides the config's list.")
    var pipelines: [Int] = []

    @Option(help: "The SWR API endpoint; overrides the config.")
    var endpoint: String?

    // Numbers are read unconditionally, so `--interval -1` is a value to reject, not a missing one.
    @Option(parsing: .unconditional, help: "Base poll interval of the focused stage, in seconds (0.5 to 3600).")
    var interval: Double?

    @Option(name: .customLong("max-requests-per-minute"), parsing: .unconditional,
            help: "The request budget: at most this many requests to the service in any minute (10 to 100000; default 300).")
    var maxRequestsPerMinute: Int?
}

/// The modes without a screen, for scripts and CI.
struct ScriptFlags: ParsableArguments {
    @Flag(help: "Poll every stage once, print a snapshot and exit.")
    var once = false

    @Flag(help: "No screen: print the starting state, then one line per change.")
    var watch = false

    @Flag(help: "With --once or --watch: JSON (one object; JSON Lines when watching).")
    var json = false

    @Option(parsing: .unconditional, help: "Only this stage index, 0 to 4096 (with --watch or --once).")
    var stage: Int?

    @Flag(name: .customLong("exit-status"), help: "With --watch: exit when every watched stage's newest job has finished; 0 all succeeded, 1 failed, 4 timeout, 5 cancelled, 3 could not watch.")
    var exitStatus = false

    @Option(name: .customLong("timeout-total"), parsing: .unconditional, help: "With --watch: give up after this many seconds (exit 124; at most 31536000).")
    var timeoutTotal: Double?

    @Flag(help: "With --watch: also print new log lines of the watched jobs.")
    var logs = false
}

/// The screen's manners, the log file and the history file.
struct ScreenFlags: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (its own text selection); also config \"mouse\": false.")
    var noMouse = false

    @Flag(help: "Ring the bell when the focused pipeline's run ends.")
    var bell = false

    @Flag(help: "Also send a desktop notification (OSC 9 and OSC 777) when the focused pipeline's run ends.")
    var notify = false

    @Option(help: "Append a log to this file.")
    var log: String?

    @Flag(help: "More detail in the log.")
    var verbose = false

    @Option(help: "The history file (default: the config's history.path, else $XDG_STATE_HOME/swr-top/history.sqlite).")
    var history: String?

    @Flag(name: .customLong("no-history"), help: "Keep no history this time (nothing read, nothing written).")
    var noHistory = false
}
