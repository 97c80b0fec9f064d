#!/usr/bin/env bash
# make deb-check: install the .deb into a fresh minimal Debian and use it there.
#
#   packaging/deb_check.sh dist/netplanner_<version>_<arch>.deb
#
# debootstrap --variant=minbase bookworm makes the system (kept as a tarball in
# .cache/deb-check/, git-ignored, so a second run starts in seconds; DEB_CHECK_CACHE moves
# it). apt-get installs the package with its Depends and nothing recommended; then the
# command line runs on the demo network, the window opens on the offscreen platform for a few
# seconds and must close cleanly on SIGTERM (what a session logging out sends), and
# apt-get purge must leave nothing of the package behind. Needs root, debootstrap and
# deb.debian.org (DEB_CHECK_MIRROR). /proc is mounted in the chroot and always unmounted.
set -euo pipefail

deb=$(realpath "${1:?usage: deb_check.sh PACKAGE.deb}")
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${DEB_CHECK_CACHE:-$here/.cache/deb-check}
mirror=${DEB_CHECK_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
window_seconds=${DEB_CHECK_WINDOW_SECONDS:-8}
version=$(dpkg-deb -f "$deb" Version)
package=$(dpkg-deb -f "$deb" Package)

if [ "$(id -u)" -ne 0 ]; then
    echo "deb-check: needs root (debootstrap, chroot, mount)" >&2
    exit 2
fi
for tool in debootstrap chroot mount; do
    command -v "$tool" >/dev/null || { echo "deb-check: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d /tmp/netplanner-deb-check.XXXXXX)
root=$work/root
gui_pid=""
cleanup() {
    if [ -n "$gui_pid" ] && kill -0 "$gui_pid" 2>/dev/null; then
        kill -KILL "$gui_pid" 2>/dev/null || true
    fi
    # Whatever still runs inside the chroot was started by this script: end it before the
    # chroot goes.
    local proc
    for proc in /proc/[0-9]*; do
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
            kill -KILL "${proc#/proc/}" 2>/dev/null || true
        fi
    done
    if mountpoint -q "$root/proc" 2>/dev/null; then
        umount "$root/proc" || umount -l "$root/proc" || true
    fi
    if mountpoint -q "$root/proc" 2>/dev/null; then
        echo "deb-check: $root/proc is still mounted; leaving $work in place" >&2
        return
    fi
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step_start=$SECONDS
step() {
    echo "deb-check: [$((SECONDS - step_start)) s] $*"
}

in_root() {
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive NETPLANNER_DATA_DIR=/tmp/netplanner-data "$@"
}

# The system, from the cache when there is one.
tarball=$cache/$suite-minbase.tar
mkdir -p "$root"
if [ -s "$tarball" ]; then
    step "unpacking the cached $suite minbase system"
    tar -C "$root" -xf "$tarball"
else
    step "debootstrap --variant=minbase $suite (cached afterwards in $cache)"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
        tail -20 "$work/debootstrap.log" >&2
        exit 1
    }
    mkdir -p "$cache"
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"

step "apt-get update"
in_root apt-get update -qq
before=$work/files-before.txt
list_files() {
    # Everything but what apt and dpkg keep about themselves, logs and scratch space.
    (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/apt \
        -o -path ./var/cache -o -path ./var/log -o -path ./var/lib/dpkg -o -path ./root \) \
        -prune -o -print | sort)
}
list_files >"$before"

step "apt-get install ./$(basename "$deb")"
cp "$deb" "$root/tmp/"
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" \
    >"$work/install.log" 2>&1 || { tail -30 "$work/install.log" >&2; exit 1; }
echo "deb-check: installed with $(grep -c '^Setting up' "$work/install.log") packages set up"

step "netplanner --version"
out=$(in_root netplanner --version)
[ "$out" = "netplanner $version" ] || { echo "deb-check: --version said '$out'" >&2; exit 1; }

step "netplanner demo"
in_root netplanner demo

step "netplanner contacts --json"
in_root netplanner contacts --json >"$work/contacts.json"
python3 - "$work/contacts.json" <<'EOF'
import json, sys
contacts = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(contacts) >= 100 and all("name" in c for c in contacts), contacts[:1]
print(f"deb-check: {len(contacts)} contacts")
EOF

step "netplanner locate München --json"
in_root netplanner locate München --json >"$work/locate.json"
python3 - "$work/locate.json" <<'EOF'
import json, sys
(place,) = json.load(open(sys.argv[1], encoding="utf-8"))
assert place["found"] and place["country_code"] == "DE" and place["timezone"] == "Europe/Berlin", place
print(f"deb-check: München is {place['name']}")
EOF

step "netplanner gui --demo, offscreen, for $window_seconds s, then SIGTERM"
# A simple command, not the in_root function: backgrounded, a function runs in a forked shell
# whose PID is not the app's, and SIGTERM would end that shell and orphan the app.
chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    NETPLANNER_DATA_DIR=/tmp/netplanner-data netplanner gui --demo >"$work/gui.log" 2>&1 &
gui_pid=$!
sleep "$window_seconds"
if ! kill -0 "$gui_pid" 2>/dev/null; then
    wait "$gui_pid" || true
    echo "deb-check: the window ended by itself within $window_seconds s:" >&2
    cat "$work/gui.log" >&2
    exit 1
fi
kill -TERM "$gui_pid"
gui_rc=0
wait "$gui_pid" || gui_rc=$?
gui_pid=""
if [ "$gui_rc" -ne 0 ] || grep -Eq "Traceback|netplanner: " "$work/gui.log"; then
    echo "deb-check: the window exited $gui_rc on SIGTERM:" >&2
    cat "$work/gui.log" >&2
    exit 1
fi
# The window saves its layout when it closes (MainWindow.closeEvent), so this file says the
# window was built and then closed the way a user closes it, not just that the process ended.
grep -q "geometry" "$root/tmp/netplanner-data/config/window.ini" 2>/dev/null || {
    echo "deb-check: the window did not save its layout on closing:" >&2
    cat "$work/gui.log" >&2
    exit 1
}
echo "deb-check: the window opened, and closed cleanly on SIGTERM (exit 0, layout saved)"

step "apt-get purge $package, autoremove"
in_root apt-get purge -y -qq "$package" >"$work/purge.log" 2>&1
in_root apt-get autoremove --purge -y -qq >>"$work/purge.log" 2>&1
if in_root dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q installed; then
    echo "deb-check: $package is still installed after purge" >&2
    exit 1
fi
list_files >"$work/files-after.txt"
left=$(comm -13 "$before" "$work/files-after.txt" || true)
if grep -i netplanner <<<"$left"; then
    echo "deb-check: the files above are left after apt-get purge" >&2
    exit 1
fi
if [ -n "$left" ]; then
    echo "deb-check: left by the dependencies' scripts (not the package's):"
    sed 's/^/    /' <<<"$left"
fi
step "passed: installed, used and purged on a fresh $suite minbase"
