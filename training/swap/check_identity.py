"""Identity-encoder checks: the parity fixture, the embedding centre, and a probe of how well a net tells faces apart.

There is no Python onnxruntime on the dev box, so the parity check writes 4 ArcFace-aligned FairFace faces
(uint8, NHWC 112x112x3, base64) and their torch fp32 embeddings to a JSON fixture; the vitest test
test/identity-parity.test.ts runs models/mobileface.fp16.onnx in onnxruntime-node on the same inputs and asserts
cosine >= 0.99 per face. Also prints self-checks: the embedding through the training path (aligned crop at S
with ALIGN_SCALE -> grid_sample ArcFace crop) vs the direct 112 ArcFace crop, and same- vs different-face cosines.

  /usr/bin/python3 -m training.swap.check_identity [--data .carry/xray] [--out training/swap/fixtures/identity-parity.json]
  /usr/bin/python3 -m training.swap.check_identity --centre     # rewrites fixtures/id-centre.json (300 faces)
  /usr/bin/python3 -m training.swap.check_identity --probe      # retrieval probe of mobileface, mobilefacenet, faceres
  /usr/bin/python3 -m training.swap.check_identity --transfer [--faces 32 --steps 200 --budget 0.25]
                                                                # does an identity loss move faceres? (id_augment.py)

The probe finds each of 200 faces' mirrored, re-cropped (0.93x), JPEG-70 copy among the 200 by cosine of the
centred embeddings: a recogniser worth training against finds nearly all of them.

The transfer check optimises --faces target crops' pixels (L-inf budget, Adam) towards as many other faces'
MobileFace identities, once on the plain ArcFace crop and once on random views (id_augment.py), and judges the
results with faceres, which training never sees: its top-1 retrieval of the intended source among the sources,
and cosines. An identity loss that only fools MobileFace leaves faceres at chance (1/--faces).
"""
import argparse
import base64
import io
import json
import os
import tarfile
import time

import numpy as np
import torch
from PIL import Image

from .align import ALIGN_SCALE, arcface_crop, crop_to_image, warp
from .id_augment import jittered_arcface_crop
from .identity import CENTRE_JSON, MODEL_JSON, IdentityEncoder, centre_embedding
from ..common.tfjs_graph import TfjsGraph

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(MODEL_JSON)  # the human-models folder in node_modules
# name -> (tfjs output, crop size, ArcFace template scale, pixel scale the graph expects)
PROBE_NETS = {"mobileface": (None, 112, 1.0, 255.0), "mobilefacenet": (None, 112, 1.0, 1.0),
              "faceres": ("global_pooling/Mean", 224, 0.75, 255.0)}


def load_faces(data, n, skip=0):
    from training.xray.landmarks import read_landmarks

    meta, pts = read_landmarks(os.path.join(data, "landmarks"))
    idx = {f: i for i, f in enumerate(meta["files"])}
    imgs, lms, names = [], [], []
    for tar in sorted(p for p in os.listdir(data) if p.endswith(".tar")):
        with tarfile.open(os.path.join(data, tar)) as tf:
            for m in tf:
                i = idx.get(m.name)
                if i is None or not np.isfinite(pts[i]).all() or meta["scores"][i] < 0.8:
                    continue
                if skip > 0:
                    skip -= 1
                    continue
                imgs.append(np.asarray(Image.open(tf.extractfile(m)).convert("RGB")))
                lms.append(pts[i])
                names.append(m.name)
                if len(imgs) == n:
                    return np.stack(imgs), np.stack(lms), names
    raise RuntimeError("not enough faces")


def to_tensor(imgs):
    return torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255.0


def jpeg(batch01, quality=70):
    out = []
    for im in batch01:
        buf = io.BytesIO()
        Image.fromarray((im.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)).save(buf, "JPEG", quality=quality)
        out.append(torch.from_numpy(np.array(Image.open(buf))).permute(2, 0, 1).float() / 255.0)
    return torch.stack(out)


