#!/usr/bin/env bash
# The Secure9P test PKI (CA, server, agent, expired and foreign certificates) in
# reference/pki/generated/ (gitignored). Idempotent; the reference service would
# make it on first use anyway, this only moves the cost out of the first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx reference/pki/make.ts
