"""Run-time plumbing shared by training.swap.train and training.xray.train."""
import contextlib
import json
import os
import signal
import sys

import torch


def setup_torch(device, seed, threads):
    """Seed torch; on CUDA enable cudnn autotuning + TF32, on CPU set the thread count and flush denormals."""
    torch.manual_seed(seed)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    else:
        torch.set_num_threads(threads)
        torch.set_flush_denormal(True)


def default_workers(workers, cuda):
    """--workers as given when >= 0, else cores-1 (1..15) on CUDA and 0 on CPU."""
    return workers if workers >= 0 else (min(15, max(1, (os.cpu_count() or 2) - 1)) if cuda else 0)


def amp_context(cuda):
    """A zero-argument factory of the autocast context: bf16 on CUDA, a no-op on CPU."""
    if cuda:
        return lambda: torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext


class JsonLog:
    """Append one JSON object per line to `path` (flushed) and echo it to stdout."""

    def __init__(self, path):
        self.f = open(path, "a")

    def __call__(self, **rec):
        line = json.dumps(rec)
        self.f.write(line + "\n")
        self.f.flush()
        print(line, flush=True)


def versions(torchvision=False):
    """Library / interpreter / GPU versions for logs, checkpoints and summaries."""
    import numpy

    v = {"torch": torch.__version__}
    if torchvision:
        import torchvision as tv

        v["torchvision"] = tv.__version__
    v.update({"numpy": numpy.__version__, "python": sys.version.split()[0],
              "cuda": torch.version.cuda if torch.cuda.is_available() else None,
              "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None})
    return v


def stop_on_signal():
    """Install SIGTERM/SIGINT handlers that only set a flag; returns the dict {"flag": bool} they set,
    so that the training loop can finish its step and write a checkpoint."""
    stop = {"flag": False}

    def on_signal(sig, _frame):
        stop["flag"] = True
        print(f"signal {sig}: finishing the step and checkpointing", file=sys.stderr, flush=True)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop
