"""Property tests: every Tensor op's gradient matches central differences, on random shapes
(broadcasting included) and random values drawn by hypothesis.

The elementwise functions shared with the scalar tests (tests/functions.py) run here on
Tensors too, see the end of the file.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from functions import FUNCTIONS  # tests/functions.py: the table shared with the Value tests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.engine import Value
from autograd.tensor import Tensor
from autograd.tensor_gradcheck import gradcheck_tensor

# Deterministic runs (same examples every time) and no example database on disk.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SOME = settings(PROPERTY, max_examples=40)
MORE = settings(PROPERTY, max_examples=100)

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)


def values(shape: tuple[int, ...], lo: float = -2.0, hi: float = 2.0) -> st.SearchStrategy:
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False))


@st.composite
def away_from_zero(draw, shape: tuple[int, ...], lo: float = 0.25) -> np.ndarray:
    """Values with |x| in [lo, 2]: safe divisors, and no relu kink within eps."""
    magnitude = draw(values(shape, lo, 2.0))
    sign = draw(hnp.arrays(np.bool_, shape))
    return np.where(sign, magnitude, -magnitude)


@st.composite
def distinct(draw, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 apart, so max has no (near-)ties within eps."""
    size = int(np.prod(shape, dtype=int))
    order = draw(st.permutations(range(size)))
    offset = draw(st.floats(-1.0, 1.0))
    return (np.array(order, dtype=np.float64) * 0.1 + offset).reshape(shape)


def check(f, *arrays: np.ndarray) -> None:
    result = gradcheck_tensor(f, list(arrays))
    assert result, repr(result)


# ---------------------------------------------------------------------------- binary ops
BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("op", list(BINARY))
@PROPERTY
@given(data=st.data(), shapes=PAIRS)
def test_binary_ops_broadcast(op, data, shapes):
    sa, sb = shapes.input_shapes
    a = data.draw(values(sa), label="a")
    b = data.draw(away_from_zero(sb), label="b")
    out = BINARY[op](Tensor(a), Tensor(b))
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, BINARY[op](a, b))
    check(BINARY[op], a, b)


@MORE
@given(data=st.data(), shape=SHAPES, op=st.sampled_from(list(BINARY)), left=st.booleans())
def test_binary_ops_with_a_number(data, shape, op, left):
    x = data.draw(away_from_zero(shape), label="x")
    c = data.draw(st.floats(0.5, 3.0), label="c")
    if left:
        f = lambda t: BINARY[op](c, t)  # noqa: E731 - reflected form: number op Tensor
    else:
        f = lambda t: BINARY[op](t, c)  # noqa: E731
    check(f, x)


@MORE
@given(data=st.data(), shapes=PAIRS)
def test_shared_input_in_a_diamond(data, shapes):
    """a is used on several paths (and broadcast on some): its gradients must add up."""
    sa, sb = shapes.input_shapes
    a = data.draw(values(sa), label="a")
    b = data.draw(values(sb), label="b")
    check(lambda a, b: (a * b + a) * (a - b) + a * a, a, b)


# ---------------------------------------------------------------------------- unary ops
UNARY = {
    "neg": (lambda t: -t, values),
    "tanh": (lambda t: t.tanh(), values),
    "exp": (lambda t: t.exp(), values),
    "sigmoid": (lambda t: t.sigmoid(), lambda s: values(s, -6.0, 6.0)),
    "relu": (lambda t: t.relu(), away_from_zero),
    "log": (lambda t: t.log(), lambda s: values(s, 0.1, 3.0)),
    "**2": (lambda t: t**2, values),
    "**3": (lambda t: t**3, values),
    "**-2": (lambda t: t**-2, lambda s: away_from_zero(s, 0.5)),
    "**0.5": (lambda t: t**0.5, lambda s: values(s, 0.2, 3.0)),
    "**1.5": (lambda t: t**1.5, lambda s: values(s, 0.2, 3.0)),
    "T": (lambda t: t.T, values),
}


@pytest.mark.parametrize("name", list(UNARY))
@SOME
@given(data=st.data(), shape=SHAPES)
def test_unary_ops(name, data, shape):
    f, strategy = UNARY[name]
    x = data.draw(strategy(shape), label="x")
    check(f, x)


# ---------------------------------------------------------------------------- reductions
@st.composite
def shape_and_axis(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    ndim = len(shape)
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-ndim, ndim - 1))
    else:
        axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
        axis = tuple(axes)
    return shape, axis, draw(st.booleans())


