"""PLACEHOLDER landmarks for SMOKE TESTS ONLY.

Writes landmarks.json + lm68.bin in the real format, but every face gets the same fixed mean-face
68-point template placed at the image centre (FairFace crops are roughly aligned). The json carries
"placeholder": true; data.py warns loudly and gpu-run.sh refuses such files unless ALLOW_PLACEHOLDER=1.
Never train a model you intend to ship on these.

  /usr/bin/python3 -m training.xray.fake_landmarks --tars /work/shared/data/fairface/train-00.tar --out DIR
"""
import argparse
import os
import tarfile

import numpy as np

from .landmarks import MEAN_FACE_68, write_landmarks

IMAGE_SIZE = 224
FACE_WIDTH_FRAC = 0.70  # landmark-box width / image width, eyeballed on FairFace crops
CENTRE = (0.5, 0.53)    # landmark-box centre / image size


def template_for(size=IMAGE_SIZE):
    t = MEAN_FACE_68.copy()
    lo, hi = t.min(0), t.max(0)
    scale = FACE_WIDTH_FRAC * size / (hi[0] - lo[0])
    t = (t - (lo + hi) / 2) * scale
    return (t + np.array(CENTRE, dtype=np.float32) * size).astype(np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tars", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit", type=int, default=0, help="only the first N images per tar (0 = all)")
    ap.add_argument("--nan-every", type=int, default=0, help="mark every Nth face as 'no face found' (tests the drop path)")
    a = ap.parse_args(argv)
    files = []
    for path in a.tars:
        with tarfile.open(path) as tf:
            names = [m.name for m in tf.getmembers() if m.isfile() and m.name.lower().endswith(".jpg")]
        files.extend(names[: a.limit] if a.limit else names)
    pts = np.repeat(template_for()[None], len(files), 0)
    scores = np.ones(len(files), np.float32)
    if a.nan_every:
        pts[:: a.nan_every] = np.nan
        scores[:: a.nan_every] = 0
    write_landmarks(a.out, files, pts, scores, [os.path.basename(p) for p in a.tars], placeholder=True)
    print(f"wrote PLACEHOLDER landmarks for {len(files)} files to {a.out} (smoke tests only)")


if __name__ == "__main__":
    main()
