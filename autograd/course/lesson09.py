"""Lesson 09 · Real digits: the checkers of the last pieces of the learner's tensor engine.

With them, the learner's own ``Tensor`` (lesson 08) trains a digit classifier. The exercises,
in order (all ``chain="tensor"``, so lesson 10 starts from them):

=======================  ==================================  ==================================
id                       checker                             provides
=======================  ==================================  ==================================
``09.log_softmax``       ``check_log_softmax(Tensor)``       ``Tensor.log_softmax(axis=-1)``
``09.cross_entropy``     ``check_cross_entropy(fn)``         ``cross_entropy(logits, targets)``,
                                                             one node, backward (p − onehot)/N
``09.linear``            ``check_linear(Linear)``            ``Linear(n_in, n_out, rng)``,
                                                             ``__call__``, ``parameters()``
``09.sgd``               ``check_sgd(SGD)``                  ``SGD(params, lr)``, ``step()``,
                                                             ``zero_grad()``
=======================  ==================================  ==================================

The learner's ``Tensor`` is found in the globals of what they wrote (the notebook's
``Tensor``, or the engine namespace when a later lesson re-checks saved code); pass it as the
second argument to override.

How they decide: fresh random shapes and numbers on every call (``seed`` repeats a run); the
backward rules are run by the checker itself in reverse topological order (either rule form)
with a random gradient arriving at the output, and the inputs' gradients are compared with
float64 central differences of plain numpy code (:func:`~autograd.course.tensor_rules.
numerical_vjp`), never with the learner's own code. Layers and optimizers are judged by what
they do: shapes, the output of ``x @ W + b``, the update ``p - lr * grad``, a few steps of
descent on a known bowl.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("09")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("09")``).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import numpy as np

from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, error_failure
from .study import Study
from .tensor_rules import (
    allclose,
    check_own_backward,
    format_array,
    mismatch,
    new_seed,
    numerical_vjp,
    random_array,
    sweep,
    tensor_case,
)

__all__ = ["check_cross_entropy", "check_linear", "check_log_softmax", "check_sgd"]

EXERCISES = [
    Exercise("09.log_softmax", "Tensor log_softmax", "check_log_softmax", chain="tensor",
             provides=("Tensor.log_softmax",)),
    Exercise("09.cross_entropy", "cross-entropy", "check_cross_entropy", chain="tensor",
             provides=("cross_entropy",)),
    Exercise("09.linear", "Linear layer", "check_linear", chain="tensor", provides=("Linear",)),
    Exercise("09.sgd", "SGD optimizer", "check_sgd", chain="tensor", provides=("SGD",)),
]  # fmt: skip

BIG = 1000.0  # "large scores": exp(1000) overflows float64 (its limit is about exp(709))
_BIG_ATOL = 1e-5  # central differences of a loss in the thousands carry ~1e-7 of rounding

_OVERFLOW_HINT = (
    "exp() of a large score overflows (exp(710) is already inf in float64). Subtract each "
    "row's largest score first: softmax(s - m) = softmax(s), and then every exponent is <= 0."
)


def _one_max_hint(axis_text: str) -> str:
    return (
        "log(0): one max for the whole array is not enough. A row whose scores all lie far "
        "below that max has every exp() underflow to 0, and log(0) = -inf. Subtract each "
        f"row's own largest score, max({axis_text}, keepdims=True): then every row has an "
        "exp(0) = 1, and its sum is at least 1."
    )


# scores where only a per-row max is safe: no shift overflows (exp(1000)); one max for the
# whole array (1000) leaves the second row at about -1000, whose exps all underflow to 0
_PROBE = np.array([[1000.0, 999.0, 990.0], [0.0, 1.0, -1.0]])


def _stability_hint(exc: FloatingPointError, probe: Callable[[np.ndarray], Any],
                    axis_text: str) -> str:  # fmt: skip
    """The hint for a float error on large scores: run the learner's code on ``_PROBE`` to
    tell "no max subtracted" (exp overflows) from "one max for the whole array" (a row
    underflows, then log(0))."""
    try:
        with strict_floats():
            result = probe(_PROBE.copy())
        data = getattr(result, "data", result)
    except FloatingPointError as again:
        message = str(again)
    except Exception:
        message = str(exc)
    else:
        message = str(exc) if _finite(data) else "divide by zero"
    if "divide" in message or ("log" in message and "overflow" not in message):
        return _one_max_hint(axis_text)
    if "divide" in str(exc):  # no max at all: here a very negative row underflowed first
        return (
            "log(0): with no max subtracted, a row of very negative scores has every exp() "
            "underflow to 0, and large scores overflow (exp(710) is already inf). Subtract each "
            f"row's largest score first, max({axis_text}, keepdims=True): softmax(s - m) = "
            "softmax(s), every exponent is then <= 0 and each row's sum at least 1."
        )
    return _OVERFLOW_HINT


# --------------------------------------------------------------------------- helpers
def find_tensor(obj: Any, given: type | None, checker: str) -> type:
    """The learner's Tensor class: ``given``, else the ``Tensor`` in the globals of ``obj``'s
    code (the notebook's, or the engine namespace a later lesson built)."""
    if given is not None:
        if not isinstance(given, type):
            raise TypeError(f"{checker}: the Tensor argument must be your class, got {given!r}")
        return given
    functions = [obj]
    if isinstance(obj, type):
        functions = [getattr(v, "__func__", v) for v in vars(obj).values()]
    for f in functions:
        found = getattr(f, "__globals__", {}).get("Tensor")
        if isinstance(found, type):
            return found
    raise TypeError(
        f"{checker} could not find your Tensor class next to {getattr(obj, '__name__', obj)!r}: "
        f"pass it too, e.g. {checker}({getattr(obj, '__name__', 'obj')}, Tensor)"
    )


@contextlib.contextmanager
def strict_floats() -> Iterator[None]:
    """Overflow and invalid operations raise ``FloatingPointError`` instead of warning (so a
    learner's unstable code is reported, and nothing is printed to stderr)."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield


def is_tensor(x: Any) -> bool:
    return hasattr(x, "data") and hasattr(x, "_prev") and hasattr(x, "grad")


class _Join:
    """A pretend output node over several outputs, each receiving its own gradient: lets the
    checker backpropagate two uses of one input at once without the learner's ``+``."""

    def __init__(self, parts: tuple[Any, ...], grads: tuple[np.ndarray, ...]) -> None:
        self._prev = parts
        self._op = "join"
        self.data = np.zeros(())
        self.grad = np.zeros(())
        self.label = ""

        def _backward() -> None:
            for p, g in zip(parts, grads, strict=True):
                p.grad = p.grad + g

        self._backward = _backward


def _close(got: Any, expected: np.ndarray, big: bool) -> bool:
    return allclose(got, expected, atol=_BIG_ATOL if big else 1e-6)


def _finite(x: Any) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(x, dtype=np.float64))))
    except (TypeError, ValueError):
        return False


def _shaped(got: Any, expected: np.ndarray) -> np.ndarray | None:
    """``got`` as an array of ``expected``'s shape, or None."""
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr if arr.shape == expected.shape else None


def _matches(got: np.ndarray | None, other: np.ndarray, big: bool = False) -> bool:
    return got is not None and _close(got, other, big)


