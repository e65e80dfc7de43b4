#!/usr/bin/env bash
# CLASSIFICATION: COMMUNITY
# Filename: boot_qemu.sh v0.5
# Author: Lukas Bower
# Date Modified: 2029-03-02
set -euo pipefail
exec qemu-system-aarch64 -machine virt -cpu cortex-a57 -m 1024 -nographic \
  -serial mon:stdio -kernel "${1:?root server ELF}" -no-reboot
