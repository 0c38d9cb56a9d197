"""int8 and fp16 variants of the exported swap models.

int8 = weight-only, per-output-channel symmetric int8 + DequantizeLinear for Conv / ConvTranspose / Gemm
weights, compute in fp32 -- the storage scheme of the shipped face models (mobilefacenet.int8.onnx etc.),
pure `onnx`, so it works without Python onnxruntime. ~4x smaller, no calibration, and no activation
quantisation (InstanceNorm statistics and the AAD sigmoid masks stay exact). With --static, and when
Python onnxruntime exists, onnxruntime's quantize_static (QDQ, per-channel, random-free calibration
on the export inputs you pass) is attempted instead; without onnxruntime that option is skipped.
fp16 = float initializers stored as fp16 + Cast to fp32 (compute fp32).
When Python onnxruntime exists the variants are compared with fp32 (max/mean |diff|, PSNR) on
seeded inputs and timed on one CPU thread.

  python3 -m training.swap.quantize --fp32 OUT/aei_lite.fp32.onnx --int8 OUT/aei_lite.int8.onnx [--fp16 F]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnx

from ..common.onnx_storage import fp16_storage, weight_only_int8


def feeds_for(path, n, seed=0):
    """Seeded inputs shaped like the graph's: images in [-1,1]; source_id a unit vector near the
    embedding centre (like real raw embeddings); error small."""
    m = onnx.load(path, load_external_data=False)
    rng = np.random.default_rng(seed)
    out = []
    centre = None
    for _ in range(n):
        f = {}
        for i in m.graph.input:
            shp = [d.dim_value for d in i.type.tensor_type.shape.dim]
            if i.name == "source_id":
                if centre is None:
                    from .identity import load_centre

                    centre = load_centre().numpy()
                v = centre + 0.01 * rng.standard_normal(shp).astype(np.float32)
                f[i.name] = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
            elif i.name == "error":
                f[i.name] = (0.2 * rng.standard_normal(shp)).astype(np.float32)
            else:
                f[i.name] = rng.uniform(-1, 1, shp).astype(np.float32)
        out.append(f)
    return out


def compare(variants, feeds):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    res, ref = {}, None
    for name, path in variants.items():
        r = {"bytes": os.path.getsize(path)}
        try:
            sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
            outs = [sess.run(None, f)[0] for f in feeds]
            t = time.time()
            for f in feeds[:5]:
                sess.run(None, f)
            r["cpu_ms_1thread"] = round(1000 * (time.time() - t) / min(5, len(feeds)), 1)
            o = np.stack(outs)
            if ref is None:
                ref = o
            else:
                d = o - ref
                mse = float((d ** 2).mean())
                r.update(max_abs_diff=float(np.abs(d).max()), mean_abs_diff=float(np.abs(d).mean()),
                         psnr_db_vs_fp32=round(10 * np.log10(4.0 / max(mse, 1e-20)), 2))
        except Exception as e:  # noqa: BLE001
            r["run_error"] = f"{type(e).__name__}: {e}"
        res[name] = r
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fp32", required=True)
    ap.add_argument("--int8", default="")
    ap.add_argument("--fp16", default="")
    ap.add_argument("--static", action="store_true", help="onnxruntime quantize_static (needs Python onnxruntime)")
    ap.add_argument("--eval", type=int, default=8)
    ap.add_argument("--report", default="")
    a = ap.parse_args(argv)
    report, variants, rc = {}, {"fp32": a.fp32}, 0
    if a.int8:
        try:
            if a.static:
                try:
                    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                                          quantize_static)

                    class Reader(CalibrationDataReader):
                        def __init__(self):
                            self.it = iter(feeds_for(a.fp32, 16, seed=7))

                        def get_next(self):
                            return next(self.it, None)

                    quantize_static(a.fp32, a.int8, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
                    report["int8"] = {"method": "onnxruntime quantize_static QDQ per-channel"}
                except ImportError as e:
                    report["int8_static_skipped"] = f"onnxruntime not available ({e}); using weight-only int8"
                    report["int8"] = dict(method="weight-only", **weight_only_int8(a.fp32, a.int8))
            else:
                report["int8"] = dict(method="weight-only", **weight_only_int8(a.fp32, a.int8))
            variants["int8"] = a.int8
        except Exception as e:  # noqa: BLE001
            report["int8_error"] = f"{type(e).__name__}: {e}"
            rc = 1
    if a.fp16:
        try:
            report["fp16"] = fp16_storage(a.fp32, a.fp16)
            variants["fp16"] = a.fp16
        except Exception as e:  # noqa: BLE001
            report["fp16_error"] = f"{type(e).__name__}: {e}"
            rc = 1
    report["bytes"] = {k: os.path.getsize(v) for k, v in variants.items()}
    try:
        import onnxruntime  # noqa: F401

        report["compare"] = compare(variants, feeds_for(a.fp32, a.eval))
        if any("run_error" in v for v in report["compare"].values()):
            rc = 1
    except ImportError:
        report["compare"] = "onnxruntime (Python) not installed: variants not run here"
    print(json.dumps(report))
    if a.report:
        with open(a.report, "w") as f:
            json.dump(report, f, indent=2)
    return rc


if __name__ == "__main__":
    sys.exit(main())
