#!/usr/bin/env bash
# The history file's own writes while the dashboard runs (issue 15): `swr-top --demo` in tmux
# with a history file of its own, watched for SECONDS (default 600) after a 20 s warm-up (the
# start-up writes every job once). With strace attached to the process it records every
# pwrite64 to the file and its -wal, and counts the WAL frames written (a 4 KiB page each) and
# the commits among them (a frame whose header holds the database size after it: one per
# transaction; SQLite in WAL mode with synchronous=NORMAL, GRDB's default, does not fsync at
# commit, so syncs do not count transactions); and from /proc/PID/io the bytes the whole process
# sent to storage (write_bytes). Runs the frozen world (--speed 0.0001: nothing changes on
# screen but the clock, the idle case of BENCHMARKS.md) and the real-time demo (5 pipelines
# whose runs move) side by side.
#   scripts/measure-history-writes.sh [SECONDS] [BINARY]
set -euo pipefail
seconds=${1:-600}
binary=${2:-.build/debug/swr-top}
[ -x "$binary" ] || { echo "build first: swift build --product swr-top" >&2; exit 2; }
command -v strace > /dev/null || { echo "needs strace" >&2; exit 2; }

measure() {
    local label=$1; shift
    local socket="swrtop-hist-$BASHPID"
    local folder trace
    folder=$(mktemp -d)
    trace="$folder/strace.txt"
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s hist "exec $binary --history $folder/history.sqlite $*"
    sleep 20
    local pid
    pid=$(tmux -L "$socket" display-message -p -t hist '#{pane_pid}')
    grep -q swr-top "/proc/$pid/cmdline" || { echo "pane process is not swr-top" >&2; exit 1; }
    local io0 io1
    io0=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io")
    strace -f -qq -y -xx -e trace=pwrite64,fsync,fdatasync -o "$trace" -p "$pid" &
    local tracer=$!
    sleep "$seconds"
    io1=$(awk '/^write_bytes/ {print $2}' "/proc/$pid/io")
    kill "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    tmux -L "$socket" send-keys -t hist q
    sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
    # Frame headers are the 24-byte writes to the -wal; bytes 4-7 are non-zero in a commit's.
    python3 - "$trace" "$label" "$seconds" $((io1 - io0)) <<'PY'
import re, sys
trace, label, seconds, io = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
writes = data = frames = commits = syncs = 0
unhex = lambda text: bytes.fromhex(text.replace("\\x", ""))   # -xx writes paths and data in hex
for line in open(trace):
    m = re.search(r'(fsync|fdatasync)\(\d+<([^>]*)>', line)
    if m and b"history.sqlite" in unhex(m.group(2)):
        syncs += 1
    m = re.search(r'pwrite64\(\d+<([^>]*)>, "([^"]*)"(?:\.\.\.)?, (\d+), \d+\) = (\d+)', line)
    if not m or b"history.sqlite" not in unhex(m.group(1)):
        continue
    writes += 1
    data += int(m.group(4))
    if unhex(m.group(1)).endswith(b"-wal") and m.group(3) == "24":
        frames += 1
        commits += unhex(m.group(2))[4:8] != b"\0\0\0\0"
minutes = seconds / 60
print(f"| {label} | {seconds} s | {commits} ({commits / minutes:.1f}/min) | {frames} ({frames / minutes:.1f}/min) "
      f"| {data / minutes / 1024:.1f} KiB/min ({writes} pwrite64, {syncs} syncs) | {io / minutes / 1024:.1f} KiB/min |")
PY
    rm -rf "$folder"
}

echo "| run | watched | commits (transactions) | WAL frames (4 KiB pages) | written to the file and WAL | write_bytes of the process |"
echo "| --- | --- | --- | --- | --- | --- |"
measure "demo, world frozen (only the clock changes)" --demo --speed 0.0001 &
frozen=$!
measure "demo, 5 pipelines (real time)" --demo &
live=$!
wait "$frozen" "$live"
