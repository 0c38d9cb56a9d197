"""Fill .carry/xray for the GPU run: chosen FairFace tars (+ optionally a partial tar filling the
remaining size budget) and the landmarks subset for exactly the carried files.

  bash training/xray/pack-carry.sh LANDMARKS_DIR [--tars train-00.tar train-01.tar] [--fill train-02.tar]
"""
import argparse
import os
import shutil
import tarfile

import numpy as np

from .landmarks import read_landmarks, write_landmarks

MiB = 1 << 20
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("landmarks", help="folder with landmarks.json + lm68.bin covering the tars")
    ap.add_argument("--src", default="/work/shared/data/fairface")
    ap.add_argument("--tars", nargs="+", default=["train-00.tar", "train-01.tar"])
    ap.add_argument("--fill", default="train-02.tar", help="tar to take a partial slice from ('' = none)")
    ap.add_argument("--max-mib", type=float, default=58.0, help="budget for the whole carried folder")
    ap.add_argument("--out", default=os.path.join(REPO, ".carry", "xray"))
    a = ap.parse_args(argv)
    meta, pts = read_landmarks(a.landmarks)
    index = {f: i for i, f in enumerate(meta["files"])}
    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    files = []
    for t in a.tars:
        shutil.copyfile(os.path.join(a.src, t), os.path.join(a.out, t))
        with tarfile.open(os.path.join(a.src, t)) as tf:
            files += [m.name for m in tf.getmembers() if m.isfile()]
    used = sum(os.path.getsize(os.path.join(a.out, t)) for t in a.tars)
    lm_bytes = lambda n: n * 68 * 2 * 4 + n * 40 + 4096  # bin + json estimate
    if a.fill:
        budget = a.max_mib * MiB - used - lm_bytes(len(files) + 3200) - 10240
        part = os.path.join(a.out, a.fill.replace(".tar", ".part.tar"))
        n = 0
        with tarfile.open(os.path.join(a.src, a.fill)) as src, tarfile.open(part, "w") as dst:
            for m in src:
                i = index.get(m.name)
                if not m.isfile() or i is None or not np.isfinite(pts[i]).all():
                    continue  # only carry faces that have landmarks
                if dst.fileobj.tell() + 512 + ((m.size + 511) // 512) * 512 + 1024 > budget:
                    break
                dst.addfile(m, src.extractfile(m))
                files.append(m.name)
                n += 1
        print(f"partial {os.path.basename(part)}: {n} faces")
    keep = [f for f in files if f in index]
    missing = len(files) - len(keep)
    sel = [index[f] for f in keep]
    write_landmarks(os.path.join(a.out, "landmarks"), keep, pts[sel], [meta["scores"][i] for i in sel],
                    meta["tars"], **{k: v for k, v in meta.items() if k not in ("points", "files", "scores", "tars")})
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(a.out) for f in fs)
    usable = int(np.isfinite(pts[sel]).all(axis=(1, 2)).sum())
    print(f"{a.out}: {total / MiB:.1f} MiB, {len(files)} images, {usable} with landmarks, "
          f"{missing} images absent from the landmarks file")
    if total > a.max_mib * MiB:
        raise SystemExit(f"carried folder is {total / MiB:.1f} MiB > {a.max_mib} MiB")


if __name__ == "__main__":
    main()