# --------------------------------------------------------------------------- log_softmax
def ref_log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax on plain numpy, computed stably."""
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _other_axes(ndim: int, axis: int) -> list[int | None]:
    mine = axis % ndim
    return [a for a in range(ndim) if a != mine] + ([None] if ndim > 1 else [])


def _log_softmax_any(x: np.ndarray, axis: int | None) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _one_max_log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    """log softmax with ONE max subtracted for the whole array (a common slip): right in
    exact arithmetic, but a row far below the max underflows into inexact tiny numbers."""
    with np.errstate(all="ignore"):
        shifted = x - x.max()
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _diagnose_log_softmax_forward(x: np.ndarray, axis: int, got: np.ndarray | None) -> str:
    if got is None:
        return ""
    if not _finite(got):
        return _OVERFLOW_HINT
    if _matches(got, _one_max_log_softmax(x, axis)) and not _matches(got, ref_log_softmax(x, axis)):
        return _one_max_hint("axis=axis")
    for other in _other_axes(x.ndim, axis):
        if _matches(got, _log_softmax_any(x, other)):
            where = "all the numbers at once" if other is None else f"axis {other}"
            return (
                f"These are log-probabilities over {where}; the softmax runs along `axis` "
                f"(here {axis}): use `axis=axis, keepdims=True` in max and sum."
            )
    p = np.exp(ref_log_softmax(x, axis))
    if _matches(got, p):
        return (
            "That is the softmax itself; log_softmax is "
            "its logarithm: s - m - log(sum(exp(s - m)))."
        )
    if _matches(got, -ref_log_softmax(x, axis)):
        return "The sign is flipped: log p is <= 0 (p <= 1)."
    return "log softmax(s) = s - log(sum(exp(s))) along the axis: s - m - log(sum(exp(s - m)))."


def _diagnose_log_softmax_backward(
    x: np.ndarray, axis: int, v: np.ndarray, got: np.ndarray | None, expected: np.ndarray
) -> str:
    if got is None:
        return ""
    if np.allclose(got, 0.0):
        return (
            "The gradient stayed 0: set `out._backward = _backward`, give the new Tensor "
            "`(self,)` as its inputs, and add into `self.grad` in the rule."
        )
    p = np.exp(ref_log_softmax(x, axis))
    s = v.sum(axis=axis, keepdims=True)
    if _matches(got, v):
        return (
            "Only the first term: the gradient is out.grad "
            "- p * (the sum of out.grad along the axis)."
        )
    if _matches(got, v - p * v):
        return (
            "The second term needs the *sum* of out.grad along the axis (every log p_i depends "
            "on every score): out.grad - p * out.grad.sum(axis=axis, keepdims=True)."
        )
    if _matches(got, -expected):
        return (
            "The sign is flipped: the gradient is out.grad "
            "- p * (sum of out.grad), not the reverse."
        )
    ones = np.ones_like(v)
    if _matches(got, ones - p * ones.sum(axis=axis, keepdims=True)):
        return "You used a gradient of ones: multiply by what arrives, out.grad (the chain rule)."
    if _matches(got, v - s):
        return "The softmax p is missing from the second term: out.grad - p * sum(out.grad)."
    for other in _other_axes(x.ndim, axis):
        po = np.exp(_log_softmax_any(x, other))
        if _matches(got, v - po * v.sum(axis=other, keepdims=True)):
            return "Sum (and take the softmax) along `axis`, with keepdims=True, as in the forward."
    return (
        "The rule: self.grad += out.grad - p * out.grad.sum(axis=axis, "
        "keepdims=True), p = exp(out.data)."
    )


def _log_softmax_cases(rng: np.random.Generator) -> list[tuple[tuple[int, ...], int | None, bool]]:
    """(shape, axis argument (None: the default), large scores?)."""

    def rows() -> tuple[int, int]:
        n = int(rng.integers(2, 6))
        c = int(rng.integers(2, 7))
        return (n, c + 1) if c == n else (n, c)

    cases: list[tuple[tuple[int, ...], int | None, bool]] = [
        (rows(), None, False),
        (rows(), None, False),
        ((int(rng.integers(2, 7)),), None, False),
        ((2, 3, int(rng.integers(2, 5))), None, False),
        (rows(), 0, False),
        (rows(), -1, False),
        (rows(), None, True),
        (rows(), 1, True),
    ]
    return cases


def check_log_softmax(
    tensor_cls: type, *, seed: int | None = None, save: bool = True
) -> CheckReport:
    """Check lesson 09's ``Tensor.log_softmax(axis=-1)``: its values and its backward rule.

    On random shapes (1-D, 2-D, 3-D; the default axis and an explicit ``axis=0``), including
    scores in the thousands (where a naive ``exp`` overflows, and one row 2000 below the rest,
    where one max for the whole array underflows), it compares ``x.log_softmax()`` with
    a stable numpy version and ``x.grad`` with central differences, for a random gradient
    arriving at the output; it also checks that two uses of ``x`` add up, and runs your class's
    own ``backward()`` once.
    """
    if not isinstance(tensor_cls, type):
        raise TypeError("check_log_softmax needs your Tensor class, e.g. check_log_softmax(Tensor)")
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder(
        "Tensor.log_softmax", "your log_softmax is stable and sends gradients back.", seed
    )
    forward, backward, big_rule = b.rule("forward"), b.rule("backward"), b.rule("large scores")
    reuse, own = b.rule("re-use (+=)"), b.rule("with your backward()")

    for shape, axis, big in _log_softmax_cases(rng):
        axis_text = "" if axis is None else f"axis={axis}"
        ax = -1 if axis is None else axis
        x = rng.standard_normal(shape) * (BIG if big else 2.0)
        text = f"y = x.log_softmax({axis_text}) with x of shape {shape}"
        if big:
            x[0] -= 2 * BIG  # the first row far below the rest: one max for all is not enough
            text += " and scores in the thousands (the first row 2000 lower)"
        fwd, bwd = (big_rule, big_rule) if big else (forward, backward)
        if big and not forward.ok:  # the same mistake would show again: blame it once
            big_rule.blocked(by="forward", checks=2)
            continue
        try:
            t = tensor_cls(x.copy())
            with strict_floats():
                y = t.log_softmax() if axis is None else t.log_softmax(axis=axis)
        except FloatingPointError as exc:
            hint = _stability_hint(exc, lambda a: tensor_cls(a).log_softmax(), "axis=axis")
            fwd.error(f"computing {text}", exc, hint=hint)
            bwd.blocked(by="forward")
            continue
        except Exception as exc:
            fwd.error(f"computing {text}", exc)
            bwd.blocked(by="forward")
            continue
        if not is_tensor(y):
            fwd.check(False, f"{text}: got {format_array(y)} instead of a Tensor",
                      "Return the new Tensor: `return out`.", kind="error")  # fmt: skip
            bwd.blocked(by="forward")
            continue
        expected_y = ref_log_softmax(x, ax)
        got_y = _shaped(y.data, expected_y)
        if not fwd.check(
            _close(y.data, expected_y, big),
            f"for {text}: " + mismatch("y.data", y.data, expected_y),
            _diagnose_log_softmax_forward(x, ax, got_y),
            kind="data",
        ):
            bwd.blocked(by="forward")
            continue
        if big and not backward.ok:
            big_rule.blocked(by="backward")
            continue
        v = random_array(rng, shape)
        try:
            with strict_floats():
                sweep(y, v)
        except FloatingPointError as exc:
            bwd.error(f"running the backward rule of {text}", exc, hint=_OVERFLOW_HINT)
            continue
        except Exception as exc:
            bwd.error(f"running the backward rule of {text}", exc)
            continue
        (expected,) = numerical_vjp(lambda a, ax=ax: ref_log_softmax(a, ax), [x], v)
        got = _shaped(t.grad, expected)
        bwd.check(
            _close(t.grad, expected, big),
            f"for {text} and y.grad = v (random, shape {shape}): "
            + mismatch("x.grad", t.grad, expected, "v - p * v.sum(axis, keepdims=True)"),
            _diagnose_log_softmax_backward(x, ax, v, got, expected),
        )

    # an input used twice: y1 = x.log_softmax(); y2 = x.log_softmax()
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
    x = rng.standard_normal(shape) * 2.0
    text = f"y1 = x.log_softmax(); y2 = x.log_softmax() with x of shape {shape}"
    broken = next((name for name, r in (("forward", forward), ("backward", backward))
                   if not r.ok), None)  # fmt: skip
    if broken:
        reuse.blocked(by=broken)
        own.blocked(by=broken)
        report = b.build()
        return finish("09.log_softmax", report,
                      {"Tensor.log_softmax": getattr(tensor_cls, "log_softmax", None)},
                      save=save)  # fmt: skip
    try:
        t = tensor_cls(x.copy())
        with strict_floats():
            y1, y2 = t.log_softmax(), t.log_softmax()
            v1, v2 = random_array(rng, shape), random_array(rng, shape)
            sweep(_Join((y1, y2), (v1, v2)), np.zeros(()))
    except Exception as exc:
        reuse.error(f"running {text}", exc)
    else:
        (e1,) = numerical_vjp(ref_log_softmax, [x], v1)
        (e2,) = numerical_vjp(ref_log_softmax, [x], v2)
        got = _shaped(t.grad, e1)
        hint = (
            "Only one use arrived: a tensor used twice must collect gradient from both, so "
            "write `self.grad += ...`, not `self.grad = ...`."
            if _matches(got, e1) or _matches(got, e2)
            else ""
        )
        reuse.check(
            _close(t.grad, e1 + e2, False),
            f"for {text}, y1.grad = v1 and y2.grad = v2: "
            + mismatch("x.grad", t.grad, e1 + e2, "the sum of both uses"),
            hint,
        )

    case = tensor_case(
        "with your backward()", "basic", "y = x.log_softmax()", lambda x: x.log_softmax(),
        "log_softmax", shapes=[(3, 4)], ref=ref_log_softmax,
    )  # fmt: skip
    with strict_floats():
        failure = check_own_backward(tensor_cls, case, rng)
    own.check(failure is None, failure.message if failure else "", failure.hint if failure else "")
    report = b.build()
    return finish(
        "09.log_softmax", report, {"Tensor.log_softmax": getattr(tensor_cls, "log_softmax", None)},
        save=save,
    )  # fmt: skip


# --------------------------------------------------------------------------- cross-entropy
def ref_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """The mean over the rows of -log softmax(row)[target], on plain numpy, stably."""
    logp = ref_log_softmax(logits, axis=1)
    return float(-logp[np.arange(len(targets)), targets].mean())


def _ce_of(logits: np.ndarray, targets: np.ndarray) -> float:
    return ref_cross_entropy(logits, targets)


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    return np.exp(_log_softmax_any(x, axis))


def _diagnose_ce_forward(logits: np.ndarray, targets: np.ndarray, got: float | None) -> str:
    if got is None:
        return ""
    if not np.isfinite(got):
        return _OVERFLOW_HINT
    n = len(targets)
    ref = ref_cross_entropy(logits, targets)
    rows = np.arange(n)
    one_max = float(-_one_max_log_softmax(logits, 1)[rows, targets].mean())
    if np.isclose(got, one_max, rtol=1e-9, atol=1e-9) and not np.isclose(got, ref, rtol=1e-9):
        return _one_max_hint("axis=1")
    if n > 1 and np.isclose(got, ref * n, rtol=1e-6, atol=1e-9):
        return "That is the sum over the batch: the loss is the *mean*, so divide by N."
    if np.isclose(got, -ref, rtol=1e-6, atol=1e-9):
        return "The sign is flipped: the loss is -log p(true class), which is >= 0."
    lp0 = _log_softmax_any(logits, 0)
    if n > 1 and np.isclose(got, -lp0[rows, targets].mean(), rtol=1e-6, atol=1e-9):
        return (
            "The softmax must run along each row (axis=1, "
            "one row per example), not down the columns."
        )
    if np.isclose(got, -_softmax(logits, 1)[rows, targets].mean(), rtol=1e-6, atol=1e-9):
        return "Take the log: the loss is -log p(true class), not -p."
    return "loss = mean over the rows of -(log softmax of the row)[true class]."


def _diagnose_ce_backward(
    logits: np.ndarray, targets: np.ndarray, g: float, got: np.ndarray | None, big: bool
) -> str:
    if got is None:
        return ""
    n, c = logits.shape
    p = _softmax(logits, 1)
    onehot = np.eye(c)[targets]
    expected = g * (p - onehot) / n
    if np.allclose(got, 0.0) and not np.allclose(expected, 0.0):
        return (
            "The gradient stayed 0: set `out._backward = _backward`, give the new Tensor "
            "`(logits,)` as its inputs, and add into `logits.grad` in the rule."
        )
    if n > 1 and _matches(got, g * (p - onehot), big):
        return "Divide by N: the loss is the mean over the batch, so each row gets 1/N of it."
    if _matches(got, g * p / n, big):
        return "Subtract the one-hot: the true class gets p - 1, the others p (see the derivation)."
    if _matches(got, -expected, big):
        return (
            "The sign is flipped: it is softmax - onehot (raising "
            "a wrong class's score raises the loss)."
        )
    if g != 1.0 and _matches(got, (p - onehot) / n, big):
        return (
            "Multiply by out.grad: the gradient arriving "
            "at the loss is not always 1 (the chain rule)."
        )
    if n > 1 and _matches(got, g * (_softmax(logits, 0) - onehot) / n, big):
        return "The softmax must run along each row (axis=1), not down the columns."
    return "logits.grad += out.grad * (softmax(logits) - onehot(targets)) / N."


def _one_node(loss: Any, logits: Any, text: str) -> tuple[bool, str, str]:
    """(ok, message, hint) for "the loss is one node whose only input is the logits"."""
    prev = tuple(getattr(loss, "_prev", ()))
    if len(prev) == 1 and prev[0] is logits:
        return True, "", ""
    nodes, ops, stack = {id(loss)}, [], [loss]
    while stack:  # the nodes between the loss and the logits (the logits not included)
        node = stack.pop()
        if node is logits:
            continue
        ops.append(str(getattr(node, "_op", "")))  # "" for a leaf (a constant)
        for parent in getattr(node, "_prev", ()):
            if id(parent) not in nodes:
                nodes.add(id(parent))
                stack.append(parent)
    if not prev:
        shown = "no inputs: loss._prev is empty"
    else:
        named = [op for op in reversed(ops) if op]  # from the logits up, roughly
        shown = f"a graph of {len(ops)} nodes on top of the logits ({', '.join(named)})"
    return (
        False,
        f"{text} gave the right loss, but as {shown}",
        'Write the loss as one node: out = Tensor(the loss, (logits,), "cross_entropy"), '
        "with the fused rule (softmax - onehot) / N as its _backward. Composed of your ops "
        "it gives the same numbers, but the graph is bigger and slower: the point of the "
        "exercise is the one-node rule."
        if prev
        else 'Give the node its input: Tensor(the loss, (logits,), "cross_entropy"), so that '
        "backward() can reach the logits.",
    )


def _ce_cases(rng: np.random.Generator) -> list[tuple[int, int, bool, bool]]:
    """(N, C, large scores?, targets as a Python list?)."""

    def nc(n_low: int = 2) -> tuple[int, int]:
        n, c = int(rng.integers(n_low, 7)), int(rng.integers(2, 8))
        return (n, c + 1) if n == c else (n, c)

    return [
        (*nc(), False, False),
        (*nc(), False, False),
        (*nc(), False, True),
        (1, int(rng.integers(2, 6)), False, False),
        (*nc(), False, False),
        (*nc(), True, False),
        (*nc(), True, False),
    ]


def check_cross_entropy(
    fn: Callable[..., Any],
    tensor_cls: type | None = None,
    *,
    seed: int | None = None,
    save: bool = True,
) -> CheckReport:
    """Check lesson 09's ``cross_entropy(logits, targets)``: one node, the mean over the batch
    of ``-log softmax(row)[true class]``, whose backward rule adds
    ``out.grad * (softmax - onehot) / N`` into ``logits.grad``.

    Random batches (N from 1 to 6, C from 2 to 7; targets as a numpy array or a list), a
    random gradient arriving at the loss, scores in the thousands (a naive ``exp``
    overflows; one max for the whole batch lets a row 2000 lower underflow), the same logits
    used by two losses (gradients add up), and one run through your class's own
    ``backward()``. Losses and gradients are compared with plain numpy and central
    differences; and the loss must be **one** node whose only input is the logits (a
    composition of ``log_softmax``, ``*`` and ``sum`` gives the same numbers, but is not the
    exercise).
    """
    if not callable(fn):
        raise TypeError(
            "check_cross_entropy needs your function: check_cross_entropy(cross_entropy)"
        )
    cls = find_tensor(fn, tensor_cls, "check_cross_entropy")
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder("cross-entropy", "your cross_entropy is one stable node with the "
                      "(softmax − one-hot)/N gradient.", seed)  # fmt: skip
    forward, backward, big_rule = b.rule("the loss"), b.rule("the gradient"), b.rule("large scores")
    reuse, own, one = b.rule("re-use (+=)"), b.rule("with your backward()"), b.rule("one node")

    def run(rule: RuleBuilder, stage: str, thunk: Callable[[], Any], checks: int = 1) -> Any:
        try:
            with strict_floats():
                return True, thunk()
        except FloatingPointError as exc:
            hint = _stability_hint(exc, lambda a: fn(cls(a), [0, 1]), "axis=1")
            rule.error(stage, exc, checks=checks, hint=hint)
        except Exception as exc:
            rule.error(stage, exc, checks=checks)
        return False, None

    judged_one = False
    for n, c, big, as_list in _ce_cases(rng):
        logits = rng.standard_normal((n, c)) * (BIG if big else 2.0)
        targets = rng.integers(0, c, size=n)
        shown = targets.tolist() if as_list else f"np.array({targets.tolist()})"
        text = f"cross_entropy(logits of shape {(n, c)}, targets={shown})"
        if big:
            logits[0] -= 2 * BIG  # the first row far below the rest (one max for all fails)
            text += " with scores in the thousands (the first row 2000 lower)"
        fwd, bwd = (big_rule, big_rule) if big else (forward, backward)
        if big and not forward.ok:  # the same mistake would show again: blame it once
            big_rule.blocked(by="the loss", checks=2)
            continue
        t = cls(logits.copy())
        given = targets.tolist() if as_list else targets.copy()
        ok, loss = run(fwd, f"computing {text}", partial(fn, t, given))
        if not ok:
            bwd.blocked(by="the loss")
            continue
        if not is_tensor(loss):
            fwd.check(False, f"{text} returned {format_array(loss)} instead of a Tensor",
                      "Return the new one-number Tensor: `return out`.", kind="error")  # fmt: skip
            bwd.blocked(by="the loss")
            continue
        expected_loss = ref_cross_entropy(logits, targets)
        data = np.asarray(loss.data, dtype=np.float64)
        got_loss = float(data.reshape(-1)[0]) if data.size == 1 else None
        if not fwd.check(
            got_loss is not None
            and bool(np.isclose(got_loss, expected_loss, rtol=1e-7, atol=1e-9)),
            f"for {text}: expected the loss {expected_loss:.6g} (one number), got "
            f"{format_array(loss.data)}",
            _diagnose_ce_forward(logits, targets, got_loss)
            if got_loss is not None
            else "The loss is one number: the mean over the batch, of shape ().",
            kind="data",
        ):
            bwd.blocked(by="the loss")
            continue
        if not judged_one:  # once: is the loss one node, straight on top of the logits?
            one.check(*_one_node(loss, t, text))
            judged_one = True
        if big and not backward.ok:
            big_rule.blocked(by="the gradient")
            continue
        g = 1.0 if n == 1 and not big else float(random_array(rng, ()))
        ok, _ = run(bwd, f"running the backward rule of {text}", partial(sweep, loss, np.array(g)))
        if not ok:
            continue
        (expected,) = numerical_vjp(partial(_ce_of, targets=targets), [logits], np.array(g))
        got = _shaped(t.grad, expected)
        bwd.check(
            _close(t.grad, expected, big),
            f"for {text} and loss.grad = {g:.4g}: "
            + mismatch("logits.grad", t.grad, expected, "loss.grad * (softmax - onehot) / N"),
            _diagnose_ce_backward(logits, targets, g, got, big),
        )

    if not judged_one:
        one.blocked(by="the loss")
    broken = next((name for name, r in (("the loss", forward), ("the gradient", backward))
                   if not r.ok), None)  # fmt: skip
    if broken:
        reuse.blocked(by=broken)
        own.blocked(by=broken)
        return finish("09.cross_entropy", b.build(), {"cross_entropy": fn}, save=save)

    # the same logits in two losses: their gradients must add up
    n, c = int(rng.integers(2, 6)), int(rng.integers(3, 7))
    logits = rng.standard_normal((n, c)) * 2.0
    t1, t2 = rng.integers(0, c, size=n), rng.integers(0, c, size=n)
    text = f"loss1 = cross_entropy(logits, t1); loss2 = cross_entropy(logits, t2), shape {(n, c)}"
    t = cls(logits.copy())
    g1, g2 = float(random_array(rng, ())), float(random_array(rng, ()))

    def both() -> None:
        l1, l2 = fn(t, t1.copy()), fn(t, t2.copy())
        sweep(_Join((l1, l2), (np.array(g1), np.array(g2))), np.zeros(()))

    ok, _ = run(reuse, f"running {text}", both)
    if ok:
        (e1,) = numerical_vjp(lambda a: ref_cross_entropy(a, t1), [logits], np.array(g1))
        (e2,) = numerical_vjp(lambda a: ref_cross_entropy(a, t2), [logits], np.array(g2))
        got = _shaped(t.grad, e1)
        hint = (
            "Only one loss's gradient arrived: write `logits.grad += ...`, not `=`, so that "
            "logits used twice collect both."
            if _matches(got, e1) or _matches(got, e2)
            else ""
        )
        reuse.check(
            _close(t.grad, e1 + e2, False),
            f"for {text}, loss1.grad = {g1:.4g}, loss2.grad = {g2:.4g}: "
            + mismatch("logits.grad", t.grad, e1 + e2, "the sum of both"),
            hint,
        )

    # your class's own backward(), seeded with 1
    n, c = 4, 3
    logits = rng.standard_normal((n, c)) * 2.0
    targets = rng.integers(0, c, size=n)
    t = cls(logits.copy())
    try:
        with strict_floats():
            fn(t, targets).backward()
    except Exception as exc:
        f = error_failure("with your backward()", "running loss.backward()", exc)
        own.check(False, f.message, f.hint, kind="error")
    else:
        (expected,) = numerical_vjp(lambda a: ref_cross_entropy(a, targets), [logits], np.ones(()))
        own.check(
            _close(t.grad, expected, False),
            "after loss = cross_entropy(logits, targets); loss.backward(): "
            + mismatch("logits.grad", t.grad, expected),
            "The rule passes when the checker runs it, but not through your class's backward().",
        )
    return finish("09.cross_entropy", b.build(), {"cross_entropy": fn}, save=save)


# --------------------------------------------------------------------------- Linear
def check_linear(
    linear_cls: type, tensor_cls: type | None = None, *, seed: int | None = None,
    save: bool = True,
) -> CheckReport:  # fmt: skip
    """Check lesson 09's ``Linear(n_in, n_out, rng)``: ``layer(x) = x @ W + b`` for a batch
    ``x`` of shape ``(N, n_in)``, with ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape
    ``(n_out,)``, both returned by ``layer.parameters()``.

    It checks the parameters (your Tensors, the right shapes, the same objects every call),
    the initial weights (exactly the lesson's draws from ``rng``: ``W = rng.uniform(-k, k,
    (n_in, n_out))`` first, then ``b = rng.uniform(-k, k, n_out)``, ``k = 1/sqrt(n_in)``, so
    that a learner's run gives the numbers the lesson quotes; with a hint when the order,
    the scale or the source of randomness differs), the output (with a random bias set by
    the checker) and the gradients of ``x``, ``W`` and ``b`` against central differences.
    """
    if not isinstance(linear_cls, type):
        raise TypeError("check_linear needs your class: check_linear(Linear)")
    cls = find_tensor(linear_cls, tensor_cls, "check_linear")
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder("Linear", "your Linear layer computes x @ W + b and learns W and b.", seed)
    construct, params_rule, init = b.rule("Linear(n_in, n_out, rng)"), b.rule("parameters()"), \
        b.rule("initial weights")  # fmt: skip
    forward, backward = b.rule("forward: x @ W + b"), b.rule("backward")

    later = {"Linear(n_in, n_out, rng)": (params_rule, init, forward, backward),
             "parameters()": (init, forward, backward)}  # fmt: skip
    stopped: list[str] = []

    def block_after(name: str) -> None:
        for rule in later[name]:
            rule.blocked(by=name)
        stopped.append(name)

    def make(n_in: int, n_out: int, s: int) -> Any:
        with strict_floats():
            return linear_cls(n_in, n_out, np.random.default_rng(s))

    rounds = 3
    for k in range(rounds):
        n_in = int(rng.integers(2, 7))
        n_out = int(rng.integers(2, 7))
        if n_out == n_in:
            n_out += 1
        batch = 1 if k == 1 else int(rng.integers(2, 6))
        try:
            layer = make(n_in, n_out, int(rng.integers(2**31)))
        except Exception as exc:
            hint = (
                "The layer is made as Linear(n_in, n_out, rng): three arguments, rng a numpy "
                "Generator (np.random.default_rng(seed))."
                if isinstance(exc, TypeError)
                else ""
            )
            construct.error(f"making Linear({n_in}, {n_out}, rng)", exc, hint=hint)
            block_after("Linear(n_in, n_out, rng)")
            break
        construct.check(True)
        # ---- parameters()
        try:
            params = list(layer.parameters())
            again = list(layer.parameters())
        except Exception as exc:
            params_rule.error("calling layer.parameters()", exc)
            block_after("parameters()")
            break
        where = f"for Linear({n_in}, {n_out}, rng)"
        if not params_rule.check(
            all(isinstance(p, cls) for p in params),
            f"{where}: parameters() returned {[type(p).__name__ for p in params]}",
            "parameters() returns the layer's own Tensors, [self.W, self.b], so that an "
            "optimizer can update them.",
        ):
            block_after("parameters()")
            break
        shapes = [tuple(p.data.shape) for p in params]
        w = next((p for p in params if tuple(p.data.shape) == (n_in, n_out)), None)
        bias = next((p for p in params if tuple(p.data.shape) in ((n_out,), (1, n_out))), None)
        if w is None:
            hint = (
                f"W is transposed: it must have shape (n_in, n_out) = {(n_in, n_out)}, so that a "
                f"batch x of shape (N, n_in) gives x @ W of shape (N, n_out)."
                if (n_out, n_in) in shapes
                else f"W has shape (n_in, n_out) = {(n_in, n_out)}: one column per output."
            )
            params_rule.check(False, f"{where}: parameters() gave shapes {shapes}, with no weight "
                              f"matrix of shape {(n_in, n_out)}", hint)  # fmt: skip
            block_after("parameters()")
            break
        if bias is None:
            params_rule.check(False, f"{where}: parameters() gave shapes {shapes}, with no bias of "
                              f"shape {(n_out,)}",
                              "The bias is a parameter too: parameters() returns [self.W, self.b] "
                              "(an optimizer only updates what parameters() lists).")  # fmt: skip
            block_after("parameters()")
            break
        if not params_rule.check(
            len(again) == len(params) and all(a is p for a, p in zip(again, params, strict=True)),
            f"{where}: two calls of parameters() gave different Tensors",
            "Return the layer's own W and b (the same objects every time), not new Tensors: "
            "an optimizer must update the ones the layer computes with.",
        ):
            block_after("parameters()")
            break
        params_rule.check(
            len(params) == 2,
            f"{where}: parameters() gave {len(params)} Tensors of shapes {shapes}",
            "A Linear layer has exactly two parameters, [W, b].",
        )
        # ---- forward, with a bias that is surely not zero
        bias.data = random_array(rng, tuple(bias.data.shape))
        w_data = np.array(w.data, dtype=np.float64)
        b_data = np.array(bias.data, dtype=np.float64).reshape(-1)
        x = random_array(rng, (batch, n_in))
        tx = cls(x.copy())
        text = f"layer(x) with x of shape {(batch, n_in)}"
        try:
            with strict_floats():
                y = layer(tx)
        except Exception as exc:
            hint = (
                "x @ W needs W of shape (n_in, n_out): x has shape (N, n_in)."
                if isinstance(exc, ValueError)
                else ""
            )
            forward.error(f"computing {text}", exc, hint=hint)
            backward.blocked(by="forward: x @ W + b")
            continue
        expected_y = x @ w_data + b_data
        if not is_tensor(y):
            forward.check(False, f"{text} returned {format_array(y)}, not a Tensor",
                          "__call__ returns x @ self.W + self.b: a Tensor of your class.",
                          kind="error")  # fmt: skip
            backward.blocked(by="forward: x @ W + b")
            continue
        got_y = _shaped(y.data, expected_y)
        hint = ""
        if _matches(got_y, x @ w_data):
            hint = "The bias is missing: the layer computes x @ W + b."
        elif got_y is None:
            hint = (
                "The output has one row per example and one column per output: shape "
                f"{expected_y.shape}."
            )
        if not forward.check(
            allclose(y.data, expected_y),
            f"for {text}, W and b from parameters(): "
            + mismatch("layer(x).data", y.data, expected_y, "x @ W + b"),
            hint or "layer(x) = x @ W + b.",
            kind="data",
        ):
            backward.blocked(by="forward: x @ W + b")
            continue
        v = random_array(rng, expected_y.shape)
        try:
            with strict_floats():
                sweep(y, v)
        except Exception as exc:
            backward.error(f"backpropagating through {text}", exc)
            continue
        ex_x, ex_w, ex_b = numerical_vjp(lambda a, m, c: a @ m + c.reshape(-1), [x, w_data,
                                         np.array(bias.data, dtype=np.float64)], v)  # fmt: skip
        for name, tensor, e in (("x", tx, ex_x), ("W", w, ex_w), ("b", bias, ex_b)):
            backward.check(
                allclose(tensor.grad, e),
                f"for {text} and out.grad = v (random): "
                + mismatch(f"{name}.grad", tensor.grad, e),
                "The gradient of W and b comes through your @ and + (lesson 08): does __call__ "
                "use the very Tensors parameters() returns?",
            )

    # ---- initial weights: W first, then b, both rng.uniform(-k, k, ...), k = 1/sqrt(n_in)
    if not stopped:
        n_in, n_out = INIT_SHAPE
        try:
            drawn = [_init_of(make(n_in, n_out, s), n_in, n_out) for s in (7, 7, 8)]
        except Exception as exc:
            init.error(f"making Linear({n_in}, {n_out}, np.random.default_rng(7))", exc)
        else:
            if drawn[0][0] is None:
                init.blocked(by="parameters()")
            else:
                ok, message, hint = _judge_init(drawn, n_in, n_out, 7)
                init.check(ok, message, hint)
    report = b.build()
    return finish("09.linear", report, {"Linear": linear_cls}, save=save)


INIT_SHAPE = (48, 20)  # the layer whose initial weights are compared with the exact draws


def _init_of(layer: Any, n_in: int, n_out: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The layer's (W, b) as float64 arrays (b flattened), found by shape; None if absent."""
    w = b = None
    for p in layer.parameters():
        shape = tuple(np.shape(p.data))
        if shape == (n_in, n_out) and w is None:
            w = np.array(p.data, dtype=np.float64)
        elif shape in ((n_out,), (1, n_out)) and b is None:
            b = np.array(p.data, dtype=np.float64).reshape(-1)
    return w, b


