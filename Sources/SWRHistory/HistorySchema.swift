import GRDB

/// The file's tables, built by GRDB's `DatabaseMigrator`. A migration, once released, never
/// changes: a later schema is a new named migration appended here.
///
/// Times are seconds since 1970 (`REAL`: a `Date` round-trips exactly). Rows are keyed by
/// (endpoint host, pipeline id, stage index, job id); the host is stored once in `endpoint`.
///
/// - `endpoint(id, host)`: one row per SWR host (lower case, no port, no user info).
/// - `job`: the latest known values of each job, with `first_seen` and `last_seen`.
/// - `observation`: a job's timeline, one row per change of state, progress or duration
///   (`raw_state` only when the state word was not recognised).
/// - `pipeline_run` and `pipeline_run_stage`: a pipeline's runs from the detail call, keyed by
///   their start time, one row per run updated as it goes, with each stage's status.
enum HistorySchema {
    /// The migrations, in order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        return migrator
    }()

    /// The first schema.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE endpoint (
                id INTEGER PRIMARY KEY,
                host TEXT NOT NULL UNIQUE
            );
            CREATE TABLE job (
                id INTEGER PRIMARY KEY,
                endpoint INTEGER NOT NULL REFERENCES endpoint(id) ON DELETE CASCADE,
                pipeline INTEGER NOT NULL,
                stage INTEGER NOT NULL,
                job_id TEXT NOT NULL,
                first_seen REAL NOT NULL,
                last_seen REAL NOT NULL,
                state TEXT NOT NULL,
                raw_state TEXT NOT NULL,
                progress INTEGER,
                duration INTEGER,
                created_at REAL,
                resource TEXT,
                creator TEXT,
                UNIQUE (endpoint, pipeline, stage, job_id)
            );
            CREATE INDEX job_by_stage_time ON job (endpoint, pipeline, stage, coalesce(created_at, first_seen));
            CREATE TABLE observation (
                job INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
                at REAL NOT NULL,
                state TEXT NOT NULL,
                raw_state TEXT,
                progress INTEGER,
                duration INTEGER
            );
            CREATE INDEX observation_by_job ON observation (job, at);
            CREATE TABLE pipeline_run (
                id INTEGER PRIMARY KEY,
                endpoint INTEGER NOT NULL REFERENCES endpoint(id) ON DELETE CASCADE,
                pipeline INTEGER NOT NULL,
                started_at REAL NOT NULL,
                ended_at REAL,
                status TEXT NOT NULL,
                stage_index INTEGER,
                first_seen REAL NOT NULL,
                last_seen REAL NOT NULL,
                UNIQUE (endpoint, pipeline, started_at)
            );
            CREATE TABLE pipeline_run_stage (
                run INTEGER NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,
                stage INTEGER NOT NULL,
                status TEXT NOT NULL,
                started_at REAL,
                ended_at REAL,
                PRIMARY KEY (run, stage)
            ) WITHOUT ROWID;
            """)
    }

    /// The stage index becomes covering for the pane's counts: `job_by_stage_time` is replaced
    /// by `job_by_stage_outcome`, the same leading columns (so every read that walked the old one
    /// walks this one) followed by `state`, `duration` and the time's two columns. The success
    /// rates, "usual" and flakiness then read the index alone, never the table. (SQLite counts an
    /// expression index as covering only when it also holds the expression's columns.)
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX job_by_stage_outcome ON job (endpoint, pipeline, stage, coalesce(created_at, first_seen),
                                                      state, duration, created_at, first_seen);
            DROP INDEX job_by_stage_time;
            """)
    }
}
