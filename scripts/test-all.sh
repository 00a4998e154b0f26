#!/usr/bin/env bash
# `make test`: every test, in the order that keeps a 2-core machine (and CI) fast and calm.
#  1. swift build --build-tests (the debug build every test uses);
#  2. the static release build for the install test starts now, in the background at the lowest
#     priority (nice 19): it only takes CPU the tests leave idle, and the end-to-end tests mostly
#     wait on tmux and child processes;
#  3. the unit tests, in two runs: the quick ones, then the long simulations on the manual clock
#     (`heavy` below: tens of seconds of CPU each). Run together, the simulations held both
#     cores for a minute and a half and the quick tests behind them ran out of their one-minute
#     limits (a fresh-clone run, 2026-11-30). Every suite's limit is 3 minutes or more: it is
#     there to catch a hang, and a loaded 2-core machine stretches a whole run 2 to 3 times;
#  4. the end-to-end tests (apart too: the synchronous end-to-end tests hold the cooperative
#     pool's threads and starved async unit tests into timeouts);
#  5. wait for the release build, then the install and package test on it.
# A failed build or test stops the release build at once.
set -eu
cd "$(dirname "$0")/.."
heavy='BudgetTests|ScaleWorldTests|SoakTests|SimTimeTests'
swift build --build-tests
log=.build-release.log
mkdir -p .build-release
rm -f .build-release/rc
# Job control gives the background job a process group of its own, so a failure can stop it.
set -m
( nice -n 19 make --no-print-directory release > "$log" 2>&1; echo $? > .build-release/rc ) &
release=$!
set +m
status=0
swift test --skip-build --skip EndToEndTests --skip "$heavy" || status=$?
[ "$status" -eq 0 ] && { swift test --skip-build --filter "$heavy" || status=$?; }
[ "$status" -eq 0 ] && { swift test --skip-build --filter EndToEndTests || status=$?; }
if [ "$status" -ne 0 ]; then
    kill -- -"$release" 2>/dev/null || true
    wait "$release" || true
    exit "$status"
fi
wait "$release" || true
if [ "$(cat .build-release/rc 2>/dev/null)" != 0 ]; then
    echo "make release failed:" >&2
    tail -40 "$log" >&2
    exit 1
fi
sh Tests/install/install-test.sh
