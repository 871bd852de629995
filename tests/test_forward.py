"""Forward mode (dual numbers) against central differences and against reverse mode."""

from __future__ import annotations

import doctest
import math
import sys

import pytest

from autograd import Dual, Value, derivative, forward_gradient, numerical_grad

# Functions written once, generic in the number type: they run on floats (for central
# differences), on Duals and on Values (both have the methods).


def _exp(x):
    return math.exp(x) if isinstance(x, float) else x.exp()


def _log(x):
    return math.log(x) if isinstance(x, float) else x.log()


def _tanh(x):
    return math.tanh(x) if isinstance(x, float) else x.tanh()


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x)) if isinstance(x, float) else x.sigmoid()


def _relu(x):
    return max(x, 0.0) if isinstance(x, float) else x.relu()


ONE_INPUT = [
    ("cubic", lambda x: x**3 - 2 * x + 1, [-1.7, 0.3, 2.2]),
    ("quotient", lambda x: (x + 1) / (x * x + 2), [-1.2, 0.0, 0.9]),
    ("exp/log", lambda x: _exp(0.5 * x) * _log(x), [0.3, 1.0, 2.5]),
    ("tanh", lambda x: _tanh(2 * x - 1), [-0.8, 0.4, 1.3]),
    ("sigmoid", lambda x: _sigmoid(x) * x, [-3.0, 0.2, 4.0]),
    ("relu", lambda x: _relu(x) * x + _relu(-x), [-1.5, 0.7]),
    ("reflected", lambda x: 3 - x + 2 / x - (2**x), [0.6, 1.9]),
    ("sqrt", lambda x: x**0.5 + (-x) ** 2, [0.4, 3.0]),
    ("power of dual", lambda x: x**x, [0.5, 1.7]),
]


@pytest.mark.parametrize(
    ("f", "x"),
    [pytest.param(f, x, id=f"{name}@{x}") for name, f, xs in ONE_INPUT for x in xs],
)
def test_derivative_matches_central_differences_and_reverse_mode(f, x):
    fwd = derivative(f, x)
    (num,) = numerical_grad(f, [x])
    assert fwd == pytest.approx(num, rel=1e-6, abs=1e-6)
    v = Value(x)
    f(v).backward()
    assert fwd == pytest.approx(v.grad, rel=1e-12, abs=1e-12)


def test_derivative_by_hand():
    # d/dx sin-free examples computed by hand: (x² + 2x)' = 2x + 2; (1/x)' = -1/x²
    assert derivative(lambda x: x * x + 2 * x, 3.0) == 8.0
    assert derivative(lambda x: 1 / x, 2.0) == -0.25
    assert derivative(lambda x: x.exp(), 1.0) == pytest.approx(math.e)


SEVERAL_INPUTS = [
    (lambda a, b: a * b + a, [2.0, -3.0]),
    (lambda a, b, c: _tanh(a * b - c) / (c * c + 1), [0.4, -1.1, 0.7]),
    (lambda a, b: _exp(a / b) + _log(b) * a**3, [0.9, 1.6]),
    (lambda a, b: a**b, [1.3, 0.8]),
    (lambda x, y: _sigmoid(x - y) * _relu(y), [0.2, 1.5]),
]


@pytest.mark.parametrize(("f", "xs"), SEVERAL_INPUTS)
def test_forward_gradient_matches_reverse_mode_and_central_differences(f, xs):
    fwd = forward_gradient(f, xs)
    assert fwd == pytest.approx(numerical_grad(f, xs), rel=1e-6, abs=1e-6)
    leaves = [Value(x) for x in xs]
    f(*leaves).backward()
    assert fwd == pytest.approx([v.grad for v in leaves], rel=1e-12, abs=1e-12)


def test_forward_gradient_takes_one_pass_per_input():
    calls = []

    def f(a, b, c):
        calls.append([d.deriv for d in (a, b, c)])
        return a * b * c

    assert forward_gradient(f, [2.0, 3.0, 5.0]) == [15.0, 10.0, 6.0]
    assert calls == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_dual_arithmetic_rules():
    a, b = Dual(3.0, 1.0), Dual(2.0, 5.0)
    assert (a + b).value == 5.0 and (a + b).deriv == 6.0
    assert (a - b).deriv == -4.0
    assert (a * b).deriv == 1.0 * 2.0 + 3.0 * 5.0  # product rule
    assert (a / b).deriv == pytest.approx((1.0 * 2.0 - 3.0 * 5.0) / 4.0)  # quotient rule
    assert (-a).value == -3.0 and (-a).deriv == -1.0
    assert (a**2).deriv == 6.0
    assert (2 * a).deriv == 2.0 and (a * 2).deriv == 2.0 and (1 - a).deriv == -1.0


def test_repr_is_deterministic():
    assert repr(Dual(2, 1)) == "Dual(value=2, deriv=1)"
    assert repr(Dual(1 / 3)) == "Dual(value=0.3333, deriv=0)"


def test_bad_operands_raise_type_error():
    with pytest.raises(TypeError, match="Dual and str"):
        Dual(1.0) + "2"
    with pytest.raises(TypeError, match="Dual and Value"):
        Dual(1.0) * Value(2.0)
    with pytest.raises(TypeError, match="Dual and list"):
        Dual(1.0) ** [2]
    with pytest.raises(TypeError, match="Dual value must be a real number"):
        Dual("1")
    with pytest.raises(TypeError, match="must return a Dual"):
        derivative(lambda x: x.value * 2, 1.0)
    with pytest.raises(TypeError, match="list of real numbers"):
        forward_gradient(lambda x: x, 1.0)
    with pytest.raises(TypeError, match=r"xs\[1\]"):
        forward_gradient(lambda x, y: x, [1.0, None])


def test_domain_errors_like_the_engine():
    with pytest.raises(ValueError, match="positive"):
        Dual(0.0, 1.0).log()
    with pytest.raises(ZeroDivisionError):
        Dual(1.0, 1.0) / Dual(0.0)
    with pytest.raises(ValueError, match="non-integer"):
        Dual(-2.0, 1.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="infinite"):
        Dual(0.0, 1.0) ** 0.5
    with pytest.raises(ValueError, match="base >= 0"):
        Dual(-2.0) ** Dual(2.0, 1.0)
    # flat and constant cases stay finite
    assert (Dual(0.0, 1.0) ** 0).deriv == 0.0
    assert (Dual(0.0, 0.0) ** 0.5).value == 0.0


def test_docstring_examples():
    module = sys.modules["autograd.forward"]
    assert doctest.testmod(module).failed == 0
