/// Longer help text, kept out of the command declarations. It reaches `--help` and the man pages
/// (`make release` generates them from the commands with swift-argument-parser's `generate-manual`).
///
/// Written for both: ASCII only (the man page generator drops other characters); no line starting
/// with `.` or `'` (roff would read it as a macro); every line of a table indented (roff fills
/// unindented lines into one paragraph but keeps a line that starts with blanks on its own) and at
/// most 68 characters long (man indents the text, and wraps longer lines at 80 columns).
enum HelpText {
    /// The top-level `--help`: the everyday flags first, then where the rest is.
    static let topDiscussion = """
        Try it:  swr-top --demo                  the dashboard, simulated
                 swr-top                         your pipelines (config)
                 swr-top --once --json           a snapshot for scripts
                 swr-top --watch --exit-status   follow a run in CI
                 swr-top sim --port 8080         the simulated service
        Everyday flags (the dashboard is the default command):
          --config PATH     the config file (see 'swr-top help dashboard')
          --demo            no cloud account needed: a simulated service
          --pipeline ID     only this pipeline (repeatable)
          --once            print a snapshot and exit
          --watch           print the starting state, then each change
          --json            with --once or --watch: JSON / JSON Lines
          --exit-status     with --watch: exit when the run ends, with its
                            outcome (0 success, 1 failed, 4 timeout,
                            5 cancelled)
        Keys in the dashboard: ? shows them all; q quits.
        Exit codes: 0 ok, 1 a watched run failed, 2 usage or config
        error, 3 the service could not be read, 4 a watched run timed
        out, 5 a watched run was cancelled, 124 --timeout-total reached.
        Every flag: swr-top help dashboard (the simulator's last).
        """

    /// The dashboard command's `discussion`: where the config file is and every key it takes.
    /// The same keys as README.md's "Configuration" table and `config.example.json`.
    static let dashboardDiscussion = """
        Configuration: a JSON file, from --config PATH, else $SWR_TOP_CONFIG, else
        $XDG_CONFIG_HOME/swr-top/config.json (~/.config/swr-top/config.json).
        Flags override it. A bad config stops swr-top before any screen is drawn, with
        exit code 2. The token is read from $SWR_TOKEN unless auth says otherwise;
        NO_COLOR turns colour off. The keys (the README's "Configuration
        reference" has them all; an example is in share/doc/swr-top/):
          endpoint          SWR API URL: https:// (or http:// to a
                            loopback host only)
          region            instead of endpoint: the URL is
                            https://swr-api.{region}.myhuaweicloud.com
          auth              {"token_env": "SWR_TOKEN"} (the default),
                            {"token_file": "path"}, or {"iam": {"endpoint"
                            or "region", "domain", "user", "password_env",
                            "project"}}
          interval_seconds  poll interval of the focused stage (default 3)
          timeout_seconds   per-request timeout in seconds (default 10)
          max_requests_per_minute
                            the request budget: at most this many
                            requests in any minute (default 300; 10 to
                            100000); 429 answers lower it for a while
          pipelines         [{"id": 1024, "name": "...", "stages":
                            [{"index": 0, "name": "build"}]}]; "stages": 3
                            means 0, 1, 2; a missing name or stages is
                            looked up
          discover          without pipelines, every pipeline of the
                            account is watched; {"name": "...", "group":
                            "..."} narrows the list
          history           {"path": "...", "keep_days": 90} where the
                            local history of jobs is kept; false: none
        """
}