def _judge_init(
    drawn: list[tuple[np.ndarray | None, np.ndarray | None]], n_in: int, n_out: int, seed: int
) -> tuple[bool, str, str]:
    """(ok, message, hint) for the initial weights of Linear(n_in, n_out, default_rng(seed)):
    exactly W = rng.uniform(-k, k, (n_in, n_out)), then b = rng.uniform(-k, k, n_out)."""
    (w, b), (w_again, _), (w_other, _) = drawn
    k = 1.0 / np.sqrt(n_in)
    g = np.random.default_rng(seed)
    w_exp, b_exp = g.uniform(-k, k, (n_in, n_out)), g.uniform(-k, k, n_out)
    g = np.random.default_rng(seed)
    g.uniform(-k, k, n_out)  # b drawn first ...
    w_second = g.uniform(-k, k, (n_in, n_out))  # ... then W
    where = f"Linear({n_in}, {n_out}, np.random.default_rng({seed}))"
    exact = "W = rng.uniform(-k, k, (n_in, n_out)) first, then b = rng.uniform(-k, k, n_out)"
    w_ok = allclose(w, w_exp, atol=1e-12)
    b_ok = b is not None and allclose(b, b_exp, atol=1e-12)
    if w_ok and b_ok:
        return True, "", ""
    if w is None:
        return False, f"{where}: no weight matrix of shape {(n_in, n_out)}", ""
    spread = float(w.std() * np.sqrt(n_in))
    if allclose(w, w_second, atol=1e-12):
        return (
            False,
            f"{where}: W holds the numbers drawn after {n_out} others (b drawn first?)",
            f"Draw W first, then b: {exact}. Both orders train, but only this one gives the "
            "numbers the lesson quotes.",
        )
    if w_ok:
        zero = b is not None and not np.any(b)
        return (
            False,
            f"{where}: W is right, but b is "
            + ("all zeros" if zero else f"{format_array(b)}, not the next draw of the rng"),
            f"Draw b too, right after W, from the same rng: {exact}."
            + (" A zero bias trains too, but then your runs in this lesson do not give the "
               "numbers it quotes." if zero else ""),
        )  # fmt: skip
    if spread == 0.0:
        return (
            False,
            f"{where}: every weight is the same number ({float(w.flat[0]):.4g})",
            "Start from random weights (rng.uniform): with equal weights every output unit "
            "computes the same thing and learns the same thing.",
        )
    if not (w_again is not None and np.array_equal(w, w_again)) or (
        w_other is not None and np.array_equal(w, w_other)
    ):
        return (
            False,
            "two layers made with np.random.default_rng(7) got different weights, or layers "
            "made with seeds 7 and 8 got the same ones",
            "Draw the weights from the rng you are given (rng.uniform(...)), not from "
            "np.random: then a seed makes a run repeatable.",
        )
    if not 0.2 <= spread <= 3.0:
        return (
            False,
            f"{where}: the weights have a spread (standard deviation) of {w.std():.4g}, that "
            f"is {spread:.3g}/sqrt(n_in)",
            "Scale them to about 1/sqrt(n_in): rng.uniform(-k, k, ...) with k = 1/sqrt(n_in). "
            "Then each output starts about as large as an input, however many inputs there are.",
        )
    return (
        False,
        f"{where}: W starts as {format_array(w)}, expected {format_array(w_exp)}",
        f"Use exactly these draws, k = 1/sqrt(n_in): {exact}. Other random starts train too, "
        "but only this one gives the numbers the lesson quotes.",
    )


