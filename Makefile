# Two commands do all set-up on a fresh Debian machine with the Swift toolchain:
#   make demo   run the dashboard on the built-in simulated SWR service
#   make test   run every test (unit, simulator, end-to-end in tmux)

.PHONY: deps demo test bench release

deps:
	@sh scripts/install-deps.sh

# A debug build: it shares the build with `make test` and starts sooner than a release build.
demo: deps
	swift build --product swr-top
	.build/debug/swr-top --demo

# The end-to-end tests wait on tmux and child processes from synchronous test functions, which
# hold threads of Swift's cooperative pool (2 on a 2-core machine); run alongside the unit tests
# they starved async tests into timeouts. So: unit tests first, then the end-to-end tests.
test: deps
	swift build --build-tests
	swift test --skip-build --skip EndToEndTests
	swift test --skip-build --filter EndToEndTests

release: deps
	swift build -c release --product swr-top

bench: deps
	swift build -c release --product swr-top-bench
	.build/release/swr-top-bench
