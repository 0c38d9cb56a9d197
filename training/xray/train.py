"""Train the Face X-Ray detector on on-the-fly BI/SBI/real samples from FairFace tars.

  /usr/bin/python3 -m training.xray.train --device cpu --minutes 120 \
      --tars /work/shared/data/fairface/train-0{0..9}.tar --landmarks LANDMARK_DIR --out training/runs/xray

Resumable: a checkpoint is written every --ckpt-every steps / --ckpt-seconds and at exit (also on
SIGTERM/SIGINT); --resume continues from OUT/checkpoint.pt. --minutes is the TOTAL training-loop wall
budget across resumes; the LR schedule (linear warm-up + cosine) is a function of the elapsed
fraction of that budget, so it is sized to the time whatever the throughput.
"""
import argparse
import json
import math
import os
import time
import warnings

import torch

from ..common.runtime import JsonLog, amp_context, default_workers, setup_torch, stop_on_signal
from ..common.runtime import versions as _versions
from .checkpoint import load_checkpoint, save_checkpoint
from .crop import CROP_SCALE, CROP_SIZE, MAP_SIZE, MEAN, STD, normalise
from .data import FaceStore, FixedSet, TrainSet
from .model import build_model, xray_loss
from .recipe import RECIPE_PATH, load_recipe
from .validate import evaluate

CKPT_NAME = "checkpoint.pt"
warnings.filterwarnings("ignore", message="The value of the smallest subnormal")
LOG_NAME = "train-log.jsonl"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tars", nargs="+", required=True, help="FairFace tar files to read faces from")
    ap.add_argument("--landmarks", required=True, help="folder with landmarks.json + lm68.bin")
    ap.add_argument("--out", required=True, help="output folder (checkpoint.pt, train-log.jsonl)")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--minutes", type=float, default=120.0, help="total training-loop wall budget")
    ap.add_argument("--max-steps", type=int, default=0, help="stop (and size the schedule) by steps instead")
    ap.add_argument("--batch", type=int, default=0, help="default 16 on CPU, 128 on CUDA")
    ap.add_argument("--workers", type=int, default=-1, help="DataLoader workers; default 0 on CPU, cores-1 (<=15) on CUDA")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads (CPU device)")
    ap.add_argument("--lr", type=float, default=0.0, help="peak LR; default 1e-3*sqrt(batch/32)")
    ap.add_argument("--weight-decay", type=float, default=0.02)
    ap.add_argument("--encoder", default="mnv3s", choices=["mnv3s", "centernet-mnv3l"],
                    help="mnv3s: MobileNetV3-small from scratch; centernet-mnv3l: pretrained (see model.py)")
    ap.add_argument("--backbone-lr-scale", type=float, default=1.0,
                    help="LR multiplier for a pretrained encoder's weights (the decoder and head get the full LR)")
    ap.add_argument("--warmup", type=float, default=0.05, help="warm-up fraction of the budget")
    ap.add_argument("--val-faces", type=int, default=0, help="held-out faces (last in tar order); default min(500, 5%%)")
    ap.add_argument("--val-samples", type=int, default=600)
    ap.add_argument("--max-faces", type=int, default=0, help="read at most this many faces (0 = all)")
    ap.add_argument("--min-score", type=float, default=0.5)
    ap.add_argument("--recipe", default=RECIPE_PATH)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init", default="", help="start from these model weights (a checkpoint or a bare state_dict) "
                    "with a fresh optimiser and LR schedule: a new budget that builds on an earlier run")
    ap.add_argument("--init-drop", default="", help="with --init: re-initialise the parameters whose names start with "
                    "this (comma-separated prefixes) and any the init lacks, e.g. a diverged head")
    ap.add_argument("--clip-grad", type=float, default=0.0, help="clip the gradient norm to this (0 = off)")
    ap.add_argument("--ckpt-every", type=int, default=1000)
    ap.add_argument("--ckpt-seconds", type=float, default=0, help="default 300 on CPU, 60 on CUDA")
    ap.add_argument("--log-every", type=int, default=0, help="default 10 on CPU, 50 on CUDA")
    ap.add_argument("--no-val", action="store_true")
    ap.add_argument("--summary-json", default="", help="also write the final summary (incl. validation) here")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--smoke", action="store_true", help="a few steps on ~64 faces (test suite)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.max_faces = a.max_faces or 80
        a.val_faces = a.val_faces or 16
        a.val_samples = min(a.val_samples, 24)
        a.batch = a.batch or 8
        a.max_steps = a.max_steps or 6
        a.workers = 0 if a.workers < 0 else a.workers
        a.log_every = a.log_every or 1
    return a


