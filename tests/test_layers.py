"""Layers and optimizers: shapes, initialisation, dtypes, the update rules against formulas
written out by hand, training that actually learns, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from autograd.functional import cross_entropy
from autograd.layers import SGD, Adam, Linear, Module, ReLU, Sequential, Tanh
from autograd.tensor import Tensor
from autograd.tensor_gradcheck import gradcheck_tensor


class TestLinear:
    def test_shapes_dtype_and_labels(self):
        layer = Linear(5, 3, rng=np.random.default_rng(0))
        assert layer.W.shape == (5, 3) and layer.b.shape == (3,)
        assert layer.W.dtype == layer.b.dtype == np.float32
        assert layer.W.label == "W" and layer.b.label == "b"
        assert all(p.requires_grad for p in layer.parameters())
        y = layer(Tensor(np.ones((4, 5), dtype=np.float32)))
        assert y.shape == (4, 3) and y.dtype == np.float32

    def test_forward_is_x_at_w_plus_b(self):
        layer = Linear(4, 2, rng=np.random.default_rng(0), dtype=np.float64)
        x = np.random.default_rng(1).standard_normal((3, 4))
        np.testing.assert_allclose(layer(Tensor(x)).data, x @ layer.W.data + layer.b.data)

    def test_init_range_and_reproducibility(self):
        a = Linear(100, 50, rng=np.random.default_rng(42))
        b = Linear(100, 50, rng=np.random.default_rng(42))
        np.testing.assert_array_equal(a.W.data, b.W.data)
        bound = 1 / np.sqrt(100)
        assert np.abs(a.W.data).max() <= bound and np.abs(a.b.data).max() <= bound
        assert a.W.data.std() > 0.4 * bound  # spread over the range, not all near zero

    def test_no_bias_and_float64(self):
        layer = Linear(3, 2, bias=False, rng=np.random.default_rng(0), dtype=np.float64)
        assert layer.b is None and layer.parameters() == [layer.W]
        assert layer.W.dtype == np.float64
        assert repr(layer) == "Linear(3, 2, bias=False, dtype=float64)"

    def test_gradients(self):
        layer = Linear(3, 2, rng=np.random.default_rng(0), dtype=np.float64)

        def f(x, W, b):
            layer.W, layer.b = W, b
            return layer(x).tanh()

        result = gradcheck_tensor(f, [np.ones((4, 3)), layer.W.data, layer.b.data])
        assert result, repr(result)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"nin": 0, "nout": 2}, "nin must be a positive int, got 0"),
            ({"nin": 2, "nout": 2.5}, "nout must be a positive int, got 2.5"),
            ({"nin": 2, "nout": 2, "rng": 3}, "rng must be a numpy Generator"),
            ({"nin": 2, "nout": 2, "dtype": np.int32}, "float dtype, got int32"),
        ],
    )
    def test_errors(self, kwargs, match):
        with pytest.raises((ValueError, TypeError), match=match):
            Linear(**kwargs)


class TestSequential:
    def test_chain_parameters_and_zero_grad(self):
        rng = np.random.default_rng(0)
        model = Sequential(Linear(2, 4, rng=rng), ReLU(), Linear(4, 3, rng=rng), Tanh())
        params = model.parameters()
        assert [p.shape for p in params] == [(2, 4), (4,), (4, 3), (3,)]
        assert len(model) == 4 and isinstance(model[1], ReLU)
        out = model(Tensor(np.ones((5, 2), dtype=np.float32)))
        assert out.shape == (5, 3)
        expected = np.tanh(
            np.maximum(np.ones((5, 2)) @ params[0].data + params[1].data, 0) @ params[2].data
            + params[3].data
        )
        np.testing.assert_allclose(out.data, expected, rtol=1e-5)
        out.sum().backward()
        assert all(p.grad is not None for p in params)
        model.zero_grad()
        assert all(p.grad is None for p in params)

    def test_repr(self):
        model = Sequential(Linear(2, 3, rng=np.random.default_rng(0)), ReLU())
        assert repr(model) == "Sequential(\n  Linear(2, 3, bias=True, dtype=float32),\n  ReLU(),\n)"

    def test_layers_must_be_callable(self):
        with pytest.raises(TypeError, match="layer 1 is not callable"):
            Sequential(ReLU(), 3)

    def test_module_forward_is_abstract(self):
        with pytest.raises(NotImplementedError):
            Module()(Tensor([1.0]))


def _param(values):
    p = Tensor(np.array(values, dtype=np.float64), requires_grad=True)
    return p


class TestSGD:
    def test_plain_step(self):
        p = _param([1.0, -2.0])
        p.grad = np.array([0.5, 1.0])
        SGD([p], lr=0.1).step()
        np.testing.assert_allclose(p.data, [1.0 - 0.05, -2.0 - 0.1])

    def test_momentum_two_steps_by_hand(self):
        p = _param([1.0])
        opt = SGD([p], lr=0.1, momentum=0.9)
        p.grad = np.array([1.0])
        opt.step()  # v = 1, p = 1 - 0.1
        p.grad = np.array([2.0])
        opt.step()  # v = 0.9 * 1 + 2 = 2.9, p = 0.9 - 0.29
        np.testing.assert_allclose(p.data, [0.9 - 0.29])

    def test_skips_parameters_without_gradient_and_zero_grad(self):
        p, q = _param([1.0]), _param([2.0])
        p.grad = np.array([1.0])
        opt = SGD([p, q], lr=1.0)
        opt.step()
        np.testing.assert_allclose(q.data, [2.0])
        opt.zero_grad()
        assert p.grad is None

    def test_float32_stays_float32(self):
        p = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
        p.grad = np.ones(3, dtype=np.float32)
        SGD([p], lr=0.1, momentum=0.5).step()
        assert p.data.dtype == np.float32


class TestAdam:
    def test_two_steps_by_hand(self):
        p = _param([1.0, -1.0])
        opt = Adam([p], lr=0.1, betas=(0.9, 0.99), eps=1e-8)
        grads = [np.array([0.5, -2.0]), np.array([1.0, 1.0])]
        m = v = np.zeros(2)
        expected = np.array([1.0, -1.0])
        for t, g in enumerate(grads, start=1):
            p.grad = g
            opt.step()
            m = 0.9 * m + 0.1 * g
            v = 0.99 * v + 0.01 * g * g
            expected = expected - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
        np.testing.assert_allclose(p.data, expected, rtol=1e-12)

    def test_first_step_has_size_lr(self):
        p = _param([0.0, 0.0])
        p.grad = np.array([1e-3, -50.0])  # whatever the gradient's scale
        Adam([p], lr=0.01).step()
        np.testing.assert_allclose(p.data, [-0.01, 0.01], rtol=1e-4)


@pytest.mark.parametrize(
    "make_opt", [lambda ps: SGD(ps, lr=0.5, momentum=0.9), lambda ps: Adam(ps, lr=0.05)]
)
def test_training_learns_a_small_classification(make_opt):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2)).astype(np.float32)
    t = (x[:, 0] * x[:, 1] > 0).astype(int)  # XOR-like quadrants: needs the hidden layer
    model = Sequential(Linear(2, 16, rng=rng), Tanh(), Linear(16, 2, rng=rng))
    opt = make_opt(model.parameters())
    losses = []
    for _ in range(150):
        opt.zero_grad()
        loss = cross_entropy(model(Tensor(x)), t)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    accuracy = (model(Tensor(x)).data.argmax(axis=1) == t).mean()
    assert losses[-1] < 0.5 * losses[0]
    assert accuracy > 0.9


class TestOptimizerErrors:
    def test_empty(self):
        with pytest.raises(ValueError, match="SGD got an empty parameter list"):
            SGD([], lr=0.1)

    def test_not_a_tensor(self):
        with pytest.raises(TypeError, match="parameter 0 is a ndarray, not a Tensor"):
            Adam([np.ones(2)])

    def test_no_requires_grad(self):
        with pytest.raises(ValueError, match=r"parameter 0 \(shape \(2,\)\) does not require grad"):
            SGD([Tensor(np.ones(2))], lr=0.1)

    @pytest.mark.parametrize("lr", [0, -0.1, "0.1", None])
    def test_bad_lr(self, lr):
        with pytest.raises(ValueError, match="lr must be a positive number"):
            SGD([_param([1.0])], lr=lr)

    def test_bad_momentum_and_betas(self):
        with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
            SGD([_param([1.0])], lr=0.1, momentum=1.0)
        with pytest.raises(ValueError, match="betas must be two numbers"):
            Adam([_param([1.0])], betas=(0.9, 1.5))
