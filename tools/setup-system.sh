#!/usr/bin/env bash
# System packages the test suite needs beyond npm: the Python side of training (Debian's PyTorch,
# for the training smoke test) and Chromium (for the web demo's end-to-end test). Installs only
# what is missing; a no-op on a prepared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash training/setup.sh >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "system packages ready: $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'), $(chromium --version 2>/dev/null | head -1)"
