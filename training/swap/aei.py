"""AEI-Net (FaceShifter stage 1): multi-level attribute encoder + AAD generator, and the configs.

Attribute encoder (U-Net): conv4x4/s2 + BN + LeakyReLU(0.1) down to 2x2, then transposed conv4x4/s2 +
BN + LeakyReLU(0.1) back up; z_att^1 = the 2x2 bottleneck, z_att^k (k >= 2) = concat(up-conv output,
encoder skip at that scale), and the last level (full resolution) = bilinear upsample of the previous.
Generator: z_id -> ConvTranspose (1x1 -> 2x2), then one AAD ResBlk per level k (conditioned on z_att^k and
z_id), bilinear x2 between levels, tanh at the end (the last ResBlk outputs 3 channels, as in the paper).

AAD layer on activation h (paper):  h_bar = InstanceNorm(h);  A = gamma_att*h_bar + beta_att (convs of
z_att^k; kernel `att_kernel`, 1x1 as in the common public FaceShifter implementations);  I = gamma_id*h_bar + beta_id (FCs of z_id);  M = sigmoid(conv3x3(h_bar));  out = (1-M)*A + M*I.
AAD ResBlk = [AAD -> ReLU -> Conv3x3] x 2 + skip (its own AAD -> ReLU -> Conv3x3 when channels change).

z_id here is the CENTRED identity embedding: normalise(raw MobileFace embedding - centre) (identity.py);
the exported graph takes the raw embedding and centres it in-graph.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # 128x128 for the edge worker (onnxruntime-web wasm): 0.85 GMAC (~1.7 GFLOPs), 3.62 M parameters
    "lite": {"size": 128, "id_dim": 256, "enc": [16, 32, 64, 96, 96, 96], "dec": [96, 96, 64, 32, 16],
             "gen": [96, 96, 128, 128, 96, 48, 24], "att_kernel": 1, "disc_ndf": 32, "disc_scales": 2,
             "disc_layers": 3, "hear": [16, 32, 64, 128], "batch_cuda": 64, "batch_cpu": 4},
    # 256x256 for the GPU origin: the paper's shape at half width (paper: enc up to 1024, gen 1024)
    "full": {"size": 256, "id_dim": 256, "enc": [32, 64, 128, 256, 512, 512, 512],
             "dec": [512, 512, 256, 128, 64, 32], "gen": [512, 512, 512, 512, 256, 128, 64, 32],
             "att_kernel": 1, "disc_ndf": 64, "disc_scales": 3, "disc_layers": 3, "hear": [32, 64, 128, 256],
             "batch_cuda": 16, "batch_cpu": 2},
}


def get_config(name):
    if name not in CONFIGS:
        raise ValueError(f"unknown config {name}; choose from {sorted(CONFIGS)}")
    return dict(CONFIGS[name], name=name)


class AttrEncoder(nn.Module):
    def __init__(self, enc, dec):
        super().__init__()
        assert len(dec) == len(enc) - 1
        self.down = nn.ModuleList()
        cin = 3
        for c in enc:
            self.down.append(nn.Sequential(nn.Conv2d(cin, c, 4, 2, 1, bias=False), nn.BatchNorm2d(c),
                                           nn.LeakyReLU(0.1, inplace=True)))
            cin = c
        self.up = nn.ModuleList()
        skips = enc[:-1][::-1]
        for c, s in zip(dec, skips):
            self.up.append(nn.Sequential(nn.ConvTranspose2d(cin, c, 4, 2, 1, bias=False), nn.BatchNorm2d(c),
                                         nn.LeakyReLU(0.1, inplace=True)))
            cin = c + s
        # channels of z_att^1..z_att^n (the last one is the bilinear upsample of the previous)
        self.channels = [enc[-1]] + [c + s for c, s in zip(dec, skips)] + [dec[-1] + skips[-1]]

    def forward(self, x):
        feats = []
        h = x
        for d in self.down:
            h = d(h)
            feats.append(h)
        z = [h]
        for u, skip in zip(self.up, feats[:-1][::-1]):
            h = torch.cat([u(h), skip], 1)
            z.append(h)
        z.append(F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False))
        return z


class AAD(nn.Module):
    def __init__(self, ch, att_ch, id_dim, k=1):
        super().__init__()
        self.norm = nn.InstanceNorm2d(ch, affine=False)
        self.att_gamma = nn.Conv2d(att_ch, ch, k, 1, k // 2)
        self.att_beta = nn.Conv2d(att_ch, ch, k, 1, k // 2)
        self.id_gamma = nn.Linear(id_dim, ch)
        self.id_beta = nn.Linear(id_dim, ch)
        self.mask = nn.Conv2d(ch, 1, 3, 1, 1)

    def forward(self, h, z_att, z_id):
        hb = self.norm(h)
        a = self.att_gamma(z_att) * hb + self.att_beta(z_att)
        i = self.id_gamma(z_id)[:, :, None, None] * hb + self.id_beta(z_id)[:, :, None, None]
        m = torch.sigmoid(self.mask(hb))
        return (1 - m) * a + m * i


class AADResBlk(nn.Module):
    def __init__(self, cin, cout, att_ch, id_dim, k=1):
        super().__init__()
        self.aad1, self.conv1 = AAD(cin, att_ch, id_dim, k), nn.Conv2d(cin, cin, 3, 1, 1)
        self.aad2, self.conv2 = AAD(cin, att_ch, id_dim, k), nn.Conv2d(cin, cout, 3, 1, 1)
        self.skip = None
        if cin != cout:
            self.aad_s, self.skip = AAD(cin, att_ch, id_dim, k), nn.Conv2d(cin, cout, 3, 1, 1)

    def forward(self, h, z_att, z_id):
        x = self.conv1(F.relu(self.aad1(h, z_att, z_id)))
        x = self.conv2(F.relu(self.aad2(x, z_att, z_id)))
        s = h if self.skip is None else self.skip(F.relu(self.aad_s(h, z_att, z_id)))
        return x + s


class AEINet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.attr = AttrEncoder(cfg["enc"], cfg["dec"])
        gen = cfg["gen"]
        assert len(gen) == len(self.attr.channels), (len(gen), len(self.attr.channels))
        self.stem = nn.ConvTranspose2d(cfg["id_dim"], gen[0], 2, 1, 0)
        outs = gen[1:] + [3]
        self.blocks = nn.ModuleList(AADResBlk(ci, co, ca, cfg["id_dim"], cfg["att_kernel"])
                                    for ci, co, ca in zip(gen, outs, self.attr.channels))

    def generate(self, z_att, z_id):
        h = self.stem(z_id[:, :, None, None])
        for k, blk in enumerate(self.blocks):
            h = blk(h, z_att[k], z_id)
            if k + 1 < len(self.blocks):
                h = F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False)
        return torch.tanh(h)

    def forward(self, target, z_id):
        """target [N,3,S,S] in [-1,1], z_id [N,id_dim] centred unit-norm -> (swapped [N,3,S,S], z_att(target))."""
        z_att = self.attr(target)
        return self.generate(z_att, z_id), z_att


class NLayerD(nn.Module):
    def __init__(self, ndf, n_layers):
        super().__init__()
        layers = [nn.Conv2d(3, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        c = ndf
        for i in range(1, n_layers + 1):
            co = min(ndf * 2 ** i, 512)
            stride = 2 if i < n_layers else 1
            layers += [nn.Conv2d(c, co, 4, stride, 1), nn.InstanceNorm2d(co, affine=True), nn.LeakyReLU(0.2, True)]
            c = co
        layers += [nn.Conv2d(c, 1, 4, 1, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class MultiScaleD(nn.Module):
    """pix2pixHD-style: the same PatchGAN design at full, 1/2 (and 1/4) resolution."""

    def __init__(self, ndf, scales, n_layers):
        super().__init__()
        self.ds = nn.ModuleList(NLayerD(ndf, n_layers) for _ in range(scales))

    def forward(self, x):
        outs = []
        for i, d in enumerate(self.ds):
            if i:
                x = F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)
            outs.append(d(x))
        return outs


def count_macs(model, *inputs):
    """Multiply-accumulates of Conv/ConvTranspose/Linear layers for one forward (hooks)."""
    total = [0]

    def hook(m, i, o):
        if isinstance(m, nn.Conv2d):
            total[0] += o.numel() // o.shape[0] * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.ConvTranspose2d):
            x = i[0]
            total[0] += x.numel() // x.shape[0] * m.out_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
        elif isinstance(m, nn.Linear):
            total[0] += m.in_features * m.out_features
    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))]
    with torch.no_grad():
        model(*inputs)
    for h in hs:
        h.remove()
    return total[0]


if __name__ == "__main__":
    for name in CONFIGS:
        cfg = get_config(name)
        g = AEINet(cfg).eval()
        s = cfg["size"]
        macs = count_macs(g, torch.zeros(1, 3, s, s), torch.zeros(1, cfg["id_dim"]))
        d = MultiScaleD(cfg["disc_ndf"], cfg["disc_scales"], cfg["disc_layers"])
        print(name, f"G params {sum(p.numel() for p in g.parameters()) / 1e6:.2f} M, {macs / 1e9:.2f} GMAC; "
              f"D params {sum(p.numel() for p in d.parameters()) / 1e6:.2f} M; z_att channels {g.attr.channels}")
