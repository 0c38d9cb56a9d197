"""Aligned-face bank for swap training: FairFace tars + 68-point landmarks -> uint8 [N,3,S,S] on device.

Start-up is fast by design (the GPU run must start training within ~30 s): the tars are read once,
JPEGs are decoded by a process pool (`workers`), and the similarity alignment (align.py) runs as one
batched grid_sample on the training device. Batches are then drawn on the device by index (no
DataLoader): source/target pairs, 20 % (configurable) with X_s = X_t, random horizontal flips.
Faces without landmarks (NaN rows) or with score < min_score are dropped. The LAST `val_faces` faces
(tar order) are held out for the ID-similarity figure.
"""
import multiprocessing as mp
import os
import time
from io import BytesIO

import numpy as np
import torch
from PIL import Image

from ..xray.landmarks import landmarked_images, read_landmarks
from .align import ALIGN_SCALE, crop_to_image, warp


def _decode(blob):
    return np.asarray(Image.open(BytesIO(blob)).convert("RGB"))


class FaceBank:
    def __init__(self, faces, files, size, align_scale, placeholder=False):
        self.faces, self.files, self.size, self.align_scale = faces, files, size, align_scale
        self.placeholder = placeholder

    def __len__(self):
        return self.faces.shape[0]

    @classmethod
    def load(cls, tars, landmarks_dir, size, device, align_scale=ALIGN_SCALE, max_faces=0, min_score=0.5,
             workers=0, log=print):
        t0 = time.time()
        meta, pts = read_landmarks(landmarks_dir)
        blobs, keep, files = [], [], []
        for _, name, i, blob in landmarked_images(tars, meta, pts, min_score, max_faces):
            blobs.append(blob)
            keep.append(i)
            files.append(name)
        if len(files) < 8:
            raise RuntimeError(f"only {len(files)} usable faces in {tars}")
        t1 = time.time()
        if workers > 1 and len(blobs) > 256:
            with mp.get_context("fork").Pool(workers) as pool:
                imgs = pool.map(_decode, blobs, chunksize=64)
        else:
            imgs = [_decode(b) for b in blobs]
        t2 = time.time()
        shapes = {im.shape for im in imgs}
        lms = pts[keep]
        faces = torch.empty((len(imgs), 3, size, size), dtype=torch.uint8, device=device)
        chunk = 512
        for s in range(0, len(imgs), chunk):
            group = {}
            for j in range(s, min(s + chunk, len(imgs))):
                group.setdefault(imgs[j].shape, []).append(j)
            for shape, idx in group.items():
                x = torch.from_numpy(np.stack([imgs[j] for j in idx])).to(device).permute(0, 3, 1, 2).float()
                a = warp(x, crop_to_image(lms[idx], size, align_scale), size, padding_mode="reflection")
                faces[torch.as_tensor(idx, device=device)] = a.round().clamp(0, 255).to(torch.uint8)
        if device.type == "cuda":
            torch.cuda.synchronize()
        log(f"FaceBank: {len(files)} faces, read {t1 - t0:.1f}s, decode {t2 - t1:.1f}s ({workers} workers), "
            f"align {time.time() - t2:.1f}s -> {tuple(faces.shape)} on {device}; source sizes {sorted(shapes)[:3]}")
        return cls(faces, files, size, align_scale, bool(meta.get("placeholder")))

    def split(self, val_faces):
        n = len(self)
        v = int(min(max(val_faces, 8), n // 4))
        return torch.arange(n - v, device=self.faces.device), \
            torch.arange(n - v, n, device=self.faces.device)


def to_float(u8):
    """uint8 [N,3,S,S] -> float [-1,1]."""
    return u8.float() * (2.0 / 255.0) - 1.0


def sample_pairs(bank, subset, batch, same_prob, generator=None, flip=True):
    """Returns (X_s, X_t, same) with X_s, X_t float [-1,1] [B,3,S,S]; same: bool [B] (X_s = X_t)."""
    dev = bank.faces.device
    it = subset[torch.randint(len(subset), (batch,), device=dev, generator=generator)]
    is_ = subset[torch.randint(len(subset), (batch,), device=dev, generator=generator)]
    same = torch.rand(batch, device=dev, generator=generator) < same_prob
    is_ = torch.where(same, it, is_)
    xt, xs = to_float(bank.faces[it]), to_float(bank.faces[is_])
    if flip:
        ft = torch.rand(batch, device=dev, generator=generator) < 0.5
        fs = torch.where(same, ft, torch.rand(batch, device=dev, generator=generator) < 0.5)
        xt = torch.where(ft[:, None, None, None], xt.flip(3), xt)
        xs = torch.where(fs[:, None, None, None], xs.flip(3), xs)
    return xs, xt, same


def fixed_pairs(bank, subset, n, seed=4321):
    """Deterministic held-out pairs of DIFFERENT faces: (X_s, X_t) float [-1,1]."""
    g = torch.Generator().manual_seed(seed)
    m = len(subset)
    a = torch.randint(m, (n,), generator=g)
    b = (a + 1 + torch.randint(m - 1, (n,), generator=g)) % m
    sub = subset.cpu()
    return to_float(bank.faces[sub[b].to(bank.faces.device)]), to_float(bank.faces[sub[a].to(bank.faces.device)])
