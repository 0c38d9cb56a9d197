"""Storage rewrites of an fp32 ONNX graph, pure `onnx` + numpy (no onnxruntime needed), compute stays fp32:

* weight_only_int8: per-output-channel symmetric int8 + DequantizeLinear for Conv / ConvTranspose / Gemm
  weights (the scheme of the shipped face models, mobilefacenet.int8.onnx etc.);
* fp16_storage: float initializers stored as fp16 + Cast to fp32.

Used by training.swap.quantize and training.xray.quantize.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

QUANT_OPS = {"Conv": 0, "ConvTranspose": 1, "Gemm": None}


def _weight_axes(model):
    """initializer name -> channel axis for the weights of Conv (0), ConvTranspose (1), Gemm (by transB)."""
    out = {}
    for n in model.graph.node:
        if n.op_type in QUANT_OPS and len(n.input) > 1:
            axis = QUANT_OPS[n.op_type]
            if n.op_type == "Gemm":
                tb = next((a.i for a in n.attribute if a.name == "transB"), 0)
                axis = 0 if tb else 1
            out[n.input[1]] = axis
    return out


def weight_only_int8(src, dst, min_elems=256):
    m = onnx.load(src)
    axes = _weight_axes(m)
    inits = {i.name: i for i in m.graph.initializer}
    new_inits, new_nodes, done = [], [], 0
    for name, axis in axes.items():
        if name not in inits:
            continue
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        if w.size < min_elems:
            continue
        red = tuple(i for i in range(w.ndim) if i != axis)
        scale = np.maximum(np.abs(w).max(axis=red), 1e-12) / 127.0
        shape = [1] * w.ndim
        shape[axis] = -1
        q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
        m.graph.initializer.remove(inits[name])
        new_inits += [numpy_helper.from_array(q, name + "_q"), numpy_helper.from_array(scale.astype(np.float32), name + "_scale"),
                      numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zp")]
        new_nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [name],
                                          name=name + "_dequant", axis=axis))
        done += 1
    m.graph.initializer.extend(new_inits)
    _prepend_and_save(m, new_nodes, dst, "int8 weight-only (per-output-channel symmetric, DequantizeLinear), fp32 compute")
    return {"quantized_weights": done}


def fp16_storage(src, dst, min_elems=16):
    m = onnx.load(src)
    inits = list(m.graph.initializer)
    new_nodes, n = [], 0
    for i in inits:
        if i.data_type != TensorProto.FLOAT:
            continue
        w = numpy_helper.to_array(i)
        if w.size < min_elems:
            continue
        m.graph.initializer.remove(i)
        m.graph.initializer.append(numpy_helper.from_array(w.astype(np.float16), i.name + "_fp16"))
        new_nodes.append(helper.make_node("Cast", [i.name + "_fp16"], [i.name], name=i.name + "_cast", to=TensorProto.FLOAT))
        n += 1
    _prepend_and_save(m, new_nodes, dst, "fp16 initializers + Cast, fp32 compute")
    return {"fp16_initializers": n}


def _prepend_and_save(m, new_nodes, dst, storage):
    """Put `new_nodes` (dequantize / cast of the rewritten initializers) ahead of the graph's nodes, record
    the storage scheme in the metadata, save to `dst` and run the full ONNX checker on it."""
    nodes = list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(new_nodes + nodes)
    _meta(m, "storage", storage)
    onnx.save(m, dst)
    onnx.checker.check_model(dst, full_check=True)


def _meta(m, k, v):
    for p in m.metadata_props:
        if p.key == k:
            p.value = v
            return
    p = m.metadata_props.add()
    p.key, p.value = k, v
