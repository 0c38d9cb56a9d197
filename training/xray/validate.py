"""Held-out validation on a fixed, seeded set of real / BI / SBI samples (see data.FixedSet)."""
import contextlib

import numpy as np
import torch

from .crop import normalise
from .metrics import roc_auc
from .synth import KIND_BI, KIND_REAL, KIND_SBI


@torch.no_grad()
def evaluate(model, loader, device, channels_last=True, amp_dtype=None):
    model.eval()
    logits, bmax, kinds, bce = [], [], [], []
    for x, b, y, k in loader:
        x = normalise(x.to(device, non_blocking=True))
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        ctx = torch.autocast(device_type=device.type, dtype=amp_dtype) if amp_dtype is not None else contextlib.nullcontext()
        with ctx:
            bl, lg = model(x)
        bl = bl.float()
        bce.append(torch.nn.functional.binary_cross_entropy_with_logits(
            bl, b.to(device).float(), reduction="none").mean((1, 2, 3)).cpu())
        logits.append(lg.float().cpu())
        bmax.append(torch.sigmoid(bl).amax((1, 2, 3)).cpu())
        kinds.append(k)
    logits, bmax = torch.cat(logits).numpy(), torch.cat(bmax).numpy()
    kinds, bce = torch.cat(kinds).numpy(), torch.cat(bce).numpy()
    fake = kinds != KIND_REAL
    res = {"n": int(len(kinds)), "n_real": int((~fake).sum()), "n_bi": int((kinds == KIND_BI).sum()),
           "n_sbi": int((kinds == KIND_SBI).sum()),
           "auc_logit": roc_auc(logits, fake), "auc_maxB": roc_auc(bmax, fake),
           "map_bce": float(bce.mean()),
           "acc_logit_at_0": float(((logits > 0) == fake).mean())}
    for name, kind in (("bi", KIND_BI), ("sbi", KIND_SBI)):
        sel = (kinds == kind) | ~fake
        res[f"auc_logit_{name}"] = roc_auc(logits[sel], fake[sel])
        res[f"auc_maxB_{name}"] = roc_auc(bmax[sel], fake[sel])
    model.train()
    return res
