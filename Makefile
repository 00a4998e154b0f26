# Two commands do all set-up on a fresh Debian machine with the Swift toolchain:
#   make demo   run the dashboard on the built-in simulated SWR service
#   make test   run every test (unit, simulator, end-to-end in tmux, then install and package)
# Installing (README "Install"):
#   make install [PREFIX=/usr/local] [DESTDIR=]   self-contained binary, man pages, completions
#   make uninstall [PREFIX=...] [DESTDIR=]         removes exactly the files install put there
#   make deb                                       swr-top_VERSION_ARCH.deb, built with dpkg-deb
#   make release                                   builds what install installs (under .build-release/stage-release)

.PHONY: deps test-deps demo test bench release install uninstall deb stage-dir FORCE

deps:
	@sh scripts/install-deps.sh

test-deps:
	@sh scripts/install-deps.sh --test

# A debug build: it shares the build with `make test` and starts sooner than a release build.
demo: deps
	swift build --product swr-top
	.build/debug/swr-top --demo

# Unit tests, then end-to-end tests, then the install and package test (Tests/install/) on the
# debug build: see scripts/test-all.sh.
test: test-deps
	bash scripts/test-all.sh

# Benchmarks (BENCHMARKS.md); not part of `make test` or CI. First the benchmark package in
# Benchmarks/ (ordo-one/benchmark: wall clock, throughput, allocations), run once and stored as
# the baseline `current`, printed, and checked against the thresholds in Benchmarks/Thresholds/
# (exit 2 of the check is a regression and fails; 4 means only improvements: time to update
# the thresholds, see BENCHMARKS.md). Then the side-by-side comparisons with python3, jq and curl
# (scripts/bench-compare.sh) against the release binary's simulator, with swr-top's side taken
# from that stored run.
BENCHMARK = cd Benchmarks && swift package --disable-sandbox --allow-writing-to-package-directory benchmark
bench: deps
	$(BENCHMARK) baseline update current --no-progress
	$(BENCHMARK) baseline read current --format markdown
	if [ -d Benchmarks/Thresholds ]; then $(BENCHMARK) thresholds check current --no-progress || [ $$? -eq 4 ]; \
	else echo "no Benchmarks/Thresholds yet: record them with 'benchmark thresholds update' (BENCHMARKS.md)"; fi
	$(BENCHMARK) baseline read current --format jmh --path .benchmarkBaselines
	$(MAKE) --no-print-directory $(BIN)
	SWR_TOP=$(BIN) sh scripts/bench-compare.sh Benchmarks/.benchmarkBaselines/current.jmh.json

# ---- release build, install, package ----------------------------------------------------------

PREFIX ?= /usr/local
DESTDIR ?=
bindir = $(PREFIX)/bin
mandir = $(PREFIX)/share/man/man1
bashcompdir = $(PREFIX)/share/bash-completion/completions
zshcompdir = $(PREFIX)/share/zsh/site-functions
fishcompdir = $(PREFIX)/share/fish/vendor_completions.d
docdir = $(PREFIX)/share/doc/swr-top

# SWR_TOP_BUILD=release (the default) is what users install. The release build has its own scratch
# path: it never waits on (or holds) the debug build's lock. SWR_TOP_BUILD=debug stages the same
# files from the debug build that `make test` has just made (swr-top linked again, with the Swift
# runtime linked in): the install test in `make test` uses it, because a release build costs CI
# 12 minutes. (Not `CONFIG`: a variable that common, set for something else, would install a
# debug binary without a word.)
SWR_TOP_BUILD ?= release
ifeq ($(filter $(SWR_TOP_BUILD),debug release),)
$(error SWR_TOP_BUILD must be debug or release, not '$(SWR_TOP_BUILD)')
endif
CONFIG = $(SWR_TOP_BUILD)
ifeq ($(CONFIG),debug)
RELEASE = .build
BIN = .build/static-debug/swr-top
else
RELEASE = .build-release
BIN = $(RELEASE)/release/swr-top
endif
STAGE = $(RELEASE)/stage-$(CONFIG)
STAMP = Sources/swr-top/BuildStamp.generated.swift
VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/swr-top/BuildInfo.swift)
# The man pages' date: the commit's, so that the same commit gives the same pages.
MANDATE := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
SWIFT_RELEASE = --scratch-path $(RELEASE) -c $(CONFIG) --static-swift-stdlib
# make tracks the sources itself, so `sudo make install` after `make release` does not run
# SwiftPM again as root.
SOURCES := Package.swift $(shell find Sources -type f)

# Rewritten only when the commit (or the tree's dirtiness) changes; see scripts/stamp-commit.sh.
$(STAMP): FORCE
	@sh scripts/stamp-commit.sh

