"""Unit tests for reading quantised weights unsigned (`index/onnx_weights.py`).

One-node models (MatMulInteger) with made-up weights at the ends of the int8 range and
activations in the top half of the uint8 range: products that saturate 16-bit pair sums on
AVX2-only CPUs. Whatever this CPU is, what the service loads must compute exact integers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import numpy_helper

from index.onnx_weights import (
    exact_product,
    model_for_this_cpu,
    probe_inputs,
    product_model,
    run_product,
    signed_products_exact,
    signed_weights,
    unsigned_weights,
)

pytestmark = pytest.mark.unit

INT8_ZERO = np.array(0, dtype=np.int8)


def test_unsigned_weights_give_exact_integer_products() -> None:
    activations, weights = probe_inputs()
    model = product_model(weights, INT8_ZERO)
    assert unsigned_weights(model) == 2  # the weight and its zero point
    np.testing.assert_array_equal(
        run_product(model, activations), exact_product(activations, weights)
    )


def test_the_stored_values_keep_weight_minus_zero_point() -> None:
    _, weights = probe_inputs()
    model = product_model(weights, INT8_ZERO)
    unsigned_weights(model)
    stored = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    assert stored["W"].dtype == np.uint8
    assert stored["w_zero"].dtype == np.uint8
    difference = stored["W"].astype(np.int64) - stored["w_zero"].astype(np.int64)
    np.testing.assert_array_equal(difference, weights.astype(np.int64))


def test_a_nonzero_zero_point_moves_with_its_weights() -> None:
    activations, weights = probe_inputs()
    weights = np.clip(weights, -120, 120).astype(np.int8)
    zero_point = np.array(-5, dtype=np.int8)
    model = product_model(weights, zero_point)
    unsigned_weights(model)
    expected = activations.astype(np.int64) @ (weights.astype(np.int64) + 5)
    np.testing.assert_array_equal(run_product(model, activations), expected)


def test_signed_weights_are_counted_and_the_change_is_done_once() -> None:
    _, weights = probe_inputs()
    model = product_model(weights, INT8_ZERO)
    assert signed_weights(model) == 2
    unsigned_weights(model)
    assert signed_weights(model) == 0
    assert unsigned_weights(model) == 0


def test_an_int8_weight_without_a_zero_point_is_refused() -> None:
    _, weights = probe_inputs()
    with pytest.raises(ValueError, match="zero point"):
        unsigned_weights(product_model(weights, None))


def test_uint8_weights_without_a_zero_point_are_left_alone() -> None:
    _, weights = probe_inputs()
    model = product_model((weights.astype(np.int16) + 128).astype(np.uint8), None)
    assert signed_weights(model) == 0
    assert unsigned_weights(model) == 0


def test_the_probe_reports_what_this_cpu_does_with_int8_weights() -> None:
    activations, weights = probe_inputs()
    got = run_product(product_model(weights, INT8_ZERO), activations)
    assert signed_products_exact() == bool(np.array_equal(got, exact_product(activations, weights)))


def test_the_model_loaded_for_this_cpu_computes_exact_products(tmp_path: Path) -> None:
    activations, weights = probe_inputs()
    path = tmp_path / "product.onnx"
    onnx.save(product_model(weights, INT8_ZERO), str(path))
    stored = path.read_bytes()
    with model_for_this_cpu(path) as (source, unsigned):
        assert unsigned != signed_products_exact()
        assert (source == path) != unsigned
        session = ort.InferenceSession(str(source), providers=["CPUExecutionProvider"])
    assert source.exists() != unsigned  # a temporary copy is gone afterwards
    np.testing.assert_array_equal(
        session.run(None, {"A": activations})[0], exact_product(activations, weights)
    )
    assert path.read_bytes() == stored  # the file on disk is never changed