def resolve_device(name):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda requested but CUDA is not available")
    return torch.device(name)


def lr_at(progress, peak, warmup):
    if progress < warmup:
        return peak * max(progress / warmup, 0.01)
    p = (progress - warmup) / max(1e-9, 1.0 - warmup)
    return peak * (0.02 + 0.98 * 0.5 * (1.0 + math.cos(math.pi * min(p, 1.0))))


def param_groups(model, wd, backbone_lr_scale=1.0):
    groups = {}
    for n, p in model.named_parameters():
        scale = backbone_lr_scale if n.startswith("backbone.") else 1.0
        key = (p.ndim <= 1, scale)
        groups.setdefault(key, {"params": [], "weight_decay": 0.0 if p.ndim <= 1 else wd, "lr_scale": scale})
        groups[key]["params"].append(p)
    return list(groups.values())


def worker_init(_):
    torch.set_num_threads(1)


def make_loader(ds, batch, workers, device, shuffle_forever):
    kw = dict(batch_size=batch, num_workers=workers, pin_memory=device.type == "cuda", drop_last=shuffle_forever)
    if workers > 0:
        kw.update(worker_init_fn=worker_init, prefetch_factor=4, persistent_workers=shuffle_forever,
                  multiprocessing_context="fork")  # share the in-memory images copy-on-write
    if shuffle_forever:
        kw["sampler"] = torch.utils.data.RandomSampler(ds, replacement=False, num_samples=len(ds) * 100000)
    return torch.utils.data.DataLoader(ds, **kw)


def versions():
    return _versions(torchvision=True)


