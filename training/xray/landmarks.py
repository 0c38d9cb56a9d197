"""68-point landmark files (landmarks.json + lm68.bin), similarity fits and aligned-shape neighbours.

Format (fixed; produced by the TypeScript face pipeline):
  landmarks.json = {"points": 68, "files": ["train/1.jpg", ...], "scores": [0.98, ...],
                    "tars": ["train-00.tar", ...]}   (optional extra keys, e.g. "placeholder": true)
  lm68.bin       = little-endian float32 [N, 68, 2], (x, y) pixels in the source image,
                   NaN rows where no face was found.
"""
import json
import os
import tarfile

import numpy as np

# Mean face, iBUG-68 order, in a unit frame (x right, y down). Values from OpenFace's align_dlib.py
# TEMPLATE (Apache-2.0), used here only as a mean shape and for placeholder landmarks.
MEAN_FACE_68 = np.array([
    (0.0792396913815, 0.339223741112), (0.0829219487236, 0.456955367943), (0.0967927109165, 0.575648016728),
    (0.122141515615, 0.691921601066), (0.168687863544, 0.800341263616), (0.239789390707, 0.895732504778),
    (0.325662452515, 0.977068762493), (0.422318282013, 1.04329000149), (0.531777802068, 1.06080371126),
    (0.641296298053, 1.03981924107), (0.738105872266, 0.972268833998), (0.824444363295, 0.889624082279),
    (0.894792677532, 0.792494155836), (0.939395486253, 0.681546643421), (0.96111933829, 0.562238253072),
    (0.970579841181, 0.441758925744), (0.971193274221, 0.322118743967), (0.163846223133, 0.249151738053),
    (0.21780354657, 0.204255863861), (0.291299351124, 0.192367318323), (0.367460241458, 0.203582210627),
    (0.4392945113, 0.233135599851), (0.586445962425, 0.228141644834), (0.660152671635, 0.195923841854),
    (0.737466449096, 0.182360984545), (0.813236546239, 0.192828009114), (0.8707571886, 0.235293377042),
    (0.51534533827, 0.31863546193), (0.516221448289, 0.396200446263), (0.517118861835, 0.473797687758),
    (0.51816430343, 0.553157797772), (0.433701156035, 0.604054457668), (0.475501237769, 0.62076344024),
    (0.520712933176, 0.634268222208), (0.565874114041, 0.618796581487), (0.607054002672, 0.60157671656),
    (0.252418718401, 0.331052263829), (0.298663015648, 0.302646354002), (0.355749724218, 0.303020650651),
    (0.403718978315, 0.33867711083), (0.352507175597, 0.349987615384), (0.296791759886, 0.350478978225),
    (0.631326076346, 0.334136672344), (0.679073381078, 0.29645404267), (0.73597236153, 0.294721285802),
    (0.782865376271, 0.321305281656), (0.740312274764, 0.341849376713), (0.68499850091, 0.343734332172),
    (0.353167761422, 0.746189164237), (0.414587777921, 0.719053835073), (0.477677654595, 0.706835892494),
    (0.522732900812, 0.717092275768), (0.569832064287, 0.705414478982), (0.635195811927, 0.71565572516),
    (0.69951672331, 0.739419187253), (0.639447159575, 0.805236879972), (0.576410514055, 0.835436670169),
    (0.525398405766, 0.841706377792), (0.47641545769, 0.837505914975), (0.41379548902, 0.810045601727),
    (0.380084785646, 0.749979603086), (0.477955996282, 0.74513234612), (0.523389793327, 0.748924302636),
    (0.571057789237, 0.74332894691), (0.672409137852, 0.744177032192), (0.572539621444, 0.776609286626),
    (0.5240106503, 0.783370783245), (0.477561227414, 0.778476346951),
], dtype=np.float32)