ifeq ($(CONFIG),debug)
# The debug build is shared with `swift build`, so this links a copy and leaves the build as it
# was. SwiftPM compiles a few modules again against the static runtime for this link (Hummingbird's,
# swr-top's), and when the plain build comes back it does not see that they must be compiled again
# (their recorded inputs did not change): the next `swift build` would fail to link ("cannot find
# -lCoreFoundation"). So the objects this link compiled are deleted again, whether it succeeded or
# not, and the next build compiles those modules again (about 25 s). The copy has a time of its
# own, so make links again only when a source changed.
$(BIN): $(SOURCES) $(STAMP)
	@sh scripts/install-deps.sh
	@touch .build/static-link-start
	swift build $(SWIFT_RELEASE) --product swr-top; rc=$$?; \
	    find .build/*/debug -name '*.o' -newer .build/static-link-start -delete; \
	    [ $$rc -eq 0 ] && mkdir -p $(@D) && cp .build/debug/swr-top $@
else
$(BIN): $(SOURCES) $(STAMP)
	@sh scripts/install-deps.sh
	swift build $(SWIFT_RELEASE) --product swr-top
	@touch $@
endif

$(STAGE)/bin/swr-top: $(BIN)
	@mkdir -p $(@D)
	strip -o $@ $(BIN)

# The man pages (one per command) come from swift-argument-parser's generate-manual, the tool its
# GenerateManual plugin runs. The plugin (`swift package plugin generate-manual`) would first
# rebuild every product without --static-swift-stdlib, recompiling every module twice; so the
# Makefile builds the tool with the same flags and runs it on the binary just built. With
# SWR_TOP_BUILD=debug the tool is the plain debug build's (a debug build cannot link it statically).
ifeq ($(CONFIG),debug)
GENMAN = .build/debug/generate-manual
GENMAN_FLAGS = --product generate-manual
else
GENMAN = $(RELEASE)/release/generate-manual
GENMAN_FLAGS = $(SWIFT_RELEASE) --product generate-manual
endif
$(GENMAN): $(BIN)
	swift build $(GENMAN_FLAGS)
	@touch $@

$(STAGE)/man/swr-top.1: $(STAGE)/bin/swr-top $(GENMAN) README.md scripts/man-fixups.sh
	@rm -rf $(@D) && mkdir -p $(@D)
	$(GENMAN) $(STAGE)/bin/swr-top --multi-page --date $(MANDATE) --output-directory $(@D)
	sh scripts/man-fixups.sh README.md $(@D)

$(STAGE)/completions/swr-top.bash: $(STAGE)/bin/swr-top
	@mkdir -p $(@D)
	$(STAGE)/bin/swr-top --generate-completion-script bash > $(@D)/swr-top.bash
	$(STAGE)/bin/swr-top --generate-completion-script zsh > $(@D)/_swr-top
	$(STAGE)/bin/swr-top --generate-completion-script fish > $(@D)/swr-top.fish

# Where `release` stages its files (for Tests/install/install-test.sh).
stage-dir:
	@echo $(STAGE)

release: $(STAGE)/bin/swr-top $(STAGE)/man/swr-top.1 $(STAGE)/completions/swr-top.bash

install: release
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir) $(DESTDIR)$(bashcompdir) \
	    $(DESTDIR)$(zshcompdir) $(DESTDIR)$(fishcompdir) $(DESTDIR)$(docdir)
	install -m 755 $(STAGE)/bin/swr-top $(DESTDIR)$(bindir)/swr-top
	install -m 644 $(STAGE)/man/*.1 $(DESTDIR)$(mandir)/
	install -m 644 $(STAGE)/completions/swr-top.bash $(DESTDIR)$(bashcompdir)/swr-top
	install -m 644 $(STAGE)/completions/_swr-top $(DESTDIR)$(zshcompdir)/_swr-top
	install -m 644 $(STAGE)/completions/swr-top.fish $(DESTDIR)$(fishcompdir)/swr-top.fish
	install -m 644 config.example.json $(DESTDIR)$(docdir)/config.example.json

# The man pages are swr-top.1 and one swr-top.COMMAND.1 per subcommand.
uninstall:
	rm -f $(DESTDIR)$(bindir)/swr-top $(DESTDIR)$(mandir)/swr-top.1 $(DESTDIR)$(mandir)/swr-top.*.1 \
	    $(DESTDIR)$(bashcompdir)/swr-top $(DESTDIR)$(zshcompdir)/_swr-top \
	    $(DESTDIR)$(fishcompdir)/swr-top.fish $(DESTDIR)$(docdir)/config.example.json
	rmdir $(DESTDIR)$(docdir) 2>/dev/null || true

# Debian's zsh reads packaged completions from vendor-completions (site-functions is for /usr/local).
DEB = swr-top_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null || echo amd64).deb
DEBROOT = $(RELEASE)/deb-$(CONFIG)
deb: release
	rm -rf $(DEBROOT)
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(DEBROOT) PREFIX=/usr \
	    zshcompdir=/usr/share/zsh/vendor-completions
	sh scripts/build-deb.sh $(DEBROOT) $(VERSION) $(DEB)
