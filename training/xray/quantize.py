"""int8 (static, QDQ, per-channel weights) and fp16 variants of the fp32 ONNX model.

fp16 = fp16 weights + Cast, fp32 compute (training/common/onnx_storage.py), made with `onnx` alone.
int8 needs Python onnxruntime (present on the GPU machine, absent on the dev box): without it this
says so, writes the fp16 file and exits 0. Calibration: ~256 crops from the recipe (real/BI/SBI
mix, seeded) drawn from the training faces; evaluation: a separate seeded set from the held-out
faces, reporting fp32 vs int8 vs fp16 agreement and AUCs, plus single-thread CPU latency.

  python3 -m training.xray.quantize --fp32 OUT/xray.fp32.onnx --int8 OUT/xray.int8.onnx \
      --fp16 OUT/xray.fp16.onnx --tars ... --landmarks DIR
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

from ..common.onnx_storage import fp16_storage


def crops(store, subset, partners, recipe, n, seed):
    from .crop import MEAN, STD
    from .data import FixedSet

    ds = FixedSet(store, subset, partners, recipe, n, seed=seed)
    mean = np.array(MEAN, np.float32).reshape(1, 3, 1, 1)
    std = np.array(STD, np.float32).reshape(1, 3, 1, 1)
    for i in range(n):
        x, _, y, k = ds[i]
        yield ((x[None].astype(np.float32) / 255.0 - mean) / std).astype(np.float32), float(y), int(k)


def run_all(path, xs, providers=("CPUExecutionProvider",)):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=list(providers))
    outs = [sess.run(None, {"image": x}) for x in xs]
    t = time.time()
    for x in xs[:20]:
        sess.run(None, {"image": x})
    ms = 1000 * (time.time() - t) / min(20, len(xs))
    return np.stack([o[0].astype(np.float32)[0, 0] for o in outs]), np.array([float(o[1][0]) for o in outs]), ms


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fp32", required=True)
    ap.add_argument("--int8", required=True)
    ap.add_argument("--fp16", default="")
    ap.add_argument("--tars", nargs="+", required=True)
    ap.add_argument("--landmarks", required=True)
    ap.add_argument("--calib", type=int, default=256)
    ap.add_argument("--eval", type=int, default=200)
    ap.add_argument("--max-faces", type=int, default=0)
    ap.add_argument("--val-faces", type=int, default=0, help="same held-out slice as train.py (default min(500, 5%%))")
    ap.add_argument("--report", default="")
    a = ap.parse_args(argv)
    report = {}

    def finish(rc=0):
        print(json.dumps(report))
        if a.report:
            with open(a.report, "w") as f:
                json.dump(report, f, indent=2)
        return rc

    if a.fp16:  # pure onnx: made (and shippable) also where onnxruntime is missing
        report["fp16_storage"] = fp16_storage(a.fp32, a.fp16)
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                              quantize_static)
    except ImportError as e:
        report["skipped"] = f"onnxruntime (Python) not available here ({e}); int8 not produced, fp16 not compared"
        print(report["skipped"], file=sys.stderr)
        return finish(0)
    report["onnxruntime"] = ort.__version__

    from .data import FaceStore
    from .metrics import roc_auc
    from .recipe import load_recipe

    recipe = load_recipe()
    store = FaceStore.load(a.tars, a.landmarks, max_faces=a.max_faces)
    tr, va = store.split(a.val_faces or min(500, max(2, len(store) // 20)))
    k = recipe["bi"]["neighbours"]
    p_tr, p_va = store.partner_table(tr, k), store.partner_table(va, k)
    calib = [x for x, _, _ in crops(store, tr, p_tr, recipe, a.calib, seed=777)]
    ev = list(crops(store, va, p_va, recipe, a.eval, seed=999))
    ev_x, ev_y = [e[0] for e in ev], np.array([e[1] for e in ev])

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(calib)

        def get_next(self):
            x = next(self.it, None)
            return None if x is None else {"image": x}

    t = time.time()
    src = a.fp32
    with tempfile.TemporaryDirectory() as td:
        try:
            from onnxruntime.quantization.shape_inference import quant_pre_process

            pre = os.path.join(td, "pre.onnx")
            quant_pre_process(a.fp32, pre, skip_symbolic_shape=True)
            src = pre
            report["pre_process"] = "ok"
        except Exception as e:  # noqa: BLE001
            report["pre_process"] = f"skipped: {type(e).__name__}: {e}"
        quantize_static(src, a.int8, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax)
    report["int8_s"] = round(time.time() - t, 1)

    variants = {"fp32": a.fp32, "int8": a.int8}
    if a.fp16:
        variants["fp16"] = a.fp16

    ref_b = ref_l = None
    for name, path in variants.items():
        r = {"bytes": os.path.getsize(path)}
        try:
            b, l, ms = run_all(path, ev_x)
            r.update(cpu_ms_1thread=round(ms, 2), auc_logit=roc_auc(l, ev_y), auc_maxB=roc_auc(b.max((1, 2)), ev_y))
            if ref_b is None:
                ref_b, ref_l = b, l
            else:
                r.update(max_abs_dlogit=float(np.abs(l - ref_l).max()), mean_abs_dlogit=float(np.abs(l - ref_l).mean()),
                         mean_abs_dboundary=float(np.abs(b - ref_b).mean()))
        except Exception as e:  # noqa: BLE001
            r["run_error"] = f"{type(e).__name__}: {e}"
        report[name] = r
        print(f"{name}: {r}", flush=True)
    report["eval_samples"] = len(ev_x)
    report["calib_samples"] = len(calib)
    ok = "run_error" not in report.get("int8", {"run_error": 1})
    return finish(0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
