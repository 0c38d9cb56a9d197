"""Per-set X-ray figures from `npm run eval:xray -- … --scores S.jsonl` files (the card's metrics block).

The eval tool scores reals and one fake list together. This splits the fakes by their synth folder (bi-a/, sbi-a/)
and reports, per set, AUC against all reals, AP, EER, TPR at 1 % FPR and at the threshold, FPR on reals, and AUC by blend ratio
(from the folder's manifest.jsonl). Scores are the API's calibrated probabilities. `--remap A0 B0 A1 B1` re-expresses
them under a new Platt calibration, so the figures at a new threshold need no new pass.

  /usr/bin/python3 -m training.xray.eval_scores metrics DIR --threshold 0.7566 [--remap 1.0163 -1.98387 0.98264 -1.68959]
      (DIR holds orig.jsonl, q60.jsonl, q75.jsonl, q90.jsonl; prints one JSON object)
  /usr/bin/python3 -m training.xray.eval_scores paired OLD.jsonl NEW.jsonl   (paired bootstrap of the AUC change, per set)
"""
import argparse
import json
import math
import os

import numpy as np

from .metrics import roc_auc as _roc_auc


def roc_auc(pos, neg):
    return _roc_auc(list(pos) + list(neg), [1] * len(pos) + [0] * len(neg))


def load(path):
    """[(set name or None for reals, key 'set/file', label, score)] from one --scores file."""
    rows = []
    for line in open(path):
        r = json.loads(line)
        parts = r["name"].replace("\\", "/").split("/")
        fake_set = parts[-2] if r["label"] == 1 else None
        rows.append((fake_set, "/".join(parts[-2:]), r["label"], r["score"]))
    return rows


def ratios(scores_path, fake_sets):
    """'set/file' -> blend ratio, from each synth folder's manifest (found next to the first fake's folder)."""
    out, root = {}, None
    for line in open(scores_path):
        r = json.loads(line)
        if r["label"] == 1:
            root = os.path.dirname(os.path.dirname(r["name"].split(":")[-1]))
            break
    for s in fake_sets:
        manifest = os.path.join(root or ".", s, "manifest.jsonl")
        if os.path.exists(manifest):
            for line in open(manifest):
                m = json.loads(line)
                out[f"{s}/{m['file']}"] = m.get("ratio")
    return out


def remapper(a0, b0, a1, b1):
    def f(p):
        if p <= 0:
            return 0.0  # no face found: scored 0 by the pipeline, stays 0
        p = min(max(p, 1e-12), 1 - 1e-12)
        return 1 / (1 + math.exp(-(a1 * ((math.log(p / (1 - p)) - b0) / a0) + b1)))
    return f


def ap(pos, neg):
    s = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg], key=lambda t: -t[0])
    tp, total = 0, 0.0
    for i, (_, label) in enumerate(s, 1):
        if label:
            tp += 1
            total += tp / i
    return total / len(pos)


def eer(pos, neg):
    pos, neg, best = np.asarray(pos), np.asarray(neg), (2.0, 0.0)
    for t in np.unique(np.concatenate([pos, neg])):
        fpr, fnr = float(np.mean(neg >= t)), float(np.mean(pos < t))
        if abs(fpr - fnr) < best[0]:
            best = (abs(fpr - fnr), (fpr + fnr) / 2)
    return best[1]


def set_figures(pos, real, threshold):
    t1 = np.quantile(real, 0.99, method="higher")
    return {"auc": round(roc_auc(pos, real), 4), "ap": round(ap(pos, real), 4), "eer": round(eer(pos, real), 3),
            "tprAtFpr1": round(float(np.mean(np.asarray(pos) > t1)), 4),
            "tprAtThreshold": round(float(np.mean(np.asarray(pos) >= threshold)), 4)}


def metrics(folder, threshold, remap=None):
    f = remapper(*remap) if remap else (lambda p: p)
    out = {}
    for cond in ("orig", "q60", "q75", "q90"):
        path = os.path.join(folder, f"{cond}.jsonl")
        if not os.path.exists(path):
            continue
        rows = [(s, k, y, f(p)) for s, k, y, p in load(path)]
        real = [p for s, _, y, p in rows if y == 0]
        sets = sorted({s for s, _, y, _ in rows if y == 1})
        o = {"fprReal": round(float(np.mean(np.asarray(real) >= threshold)), 4)}
        by_ratio = ratios(path, sets) if cond == "orig" else {}
        for s in sets:
            pos = [p for s2, _, y, p in rows if y == 1 and s2 == s]
            o[s] = set_figures(pos, real, threshold)
            if by_ratio:
                groups = {}
                for s2, k, y, p in rows:
                    if y == 1 and s2 == s and by_ratio.get(k) is not None:
                        groups.setdefault(by_ratio[k], []).append(p)
                o[s]["aucByRatio"] = {str(r): round(roc_auc(g, real), 3) for r, g in sorted(groups.items())}
        out[cond] = o
    return out


def paired(old_path, new_path, resamples=500, seed=0):
    old = {k: (y, p) for _, k, y, p in load(old_path)}
    new = {k: (y, p) for _, k, y, p in load(new_path)}
    keys = sorted(set(old) & set(new))
    real = [k for k in keys if old[k][0] == 0]
    rng, out = np.random.default_rng(seed), {}
    auc = lambda d, reals, fakes: roc_auc([d[k][1] for k in fakes], [d[k][1] for k in reals])
    for s in sorted({k.split("/")[0] for k in keys if old[k][0] == 1}):
        fakes = [k for k in keys if old[k][0] == 1 and k.split("/")[0] == s]
        diffs = []
        for _ in range(resamples):
            r = [real[i] for i in rng.integers(len(real), size=len(real))]
            fk = [fakes[i] for i in rng.integers(len(fakes), size=len(fakes))]
            diffs.append(auc(new, r, fk) - auc(old, r, fk))
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        out[s] = {"delta": round(auc(new, real, fakes) - auc(old, real, fakes), 4), "ci95": [round(float(lo), 4), round(float(hi), 4)],
                  "reals": len(real), "fakes": len(fakes)}
    return out


def main(argv=None):
    ap_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap_.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("metrics")
    m.add_argument("folder")
    m.add_argument("--threshold", type=float, required=True)
    m.add_argument("--remap", type=float, nargs=4, metavar=("A0", "B0", "A1", "B1"))
    p = sub.add_parser("paired")
    p.add_argument("old")
    p.add_argument("new")
    a = ap_.parse_args(argv)
    print(json.dumps(metrics(a.folder, a.threshold, a.remap) if a.cmd == "metrics" else paired(a.old, a.new)))


if __name__ == "__main__":
    main()
