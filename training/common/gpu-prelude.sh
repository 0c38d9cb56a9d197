# Shared preamble of the ONE-SHOT gpu-run.sh scripts (training/swap, training/xray). Source it, from bash:
#   source "$(dirname "${BASH_SOURCE[0]}")/../common/gpu-prelude.sh"
# It sets `-uo pipefail`, checks $OUT, creates it and tees all further output to $OUT/run.log, starts
# the clock T0 and defines:
#   fail MSG...                 print FATAL and exit 1
#   stamp MSG...                print a "=== [Ns] MSG" progress line (N = seconds since T0)
#   find_python MODULE...       set PY to $PYTHON, else the first of python3/python/usr/bin/python3 that
#                               imports all MODULEs (fatal when none does)
#   check_data HINT             check $DATA holds *.tar files and landmarks/{landmarks.json,lm68.bin};
#                               sets TARS (array) and LM. HINT follows "missing" when $DATA is absent
#   check_placeholder HINT      fatal when $LM holds placeholder landmarks, unless ALLOW_PLACEHOLDER=1;
#                               HINT follows "PLACEHOLDER landmarks" in the message
#   finish_out RC               list $OUT, warn when it holds > 8 files or any over 16 MB, exit RC
set -uo pipefail
: "${OUT:?set OUT to the result folder}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1

T0=$(date +%s)
fail() { echo "FATAL: $*" >&2; exit 1; }
stamp() { echo "=== [$(( $(date +%s) - T0 ))s] $*"; }

find_python() {
  local mods c
  mods=$(IFS=,; echo "$*")
  PY="${PYTHON:-}"
  if [[ -z "$PY" ]]; then
    for c in python3 python /usr/bin/python3; do
      if command -v "$c" >/dev/null && "$c" -c "import ${mods//,/, }" 2>/dev/null; then PY="$c"; break; fi
    done
  fi
  [[ -n "$PY" ]] || fail "no python with ${mods//,/, }"
}

check_data() {
  [[ -d "$DATA" ]] || fail "data folder $DATA missing ($1)"
  shopt -s nullglob
  TARS=("$DATA"/*.tar)
  ((${#TARS[@]})) || fail "no .tar files in $DATA"
  LM="$DATA/landmarks"
  [[ -f "$LM/landmarks.json" && -f "$LM/lm68.bin" ]] || fail "landmarks missing in $LM"
}

check_placeholder() {
  if grep -q '"placeholder": true' "$LM/landmarks.json" && [[ "${ALLOW_PLACEHOLDER:-0}" != 1 ]]; then
    fail "$LM holds PLACEHOLDER landmarks$1; set ALLOW_PLACEHOLDER=1 only for dry runs"
  fi
}

finish_out() {
  stamp "OUT contents"
  ls -la "$OUT"
  local n big
  n=$(find "$OUT" -maxdepth 1 -type f | wc -l)
  big=$(find "$OUT" -maxdepth 1 -type f -size +16M)
  ((n <= 8)) || echo "WARNING: $n files in OUT (limit 8)" >&2
  [[ -z "$big" ]] || echo "WARNING: over 16 MB: $big" >&2
  stamp "done (quantize rc=$1)"
  exit "$1"
}
