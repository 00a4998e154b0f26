#!/usr/bin/env bash
# Idle cost of the dashboard: runs `swr-top --demo` in tmux for SECONDS (default 60) and reports
# CPU % of one core (from /proc/PID/stat), peak RSS (VmHWM) and bytes written to the terminal
# (tmux pipe-pane). Then the same with 100 pipelines × 5 stages, and the frozen world with the
# simulator in a process of its own (`swr-top sim`), so that only the dashboard's own cost is
# counted, with and without polling.
# Each row is measured after WARMUP seconds (default 60): the first round (every stage polled
# once, the history's first writes, a stalled job's first polls) is start-up, not idle.
#   [WARMUP=60] scripts/measure-idle.sh [SECONDS] [BINARY]
set -euo pipefail
seconds=${1:-60}
binary=${2:-.build/release/swr-top}
[ -x "$binary" ] || { echo "build first: swift build -c release --product swr-top" >&2; exit 2; }
hz=$(getconf CLK_TCK)
warmup=${WARMUP:-60}

measure() {
    local label=$1; shift
    local socket="swrtop-idle-$$-$RANDOM"
    local bytes_file
    bytes_file=$(mktemp)
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s idle "SWR_TOKEN=swr-top-demo-token exec $binary $*"
    sleep "$warmup"   # start-up and the first round are not idle
    local pid
    pid=$(tmux -L "$socket" display-message -p -t idle '#{pane_pid}')
    grep -q swr-top "/proc/$pid/cmdline" || { echo "pane process is not swr-top" >&2; exit 1; }
    tmux -L "$socket" pipe-pane -t idle -o "cat >> $bytes_file"
    local t0 t1
    t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep "$seconds"
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    local hwm bytes
    hwm=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
    bytes=$(wc -c < "$bytes_file")
    tmux -L "$socket" send-keys -t idle q
    sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -f "$bytes_file"
    local cpu
    cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", (b - a) / hz / s * 100 }')
    local per_minute
    per_minute=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.0f", b / s * 60 }')
    printf '| %s | %s s | %s %% | %s | %s bytes (%s bytes/min) |\n' "$label" "$seconds" "$cpu" "$hwm" "$bytes" "$per_minute"
}

first_frame() {
    local socket="swrtop-ff-$$-$RANDOM"
    local start end
    start=$(date +%s%N)
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s ff "$binary --demo"
    while ! tmux -L "$socket" capture-pane -p -t ff 2>/dev/null | grep -q "Successful"; do sleep 0.005; done
    end=$(date +%s%N)
    tmux -L "$socket" kill-server 2>/dev/null || true
    echo $(( (end - start) / 1000000 ))
}
runs=()
for _ in 1 2 3 4 5; do runs+=("$(first_frame)"); done
median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)
echo "time to first frame with jobs (demo, 120x40, 5 runs): median ${median} ms (runs: ${runs[*]} ms)"
echo

echo "| run | watched | CPU (one core) | peak RSS | written to the terminal |"
echo "| --- | --- | --- | --- | --- |"
measure "demo, 5 pipelines (real time)" --demo
measure "demo, world frozen (only the clock changes)" --demo --speed 0.0001
measure "demo, 100 pipelines (3-6 stages each)" --demo --sim-pipelines 100

# The simulator in its own process: the figures below are the dashboard's alone.
config=$(mktemp)
"$binary" sim --port 0 --speed 0.0001 --write-config "$config" > /dev/null 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true; rm -f "$config"' EXIT
for _ in $(seq 100); do [ -s "$config" ] && break; sleep 0.1; done
measure "world frozen, simulator in its own process" --config "$config"
measure "the same, no polling (--interval 3600): the loop alone" --config "$config" --interval 3600
