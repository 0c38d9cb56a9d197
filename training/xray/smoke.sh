#!/usr/bin/env bash
# Smoke test for the Face X-Ray training code (called by the TS test suite; ~30 s on 2 cores).
# Setup check -> placeholder landmarks -> train.py --smoke -> export.py (+ onnx.checker) -> quantize
# (skips gracefully without Python onnxruntime) -> from_onnx.py on the shipped model -> crop convention self-check. Exit != 0 on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-/usr/bin/python3}"
DATA="${FAIRFACE_DIR:-$ROOT/../shared/data/fairface}"
TAR="$DATA/train-00.tar"
[[ -f "$TAR" ]] || { echo "smoke: $TAR not found (set FAIRFACE_DIR)" >&2; exit 1; }
"$PY" -c 'import torch, torchvision, onnx, numpy, PIL' || { echo "smoke: run training/setup.sh first" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
"$PY" -m training.xray.fake_landmarks --tars "$TAR" --limit 100 --nan-every 25 --out "$TMP/lm"
"$PY" -m training.xray.train --smoke --device cpu --tars "$TAR" --landmarks "$TMP/lm" --out "$TMP/run" \
  --summary-json "$TMP/summary.json"
"$PY" -m training.xray.export --checkpoint "$TMP/run/checkpoint.pt" --out "$TMP/run/xray.fp32.onnx"
"$PY" -m training.xray.quantize --fp32 "$TMP/run/xray.fp32.onnx" --int8 "$TMP/run/xray.int8.onnx" \
  --fp16 "$TMP/run/xray.fp16.onnx" --tars "$TAR" --landmarks "$TMP/lm" --max-faces 80 --calib 16 --eval 12
# the shipped model must stay recoverable as --init weights (from_onnx.py fails on a re-export mismatch)
"$PY" -m training.xray.from_onnx --onnx models/xray.fp16.onnx --tars "$TAR" --landmarks "$TMP/lm" --calib 64 \
  --out "$TMP/recovered.pt"
"$PY" - "$TMP" <<'PYEOF'
import json, sys, numpy as np
from training.xray import crop as C
tmp = sys.argv[1]
s = json.load(open(f"{tmp}/summary.json"))
assert s["steps"] > 0 and "auc_logit" in s["val"], s
import onnx
half = [i for i in onnx.load(f"{tmp}/run/xray.fp16.onnx").graph.initializer if i.data_type == onnx.TensorProto.FLOAT16]
assert len(half) > 20, len(half)  # the fp16 file is made even without Python onnxruntime
rng = np.random.default_rng(0)
img = (rng.random((224, 224, 3)) * 255).astype(np.uint8)
for box in [(112.0, 118.0, 235.0), (30.5, 40.0, 300.0), (200.0, 100.0, 90.5)]:
    d = np.abs(C.crop(img, *box) - C.crop_reference(img, *box)).max()
    assert d < 0.01, (box, d)
print(f"smoke OK: {s['steps']} steps, {s['img_s_overall']} img/s, val auc_logit {s['val']['auc_logit']:.3f}")
PYEOF
