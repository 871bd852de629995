"""checkpoint(): the same gradients as without it, with far less memory at the peak."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from autograd.checkpoint import checkpoint
from autograd.functional import cross_entropy
from autograd.layers import Linear, ReLU, Sequential, Tanh
from autograd.tensor import Tensor, no_grad
from autograd.tensor_gradcheck import gradcheck_tensor


def make_blocks(n_blocks: int, width: int, depth: int, seed: int = 0) -> list[Sequential]:
    rng = np.random.default_rng(seed)
    return [
        Sequential(*[m for _ in range(depth) for m in (Linear(width, width, rng=rng), ReLU())])
        for _ in range(n_blocks)
    ]


def run(blocks, x: np.ndarray, t: np.ndarray, use_checkpoint: bool):
    """One forward + backward; returns the input's and every parameter's gradient."""
    for block in blocks:
        block.zero_grad()
    xt = Tensor(x, requires_grad=True)
    h = xt
    for block in blocks:
        h = checkpoint(block, h) if use_checkpoint else block(h)
    loss = cross_entropy(h, t)
    loss.backward()
    return loss.item(), xt.grad, [p.grad.copy() for b in blocks for p in b.parameters()]


def test_mlp_gradients_identical_with_and_without_checkpointing():
    rng = np.random.default_rng(1)
    blocks = make_blocks(n_blocks=3, width=16, depth=2)
    x = rng.standard_normal((8, 16))
    t = rng.integers(0, 16, 8)
    loss_a, gx_a, gp_a = run(blocks, x, t, use_checkpoint=False)
    loss_b, gx_b, gp_b = run(blocks, x, t, use_checkpoint=True)
    assert loss_a == loss_b
    np.testing.assert_array_equal(gx_a, gx_b)
    assert len(gp_a) == len(gp_b) == 12
    for a, b in zip(gp_a, gp_b, strict=True):
        np.testing.assert_array_equal(a, b)
        assert np.abs(a).sum() > 0  # the gradients are not trivially zero


def test_peak_memory_is_lower_with_checkpointing():
    """24 layers in 6 checkpointed blocks: only block outputs are kept, plus one block's
    activations while it is recomputed. Memory is deterministic, so this compares bytes."""
    rng = np.random.default_rng(2)
    blocks = make_blocks(n_blocks=6, width=128, depth=4)
    x = rng.standard_normal((256, 128)).astype(np.float32)
    t = rng.integers(0, 128, 256)
    peaks = {}
    for use_checkpoint in (False, True):
        run(blocks, x, t, use_checkpoint)  # warm-up: caches, first-call allocations
        tracemalloc.start()
        try:
            run(blocks, x, t, use_checkpoint)
            peaks[use_checkpoint] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    activation = 256 * 128 * 4  # bytes of one float32 activation
    assert peaks[False] > 24 * 2 * activation  # plain: at least 2 saved arrays per layer
    assert peaks[True] < 0.6 * peaks[False], peaks


def test_gradcheck_through_a_checkpointed_block():
    rng = np.random.default_rng(3)
    W = Tensor(rng.standard_normal((3, 3)), requires_grad=True)

    def block(x, y):
        return (x @ W).tanh() * y

    def f(x, y):
        return checkpoint(block, x, y).sum()

    result = gradcheck_tensor(f, [rng.standard_normal((2, 3)), rng.standard_normal(3)])
    assert result, repr(result)


def test_parameters_used_inside_get_gradients_and_accumulate():
    rng = np.random.default_rng(4)
    layer = Linear(3, 2, rng=rng, dtype=np.float64)
    x = Tensor(rng.standard_normal((4, 3)))  # an input that needs no gradient
    loss = checkpoint(layer, x).sum()
    loss.backward()
    np.testing.assert_allclose(layer.W.grad, x.data.T @ np.ones((4, 2)))
    np.testing.assert_allclose(layer.b.grad, [4.0, 4.0])
    assert x.grad is None
    loss.backward()  # a second pass adds the same again
    np.testing.assert_allclose(layer.b.grad, [8.0, 8.0])


def test_block_without_tensor_inputs():
    """fn may take only plain arrays: the node then has no inputs but still backprops."""
    w = Tensor([2.0, 3.0], requires_grad=True)
    loss = checkpoint(lambda a: w * Tensor(a), np.array([1.0, 5.0])).sum()
    loss.backward()
    loss.backward()
    np.testing.assert_allclose(w.grad, [2.0, 10.0])


def test_nested_checkpoints():
    w = Tensor([0.5, -1.0], requires_grad=True)

    def inner(x):
        return (x * w).tanh()

    def outer(x):
        return checkpoint(inner, x) * 2

    x = Tensor([1.0, 2.0], requires_grad=True)
    checkpoint(outer, x).sum().backward()
    gx, gw = x.grad.copy(), w.grad.copy()
    x.grad = w.grad = None
    outer(x).sum().backward()
    np.testing.assert_allclose(gx, x.grad)
    np.testing.assert_allclose(gw, w.grad)


def test_extra_non_tensor_arguments_and_records_no_activations():
    x = Tensor([1.0, 2.0], requires_grad=True)
    out = checkpoint(lambda t, k: (t * k).exp(), x, 3.0)
    assert out._op == "checkpoint" and out._prev == (x,)
    np.testing.assert_allclose(out.data, np.exp(3.0 * x.data))
    out.sum().backward()
    np.testing.assert_allclose(x.grad, 3.0 * np.exp(3.0 * x.data))


def test_under_no_grad_it_is_just_the_function():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        out = checkpoint(Tanh(), x)
    assert not out.requires_grad and out._prev == ()


def test_errors():
    with pytest.raises(TypeError, match="must return a Tensor, got int"):
        checkpoint(lambda x: 3, Tensor([1.0]))
    with pytest.raises(TypeError, match="needs a function"):
        checkpoint(Tensor([1.0]), Tensor([1.0]))
    calls = []

    def unstable(x):
        calls.append(1)
        return x * 2 if len(calls) == 1 else x.sum()

    out = checkpoint(unstable, Tensor([1.0, 2.0], requires_grad=True))
    with pytest.raises(RuntimeError, match="same thing every time"):
        out.sum().backward()
