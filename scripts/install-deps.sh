#!/bin/sh
# Installs the system packages swr-top needs (ncursesw headers, tmux for end-to-end tests).
# Does nothing when they are already there.
set -e
if [ -f /usr/include/ncursesw/curses.h ] && command -v tmux >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update
$SUDO apt-get install -y libncursesw5-dev tmux
