"""Atomic checkpoint save/load that works on torch 1.13 (CPU here) and torch 2.x (GPU machine)."""
import os

import torch


def save_checkpoint(path, **payload):
    tmp = path + ".tmp"
    torch.save(payload, tmp)
    os.replace(tmp, path)


def load_checkpoint(path, map_location="cpu"):
    try:  # torch >= 2.6 defaults to weights_only=True; this file is our own
        return torch.load(path, map_location=map_location, weights_only=False)
    except TypeError:
        return torch.load(path, map_location=map_location)
