/// Longer help text of the command line, kept out of the command declarations (in the library, so
/// the executable stays flags and calls). It reaches `--help` and the man pages
/// (`make release` generates them from the commands with swift-argument-parser's `generate-manual`).
///
/// Written for both: ASCII only (the man page generator drops other characters); no line starting
/// with `.` or `'` (roff would read it as a macro); every line of a table indented (roff fills
/// unindented lines into one paragraph but keeps a line that starts with blanks on its own) and at
/// most 68 characters long (man indents the text, and wraps longer lines at 80 columns). An empty
/// line separates paragraphs (`scripts/man-fixups.sh` makes it `.Pp` in the man page).
public enum HelpText {
    /// The top-level `--help`: the everyday flags first, then where the rest is.
    public static let topDiscussion = """
        Try it:  swr-top --demo                  the dashboard, simulated
                 swr-top                         your pipelines (config)
                 swr-top --once --json           a snapshot for scripts
                 swr-top --watch --exit-status   follow a run in CI
                 swr-top history --since 7d      the jobs kept locally
                 swr-top sim --port 8080         the simulated service
                 swr-top export                  metrics for Prometheus

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

        Every flag: swr-top help dashboard (the simulator's last);
        the exporter's: swr-top help export.
        """

    /// The export command's `discussion`: what it polls, serves and guards (README "For a team:
    /// swr-top export" says the same at length, with every metric).
    public static let exportDiscussion = """
        Polls like the dashboard without a focus: every stage at the base
        interval while its newest job runs, four times slower once it has
        settled, each pipeline's run status once a minute; says at start
        how many requests a minute that makes. One exporter serves a whole
        team: N people each running the dashboard make N times the
        requests.

        Endpoints (GET or HEAD):
          /metrics      Prometheus text format (swift-prometheus)
          /healthz      200 while every stage's data is fresh (a poll
                        succeeded within 3 intervals), else 503 naming
                        the stale stages
          /readyz       200 once every stage has been polled
          /api/state    the document of --once --json

        Security: binds 127.0.0.1:9464 unless --listen says otherwise; a
        --listen that is not loopback prints who can read it.
        --metrics-token-env NAME requires 'Authorization: Bearer TOKEN'
        on every request, TOKEN read from $NAME. Neither that token nor
        the SWR token appears in a scrape, a message or a log.

        Metrics (labels: pipeline, pipeline_id, stage, stage_index, and
        state, status, kind, outcome from fixed word lists; never a job
        id or free text):
          swr_stage_newest_job_state, swr_stage_newest_job_progress_ratio,
          swr_stage_newest_job_duration_seconds,
          swr_stage_newest_job_created_timestamp_seconds,
          swr_stage_jobs_finished_total (each job once),
          swr_stage_job_duration_seconds (histogram),
          swr_stage_last_success_timestamp_seconds, swr_stage_up,
          swr_pipeline_run_status, swr_api_requests_total,
          swr_api_request_duration_seconds (histogram), swr_build_info.

        Examples in the source tree: examples/prometheus (prometheus.yml,
        alerts.yml) and examples/grafana (a dashboard).
        """

    /// `swr-top history`'s `discussion`: what it prints, from where.
    public static let historyDiscussion = """
        Reads the local history file (every job swr-top has seen, across
        sessions) and prints it without asking the service anything.
        Filters: --pipeline ID, --stage N, --since 7d (s, m, h, d, w),
        --endpoint URL. Forms:
          (default)   per stage: its success rate, p50 and p90 duration
                      and a FLAKY mark, then its jobs, newest first
          --json      {"generated_at", "since", "stages": [{"endpoint",
                      "pipeline_id", "stage_index", "summary", "jobs"}]}
          --csv       a header, then one line per job; cells a
                      spreadsheet would run as formulas start with '
        The file: --history PATH, else the config's history.path, else
        $XDG_STATE_HOME/swr-top/history.sqlite; --demo reads the demo's.
        "history": false in the config: nothing is kept, so nothing is
        printed (exit 2) unless --history PATH names a file.
        Text from the service is cleaned of control characters first.
        """

    /// The dashboard command's `discussion`: where the config file is and every key it takes.
    /// The same keys as README.md's "Configuration" table and `config.example.json`.
    public static let dashboardDiscussion = """
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
          mouse             false leaves the mouse to the terminal (its
                            own selection), as --no-mouse does
        """
}
