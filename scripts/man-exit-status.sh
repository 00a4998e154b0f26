#!/bin/sh
# Replaces the generic "EXIT STATUS" that swift-argument-parser's generate-manual writes (`.Ex -std`:
# "exits 0 on success, and >0 if an error occurs") with swr-top's real exit codes, read from the
# table under "### Exit codes" in README.md, the one list people and scripts read.
#   scripts/man-exit-status.sh README.md PAGE.1...
set -eu
readme=$1; shift
list=$(mktemp)
trap 'rm -f "$list"' EXIT
awk '
    /^### Exit codes/ { inside = 1; next }
    inside && /^#/ { exit }
    inside && /^\| *[0-9]+ *\|/ {
        line = $0
        sub(/^\| */, "", line); sub(/ *\| *$/, "", line)
        code = line; sub(/ *\|.*$/, "", code)
        text = line; sub(/^[0-9]+ *\| */, "", text)
        gsub(/`/, "", text)
        print ".It " code; print text; rows++
    }
    END { if (rows == 0) exit 1 }
' "$readme" > "$list" || { echo "man-exit-status: no exit code table under '### Exit codes' in $readme" >&2; exit 1; }
for page in "$@"; do
    grep -q '^\.Ex -std$' "$page" || continue
    awk -v list="$list" '
        /^\.Ex -std$/ {
            print ".Bl -tag -width 6n -compact"
            while ((getline row < list) > 0) print row
            print ".El"
            next
        }
        { print }
    ' "$page" > "$page.tmp" && mv "$page.tmp" "$page"
done