def probe(data, n=200):
    imgs, lms, _ = load_faces(data, n)
    x = to_tensor(imgs)
    report = {}
    for name, (output, size, scale, pixel) in PROBE_NETS.items():
        g = TfjsGraph(os.path.join(MODELS, f"{name}.json"), output=output)
        a = warp(x, crop_to_image(lms, size, scale), size).clamp(0, 1)
        b = torch.flip(jpeg(warp(x, crop_to_image(lms, size, scale * 0.93), size).clamp(0, 1)), [3])
        with torch.no_grad():
            za, zb = g(a * pixel).reshape(n, -1), g(b * pixel).reshape(n, -1)
        za, zb = za / za.norm(dim=1, keepdim=True), zb / zb.norm(dim=1, keepdim=True)
        centre = za.mean(0)
        za, zb = centre_embedding(za, centre), centre_embedding(zb, centre)
        sim = za @ zb.T
        report[name] = {"top1": round(float((sim.argmax(1) == torch.arange(n)).float().mean()), 3),
                        "cos_same": round(float(sim.diag().mean()), 4),
                        "cos_different": round(float(sim[~torch.eye(n, dtype=torch.bool)].mean()), 4)}
        print(name, json.dumps(report[name]))
    return report


def faceres_embed(graph, aligned):
    """faceres on aligned crops [N,3,S,S] in [-1,1] (the swap template at ALIGN_SCALE = the probe's 0.75 crop)."""
    x = torch.nn.functional.interpolate(aligned, size=(224, 224), mode="bilinear", align_corners=False, antialias=True)
    z = graph((x.clamp(-1, 1) + 1) * 127.5).reshape(aligned.shape[0], -1)
    return z / z.norm(dim=1, keepdim=True)


