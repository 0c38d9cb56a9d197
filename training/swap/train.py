"""Train FaceShifter (AEI-Net, then HEAR-Net) on aligned FairFace faces.

  /usr/bin/python3 -m training.swap.train --config lite --stage both --minutes 120 \
      --tars .carry/xray/*.tar --landmarks .carry/xray/landmarks --out training/runs/swap-lite

--minutes is the TOTAL training-loop wall budget across resumes (setup/eval not counted); with
--stage both it is split --hear-share (default 0.15) for HEAR-Net, the rest for AEI-Net. Resumable:
a checkpoint (models + optimizers + state) is written every --ckpt-seconds and at the end (also on
SIGTERM/SIGINT); --resume continues from OUT/checkpoint.pt. Logs: OUT/train-log.jsonl.

AEI-Net losses (paper): L = L_adv + 10 L_att + 5 L_id + 10 L_rec
  L_adv: multi-scale PatchGAN, hinge;  L_id = 1 - cos(z_id(Y_hat), z_id(X_s));
  L_att = 1/2 sum_k mean||z_att^k(Y_hat) - z_att^k(X_t)||^2;  L_rec = 1/2 mean||Y_hat - X_t||^2 on X_s = X_t
  pairs (--same-prob 0.2). Adam lr 4e-4, betas (0, 0.999), constant.
HEAR-Net (AEI frozen): L' = L'_id + 1 L_chg + 10 L'_rec, L_chg = mean|Y_hat - Y|, X_s = X_t share 0.5,
  targets with synthetic occlusions (occlusions.py).
z_id = normalise(MobileFace(ArcFace crop) - centre) (identity.py). AMP bf16 on CUDA (identity in fp32).
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

from .aei import AEINet, MultiScaleD, count_macs, get_config
from .align import ALIGN_SCALE, template_112
from ..common.runtime import JsonLog, amp_context, default_workers, setup_torch, stop_on_signal, versions
from ..xray.checkpoint import load_checkpoint, save_checkpoint
from .data import FaceBank, fixed_pairs, sample_pairs
from .hear import HEARNet
from .identity import IdentityEncoder
from .occlusions import occlude

CKPT_NAME = "checkpoint.pt"
LOG_NAME = "train-log.jsonl"
W_ADV, W_ATT, W_ID, W_REC = 1.0, 10.0, 5.0, 10.0
W_HID, W_CHG, W_HREC = 1.0, 1.0, 10.0


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tars", nargs="+", required=True)
    ap.add_argument("--landmarks", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", default="lite", choices=["lite", "full"])
    ap.add_argument("--stage", default="both", choices=["aei", "hear", "both"])
    ap.add_argument("--hear-share", type=float, default=0.15, help="share of --minutes for HEAR with --stage both")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--max-steps", type=int, default=0, help="per stage; stop by steps instead of time")
    ap.add_argument("--batch", type=int, default=0, help="default from the config (lite: 64 CUDA / 4 CPU)")
    ap.add_argument("--workers", type=int, default=-1, help="JPEG decode processes; default cores-1 (<=15) on CUDA, 0 on CPU")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=4e-4)
    ap.add_argument("--same-prob", type=float, default=0.2)
    ap.add_argument("--hear-same-prob", type=float, default=0.5)
    ap.add_argument("--occlusion-prob", type=float, default=0.8)
    ap.add_argument("--max-faces", type=int, default=0)
    ap.add_argument("--val-faces", type=int, default=256)
    ap.add_argument("--eval-pairs", type=int, default=64)
    ap.add_argument("--min-score", type=float, default=0.5)
    ap.add_argument("--id-views", action="store_true",
                    help="take L_id on a random view of each swap (id_augment.py), not the exact ArcFace crop")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--ckpt-seconds", type=float, default=0, help="default 60 on CUDA, 300 on CPU")
    ap.add_argument("--log-every", type=int, default=0, help="default 25 on CUDA, 1 on CPU")
    ap.add_argument("--summary-json", default="")
    ap.add_argument("--slim-checkpoint", default="", help="also write weights-only G(+HEAR) here, < 16 MB")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--smoke", action="store_true", help="a few steps on ~64 faces (CPU test)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.max_faces = a.max_faces or 64
        a.val_faces = 16
        a.eval_pairs = min(a.eval_pairs, 4)
        a.batch = a.batch or 2
        a.max_steps = a.max_steps or 2
        a.log_every = 1
    return a


def hinge_d(real_outs, fake_outs):
    return sum(F.relu(1 - r).mean() + F.relu(1 + f).mean() for r, f in zip(real_outs, fake_outs)) / len(real_outs)


def hinge_g(fake_outs):
    return sum(-f.mean() for f in fake_outs) / len(fake_outs)


def cos(a, b):
    return (a.float() * b.float()).sum(1)


def main(argv=None):
    a = parse_args(argv)
    if a.device == "auto":
        a.device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(a.device)
    cuda = device.type == "cuda"
    setup_torch(device, a.seed, a.threads)
    cfg = get_config(a.config)
    size = cfg["size"]
    batch = a.batch or (cfg["batch_cuda"] if cuda else cfg["batch_cpu"])
    workers = default_workers(a.workers, cuda)
    ckpt_seconds = a.ckpt_seconds or (60 if cuda else 300)
    log_every = a.log_every or (25 if cuda else 1)
    os.makedirs(a.out, exist_ok=True)
    ckpt_path = os.path.join(a.out, CKPT_NAME)
    log = JsonLog(os.path.join(a.out, LOG_NAME))
    amp = amp_context(cuda)

    t_setup = time.time()
    bank = FaceBank.load(a.tars, a.landmarks, size, device, ALIGN_SCALE, a.max_faces, a.min_score, workers)
    tr, va = bank.split(a.val_faces)
    idnet = IdentityEncoder().to(device)
    G = AEINet(cfg).to(device)
    D = MultiScaleD(cfg["disc_ndf"], cfg["disc_scales"], cfg["disc_layers"]).to(device)
    H = HEARNet(cfg["hear"]).to(device)
    if cuda:
        G, D, H = (m.to(memory_format=torch.channels_last) for m in (G, D, H))
    betas = (0.0, 0.999)
    opt_g = torch.optim.Adam(G.parameters(), lr=a.lr, betas=betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=a.lr, betas=betas)
    opt_h = torch.optim.Adam(H.parameters(), lr=a.lr, betas=betas)
    state = {"aei_step": 0, "aei_images": 0, "aei_s": 0.0, "hear_step": 0, "hear_images": 0, "hear_s": 0.0}
    if a.resume and os.path.exists(ckpt_path):
        ck = load_checkpoint(ckpt_path)
        G.load_state_dict(ck["G"])
        D.load_state_dict(ck["D"])
        H.load_state_dict(ck["H"])
        for o, k in ((opt_g, "opt_g"), (opt_d, "opt_d"), (opt_h, "opt_h")):
            if ck.get(k):
                o.load_state_dict(ck[k])
        state.update(ck["state"])
        log(event="resume", **state)
    g_params = sum(p.numel() for p in G.parameters())
    with torch.no_grad():
        macs = count_macs(AEINet(cfg).eval(), torch.zeros(1, 3, size, size), torch.zeros(1, cfg["id_dim"]))
    log(event="setup", device=str(device), config=a.config, size=size, batch=batch, workers=workers,
        faces_train=int(len(tr)), faces_val=int(len(va)), minutes=a.minutes, stage=a.stage,
        g_params=g_params, g_gmac=round(macs / 1e9, 3), d_params=sum(p.numel() for p in D.parameters()),
        hear_params=sum(p.numel() for p in H.parameters()), align_scale=ALIGN_SCALE,
        placeholder_landmarks=bank.placeholder, setup_s=round(time.time() - t_setup, 1), **versions())

    def save(tag):
        save_checkpoint(ckpt_path, G=G.state_dict(), D=D.state_dict(), H=H.state_dict(), opt_g=opt_g.state_dict(),
                        opt_d=opt_d.state_dict(), opt_h=opt_h.state_dict(), state=state, cfg=cfg, args=vars(a),
                        align={"align_scale": ALIGN_SCALE, "template_112": template_112().tolist()},
                        id_centre=idnet.centre.cpu(), versions=versions())
        log(event="checkpoint", tag=tag, **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in state.items()})

    stop = stop_on_signal()

    total_s = a.minutes * 60.0
    if a.stage == "aei":
        budgets = {"aei": total_s, "hear": 0.0}
    elif a.stage == "hear":
        budgets = {"aei": 0.0, "hear": total_s}
    else:
        budgets = {"aei": total_s * (1 - a.hear_share), "hear": total_s * a.hear_share}

    def z_of(x, jitter=False):  # centred identity embedding of aligned crops
        return idnet.centred(idnet.from_aligned(x, ALIGN_SCALE, jitter))

    last = {"ckpt": time.time()}

    def maybe_ckpt():
        if time.time() - last["ckpt"] > ckpt_seconds:
            save("periodic")
            last["ckpt"] = time.time()

    def step_done(stage, clock, losses):
        """Count one step of `stage`, charge its wall time to the stage budget, log every log_every steps
        (and the first; `losses()` gives the loss fields, evaluated only then) and checkpoint when due."""
        state[f"{stage}_step"] += 1
        state[f"{stage}_images"] += batch
        clock["imgs"] += batch
        now = time.time()
        state[f"{stage}_s"] += now - clock["prev"]
        clock["prev"] = now
        if state[f"{stage}_step"] % log_every == 0 or state[f"{stage}_step"] == 1:
            dt = now - clock["t"]
            rec = dict(event="train", stage=stage, step=state[f"{stage}_step"], images=state[f"{stage}_images"],
                       img_s=round(clock["imgs"] / max(dt, 1e-9), 1), **losses(),
                       trained_s=round(state[f"{stage}_s"], 1), budget_s=round(budgets[stage], 1))
            log(**rec)
            state[f"{stage}_last"] = rec
            clock.update(t=time.time(), imgs=0)
            clock["prev"] = time.time()  # time spent logging is not charged to the budget
        maybe_ckpt()

    def done(stage):
        if stop["flag"]:
            return True
        if a.max_steps:
            return state[f"{stage}_step"] >= a.max_steps
        return state[f"{stage}_s"] >= budgets[stage]

    # ---------------- stage 1: AEI-Net ----------------
    if budgets["aei"] > 0 or (a.max_steps and a.stage in ("aei", "both")):
        G.train()
        D.train()
        clock = {"t": time.time(), "imgs": 0}
        clock["prev"] = time.time()
        while not done("aei"):
            with torch.no_grad():
                xs, xt, same = sample_pairs(bank, tr, batch, a.same_prob)
                if cuda:
                    xs, xt = xs.contiguous(memory_format=torch.channels_last), xt.contiguous(memory_format=torch.channels_last)
                z_s = z_of(xs)
            # generator step
            with amp():
                y, zatt_t = G(xt, z_s)
                zatt_y = G.attr(y)
                l_adv = hinge_g(D(y))
                l_att = 0.5 * sum(F.mse_loss(p.float(), q.float()) for p, q in zip(zatt_y, zatt_t))
                sf = same.float()
                l_rec = 0.5 * (((y.float() - xt.float()) ** 2).mean((1, 2, 3)) * sf).sum() / sf.sum().clamp_min(1.0)
            l_id = (1 - cos(z_of(y, a.id_views), z_s)).mean()
            loss_g = W_ADV * l_adv + W_ATT * l_att + W_ID * l_id + W_REC * l_rec
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            # discriminator step (hinge)
            with amp():
                loss_d = hinge_d(D(xs), D(y.detach()))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            step_done("aei", clock, lambda: dict(
                loss_g=round(float(loss_g), 4), l_adv=round(float(l_adv), 4), l_att=round(float(l_att), 5),
                l_id=round(float(l_id), 4), l_rec=round(float(l_rec), 5), loss_d=round(float(loss_d), 4)))

    # ---------------- stage 2: HEAR-Net (AEI frozen) ----------------
    if budgets["hear"] > 0 or (a.max_steps and a.stage in ("hear", "both")):
        G.eval()
        G.requires_grad_(False)
        H.train()
        clock = {"t": time.time(), "imgs": 0}
        clock["prev"] = time.time()
        while not done("hear"):
            with torch.no_grad():
                xs, xt, same = sample_pairs(bank, tr, batch, a.hear_same_prob)
                xt_occ, _ = occlude(xt, p=a.occlusion_prob)
                xs = torch.where(same[:, None, None, None], xt_occ, xs)  # X_s = X_t: the occluded target itself
                z_s = z_of(xs)
                z_t = z_of(xt_occ)
                with amp():
                    y_hat, _ = G(xt_occ, z_s)
                    y_self, _ = G(xt_occ, z_t)
                y_hat, err = y_hat.float(), (xt_occ - y_self.float())
            with amp():
                y = H(y_hat, err)
            y = y.float()
            l_hid = (1 - cos(z_of(y, a.id_views), z_s)).mean()
            l_chg = (y - y_hat).abs().mean()
            sf = same.float()
            l_hrec = 0.5 * (((y - xt_occ) ** 2).mean((1, 2, 3)) * sf).sum() / sf.sum().clamp_min(1.0)
            loss_h = W_HID * l_hid + W_CHG * l_chg + W_HREC * l_hrec
            opt_h.zero_grad(set_to_none=True)
            loss_h.backward()
            opt_h.step()
            step_done("hear", clock, lambda: dict(
                loss_h=round(float(loss_h), 4), l_id=round(float(l_hid), 4), l_chg=round(float(l_chg), 5),
                l_rec=round(float(l_hrec), 5)))
        G.requires_grad_(True)
    save("final")

    # ---------------- held-out ID similarity ----------------
    t_ev = time.time()
    summary = {"config": a.config, "size": size, "device": str(device), "batch": batch, "state": state,
               "g_params": g_params, "g_gmac": round(macs / 1e9, 3), "faces_train": int(len(tr)),
               "faces_val": int(len(va)), "placeholder_landmarks": bank.placeholder, "versions": versions(),
               "align": {"align_scale": ALIGN_SCALE, "template_112": template_112().round(4).tolist()}}
    G.eval()
    H.eval()
    with torch.no_grad():
        xs, xt = fixed_pairs(bank, va, a.eval_pairs)
        raw_s, raw_t = idnet.from_aligned(xs, ALIGN_SCALE), idnet.from_aligned(xt, ALIGN_SCALE)
        z_s, z_t = idnet.centred(raw_s), idnet.centred(raw_t)
        ys, errs = [], []
        for i in range(0, xs.shape[0], 16):
            y, _ = G(xt[i:i + 16], z_s[i:i + 16])
            ys.append(y.float())
            yself, _ = G(xt[i:i + 16], z_t[i:i + 16])
            errs.append((xt[i:i + 16] - yself.float()))
        y, err = torch.cat(ys), torch.cat(errs)
        yh = torch.cat([H(y[i:i + 16], err[i:i + 16]).float() for i in range(0, y.shape[0], 16)])
        raw_y, raw_h = idnet.from_aligned(y, ALIGN_SCALE), idnet.from_aligned(yh, ALIGN_SCALE)
        ev = {"pairs": int(xs.shape[0]),
              "id_cos_swap_vs_source": round(float(cos(idnet.centred(raw_y), z_s).mean()), 4),
              "id_cos_target_vs_source": round(float(cos(z_t, z_s).mean()), 4),
              "id_cos_swap_vs_target": round(float(cos(idnet.centred(raw_y), z_t).mean()), 4),
              "id_cos_hear_vs_source": round(float(cos(idnet.centred(raw_h), z_s).mean()), 4),
              "raw_cos_swap_vs_source": round(float(cos(raw_y, raw_s).mean()), 6),
              "raw_cos_target_vs_source": round(float(cos(raw_t, raw_s).mean()), 6),
              "self_rec_l1": round(float(err.abs().mean()), 4),
              "note": "id_cos_* use the centred embedding normalise(raw - centre) of MobileFace (the "
                      "training z_id); raw_* its unit-norm embedding before centring"}
    ev["eval_s"] = round(time.time() - t_ev, 1)
    log(event="eval", **ev)
    summary["heldout"] = ev
    if a.slim_checkpoint:
        summary["slim_checkpoint"] = write_slim(a.slim_checkpoint, G, H, D, cfg, state, idnet)
    if a.summary_json:
        with open(a.summary_json, "w") as f:
            json.dump(summary, f, indent=2)
    log(event="done", aei_step=state["aei_step"], hear_step=state["hear_step"])
    return summary


def write_slim(path, G, H, D, cfg, state, idnet, limit=15.5e6):
    """Weights-only checkpoint for shipping: G + HEAR (fp32 if it fits under `limit` bytes, else fp16),
    + D when it still fits. No optimizer state (not resumable for the GAN optimisers; G/D/H weights are)."""
    def sd(m, half):
        return {k: (v.half() if half and v.is_floating_point() else v).cpu() for k, v in m.state_dict().items()}

    meta = dict(cfg=cfg, state=state, align={"align_scale": ALIGN_SCALE, "template_112": template_112().tolist()},
                id_centre=idnet.centre.cpu(), slim=True)
    for half in (False, True):
        for with_d in (True, False):
            payload = dict(G=sd(G, half), H=sd(H, half), **meta, dtype="fp16" if half else "fp32")
            if with_d:
                payload["D"] = sd(D, half)
            save_checkpoint(path, **payload)
            n = os.path.getsize(path)
            if n < limit:
                return {"path": path, "bytes": n, "dtype": payload["dtype"], "with_D": with_d}
    return {"path": path, "bytes": os.path.getsize(path), "warning": "over limit"}


if __name__ == "__main__":
    main()
