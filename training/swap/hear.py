"""HEAR-Net (FaceShifter stage 2): a small U-Net on concat(Y_hat_{s,t}, dY_t) -> refined Y.

dY_t = X_t - AEI(X_t, z_id(X_t)) is the heuristic error (what AEI-Net cannot reconstruct of the target
itself: occlusions, glasses, hands, hair). Parameterised as a residual on Y_hat with a zero-initialised
output conv, so that training starts from Y = Y_hat (sensible for short budgets); clamp to [-1,1].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1), nn.LeakyReLU(0.1, True),
                         nn.Conv2d(cout, cout, 3, 1, 1), nn.LeakyReLU(0.1, True))


class HEARNet(nn.Module):
    def __init__(self, ch=(32, 64, 128, 256)):
        super().__init__()
        self.down = nn.ModuleList()
        cin = 6
        for c in ch:
            self.down.append(_block(cin, c))
            cin = c
        self.up = nn.ModuleList()
        for c in reversed(ch[:-1]):
            self.up.append(_block(cin + c, c))
            cin = c
        self.out = nn.Conv2d(cin, 3, 3, 1, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, swapped, error):
        h = torch.cat([swapped, error], 1)
        skips = []
        for i, d in enumerate(self.down):
            if i:
                h = F.avg_pool2d(h, 2)
            h = d(h)
            skips.append(h)
        for u, s in zip(self.up, skips[:-1][::-1]):
            h = F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False)
            h = u(torch.cat([h, s], 1))
        return torch.clamp(swapped + self.out(h), -1.0, 1.0)