def main(argv=None):
    a = parse_args(argv)
    device = resolve_device(a.device)
    cuda = device.type == "cuda"
    setup_torch(device, a.seed, a.threads)
    batch = a.batch or (128 if cuda else 16)
    workers = default_workers(a.workers, cuda)
    peak = a.lr or 1e-3 * math.sqrt(batch / 32)
    ckpt_seconds = a.ckpt_seconds or (60 if cuda else 300)
    log_every = a.log_every or (50 if cuda else 10)
    os.makedirs(a.out, exist_ok=True)
    ckpt_path = os.path.join(a.out, CKPT_NAME)
    log = JsonLog(os.path.join(a.out, LOG_NAME))
    recipe = load_recipe(a.recipe)

    t_setup = time.time()
    store = FaceStore.load(a.tars, a.landmarks, max_faces=a.max_faces, min_score=a.min_score)
    val_faces = a.val_faces or min(500, max(2, len(store) // 20))
    tr, va = store.split(val_faces)
    k = recipe["bi"]["neighbours"]
    p_tr, p_va = store.partner_table(tr, k, device), store.partner_table(va, k, device)
    log(event="setup", device=str(device), faces_train=int(len(tr)), faces_val=int(len(va)), batch=batch,
        workers=workers, peak_lr=peak, minutes=a.minutes, max_steps=a.max_steps,
        placeholder_landmarks=store.placeholder, setup_s=round(time.time() - t_setup, 1), **versions())

    model_cfg = {} if a.encoder == "mnv3s" else {"encoder": a.encoder}
    model = build_model(model_cfg).to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(param_groups(model, a.weight_decay, a.backbone_lr_scale), lr=peak, betas=(0.9, 0.999))
    state = {"step": 0, "images": 0, "trained_s": 0.0}
    if a.init and not (a.resume and os.path.exists(ckpt_path)):
        ck = load_checkpoint(a.init)
        sd = ck.get("model", ck)
        if a.init_drop:
            prefixes = tuple(p for p in a.init_drop.split(",") if p)
            sd = {k: v for k, v in sd.items() if not k.startswith(prefixes)}
            missing, unexpected = model.load_state_dict(sd, strict=False)
            if unexpected:
                raise SystemExit(f"--init has weights this model lacks: {unexpected[:5]}")
            log(event="init-partial", reinitialised=sorted({k.rsplit(".", 1)[0] for k in missing}))
        else:
            model.load_state_dict(sd)
        state["init"] = {"path": os.path.basename(a.init), **{k: ck.get("state", {}).get(k) for k in ("images", "trained_s")}}
        log(event="init", **state["init"])
    if a.resume and os.path.exists(ckpt_path):
        ck = load_checkpoint(ckpt_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        log(event="resume", **state)
    amp = amp_context(cuda)

    def save(tag):
        save_checkpoint(ckpt_path, model=model.state_dict(), opt=opt.state_dict(), state=state,
                        model_cfg=model_cfg, recipe=recipe, args=vars(a),
                        input={"size": CROP_SIZE, "crop_scale": CROP_SCALE, "mean": MEAN, "std": STD,
                               "map_size": MAP_SIZE, "layout": "NCHW RGB"},
                        placeholder_landmarks=store.placeholder, versions=versions())
        log(event="checkpoint", tag=tag, path=ckpt_path, **state)

    stop = stop_on_signal()

    budget = a.minutes * 60.0
    progress = lambda: (state["step"] / a.max_steps) if a.max_steps else (state["trained_s"] / budget)
    loader = make_loader(TrainSet(store, tr, p_tr, recipe), batch, workers, device, True)
    model.train()
    win = {"t": time.time(), "imgs": 0, "wait": 0.0, "loss": 0.0, "lc": 0.0, "lb": 0.0, "n": 0}
    last_ckpt = t_prev = time.time()
    it = iter(loader)
    while progress() < 1.0 and not stop["flag"]:
        t0 = time.time()
        x, b, y, _ = next(it)
        win["wait"] += time.time() - t0
        lr = lr_at(progress(), peak, a.warmup)
        for g in opt.param_groups:
            g["lr"] = lr * g.get("lr_scale", 1.0)
        x = normalise(x.to(device, non_blocking=True)).contiguous(memory_format=torch.channels_last)
        b, y = b.to(device, non_blocking=True), y.to(device, non_blocking=True)
        with amp():
            bl, lg = model(x)
        loss, lc, lb = xray_loss(bl, lg, b, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if a.clip_grad > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip_grad)
        opt.step()
        state["step"] += 1
        state["images"] += int(x.shape[0])
        win["imgs"] += int(x.shape[0])
        win["n"] += 1
        if state["step"] % log_every == 0 or state["step"] == 1:
            win["loss"], win["lc"], win["lb"] = float(loss), float(lc), float(lb)  # syncs only when logging
        now = time.time()
        state["trained_s"] += now - t_prev
        t_prev = now
        if state["step"] % log_every == 0:
            dt = now - win["t"]
            log(event="train", step=state["step"], images=state["images"], img_s=round(win["imgs"] / dt, 1),
                data_wait=round(win["wait"] / dt, 3), loss=round(win["loss"], 4), loss_cls=round(win["lc"], 4),
                loss_map=round(win["lb"], 5), lr=round(lr, 6), progress=round(progress(), 4),
                trained_s=round(state["trained_s"], 1))
            win.update(t=now, imgs=0, wait=0.0, n=0)
        if state["step"] % a.ckpt_every == 0 or now - last_ckpt > ckpt_seconds:
            save("periodic")
            last_ckpt = t_prev = time.time()
    save("final")
    del it, loader

    summary = {"steps": state["step"], "images": state["images"], "trained_s": round(state["trained_s"], 1),
               "img_s_overall": round(state["images"] / max(state["trained_s"], 1e-9), 1),
               "device": str(device), "batch": batch, "workers": workers, "peak_lr": peak,
               "faces_train": int(len(tr)), "faces_val": int(len(va)), "init": state.get("init"),
               "placeholder_landmarks": store.placeholder, "versions": versions()}
    if not a.no_val:
        t_val = time.time()
        vs = FixedSet(store, va, p_va, recipe, a.val_samples, seed=a.seed)
        res = evaluate(model, make_loader(vs, 64, workers, device, False), device,
                       amp_dtype=torch.bfloat16 if cuda else None)
        res["val_s"] = round(time.time() - t_val, 1)
        log(event="val", **res)
        summary["val"] = res
    if a.summary_json:
        with open(a.summary_json, "w") as f:
            json.dump(summary, f, indent=2)
    log(event="done", **{k: v for k, v in summary.items() if k not in ("val", "versions")})
    return summary


if __name__ == "__main__":
    main()
