#!/bin/sh
# End-to-end test of `make install`, `make uninstall` and `make deb` (issue 18), run last by
# `make test`. One static build (make release) serves all three. SWR_TOP_BUILD=release (the default)
# tests what users install; `make test` runs it with SWR_TOP_BUILD=debug, on the debug build the tests
# have just used (only swr-top relinks, with the Swift runtime linked in), because a release build
# costs CI 12 minutes. The steps are the same; only the size limit differs (a stripped debug
# binary is about 134 MB, a release one about 60 MB).
#
#  1. make install into a temporary DESTDIR: exactly the expected files, nothing else.
#  2. The installed binary, run with `env -i` (no Swift toolchain on PATH or LD_LIBRARY_PATH):
#     ldd lists no Swift runtime library; --version (with a commit), --help, --demo --once --json.
#  3. Every man page renders with groff without a warning; swr-top.1 holds the exit codes and the
#     pages hold the config keys.
#  4. Each completion script loads in its shell (bash with bash-completion; zsh and fish when
#     installed); bash and fish complete `swr-top dashboard --de` to --demo.
#  5. make uninstall removes exactly what install put there.
#  6. make deb: dpkg-deb --info/--contents accept it, `dpkg --root` installs it into a temporary
#     root (and removes it again), the binary installed there runs, and `apt-get -s install`
#     resolves its Depends: on this machine.
set -eu
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
step() { printf '== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
fail() { printf '   FAIL: %s\n' "$*"; fails=$((fails + 1)); }
check() { # check DESCRIPTION COMMAND... : ok when the command succeeds
    what=$1; shift
    if "$@" >"$tmp/out" 2>&1; then ok "$what"; else fail "$what"; sed 's/^/      /' "$tmp/out" | head -n 20; fi
}

export SWR_TOP_BUILD="${SWR_TOP_BUILD:-release}"
CONFIG=$SWR_TOP_BUILD
step "make release SWR_TOP_BUILD=$CONFIG (one static build for the whole test)"
start=$(date +%s)
make --no-print-directory release
stage=$(make --no-print-directory -s stage-dir)
ok "built in $(( $(date +%s) - start )) s"

step "make install DESTDIR=\$tmp/dest PREFIX=/usr/local"
dest="$tmp/dest"
make --no-print-directory install DESTDIR="$dest" PREFIX=/usr/local >/dev/null
(cd "$dest" && find . -type f | sed 's|^\./||' | sort) > "$tmp/installed"
pages=$(cd "$stage/man" && ls *.1 | sed 's|^|usr/local/share/man/man1/|')
{
    echo usr/local/bin/swr-top
    echo usr/local/share/bash-completion/completions/swr-top
    echo usr/local/share/doc/swr-top/config.example.json
    echo usr/local/share/fish/vendor_completions.d/swr-top.fish
    echo "$pages"
    echo usr/local/share/zsh/site-functions/_swr-top
} | sort > "$tmp/expected"
if cmp -s "$tmp/installed" "$tmp/expected"; then
    ok "installed exactly: $(tr '\n' ' ' < "$tmp/installed")"
else
    fail "installed files differ from the expected list"; diff "$tmp/expected" "$tmp/installed" | sed 's/^/      /'
fi
bin="$dest/usr/local/bin/swr-top"
[ -x "$bin" ] || { fail "no executable $bin"; exit 1; }

step "the installed binary needs no Swift toolchain"
ldd "$bin" > "$tmp/ldd" 2>&1 || true
if grep -E -i 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu|not found' "$tmp/ldd"; then
    fail "ldd lists a Swift runtime library or a missing one"
else
    ok "ldd: $(awk '{print $1}' "$tmp/ldd" | tr '\n' ' ')"
fi
size=$(wc -c < "$bin")
# The limit catches a binary that was not stripped (an unstripped debug one is over 200 MB).
if [ "$CONFIG" = debug ]; then limit=200; else limit=100; fi
if [ "$size" -lt $((limit * 1000000)) ]; then ok "size $size bytes (under $limit MB)"; else fail "size $size bytes ($limit MB or more)"; fi
# Information, not a check: ICU's data (about 34 MB) comes with calls only full Foundation has.
if grep -a -q icudt "$bin"; then echo "   note: ICU data linked in (see BENCHMARKS.md, FoundationEssentials)"; fi

env -i "$bin" --version > "$tmp/version" 2>&1 || true
# make release wrote the commit stamp; a debug build ignores it by design (BuildInfo.swift), so
# there the stamp file itself must name HEAD and --version must say the commit is unknown.
head=$(git rev-parse --short=12 HEAD)
if [ "$CONFIG" = debug ]; then
    if grep -q "\"$head\(-dirty\)\?\"" Sources/swr-top/BuildStamp.generated.swift; then
        ok "the commit stamp names HEAD ($head)"
    else
        fail "the commit stamp does not name HEAD ($head): $(cat Sources/swr-top/BuildStamp.generated.swift)"
    fi
    want='^[0-9]+\.[0-9]+\.[0-9]+ \(commit unknown: not built by make release\)$'
else
    want="^[0-9]+\\.[0-9]+\\.[0-9]+ \\(commit $head(-dirty)?\\)\$"
fi
if grep -E -q "$want" "$tmp/version"; then
    ok "env -i swr-top --version: $(cat "$tmp/version")"
else
    fail "env -i swr-top --version: $(cat "$tmp/version") (wanted $want)"
fi
check "env -i swr-top --help" env -i "$bin" --help
grep -q 'USAGE' "$tmp/out" || fail "--help printed no USAGE"
if env -i "$bin" --demo --once --json > "$tmp/json" 2> "$tmp/json.err"; then
    if head -c 1 "$tmp/json" | grep -q '{' && tail -c 2 "$tmp/json" | grep -q '}'; then
        ok "env -i swr-top --demo --once --json: $(wc -c < "$tmp/json") bytes of JSON"
    else
        fail "--demo --once --json printed no JSON object"; head -c 300 "$tmp/json"
    fi
else
    fail "env -i swr-top --demo --once --json failed"; head -n 20 "$tmp/json.err"
fi

step "man pages"
man1="$dest/usr/local/share/man/man1"
for page in "$man1"/*.1; do
    if groff -mandoc -Tutf8 -ww -z "$page" > "$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
        ok "groff -mandoc -Tutf8 -ww renders $(basename "$page") without a warning"
    else
        fail "groff on $(basename "$page")"; sed 's/^/      /' "$tmp/groff" | head -n 20
    fi
done
if command -v man >/dev/null 2>&1; then
    MANPATH="$dest/usr/local/share/man" MANWIDTH=100 man swr-top 2>"$tmp/man.err" | col -b > "$tmp/man.txt" || true
    if [ -s "$tmp/man.err" ]; then
        fail "man swr-top warns"; sed 's/^/      /' "$tmp/man.err" | head -n 10
    else
        ok "man swr-top renders without a warning"
    fi
    # The EXIT STATUS section lists swr-top's codes (scripts/man-fixups.sh), not ".Ex -std".
    if sed -n '/^EXIT STATUS/,/^SEE ALSO/p' "$tmp/man.txt" | grep -q -- '124 .*--timeout-total reached'; then
        ok "man swr-top (by MANPATH) lists the exit codes under EXIT STATUS"
    else
        fail "man swr-top: EXIT STATUS does not list the exit codes"; sed 's/^/      /' "$tmp/man.txt" | head -n 40
    fi
fi
# The config keys are the dashboard command's discussion (Sources/SWRSession/Help/HelpText.swift).
cat "$man1"/*.1 > "$tmp/allman"
missing=""
for key in endpoint region auth interval_seconds timeout_seconds max_requests_per_minute pipelines discover history mouse; do
    grep -q "$key" "$tmp/allman" || missing="$missing $key"
done
if [ -z "$missing" ]; then
    ok "the man pages name every config key"
elif ! grep -q 'HelpText.dashboardDiscussion' Sources/swr-top/Dashboard.swift; then
    echo "   SKIP: config keys not in the man pages yet (missing:$missing); Dashboard.swift's"
    echo "         CommandConfiguration must pass discussion: HelpText.dashboardDiscussion"
else
    fail "the man pages miss config keys:$missing"
fi

step "completion scripts"
comp="$dest/usr/local/share"
if [ -f /usr/share/bash-completion/bash_completion ]; then
    check "bash loads it and completes 'swr-top dashboard --de' to --demo" bash --norc --noprofile -c '
        . /usr/share/bash-completion/bash_completion || exit 1
        . "$1" || exit 1
        f=$(complete -p swr-top | sed -n "s/.*-F \([^ ]*\) swr-top$/\1/p")
        COMP_WORDS=(swr-top dashboard --de); COMP_CWORD=2; COMP_LINE="swr-top dashboard --de"
        COMP_POINT=${#COMP_LINE}
        "$f" swr-top --de dashboard
        printf "%s\n" "${COMPREPLY[@]}" | grep -qx -- --demo' sh "$comp/bash-completion/completions/swr-top"
else
    check "bash loads it (bash-completion not installed)" bash --norc --noprofile -c '. "$1"; complete -p swr-top' sh "$comp/bash-completion/completions/swr-top"
fi
if command -v zsh >/dev/null 2>&1; then
    check "zsh compinit finds _swr-top for swr-top" zsh -f -c '
        fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2/zcompdump"
        [[ $_comps[swr-top] == _swr-top ]] && autoload +X _swr-top' zsh "$comp/zsh/site-functions" "$tmp"
else
    echo "   SKIP: zsh is not installed"
fi
if command -v fish >/dev/null 2>&1; then
    check "fish loads it and completes 'swr-top dashboard --de' to --demo" env HOME="$tmp" fish --no-config -c '
        source $argv[1]; or exit 1
        complete -C"swr-top dashboard --de" | string match -q -r "^--demo\b"' "$comp/fish/vendor_completions.d/swr-top.fish"
else
    echo "   SKIP: fish is not installed"
fi

step "make uninstall"
make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr/local >/dev/null
left=$(cd "$dest" && find . -type f)
if [ -z "$left" ]; then ok "no file left"; else fail "left behind: $left"; fi

step "make deb"
rm -f swr-top_*.deb
make --no-print-directory deb
deb=$(ls swr-top_*.deb)
check "dpkg-deb --info $deb" dpkg-deb --info "$deb"
sed -n 's/^ *\(Version\|Depends\|Installed-Size\):/   \1:/p' "$tmp/out"
check "dpkg-deb --contents" dpkg-deb --contents "$deb"
grep -q '\./usr/bin/swr-top$' "$tmp/out" || fail "the package holds no ./usr/bin/swr-top"
grep -q 'usr/share/man/man1/swr-top.1.gz$' "$tmp/out" || fail "the package holds no swr-top.1.gz"
# dpkg into a temporary root: its own empty database, so Depends (libc6...) are not there: forced.
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: > "$root/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$root" --log=/dev/null --force-depends --force-not-root --force-script-chrootless "$@"; }
check "dpkg --root \$tmp/root -i $deb" dpkg_root -i "$deb"
check "the packaged binary runs: env -i swr-top --demo --once --json" env -i "$root/usr/bin/swr-top" --demo --once --json
check "dpkg --root \$tmp/root -r swr-top" dpkg_root -r swr-top
left=$(cd "$root" && find usr -type f 2>/dev/null || true)
if [ -z "$left" ]; then ok "dpkg -r removed every file"; else fail "dpkg -r left: $left"; fi
if command -v apt-get >/dev/null 2>&1; then
    check "apt-get -s install ./$deb resolves its Depends" apt-get -s -o Debug::NoLocking=1 install "./$deb"
fi

if [ "$fails" -ne 0 ]; then
    echo "install test: $fails failure(s)"
    exit 1
fi
echo "install test: all passed"
