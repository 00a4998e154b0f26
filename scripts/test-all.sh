#!/usr/bin/env bash
# `make test`: every test, in the order that keeps a 2-core machine (and CI) fast and calm.
#  1. The static release build for the install test starts at once, beside the debug build
#     (`swift build --build-tests`) and at the same priority: its long one-module optimising
#     compiles use one core at a time, and the debug build fills the other. (Started after the
#     debug build, it was the long pole of a CI run: most of its 15 minutes on one core.)
#  2. Once the debug build is done, the release build drops to the lowest priority (nice 19,
#     with every compiler it starts later), so it only takes CPU the tests leave idle.
#  3. The unit tests, then the end-to-end tests (apart: run together, the synchronous end-to-end
#     tests hold the cooperative pool's threads and starved async unit tests into timeouts).
#  4. The release build gets its priority back, then the install and package test runs on it.
set -eu
cd "$(dirname "$0")/.."
log=.build-release.log
mkdir -p .build-release
rm -f .build-release/rc
# The commit stamp first: both builds see the same file (make release would write it mid-build).
sh scripts/stamp-commit.sh
# Job control gives the background job a process group of its own (its id is the job's pid),
# so `renice -g` reaches every process of the release build at once.
set -m
( make --no-print-directory release > "$log" 2>&1; echo $? > .build-release/rc ) &
release=$!
set +m
priority() { renice -n "$1" -g "$release" > /dev/null 2>&1 || true; }
status=0
swift build --build-tests || status=$?
priority 19
if [ "$status" -eq 0 ]; then
    swift test --skip-build --skip EndToEndTests || status=$?
fi
[ "$status" -eq 0 ] && { swift test --skip-build --filter EndToEndTests || status=$?; }
if [ "$status" -ne 0 ]; then
    kill -- -"$release" 2>/dev/null || true
    wait "$release" || true
    exit "$status"
fi
priority 0
wait "$release" || true
if [ "$(cat .build-release/rc 2>/dev/null)" != 0 ]; then
    echo "make release failed:" >&2
    tail -40 "$log" >&2
    exit 1
fi
sh Tests/install/install-test.sh
