"""Recover trainable weights from a shipped X-ray ONNX (fp32 or fp16), for `train.py --init`.

Checkpoints live under the git-ignored training/runs/, so a fresh checkout holds only models/xray.*.onnx.
This inverts the export: the model is rebuilt, exported once more to learn which ONNX initialiser each
parameter became, and the shipped values are copied back.
- Encoder filters and biases are exported as-is (reshaped): matched by value against the fresh export.
- Decoder convolutions had their BatchNorm folded in by the exporter (W' = W·γ/σ, b' = β − μ·γ/σ), so γ, β, μ, σ
  are gone. The conv takes W'; its BatchNorm gets the batch statistics (μ, σ²) of W'·x measured on
  calibration crops, with γ = σ and β = μ + b'. In eval mode that is exactly W'·x + b'. In train mode it is
  that up to the batch's deviation from the calibration statistics.

  /usr/bin/python3 -m training.xray.from_onnx --onnx models/xray.fp16.onnx --encoder centernet-mnv3l \
      --tars ../shared/data/fairface/train-00.tar --landmarks LM --out init.pt
"""
import argparse
import json
import os
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .crop import normalise
from .data import FaceStore, FixedSet
from .export import ExportWrapper, onnx_export
from .model import build_model
from .recipe import load_recipe


def initialisers(path):
    """name -> float32 array, with the fp16 converter's `_fp16` suffix removed."""
    g = onnx.load(path).graph
    return {i.name.removesuffix("_fp16"): numpy_helper.to_array(i).astype(np.float32) for i in g.initializer}, g


def exported_initialisers(model):
    """Exports `model` as export.py does and returns (initialisers, graph) of the result."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.onnx")
        onnx_export(ExportWrapper(model).eval(), torch.zeros(1, 3, 256, 256), path)
        return initialisers(path)


def conv_inputs(graph):
    """ONNX Conv node scope (/model/lat.12/lat.12.0/Conv) -> (weight, bias) initialiser names."""
    strip = lambda s: s.removesuffix("_cast").removesuffix("_fp16")
    return {n.name: [strip(i) for i in n.input[1:]] for n in graph.node if n.op_type == "Conv"}


def recover(onnx_path, model_cfg, calib):
    """Returns a state_dict for build_model(model_cfg) holding the shipped ONNX's function."""
    model = build_model(model_cfg).eval()
    # distinct values everywhere: the exporter shares identical constants (fresh BNs fold to equal zero biases)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if not key.startswith("backbone.") and t.is_floating_point():
                t.copy_(torch.rand(t.shape, generator=g) + 0.5)
    fresh, fresh_graph = exported_initialisers(model)
    shipped, _ = initialisers(onnx_path)
    assert set(fresh) == set(shipped), "the shipped graph was exported from a different model or torch version"

    state = {k: v.clone() for k, v in model.state_dict().items()}
    done = set()
    # named initialisers are the parameters themselves (prefix "model.")
    for name, value in shipped.items():
        key = name.removeprefix("model.")
        if name.startswith("model.") and key in state:
            state[key] = torch.from_numpy(value.reshape(state[key].shape))
            done.add(key)
    # folded decoder conv + BN pairs, located by the exporter's scope names
    folded = {}
    for scope, ins in conv_inputs(fresh_graph).items():
        path = scope.removeprefix("/model/").rsplit("/", 1)[0].split("/")[-1]  # e.g. lat.12.0
        conv_key, bn_prefix = path + ".weight", path.rsplit(".", 1)[0] + ".1"
        if conv_key in state and bn_prefix + ".running_mean" in state and len(ins) == 2:
            folded[path] = (bn_prefix, shipped[ins[0]], shipped[ins[1]])
    # the encoder's filters and biases: exact value match against the fresh export
    by_bytes = {}
    for name, value in fresh.items():
        by_bytes.setdefault(value.tobytes(), []).append(name)
    for key, tensor in model.state_dict().items():
        if key in done or not key.startswith("backbone."):
            continue
        names = by_bytes.get(tensor.detach().numpy().astype(np.float32).tobytes())
        if not names:
            raise SystemExit(f"no initialiser carries {key} {tuple(tensor.shape)}")
        state[key] = torch.from_numpy(shipped[names[0]].reshape(tensor.shape))
        done.add(key)
    for path, (bn, w, b) in folded.items():
        state[path + ".weight"] = torch.from_numpy(w)
        eps = dict(model.named_modules())[bn].eps
        # provisional BN = identity + b' (exact in eval mode) so the calibration pass runs the shipped function
        state[bn + ".running_mean"] = torch.zeros_like(state[bn + ".running_mean"])
        state[bn + ".running_var"] = torch.ones_like(state[bn + ".running_var"])
        state[bn + ".weight"] = torch.full_like(state[bn + ".weight"], float(np.sqrt(1 + eps)))
        state[bn + ".bias"] = torch.from_numpy(b)
        done.update({path + ".weight", *(bn + s for s in (".weight", ".bias", ".running_mean", ".running_var"))})
    missing = [k for k in state if k not in done and not k.endswith("num_batches_tracked")]
    if missing:
        raise SystemExit(f"not recovered: {missing[:8]}")

    model.load_state_dict(state)
    stats, hooks, modules = {}, [], dict(model.named_modules())
    for path, (bn, _, _) in folded.items():
        def hook(_m, inp, _out, bn=bn):
            z = inp[0].double()
            stats[bn] = (z.mean((0, 2, 3)), z.var((0, 2, 3), unbiased=False))
        hooks.append(modules[bn].register_forward_hook(hook))
    with torch.no_grad():
        model(calib)
    for h in hooks:
        h.remove()
    for path, (bn, _, b) in folded.items():
        mu, var = stats[bn]
        eps = modules[bn].eps
        state[bn + ".running_mean"] = mu.float()
        state[bn + ".running_var"] = var.float()
        state[bn + ".weight"] = (var + eps).sqrt().float()
        state[bn + ".bias"] = (mu + torch.from_numpy(b).double()).float()
    return state, len(folded)


