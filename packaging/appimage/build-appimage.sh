#!/usr/bin/env bash
# Builds Huntaze-<version>-x86_64.AppImage with linuxdeploy and its Qt plugin, from a
# configured and built tree (Release, e.g. `cmake --preset release && cmake --build
# --preset release`). Run on the oldest distribution to support (CI: ubuntu-22.04).
#
#   packaging/appimage/build-appimage.sh [BUILD_DIR (build/release)] [OUTPUT_DIR (.)]
#
# Needs: qmake6 (Qt 6), wget; linuxdeploy and linuxdeploy-plugin-qt are downloaded into
# BUILD_DIR/appimage-tools unless already there. The AppImage carries the relay and the
# sandbox beside the app (sandbox mode starts them); PostgreSQL comes from the system.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build_dir=$(realpath "${1:-$source_dir/build/release}")
output_dir=$(realpath "${2:-.}")
tools=$build_dir/appimage-tools
appdir=$build_dir/AppDir
release=continuous

mkdir -p "$tools"
for tool in linuxdeploy-x86_64.AppImage linuxdeploy-plugin-qt-x86_64.AppImage; do
    if [[ ! -x $tools/$tool ]]; then
        project=${tool%-x86_64.AppImage}
        wget -q -O "$tools/$tool" \
            "https://github.com/linuxdeploy/$project/releases/download/$release/$tool"
        chmod +x "$tools/$tool"
    fi
done

# The desktop component (app, sandbox, pg-cluster.sh, .desktop, AppStream, icons) as a
# /usr tree, plus the relay's program only (its /etc and systemd files are for servers).
rm -rf "$appdir"
DESTDIR=$appdir cmake --install "$build_dir" --prefix /usr --component desktop
install -D -m 0755 "$build_dir/bin/huntaze-relay" "$appdir/usr/bin/huntaze-relay"

version=$(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' \
    "$appdir/usr/share/metainfo/com.huntaze.Huntaze.metainfo.xml")
export QMAKE=${QMAKE:-qmake6}
# The SVG icon engine; the xcb platform plugin comes by default (XWayland on Wayland).
export EXTRA_QT_MODULES="svg"
export LINUXDEPLOY_OUTPUT_VERSION=$version
# No extraction needed where FUSE is missing (containers, CI).
export APPIMAGE_EXTRACT_AND_RUN=1
cd "$output_dir"
"$tools/linuxdeploy-x86_64.AppImage" --appdir "$appdir" \
    --executable "$appdir/usr/bin/huntaze" \
    --executable "$appdir/usr/bin/huntaze-relay" \
    --executable "$appdir/usr/bin/huntaze-sandbox" \
    --desktop-file "$appdir/usr/share/applications/com.huntaze.Huntaze.desktop" \
    --icon-file "$appdir/usr/share/icons/hicolor/256x256/apps/huntaze.png" \
    --plugin qt --output appimage
ls -l "$output_dir"/Huntaze-*.AppImage
