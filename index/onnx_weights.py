"""Dynamically quantised ONNX models whose integer products come out the same on every CPU.

`onnxruntime.quantization.quantize_dynamic` stores weights as int8, and ONNX Runtime multiplies
uint8 activations by int8 weights. On CPUs with VNNI or AMX that product is exact. On CPUs with
neither (AVX2, or AVX-512 without VNNI), ONNX Runtime adds pairs of products in 16 bits
(`vpmaddubsw`), which saturates: on an AVX2-only CPU, 29 of the answer selector's 38 weight
matrices gave other integers than exact arithmetic on full-range inputs, and the same model
scored differently by machine.

The cure changes no number of the model: each int8 weight `w` is read as the uint8 `w + 128` with
zero point 128, so `weight - zero_point` is the same integer, and ONNX Runtime multiplies uint8 by
uint8 with the products widened to 32 bits (all 38 matrices exact on that CPU). That is slower
(the selector's p50 there: 594 → 710–771 ms a question on about 2,000 paragraphs), and where
VNNI does the int8 product exactly it would be slower for nothing, so the model is changed only
where the CPU needs it:
`model_for_this_cpu` asks ONNX Runtime itself (a product known to saturate) rather than guessing
from CPU flags, and the file on disk stays as trained (its hash is what its card states).
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

_OFFSET = 128
# a product that saturates 16-bit pair sums: 255 × 127 twice is 64,770 > 32,767
_PROBE_ROWS, _PROBE_DEPTH, _PROBE_COLUMNS = 64, 384, 32


def _weight_tensors(model: onnx.ModelProto) -> list[onnx.TensorProto]:
    """The constant MatMulInteger weights and their zero points, each once."""
    constant = {init.name: init for init in model.graph.initializer}
    found: dict[str, onnx.TensorProto] = {}
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] not in constant:
            continue
        weight = node.input[1]
        zero_point = node.input[3] if len(node.input) > 3 else ""
        if constant[weight].data_type == TensorProto.INT8 and zero_point not in constant:
            # without a stored zero point the default (0) would change meaning with the type
            raise ValueError(f"{node.name}: an int8 weight without a constant zero point")
        for name in (weight, zero_point):
            if name in constant:
                found.setdefault(name, constant[name])
    return list(found.values())


def signed_weights(model: onnx.ModelProto) -> int:
    """How many MatMulInteger weights and zero points are stored as int8."""
    return sum(t.data_type == TensorProto.INT8 for t in _weight_tensors(model))


def unsigned_weights(model: onnx.ModelProto) -> int:
    """Store every int8 MatMulInteger weight and zero point as uint8 shifted by 128, in place.

    Weight and zero point move together, so `weight - zero_point` keeps every value. Returns the
    number of tensors changed (0 for a model already stored unsigned).
    """
    changed = 0
    for tensor in _weight_tensors(model):
        if tensor.data_type != TensorProto.INT8:
            continue
        values = numpy_helper.to_array(tensor).astype(np.int16)
        tensor.CopyFrom(numpy_helper.from_array((values + _OFFSET).astype(np.uint8), tensor.name))
        changed += 1
    return changed


def exact_product(activations: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """What MatMulInteger must give (zero points 0), in integers that cannot overflow."""
    return activations.astype(np.int64) @ weights.astype(np.int64)


def product_model(weights: np.ndarray, zero_point: np.ndarray | None) -> onnx.ModelProto:
    """One MatMulInteger of uint8 activations `A` (zero point 0) by constant `weights`."""
    depth, columns = weights.shape
    inputs = ["A", "W", "a_zero"] + (["w_zero"] if zero_point is not None else [])
    initialisers = [
        numpy_helper.from_array(weights, "W"),
        numpy_helper.from_array(np.array(0, dtype=np.uint8), "a_zero"),
    ]
    if zero_point is not None:
        initialisers.append(numpy_helper.from_array(zero_point, "w_zero"))
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", inputs, ["Y"], name="product")],
        "product",
        [helper.make_tensor_value_info("A", TensorProto.UINT8, ["rows", depth])],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, ["rows", columns])],
        initialisers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def run_product(model: onnx.ModelProto, activations: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return np.asarray(session.run(None, {"A": activations})[0])


def probe_inputs() -> tuple[np.ndarray, np.ndarray]:
    """Full-range activations and int8 weights at the ends of their range (fixed seed)."""
    rng = np.random.default_rng(0)
    activations = rng.integers(128, 256, (_PROBE_ROWS, _PROBE_DEPTH), dtype=np.uint8)
    weights = rng.choice(
        np.array([-127, -96, 96, 127], dtype=np.int8), (_PROBE_DEPTH, _PROBE_COLUMNS)
    )
    weights[:, 0] = 127  # every pair of products in this column passes 32,767
    return activations, weights


@functools.cache
def signed_products_exact() -> bool:
    """Does this CPU's ONNX Runtime multiply uint8 by int8 exactly? Asked once per process."""
    activations, weights = probe_inputs()
    got = run_product(product_model(weights, np.array(0, dtype=np.int8)), activations)
    return bool(np.array_equal(got, exact_product(activations, weights)))


@contextlib.contextmanager
def model_for_this_cpu(path: Path) -> Iterator[tuple[Path, bool]]:
    """The model file to give `onnxruntime.InferenceSession`, and whether its weights are read
    unsigned: the file itself, or, where int8 products saturate and the model has int8 weights,
    a temporary copy with them stored as uint8 (a file rather than bytes: ONNX Runtime loading
    bytes kept about 30 MiB more resident). The copy is removed when the block ends."""
    if signed_products_exact():
        yield path, False
        return
    model = onnx.load(str(path))
    if not unsigned_weights(model):
        yield path, False
        return
    with tempfile.TemporaryDirectory(prefix="unsigned-") as folder:
        copy = Path(folder) / path.name
        onnx.save(model, str(copy))
        del model
        yield copy, True