# --------------------------------------------------------------------------- SGD
def _diagnose_zero_grad(grad: Any, before: np.ndarray, shape: tuple[int, ...]) -> str:
    """The likely mistake behind a ``p.grad`` that is not zeros after ``zero_grad()``."""
    arr = _shaped(grad, before)
    if arr is not None and np.array_equal(arr, before):
        return (
            "The gradient did not change: reset every parameter's own gradient, "
            "p.grad = np.zeros_like(p.data) (assigning to a local name changes nothing)."
        )
    if np.ndim(grad) == 0 or np.shape(grad) != shape:
        return (
            f"p.grad must be an array of zeros of the parameter's shape {shape}, as every "
            "Tensor's grad is (Tensor.__init__ makes it with np.zeros_like): "
            "p.grad = np.zeros_like(p.data), not a single number."
        )
    return "Reset every parameter's gradient to zeros: p.grad = np.zeros_like(p.data)."


def check_sgd(
    sgd_cls: type, tensor_cls: type | None = None, *, seed: int | None = None, save: bool = True
) -> CheckReport:
    """Check lesson 09's ``SGD(params, lr)``: ``step()`` moves every parameter by
    ``-lr * p.grad``, ``zero_grad()`` sets every ``p.grad`` to zeros (an array: your Tensor's
    rules add into it with ``+=``), and together with your ``backward()`` they walk down a
    bowl ``sum((w - t)²)`` exactly as gradient descent should.
    """
    if not isinstance(sgd_cls, type):
        raise TypeError("check_sgd needs your class: check_sgd(SGD)")
    cls = find_tensor(sgd_cls, tensor_cls, "check_sgd")
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder("SGD", "your SGD steps downhill and resets the gradients.", seed)
    step_rule, zero_rule, loop_rule = b.rule("step()"), b.rule("zero_grad()"), \
        b.rule("gradient descent")  # fmt: skip

    def params_and_grads() -> tuple[list[Any], list[np.ndarray]]:
        shapes = [(int(rng.integers(2, 5)), int(rng.integers(2, 5))), (int(rng.integers(2, 6)),),
                  (int(rng.integers(2, 4)), 1)]  # fmt: skip
        params, grads = [], []
        for s in shapes:
            p = cls(random_array(rng, s))
            g = random_array(rng, s)
            p.grad = g.copy()
            params.append(p)
            grads.append(g)
        return params, grads

    def diagnose_step(old: np.ndarray, g: np.ndarray, lr: float, got: np.ndarray | None,
                      first_ok: bool, index: int) -> str:  # fmt: skip
        if got is None:
            return "p.data must keep its shape: p.data -= lr * p.grad."
        if _matches(got, old + lr * g):
            return "Step against the gradient: p.data -= lr * p.grad (minus: downhill)."
        if _matches(got, old - g):
            return "Use the learning rate: the step is lr * p.grad, not p.grad."
        if _matches(got, old):
            if index > 0 and first_ok:
                return (
                    "Only the first parameter moved: update every "
                    "p in self.params (no early return)."
                )
            return (
                "The parameter did not move: update p.data itself (p.data -= ...), not a "
                "local name."
            )
        return "step() does p.data -= lr * p.grad for every parameter."

    for _ in range(2):
        params, grads = params_and_grads()
        lr = float(round(rng.uniform(0.05, 0.5), 3))
        old = [np.array(p.data) for p in params]
        try:
            with strict_floats():
                opt = sgd_cls(params, lr)
                opt.step()
        except Exception as exc:
            hint = "The optimizer is made as SGD(params, lr)." if isinstance(exc, TypeError) else ""
            step_rule.error(f"SGD(params, lr={lr}) then step()", exc, hint=hint)
            zero_rule.blocked(by="step()")
            loop_rule.blocked(by="step()")
            return finish("09.sgd", b.build(), {"SGD": sgd_cls}, save=save)
        first_ok = True
        for i, (p, o, g) in enumerate(zip(params, old, grads, strict=True)):
            expected = o - lr * g
            got = _shaped(p.data, expected)
            ok = step_rule.check(
                allclose(p.data, expected),
                f"SGD(params, lr={lr}).step(), parameter {i} of shape {o.shape}: "
                + mismatch("p.data", p.data, expected, "old p.data - lr * p.grad"),
                diagnose_step(o, g, lr, got, first_ok, i),
            )
            first_ok = first_ok and ok
        # ---- zero_grad
        for p in params:
            p.grad = random_array(rng, tuple(p.data.shape))
        kept = [np.array(p.data) for p in params]
        before = [np.array(p.grad) for p in params]
        try:
            opt.zero_grad()
        except Exception as exc:
            zero_rule.error("calling zero_grad()", exc)
            loop_rule.blocked(by="zero_grad()")
            return finish("09.sgd", b.build(), {"SGD": sgd_cls}, save=save)
        for i, (p, k, g_before) in enumerate(zip(params, kept, before, strict=True)):
            grad = p.grad
            if grad is None:
                zero_rule.check(
                    False,
                    f"after zero_grad(), parameter {i}'s grad is None",
                    "Your Tensor's rules add into grad (`self.grad += ...`), so it must be an "
                    "array of zeros: p.grad = np.zeros_like(p.data).",
                )
                continue
            zero_rule.check(
                allclose(grad, np.zeros(k.shape)),
                f"after zero_grad(), parameter {i} of shape {k.shape}: "
                + mismatch("p.grad", grad, np.zeros(k.shape)),
                _diagnose_zero_grad(grad, g_before, k.shape),
            )
            zero_rule.check(
                allclose(p.data, k),
                f"zero_grad() changed parameter {i}'s data",
                "zero_grad() only resets the gradients; the data stays.",
            )

    # ---- a bowl: loss = sum((w - t)**2); w_k - t = (1 - 2 lr)^k (w_0 - t)
    if not (step_rule.ok and zero_rule.ok):
        loop_rule.blocked(by="step()" if not step_rule.ok else "zero_grad()")
        return finish("09.sgd", b.build(), {"SGD": sgd_cls}, save=save)
    shape = (int(rng.integers(2, 6)),)
    w0, target = random_array(rng, shape), random_array(rng, shape)
    lr, steps = 0.1, 6
    w = cls(w0.copy())
    losses = []
    try:
        with strict_floats():
            opt = sgd_cls([w], lr)
            for _ in range(steps):
                opt.zero_grad()
                d = w - cls(target)
                loss = (d * d).sum()
                loss.backward()
                opt.step()
                losses.append(float(np.asarray(loss.data)))
    except Exception as exc:
        loop_rule.error("running 6 steps of zero_grad(), loss.backward(), step()", exc)
    else:
        expected = target + (1 - 2 * lr) ** steps * (w0 - target)
        loop_rule.check(
            allclose(w.data, expected),
            f"after {steps} steps on loss = ((w - t) * (w - t)).sum() with lr = {lr}: "
            + mismatch("w.data", w.data, expected, "t + (1 - 2 lr)^6 (w0 - t)"),
            "Each step: zero_grad(), then backward(), then step(). If the gradients were not "
            "reset, they pile up across steps and the walk overshoots.",
        )
        loop_rule.check(
            all(a > c for a, c in zip(losses, losses[1:], strict=False)),
            f"the loss did not fall at every step: {[round(x, 4) for x in losses]}",
            "With a small lr, every step against the gradient lowers this loss.",
        )
    return finish("09.sgd", b.build(), {"SGD": sgd_cls}, save=save)


