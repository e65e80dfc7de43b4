#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 / Ubuntu 22.04-24.04 machine with Node 20
# (no snap needed): the apt packages the suites drive (QEMU, the aarch64 cross
# compiler, Chromium when no browser is there yet, bats, diod,
# openssl; PostgreSQL for the history-store tests; python3, make and g++ so
# better-sqlite3 can build its native module when no prebuilt binary downloads),
# the npm packages (npm ci, only when the lockfile changed), then each
# area's own set-up in scripts/setup.d/ (guest image, test PKI, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(time bats qemu-system-arm qemu-system-x86 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gcc diod libxml2-utils openssl ca-certificates postgresql python3 make g++ cpio)
# Chromium: any browser the harness finds will do (GitHub's ubuntu runners have
# google-chrome). Otherwise Debian's chromium deb; Ubuntu's `chromium` is a snap
# transitional package (a shim, no browser, without snapd), so there Playwright's
# own Chromium is installed after npm ci instead.
playwright_chromium=""
if ! bash scripts/chromium-present.sh >/dev/null; then
  # package lists may not be there yet on a fresh machine, so the distribution decides too
  os_id="$( (. /etc/os-release 2>/dev/null && echo "${ID:-} ${ID_LIKE:-}") || true)"
  if [[ " $os_id " == *" ubuntu "* ]] ||
    { command -v apt-cache >/dev/null && apt-cache show --no-all-versions chromium 2>/dev/null | grep -qiE 'snap|transitional'; }; then
    playwright_chromium=1
  else
    APT_PKGS+=(chromium)
  fi
fi
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

if [ -n "$playwright_chromium" ]; then
  echo "setup: no browser found and apt's chromium is a snap shim: installing Playwright's Chromium"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # the system libraries Chromium needs (apt), then the browser into ~/.cache/ms-playwright
  $SUDO "$(command -v node)" node_modules/playwright-core/cli.js install-deps chromium
  node node_modules/playwright-core/cli.js install chromium
fi

for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