def read_landmarks(folder):
    """Returns (meta dict, points float32 [N,68,2]); meta has files/scores/tars (+ extras)."""
    with open(os.path.join(folder, "landmarks.json")) as f:
        meta = json.load(f)
    if meta.get("points") != 68:
        raise ValueError(f"{folder}: expected points=68, got {meta.get('points')}")
    n = len(meta["files"])
    raw = np.fromfile(os.path.join(folder, "lm68.bin"), dtype="<f4")
    if raw.size != n * 68 * 2:
        raise ValueError(f"{folder}: lm68.bin holds {raw.size} floats, expected {n}*68*2")
    if len(meta.get("scores", [])) != n:
        raise ValueError(f"{folder}: scores length {len(meta.get('scores', []))} != files {n}")
    return meta, raw.reshape(n, 68, 2).astype(np.float32)


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def landmarked_images(tars, meta, points, min_score=0.5, max_faces=0, min_face_px=0, stats=None):
    """Yields (tar path, member name, landmark row, encoded image bytes), in tar order, for the images of `tars` whose
    landmarks are finite, scored >= min_score and span >= min_face_px (long side of their box); stops
    after max_faces (0 = all). `stats`, a dict, gets the counts `seen` (images) and `dropped`."""
    index = {f: i for i, f in enumerate(meta["files"])}
    scores = np.asarray(meta["scores"], np.float32)
    counts = stats if stats is not None else {}
    counts.update(seen=0, dropped=0)
    kept = 0
    for path in tars:
        with tarfile.open(path) as tf:
            for m in tf:
                if not (m.isfile() and m.name.lower().endswith(IMAGE_SUFFIXES)):
                    continue
                counts["seen"] += 1
                i = index.get(m.name)
                p = points[i] if i is not None else None
                if (i is None or not np.isfinite(p).all() or scores[i] < min_score
                        or (p.max(0) - p.min(0)).max() < min_face_px):
                    counts["dropped"] += 1
                    continue
                yield path, m.name, i, tf.extractfile(m).read()
                kept += 1
                if max_faces and kept >= max_faces:
                    return


def write_landmarks(folder, files, points, scores, tars, **extra):
    os.makedirs(folder, exist_ok=True)
    points = np.asarray(points, dtype="<f4")
    assert points.shape == (len(files), 68, 2), points.shape
    meta = {"points": 68, "files": list(files), "scores": [float(s) for s in scores], "tars": list(tars)}
    meta.update(extra)
    with open(os.path.join(folder, "landmarks.json"), "w") as f:
        json.dump(meta, f)
    points.tofile(os.path.join(folder, "lm68.bin"))


def fit_similarity(src, dst):
    """Least-squares similarity (rotation+uniform scale+translation, no reflection) mapping src->dst.
    src, dst: [68,2]. Returns a 2x3 matrix A with dst ~= A @ [x, y, 1]."""
    zs = src[:, 0] + 1j * src[:, 1]
    zd = dst[:, 0] + 1j * dst[:, 1]
    ms, md = zs.mean(), zd.mean()
    a = np.vdot(zs - ms, zd - md) / max(np.vdot(zs - ms, zs - ms).real, 1e-12)
    t = md - a * ms
    return np.array([[a.real, -a.imag, t.real], [a.imag, a.real, t.imag]], dtype=np.float64)


def normalise_shapes(points, mean=MEAN_FACE_68):
    """Align every shape [N,68,2] to the (centred, unit-norm) mean shape by its own least-squares
    similarity. Returns [N,68,2] float32 in the mean-shape frame."""
    m = mean.astype(np.float64)
    m = m - m.mean(0)
    m = m / np.sqrt((m ** 2).sum())
    zm = m[:, 0] + 1j * m[:, 1]
    z = points[..., 0].astype(np.float64) + 1j * points[..., 1].astype(np.float64)  # [N,68]
    zc = z - z.mean(1, keepdims=True)
    a = (np.conj(zc) * zm[None]).sum(1) / np.maximum((np.abs(zc) ** 2).sum(1), 1e-12)  # [N]
    za = a[:, None] * zc
    return np.stack([za.real, za.imag], -1).astype(np.float32)


def nearest_neighbours(points, k, device="cpu", chunk=2048):
    """Indices [N,k] of the k nearest other faces by Euclidean distance of similarity-normalised
    landmarks (the Face X-Ray partner pool)."""
    import torch

    n = points.shape[0]
    k = int(min(k, n - 1))
    if k < 1:
        raise ValueError("need at least 2 faces to find neighbours")
    x = torch.from_numpy(normalise_shapes(points).reshape(n, -1)).to(device)
    sq = (x * x).sum(1)
    out = []
    for s in range(0, n, chunk):
        xb = x[s:s + chunk]
        d = sq[s:s + chunk, None] + sq[None, :] - 2.0 * xb @ x.T
        d[torch.arange(xb.shape[0], device=device), torch.arange(s, s + xb.shape[0], device=device)] = float("inf")
        out.append(torch.topk(d, k, dim=1, largest=False).indices.cpu())
    return torch.cat(out).numpy().astype(np.int32)
