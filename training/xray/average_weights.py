"""The element-wise mean of two runs' weights (a "model soup"), as a checkpoint `train.py --init` takes.
Both runs must descend from the same weights (run 4 was `--init` from 0.3.0), or the mean is meaningless.

  python3 -m training.xray.average_weights A.pt B.pt --out soup.pt
"""
import argparse

import torch

from .checkpoint import load_checkpoint


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    a, b = load_checkpoint(args.a)["model"], load_checkpoint(args.b)
    if a.keys() != b["model"].keys():
        raise SystemExit("the two checkpoints hold different networks")
    b["model"] = {k: ((v.float() + a[k].float()) / 2).to(v.dtype) if v.is_floating_point() else v for k, v in b["model"].items()}
    b.pop("opt", None)  # no optimiser state for weights nobody trained
    b.setdefault("state", {})["averaged"] = [args.a, args.b]
    torch.save(b, args.out)
    print(f"wrote {args.out}: mean of {args.a} and {args.b}")


if __name__ == "__main__":
    main()
