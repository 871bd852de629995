"""Numbers at the edges: ``Value`` and ``Tensor`` follow one policy, and agree on it.

The policy (the README's table "Numbers at the edges", and the docstrings of
``autograd.engine`` and ``autograd.tensor``), in short: nan in, nan out, never the reason for
an error; infinities follow IEEE 754; out of the domain raises, naming the value; ``exp`` and
``**`` of finite numbers that overflow raise ``OverflowError``, ``+ - * /`` overflow to inf; a
float32 tensor computes with float32 numbers (a plain number meeting it is rounded first).

Hypothesis feeds both engines the same edge inputs (0 and -0, ±inf, nan, negatives, huge
and tiny magnitudes, subnormals, float32 and float64) through every op they share. The
**reference** is the scalar ``Value`` run on the numbers the tensor really holds (rounded to
its dtype); its result, rounded to the dtype, is what the tensor must produce: the same
error, or the same number and gradients (nan for nan, the same infinities). Where float32
is narrower than the float64 reference, the policy says what changes: an ``exp`` or ``**``
whose result does not fit in float32 raises ``OverflowError``, and a number too large for
float32 raises ``OverflowError`` when it meets the tensor.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd.engine import Value
from autograd.tensor import Tensor

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
nan, inf = math.nan, math.inf

# numpy's RuntimeWarnings (overflow in a product, ...) are expected at these edges
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

EDGES = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 10.0,
    inf, -inf, nan,
    1e-300, -1e-300, 5e-324, 1e-40, 1e-45, 1e-30, 3e-39,
    1e30, -1e30, 1e300, -1e300, 1.7e308, 3.4e38, 3.5e38,
    88.0, 89.0, -104.0, 709.0, 710.0, -750.0, 20.0, -20.0,
]  # fmt: skip
NUMBERS = st.one_of(
    st.sampled_from(EDGES),
    st.floats(allow_nan=True, allow_infinity=True),  # anything, subnormals included
    st.floats(-5.0, 5.0),
)
DTYPES = [np.float64, np.float32]
EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 1 / 3, 400, -400, 0.001, 7.0, inf, -inf, nan]
ERRORS = (ValueError, ZeroDivisionError, OverflowError)


# ---------------------------------------------------------------------------- outcomes
@dataclass(frozen=True)
class Outcome:
    """What an engine did: raised ``error`` (in the forward or the backward pass), or
    computed ``data`` and the ``grads`` of the inputs."""

    error: type | None = None
    when: str = ""
    data: float | None = None
    grads: tuple[float, ...] = ()

    def __repr__(self) -> str:
        if self.error:
            return f"raises {self.error.__name__} in {self.when}"
        return f"data {self.data!r}, grads {self.grads!r}"


def run_value(f: Callable[..., Value], xs: list[float]) -> Outcome:
    leaves = [Value(x) for x in xs]
    try:
        out = f(*leaves)
    except ERRORS as err:
        return Outcome(type(err), "forward")
    try:
        out.backward()
    except ERRORS as err:
        return Outcome(type(err), "backward")
    return Outcome(data=out.data, grads=tuple(leaf.grad for leaf in leaves))


def run_tensor(f: Callable[..., Tensor], xs: list[float], dtype: type) -> Outcome:
    leaves = [Tensor(np.array([x], dtype=dtype), requires_grad=True) for x in xs]
    try:
        out = f(*leaves)
    except ERRORS as err:
        return Outcome(type(err), "forward")
    assert out.dtype == dtype, f"{dtype.__name__} in, {out.dtype} out"
    try:
        out.sum().backward()
    except ERRORS as err:
        return Outcome(type(err), "backward")
    grads = tuple(float(leaf.grad[0]) if leaf.grad is not None else 0.0 for leaf in leaves)
    return Outcome(data=float(out.data[0]), grads=grads)


def in_dtype(x: float, dtype: type) -> float:
    """``x`` as the tensor holds it: rounded to ``dtype`` (float32 overflows to inf)."""
    with np.errstate(over="ignore"):
        return float(dtype(x))


def near_the_top(x: float | None, dtype: type) -> bool:
    """Too close to the dtype's largest number for the engines to agree on inf or not."""
    if x is None or not math.isfinite(x):
        return False
    top = float(np.finfo(dtype).max)
    return top * (1 - 1e-5) <= abs(x) <= top * (1 + 1e-5)


def close(tensor: float, reference: float, dtype: type) -> bool:
    """Equal as the policy means it: nan and nan, the same infinity, or within rounding."""
    if math.isnan(reference) or math.isnan(tensor):
        return math.isnan(reference) and math.isnan(tensor)
    if math.isinf(reference) or math.isinf(tensor):
        return tensor == reference
    eps = float(np.finfo(dtype).eps)
    rtol = 1e-12 if dtype is np.float64 else 1e-5
    return abs(tensor - reference) <= rtol * max(abs(tensor), abs(reference)) + 8 * eps


