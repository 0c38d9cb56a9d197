"""Write a reference input/output pair (JSON) of a checkpoint for ort-node-check.mjs.

  /usr/bin/python3 -m training.xray.ort_reference --checkpoint OUT/checkpoint.pt --out ref.json
"""
import argparse
import json

import torch

from .checkpoint import load_checkpoint
from .export import ExportWrapper
from .model import build_model


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    ck = load_checkpoint(a.checkpoint)
    m = build_model(ck.get("model_cfg"))
    m.load_state_dict(ck["model"])
    w = ExportWrapper(m).eval()
    torch.manual_seed(0)
    x = torch.randn(1, 3, 256, 256)
    with torch.no_grad():
        b, l = w(x)
    json.dump({"input": x.flatten().tolist(), "boundary": b.flatten().tolist(), "logit": l.flatten().tolist()},
              open(a.out, "w"))


if __name__ == "__main__":
    main()
