#!/bin/sh
# Install NetPlanner for this user, under ~/.local (or PREFIX): the program in
# PREFIX/lib/netplanner, the command in PREFIX/bin, the menu entry, icons, metainfo and man
# page under PREFIX/share. ./install.sh --uninstall removes all of it; your contacts and
# settings (~/.local/share/netplanner, ~/.config/netplanner) are never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
app_id=@APP_ID@
files="share/applications/$app_id.desktop share/metainfo/$app_id.metainfo.xml share/man/man1/netplanner.1"
for icon in "$here"/share/icons/hicolor/*/apps/*; do
    files="$files ${icon#"$here"/}"
done

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$prefix/share/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix/lib/netplanner"
    rm -f "$prefix/bin/netplanner"
    for file in $files; do rm -f "$prefix/$file"; done
    refresh
    echo "NetPlanner removed from $prefix (your data is kept)."
    exit 0
fi

mkdir -p "$prefix/lib" "$prefix/bin"
rm -rf "$prefix/lib/netplanner"
cp -a "$here/netplanner" "$prefix/lib/netplanner"
ln -sf "$prefix/lib/netplanner/netplanner" "$prefix/bin/netplanner"
for file in $files; do
    mkdir -p "$(dirname "$prefix/$file")"
    cp "$here/$file" "$prefix/$file"
done
# The menu entry runs the program by its full path: ~/.local/bin is not on every PATH.
sed -i "s|^Exec=netplanner |Exec=$prefix/bin/netplanner |" "$prefix/share/applications/$app_id.desktop"
refresh
echo "NetPlanner installed in $prefix; run 'netplanner' or open it from the menu."
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "(add $prefix/bin to your PATH for the command)";; esac
