#!/bin/sh
# Installs the system packages swr-top needs (ncursesw headers, SQLite headers for the history
# store, tmux for end-to-end tests).
# With --test (make test), also what the install test uses: groff to render the man pages,
# bash-completion, zsh and fish to load the completion scripts, and prometheus for promtool (the
# exporter's tests check its /metrics with `promtool check metrics`).
# Does nothing when they are already there.
set -e
packages="libncursesw5-dev libsqlite3-dev tmux"
have=yes
[ -f /usr/include/ncursesw/curses.h ] && [ -f /usr/include/sqlite3.h ] && command -v tmux >/dev/null 2>&1 || have=no
if [ "${1:-}" = "--test" ]; then
    packages="$packages groff-base bash-completion zsh fish prometheus"
    command -v groff >/dev/null 2>&1 && [ -f /usr/share/bash-completion/bash_completion ] \
        && command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1 \
        && command -v promtool >/dev/null 2>&1 || have=no
fi
if [ "$have" = yes ]; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $packages
