"""Lesson 08's checkers: each accepts the reference solution on several seeds and rejects
plausible wrong implementations, naming the failing rule and the likely mistake."""

from __future__ import annotations

import numpy as np
import pytest

from autograd.course import carry, lesson08, tensor_rules
from autograd.course.lesson08 import (
    check_tensor_add_mul,
    check_tensor_exp_log,
    check_tensor_matmul,
    check_tensor_reduce,
    check_tensor_relu,
    check_unbroadcast,
)

SEEDS = [0, 1, 2, 12345]
PIECES = ["08.unbroadcast", "08.add_mul", "08.matmul", "08.reduce", "08.relu", "08.exp_log"]


def engine(**replace):
    """The reference tensor engine (scaffold + every 08 solution), in a fresh namespace, with
    ``replace`` = {"Tensor.__add__": wrong, "unbroadcast": wrong, ...} put in its place."""
    ns = {"np": np, "__name__": "engine08"}
    exec(carry.reference_source("tensor_scaffold.py"), ns)  # noqa: S102
    for piece in PIECES:
        exec(carry.reference_source(piece), ns)  # noqa: S102
    for name, obj in replace.items():
        owner, _, attr = name.partition(".")
        if attr:
            setattr(ns[owner], attr, obj)
        else:
            ns[name] = obj
    return ns


def ub(grad, shape):
    return lesson08.reference_unbroadcast(np.asarray(grad, dtype=np.float64), shape)


def hints(report) -> str:
    return "\n".join(f.hint for f in report.failures)


# --------------------------------------------------------------------------- the reference
@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_passes_every_checker(seed):
    ns = engine()
    T = ns["Tensor"]
    assert check_unbroadcast(ns["unbroadcast"], seed=seed, save=False)
    for check in (check_tensor_add_mul, check_tensor_matmul, check_tensor_reduce,
                  check_tensor_relu, check_tensor_exp_log):  # fmt: skip
        report = check(T, seed=seed, save=False)
        assert report, f"{check.__name__} seed {seed}:\n{report}"
        assert report.seed == seed


def test_each_call_draws_fresh_cases_and_a_seed_repeats_them():
    T = engine()["Tensor"]
    a, b = check_tensor_add_mul(T, save=False), check_tensor_add_mul(T, save=False)
    assert a.seed != b.seed
    wrong = engine(**{"Tensor.__mul__": mul_own_data})["Tensor"]
    r1 = check_tensor_add_mul(wrong, seed=7, save=False)
    r2 = check_tensor_add_mul(wrong, seed=7, save=False)
    assert str(r1) == str(r2) and not r1


def test_the_engine_carried_to_lesson_09_is_the_reference_and_passes():
    T = carry.start_lesson("09").Tensor
    assert check_tensor_matmul(T, seed=3, save=False)
    assert check_tensor_reduce(T, seed=3, save=False)


