#!/usr/bin/env bash
# Cost of `swr-top export` (BENCHMARKS.md, "swr-top export: cost"). The simulator runs as a
# process of its own (`swr-top sim`), so the CPU measured is the exporter's alone, and the
# simulator counts the requests it receives (GET /_sim/stats).
#  1. A scrape of 500 stages (100 pipelines x 5 stages): time and bytes of GET /metrics, by curl,
#     SCRAPES times (default 30), once every stage has been polled.
#  2. The exporter's CPU (one core = 100 %) over SECONDS (default 60) from /proc/PID/stat, its peak
#     RSS, and the requests it made (the simulator's count), with 5 pipelines and with 100
#     pipelines x 5 stages; scraped every 15 s meanwhile, as Prometheus does by default.
#  3. The same count for one dashboard (`swr-top --config`, in tmux at 120x40) on the same
#     pipelines over the same time: N people each running the dashboard make N times that.
#   scripts/measure-export.sh [SECONDS] [BINARY] [SCRAPES]
set -euo pipefail
seconds=${1:-60}
binary=${2:-.build-release/release/swr-top}
scrapes=${3:-30}
[ -x "$binary" ] || { echo "build first: swift build --scratch-path .build-release -c release --static-swift-stdlib --product swr-top" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
socket="swrtop-export-$$"
children=()
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    for pid in "${children[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export SWR_TOKEN=swr-top-demo-token

# Waits (up to 60 s) for a line matching $2 in file $1 and prints the first match.
wait_for_line() {
    for _ in $(seq 600); do
        if grep -m1 -o "$2" "$1" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "no line matching '$2' in $1:" >&2
    cat "$1" >&2
    return 1
}

# The simulator with 300 pipelines (3 to 6 stages each); its URL in $sim_url, its config in $work/all.json.
"$binary" sim --port 0 --sim-pipelines 300 --write-config "$work/all.json" > "$work/sim.out" 2>&1 &
sim_pid=$!
children+=("$sim_pid")
wait_for_line "$work/sim.out" "config written" > /dev/null
sim_url=$(wait_for_line "$work/sim.out" 'http://127\.0\.0\.1:[0-9]*' | head -1)

# Configs: the first 5 pipelines as they are (the demo's), and the first 100 pipelines with at
# least 5 stages, cut to 5 stages each (500 stages).
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
config = json.load(open(f"{work}/all.json"))
pipelines = config["pipelines"]
small = dict(config, pipelines=pipelines[:5])
five = [dict(p, stages=p["stages"][:5]) for p in pipelines if len(p["stages"]) >= 5][:100]
assert len(five) == 100, len(five)
json.dump(small, open(f"{work}/p5.json", "w"))
json.dump(dict(config, pipelines=five), open(f"{work}/p100.json", "w"))
EOF

requests() { curl -s "$sim_url/_sim/stats" | jq '.requests'; }

# Starts the exporter on config $1; sets $export_pid and $export_url; waits until it is ready.
start_export() {
    "$binary" export --config "$1" --listen 127.0.0.1:0 --no-history > "$work/export.out" 2> "$work/export.err" &
    export_pid=$!
    children+=("$export_pid")
    export_url=$(wait_for_line "$work/export.err" 'http://127\.0\.0\.1:[0-9]*' | head -1)
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$export_url/readyz")" = 200 ] && break
        sleep 0.1
    done
    sed -n 's/^swr-top: polling/polling/p' "$work/export.err" >&2
}

stop_export() {
    kill -INT "$export_pid"
    wait "$export_pid" || true
}

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# CPU %, peak RSS and requests/min of the exporter on config $1 over $seconds, scraped every 15 s.
measure_export() {
    local label=$1 config=$2
    start_export "$config"
    sleep 3  # the first round is start-up, not the steady state
    local t0 r0 t1 r1 elapsed=0
    t0=$(cpu_ticks "$export_pid")
    r0=$(requests)
    while [ "$elapsed" -lt "$seconds" ]; do
        curl -s -o /dev/null "$export_url/metrics"
        local step=$(( seconds - elapsed < 15 ? seconds - elapsed : 15 ))
        sleep "$step"
        elapsed=$(( elapsed + step ))
    done
    t1=$(cpu_ticks "$export_pid")
    r1=$(requests)
    local hwm
    hwm=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$export_pid/status")
    stop_export
    awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$seconds" -v r="$((r1 - r0))" -v label="$label" -v hwm="$hwm" \
        'BEGIN { printf "| export, %s | %d s | %.2f %% | %s | %d (%.0f/min) |\n", label, s, (b - a) / hz / s * 100, hwm, r, r / s * 60 }'
}

# Requests/min of one dashboard on config $1 over $seconds.
measure_dashboard() {
    local label=$1 config=$2
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s dash "SWR_TOKEN=$SWR_TOKEN exec $binary --config $config --no-history"
    sleep 3
    local pid t0 r0 t1 r1
    pid=$(tmux -L "$socket" display-message -p -t dash '#{pane_pid}')
    t0=$(cpu_ticks "$pid")
    r0=$(requests)
    sleep "$seconds"
    t1=$(cpu_ticks "$pid")
    r1=$(requests)
    local hwm
    hwm=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
    tmux -L "$socket" send-keys -t dash q
    sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
    awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$seconds" -v r="$((r1 - r0))" -v label="$label" -v hwm="$hwm" \
        'BEGIN { printf "| one dashboard, %s | %d s | %.2f %% | %s | %d (%.0f/min) |\n", label, s, (b - a) / hz / s * 100, hwm, r, r / s * 60 }'
}

echo "## A scrape of 500 stages (100 pipelines x 5 stages), $scrapes scrapes"
start_export "$work/p100.json"
curl -s "$export_url/metrics" > "$work/scrape.txt"
printf 'series: %s, families: %s\n' "$(grep -vc '^#' "$work/scrape.txt")" "$(grep -c '^# TYPE' "$work/scrape.txt")"
for _ in $(seq "$scrapes"); do
    curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$export_url/metrics"
done > "$work/scrapes.txt"
sort -n "$work/scrapes.txt" | awk '{ t[NR] = $1; b[NR] = $2 } END {
    printf "time: median %.1f ms, min %.1f ms, max %.1f ms; bytes: %d (min %d, max %d)\n",
        t[int((NR + 1) / 2)] * 1000, t[1] * 1000, t[NR] * 1000, b[int((NR + 1) / 2)], b[1], b[NR] }'
if command -v promtool > /dev/null; then
    promtool check metrics < "$work/scrape.txt" && echo "promtool check metrics: no problems"
fi
stop_export
echo

echo "| run | over | CPU (one core) | peak RSS | SWR API requests |"
echo "| --- | --- | --- | --- | --- |"
measure_export "5 pipelines ($(jq '[.pipelines[].stages | length] | add' "$work/p5.json") stages)" "$work/p5.json"
measure_dashboard "5 pipelines" "$work/p5.json"
measure_export "100 pipelines x 5 stages" "$work/p100.json"
measure_dashboard "100 pipelines x 5 stages" "$work/p100.json"
