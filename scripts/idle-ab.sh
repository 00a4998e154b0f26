#!/usr/bin/env bash
# Idle A/B: two or more dashboard binaries side by side, each in its own 120x40 tmux pane with its
# own history file, all polling one frozen simulator (`swr-top sim --speed 0.0001`, started from
# the first binary). After WARMUP seconds, `perf stat --per-thread` counts each process's CPU for
# SECONDS: measured in the same minutes, the binaries see the same machine noise.
#   scripts/idle-ab.sh WARMUP SECONDS BINARY BINARY [BINARY ...]
# Needs tmux, perf and curl.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 WARMUP SECONDS BINARY [BINARY ...]" >&2; exit 2; }
warmup=$1 seconds=$2
shift 2
work=$(mktemp -d)
config=$work/config.json
"$1" sim --port 0 --speed 0.0001 --write-config "$config" > /dev/null 2>&1 &
sim=$!
sockets=()
cleanup() {
    for socket in "${sockets[@]}"; do tmux -L "$socket" kill-server 2>/dev/null || true; done
    kill "$sim" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$config" ] && break; sleep 0.1; done
endpoint=$(grep -o '"endpoint":"[^"]*' "$config" | cut -d'"' -f4)
index=0
for binary in "$@"; do
    index=$((index + 1))
    socket="swrtop-ab-$$-$index"
    sockets+=("$socket")
    mkdir -p "$work/state-$index"
    tmux -L "$socket" -f /dev/null new-session -d -x 120 -y 40 -s ab \
        "SWR_TOKEN=swr-top-demo-token XDG_STATE_HOME=$work/state-$index exec $binary --config $config"
done
sleep "$warmup"
requests() { curl -s "$endpoint/_sim/stats" | grep -o '"requests":[0-9]*' | cut -d: -f2; }
before=$(requests)
counters=()
index=0
for binary in "$@"; do
    index=$((index + 1))
    pid=$(tmux -L "${sockets[$((index - 1))]}" display-message -p -t ab '#{pane_pid}')
    perf stat --per-thread -e task-clock -p "$pid" -o "$work/perf-$index" -- sleep "$seconds" &
    counters+=($!)
done
wait "${counters[@]}"
after=$(requests)
index=0
for binary in "$@"; do
    index=$((index + 1))
    awk -v name="$binary" -v s="$seconds" '/msec/ { total += $2; if ($1 ~ /^swr-top/) main = $2 }
        END { printf "%s: %.1f ms in %d s = %.3f %% of a core (main thread %.1f ms, the other threads %.1f ms)\n", name, total, s, total / s / 10, main, total - main }' "$work/perf-$index"
done
echo "requests the simulator answered in those $seconds s, all $# dashboards together: $((after - before))"
