"""Export a checkpoint to ONNX (opset 17, static batch 1) and verify it.

Graph I/O (what the worker feeds / reads):
  input  image    float32 [1,3,256,256]  RGB, (x/255 - mean)/std, ImageNet mean/std, crop per crop.py
  output boundary float32 [1,1,64,64]    blending-boundary probability (sigmoid in-graph)
  output logit    float32 [1]            raw real(-)/fake(+) logit; P(fake) = sigmoid(logit)

  /usr/bin/python3 -m training.xray.export --checkpoint OUT/checkpoint.pt --out OUT/xray.fp32.onnx
"""
import argparse
import inspect
import json
import os
import sys
import time

import numpy as np
import torch

from .checkpoint import load_checkpoint
from .crop import CROP_SCALE, CROP_SIZE, MAP_SIZE, MEAN, STD
from .model import build_model


class ExportWrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, image):
        boundary, logit = self.model(image)
        return torch.sigmoid(boundary), logit.reshape(1)


def onnx_export(module, x, path):
    kw = dict(input_names=["image"], output_names=["boundary", "logit"], opset_version=17, do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        try:  # torch >= 2.9 defaults to the dynamo exporter (needs onnxscript); keep the TorchScript one
            torch.onnx.export(module, (x,), path, dynamo=False, **kw)
            return "torchscript"
        except Exception as e:  # noqa: BLE001 -- fall back to dynamo if the legacy exporter is gone
            print(f"legacy exporter failed ({type(e).__name__}: {e}); trying dynamo=True")
            torch.onnx.export(module, (x,), path, dynamo=True, **kw)
            return "dynamo"
    torch.onnx.export(module, (x,), path, **kw)
    return "torchscript"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--report", default="", help="write a JSON report here")
    a = ap.parse_args(argv)
    ck = load_checkpoint(a.checkpoint)
    model = build_model(ck.get("model_cfg"))
    model.load_state_dict(ck["model"])
    wrapper = ExportWrapper(model).eval()
    torch.manual_seed(0)
    x = torch.randn(1, 3, CROP_SIZE, CROP_SIZE)
    with torch.no_grad():
        ref_b, ref_l = wrapper(x)
    t = time.time()
    exporter = onnx_export(wrapper, x, a.out)
    export_s = time.time() - t

    import onnx

    m = onnx.load(a.out)
    meta = {"crop": f"square, centre of 68-landmark box, side {CROP_SCALE}*max(w,h), axis-aligned, black outside, "
                    f"bilinear to {CROP_SIZE}", "normalise": json.dumps({"mean": MEAN, "std": STD, "layout": "NCHW RGB"}),
            "outputs": f"boundary [1,1,{MAP_SIZE},{MAP_SIZE}] sigmoid probs; logit [1] raw",
            "train_step": str(ck.get("state", {}).get("step")),
            "placeholder_landmarks": str(bool(ck.get("placeholder_landmarks")))}
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.save(m, a.out)
    onnx.checker.check_model(a.out, full_check=True)
    io = {"inputs": [(i.name, [d.dim_value for d in i.type.tensor_type.shape.dim]) for i in m.graph.input],
          "outputs": [(o.name, [d.dim_value for d in o.type.tensor_type.shape.dim]) for o in m.graph.output]}
    assert io["inputs"] == [("image", [1, 3, CROP_SIZE, CROP_SIZE])], io
    assert io["outputs"] == [("boundary", [1, 1, MAP_SIZE, MAP_SIZE]), ("logit", [1])], io
    report = {"path": a.out, "bytes": os.path.getsize(a.out), "exporter": exporter, "export_s": round(export_s, 2),
              "io": io, "ops": sorted({n.op_type for n in m.graph.node}), "checker": "ok"}
    try:
        import onnxruntime as ort

        sess = ort.InferenceSession(a.out, providers=["CPUExecutionProvider"])
        ob, ol = sess.run(None, {"image": x.numpy()})
        d = {"boundary": float(np.abs(ob - ref_b.numpy()).max()), "logit": float(np.abs(ol - ref_l.numpy()).max())}
        report["ort_max_abs_diff"] = d
        report["ort_check"] = "ok" if d["logit"] < 1e-2 and d["boundary"] < 1e-3 else "MISMATCH"
        if report["ort_check"] != "ok":
            print(f"ERROR: onnxruntime output differs from torch: {d}", file=sys.stderr)
    except ImportError:
        report["ort_check"] = "onnxruntime not installed: numerical check skipped"
    except Exception as e:  # noqa: BLE001 -- recorded, not fatal: the file itself passed the checker
        report["ort_check"] = f"ERROR {type(e).__name__}: {e}"
        print(f"ERROR: onnxruntime check failed: {e}", file=sys.stderr)
    print(json.dumps(report))
    if a.report:
        with open(a.report, "w") as f:
            json.dump(report, f, indent=2)
    return report


if __name__ == "__main__":
    main()
