#!/usr/bin/env python3
"""The history reads' SQL alone, timed in the sqlite3 module (same SQLite as the app links), on
copies of the benchmark fixtures (BENCHMARKS.md, "The history file"). No Swift: what the
statements cost in SQLite, before and after the v2 index and the new shapes of the counts.

    scripts/time-history-sql.py PANE_V1_FILE PANE_V2_FILE START_V1_FILE START_V2_FILE

PANE_*: copies of swr-top-bench-history-v1-100x10000-100r-100w-734s/history.sqlite (1M jobs),
START_*: of ...-500x200-100r-20w-60s-b/history.sqlite; a V2 copy is a copy opened once by
swr-top (or migrated by hand with HistorySchema.v2's SQL). Best of 7 (pane, 100 stages) and of
5 (start-up, 500 stages) warm runs, one read transaction each."""
import sqlite3, sys, time

T = "coalesce(created_at, first_seen)"
F = "endpoint = 1 AND pipeline = ? AND stage = ?"
OUT = "'Successful', 'Failed', 'Timeout', 'Cancelled'"
recent = f"SELECT job_id, state, raw_state, duration, created_at, first_seen FROM job WHERE {F} ORDER BY {T} DESC LIMIT 100"
rates_v1 = f"SELECT state, {T} AS at, count(*) AS n FROM job WHERE {F} AND {T} >= ? AND state IN ({OUT}) GROUP BY state, {T} >= ?, {T} >= ?"
counts = f"SELECT total(state = 'Successful'), total(state = 'Failed'), total(state = 'Timeout'), total(state = 'Cancelled') FROM job WHERE {F} AND {T} >= ?"
durations = f"SELECT duration FROM job WHERE {F} AND state = 'Successful' AND duration IS NOT NULL ORDER BY {T} DESC LIMIT 20"
decided = f"SELECT state FROM job WHERE {F} AND state IN ('Successful', 'Failed', 'Timeout') ORDER BY {T} DESC LIMIT 10"
known = f"SELECT id, job_id, first_seen, last_seen, state, raw_state, progress, duration, created_at, resource, creator FROM job WHERE {F} ORDER BY {T} DESC LIMIT 50"
timeline = "SELECT at, state, raw_state, progress, duration FROM observation WHERE job = ? ORDER BY at DESC, rowid DESC LIMIT 100"
usual = f"SELECT job_id, duration, {T} AS at FROM job WHERE {F} AND state = 'Successful' AND duration IS NOT NULL AND duration >= 0 ORDER BY {T} DESC LIMIT 20"
DAY, WEEK, MONTH = 86400, 7 * 86400, 30 * 86400


def pane(db, p, s, end, new):
    db.execute(recent, (p, s)).fetchall()
    if new:
        for w in (MONTH, WEEK, DAY):
            db.execute(counts, (p, s, end - w)).fetchall()
    else:
        db.execute(rates_v1, (p, s, end - MONTH, end - WEEK, end - DAY)).fetchall()
    db.execute(durations, (p, s)).fetchall()
    db.execute(decided, (p, s)).fetchall()


def start(db, stages, end, new):
    for p, s in stages:
        for row in db.execute(known, (p, s)).fetchall():
            if row[4] not in ("Successful", "Failed", "Timeout", "Cancelled"):
                db.execute(timeline, (row[0],)).fetchall()
    for p, s in stages:
        db.execute(usual, (p, s)).fetchall()
    for p, s in stages:
        if new:
            db.execute(counts, (p, s, end - WEEK)).fetchall()
        else:
            db.execute(rates_v1, (p, s, end - MONTH, end - WEEK, end - DAY)).fetchall()


def best(path, runs, body):
    db = sqlite3.connect(path)
    db.execute("BEGIN")
    body(db)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        body(db)
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def stages(n):
    return [(3000 + i // 5, i % 5) for i in range(n)]


pane_v1, pane_v2, start_v1, start_v2 = sys.argv[1:5]
pane_end = 1_700_000_000 + 10_000 * 734 + 1
start_end = 1_700_000_000 + 200 * 60 + 1
for path, new, label in [(pane_v1, False, "v1 index, v1 statements"), (pane_v2, True, "v2 index, v2 statements")]:
    ms = best(path, 7, lambda db: [pane(db, p, s, pane_end, new) for p, s in stages(100)])
    print(f"pane ({label}): {ms / 100:.2f} ms a stage")
for path, new, label in [(start_v1, False, "v1 index, v1 statements"), (start_v2, True, "v2 index, v2 statements")]:
    print(f"start-up 500 stages ({label}): {best(path, 5, lambda db: start(db, stages(500), start_end, new)):.0f} ms")
