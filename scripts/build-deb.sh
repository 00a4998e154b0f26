#!/bin/sh
# Builds the Debian package from a tree that `make install DESTDIR=ROOT PREFIX=/usr` filled.
#   scripts/build-deb.sh ROOT VERSION OUTPUT.deb      ($DEB_MAINTAINER overrides Maintainer:)
# Depends: is computed from the binary itself: every shared library `ldd` lists, the package
# `dpkg -S` says owns it, at least the version installed here (the build machine's). The package
# is built with dpkg-deb only (no debhelper); files are owned by root (--root-owner-group).
# No maintainer scripts: man-db and the completion folders need none.
set -eu
root=$1
version=$2
out=$3
maintainer=${DEB_MAINTAINER:-swr-top maintainers <maintainers@users.noreply.r-seed-96dcb72c.example>}
bin="$root/usr/bin/swr-top"
[ -x "$bin" ] || { echo "build-deb: no $bin; run make install DESTDIR=$root PREFIX=/usr first" >&2; exit 1; }

# Debian wants man pages compressed (and reproducibly: -n leaves out the name and time).
find "$root/usr/share/man" -name '*.1' -exec gzip -9nf {} +

# The package owning a library path. dpkg's database holds the path as the package shipped it;
# on a merged-/usr system ldd may print /lib/... for a file shipped as /usr/lib/... or back.
owner() {
    for p in "$1" "$(readlink -f "$1")" "/usr$1" "${1#/usr}"; do
        pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) || true
        if [ -n "$pkg" ]; then echo "$pkg"; return 0; fi
    done
    echo "build-deb: no package owns $1" >&2
    return 1
}

depends=""
for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]*ld-linux/ { print $1 }' | sort -u); do
    pkg=$(owner "$lib")
    # The installed version without its Debian revision: 6.4-4 -> 6.4, 2.36-9+deb12u10 -> 2.36,
    # 1:1.2.13.dfsg-1 -> 1:1.2.13.dfsg (an epoch stays: without it the bound would mean less).
    have=$(dpkg-query -W -f='${Version}' "$pkg" | sed -e 's/-[^-]*$//')
    entry="$pkg (>= $have)"
    case ",$depends," in *",$entry,"*) ;; *) depends="${depends:+$depends,}$entry" ;; esac
done
depends=$(echo "$depends" | tr ',' '\n' | sort -u | paste -sd, - | sed 's/,/, /g')

arch=$(dpkg --print-architecture)
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: swr-top
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Description: terminal dashboard for Huawei Cloud SWR build pipelines
 swr-top watches SWR (SoftWare Repository for Container) build pipelines
 as they run, in the spirit of htop and k9s: stages, jobs, progress and
 logs, switched with a key. Read-only. Try it without a cloud account:
 swr-top --demo
EOF
# xz -2: 23 MB in about 25 s here; dpkg-deb's default (xz -6) saves 3 MB for 40 s more.
dpkg-deb --root-owner-group -Zxz -z2 --build "$root" "$out" >/dev/null
echo "build-deb: $out (Depends: $depends)"
