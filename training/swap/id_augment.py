"""Random views of a face for the identity loss: L_id is taken on a jittered ArcFace crop of the swap, never the
same exact crop twice, so the generator cannot satisfy it with a pixel pattern tuned to one view of one network
(an adversarial identity). `python3 -m training.swap.check_identity --transfer` measures the effect: optimising
target pixels towards a source identity with and without these views, judged by the evaluation-only faceres.

  crop = jittered_arcface_crop(x, ALIGN_SCALE, 112)   # x: aligned crops [N,3,S,S] in [-1,1]
"""
import math

import torch
import torch.nn.functional as F

SCALE_JITTER = 0.08      # relative zoom, +-
SHIFT_JITTER = 0.04      # fraction of the crop, +-
ROTATE_JITTER = 6.0      # degrees, +-
MIN_RESAMPLE = 0.5       # down-and-up resampling to between 0.5x and 1x of the crop size
NOISE_STD = 0.02         # in [-1,1] units


def jittered_arcface_crop(x, align_scale, out=112, generator=None):
    n, dev, dt = x.shape[0], x.device, x.dtype

    def uniform(lo, hi):
        return lo + (hi - lo) * torch.rand(n, device=dev, dtype=dt, generator=generator)

    scale = align_scale * uniform(1 - SCALE_JITTER, 1 + SCALE_JITTER)
    angle = uniform(-ROTATE_JITTER, ROTATE_JITTER) * (math.pi / 180.0)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    tx, ty = uniform(-SHIFT_JITTER, SHIFT_JITTER) * 2, uniform(-SHIFT_JITTER, SHIFT_JITTER) * 2
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, [n, x.shape[1], out, out], align_corners=False)
    crop = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    low = int(round(out * float(torch.empty(1).uniform_(MIN_RESAMPLE, 1.0, generator=generator))))
    if low < out:
        crop = F.interpolate(F.interpolate(crop, size=(low, low), mode="bilinear", align_corners=False, antialias=True),
                             size=(out, out), mode="bilinear", align_corners=False)
    noise = torch.randn(crop.shape, device=dev, dtype=dt, generator=generator) * NOISE_STD
    return crop + noise
