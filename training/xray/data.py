"""Tar-backed face store and the torch datasets built on it.

FaceStore reads the listed FairFace tars straight into memory (decoded uint8 [N,H,W,3]; nothing is
extracted to disk), joins the 68-point landmarks by file name, and drops faces with no landmarks
(NaN rows), low scores or degenerate boxes.
"""
import os
import sys
import time
from io import BytesIO

import numpy as np
from PIL import Image

from .landmarks import landmarked_images, nearest_neighbours, read_landmarks
from .synth import KIND_BI, KIND_REAL, KIND_SBI, make_example, pick_kind


class FaceStore:
    def __init__(self, images, points, files, placeholder=False):
        self.images, self.points, self.files, self.placeholder = images, points, files, placeholder

    def __len__(self):
        return len(self.files)

    @classmethod
    def load(cls, tars, landmarks_dir, max_faces=0, min_score=0.5, min_face_px=24, log=print):
        t0 = time.time()
        meta, pts = read_landmarks(landmarks_dir)
        placeholder = bool(meta.get("placeholder"))
        if placeholder:
            print("WARNING: PLACEHOLDER landmarks (fake_landmarks.py) -- smoke tests only, not a real model",
                  file=sys.stderr)
        images, keep_pts, files = [], [], []
        stats = {}
        for path, name, i, blob in landmarked_images(tars, meta, pts, min_score, max_faces, min_face_px, stats):
            img = np.asarray(Image.open(BytesIO(blob)).convert("RGB"))
            if images and img.shape != images[0].shape:
                raise ValueError(f"{path}:{name} is {img.shape}, expected {images[0].shape}")
            images.append(img)
            keep_pts.append(pts[i])
            files.append(name)
        seen, dropped = stats["seen"], stats["dropped"]
        if len(files) < 4:
            raise RuntimeError(f"only {len(files)} usable faces in {tars} with landmarks {landmarks_dir}")
        log(f"FaceStore: {len(files)} faces kept, {dropped} dropped (no/low-score landmarks) of {seen} seen "
            f"in {len(tars)} tar(s), {time.time() - t0:.1f}s")
        return cls(np.stack(images), np.stack(keep_pts).astype(np.float32), files, placeholder)

    def split(self, val_faces):
        """Deterministic held-out slice: the last val_faces faces (in tar order)."""
        n = len(self)
        v = int(min(max(val_faces, 2), n // 2))
        return np.arange(n - v), np.arange(n - v, n)

    def partner_table(self, subset, k, device="cpu"):
        """Global partner ids [len(subset), k'] of each subset face, searched within the subset."""
        nn = nearest_neighbours(self.points[subset], k, device=device)
        return subset[nn]


class TrainSet:
    """Map-style dataset for an (effectively) endless shuffled stream; kind drawn per the recipe mix."""

    def __init__(self, store, subset, partners, recipe):
        self.store, self.subset, self.partners, self.recipe = store, subset, partners, recipe
        self._rng, self._pid = None, None

    def __len__(self):
        return len(self.subset)

    def _generator(self):
        if self._pid != os.getpid():  # one generator per (worker) process, seeded from torch's seed
            import torch

            self._rng = np.random.default_rng([torch.initial_seed() % 2 ** 63, os.getpid()])
            self._pid = os.getpid()
        return self._rng

    def __getitem__(self, i):
        rng = self._generator()
        kind = pick_kind(rng, self.recipe)
        x, b, y = make_example(self.store.images, self.store.points, int(self.subset[i]), kind, rng,
                               self.recipe, partners=self.partners[i], train=True)
        return x, b, np.float32(y), np.int64(kind)


class FixedSet:
    """Deterministic evaluation/calibration set: sample i is fully determined by (seed, i).
    Kinds cycle real, BI, SBI so the set is balanced 1/3 each (real:fake = 1:2)."""

    def __init__(self, store, subset, partners, recipe, n, seed=1234, train_aug=False):
        self.store, self.subset, self.partners, self.recipe = store, subset, partners, recipe
        self.n, self.seed, self.train_aug = n, seed, train_aug

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        rng = np.random.default_rng([self.seed, i])
        kind = (KIND_REAL, KIND_BI, KIND_SBI)[i % 3]
        j = int(rng.integers(len(self.subset)))
        x, b, y = make_example(self.store.images, self.store.points, int(self.subset[j]), kind, rng,
                               self.recipe, partners=self.partners[j], train=self.train_aug)
        return x, b, np.float32(y), np.int64(kind)
