"""cross_entropy: value, fused gradient vs the unfused composition and central differences,
stability, dtypes, and the errors bad targets get."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd.functional import cross_entropy
from autograd.tensor import Tensor, no_grad
from autograd.tensor_gradcheck import gradcheck_tensor

RNG = np.random.default_rng(7)


def unfused(logits: Tensor, targets: np.ndarray) -> Tensor:
    """The same loss from the basic ops: -mean(log_softmax picked by a one-hot mask)."""
    n, c = logits.shape
    onehot = np.zeros((n, c))
    onehot[np.arange(n), targets] = 1.0
    return -(logits.log_softmax(axis=1) * onehot).sum() / n


def reference(x: np.ndarray, t: np.ndarray) -> float:
    """Cross-entropy with plain Python floats, straight from the definition."""
    total = 0.0
    for row, k in zip(x.tolist(), t.tolist(), strict=True):
        total += -math.log(math.exp(row[k]) / sum(math.exp(v) for v in row))
    return total / len(t)


def test_value_matches_the_definition():
    x = RNG.standard_normal((5, 4))
    t = RNG.integers(0, 4, 5)
    assert cross_entropy(Tensor(x), t).item() == pytest.approx(reference(x, t), rel=1e-12)


@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (6, 4), (3, 10)])
def test_fused_gradient_equals_unfused_composition(shape):
    x = RNG.standard_normal(shape) * 3
    t = RNG.integers(0, shape[1], shape[0])
    a = Tensor(x, requires_grad=True)
    b = Tensor(x, requires_grad=True)
    fused, plain = cross_entropy(a, t), unfused(b, t)
    np.testing.assert_allclose(fused.data, plain.data, rtol=1e-12)
    fused.backward()
    plain.backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-10, atol=1e-14)


def test_gradient_is_softmax_minus_onehot_over_n():
    x = RNG.standard_normal((4, 3))
    t = np.array([0, 2, 1, 2])
    a = Tensor(x, requires_grad=True)
    cross_entropy(a, t).backward()
    p = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    p[np.arange(4), t] -= 1
    np.testing.assert_allclose(a.grad, p / 4)


def test_central_differences_and_upstream_gradient():
    t = np.array([1, 0, 2])
    result = gradcheck_tensor(lambda x: cross_entropy(x, t) * 3.0, [RNG.standard_normal((3, 3))])
    assert result, repr(result)
    big = gradcheck_tensor(lambda x: cross_entropy(x, list(range(10))), [RNG.normal(size=(10, 10))])
    assert big, repr(big)


def test_second_backward_accumulates():
    a = Tensor(RNG.standard_normal((2, 3)), requires_grad=True)
    loss = cross_entropy(a, [0, 1])
    loss.backward()
    first = a.grad.copy()
    loss.backward()
    np.testing.assert_allclose(a.grad, 2 * first)


def test_stable_for_huge_logits():
    x = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy(Tensor(x, requires_grad=True), [0, 2])
        loss.backward()
    assert loss.item() == pytest.approx(math.log(3) / 2)


def test_float32_in_float32_out():
    a = Tensor(RNG.standard_normal((4, 5)).astype(np.float32), requires_grad=True)
    loss = cross_entropy(a, np.array([0, 1, 2, 3], dtype=np.int32))
    assert loss.dtype == np.float32 and loss.shape == ()
    loss.backward()
    assert a.grad.dtype == np.float32


def test_no_graph_without_requires_grad_or_under_no_grad():
    assert cross_entropy(Tensor(np.zeros((2, 2))), [0, 1])._prev == ()
    with no_grad():
        out = cross_entropy(Tensor(np.zeros((2, 2)), requires_grad=True), [0, 1])
    assert not out.requires_grad
    assert out.item() == pytest.approx(math.log(2))


def test_node_protocol():
    a = Tensor(np.zeros((2, 2)), requires_grad=True)
    out = cross_entropy(a, [0, 1])
    assert out._op == "cross_entropy" and out._prev == (a,)


class TestErrors:
    def test_target_out_of_range(self):
        with pytest.raises(ValueError, match=r"\[0, 3\).*e\.g\. 3"):
            cross_entropy(Tensor(np.zeros((2, 3))), [0, 3])
        with pytest.raises(ValueError, match=r"e\.g\. -1"):
            cross_entropy(Tensor(np.zeros((2, 3))), [-1, 0])

    def test_target_wrong_shape(self):
        with pytest.raises(ValueError, match=r"shape \(2,\).*\(2, 3\).*got shape \(3,\)"):
            cross_entropy(Tensor(np.zeros((2, 3))), [0, 1, 2])
        with pytest.raises(ValueError, match=r"got shape \(2, 1\)"):
            cross_entropy(Tensor(np.zeros((2, 3))), [[0], [1]])

    def test_float_targets(self):
        with pytest.raises(TypeError, match="float64.*astype"):
            cross_entropy(Tensor(np.zeros((2, 3))), np.array([0.0, 1.0]))

    def test_logits_must_be_2d_tensor(self):
        with pytest.raises(ValueError, match=r"\(N, C\).*got shape \(3,\)"):
            cross_entropy(Tensor(np.zeros(3)), [0])
        with pytest.raises(TypeError, match="Tensor of logits, got ndarray"):
            cross_entropy(np.zeros((2, 3)), [0, 1])
