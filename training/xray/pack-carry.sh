#!/usr/bin/env bash
# Fill .carry/xray (tars + landmarks subset, <= 58 MiB) for training/xray/gpu-run.sh.
#   bash training/xray/pack-carry.sh LANDMARKS_DIR [--tars train-00.tar train-01.tar] [--fill train-02.tar]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" exec /usr/bin/python3 -m training.xray.pack_carry "$@"
