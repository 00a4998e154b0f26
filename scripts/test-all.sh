#!/usr/bin/env bash
# `make test`: every test, in the order that keeps a 2-core machine (and CI) fast and calm.
#  1. The static release build for the install test starts at once, beside the debug build
#     (`swift build --build-tests`), at the lowest priority (nice 19, which every thread and
#     compiler it starts inherits): it takes only the CPU the debug build and then the tests
#     leave idle. (Started after the debug build, it was the long pole of a CI run.) Lowering
#     it only once the debug build is done does not work: `renice` reaches the threads that
#     exist, and the compilers they start later keep the old priority.
#  2. The unit tests, then the end-to-end tests (apart: run together, the synchronous end-to-end
#     tests hold the cooperative pool's threads and starved async unit tests into timeouts).
#  3. Wait for the release build (alone on the machine by then), then the install and package
#     test on it. A failed build or test stops it at once.
set -eu
cd "$(dirname "$0")/.."
log=.build-release.log
mkdir -p .build-release
rm -f .build-release/rc
# The commit stamp first: both builds see the same file (make release would write it mid-build).
sh scripts/stamp-commit.sh
# Job control gives the background job a process group of its own (its id is the job's pid),
# so a failure can stop the whole release build at once.
set -m
( nice -n 19 make --no-print-directory release > "$log" 2>&1; echo $? > .build-release/rc ) &
release=$!
set +m
status=0
swift build --build-tests || status=$?
if [ "$status" -eq 0 ]; then
    swift test --skip-build --skip EndToEndTests || status=$?
fi
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
