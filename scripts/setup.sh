#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 / Ubuntu machine with Node 20: the apt
# packages the suites drive (QEMU, the aarch64 cross compiler, Chromium, diod,
# openssl; PostgreSQL for the history-store tests; python3, make and g++ so
# better-sqlite3 can build its native module when no prebuilt binary downloads),
# the npm packages (npm ci, only when the lockfile changed), then each
# area's own set-up in scripts/setup.d/ (guest image, test PKI, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(time qemu-system-arm qemu-system-x86 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc chromium diod libxml2-utils openssl ca-certificates postgresql python3 make g++ cpio)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing ${missing[*]} and no apt-get here; suites that need them will report infrastructure errors" >&2
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
