"""Blend masks from landmarks: hull of a landmark subset -> deformation -> erode/dilate -> blur.

All lengths come from the recipe as fractions of the face size (max side of the landmark box).
PIL + numpy only (no OpenCV/scipy), so it runs unchanged on the training machines.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def convex_hull(pts):
    """Monotone-chain convex hull of [K,2] points, counter-clockwise, no repeated end point."""
    p = np.unique(np.asarray(pts, dtype=np.float64), axis=0)
    if len(p) < 3:
        return p
    p = p[np.lexsort((p[:, 1], p[:, 0]))]

    def half(seq):
        h = []
        for q in seq:
            while len(h) >= 2 and ((h[-1][0] - h[-2][0]) * (q[1] - h[-2][1])
                                   - (h[-1][1] - h[-2][1]) * (q[0] - h[-2][0])) <= 0:
                h.pop()
            h.append(q)
        return h

    pts = [tuple(q) for q in p]
    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def face_size(points):
    lo, hi = np.nanmin(points, 0), np.nanmax(points, 0)
    return float(max(hi[0] - lo[0], hi[1] - lo[1]))


def densify(poly, step):
    out = []
    for a, b in zip(poly, np.roll(poly, -1, 0)):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / max(step, 1e-3))))
        t = np.arange(n)[:, None] / n
        out.append(a + t * (b - a))
    return np.concatenate(out)


def _smooth_field(rng, grid, lo, hi, pts):
    """Displacement at pts from a grid x grid field of N(0,1) pairs, bilinearly interpolated over the
    points' bounding box."""
    g = rng.standard_normal((grid, grid, 2))
    u = (pts - lo) / np.maximum(hi - lo, 1e-6) * (grid - 1)
    u = np.clip(u, 0, grid - 1 - 1e-6)
    i = u.astype(int)
    f = u - i
    fx, fy = f[:, :1], f[:, 1:]
    return ((1 - fx) * (1 - fy) * g[i[:, 1], i[:, 0]] + fx * (1 - fy) * g[i[:, 1], i[:, 0] + 1]
            + (1 - fx) * fy * g[i[:, 1] + 1, i[:, 0]] + fx * fy * g[i[:, 1] + 1, i[:, 0] + 1])


def deform_outline(poly, size, rng, cfg):
    if rng.random() >= cfg["prob"]:
        return poly
    if rng.random() < cfg["elastic_prob"]:
        e = cfg["elastic"]
        pts = densify(poly, e["step_frac"] * size)
        amp = rng.uniform(*e["alpha_frac"]) * size
        return pts + amp * _smooth_field(rng, int(e["grid"]), poly.min(0), poly.max(0), pts)
    j = rng.uniform(*cfg["piecewise_affine"]["vertex_jitter_frac"]) * size
    return poly + rng.uniform(-j, j, poly.shape)


def rasterize(poly, width, height):
    m = Image.new("L", (width, height), 0)
    # PIL polygon vertices are in pixel-index units (pixel centre = integer)
    ImageDraw.Draw(m).polygon([(float(x) - 0.5, float(y) - 0.5) for x, y in poly], fill=255)
    return m


def erode_dilate(mask, radius):
    """Binary erosion (radius < 0) / dilation (radius > 0) with a (2|r|+1)^2 square window. A pixel
    survives erosion iff its whole window is set, i.e. iff the box mean is 255 (BoxBlur is ~50x
    faster than PIL's MinFilter); dilation = complement of the erosion of the complement."""
    r = abs(int(radius))
    if r == 0:
        return mask
    lut = [255 if v >= 255 else 0 for v in range(256)]
    if radius < 0:
        return mask.filter(ImageFilter.BoxBlur(r)).point(lut)
    inv = mask.point(lambda v: 255 - v)
    return inv.filter(ImageFilter.BoxBlur(r)).point(lut).point(lambda v: 255 - v)


def blend_mask(points, width, height, rng, recipe):
    """Returns (M float32 HxW in [0,1] including blend ratio, hard float32 HxW region used for colour stats)."""
    mc = recipe["mask"]
    variants = mc["variants"]
    probs = np.array([v["prob"] for v in variants], dtype=np.float64)
    v = variants[rng.choice(len(variants), p=probs / probs.sum())]
    size = face_size(points)
    poly = convex_hull(points[v["indices"]])
    poly = deform_outline(poly, size, rng, mc["deform"])
    m = rasterize(poly, width, height)
    ed = mc["erode_dilate"]
    if rng.random() < ed["prob"]:
        m = erode_dilate(m, int(round(rng.uniform(*ed["frac"]) * size)))
    hard = np.asarray(m, dtype=np.float32) / 255.0
    bl = mc["blur"]
    m = m.filter(ImageFilter.GaussianBlur(rng.uniform(*bl["sigma_frac"]) * size))
    if rng.random() < bl["second_prob"]:
        m = m.filter(ImageFilter.GaussianBlur(rng.uniform(*bl["second_sigma_frac"]) * size))
    soft = np.asarray(m, dtype=np.float32) / 255.0
    ratio = float(rng.choice(mc["blend_ratio_choices"]))
    return soft * ratio, hard
