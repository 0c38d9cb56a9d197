"""Face alignment for the swap models (the worker must do exactly this).

Five points from the iBUG-68 landmarks: left-eye centre = mean(36..41), right-eye centre = mean(42..47),
nose tip = 30, mouth corners = 48 and 54 (image-left first, as in ArcFace).

Template. ArcFace's 112 template (src/pipeline/align.ts, pixel-centre-at-integer convention) is
shrunk about the crop centre by ALIGN_SCALE (default 0.75) to leave a margin around the face:
    T'_112 = 56 + ALIGN_SCALE * (T_arcface + 0.5 - 56)       (continuous coordinates, 112 units)
and for an S x S crop  T_S = T'_112 * S / 112.  Coordinates are CONTINUOUS (pixel (i,j) covers
[i,i+1) x [j,j+1), centre i+0.5) -- the convention of the 68-point landmark files. In the worker:
    alignmentMatrix(kp5_continuous, S, { template: SWAP_TEMPLATE_112, pixelCenter: 'half' })
with SWAP_TEMPLATE_112 = T'_112 (printed by `python3 -m training.swap.align`).
At S = 128 and ALIGN_SCALE 0.75 the ArcFace 112 crop is the central 96x96 square (16 px margin).

Crop: least-squares similarity (no reflection) image -> template; output pixel (u,v) samples the image
bilinearly at the inverse-mapped continuous point (u+0.5, v+0.5); outside the photo: reflection
padding in training (FairFace 224 photos are tighter than this crop; in real photos the context exists).
The identity encoder's 112 input is the central ALIGN_SCALE*S square of the aligned crop, resampled
bilinearly (grid_sample, align_corners=False) -- exactly the ArcFace crop.
"""
import numpy as np
import torch
import torch.nn.functional as F

ARCFACE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]], np.float64)
ALIGN_SCALE = 0.75


def template_112(align_scale=ALIGN_SCALE):
    """The swap template in continuous coordinates of a 112 crop (scale by S/112 for other sizes)."""
    return 56.0 + align_scale * (ARCFACE_112 + 0.5 - 56.0)


def template(size, align_scale=ALIGN_SCALE):
    return template_112(align_scale) * (size / 112.0)


def five_points(lm68):
    """[...,68,2] -> [...,5,2]: eye centres, nose tip, mouth corners."""
    lm68 = np.asarray(lm68, np.float64)
    return np.stack([lm68[..., 36:42, :].mean(-2), lm68[..., 42:48, :].mean(-2), lm68[..., 30, :],
                     lm68[..., 48, :], lm68[..., 54, :]], -2)


def similarity(src, dst):
    """Batched least-squares similarity src -> dst ([N,K,2] each), Umeyama closed form in 2-D (as
    estimateSimilarity in align.ts). Returns [N,2,3]: dst ~= A @ [x, y, 1]."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    if src.ndim == 2:
        src = src[None]
    dst = np.broadcast_to(dst, src.shape)
    ms, md = src.mean(1, keepdims=True), dst.mean(1, keepdims=True)
    s, d = src - ms, dst - md
    norm = np.maximum((s ** 2).sum((1, 2)), 1e-12)
    a = (s * d).sum((1, 2)) / norm
    b = (s[..., 0] * d[..., 1] - s[..., 1] * d[..., 0]).sum(1) / norm
    tx = md[:, 0, 0] - (a * ms[:, 0, 0] - b * ms[:, 0, 1])
    ty = md[:, 0, 1] - (b * ms[:, 0, 0] + a * ms[:, 0, 1])
    return np.stack([np.stack([a, -b, tx], 1), np.stack([b, a, ty], 1)], 1)


def invert(m):
    """[N,2,3] affine inverse."""
    a, b, c = m[:, 0, 0], m[:, 0, 1], m[:, 0, 2]
    d, e, f = m[:, 1, 0], m[:, 1, 1], m[:, 1, 2]
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return np.stack([np.stack([ia, ib, -(ia * c + ib * f)], 1), np.stack([id_, ie, -(id_ * c + ie * f)], 1)], 1)


def crop_to_image(lm68, size, align_scale=ALIGN_SCALE):
    """[N,2,3] affine mapping continuous crop coordinates -> continuous image coordinates."""
    return invert(similarity(five_points(lm68), template(size, align_scale)))


def warp(images, crop2img, size, padding_mode="reflection"):
    """images: [N,C,H,W] float tensor; crop2img: [N,2,3] (continuous coords). Returns [N,C,size,size]:
    output pixel (u,v) = bilinear sample at crop2img @ (u+0.5, v+0.5, 1)."""
    n, _, h, w = images.shape
    m = torch.as_tensor(crop2img, dtype=torch.float64)
    # normalised crop coords (align_corners=False): u_cont = (xn+1)*size/2 ; image: xn_img = 2*x/w - 1
    to_cont = torch.tensor([[size / 2, 0, size / 2], [0, size / 2, size / 2], [0, 0, 1]], dtype=torch.float64)
    img_norm = torch.tensor([[2 / w, 0, -1], [0, 2 / h, -1], [0, 0, 1]], dtype=torch.float64)
    full = torch.cat([m, torch.tensor([[[0, 0, 1]]], dtype=torch.float64).expand(n, 1, 3)], 1)
    theta = (img_norm @ full @ to_cont)[:, :2].to(images.device, torch.float32)
    grid = F.affine_grid(theta, [n, images.shape[1], size, size], align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode=padding_mode, align_corners=False)


def arcface_crop(x, align_scale=ALIGN_SCALE, out=112):
    """The ArcFace-aligned `out` x `out` crop (central align_scale*S square) of aligned crops x [N,C,S,S]."""
    n = x.shape[0]
    theta = torch.tensor([[align_scale, 0.0, 0.0], [0.0, align_scale, 0.0]], dtype=x.dtype, device=x.device)
    grid = F.affine_grid(theta.expand(n, 2, 3), [n, x.shape[1], out, out], align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


if __name__ == "__main__":
    import json

    print(json.dumps({"align_scale": ALIGN_SCALE, "template_112_continuous": template_112().round(4).tolist(),
                      "template_128": template(128).round(4).tolist(), "template_256": template(256).round(4).tolist()}))