def export_gap(model, state, onnx_path):
    """Largest |Δ| between the initialisers of the recovered weights, exported again, and the shipped file's."""
    model.load_state_dict(state)
    again, _ = exported_initialisers(model)
    shipped, _ = initialisers(onnx_path)
    return max(float(np.abs(again[k] - shipped[k]).max()) for k in shipped)


@torch.no_grad()
def train_mode_gap(model, state, x):
    """Mean |train-mode − eval-mode| probability (boundary map, fake score) on x. Eval parity alone misses BN
    statistics taken on the wrong input (they cancel in eval mode), which training, in train mode, meets at once.
    Probabilities, not logits: trained nets put real-face boundary logits far below zero, where train-mode
    shifts of tens change nothing."""
    model.load_state_dict(state)
    eb, el = model.eval()(x)
    tb, tl = model.train()(x)
    gap = lambda a, b: round(float((torch.sigmoid(a) - torch.sigmoid(b)).abs().mean()), 4)
    return {"boundary": gap(tb, eb), "fake": gap(tl, el)}


def calibration_crops(tars, landmarks, n, seed=0):
    """n normalised training crops (a third each real, BI, SBI), as the trainer feeds them."""
    recipe = load_recipe()
    store = FaceStore.load(tars, landmarks, max_faces=max(4 * n, 512))
    subset = np.arange(len(store))
    ds = FixedSet(store, subset, store.partner_table(subset, recipe["bi"]["neighbours"]), recipe, n, seed=seed,
                  train_aug=True)
    x = normalise(torch.stack([torch.as_tensor(ds[i][0]) for i in range(n)]))
    if abs(float(x.mean())) > 1 or not 0.2 < float(x.std()) < 3:  # what the net sees in training: ImageNet-normalised
        raise SystemExit(f"calibration crops are not normalised: mean {float(x.mean()):.2f}, std {float(x.std()):.2f}")
    return x


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--encoder", default="centernet-mnv3l")
    ap.add_argument("--tars", nargs="+", required=True, help="FairFace train tar(s) for the calibration crops")
    ap.add_argument("--landmarks", required=True)
    ap.add_argument("--calib", type=int, default=256, help="calibration crops")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    cfg = {"encoder": a.encoder}
    calib = calibration_crops(a.tars, a.landmarks, a.calib)
    state, n_folded = recover(a.onnx, cfg, calib)
    model = build_model(cfg)
    reexport_gap = round(export_gap(model, state, a.onnx), 6)
    if reexport_gap > 1e-2:
        raise SystemExit(f"re-exported weights differ from {a.onnx} by {reexport_gap}")
    parity = train_mode_gap(model, state, calibration_crops(a.tars, a.landmarks, 64, seed=1))
    if parity["boundary"] > 0.07 or parity["fake"] > 0.2:  # trained nets: boundary <= 0.04; stats of un-normalised input: 0.10
        raise SystemExit(f"train mode departs from eval mode: {parity}")
    torch.save({"model": state, "model_cfg": cfg, "state": {"recovered_from": a.onnx}}, a.out)
    print(json.dumps({"out": a.out, "tensors": len(state), "folded_bn": n_folded, "calibration_crops": len(calib),
                      "reexport_max_abs": reexport_gap, "train_vs_eval": parity}))


if __name__ == "__main__":
    main()
