"""Light Face X-Ray network: MobileNetV3-small encoder (torchvision, trained from scratch) + small
FPN decoder predicting the blending boundary at 1/4 resolution (64x64 for a 256 input) + a
real/fake logit from global-average-pooled deepest features and boundary-map statistics.

Why small: cpu-training.md measured mnv3-small at 256 at 12 ms/img native bs1 (-> ~85 ms in
onnxruntime-web wasm at ~7x), mnv3-large at 26 ms (-> ~180 ms, over the ~100 ms edge budget).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

# torchvision mobilenet_v3_small().features: index -> (stride, channels) at the taps we use
TAPS = {1: (4, 16), 3: (8, 24), 8: (16, 48), 12: (32, 576)}


def conv_bn_act(cin, cout, k=3, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def sep_conv(cin, cout):
    return nn.Sequential(conv_bn_act(cin, cin, 3, groups=cin), conv_bn_act(cin, cout, 1))


class XRayNet(nn.Module):
    def __init__(self, width=64, head_width=32, dropout=0.2):
        super().__init__()
        self.features = torchvision.models.mobilenet_v3_small(weights=None).features
        for m in self.features.modules():  # torchvision's 0.01 momentum is too slow for short from-scratch runs
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = 0.1
        self.lat = nn.ModuleDict({str(i): conv_bn_act(c, width, 1) for i, (_, c) in TAPS.items()})
        self.smooth8 = conv_bn_act(width, width, 3)
        self.smooth4 = sep_conv(width, head_width)
        self.head = nn.Sequential(sep_conv(head_width, head_width), nn.Conv2d(head_width, 1, 1))
        self.drop = nn.Dropout(dropout)
        self.cls = nn.Linear(TAPS[12][1] + 2, 1)

    def forward(self, x):
        feats = {}
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in TAPS:
                feats[i] = x
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
