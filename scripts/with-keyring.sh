#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked GNOME keyring,
# so QtKeychain talks to a real Secret Service without touching the user's own.
#   with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [[ -z ${HUNTAZE_IN_KEYRING_SESSION:-} ]]; then
  export HUNTAZE_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d -t huntaze-keyring.XXXXXX)
cleanup() {
  [[ -n ${GNOME_KEYRING_PID:-} ]] && kill "$GNOME_KEYRING_PID" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
export XDG_DATA_HOME=$scratch/data XDG_RUNTIME_DIR=$scratch/run HOME=${HOME:-$scratch}
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# A throwaway password creates and unlocks the login keyring (an empty one would make
# the daemon ask through a prompter, which needs a display).
eval "$(printf 'huntaze-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
# The daemon registers its bus name after it forks. Until it has, a client's request
# would make D-Bus start a second, locked daemon that can only prompt (and fails with
# no display), so wait for the name.
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.05
done
"$@"
