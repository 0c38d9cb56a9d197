"""Image-level augmentation shared by real and fake samples: down/up resize, JPEG re-compression."""
import io

import numpy as np
from PIL import Image


def degrade(img, rng, cfg):
    """img uint8 HxWx3 -> uint8 HxWx3 (same size)."""
    im = Image.fromarray(img)
    w, h = im.size
    if rng.random() < cfg["resize_prob"]:
        s = rng.uniform(*cfg["resize_scale"])
        small = im.resize((max(8, int(round(w * s))), max(8, int(round(h * s)))), Image.BILINEAR)
        im = small.resize((w, h), Image.BILINEAR)
    if rng.random() < cfg["jpeg_prob"]:
        q = int(rng.integers(cfg["jpeg_quality"][0], cfg["jpeg_quality"][1] + 1))
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=q)
        buf.seek(0)
        im = Image.open(buf)
        im.load()
    return np.asarray(im.convert("RGB"))
