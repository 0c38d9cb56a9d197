"""Synthetic occlusions for HEAR-Net training, on whole batches of aligned crops (torch, any device).

Each sample gets one occluder (probability `p`, else none), drawn among:
  0 patch  -- a random ellipse or rectangle filled with a patch of ANOTHER image of the batch (shifted)
  1 glasses -- two dark/tinted elliptical rims (optionally filled, sunglasses) + a bridge, at the template
               eye positions (align.py) with jitter
  2 hand   -- a skin-toned blob: a palm ellipse + 4 finger ellipses, random rotation, entering from an edge
  3 shape  -- a solid-colour random rectangle/ellipse (scarf, mic, sticker...)
Soft edges (1-2 px). Input/output in [-1,1], [N,3,S,S]. Returns (occluded, mask [N,1,S,S]).
"""
import math

import torch

from .align import ALIGN_SCALE, template


def _ellipse(gx, gy, cx, cy, rx, ry, ang, soft):
    ca, sa = torch.cos(ang), torch.sin(ang)
    dx, dy = gx - cx, gy - cy
    u = (dx * ca + dy * sa) / rx
    v = (-dx * sa + dy * ca) / ry
    r = torch.sqrt(u * u + v * v + 1e-12)
    return torch.clamp((1 - r) * torch.minimum(rx, ry) / soft + 0.5, 0, 1)


def _rect(gx, gy, cx, cy, hw, hh, ang, soft):
    ca, sa = torch.cos(ang), torch.sin(ang)
    dx, dy = gx - cx, gy - cy
    u = (dx * ca + dy * sa).abs() - hw
    v = (-dx * sa + dy * ca).abs() - hh
    return torch.clamp(-torch.maximum(u, v) / soft + 0.5, 0, 1)


def occlude(x, p=0.8, generator=None, align_scale=ALIGN_SCALE):
    n, _, s, _ = x.shape
    dev, dt = x.device, x.dtype
    g = generator

    def rnd(*shape, lo=0.0, hi=1.0):
        return (torch.rand(*shape, device=dev, generator=g) * (hi - lo) + lo)

    def col(v):  # [N] -> [N,1,1,1]
        return v.view(n, 1, 1, 1)

    ys, xs = torch.meshgrid(torch.arange(s, device=dev, dtype=torch.float32) + 0.5,
                            torch.arange(s, device=dev, dtype=torch.float32) + 0.5, indexing="ij")
    gx, gy = xs[None, None], ys[None, None]
    soft = torch.tensor(max(1.0, s / 128.0), device=dev)
    kind = torch.randint(0, 4, (n,), device=dev, generator=g)
    use = rnd(n) < p
    tpl = torch.tensor(template(s, align_scale), dtype=torch.float32, device=dev)
    eye_d = float((tpl[1] - tpl[0]).norm())

    # 0/3: patch or solid shape
    cx, cy = col(rnd(n, lo=0.2 * s, hi=0.8 * s)), col(rnd(n, lo=0.25 * s, hi=0.85 * s))
    rx, ry = col(rnd(n, lo=0.08 * s, hi=0.28 * s)), col(rnd(n, lo=0.06 * s, hi=0.22 * s))
    ang = col(rnd(n, lo=-math.pi, hi=math.pi))
    is_rect = col(rnd(n) < 0.5)
    m_shape = torch.where(is_rect, _rect(gx, gy, cx, cy, rx, ry, ang, soft), _ellipse(gx, gy, cx, cy, rx, ry, ang, soft))
    perm = torch.roll(torch.arange(n, device=dev), 1)
    shift = (int(rnd(1, lo=-0.3 * s, hi=0.3 * s).item()), int(rnd(1, lo=-0.3 * s, hi=0.3 * s).item()))
    other = torch.roll(x[perm], shifts=shift, dims=(2, 3))
    solid = (rnd(n, 3, lo=-1, hi=1)).view(n, 3, 1, 1).to(dt).expand(n, 3, s, s)

    # 1: glasses at the template eyes
    jit = rnd(n, 2, lo=-0.04, hi=0.04) * s
    le, re = tpl[0] + jit, tpl[1] + jit
    erx = col(rnd(n, lo=0.28, hi=0.42) * eye_d)
    ery = erx * col(rnd(n, lo=0.55, hi=0.85))
    tilt = col(rnd(n, lo=-0.12, hi=0.12))
    thick = col(rnd(n, lo=0.06, hi=0.14)) * erx
    rims = []
    for e in (le, re):
        ex, ey = col(e[:, 0]), col(e[:, 1])
        outer = _ellipse(gx, gy, ex, ey, erx, ery, tilt, soft)
        inner = _ellipse(gx, gy, ex, ey, erx - thick, ery - thick, tilt, soft)
        rims.append((outer, inner))
    sun = col(rnd(n) < 0.35)
    rim = torch.maximum(rims[0][0] - rims[0][1] * (~sun), rims[1][0] - rims[1][1] * (~sun)).clamp(0, 1)
    bcx, bcy = col((le[:, 0] + re[:, 0]) / 2), col((le[:, 1] + re[:, 1]) / 2)
    bridge = _rect(gx, gy, bcx, bcy, col((re[:, 0] - le[:, 0]) / 2 - erx[:, 0, 0, 0] * 0.8).clamp_min(1.0), thick * 0.6, tilt, soft)
    m_glasses = torch.maximum(rim, bridge)
    frame_col = (rnd(n, 3, lo=-1, hi=-0.3) + rnd(n, 1, lo=0, hi=0.4)).view(n, 3, 1, 1).to(dt).expand(n, 3, s, s)

    # 2: hand-like blob from the lower part / sides
    hx, hy = col(rnd(n, lo=0.15 * s, hi=0.85 * s)), col(rnd(n, lo=0.55 * s, hi=0.95 * s))
    pr = col(rnd(n, lo=0.12 * s, hi=0.2 * s))
    hang = col(rnd(n, lo=-0.8, hi=0.8)) - math.pi / 2
    m_hand = _ellipse(gx, gy, hx, hy, pr, pr * 0.85, hang, soft)
    for f in range(4):
        off = (f - 1.5) * 0.45
        fa = hang + off * 0.35
        fx = hx + torch.cos(fa) * pr * 1.25 + torch.cos(hang + math.pi / 2) * off * pr * 0.5
        fy = hy + torch.sin(fa) * pr * 1.25 + torch.sin(hang + math.pi / 2) * off * pr * 0.5
        m_hand = torch.maximum(m_hand, _ellipse(gx, gy, fx, fy, pr * 0.6, pr * 0.18, fa, soft))
    skin = torch.stack([rnd(n, lo=0.1, hi=0.9), rnd(n, lo=-0.2, hi=0.5), rnd(n, lo=-0.4, hi=0.3)], 1)
    skin = skin.view(n, 3, 1, 1).to(dt)
    shade = (gy - hy) / s * 0.3  # simple vertical shading
    hand_col = (skin - shade.to(dt)).clamp(-1, 1)

    k = kind.view(n, 1, 1, 1)
    mask = torch.where(k == 0, m_shape, torch.where(k == 1, m_glasses, torch.where(k == 2, m_hand, m_shape)))
    fill = torch.where(k == 0, other, torch.where(k == 1, frame_col, torch.where(k == 2, hand_col.expand(n, 3, s, s), solid)))
    mask = (mask * col(use.float())).to(dt)
    return x * (1 - mask) + fill * mask, mask
