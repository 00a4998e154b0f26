#!/bin/sh
# Two fixes to the man pages swift-argument-parser's generate-manual writes:
# - an empty line of a command's discussion (a paragraph break in `--help`) becomes `.Pp`: mdoc
#   warns on empty lines and runs the paragraphs together;
# - the generic "EXIT STATUS" (`.Ex -std`: "exits 0 on success, and >0 if an error occurs") becomes
#   swr-top's exit codes, read from the table under "### Exit codes" in README.md (the one list
#   people and scripts read), on the pages of the commands those codes are about.
#   scripts/man-fixups.sh README.md MANDIR
set -eu
readme=$1; mandir=$2
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
' "$readme" > "$list" || { echo "man-fixups: no exit code table under '### Exit codes' in $readme" >&2; exit 1; }
for page in "$mandir"/*.1; do
    case $(basename "$page") in
        swr-top.1|swr-top.dashboard.1) codes=yes ;;
        *) codes=no ;;
    esac
    awk -v list="$list" -v codes="$codes" '
        /^$/ { print ".Pp"; next }
        /^\.Ex -std$/ && codes == "yes" {
            print ".Bl -tag -width 6n -compact"
            while ((getline row < list) > 0) print row
            print ".El"
            next
        }
        { print }
    ' "$page" > "$page.tmp" && mv "$page.tmp" "$page"
done
