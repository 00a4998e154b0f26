#!/usr/bin/env bash
# `make test`: every test, in the order that keeps a 2-core machine (and CI) fast and calm.
#  1. swift build --build-tests (the debug build every test uses);
#  2. the unit tests, in two runs: the quick ones, then the long simulations on the manual clock
#     (`heavy` below: tens of seconds of CPU each). Run together, the simulations held both
#     cores for a minute and a half and the quick tests behind them ran out of their one-minute
#     limits (a fresh-clone run, 2026-11-30). Every suite's limit is 3 minutes or more: it is
#     there to catch a hang, and a loaded 2-core machine stretches a whole run 2 to 3 times;
#  3. the end-to-end tests (apart too: the synchronous end-to-end tests hold the cooperative
#     pool's threads and starved async unit tests into timeouts);
#  4. the install and package test on the same debug build (SWR_TOP_BUILD=debug: only swr-top relinks,
#     with the Swift runtime linked in). A static release build took CI 12 of its 30 minutes;
#     `SWR_TOP_BUILD=release sh Tests/install/install-test.sh` runs the same test on one.
set -eu
cd "$(dirname "$0")/.."
heavy='BudgetTests|ScaleWorldTests|SoakTests|SimTimeTests'
swift build --build-tests
swift test --skip-build --skip EndToEndTests --skip "$heavy"
swift test --skip-build --filter "$heavy"
swift test --skip-build --filter EndToEndTests
SWR_TOP_BUILD=debug sh Tests/install/install-test.sh