# --------------------------------------------------------------------------- unbroadcast
def ub_no_keepdims(grad, shape):
    extra = grad.ndim - len(shape)
    grad = np.sum(grad, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.sum(grad, axis=stretched)


def ub_leading_only(grad, shape):
    return np.sum(grad, axis=tuple(range(grad.ndim - len(shape))))


def ub_trailing_axes(grad, shape):  # sums the extra axes on the wrong side
    grad = np.sum(grad, axis=tuple(range(len(shape), grad.ndim)))
    return np.broadcast_to(grad, shape) if grad.shape != shape else grad


def ub_mean(grad, shape):
    extra = grad.ndim - len(shape)
    grad = np.mean(grad, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.mean(grad, axis=stretched, keepdims=True)


def ub_unchanged(grad, shape):
    return grad


def ub_no_return(grad, shape):
    np.sum(grad, axis=tuple(range(grad.ndim - len(shape))))


def ub_stub(grad, shape):
    raise NotImplementedError("write unbroadcast(grad, shape)")


def ub_reshape(grad, shape):
    return grad.reshape(shape)


@pytest.mark.parametrize(
    "wrong, rule, hint",
    [
        (ub_no_keepdims, "size-1 axes", "keepdims=True"),
        (ub_leading_only, "size-1 axes", "Nothing was summed"),
        (ub_trailing_axes, "axes added on the left", ""),
        (ub_mean, "axes added on the left", "averages"),
        (ub_unchanged, "axes added on the left", "Nothing was summed"),
        (ub_no_return, "same shape", "forget `return`"),
        (ub_stub, "same shape", "complete the stub"),
        (ub_reshape, "axes added on the left", ""),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_unbroadcast_rejects(wrong, rule, hint, seed):
    report = check_unbroadcast(wrong, seed=seed, save=False)
    assert not report
    assert rule in report.failed_rules, str(report)
    assert hint in str(report), str(report)


# --------------------------------------------------------------------------- + and *
def add_assign(self, other):  # `=` instead of `+=`
    other = self._wrap(other)
    out = type(self)(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad = ub(out.grad, self.shape)
        other.grad = ub(out.grad, other.shape)

    out._backward = _backward
    return out


def add_no_unbroadcast(self, other):
    other = self._wrap(other)
    out = type(self)(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += out.grad
        other.grad += out.grad

    out._backward = _backward
    return out


def add_forgets_other(self, other):
    other = self._wrap(other)
    out = type(self)(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += ub(out.grad, self.shape)

    out._backward = _backward
    return out


def add_no_rule(self, other):
    other = self._wrap(other)
    return type(self)(self.data + other.data, (self, other), "+")


def add_cycle_free(self, other):  # the lesson-05 form: runs in the checker, not in backward()
    other = self._wrap(other)
    out = type(self)(self.data + other.data, (self, other), "+")

    def _backward(out):
        self, other = out._prev
        self.grad += ub(out.grad, self.shape)
        other.grad += ub(out.grad, other.shape)

    out._backward = _backward
    return out


def mul_own_data(self, other):
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += ub(self.data * out.grad, self.shape)
        other.grad += ub(other.data * out.grad, other.shape)

    out._backward = _backward
    return out


def mul_no_out_grad(self, other):
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += ub(other.data * np.ones_like(out.data), self.shape)
        other.grad += ub(self.data * np.ones_like(out.data), other.shape)

    out._backward = _backward
    return out


def mul_like_add(self, other):
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += ub(out.grad, self.shape)
        other.grad += ub(out.grad, other.shape)

    out._backward = _backward
    return out


def mul_no_return(self, other):
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")
    out._backward = lambda: None


def ub_sum_wrong_axes(grad, shape):  # a broken unbroadcast inside a correct + and *
    return ub_trailing_axes(grad, shape)


@pytest.mark.parametrize(
    "replace, rule, hint",
    [
        ({"Tensor.__add__": add_assign}, "add", "`self.grad += ...` (not `=`)"),
        ({"Tensor.__add__": add_no_unbroadcast}, "add with broadcasting", "unbroadcast(grad"),
        ({"Tensor.__add__": add_forgets_other}, "add", "stayed 0"),
        ({"Tensor.__add__": add_no_rule}, "add", "out._backward = _backward"),
        ({"Tensor.__add__": add_cycle_free}, "with your backward()", "def _backward():"),
        ({"Tensor.__mul__": mul_own_data}, "mul", "own data"),
        ({"Tensor.__mul__": mul_no_out_grad}, "mul", "multiply the local derivative by it"),
        ({"Tensor.__mul__": mul_like_add}, "mul", "That is the rule for +"),
        ({"Tensor.__mul__": mul_no_return}, "mul", "return out"),
        ({"unbroadcast": ub_sum_wrong_axes}, "add with broadcasting", "check_unbroadcast"),
    ],
    ids=lambda x: next(iter(x.values())).__name__ if isinstance(x, dict) else None,
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_tensor_add_mul_rejects(replace, rule, hint, seed):
    report = check_tensor_add_mul(engine(**replace)["Tensor"], seed=seed, save=False)
    assert not report
    assert rule in report.failed_rules, str(report)
    assert hint in hints(report), str(report)


def test_a_broken_mul_is_not_blamed_on_the_together_cases():
    report = check_tensor_add_mul(engine(**{"Tensor.__mul__": mul_own_data})["Tensor"], seed=0,
                                  save=False)  # fmt: skip
    assert "+ and * together" not in report.failed_rules
    assert "could not be judged" in str(report)
    assert "add" not in report.failed_rules


def mul_assign(self, other):  # `=` instead of `+=` (the Try it bullet)
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad = ub(other.data * out.grad, self.shape)
        other.grad = ub(self.data * out.grad, other.shape)

    out._backward = _backward
    return out


def mul_no_unbroadcast(self, other):
    other = self._wrap(other)
    out = type(self)(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assignment_in_mul_is_judged_in_the_together_cases_too(seed):
    """`=` in * fails only where an input is used twice: the cases with + are judged, not
    set aside, so `d = a * b + a` (the rule of + runs first, * overwrites) is reported."""
    report = check_tensor_add_mul(engine(**{"Tensor.__mul__": mul_assign})["Tensor"],
                                  seed=seed, save=False)  # fmt: skip
    assert report.failed_rules == ["mul", "+ and * together"], str(report)
    failed = [f.expression for f in report.failures]
    assert "d = a * b + a" in failed and "s = a - b; d = s * s" in failed
    assert "d = 2 - a * b" not in failed and "e = (a + b) * (a * b)" not in failed
    for f in report.failures:
        assert "The rule of `*` overwrites" in f.hint and "(not `=`)" in f.hint
    assert "could not be judged: it also uses *" in str(report)  # only your backward()


def test_assignment_in_add_is_found_where_the_rule_of_add_runs_last():
    report = check_tensor_add_mul(engine(**{"Tensor.__add__": add_assign})["Tensor"],
                                  seed=0, save=False)  # fmt: skip
    assert report.failed_rules == ["add", "+ and * together"], str(report)
    together = [f for f in report.failures if f.rule == "+ and * together"]
    assert {f.expression for f in together} == {"e = (a + b) * (a * b)"}
    assert all("The rule of `+` overwrites" in f.hint for f in report.failures)


@pytest.mark.parametrize(
    "replace, op, number",
    [({"Tensor.__add__": add_no_unbroadcast}, "add", "c = a + 2.5"),
     ({"Tensor.__mul__": mul_no_unbroadcast}, "mul", "c = a * 3.0")],
    ids=["add", "mul"],
)  # fmt: skip
@pytest.mark.parametrize("seed", [0, 1])
def test_a_number_is_a_broadcast_case_with_the_unbroadcast_hint(replace, op, number, seed):
    """A forgotten unbroadcast first breaks `a + 2.5` (2.5 is a Tensor of shape ()): it is filed
    under broadcasting, with the unbroadcast hint, not under the plain rule."""
    report = check_tensor_add_mul(engine(**replace)["Tensor"], seed=seed, save=False)
    assert report.failed_rules == [f"{op} with broadcasting"], str(report)
    numbers = [f for f in report.failures if f.expression == number]
    assert numbers and all(f.rule == f"{op} with broadcasting" for f in numbers)
    assert all("unbroadcast(grad, self.shape)" in f.hint for f in numbers), str(report)
    assert "Fix the error above" not in str(report)


def test_overwriting_rules_finds_exactly_the_rules_that_assign():
    def rules_of(T):
        a, b = T(np.ones((2, 3))), T(np.full(3, 2.0))
        return tensor_rules.overwriting_rules((a * b + a) * a)

    assert rules_of(engine()["Tensor"]) == []
    assert rules_of(engine(**{"Tensor.__mul__": mul_assign})["Tensor"]) == ["*"]
    assert rules_of(engine(**{"Tensor.__add__": add_assign})["Tensor"]) == ["+"]
    assert rules_of(engine(**{"Tensor.__mul__": mul_own_data})["Tensor"]) == []  # wrong, adds
    both = engine(**{"Tensor.__add__": add_assign, "Tensor.__mul__": mul_assign})["Tensor"]
    assert sorted(rules_of(both)) == ["*", "+"]
    assert "rules of `*` and `+` overwrite" in tensor_rules.overwrite_hint(["*", "+"])
    assert tensor_rules.overwrite_hint([]) == ""


def test_the_cycle_free_form_passes_the_rules_and_fails_only_backward():
    report = check_tensor_add_mul(engine(**{"Tensor.__add__": add_cycle_free})["Tensor"],
                                  seed=0, save=False)  # fmt: skip
    assert report.failed_rules == ["with your backward()"], str(report)


# --------------------------------------------------------------------------- @
def _matmul(rule):
    def __matmul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data @ other.data, (self, other), "@")

        def _backward():
            rule(self, other, out)

        out._backward = _backward
        return out

    __matmul__.__name__ = rule.__name__
    return __matmul__


def mm_not_transposed(a, b, out):
    a.grad += out.grad @ b.data
    b.grad += a.data @ out.grad


def mm_wrong_order(a, b, out):
    a.grad += b.data.T @ out.grad
    b.grad += out.grad @ a.data.T


def mm_assign(a, b, out):
    a.grad = out.grad @ b.data.T
    b.grad = a.data.T @ out.grad


def mm_no_out_grad(a, b, out):
    a.grad += np.ones_like(out.grad) @ b.data.T
    b.grad += a.data.T @ np.ones_like(out.grad)


def mm_swapped(a, b, out):  # each gets the other's gradient
    b.grad += out.grad @ a.data.T
    a.grad += b.data.T @ out.grad


def mm_own_data(a, b, out):
    a.grad += out.grad @ a.data.T
    b.grad += b.data.T @ out.grad


def mm_elementwise(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


@pytest.mark.parametrize(
    "rule, failed, hint",
    [
        (mm_not_transposed, "matmul", "c.grad @ b.data (not transposed)"),
        (mm_wrong_order, "matmul", "shapes of a product do not fit"),
        (mm_assign, "matmul", "`self.grad += ...` (not `=`)"),
        (mm_no_out_grad, "matmul", "multiply the local derivative by it"),
        (mm_swapped, "matmul", ""),
        (mm_own_data, "matmul", "its own data"),
        (mm_elementwise, "matmul", "shapes of a product do not fit"),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_tensor_matmul_rejects(rule, failed, hint, seed):
    T = engine(**{"Tensor.__matmul__": _matmul(rule)})["Tensor"]
    report = check_tensor_matmul(T, seed=seed, save=False)
    assert not report
    assert failed in report.failed_rules, str(report)
    assert hint in hints(report), str(report)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assignment_in_matmul_gets_the_hint_in_the_layer_case_too(seed):
    """`=` in @ also breaks `y = (x @ W) * (x @ W)` (two @ nodes write x.grad): that failure
    gets the `+=` hint, naming the rule of @."""
    T = engine(**{"Tensor.__matmul__": _matmul(mm_assign)})["Tensor"]
    report = check_tensor_matmul(T, seed=seed, save=False)
    layer = [f for f in report.failures if f.rule == "matmul in a layer"]
    assert layer and {f.expression for f in layer} == {"y = (x @ W) * (x @ W)"}, str(report)
    assert all("The rule of `@` overwrites" in f.hint for f in layer)
    assert "(not `=`)" in str(report).split("✗ matmul in a layer")[1]


def test_a_broken_add_blocks_the_layer_case_not_matmul():
    T = engine(**{"Tensor.__add__": add_no_unbroadcast})["Tensor"]
    report = check_tensor_matmul(T, seed=0, save=False)
    assert "+ and * (08.add_mul)" in report.failed_rules
    assert "matmul" not in report.failed_rules and "matmul in a layer" not in report.failed_rules
    assert "could not be judged" in str(report)


# --------------------------------------------------------------------------- sum and mean
def _reduction(op, rule):
    def method(self, axis=None, keepdims=False):
        data = getattr(self.data, op)(axis=axis, keepdims=keepdims)
        out = type(self)(data, (self,), op)

        def _backward():
            rule(self, out, axis, keepdims)

        out._backward = _backward
        return out

    method.__name__ = rule.__name__
    return method


def _back(out, axis, keepdims):
    g = out.grad
    return np.expand_dims(g, axis) if axis is not None and not keepdims else g


def sum_no_broadcast(x, out, axis, keepdims):
    x.grad += out.grad  # numpy broadcasts from the right: the wrong axis (or an error)


def sum_assign(x, out, axis, keepdims):
    x.grad = np.broadcast_to(_back(out, axis, keepdims), x.shape).copy()


def sum_ignores_keepdims(x, out, axis, keepdims):
    g = np.expand_dims(out.grad, axis) if axis is not None else out.grad
    x.grad += np.broadcast_to(g, x.shape)


def sum_no_out_grad(x, out, axis, keepdims):
    x.grad += np.ones_like(x.data)


def mean_no_division(x, out, axis, keepdims):
    x.grad += np.broadcast_to(_back(out, axis, keepdims), x.shape)


def mean_whole_size(x, out, axis, keepdims):
    x.grad += np.broadcast_to(_back(out, axis, keepdims), x.shape) / x.data.size


def mean_no_broadcast(x, out, axis, keepdims):
    x.grad += out.grad / (x.data.size // out.data.size)


@pytest.mark.parametrize(
    "op, rule, failed, hint",
    [
        ("sum", sum_no_broadcast, "sum", "np.expand_dims(out.grad, axis)"),
        ("sum", sum_assign, "sum", ""),
        ("sum", sum_ignores_keepdims, "sum", ""),
        ("sum", sum_no_out_grad, "sum", "multiply the local derivative by it"),
        ("mean", mean_no_division, "mean", "gradient of the sum"),
        ("mean", mean_whole_size, "mean", "size of the whole array"),
        ("mean", mean_no_broadcast, "mean", "wrong axis"),
    ],
    ids=lambda x: getattr(x, "__name__", x if isinstance(x, str) else None),
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_tensor_reduce_rejects(op, rule, failed, hint, seed):
    T = engine(**{f"Tensor.{op}": _reduction(op, rule)})["Tensor"]
    report = check_tensor_reduce(T, seed=seed, save=False)
    assert not report
    assert failed in report.failed_rules, str(report)
    assert hint in hints(report), str(report)


# --------------------------------------------------------------------------- relu, exp, log
def _unary(op, forward, rule):
    def method(self):
        out = type(self)(forward(self.data), (self,), op)

        def _backward():
            rule(self, out)

        out._backward = _backward
        return out

    method.__name__ = rule.__name__
    return method


def relu_passes_all(x, out):
    x.grad += out.grad


def relu_times_output(x, out):
    x.grad += out.data * out.grad


def relu_mask_from_grad(x, out):
    x.grad += (out.grad > 0) * out.grad


def relu_mask_reversed(x, out):
    x.grad += (x.data < 0) * out.grad


def relu_assign(x, out):
    x.grad = (x.data > 0) * out.grad


def relu_no_out_grad(x, out):
    x.grad += (x.data > 0) * 1.0


def relu_ok(x, out):
    x.grad += (x.data > 0) * out.grad


def relu_forward(x):
    return np.maximum(x, 0.0)


@pytest.mark.parametrize(
    "forward, rule, failed, hint",
    [
        (relu_forward, relu_passes_all, "relu", "also where the input was negative"),
        (relu_forward, relu_times_output, "relu", "relu(x) itself"),
        (relu_forward, relu_mask_from_grad, "relu", "not from out.grad"),
        (relu_forward, relu_mask_reversed, "relu", "wrong way round"),
        (relu_forward, relu_assign, "relu", ""),
        (relu_forward, relu_no_out_grad, "relu", "multiply the local derivative by it"),
        (np.abs, relu_ok, "relu", "forward value is wrong"),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_tensor_relu_rejects(forward, rule, failed, hint, seed):
    T = engine(**{"Tensor.relu": _unary("relu", forward, rule)})["Tensor"]
    report = check_tensor_relu(T, seed=seed, save=False)
    assert not report
    assert failed in report.failed_rules, str(report)
    assert hint in hints(report), str(report)


def exp_times_input(x, out):
    x.grad += x.data * out.grad


def exp_no_derivative(x, out):
    x.grad += out.grad


def exp_no_out_grad(x, out):
    x.grad += out.data


def log_times_input(x, out):
    x.grad += x.data * out.grad


def log_divides_by_output(x, out):
    x.grad += out.grad / out.data


def log_assign(x, out):
    x.grad = out.grad / x.data


def log_log(x, out):
    x.grad += np.log(x.data) * out.grad


@pytest.mark.parametrize(
    "op, forward, rule, hint",
    [
        ("exp", np.exp, exp_times_input, "exp(x) itself"),
        ("exp", np.exp, exp_no_derivative, "local derivative is missing"),
        ("exp", np.exp, exp_no_out_grad, "multiply the local derivative by it"),
        ("log", np.log, log_times_input, "You multiplied by x"),
        ("log", np.log, log_divides_by_output, "not by log(x)"),
        ("log", np.log, log_assign, "(not `=`)"),
        ("log", np.log, log_log, "That is log(x)"),
    ],
    ids=lambda x: getattr(x, "__name__", x if isinstance(x, str) else None),
)
@pytest.mark.parametrize("seed", [0, 1])
def test_check_tensor_exp_log_rejects(op, forward, rule, hint, seed):
    T = engine(**{f"Tensor.{op}": _unary(op, forward, rule)})["Tensor"]
    report = check_tensor_exp_log(T, seed=seed, save=False)
    assert not report
    assert op in report.failed_rules, str(report)
    assert hint in hints(report), str(report)


# --------------------------------------------------------------------------- the stubs
def test_the_lesson_stubs_are_not_yet():
    ns = {"np": np}
    exec(carry.reference_source("tensor_scaffold.py"), ns)  # noqa: S102
    T = ns["Tensor"]

    def stub(*args, **kwargs):
        raise NotImplementedError("write it")

    for name in ("__add__", "__mul__", "__matmul__", "sum", "mean", "relu", "exp", "log"):
        setattr(T, name, stub)
    for check in (check_tensor_add_mul, check_tensor_matmul, check_tensor_reduce,
                  check_tensor_relu, check_tensor_exp_log):  # fmt: skip
        report = check(T, seed=0, save=False)
        assert not report and "complete the stub" in str(report)
    assert repr(check_tensor_add_mul(T, seed=0, save=False)).startswith("✗")


# --------------------------------------------------------------------------- tensor_rules
def test_numerical_vjp_matches_the_jacobian():
    rng = np.random.default_rng(0)
    x = tensor_rules.random_array(rng, (3, 2))
    v = tensor_rules.random_array(rng, (2,))
    f = lambda a: np.tanh(a).sum(axis=0)  # noqa: E731
    J = tensor_rules.numerical_jacobian(f, x)
    assert J.shape == (2, 6)
    (vjp,) = tensor_rules.numerical_vjp(f, [x], v)
    assert np.allclose(v @ J, vjp.ravel(), atol=1e-8)
    assert np.allclose(vjp, v * (1 - np.tanh(x) ** 2), atol=1e-8)


def test_broadcast_pairs_broadcast_and_stretch_something():
    rng = np.random.default_rng(0)
    for _ in range(200):
        a, b = tensor_rules.broadcast_pair(rng)
        out = np.broadcast_shapes(a, b)
        assert a != out or b != out


def test_mismatch_names_the_first_wrong_element():
    text = tensor_rules.mismatch("a.grad", np.array([1.0, 2.0]), np.array([1.0, 3.0]))
    assert "index (1,)" in text and "expected 3" in text and "got 2" in text
    assert "got shape (3,)" in tensor_rules.mismatch("a.grad", np.zeros(3), np.zeros((1, 3)))


# --------------------------------------------------------------------------- pictures
def _layer_graph(T, **kw):
    rng = np.random.default_rng(0)
    x = T(rng.normal(size=(4, 3)).round(1), label="x")
    W = T(rng.normal(size=(3, 2)).round(1), label="W", **kw)
    b = T([0.5, -0.5], label="b", **kw)
    xW = x @ W
    xW.label = "xW"
    z = xW + b
    z.label = "z"
    loss = z.relu().mean()
    loss.label = "loss"
    return loss, x, W, b


def test_animate_and_draw_the_learners_tensor():
    from autograd import animate_backward, draw_dot

    T = engine()["Tensor"]
    loss, x, W, b = _layer_graph(T)
    loss.backward()
    want = [x.grad.copy(), W.grad.copy(), b.grad.copy()]
    x.grad = np.full_like(x.data, 7.0)  # animate_backward starts from zeros, like backward()
    anim = animate_backward(loss, params=[W, b])
    assert len(anim) == 2 + 4
    for got, expected in zip([x.grad, W.grad, b.grad], want, strict=True):
        assert np.allclose(got, expected)
    assert "every grad is 0" in anim.steps[0].caption
    assert "shape (3, 2)" in draw_dot(loss, params=[W, b]).text()


def test_tensor_captions_show_the_rule_with_shapes_and_numbers():
    from autograd import Tensor, animate_backward

    for T, kw in ((engine()["Tensor"], {}), (Tensor, {"requires_grad": True})):
        loss, x, W, b = _layer_graph(T, **kw)
        captions = {s.op: s.caption for s in animate_backward(loss).steps[2:]}
        add, matmul = captions["+"], captions["@"]
        assert "z = xW + b    (shapes (4, 2) + (2,) → (4, 2)" in add
        assert "b.grad += unbroadcast(z.grad, (2,)) = [" in add
        assert "(4, 2) summed over axis 0 to (2,)" in add
        assert "W.grad += x.T @ xW.grad" in matmul and "(3, 4) @ (4, 2) → (3, 2)" in matmul
        assert "loss.grad / 8" in captions["mean"]
        assert "(z > 0) · " in captions["relu"] and "entries" in captions["relu"]
        assert "runs its local rule" not in "".join(captions.values())
    assert "x: needs no gradient" in matmul  # the package's data tensor
