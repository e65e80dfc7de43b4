#!/usr/bin/env bash
# Prints the Chromium the harness would find (same order as harness/gui/find-browser.ts:
# CHROME_PATH, chromium / chromium-browser / google-chrome on PATH, Playwright's
# browsers) and exits 0; exits 1 when there is none. A snap shim without the snap
# (what Ubuntu's chromium debs install) does not count. Used by setup.sh to leave
# an existing browser alone.
set -uo pipefail
search_path="${PATH:-}"
# the tools below (stat, grep) are found even when the PATH searched for browsers lacks them
PATH="${PATH:-}:/usr/bin:/bin"

usable() {
  [ -f "$1" ] && [ -x "$1" ] || return 1
  # Ubuntu's transitional chromium / chromium-browser: a small script that execs /snap/bin/chromium
  if [ "$(stat -Lc %s "$1" 2>/dev/null || echo 0)" -lt 16384 ] && grep -qs '/snap/bin/' "$1" && ! [ -x /snap/bin/chromium ]; then
    return 1
  fi
}

if [ -n "${CHROME_PATH:-}" ] && usable "$CHROME_PATH"; then echo "$CHROME_PATH"; exit 0; fi
for name in chromium chromium-browser google-chrome; do
  IFS=: read -ra dirs <<<"$search_path"
  for d in "${dirs[@]}"; do
    [ -n "$d" ] && usable "$d/$name" && { echo "$d/$name"; exit 0; }
  done
done
for p in "${PLAYWRIGHT_BROWSERS_PATH:-${HOME:-/nonexistent}/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome \
  "${PLAYWRIGHT_BROWSERS_PATH:-${HOME:-/nonexistent}/.cache/ms-playwright}"/chromium_headless_shell-*/chrome-headless-shell-linux64/chrome-headless-shell; do
  usable "$p" && { echo "$p"; exit 0; }
done
exit 1
