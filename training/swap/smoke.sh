#!/usr/bin/env bash
# Smoke test of the FaceShifter training code on CPU (< 90 s on 2 busy cores): a few lite AEI + HEAR steps
# on 64 faces -> eval (held-out ID figure) -> slim checkpoint -> ONNX export (+ checker) -> int8/fp16 ->
# onnxruntime-node parity with torch. Uses .carry/xray (real landmarks) when present, else
# $FAIRFACE_DIR/train-00.tar with PLACEHOLDER landmarks (training/xray/fake_landmarks.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-/usr/bin/python3}"
"$PY" -c 'import torch, onnx, numpy, PIL' || { echo "smoke: run training/setup.sh first" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
T0=$(date +%s)
DATA="${SWAP_DATA:-$ROOT/.carry/xray}"
FIRST_TAR=$(ls "$DATA"/*.tar 2>/dev/null | head -n 1 || true)
if [[ -f "$DATA/landmarks/lm68.bin" && -n "$FIRST_TAR" ]]; then
  TARS=("$FIRST_TAR"); LM="$DATA/landmarks"
else
  TAR="${FAIRFACE_DIR:-$ROOT/../shared/data/fairface}/train-00.tar"
  [[ -f "$TAR" ]] || { echo "smoke: no .carry/xray and no $TAR" >&2; exit 1; }
  "$PY" -m training.xray.fake_landmarks --tars "$TAR" --limit 100 --out "$TMP/lm"
  TARS=("$TAR"); LM="$TMP/lm"
fi
"$PY" -m training.swap.train --smoke --id-views --device cpu --config lite --stage both --tars "${TARS[@]}" --landmarks "$LM" \
  --out "$TMP/run" --summary-json "$TMP/summary.json" --slim-checkpoint "$TMP/slim.pt"
"$PY" -m training.swap.export --checkpoint "$TMP/slim.pt" --out-dir "$TMP/onnx" --report "$TMP/export.json" \
  --ref-json "$TMP/ref.json"
"$PY" -m training.swap.quantize --fp32 "$TMP/onnx/aei_lite.fp32.onnx" --int8 "$TMP/onnx/aei_lite.int8.onnx" \
  --fp16 "$TMP/onnx/aei_lite.fp16.onnx" --report "$TMP/q.json"
"$PY" -m training.swap.quantize --fp32 "$TMP/onnx/hear_lite.fp32.onnx" --int8 "$TMP/onnx/hear_lite.int8.onnx"
if command -v node >/dev/null && [[ -d node_modules/onnxruntime-node ]]; then
  node training/swap/ort-node-check.mjs "$TMP/ref.json" aei="$TMP/onnx/aei_lite.fp32.onnx" hear="$TMP/onnx/hear_lite.fp32.onnx" tol=1e-4
fi
"$PY" - "$TMP" "$T0" <<'PYEOF'
import json, os, sys, time
tmp, t0 = sys.argv[1], int(sys.argv[2])
s = json.load(open(f"{tmp}/summary.json"))
e = json.load(open(f"{tmp}/export.json"))
assert s["state"]["aei_step"] > 0 and s["state"]["hear_step"] > 0, s["state"]
assert s["slim_checkpoint"]["bytes"] < 16e6, s["slim_checkpoint"]
assert e["aei"]["inputs"] == [["target", [1, 3, 128, 128]], ["source_id", [1, 256]]], e["aei"]
sizes = {f: os.path.getsize(f"{tmp}/onnx/{f}") for f in sorted(os.listdir(f"{tmp}/onnx"))}
print(f"smoke OK: aei {s['state']['aei_step']} + hear {s['state']['hear_step']} steps, G {s['g_params']/1e6:.2f} M params "
      f"{s['g_gmac']} GMAC, held-out id cos swap/src {s['heldout']['id_cos_swap_vs_source']} vs tgt/src "
      f"{s['heldout']['id_cos_target_vs_source']}, slim ckpt {s['slim_checkpoint']['bytes']/1e6:.1f} MB "
      f"({s['slim_checkpoint']['dtype']}, D={s['slim_checkpoint']['with_D']}), onnx {sizes}, {time.time()-t0:.0f} s")
PYEOF
