"""Detector crop convention and input normalisation -- must match the worker exactly.

Landmarks/pixels: continuous image frame with the top-left image corner at (0,0); pixel (i,j) covers
[i, i+1) x [j, j+1) and has its centre at (i+0.5, j+0.5).
Crop: box = bounding box of the 68 landmarks; centre (cx, cy) = box centre; side s = 1.5*max(w, h);
the square [cx - s/2, cx + s/2] x [cy - s/2, cy + s/2] is axis-aligned (no rotation) and resampled
to 256x256: output pixel (u, v) takes the bilinear (2x2 taps, no antialiasing) sample of the image at
x = cx - s/2 + (u + 0.5) * s/256, y = cy - s/2 + (v + 0.5) * s/256 (pixel-centre units: index
x - 0.5); taps outside the image read 0 (black).
Normalisation: RGB, (x/255 - mean)/std with ImageNet mean/std, NCHW float32.
"""
import numpy as np

CROP_SCALE = 1.5
CROP_SIZE = 256
MAP_SIZE = 64
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def crop_box(points, scale=CROP_SCALE):
    """(cx, cy, side) from [68,2] landmarks."""
    lo = np.nanmin(points, 0)
    hi = np.nanmax(points, 0)
    c = (lo + hi) / 2.0
    return float(c[0]), float(c[1]), float(scale * max(hi[0] - lo[0], hi[1] - lo[1]))


def _taps(start, side, out, n):
    """Bilinear taps along one axis, as indices into an array padded by one zero on each side."""
    x = start + (np.arange(out, dtype=np.float64) + 0.5) * (side / out) - 0.5  # pixel-index units
    x0 = np.floor(x)
    w1 = (x - x0).astype(np.float32)
    i0 = np.clip(x0.astype(np.int64) + 1, 0, n + 1)
    i1 = np.clip(x0.astype(np.int64) + 2, 0, n + 1)
    return i0, i1, 1.0 - w1, w1


def crop_reference(img, cx, cy, side, out=CROP_SIZE):
    """Plain-numpy statement of the convention (slow; used to test `crop`). img HxW[xC] -> float32."""
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    pad = [(1, 1), (1, 1)] + [(0, 0)] * (a.ndim - 2)
    a = np.pad(a, pad)
    r0, r1, wr0, wr1 = _taps(cy - side / 2.0, side, out, h)
    c0, c1, wc0, wc1 = _taps(cx - side / 2.0, side, out, w)
    ex = (slice(None),) + (None,) * (a.ndim - 1)
    rows = a[r0] * wr0[ex] + a[r1] * wr1[ex]                      # out x (W+2) [x C]
    ex = (None, slice(None)) + (None,) * (a.ndim - 2)
    return rows[:, c0] * wc0[ex] + rows[:, c1] * wc1[ex]


def crop(img, cx, cy, side, out=CROP_SIZE):
    """Fast equivalent of crop_reference: torch grid_sample(bilinear, zeros, align_corners=False)
    evaluated at the same sample points. img HxW or HxWxC (any dtype) -> float32 out x out (x C)."""
    import torch
    import torch.nn.functional as F

    a = np.asarray(img)
    if a.ndim == 2:  # single channel: the numpy version is faster
        return crop_reference(a, cx, cy, side, out)
    h, w = a.shape[:2]
    t = torch.from_numpy(np.array(a, dtype=np.float32))
    t = t.permute(2, 0, 1)[None]
    k = (torch.arange(out, dtype=torch.float64) + 0.5) * (side / out)
    gx = ((cx - side / 2.0 + k) / w * 2.0 - 1.0).float()
    gy = ((cy - side / 2.0 + k) / h * 2.0 - 1.0).float()
    grid = torch.stack([gx[None, :].expand(out, out), gy[:, None].expand(out, out)], -1)[None]
    r = F.grid_sample(t, grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0]
    return r.permute(1, 2, 0).numpy()


def crop_uint8(img, cx, cy, side, out=CROP_SIZE):
    return np.clip(crop(img, cx, cy, side, out) + 0.5, 0, 255).astype(np.uint8)


def normalise(batch_uint8):
    """torch uint8 NCHW (any device) -> float32 normalised NCHW."""
    import torch

    x = batch_uint8.float().div_(255.0)
    mean = torch.tensor(MEAN, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std
