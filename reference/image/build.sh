#!/bin/sh
# CLASSIFICATION: COMMUNITY
# Filename: build.sh v0.1
# Author: cohesix-qa
# Date Modified: 2026-11-29
#
# Builds every variant of the reference guest image from the same source with
# the Debian cross compiler, makes a throw-away ed25519 test key (once), and
# signs the images: <image>.sig (detached ed25519 over the image bytes) and
# SHA256SUMS + SHA256SUMS.sig. boot-tampered is the signed ok image with bytes
# changed afterwards. Idempotent: outputs in build/, the key is kept; nothing
# is rebuilt when no source is newer than the build (FORCE=1 rebuilds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/build"
CC=${CC:-aarch64-linux-gnu-gcc}
CPP=${CPP:-aarch64-linux-gnu-cpp}
command -v "$CC" >/dev/null 2>&1 || { echo "build.sh: $CC not found (fix: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 3; }
command -v openssl >/dev/null 2>&1 || { echo "build.sh: openssl not found (fix: apt-get install openssl)" >&2; exit 3; }
mkdir -p "$out"

# one build at a time (parallel test files and runs share this directory); a
# build that waited finds the work done and leaves it alone
exec 9>"$out/.lock"
flock 9
if [ "${FORCE:-0}" != 1 ] && [ -f "$out/ok.elf" ] && [ -f "$out/SHA256SUMS.sig" ] && [ -f "$out/boot-tampered.elf" ] && [ -f "$out/release-gic2.elf" ] \
  && [ -z "$(find "$here" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.ld' -o -name '*.sh' \) -newer "$out/ok.elf")" ]; then
  echo "reference images up to date in $out"
  exit 0
fi

CFLAGS="-O2 -ffreestanding -nostdlib -nostartfiles -mgeneral-regs-only -fno-stack-protector -fno-pic -static -mcmodel=small -Wall -Wextra -Werror"
LDFLAGS="-Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -Wl,--build-id=none"
SRC="$here/start.S $here/main.c $here/uart.c $here/clock.c $here/selftest.c $here/console.c"

build() {
  name=$1; shift
  ld="$out/link-$name.ld"
  "$CPP" -P "$@" "$here/link.ld" -o "$ld"
  "$CC" $CFLAGS $LDFLAGS "$@" -DIMAGE_VARIANT="\"$name\"" -T "$ld" $SRC -o "$out/$name.elf.tmp"
  mv "$out/$name.elf.tmp" "$out/$name.elf"
  rm -f "$ld"
}

build ok
build boot-slow -DBOOT_SLOW
build boot-fault -DBOOT_FAULT
build boot-selftest-fail -DSYSCALL_SIGN_BUG
build boot-bad-layout -DBAD_LAYOUT
build boot-hang -DBOOT_HANG
build boot-markers-out-of-order -DMARKERS_OUT_OF_ORDER
# the release-bundle emulation: release milestones, a kernel built for GICv2
build release-gic2 -DRELEASE_GIC=2

# a test key for this checkout only; never a secret worth keeping
[ -f "$out/test-signing-key.pem" ] || openssl genpkey -algorithm ed25519 -out "$out/test-signing-key.pem" 2>/dev/null
openssl pkey -in "$out/test-signing-key.pem" -pubout -out "$out/test-signing-key.pub.pem"

cd "$out"
for img in ok boot-slow boot-fault boot-selftest-fail boot-bad-layout boot-hang boot-markers-out-of-order; do
  openssl pkeyutl -sign -rawin -inkey test-signing-key.pem -in "$img.elf" -out "$img.elf.sig"
done

# boot-tampered: the signed ok image, then one word of its version banner changed
cp ok.elf boot-tampered.elf
cp ok.elf.sig boot-tampered.elf.sig
offset=$(grep -abo 'Cohesix reference root server' ok.elf | head -n1 | cut -d: -f1)
[ -n "$offset" ] || { echo "build.sh: banner not found in ok.elf" >&2; exit 1; }
printf 'Cohesix TAMPERED!' | dd of=boot-tampered.elf bs=1 seek="$offset" conv=notrunc status=none

# the manifest lists the hashes of the images as signed (the tampered one keeps ok's entry)
: > SHA256SUMS.tmp
for img in ok boot-slow boot-fault boot-selftest-fail boot-bad-layout boot-hang boot-markers-out-of-order; do
  sha256sum "$img.elf" >> SHA256SUMS.tmp
done
printf '%s  %s\n' "$(sha256sum ok.elf | cut -d' ' -f1)" boot-tampered.elf >> SHA256SUMS.tmp
mv SHA256SUMS.tmp SHA256SUMS
openssl pkeyutl -sign -rawin -inkey test-signing-key.pem -in SHA256SUMS -out SHA256SUMS.sig
echo "reference images built in $out"