# --------------------------------------------------------------------------- the quiz
QUIZ = [
    Question(
        "09.test_set",
        "Why does the lesson judge the network by its accuracy on the 360 test images, not on "
        "the 1,437 images it trained on?",
        [
            Choice(
                "The test images are cleaner, so their score is fairer",
                "Nobody picked them for quality: a seeded random permutation sets 360 of the "
                "1,797 images aside, scans like all the others. And the network does worse on "
                "them (97.5 % against 99.3 % on the training images), not better.",
            ),
            Choice(
                "Training accuracy cannot be measured while the network trains",
                'The training loop measures it after every epoch (`history["train_acc"]`) '
                "and the lesson prints it after the last one: 99.3 %. It is easy to compute; "
                "it just answers another question, how well the network knows its own "
                "training images.",
            ),
            Choice(
                "It never trained on them: they show reading, not memory",
                "A network can memorise pictures it sees again and again (99.3 % of the "
                "training images right); only images it never trained on show whether it "
                "learned to read digits. So the honest number is the test accuracy, 97.5 %, "
                "a little lower.",
            ),
            Choice(
                "A bigger set of images gives a more precise percentage",
                "The test set is the smaller part, 360 images against 1,437 for training. Its "
                "size is not the point (a bigger test set would only make the estimate less "
                "noisy); that the network never saw those images is.",
            ),
        ],
        answer=2,
    ),
    Question(
        "09.start_loss",
        "Before any training, the loss on the training images is 2.30. Where does that number "
        "come from?",
        [
            Choice(
                "It is log 10: each digit gets a probability near 1/10",
                "Small random weights give almost equal scores, so softmax spreads the "
                "probability about evenly, 1/10 per digit, and cross-entropy charges "
                "−log(1/10) = log 10 ≈ 2.30 per image: the loss of a network that knows "
                "nothing yet.",
            ),
            Choice(
                "It is the error rate: about 9 guesses in 10 are wrong",
                "An error rate is a fraction of the images, at most 1 (100 %), and 2.30 is "
                "more than that. The loss is not a count of mistakes: it is the mean of −log p "
                "over the true classes, and p ≈ 1/10 gives log 10. (The lesson measured the "
                "accuracy separately: 7.5 % right on the test images.)",
            ),
            Choice(
                "The network is confidently wrong about most images",
                "A confidently wrong network puts a tiny probability on the true class, and "
                "−log of a tiny number is large: p = 0.001 costs 6.9. A loss of 2.30 is that "
                "of a network unsure about everything, not of one sure and wrong.",
            ),
            Choice(
                "It comes from the initial weights, drawn with a spread of 2.30",
                "The weights are drawn uniformly in ±1/√n_in, ±0.125 for both layers here "
                "(64 inputs each), far from 2.30. The loss sees the weights only through the "
                "scores, and with near-equal scores it is log 10 whatever the exact draw.",
            ),
        ],
        answer=0,
    ),
    Question(
        "09.gradient",
        "In a batch of N images, the network gives one image's true class the probability 0.9. "
        "What is the gradient of the batch's loss with respect to that class's score (for that "
        "image)?",
        [
            Choice(
                "+0.1 / N",
                "The size is right, the sign is not: the true class has onehot 1, so the "
                "gradient is (p − 1)/N, negative. A positive one would say that raising the "
                "right score raises the loss, and gradient descent would push the right "
                "answer down.",
            ),
            Choice(
                "0.9 / N",
                "p_i / N is the gradient of a *wrong* class's score, where the onehot is 0 "
                "(the lesson's class 1 in the second example: +0.4012 = 0.802 / 2). For the "
                "true class the onehot is 1: (0.9 − 1) / N.",
            ),
            Choice(
                "−log(0.9) / N",
                "That is this image's share of the loss itself, −log p_y averaged over N "
                "(about 0.105 / N), not its derivative. The derivative of the loss with "
                "respect to the scores is (softmax − onehot) / N.",
            ),
            Choice(
                "−0.1 / N",
                "(softmax − onehot) / N gives (0.9 − 1) / N for the true class. Negative, so "
                "gradient descent raises the right score; small, because 0.9 is already close "
                "to 1. Like the lesson's first example: p = 0.659, gradient (0.659 − 1) / 2 = "
                "−0.1705.",
            ),
        ],
        answer=3,
    ),
    Question(
        "09.no_zero_grad",
        "From the Try it list: you comment out `optimizer.zero_grad()` in `train` and train "
        "again (seed 0, 30 epochs). What happens?",
        [
            Choice(
                "Nothing changes: `backward()` starts every gradient from zero",
                "backward() resets only the intermediate nodes' gradients; the leaves' (the "
                "weights') accumulate across calls (lesson 05), which is why `SGD` has a "
                "`zero_grad()` at all. Without it, every step adds the new gradient to all "
                "the old ones.",
            ),
            Choice(
                "The loss falls at first, then climbs back above log 10",
                "Each step now moves the weights by lr times the *sum* of every gradient so "
                "far, so the steps keep growing and overshoot. The first epoch's mean loss "
                "is still below 2.30, but within a few epochs it is above, and the test "
                "accuracy ends near 10 %: chance.",
            ),
            Choice(
                "Training converges faster, as it does with momentum",
                "Momentum lets old gradients fade (v = 0.9·v + grad: about the last ten steps "
                "count). Without zero_grad nothing fades: the sum grows with every step, the "
                "steps overshoot, and the loss goes up, not down.",
            ),
            Choice(
                "Python raises an error at the second step",
                "Nothing is missing: the gradients are still numpy arrays, just never reset, "
                "so `+=` and `step()` keep working. The mistake is silent: the only sign of "
                "it is in the numbers, a loss that grows.",
            ),
        ],
        answer=1,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "load a real data set, look at it, and split it into a training and a test set",
        "derive the gradient of softmax + cross-entropy, `(softmax − onehot) / N` (onehot: 1 "
        "for the true class, 0 for the others), and check the formula numerically",
        "write `Tensor.log_softmax`, a one-node `cross_entropy`, a `Linear` layer and an `SGD` "
        "optimizer, each graded",
        "train an MLP on your engine with mini-batches, read the loss and accuracy curves, "
        "look at the mistakes, and check with a second seed that the result is not luck",
    ],
    formulas=[
        "softmax: p_k = exp(s_k) / sum_j exp(s_j); the cross-entropy of one example of class "
        "y is -log p_y",
        "log p_k = s_k - log sum_j exp(s_j), so d(log p_k)/ds_i = [i = k] - p_i",
        "d(mean loss)/d(scores) = (softmax(scores) - onehot(labels)) / N, for a batch of N",
        "overflow-proof: subtract each row's max m first, log p_k = (s_k - m) - log sum_j "
        "exp(s_j - m)",
        "log_softmax backward: s.grad += g - p * sum(g) along the axis, with g = out.grad "
        "and p = exp(out.data)",
        "Linear: y = x @ W + b, W of shape (n_in, n_out) drawn first, then b, both uniformly "
        "in ±1/sqrt(n_in); SGD: step() does p.data -= lr * p.grad, zero_grad() sets every "
        "p.grad to zeros",
        "a network that gives every class 1/10 has loss -log(1/10) = log 10 ≈ 2.30",
    ],
    demo=(
        "The formula (softmax − onehot) / N agrees with central differences on two 3-class "
        "examples (loss 1.4185; the second puts p = 0.089 on its true class, whose gradient "
        "is −0.4555), and the fused cross_entropy node gives the composed graph's gradient "
        "with 2 nodes instead of 7. Then a 64-64-10 MLP of your Linear layers, trained with "
        "your cross_entropy and SGD on 1,437 of scikit-learn's 8×8 digits (30 epochs, "
        "mini-batches of 32, lr 0.2), goes from loss 2.30 and 7.5 % test accuracy to loss "
        "0.0467, 99.3 % right on the training images and 97.5 % (351 of 360) on the test "
        "images; a second seed reaches 96.9 % (349 of 360)."
    ),
    try_it=[
        "Train with the composed loss. In train, replace loss = cross_entropy(scores, labels) "
        "by loss = (scores.log_softmax() * np.eye(10)[labels]).sum() * (-1 / len(labels)) and "
        "run the cell again: the accuracy should come out about the same; one step's graph "
        'has more nodes, and the run takes a bit longer (compare history["seconds"])',
        "Forget zero_grad. Comment out optimizer.zero_grad() in train and train again: every "
        "step now adds the new gradient to all the old ones. What happens to the loss?",
        "Momentum. Write class Momentum(SGD) whose step() keeps a velocity v per parameter "
        "(zeros at first): v = 0.9 * v + p.grad, then p.data -= self.lr * v. Train with "
        "train(seed=0, optimizer_class=Momentum, lr=0.05): how do the curves change?",
        "Less data. Train on only the first 200 training images, for longer: train(seed=0, "
        "train_images=X_train[:200], train_labels=y_train[:200], epochs=150). Training "
        "accuracy climbs to 100 %; what happens to test accuracy? The gap between the two is "
        "called overfitting",
        "A wider or narrower network. train(seed=0, hidden=16) or hidden=256: a hidden layer "
        "of 16 or of 256 units",
    ],
)
