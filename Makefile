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

test: deps
	swift build --build-tests
	swift test

release: deps
	swift build -c release --product swr-top

bench: deps
	swift build -c release --product swr-top-bench
	.build/release/swr-top-bench
