#!/usr/bin/env bash
# make tarball: dist/netplanner-<version>-linux-<arch>.tar.gz, the bundle for any Linux with
# glibc and the libraries the .deb depends on, installed per user by its install.sh.
#
#   packaging/make_tarball.sh [dist/netplanner]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bundle=$(realpath "${1:-$here/dist/netplanner}")
[ -x "$bundle/netplanner" ] || { echo "make_tarball: no bundle in $bundle (make dist)" >&2; exit 1; }
version=$("$bundle/netplanner" --version | cut -d' ' -f2)
app_id=$(sed -n 's/^APP_ID = "\(.*\)"$/\1/p' "$here/netplanner/__init__.py")
arch=$(uname -m)
name=netplanner-$version-linux-$arch
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

top=$work/$name
mkdir -p "$top/share/applications" "$top/share/metainfo" "$top/share/man/man1"
cp -a "$bundle" "$top/netplanner"
cp "$here/packaging/linux/$app_id.desktop" "$top/share/applications/"
cp "$here/packaging/linux/$app_id.metainfo.xml" "$top/share/metainfo/"
for png in "$here"/resources/icon/png/netplanner-*.png; do
    size=${png##*-}; size=${size%.png}
    mkdir -p "$top/share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$top/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
mkdir -p "$top/share/icons/hicolor/scalable/apps"
cp "$here/resources/icon/netplanner.svg" "$top/share/icons/hicolor/scalable/apps/$app_id.svg"
SOURCE_DATE_EPOCH=$epoch "$here/.venv/bin/python" -m scripts.build_manpage -o "$top/share/man/man1/netplanner.1"
cp "$here/LICENSE" "$here/README.md" "$top/"
sed "s/@APP_ID@/$app_id/g" "$here/packaging/linux/install.sh" > "$top/install.sh"
chmod 0755 "$top/install.sh"

mkdir -p "$here/dist"
out=$here/dist/$name.tar.gz
# Sorted names, one owner, one time: the same bundle gives the same archive.
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -cf - "$name" | gzip -9n > "$out"
echo "make_tarball: ${out#"$here"/} ($(du -m "$out" | cut -f1) MB)"
