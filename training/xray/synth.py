"""On-the-fly Face X-Ray training samples: real, BI (blended with a landmark-near partner) and SBI
(self-blended with a jittered copy). Output = detector crop (uint8) + boundary target B at 64x64.

Pipeline per sample (parameters in blend-recipe.json):
  fake:  mask M from target landmarks (masks.py) -> source = aligned partner (BI) or jittered self
         (SBI) -> optional colour correction (BI) -> I = M*source + (1-M)*target
  all:   down/up resize + JPEG (augment.py) -> crop per crop.py (train: small jitter) -> flip
         -> B = 4*M*(1-M) on the 256 crop, averaged over 4x4 blocks -> 64x64 (B = 0 for reals)
"""
import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from . import crop as C
from .augment import degrade
from .landmarks import fit_similarity
from .masks import blend_mask, face_size

KIND_REAL, KIND_BI, KIND_SBI = 0, 1, 2
KIND_NAMES = ("real", "bi", "sbi")


def pick_kind(rng, recipe):
    mix = recipe["sample_mix"]
    return int(rng.choice(3, p=[mix["real"], mix["bi"], mix["sbi"]]))


def warp_affine(img, A, size):
    """Warp img by the 2x3 forward map A (continuous frame, corner at 0) into an image of `size` (w,h)."""
    M = np.vstack([A, [0, 0, 1]])
    inv = np.linalg.inv(M)
    return np.asarray(Image.fromarray(img).transform(
        size, Image.AFFINE, tuple(inv[:2].reshape(-1)), resample=Image.BILINEAR, fillcolor=(0, 0, 0)))


def colour_transfer(src, dst, region):
    """Per-channel mean/std matching of src to dst inside region (RGB, float32)."""
    w = region.reshape(-1)
    n = float(w.sum())
    if n < 16:
        return src
    s, d = src.reshape(-1, 3), dst.reshape(-1, 3)
    ms, md = w @ s / n, w @ d / n
    ss = np.sqrt(np.maximum(w @ (s * s) / n - ms * ms, 0)) + 1e-3
    sd = np.sqrt(np.maximum(w @ (d * d) / n - md * md, 0)) + 1e-3
    return (src - ms) * (sd / ss) + md


def sbi_source(img, points, rng, cfg):
    """Jittered copy of the face (colour, quality, small translate/scale), float32 HxWx3."""
    im = Image.fromarray(img)
    if rng.random() < cfg["color_prob"]:
        # PIL ImageEnhance semantics (8-bit, clipped after each step); luma = ITU-R 601-2
        im = ImageEnhance.Color(im).enhance(rng.uniform(*cfg["saturation"]))
        im = ImageEnhance.Contrast(im).enhance(rng.uniform(*cfg["contrast"]))
        im = ImageEnhance.Brightness(im).enhance(rng.uniform(*cfg["brightness"]))
        shift = rng.uniform(*cfg["rgb_shift"], size=3)
        im = im.point([min(255, max(0, int(round(v + shift[c])))) for c in range(3) for v in range(256)])
    w, h = im.size
    if rng.random() < cfg["downscale_prob"]:
        s = rng.uniform(*cfg["downscale"])
        im = im.resize((max(8, int(w * s)), max(8, int(h * s))), Image.BILINEAR).resize((w, h), Image.BILINEAR)
    elif rng.random() < cfg["sharpen_prob"]:
        im = Image.blend(im, im.filter(ImageFilter.SHARPEN), float(rng.uniform(*cfg["sharpen_amount"])))
    size = face_size(points)
    lo, hi = points.min(0), points.max(0)
    c = (lo + hi) / 2.0
    s = rng.uniform(*cfg["scale"])
    t = rng.uniform(*cfg["translate_frac"], size=2) * size
    A = np.array([[s, 0, (1 - s) * c[0] + t[0]], [0, s, (1 - s) * c[1] + t[1]]])
    return warp_affine(np.asarray(im), A, (w, h)).astype(np.float32)


def blend(target, points, source, rng, recipe, colour_prob):
    h, w = target.shape[:2]
    M, hard = blend_mask(points, w, h, rng, recipe)
    t = target.astype(np.float32)
    if rng.random() < colour_prob:
        source = colour_transfer(source, t, hard)
    out = M[..., None] * source + (1.0 - M[..., None]) * t
    return np.clip(out + 0.5, 0, 255).astype(np.uint8), M


def make_example(images, points, idx, kind, rng, recipe, partners=None, train=True):
    """images [N,H,W,3] uint8, points [N,68,2]; idx = target face; partners = candidate partner ids (BI).
    Returns (crop uint8 3x256x256, boundary float32 1x64x64, label float)."""
    img, pts = images[idx], points[idx]
    h, w = img.shape[:2]
    M = None
    if kind == KIND_BI:
        j = int(partners[rng.integers(len(partners))])
        A = fit_similarity(points[j], pts)
        src = warp_affine(images[j], A, (w, h)).astype(np.float32)
        img, M = blend(img, pts, src, rng, recipe, recipe["bi"]["color_correction_prob"])
    elif kind == KIND_SBI:
        src = sbi_source(img, pts, rng, recipe["sbi"])
        img, M = blend(img, pts, src, rng, recipe, 0.0)
    img = degrade(img, rng, recipe["augment"])

    cc = recipe["crop"]
    size, msize = int(cc["size"]), int(cc["map_size"])
    cx, cy, side = C.crop_box(pts, cc["scale"])
    jit = cc.get("train_jitter")
    if train and jit and rng.random() < jit["prob"]:
        cx += rng.uniform(*jit["shift_frac"]) * side
        cy += rng.uniform(*jit["shift_frac"]) * side
        side *= rng.uniform(*jit["scale"])
    x = C.crop_uint8(img, cx, cy, side, size)
    if M is not None:
        m = C.crop(M, cx, cy, side, size)
        b = 4.0 * m * (1.0 - m)
        f = size // msize
        b = b.reshape(msize, f, msize, f).mean((1, 3))
    else:
        b = np.zeros((msize, msize), np.float32)
    if train and rng.random() < recipe["augment"]["flip_prob"]:
        x, b = x[:, ::-1], b[:, ::-1]
    x = np.ascontiguousarray(x.transpose(2, 0, 1))
    return x, np.ascontiguousarray(b[None], dtype=np.float32), float(kind != KIND_REAL)