def transfer(data, n=32, steps=200, budget=0.25, lr=0.01):
    imgs, lms, _ = load_faces(data, 2 * n, skip=300)
    aligned = warp(to_tensor(imgs), crop_to_image(lms, 128, ALIGN_SCALE), 128) * 2 - 1
    src, tgt = aligned[:n], aligned[n:]
    enc = IdentityEncoder()
    faceres = TfjsGraph(os.path.join(MODELS, "faceres.json"), output="global_pooling/Mean")
    with torch.no_grad():
        z_src = enc.centred(enc.from_aligned(src, ALIGN_SCALE))
        f_all = faceres_embed(faceres, aligned)
    f_centre = f_all.mean(0)
    f_src, f_tgt = centre_embedding(f_all[:n], f_centre), centre_embedding(f_all[n:], f_centre)

    def judge(y):
        with torch.no_grad():
            z = enc.centred(enc.from_aligned(y, ALIGN_SCALE))
            f = centre_embedding(faceres_embed(faceres, y), f_centre)
            sim = f @ f_src.T
        return {"mobileface_cos_source": round(float((z * z_src).sum(1).mean()), 3),
                "faceres_cos_source": round(float(sim.diag().mean()), 3),
                "faceres_cos_target": round(float((f * f_tgt).sum(1).mean()), 3),
                "faceres_top1_source": round(float((sim.argmax(1) == torch.arange(n)).float().mean()), 3),
                "psnr_db_vs_target": round(float(10 * torch.log10(4 / ((y - tgt) ** 2).mean())), 1)}

    report = {"untouched_target": judge(tgt)}
    for jitter in (False, True):
        gen = torch.Generator().manual_seed(0)
        delta = torch.zeros_like(tgt, requires_grad=True)
        opt = torch.optim.Adam([delta], lr=lr)
        t0 = time.time()
        for _ in range(steps):
            y = (tgt + delta).clamp(-1, 1)
            crop = jittered_arcface_crop(y, ALIGN_SCALE, 112, gen) if jitter else arcface_crop(y, ALIGN_SCALE, 112)
            z = enc.centred(enc((crop * 0.5 + 0.5).clamp(0, 1)))
            loss = (1 - (z * z_src).sum(1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                delta.clamp_(-budget, budget)
        name = "random_views" if jitter else "plain_crop"
        report[name] = dict(judge((tgt + delta).clamp(-1, 1)), seconds=round(time.time() - t0, 1))
        print(name, json.dumps(report[name]))
    report["setup"] = {"faces": n, "steps": steps, "linf_budget": budget, "adam_lr": lr,
                       "chance_top1": round(1 / n, 3)}
    print(json.dumps(report))
    return report


def write_centre(data, n=300):
    imgs, lms, _ = load_faces(data, n)
    with torch.no_grad():
        z = IdentityEncoder()(warp(to_tensor(imgs), crop_to_image(lms, 112, 1.0), 112).clamp(0, 1))
    doc = ("Mean unit-norm MobileFace embedding of 300 ArcFace-aligned FairFace train faces (first faces of "
           ".carry/xray with landmark score >= 0.8). The swap models use z_id = normalise(normalise(raw) - mean); "
           "folded into aei_*.onnx, so the worker feeds the raw embedding. Written by "
           "`python3 -m training.swap.check_identity --centre`.")
    with open(CENTRE_JSON, "w") as f:
        json.dump({"_doc": doc, "faces": n, "mean": [round(float(v), 7) for v in z.mean(0)]}, f)
    print(f"wrote {CENTRE_JSON}")


def parity_fixture(data, out):
    imgs, lms, names = load_faces(data, 4, skip=7)
    x = to_tensor(imgs)
    enc = IdentityEncoder()
    print("ops:", enc.graph.op_counts())
    # the direct ArcFace 112 crop (align_scale 1 = ArcFace template), quantised to uint8 like a real image
    c112 = warp(x, crop_to_image(lms, 112, 1.0), 112).clamp(0, 1)
    u8 = (c112 * 255).round().to(torch.uint8)
    with torch.no_grad():
        z = enc(u8.float() / 255.0)
        # training path: aligned 128 crop in [-1,1] -> ArcFace crop by grid_sample
        a128 = warp(x, crop_to_image(lms, 128, ALIGN_SCALE), 128) * 2 - 1
        z_path = enc.from_aligned(a128, ALIGN_SCALE)
        z_flip = enc(torch.flip(u8.float() / 255.0, [3]))
    cross = z @ z.T
    off = cross[~torch.eye(4, dtype=torch.bool)]
    report = {"cos_direct_vs_training_path": (z * z_path).sum(1).tolist(), "cos_vs_own_mirror": (z * z_flip).sum(1).tolist(),
              "cos_between_different_faces_max": float(off.max()), "cos_between_different_faces_mean": float(off.mean())}
    print(json.dumps(report, indent=1))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    fixture = {
        "_doc": "torch fp32 (training/swap/identity.py, tfjs graph) unit-norm embeddings of 4 ArcFace-aligned FairFace "
                "faces; inputs: uint8 NHWC [4,112,112,3] base64, feed the values (0..255) as float32 [1,112,112,3] to "
                "models/mobileface.fp16.onnx (input 'input', output 'embedding', then L2-normalise). "
                "Written by training/swap/check_identity.py",
        "files": names, "shape": [4, 112, 112, 3],
        "inputs_u8_b64": base64.b64encode(u8.permute(0, 2, 3, 1).contiguous().numpy().tobytes()).decode(),
        "embeddings": [[round(float(v), 7) for v in row] for row in z], "self_checks": report}
    with open(out, "w") as f:
        json.dump(fixture, f)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")
    return report


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=".carry/xray")
    ap.add_argument("--out", default=os.path.join(HERE, "fixtures", "identity-parity.json"))
    ap.add_argument("--centre", action="store_true", help="rewrite fixtures/id-centre.json")
    ap.add_argument("--probe", action="store_true", help="retrieval probe of the candidate identity nets")
    ap.add_argument("--transfer", action="store_true", help="does an identity loss transfer to faceres?")
    ap.add_argument("--faces", type=int, default=32, help="--transfer: target crops (and as many sources)")
    ap.add_argument("--steps", type=int, default=200, help="--transfer: Adam steps")
    ap.add_argument("--budget", type=float, default=0.25, help="--transfer: L-inf bound in [-1,1] units")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    if a.probe:
        return probe(a.data)
    if a.transfer:
        return transfer(a.data, a.faces, a.steps, a.budget)
    if a.centre:
        return write_centre(a.data)
    return parity_fixture(a.data, a.out)


if __name__ == "__main__":
    main()
