"""gradcheck must pass right gradients, catch wrong ones, and say which input is wrong."""

from __future__ import annotations

import math

import pytest

from autograd import GradcheckResult, Value, gradcheck, numerical_grad
from autograd.gradcheck import GradcheckRow


# ----------------------------------------------------------------------------- numerical_grad
@pytest.mark.parametrize("x", [-2.5, -1.0, -0.3, 0.0, 0.7, 1.5, 3.0])
def test_numerical_grad_of_sin_is_cos(x):
    (g,) = numerical_grad(math.sin, [x])
    assert g == pytest.approx(math.cos(x), abs=1e-8)


@pytest.mark.parametrize("x", [-2.0, -0.5, 0.1, 1.0, 2.5])
def test_numerical_grad_of_exp_and_cube(x):
    assert numerical_grad(math.exp, [x])[0] == pytest.approx(math.exp(x), rel=1e-7)
    assert numerical_grad(lambda t: t**3, [x])[0] == pytest.approx(3 * x * x, abs=1e-6)


def test_numerical_grad_of_several_inputs():
    # f(x, y, z) = x*y + sin(z) * x  ->  (y + sin z, x, x cos z)
    x, y, z = 0.8, -1.7, 2.2
    g = numerical_grad(lambda x, y, z: x * y + math.sin(z) * x, [x, y, z])
    assert g == pytest.approx([y + math.sin(z), x, x * math.cos(z)], abs=1e-7)


def test_numerical_grad_bad_inputs():
    with pytest.raises(TypeError, match="list of real numbers"):
        numerical_grad(math.sin, 1.0)
    with pytest.raises(TypeError, match=r"xs\[1\].*str"):
        numerical_grad(lambda a, b: a, [1.0, "2"])
    with pytest.raises(TypeError, match="Value"):
        numerical_grad(lambda a: Value(a), [1.0])
    with pytest.raises(ValueError, match="eps"):
        numerical_grad(math.sin, [1.0], eps=0)
    with pytest.raises(ValueError, match="finite"):
        numerical_grad(math.sin, [math.nan])


# ----------------------------------------------------------------------------- gradcheck passes
@pytest.mark.parametrize(
    ("f", "xs"),
    [
        (lambda a, b: a * b + a, [2.0, -3.0]),
        (lambda a: a.tanh(), [0.4]),
        (lambda a, b: (a / b).exp() - b**2, [0.6, 1.3]),
        (lambda a, b, c: (a * b + c).sigmoid() * a.log(), [1.2, -0.4, 0.9]),
        (lambda a: (a * a * a).relu(), [1.1]),
        (lambda a, b: a**b, [1.7, 0.6]),
        (lambda a: 3 - 2 / a + (-a), [0.8]),
    ],
)
def test_correct_gradients_pass(f, xs):
    result = gradcheck(f, xs)
    assert result, repr(result)
    assert isinstance(result, GradcheckResult)
    assert len(result.rows) == len(xs) and not result.failures
    assert result.max_abs_error < 1e-5


def test_analytic_and_numeric_match_independent_derivatives():
    # d/da (a*b + a) = b + 1, d/db = a: computed here by hand, not by the code under test
    a, b = 2.0, -3.0
    result = gradcheck(lambda a, b: a * b + a, [a, b])
    assert [r.analytic for r in result.rows] == pytest.approx([b + 1, a])
    assert [r.numeric for r in result.rows] == pytest.approx([b + 1, a], abs=1e-7)


# ----------------------------------------------------------------------------- gradcheck fails
def square_forgetting_the_two(a: Value) -> Value:
    """a * a with a deliberately wrong backward rule: d(a²)/da is 2a, this gives a."""
    out = a * a

    def wrong_rule(out: Value) -> None:
        x = out._prev[0]
        x.grad += x.data * out.grad

    out._backward = wrong_rule
    return out


def test_wrong_backward_rule_fails_and_names_the_input():
    result = gradcheck(lambda a, b: square_forgetting_the_two(a) * b + b, [1.5, 2.0])
    assert not result
    assert [r.name for r in result.failures] == ["a"]
    a_row, b_row = result.rows
    # by hand: d/da (a² b + b) = 2ab = 6, the wrong rule gives a·b = 3; d/db = a² + 1
    assert a_row.analytic == pytest.approx(3.0) and a_row.numeric == pytest.approx(6.0)
    assert not a_row.ok and b_row.ok and b_row.numeric == pytest.approx(1.5**2 + 1)
    assert "FAILED" in repr(result) and "(a)" in repr(result)
    assert repr(result).splitlines()[2].endswith("✗")