def expected_tensor_outcome(
    reference: Outcome, inputs: list[float], dtype: type, overflow_raises: bool
) -> Outcome | None:
    """The reference rounded to ``dtype``, or None where the two may honestly differ."""
    if reference.error:
        return reference
    if near_the_top(reference.data, dtype) or any(near_the_top(g, dtype) for g in reference.grads):
        return None
    data = in_dtype(reference.data, dtype)
    if overflow_raises and math.isinf(data) and not math.isinf(reference.data):
        if all(math.isfinite(x) for x in inputs):  # finite in, too large for the dtype out
            return Outcome(OverflowError, "forward")
    return Outcome(data=data, grads=tuple(in_dtype(g, dtype) for g in reference.grads))


def assert_agree(tensor: Outcome, expected: Outcome | None, dtype: type) -> None:
    if expected is None:
        return
    if expected.error or tensor.error:
        assert (tensor.error, tensor.when) == (expected.error, expected.when), (tensor, expected)
        return
    assert close(tensor.data, expected.data, dtype), (tensor, expected)
    for got, want in zip(tensor.grads, expected.grads, strict=True):
        assert close(got, want, dtype), (tensor, expected)


# ---------------------------------------------------------------------------- the ops
UNARY: dict[str, Callable] = {
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "relu": lambda a: a.relu(),
    "sigmoid": lambda a: a.sigmoid(),
    "neg": lambda a: -a,
}
BINARY: dict[str, Callable] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
OVERFLOW_RAISES = {"exp", "**"}  # the ops whose overflow is an error, not an inf


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("op", list(UNARY))
@PROPERTY
@given(x=NUMBERS)
def test_functions_agree_with_value_on_edge_inputs(op, dtype, x):
    x = in_dtype(x, dtype)
    f = UNARY[op]
    expected = expected_tensor_outcome(run_value(f, [x]), [x], dtype, op in OVERFLOW_RAISES)
    assert_agree(run_tensor(f, [x], dtype), expected, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("n", EXPONENTS, ids=str)
@PROPERTY
@given(x=NUMBERS)
def test_powers_agree_with_value_on_edge_inputs(n, dtype, x):
    x = in_dtype(x, dtype)
    expected = expected_tensor_outcome(
        run_value(lambda a: a**n, [x]), [x, n], dtype, overflow_raises=True
    )
    assert_agree(run_tensor(lambda a: a**n, [x], dtype), expected, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("op", list(BINARY))
@PROPERTY
@given(a=NUMBERS, b=NUMBERS)
def test_arithmetic_agrees_with_value_on_edge_inputs(op, dtype, a, b):
    a, b = in_dtype(a, dtype), in_dtype(b, dtype)
    f = BINARY[op]
    expected = expected_tensor_outcome(run_value(f, [a, b]), [a, b], dtype, False)
    assert_agree(run_tensor(f, [a, b], dtype), expected, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("op", list(BINARY))
@PROPERTY
@given(x=NUMBERS, c=NUMBERS, number_first=st.booleans())
def test_a_plain_number_meets_both_engines_alike(op, dtype, x, c, number_first):
    """``x op c`` and ``c op x``: the tensor rounds ``c`` to its dtype first (numpy's rule)."""
    x = in_dtype(x, dtype)
    f = BINARY[op]

    def with_number(number: float) -> Callable:
        return (lambda a: f(number, a)) if number_first else (lambda a: f(a, number))

    tensor = run_tensor(with_number(c), [x], dtype)
    c_held = in_dtype(c, dtype)
    if math.isinf(c_held) and math.isfinite(c):  # too large for float32: refused
        assert (tensor.error, tensor.when) == (OverflowError, "forward"), tensor
        return
    reference = run_value(with_number(c_held), [x])
    assert_agree(tensor, expected_tensor_outcome(reference, [x, c_held], dtype, False), dtype)


# ---------------------------------------------------------------------------- arrays
ELEMENTWISE = {
    **UNARY,
    "** 0.5": lambda a: a**0.5,
    "** -1": lambda a: a**-1,
    "** 0": lambda a: a**0,
}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("op", list(ELEMENTWISE))
@PROPERTY
@given(xs=st.lists(NUMBERS, min_size=1, max_size=6))
def test_a_tensor_does_what_value_does_on_each_element(op, dtype, xs):
    """An array raises iff some element would (a nan elsewhere does not hide it), and
    otherwise holds the one-element results, element by element."""
    xs = [in_dtype(x, dtype) for x in xs]
    f = ELEMENTWISE[op]
    singles = [run_tensor(f, [x], dtype) for x in xs]
    t = Tensor(np.array(xs, dtype=dtype), requires_grad=True)
    try:
        out = f(t)
        out.sum().backward()
    except ERRORS as err:
        assert type(err) in {s.error for s in singles}, (err, singles)
        return
    assert not any(s.error for s in singles), singles
    for i, single in enumerate(singles):
        assert close(float(out.data[i]), single.data, dtype), (i, out.data, singles)
        assert close(float(t.grad[i]), single.grads[0], dtype), (i, t.grad, singles)


# ---------------------------------------------------------------------------- the policy itself
@pytest.mark.parametrize("engine", ["Value", "Tensor"])
@pytest.mark.parametrize("op", [*UNARY, "** 0.5", "** -1", "** 3", "+ 1", "* 0"])
def test_nan_in_nan_out_never_an_error_and_never_swallowed(engine, op):
    f = {
        **UNARY,
        "** 0.5": lambda a: a**0.5,
        "** -1": lambda a: a**-1,
        "** 3": lambda a: a**3,
        "+ 1": lambda a: a + 1,
        "* 0": lambda a: a * 0,
    }[op]
    outcome = run_value(f, [nan]) if engine == "Value" else run_tensor(f, [nan], np.float64)
    assert outcome.error is None, outcome
    assert math.isnan(outcome.data), outcome
    # the slope at a nan is nan, except where it does not depend on x at all
    slope = {"neg": -1.0, "+ 1": 1.0, "* 0": 0.0}.get(op, nan)
    assert close(outcome.grads[0], slope, np.float64), outcome


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_ieee_keeps_its_own_exceptions_for_nan_powers(engine):
    run = run_value if engine == "Value" else (lambda f, xs: run_tensor(f, xs, np.float64))
    assert run(lambda a: a**0, [nan]) == Outcome(data=1.0, grads=(0.0,))  # x**0 = 1: a constant
    one_to_nan = run(lambda a: a**nan, [1.0])
    assert one_to_nan.data == 1.0 and math.isnan(one_to_nan.grads[0])


@PROPERTY
@given(x=NUMBERS)
def test_out_of_domain_raises_naming_the_value_in_both_engines(x):
    assume(not math.isnan(x) and x <= 0)
    with pytest.raises(ValueError, match=re.escape(f"log needs a positive input, got {x!r}")):
        Value(x).log()
    with pytest.raises(ValueError, match=re.escape(f"the first {x!r} at index (1,)")):
        Tensor([nan, x, 2.0]).log()  # the nan does not hide it


@PROPERTY
@given(x=NUMBERS)
def test_exp_overflow_raises_exactly_when_a_finite_input_has_no_finite_result(x):
    limit = math.log(np.finfo(np.float64).max)
    assume(not abs(x - limit) < 1e-9)  # right at the edge, the last bit decides
    overflows = math.isfinite(x) and x > limit
    for run in (lambda: Value(x).exp().data, lambda: Tensor([nan, x]).exp().data[1]):
        if overflows:
            with pytest.raises(OverflowError, match="too large|overflows"):
                run()
        else:
            result = run()
            assert close(result, math.exp(x), np.float64), (x, result)


# ---------------------------------------------------------------------------- the cases
def test_x_to_the_zero_has_slope_zero_everywhere():
    t = Tensor([0.0, 1.0], requires_grad=True)
    (t**0).sum().backward()
    assert t.grad.tolist() == [0.0, 0.0]  # Value and PyTorch agree; it used to be [nan, 0]


@pytest.mark.parametrize(
    "engine", [Value, lambda x: Tensor([x, 1.0], requires_grad=True)], ids=["Value", "Tensor"]
)
def test_an_infinite_slope_raises_whatever_gradient_arrives(engine):
    out = engine(0.0) ** 0.5 * 0  # the incoming gradient is 0, and 0 * inf would be nan
    with pytest.raises(ZeroDivisionError, match=r"slope of x\*\*0.5 at x = 0 is infinite"):
        (out if isinstance(out, Value) else out.sum()).backward()


@pytest.mark.parametrize(
    "f, error, message",
    [
        (lambda: Tensor([nan, -1.0]).log(), ValueError, r"the first -1.0 at index \(1,\)"),
        (lambda: Tensor([nan, 1000.0]).exp(), OverflowError, r"the first 1000.0 at index \(1,\)"),
        (lambda: Tensor([nan, -8.0]) ** 0.5, ValueError, r"the first -8.0 at index \(1,\)"),
        (lambda: Tensor([10.0]) ** 400, OverflowError, "overflows float64"),
        (lambda: Value(10.0) ** 400, OverflowError, r"10.0 \*\* 400.0 is too large"),
        (lambda: Value(1e3).exp(), OverflowError, r"exp\(1000.0\) is too large"),
        (lambda: Tensor(10**400), OverflowError, "int of 401 digits is too large for a float"),
        (lambda: Value(10**400), OverflowError, "int of 401 digits is too large for a float"),
        (lambda: Tensor([1.0]) * 10**400, OverflowError, "int of 401 digits is too large"),
        (
            lambda: Tensor(np.float32([1.0])) / 1e-50,
            ZeroDivisionError,
            "the divisor 1e-50 is 0 in float32.*rounds to 0",
        ),
        (
            lambda: Tensor(np.float32([1.0])) * 1e39,
            OverflowError,
            "1e\\+39 is too large for float32",
        ),
        (lambda: Tensor([[1.0]]).sum(axis=0, keepdims="no"), TypeError, "sum: keepdims must be"),
        (lambda: Tensor([[1.0]]).mean(keepdims=None), TypeError, "mean: keepdims must be"),
        (lambda: Tensor([[1.0]]).max(keepdims=1), TypeError, "max: keepdims must be"),
    ],
)
def test_clear_errors(f, error, message):
    with pytest.raises(error, match=message):
        f()


def test_infinities_are_not_overflows():
    assert Value(inf).exp().data == inf and Value(-inf).exp().data == 0.0
    assert Tensor([inf, -inf]).exp().data.tolist() == [inf, 0.0]
    assert (Value(inf) ** 2).data == inf and (Tensor([inf]) ** 2).data.tolist() == [inf]
    assert (Value(2.0) ** inf).data == inf and (Tensor([2.0]) ** inf).data.tolist() == [inf]


def test_relu_keeps_a_nan_in_both_engines():
    v = Value(nan)
    out = v.relu()
    out.backward()
    assert math.isnan(out.data) and math.isnan(v.grad)  # it used to return 0 with slope 0
    t = Tensor([nan, 2.0, -2.0], requires_grad=True)
    y = t.relu()
    y.sum().backward()
    assert np.isnan(y.data[0]) and y.data[1:].tolist() == [2.0, 0.0]
    assert np.isnan(t.grad[0]) and t.grad[1:].tolist() == [1.0, 0.0]


def test_a_nan_max_sends_its_gradient_to_the_nan():
    t = Tensor([[1.0, nan, 3.0], [4.0, 6.0, 5.0]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0/0 along the way
        m = t.max(axis=1)
        m.sum().backward()
    assert np.isnan(m.data[0]) and m.data[1] == 6.0
    assert t.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]


@pytest.mark.parametrize("overflowing", [1e39, -1e39, 2**200])
def test_a_number_too_large_for_float32_is_refused_not_made_infinite(overflowing):
    x = Tensor(np.float32([1e-10]))
    with pytest.raises(OverflowError, match="too large for float32"):
        x * overflowing
    assert (x * 3e38).dtype == np.float32  # the largest float32 numbers are fine


# ---------------------------------------------------------------------------- bool and numpy
def test_bool_of_a_tensor_is_numpys():
    assert bool(Tensor([2.0])) and not bool(Tensor(0.0)) and bool(Tensor([[nan]]))
    for t in (Tensor([1.0, 2.0]), Tensor(np.zeros((0,))), Tensor(np.ones((2, 2)))):
        with pytest.raises(ValueError, match=r"truth value of a Tensor .* is ambiguous"):
            bool(t)
    with pytest.raises(ValueError, match="ambiguous"):
        if Tensor([1.0, 2.0]):  # `if t:` asks bool(t)
            pass


@pytest.mark.parametrize(
    "f",
    [
        lambda v, arr: arr * v,
        lambda v, arr: v * arr,
        lambda v, arr: arr + v,
        lambda v, arr: v - arr,
        lambda v, arr: arr / v,
        lambda v, arr: v**arr,
        lambda v, arr: np.float64(2.0) * v * arr,
    ],
)
@pytest.mark.parametrize("arr", [np.array([1.0, 2.0]), np.array(2.0)], ids=["1-d", "0-d"])
def test_a_numpy_array_meeting_a_value_is_a_clear_type_error(f, arr):
    with pytest.raises(TypeError, match=r"Value and a numpy array .*use autograd.Tensor"):
        f(Value(3.0), arr)


def test_numpy_scalars_are_numbers_for_a_value_on_either_side():
    v = Value(3.0)
    for number in (np.float64(2.0), np.float32(2.0), np.int64(2)):
        assert (number * v).data == 6.0 and (v * number).data == 6.0
        assert (number - v).data == -1.0 and (number / v).data == pytest.approx(2 / 3)
    with pytest.raises(TypeError, match="does not support ufuncs"):
        np.exp(v)  # use v.exp()