@pytest.mark.parametrize("method", ["sum", "mean", "max"])
@SOME
@given(data=st.data(), sak=shape_and_axis())
def test_reductions(method, data, sak):
    shape, axis, keepdims = sak
    x = data.draw(distinct(shape) if method == "max" else values(shape), label="x")
    out = getattr(Tensor(x), method)(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, getattr(np, method)(x, axis=axis, keepdims=keepdims))
    check(lambda t: getattr(t, method)(axis=axis, keepdims=keepdims), x)


@SOME
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
def test_log_softmax(data, shape):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1), label="axis")
    x = data.draw(values(shape, -5.0, 5.0), label="x")
    out = Tensor(x).log_softmax(axis=axis).data
    np.testing.assert_allclose(np.exp(out).sum(axis=axis), 1.0)
    check(lambda t: t.log_softmax(axis=axis), x)


@SOME
@given(data=st.data(), shape=SHAPES)
def test_reshape(data, shape):
    x = data.draw(values(shape), label="x")
    new = data.draw(st.permutations(list(shape)), label="new shape") + [1]
    check(lambda t: t.reshape(*new) * Tensor(np.arange(x.size).reshape(new)), x)


# ---------------------------------------------------------------------------- matmul
@st.composite
def matmul_shapes(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    batch_a, batch_b = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=2)
    ).input_shapes
    a_1d, b_1d = draw(st.booleans()), draw(st.booleans())
    sa = (k,) if a_1d else (*batch_a, n, k)
    sb = (k,) if b_1d else (*batch_b, k, m)
    return sa, sb


@MORE
@given(data=st.data(), shapes=matmul_shapes())
def test_matmul(data, shapes):
    sa, sb = shapes
    a = data.draw(values(sa), label="a")
    b = data.draw(values(sb), label="b")
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).data, a @ b)
    check(lambda a, b: a @ b, a, b)


# ---------------------------------------------------------------------------- float32
@SOME
@given(data=st.data(), shapes=PAIRS, op=st.sampled_from(list(BINARY)))
def test_float32_stays_float32(data, shapes, op):
    sa, sb = shapes.input_shapes
    a = Tensor(data.draw(values(sa)).astype(np.float32), requires_grad=True)
    b = Tensor(data.draw(away_from_zero(sb)).astype(np.float32), requires_grad=True)
    out = BINARY[op](a, b).tanh() * 2.0
    assert out.dtype == np.float32
    out.sum().backward()
    assert a.grad.dtype == b.grad.dtype == np.float32
    assert a.grad.shape == sa and b.grad.shape == sb


# ---------------------------------------------------------------------------- the shared table
# tests/functions.py drives the scalar tests too: the same functions, on Tensor leaves.
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.name)
@settings(PROPERTY, max_examples=8)
@given(data=st.data())
def test_table_functions_on_broadcast_tensors(f, data):
    """Each input a random array inside its domain, with mutually broadcastable shapes."""
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=f.arity, max_dims=2, max_side=3),
        label="shapes",
    )
    arrays = [
        data.draw(values(shape, lo, hi), label=f"input {i}")
        for i, (shape, (lo, hi)) in enumerate(zip(shapes.input_shapes, f.domain, strict=True))
    ]
    check(f.fn, *arrays)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.name)
def test_table_functions_tensor_equals_scalar_engine(f):
    """Run on 8-element tensors, element k must match the scalar Value engine at point k:
    the same value and the same gradient."""
    rng = random.Random(f.name)
    points = [f.random_point(rng) for _ in range(8)]
    leaves = [Tensor(np.array(column), requires_grad=True) for column in zip(*points, strict=True)]
    out = f.fn(*leaves)
    out.backward(np.ones(out.shape))
    for k, point in enumerate(points):
        scalars = [Value(x) for x in point]
        y = f.fn(*scalars)
        y.backward()
        assert out.data[k] == pytest.approx(y.data, rel=1e-12, abs=1e-12)
        for leaf, s in zip(leaves, scalars, strict=True):
            assert leaf.grad[k] == pytest.approx(s.grad, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.name)
def test_table_functions_in_float32(f):
    """float32 in, float32 out (values and gradients), close to the float64 result."""
    rng = random.Random(f.name)
    columns = list(zip(*[f.random_point(rng) for _ in range(6)], strict=True))
    results = {}
    for dtype in (np.float32, np.float64):
        leaves = [Tensor(np.array(c, dtype=dtype), requires_grad=True) for c in columns]
        out = f.fn(*leaves)
        assert out.dtype == dtype
        out.backward(np.ones(out.shape, dtype=dtype))
        assert all(leaf.grad.dtype == dtype for leaf in leaves)
        results[dtype] = (out.data, [leaf.grad for leaf in leaves])
    (y32, g32), (y64, g64) = results[np.float32], results[np.float64]
    np.testing.assert_allclose(y32, y64, rtol=1e-4, atol=1e-5)
    for a, b in zip(g32, g64, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)
