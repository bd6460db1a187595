#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Huntaze needs (scripts/debian-packages.txt, or
# the package lists given as arguments), only those missing. Uses sudo when not root.
# Elsewhere, prints what to install.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lists=("$@")
((${#lists[@]})) || lists=("$here/debian-packages.txt")
mapfile -t packages < <(cat "${lists[@]}" | grep -vE '^\s*(#|$)')

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian or Ubuntu system. Install the equivalents of:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  echo "then run the build again." >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  command -v sudo >/dev/null 2>&1 || { echo "Need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "Installing ${#missing[@]} missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Try with the current package lists first; refresh them only if that fails.
if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  "${as_root[@]}" apt-get update >&2
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
