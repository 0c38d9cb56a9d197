"""Export AEI-Net and HEAR-Net to ONNX (opset 17, static batch 1) and verify them.

  aei_<cfg>.fp32.onnx   inputs  target    float32 [1,3,S,S]  aligned target crop (align.py), RGB, x/127.5 - 1
                                source_id float32 [1,256]    RAW MobileFace embedding of the source's ArcFace
                                                             112 crop (graph output, not unit-norm); normalised
                                                             and centred in-graph: normalise(normalise(source_id) - centre)
                        output  swapped   float32 [1,3,S,S]  in [-1,1]
  hear_<cfg>.fp32.onnx  inputs  swapped   float32 [1,3,S,S]  AEI output for (target, source)
                                error     float32 [1,3,S,S]  target - AEI(target, target's own raw embedding)
                        output  refined   float32 [1,3,S,S]  in [-1,1]
S = 128 (lite) / 256 (full). Checker: onnx.checker full_check; numeric parity with torch when Python
onnxruntime exists (GPU machine).

  python3 -m training.swap.export --checkpoint OUT/checkpoint.pt --out-dir OUT [--report r.json]
"""
import argparse
import inspect
import json
import os
import sys
import time

import numpy as np
import torch

from ..xray.checkpoint import load_checkpoint
from .aei import AEINet, count_macs
from .align import ALIGN_SCALE, template_112
from .hear import HEARNet


class AEIExport(torch.nn.Module):
    def __init__(self, g, centre):
        super().__init__()
        self.g = g
        self.register_buffer("centre", centre.float().reshape(1, -1))

    def forward(self, target, source_id):
        # the identity graph's output is not unit-norm; training used normalise(normalise(raw) - centre)
        z = _unit(_unit(source_id) - self.centre)
        return self.g.generate(self.g.attr(target), z)


def _unit(v):
    return v / torch.sqrt((v * v).sum(1, keepdim=True) + 1e-12)


def onnx_export(module, args, path, inputs, outputs):
    kw = dict(input_names=inputs, output_names=outputs, opset_version=17, do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        try:
            torch.onnx.export(module, args, path, dynamo=False, **kw)
            return "torchscript"
        except Exception as e:  # noqa: BLE001
            print(f"legacy exporter failed ({type(e).__name__}: {e}); trying dynamo=True")
            torch.onnx.export(module, args, path, dynamo=True, **kw)
            return "dynamo"
    torch.onnx.export(module, args, path, **kw)
    return "torchscript"


def check(path, feeds, ref, meta):
    import onnx

    m = onnx.load(path)
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, str(v)
    onnx.save(m, path)
    onnx.checker.check_model(path, full_check=True)
    r = {"path": path, "bytes": os.path.getsize(path), "ops": sorted({n.op_type for n in m.graph.node}),
         "inputs": [(i.name, [d.dim_value for d in i.type.tensor_type.shape.dim]) for i in m.graph.input],
         "outputs": [(o.name, [d.dim_value for d in o.type.tensor_type.shape.dim]) for o in m.graph.output],
         "checker": "ok"}
    try:
        import onnxruntime as ort

        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        out = sess.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
        d = float(np.abs(out - ref.numpy()).max())
        r["ort_max_abs_diff"] = d
        r["ort_check"] = "ok" if d < 2e-3 else "MISMATCH"
        if d >= 2e-3:
            print(f"ERROR: {path}: onnxruntime differs from torch by {d}", file=sys.stderr)
    except ImportError:
        r["ort_check"] = "onnxruntime not installed: numerical check skipped"
    except Exception as e:  # noqa: BLE001
        r["ort_check"] = f"ERROR {type(e).__name__}: {e}"
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--no-hear", action="store_true")
    ap.add_argument("--report", default="")
    ap.add_argument("--ref-json", default="", help="write inputs + torch outputs here (for ort-node-check.mjs)")
    a = ap.parse_args(argv)
    ck = load_checkpoint(a.checkpoint)
    cfg = ck["cfg"]
    s, name = cfg["size"], cfg["name"]
    G = AEINet(cfg)
    G.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ck["G"].items()})
    G.eval()
    centre = ck["id_centre"]
    os.makedirs(a.out_dir, exist_ok=True)
    align = ck.get("align") or {"align_scale": ALIGN_SCALE, "template_112": template_112().tolist()}
    meta = {"align_scale": align["align_scale"], "template_112_continuous": json.dumps(np.round(align["template_112"], 4).tolist()),
            "input_range": "[-1,1] = x/127.5 - 1, RGB NCHW", "aei_step": ck.get("state", {}).get("aei_step"),
            "hear_step": ck.get("state", {}).get("hear_step"), "config": name}
    torch.manual_seed(0)
    tgt = torch.rand(1, 3, s, s) * 2 - 1
    sid = torch.nn.functional.normalize(centre.reshape(1, -1) + 0.01 * torch.randn(1, centre.numel()), dim=1)
    wrap = AEIExport(G, centre).eval()
    report = {}
    with torch.no_grad():
        ref = wrap(tgt, sid)
    t = time.time()
    p = os.path.join(a.out_dir, f"aei_{name}.fp32.onnx")
    exp = onnx_export(wrap, (tgt, sid), p, ["target", "source_id"], ["swapped"])
    r = check(p, {"target": tgt, "source_id": sid}, ref,
              dict(meta, source_id="RAW MobileFace embedding (mobileface.json via tools/tfjs-to-onnx, output 'embedding'), normalised and centred in-graph"))
    r.update(exporter=exp, export_s=round(time.time() - t, 1),
             gmac=round(count_macs(G, tgt, torch.nn.functional.normalize(sid - centre, dim=1)) / 1e9, 3),
             params=sum(q.numel() for q in G.parameters()))
    assert r["inputs"] == [("target", [1, 3, s, s]), ("source_id", [1, cfg["id_dim"]])], r["inputs"]
    assert r["outputs"] == [("swapped", [1, 3, s, s])], r["outputs"]
    report["aei"] = r
    print(json.dumps(r))
    if not a.no_hear and "H" in ck:
        H = HEARNet(cfg["hear"])
        H.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ck["H"].items()})
        H.eval()
        err = (torch.rand(1, 3, s, s) - 0.5) * 0.4
        with torch.no_grad():
            ref_h = H(ref, err)
        p = os.path.join(a.out_dir, f"hear_{name}.fp32.onnx")
        exp = onnx_export(H, (ref, err), p, ["swapped", "error"], ["refined"])
        r = check(p, {"swapped": ref, "error": err}, ref_h,
                  dict(meta, error="target - AEI(target, target's own raw embedding)"))
        r.update(exporter=exp, params=sum(q.numel() for q in H.parameters()))
        assert r["inputs"] == [("swapped", [1, 3, s, s]), ("error", [1, 3, s, s])], r["inputs"]
        report["hear"] = r
        print(json.dumps(r))
    if a.ref_json:
        import base64

        def enc(t):
            return {"shape": list(t.shape), "b64": base64.b64encode(t.float().contiguous().numpy().tobytes()).decode()}

        refs = {"aei": {"inputs": {"target": enc(tgt), "source_id": enc(sid)}, "output": {"swapped": enc(ref)}}}
        if "hear" in report:
            refs["hear"] = {"inputs": {"swapped": enc(ref), "error": enc(err)}, "output": {"refined": enc(ref_h)}}
        with open(a.ref_json, "w") as f:
            json.dump(refs, f)
    if a.report:
        with open(a.report, "w") as f:
            json.dump(report, f, indent=2)
    bad = [k for k, v in report.items() if v.get("ort_check", "").startswith(("MISMATCH", "ERROR"))]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
