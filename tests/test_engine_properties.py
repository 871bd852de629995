"""Property tests for the scalar engine: gradients match central differences everywhere.

Hypothesis draws the inputs (and, further down, whole random expressions). The reference
gradient is a central difference through the engine's *forward* pass (``.data`` of the same
function on nudged leaves), so a wrong backward rule cannot hide behind itself.

Inputs are drawn away from kinks and poles, as a careful test must: at ``relu``'s kink or
next to a pole, a finite difference does not measure the derivative. The guards are: ``log``
and fractional powers only see numbers >= 0.5 (built in as ``e*e + 0.5``), divisors are at
least 0.5 away from 0, ``relu`` inputs at least 1e-3 away from 0, ``exp`` inputs at most 20.
Tolerances are relative (plus a small absolute part for gradients near 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from functions import FUNCTIONS, TableFunction, central_differences
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd.engine import Value, _topological_order_by_marks, topological_order

# Deterministic runs (the same examples every time) and no example database on disk.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

REL, ABS = 1e-5, 1e-7


def assert_close(analytic: float, numeric: float, scale: float = 1.0) -> None:
    """Relative comparison; the absolute part grows with the size of the function's value
    (a central difference loses about 1e-16 * |f| / h to rounding)."""
    assert math.isclose(analytic, numeric, rel_tol=REL, abs_tol=ABS * max(1.0, scale)), (
        analytic,
        numeric,
    )


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------------------- the table
@pytest.mark.parametrize("f", FUNCTIONS, ids=[f.name for f in FUNCTIONS])
@PROPERTY
@given(data=st.data())
def test_table_gradients_match_central_differences(f: TableFunction, data: st.DataObject):
    point = [data.draw(floats(lo, hi), label=f"x{i}") for i, (lo, hi) in enumerate(f.domain)]
    leaves = [Value(x) for x in point]
    out = f.fn(*leaves)
    out.backward()
    numeric = central_differences(f, point, Value)
    for leaf, expected in zip(leaves, numeric, strict=True):
        assert_close(leaf.grad, expected, abs(out.data))


# ---------------------------------------------------------------------------- random expressions
# An expression is a nested tuple, readable in hypothesis' failure report:
#   ("x", i)                    the i-th input
#   (op, e)                     neg exp tanh relu sigmoid, "log" = log(e*e + 0.5),
#                               ("**", e, n) integer power, ("**+", e, n) = (e*e + 0.5) ** n
#   (op, e1, e2)                + - *, "/" = e1 / (e2*e2 + 0.5)
#   ("num", op, e, c, first)    e op c, or c op e when `first` (a plain number on the left)
N_INPUTS = 3


class Reject(Exception):
    """An intermediate value grew too large for a finite difference to be meaningful."""


def _guard(v: Value) -> Value:
    if not abs(v.data) <= 1e6:
        raise Reject
    return v


def evaluate(expr: tuple, xs: Sequence[Value], relus: list[bool] | None = None) -> Value:
    """Build the expression's graph on the leaves ``xs`` (using only the shared ops).

    ``relus``, if given, collects which side of its kink each ``relu`` input fell on.
    """
    kind = expr[0]
    if kind == "x":
        return xs[expr[1]]
    if kind == "num":
        _, op, sub, c, first = expr
        e = evaluate(sub, xs, relus)
        if op == "+":
            return _guard(c + e if first else e + c)
        if op == "-":
            return _guard(c - e if first else e - c)
        if op == "*":
            return _guard(c * e if first else e * c)
        return _guard(c / (e * e + 0.5) if first else e / c)  # "/": never near 0
    if kind in ("**", "**+"):
        e = evaluate(expr[1], xs, relus)
        base = e * e + 0.5 if kind == "**+" else e
        return _guard(base ** expr[2])
    if len(expr) == 3:
        a, b = evaluate(expr[1], xs, relus), evaluate(expr[2], xs, relus)
        if kind == "+":
            return _guard(a + b)
        if kind == "-":
            return _guard(a - b)
        if kind == "*":
            return _guard(a * b)
        return _guard(a / (b * b + 0.5))
    e = evaluate(expr[1], xs, relus)
    if kind == "log":
        return (e * e + 0.5).log()
    if kind == "relu":
        assume(abs(e.data) >= 1e-3)  # away from the kink
        if relus is not None:
            relus.append(e.data > 0)
    if kind == "neg":
        return -e
    return _guard(getattr(e, kind)())  # exp, tanh, relu, sigmoid


UNARY = ["neg", "exp", "log", "tanh", "relu", "sigmoid"]
BINARY = ["+", "-", "*", "/"]
NUMBERS = st.one_of(floats(0.5, 3.0), floats(-3.0, -0.5))


def _extend(children: st.SearchStrategy[tuple]) -> st.SearchStrategy[tuple]:
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children),
        st.tuples(st.just("**"), children, st.sampled_from([2, 3, -1])),
        st.tuples(st.just("**+"), children, st.sampled_from([0.5, 1.5, -0.5, -2])),
        st.tuples(st.sampled_from(BINARY), children, children),
        st.tuples(st.just("num"), st.sampled_from(BINARY), children, NUMBERS, st.booleans()),
    )


EXPRESSIONS = st.recursive(
    st.tuples(st.just("x"), st.integers(0, N_INPUTS - 1)), _extend, max_leaves=10
)
INPUTS = st.lists(floats(-2.0, 2.0), min_size=N_INPUTS, max_size=N_INPUTS)


def build(expr: tuple, point: Sequence[float], relus: list[bool] | None = None) -> Value:
    """The expression on fresh leaves; examples that leave the safe domain are skipped."""
    try:
        return evaluate(expr, [Value(x) for x in point], relus)
    except (Reject, ZeroDivisionError, OverflowError):  # too big, x**-1 at 0, exp overflow
        assume(False)
        raise  # not reached: assume(False) raises


def gradient(expr: tuple, point: Sequence[float]) -> tuple[Value, list[float]]:
    xs = [Value(x) for x in point]
    try:
        out = evaluate(expr, xs)
    except (Reject, ZeroDivisionError, OverflowError):
        assume(False)
        raise
    out.backward()
    return out, [x.grad for x in xs]


def numeric_gradient(expr: tuple, point: list[float], h: float = 1e-6) -> list[float]:
    """Central differences through the forward pass; each nudge must stay on the same side
    of every relu kink as the point itself (otherwise the difference measures the kink)."""
    sides: list[bool] = []
    build(expr, point, sides)
    grads = []
    for i, x in enumerate(point):
        step = h * max(1.0, abs(x))
        values = []
        for nudge in (step, -step):
            nudged_sides: list[bool] = []
            nudged = build(expr, [*point[:i], x + nudge, *point[i + 1 :]], nudged_sides)
            assume(nudged_sides == sides)
            values.append(nudged.data)
        grads.append((values[0] - values[1]) / (2 * step))
    return grads


@PROPERTY
@given(expr=EXPRESSIONS, point=INPUTS)
def test_random_expressions_gradients_match_central_differences(expr, point):
    out, grads = gradient(expr, point)
    for analytic, numeric in zip(grads, numeric_gradient(expr, point), strict=True):
        assert_close(analytic, numeric, abs(out.data))


@PROPERTY
@given(expr=EXPRESSIONS, point=INPUTS)
def test_random_expressions_topological_order(expr, point):
    out = build(expr, point)
    order = topological_order(out)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert order[-1] is out
    for node in order:
        assert isinstance(node._prev, tuple)
        assert all(position[id(p)] < position[id(node)] for p in node._prev)
    assert _topological_order_by_marks(out) == order  # the walk backward() uses


# ---------------------------------------------------------------------------- algebraic laws
@PROPERTY
@given(a=floats(-1e6, 1e6), b=floats(-1e6, 1e6))
def test_gradient_of_a_sum_is_one_one(a, b):
    x, y = Value(a), Value(b)
    (x + y).backward()
    assert (x.grad, y.grad) == (1.0, 1.0)


@PROPERTY
@given(a=floats(-1e3, 1e3), b=floats(-1e3, 1e3))
def test_gradient_of_a_product_is_the_other_factor(a, b):
    x, y = Value(a), Value(b)
    (x * y).backward()
    assert (x.grad, y.grad) == (b, a)


@PROPERTY
@given(
    f=EXPRESSIONS,
    g=EXPRESSIONS,
    point=INPUTS,
    alpha=floats(-3.0, 3.0),
    beta=floats(-3.0, 3.0),
)
def test_backward_is_linear(f, g, point, alpha, beta):
    """grad(alpha*f + beta*g) = alpha*grad(f) + beta*grad(g), on the same leaves."""
    _, grad_f = gradient(f, point)
    _, grad_g = gradient(g, point)
    xs = [Value(x) for x in point]
    out = alpha * evaluate(f, xs) + beta * evaluate(g, xs)  # (both built fine just above)
    out.backward()
    for x, df, dg in zip(xs, grad_f, grad_g, strict=True):
        expected = alpha * df + beta * dg
        assert math.isclose(x.grad, expected, rel_tol=1e-9, abs_tol=1e-9 * (1 + abs(df) + abs(dg)))


@PROPERTY
@given(expr=EXPRESSIONS, point=INPUTS)
def test_a_second_backward_doubles_the_leaf_gradients(expr, point):
    out = build(expr, point)
    out.backward()
    order = topological_order(out)
    leaves = [(n, n.grad) for n in order if not n._prev]
    inner = [(n, n.grad) for n in order if n._prev]
    out.backward()
    for leaf, first in leaves:
        assert math.isclose(leaf.grad, 2 * first, rel_tol=1e-12, abs_tol=1e-300)
    for node, first in inner:
        assert node.grad == first  # intermediates hold this pass only: the same numbers
