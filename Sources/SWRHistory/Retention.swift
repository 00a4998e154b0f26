import Foundation
import GRDB

/// Removing old rows: whatever was last seen before the cut-off (`keep_days`), and a stage's
/// jobs beyond its newest `maxJobsPerStage`. Timelines and run stages go with their rows
/// (foreign keys `ON DELETE CASCADE`). A job seen again after it was removed is simply new.
///
/// `job.last_seen` has no index (so the idle refresh of `last_seen` touches one page, not two):
/// the clean-up scans the table, at start and at most once an hour, on the writer's queue.
enum Retention {
    static func prune(_ db: Database, before cutoff: Date, maxJobsPerStage: Int) throws {
        let cut = cutoff.timeIntervalSince1970
        try db.execute(sql: "DELETE FROM job WHERE last_seen < ?", arguments: [cut])
        try db.execute(sql: "DELETE FROM pipeline_run WHERE last_seen < ?", arguments: [cut])
        // Stages over the cap: few, found by counting on the (endpoint, pipeline, stage) index.
        let crowded = try Row.fetchAll(db, sql: """
            SELECT endpoint, pipeline, stage FROM job GROUP BY endpoint, pipeline, stage HAVING count(*) > ?
            """, arguments: [maxJobsPerStage])
        for stage in crowded {
            try db.execute(sql: """
                DELETE FROM job WHERE id IN (
                    SELECT id FROM job WHERE endpoint = ?1 AND pipeline = ?2 AND stage = ?3
                    ORDER BY coalesce(created_at, first_seen) DESC LIMIT -1 OFFSET ?4)
                """, arguments: [stage["endpoint"] as Int64, stage["pipeline"] as Int, stage["stage"] as Int, maxJobsPerStage])
        }
    }
}
