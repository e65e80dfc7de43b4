#!/usr/bin/env bash
# Boot area set-up: build the reference guest image variants, make the
# throw-away ed25519 test key (once) and sign the images. build.sh is
# idempotent and returns at once when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
  echo "setup: aarch64-linux-gnu-gcc missing; the boot suite will report an infrastructure error (fix: apt-get install gcc-aarch64-linux-gnu)" >&2
  exit 0
fi
sh reference/image/build.sh >/dev/null
