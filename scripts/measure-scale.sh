#!/usr/bin/env bash
# Requests at scale (issue 19): the simulator with PIPELINES pipelines at 3x speed in a process of
# its own, the dashboard against it in tmux (120x40, default budget) for MINUTES, then one more
# minute measured: the header's req/min, the simulator's own count by kind, both processes' CPU,
# the status line, and from the dashboard's debug log the gaps between polls of each stage and
# detail in that minute (the focused stage, the other stages that were polled more than once).
# Any further arguments go to the simulator (e.g. `--sim-busy 200`: every pipeline busy).
#   scripts/measure-scale.sh [MINUTES] [BINARY] [PIPELINES] [SIMULATOR FLAGS...]
set -euo pipefail
minutes=${1:-12}
binary=${2:-.build/release/swr-top}
pipelines=${3:-200}
shift $(( $# < 3 ? $# : 3 ))
[ -x "$binary" ] || { echo "build first: swift build -c release --product swr-top" >&2; exit 2; }
hz=$(getconf CLK_TCK)
dir=$(mktemp -d)
port=$((18000 + RANDOM % 1000))
socket="swrtop-scale-$$"
"$binary" sim --port "$port" --sim-pipelines "$pipelines" --speed 3 "$@" --write-config "$dir/config.json" > "$dir/sim.out" 2>&1 &
sim=$!
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; kill $sim 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$dir/config.json" ] && break; sleep 0.1; done
tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s scale \
    "SWR_TOKEN=swr-top-demo-token exec $binary --config $dir/config.json --no-history --log $dir/dashboard.log --verbose"
sleep 2
pid=$(tmux -L "$socket" display-message -p -t scale '#{pane_pid}')
sleep $((minutes * 60))

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
stats() { curl -s "http://127.0.0.1:$port/_sim/stats"; }
s0=$(stats); d0=$(cpu "$pid"); m0=$(cpu "$sim"); start=$(date -u +%Y-%m-%dT%H:%M:%S)
sleep 60
s1=$(stats); d1=$(cpu "$pid"); m1=$(cpu "$sim"); end=$(date -u +%Y-%m-%dT%H:%M:%S)
screen=$(tmux -L "$socket" capture-pane -p -t scale)

echo "$pipelines pipelines, after $minutes minutes, one minute measured ($start to $end UTC)"
echo "header:      $(echo "$screen" | head -1 | grep -o '[0-9]*/[0-9]* req/min' || echo '?')"
echo "status line: $(echo "$screen" | tail -2 | tr -s ' ' | tr '\n' ' ')"
python3 - "$s0" "$s1" <<'EOF'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
calls = {k: b["calls"].get(k, 0) - a["calls"].get(k, 0) for k in b["calls"]}
print(f"simulator:   {b['requests'] - a['requests']} requests in the minute " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items()) if v))
EOF
awk -v a="$d0" -v b="$d1" -v c="$m0" -v d="$m1" -v hz="$hz" 'BEGIN { printf "CPU:         dashboard %.1f %%, simulator %.1f %% of one core\n", (b - a) / hz / 60 * 100, (d - c) / hz / 60 * 100 }'
python3 - "$dir/dashboard.log" "$start" "$end" <<'EOF'
import re, sys, statistics
from datetime import datetime
path, start, end = sys.argv[1:4]
times = {}
for line in open(path, errors="replace"):
    m = re.match(r"(\S+) .*GET (/v3/manage/pipelines/\d+(?:/stages/\d+/jobs)?)\b", line)
    if not m or "logs" in line: continue
    at = m.group(1)[:19]
    if not (start <= at <= end): continue
    t = datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp()
    times.setdefault(m.group(2), []).append(t)
def gaps(paths):
    out = []
    for p in paths:
        ts = sorted(times[p]); out += [b - a for a, b in zip(ts, ts[1:])]
    return out
jobs = [p for p in times if p.endswith("/jobs")]
details = [p for p in times if not p.endswith("/jobs")]
busiest = max(jobs, key=lambda p: len(times[p]), default=None)
if busiest:
    g = gaps([busiest])
    print(f"most polled stage {busiest}: {len(times[busiest])} polls, median gap {statistics.median(g) if g else float('nan'):.1f} s")
others = [p for p in jobs if p != busiest and len(times[p]) > 1]
g = gaps(others)
print(f"other stages polled twice or more: {len(others)} (of {len(jobs)} polled in the minute), gap median {statistics.median(g) if g else float('nan'):.1f} s, longest {max(g) if g else float('nan'):.1f} s")
print(f"details read: {len(details)} pipelines, {sum(len(times[p]) for p in details)} reads")
EOF
echo "files: $dir"
