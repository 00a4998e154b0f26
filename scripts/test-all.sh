#!/usr/bin/env sh
# `make test`: every test, in the order that keeps a 2-core machine (and CI) fast and calm.
#  1. swift build --build-tests (the debug build every test uses);
#  2. the static release build for the install test starts now, in the background at the lowest
#     priority (nice 19): it only takes CPU the tests leave idle, and the end-to-end tests mostly
#     wait on tmux and child processes;
#  3. the unit tests, then the end-to-end tests (apart: run together, the synchronous end-to-end
#     tests hold the cooperative pool's threads and starved async unit tests into timeouts);
#  4. wait for the release build, then the install and package test on it.
set -eu
cd "$(dirname "$0")/.."
swift build --build-tests
log=.build-release.log
mkdir -p .build-release
( nice -n 19 make --no-print-directory release > "$log" 2>&1; echo $? > .build-release/rc ) &
release=$!
status=0
swift test --skip-build --skip EndToEndTests || status=$?
[ "$status" -eq 0 ] && { swift test --skip-build --filter EndToEndTests || status=$?; }
wait "$release" || true
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$(cat .build-release/rc 2>/dev/null)" != 0 ]; then
    echo "make release failed:" >&2
    tail -40 "$log" >&2
    exit 1
fi
sh Tests/install/install-test.sh
