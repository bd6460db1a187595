#!/usr/bin/env bash
# The packages, checked as a user and a distribution would: cpack builds the DEB and RPM
# from the existing build tree (nothing is recompiled) into a temporary folder, then
#   - lintian finds no error in either DEB (warnings are printed, and allowed),
#   - the .desktop file and the AppStream metadata validate, the icons are real PNGs,
#   - the RPMs carry the expected files, config and requirements (rpm -qip / -qlp),
#   - both DEBs install here, `huntaze --version` and `huntaze-relay check-config` run
#     from /usr/bin (the latter as the service's own user, reading /etc/huntaze-relay),
#   - purging them leaves the machine as it was found (files, user, installed packages).
#
#   check-packages.sh BUILD_DIR VERSION
# Exit 77 (ctest: skipped) where packages cannot be installed (not Debian, not root).
set -euo pipefail

build_dir=$1
version=$2
deb_version=$version-1

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "--- $*"; }

if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    echo "SKIP: not a Debian system; the packages are checked on Debian 12" >&2
    exit 77
fi
if ((EUID != 0)); then
    echo "SKIP: installing the packages needs root (CI runs the tests as root)" >&2
    exit 77
fi
for tool in cpack lintian rpm appstreamcli desktop-file-validate dpkg-shlibdeps file; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing: run scripts/install-deps.sh (scripts/debian-packages.txt)"
done
for package in huntaze huntaze-relay; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [[ -n $status && $status != not-installed ]]; then
        fail "$package is already installed here; this test installs and purges it, so" \
            "it refuses to touch an installation it did not make (dpkg --purge $package)"
    fi
done
getent passwd huntaze-relay >/dev/null && fail "a user huntaze-relay already exists here"

