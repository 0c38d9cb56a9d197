"""Parity fixture for the torch identity encoder vs the shipped ONNX (models/mobilefacenet.int8.onnx).

There is no Python onnxruntime on the dev box, so this writes 4 ArcFace-aligned FairFace faces
(uint8, NHWC 112x112x3, base64) and their torch fp32 embeddings to a JSON fixture; the vitest test
test/identity-parity.test.ts runs the ONNX model in onnxruntime-node on the same inputs and asserts
cosine >= 0.99 per face. Also prints self-checks: the embedding through the training path (aligned
crop at S with ALIGN_SCALE -> grid_sample ArcFace crop) vs the direct 112 ArcFace crop, and
same-face vs different-face cosines.

  /usr/bin/python3 -m training.swap.check_identity [--data .carry/xray] [--out training/swap/fixtures/identity-parity.json]
"""
import argparse
import base64
import json
import os
import tarfile

import numpy as np
import torch
from PIL import Image

from .align import ALIGN_SCALE, crop_to_image, warp
from .identity import IdentityEncoder

HERE = os.path.dirname(os.path.abspath(__file__))


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


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=".carry/xray")
    ap.add_argument("--out", default=os.path.join(HERE, "fixtures", "identity-parity.json"))
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    imgs, lms, names = load_faces(a.data, 4, skip=7)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255.0
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
    cos_path = (z * z_path).sum(1)
    cos_flip = (z * z_flip).sum(1)
    cross = z @ z.T
    off = cross[~torch.eye(4, dtype=torch.bool)]
    report = {"norms": z.norm(dim=1).tolist(), "cos_direct_vs_training_path": cos_path.tolist(),
              "cos_vs_own_mirror": cos_flip.tolist(), "cos_between_different_faces_max": float(off.max()),
              "cos_between_different_faces_mean": float(off.mean())}
    print(json.dumps(report, indent=1))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    fixture = {
        "_doc": "torch fp32 (training/swap/identity.py, tfjs graph) embeddings of 4 ArcFace-aligned FairFace faces; "
                "inputs: uint8 NHWC [4,112,112,3] base64, feed value/255 as float32 [1,112,112,3] to "
                "models/mobilefacenet.int8.onnx (input 'input', output 'embedding'). Written by training/swap/check_identity.py",
        "files": names, "shape": [4, 112, 112, 3],
        "inputs_u8_b64": base64.b64encode(u8.permute(0, 2, 3, 1).contiguous().numpy().tobytes()).decode(),
        "embeddings": [[round(float(v), 7) for v in row] for row in z], "self_checks": report}
    with open(a.out, "w") as f:
        json.dump(fixture, f)
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes)")
    assert all(abs(n - 1) < 1e-3 for n in report["norms"])
    return report


if __name__ == "__main__":
    main()