def test_detached_input_fails():
    # Rebuilding a Value from .data cuts the graph: no gradient flows back to a.
    result = gradcheck(lambda a, b: Value(a.data) * b + b, [0.7, -1.2])
    assert not result
    assert [r.index for r in result.failures] == [0]
    assert result.rows[0].analytic == 0.0
    assert result.rows[0].numeric == pytest.approx(-1.2)


def test_tolerances_decide():
    def slightly_off(a):
        out = a * a
        rule = out._backward

        def nudged(out):
            rule(out)
            out._prev[0].grad += 1e-3  # 0.001 too much

        out._backward = nudged
        return out

    assert not gradcheck(slightly_off, [1.0])
    assert gradcheck(slightly_off, [1.0], atol=1e-2)
    assert gradcheck(slightly_off, [1.0], rtol=1e-2)


# ----------------------------------------------------------------------------- output
def test_repr_is_an_aligned_deterministic_table():
    result = gradcheck(lambda a, b: a * b, [0.5, -2.0])
    text = repr(result)
    lines = text.splitlines()
    assert lines[0].startswith("gradcheck passed: 2 of 2 inputs match")
    assert lines[1].split() == ["input", "analytic", "numeric", "abs", "error", "ok"]
    assert lines[2].split()[:3] == ["a", "-2", "-2"] and lines[2].endswith("✓")
    assert lines[3].split()[:3] == ["b", "0.5", "0.5"]
    assert len({len(line) for line in lines[1:]}) == 1  # columns aligned
    assert text == repr(gradcheck(lambda a, b: a * b, [0.5, -2.0]))
    assert "0x" not in text


def test_names_come_from_the_function_or_index():
    assert [r.name for r in gradcheck(lambda *xs: xs[0] * xs[1], [1.0, 2.0]).rows] == [
        "x[0]",
        "x[1]",
    ]
    assert [r.name for r in gradcheck(lambda w, bias: w + bias, [1.0, 2.0]).rows] == [
        "w",
        "bias",
    ]


def test_html_is_green_and_red():
    good = gradcheck(lambda a: a * a, [1.5])._repr_html_()
    bad = gradcheck(lambda a: Value(a.data) * a, [1.5])._repr_html_()
    assert "<table" in good and "#e6f4ea" in good and "#fce8e6" not in good
    assert "#fce8e6" in bad and "✗" in bad


def test_rows_are_records():
    row = gradcheck(lambda a: a * 3, [2.0]).rows[0]
    assert isinstance(row, GradcheckRow)
    assert (row.index, row.name, row.analytic, row.ok) == (0, "a", 3.0, True)
    assert row.abs_error == abs(row.analytic - row.numeric)


# ----------------------------------------------------------------------------- errors
def test_f_must_return_a_value():
    with pytest.raises(TypeError, match="must return a Value, got float"):
        gradcheck(lambda a: a.data * 2, [1.0])
    with pytest.raises(TypeError, match="must return a Value, got list"):
        gradcheck(lambda a: [a], [1.0])


def test_xs_must_be_real_numbers():
    with pytest.raises(TypeError, match="list of real numbers"):
        gradcheck(lambda a: a, 2.0)
    with pytest.raises(TypeError, match="list of real numbers"):
        gradcheck(lambda a: a, Value(2.0))
    with pytest.raises(TypeError, match=r"xs\[0\].*Value"):
        gradcheck(lambda a: a, [Value(2.0)])
    with pytest.raises(TypeError, match=r"xs\[0\].*complex"):
        gradcheck(lambda a: a, [1j])
    with pytest.raises(TypeError, match="function"):
        gradcheck(3, [1.0])


def test_round_off_sized_errors_print_the_same_on_every_machine():
    result = gradcheck(lambda a, b: a * b + a, [2.0, -3.0])
    assert result
    assert "<1e-08" in repr(result) and "<1e-08" in result._repr_html_()


def test_gradcheck_dispatches_to_the_tensor_check_for_arrays():
    import numpy as np

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    good = gradcheck(lambda x, y: (x @ y).tanh().sum(), [a, b])
    assert good
    assert all(isinstance(x, np.ndarray) for x in (a, b))

    def broken(x, y):
        out = (x @ y).tanh()
        out._backward = lambda node: None  # forgets to pass the gradient on
        return out.sum()

    assert not gradcheck(broken, [a, b])


def test_docstring_examples():
    import doctest
    import sys

    import autograd.tensor_gradcheck  # noqa: F401  (the module, not the function)

    for name in ("autograd.gradcheck", "autograd.tensor_gradcheck"):
        assert doctest.testmod(sys.modules[name]).failed == 0, name