work=$(mktemp -d /tmp/huntaze-packages.XXXXXX)
installed=0
cleanup() {
    if ((installed)); then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q huntaze huntaze-relay >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step "cpack: DEB and RPM from $build_dir"
cpack --config "$build_dir/CPackConfig.cmake" -G "DEB;RPM" -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
desktop_deb=$work/huntaze_${deb_version}_amd64.deb
relay_deb=$work/huntaze-relay_${deb_version}_amd64.deb
desktop_rpm=$work/huntaze-$deb_version.x86_64.rpm
relay_rpm=$work/huntaze-relay-$deb_version.x86_64.rpm
for f in "$desktop_deb" "$relay_deb" "$desktop_rpm" "$relay_rpm"; do
    [[ -s $f ]] || { ls -l "$work"; fail "cpack did not make $(basename "$f")"; }
done

step "lintian (errors fail; warnings are shown)"
# No --suppress-tags: the warnings left are deliberate (0640/0750 for the relay's config
# and secrets folder, readable by its group only; a first changelog closes no bug).
lintian --fail-on error --tag-display-limit 0 "$desktop_deb" "$relay_deb" ||
    fail "lintian found errors in the DEBs (see above)"

step "control fields"
control() { dpkg-deb --field "$1" "$2"; }
[[ $(control "$desktop_deb" Package) == huntaze ]] || fail "desktop package is not named huntaze"
[[ $(control "$relay_deb" Package) == huntaze-relay ]] || fail "relay package is not named huntaze-relay"
for deb in "$desktop_deb" "$relay_deb"; do
    [[ $(control "$deb" Version) == "$deb_version" ]] || fail "$(basename "$deb"): version is not $deb_version"
    [[ $(control "$deb" Maintainer) == *@* ]] || fail "$(basename "$deb"): no maintainer address"
    # dpkg-shlibdeps ran: the libraries the programs load are dependencies.
    depends=$(control "$deb" Depends)
    [[ $depends == *libqt6core6* ]] || fail "$(basename "$deb"): Depends lacks libqt6core6"
    [[ $depends == *libpq5* ]] || fail "$(basename "$deb"): Depends lacks libpq5"
done
[[ $(control "$desktop_deb" Depends) == *libqt6widgets6* ]] || fail "huntaze: Depends lacks libqt6widgets6"
[[ $(control "$relay_deb" Depends) == *adduser* ]] || fail "huntaze-relay: Depends lacks adduser"
[[ $(control "$relay_deb" Depends) == *libsimdjson* ]] || fail "huntaze-relay: Depends lacks libsimdjson"
[[ $(dpkg-deb --ctrl-tarfile "$relay_deb" | tar -xO ./conffiles) == /etc/huntaze-relay/relay.conf ]] ||
    fail "huntaze-relay: /etc/huntaze-relay/relay.conf is not its conffile"

step "desktop entry, AppStream metadata, icons"
tree=$work/desktop-tree
dpkg-deb -x "$desktop_deb" "$tree"
desktop-file-validate "$tree/usr/share/applications/com.huntaze.Huntaze.desktop" ||
    fail "desktop-file-validate rejected the .desktop file"
appstreamcli validate --no-net "$tree/usr/share/metainfo/com.huntaze.Huntaze.metainfo.xml" ||
    fail "appstreamcli rejected the AppStream metadata"
grep -q "<release version=\"$version\"" "$tree/usr/share/metainfo/com.huntaze.Huntaze.metainfo.xml" ||
    fail "the AppStream metadata does not list release $version"
for size in 16 22 24 32 48 64 128 256 512; do
    png=$tree/usr/share/icons/hicolor/${size}x${size}/apps/huntaze.png
    [[ -f $png ]] || fail "no ${size}x${size} icon"
    [[ $(file -b "$png") == "PNG image data, $size x $size,"* ]] || fail "$png is not a ${size}x${size} PNG"
done
[[ -f $tree/usr/share/icons/hicolor/scalable/apps/huntaze.svg ]] || fail "no scalable icon"
for page in man1/huntaze.1.gz man1/huntaze-sandbox.1.gz; do
    [[ -f $tree/usr/share/man/$page ]] || fail "no manual page $page"
done

step "RPMs (rpm -qip / -qlp)"
# Into files first: grep -q stops reading early, which pipefail would count as a failure.
for rpm_file in "$desktop_rpm" "$relay_rpm"; do
    name=$(basename "$rpm_file" .rpm)
    rpm -qip "$rpm_file" >"$work/$name.info" 2>/dev/null
    rpm -qlvp "$rpm_file" >"$work/$name.files" 2>/dev/null
    rpm -qpR "$rpm_file" >"$work/$name.requires" 2>/dev/null
    rpm -qpc "$rpm_file" >"$work/$name.config" 2>/dev/null
    rpm -qp --scripts "$rpm_file" >"$work/$name.scripts" 2>/dev/null
    grep -q "^Version *: $version\$" "$work/$name.info" || fail "$name: version is not $version"
    grep -q "^License *: ." "$work/$name.info" || fail "$name: no licence"
    grep -q '^libQt6Core.so.6' "$work/$name.requires" || fail "$name: does not require libQt6Core"
done
desktop_name=$(basename "$desktop_rpm" .rpm)
relay_name=$(basename "$relay_rpm" .rpm)
rpm_has() { grep -q " $2\$" "$work/$1.files" || fail "$1 lacks $2"; }
for f in /usr/bin/huntaze /usr/bin/huntaze-sandbox /usr/share/huntaze/pg-cluster.sh \
    /usr/share/applications/com.huntaze.Huntaze.desktop \
    /usr/share/metainfo/com.huntaze.Huntaze.metainfo.xml \
    /usr/share/icons/hicolor/512x512/apps/huntaze.png \
    /usr/share/icons/hicolor/scalable/apps/huntaze.svg; do
    rpm_has "$desktop_name" "$f"
done
for f in /usr/bin/huntaze-relay /usr/lib/systemd/system/huntaze-relay.service \
    /usr/lib/sysusers.d/huntaze-relay.conf /etc/huntaze-relay/relay.conf \
    /usr/share/doc/huntaze-relay/FIRST-RUN /usr/share/man/man8/huntaze-relay.8.gz \
    /usr/share/huntaze-relay/grafana/huntaze-relay.json \
    /usr/share/huntaze-relay/prometheus/huntaze-alerts.yml; do
    rpm_has "$relay_name" "$f"
done
grep -q huntaze-relay "$work/$desktop_name.files" && fail "the desktop RPM carries relay files"
grep -qx /etc/huntaze-relay/relay.conf "$work/$relay_name.config" ||
    fail "relay.conf is not %config in the relay RPM"
grep -q '^-rw-r----- .*root *huntaze-.*/etc/huntaze-relay/relay.conf$' "$work/$relay_name.files" ||
    fail "relay.conf is not 0640 root:huntaze-relay in the relay RPM"
grep -q '^shadow-utils' "$work/$relay_name.requires" || fail "relay RPM does not require shadow-utils"
grep -q 'useradd' "$work/$relay_name.scripts" || fail "relay RPM creates no user"

step "install both DEBs"
dpkg-query -W -f='${Package} ${Version}\n' | sort >"$work/packages-before"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "$desktop_deb" "$relay_deb" >"$work/apt-install.log" 2>&1 ||
    { cat "$work/apt-install.log"; fail "apt-get could not install the DEBs"; }

step "run the installed programs"
out=$(QT_QPA_PLATFORM=offscreen /usr/bin/huntaze --version 2>/dev/null) || fail "huntaze --version failed"
[[ $out == *"$version"* ]] || fail "huntaze --version printed '$out', not $version"
out=$(/usr/bin/huntaze-relay --version 2>/dev/null) || fail "huntaze-relay --version failed"
[[ $out == *"$version"* ]] || fail "huntaze-relay --version printed '$out', not $version"
getent passwd huntaze-relay >/dev/null || fail "postinst made no huntaze-relay user"
[[ $(stat -c '%a %U %G' /etc/huntaze-relay/relay.conf) == "640 root huntaze-relay" ]] ||
    fail "relay.conf is $(stat -c '%a %U %G' /etc/huntaze-relay/relay.conf), not 640 root huntaze-relay"
[[ $(stat -c '%a %U' /var/lib/huntaze-relay) == "700 huntaze-relay" ]] ||
    fail "/var/lib/huntaze-relay is not 0700 huntaze-relay"
# As the service runs it: its user, the packaged config, nothing but the database URL.
out=$(runuser -u huntaze-relay -- env -i PATH=/usr/bin:/bin \
    HUNTAZE_DATABASE_URL=postgresql://huntaze@localhost/huntaze \
    /usr/bin/huntaze-relay --config /etc/huntaze-relay/relay.conf check-config) ||
    fail "huntaze-relay check-config failed on the packaged config"
[[ $(tr -d ' \n' <<<"$out") == *'"HUNTAZE_LISTEN":{"origin":"file"'* ]] ||
    fail "check-config did not read HUNTAZE_LISTEN from /etc/huntaze-relay/relay.conf"
# Every example in the config (commented out) is a key the relay knows.
sed -e 's/^#\([A-Z_]*=\)/\1/' -e '/_FILE=/d' /etc/huntaze-relay/relay.conf >"$work/examples.conf"
HUNTAZE_DATABASE_URL=postgresql://localhost/huntaze \
    /usr/bin/huntaze-relay --config "$work/examples.conf" check-config >/dev/null ||
    fail "an example in relay.conf is not a valid relay setting"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/huntaze-relay.service ||
        fail "systemd-analyze rejected the unit"
fi

step "purge, and the machine is as found"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q huntaze huntaze-relay >"$work/apt-purge.log" 2>&1 ||
    { cat "$work/apt-purge.log"; fail "apt-get could not purge the packages"; }
installed=0
dpkg-query -W -f='${Package} ${Version}\n' | sort >"$work/packages-after"
diff "$work/packages-before" "$work/packages-after" || fail "installed packages differ after the purge"
for path in /usr/bin/huntaze /usr/bin/huntaze-relay /etc/huntaze-relay /var/lib/huntaze-relay \
    /usr/share/huntaze /usr/lib/systemd/system/huntaze-relay.service; do
    [[ ! -e $path ]] || fail "$path is still there after the purge"
done
getent passwd huntaze-relay >/dev/null && fail "the huntaze-relay user is still there after the purge"
getent group huntaze-relay >/dev/null && fail "the huntaze-relay group is still there after the purge"
[[ $(dpkg-statoverride --list) == *huntaze-relay* ]] && fail "a dpkg-statoverride is left after the purge"

echo "packages OK: $(basename "$desktop_deb") $(basename "$relay_deb") $(basename "$desktop_rpm") $(basename "$relay_rpm")"
