"""Lesson 08 · Tensors: the checkers of the learner's own numpy ``Tensor``.

The lesson gives the scaffold (``solutions/tensor_scaffold.py``: ``Tensor.__init__``,
``shape``, ``__repr__``, ``backward()``, ``_wrap``, ``__radd__``, ``__rmul__``, ``__neg__``,
``__sub__``, ``__rsub__``); the learner writes the rest. The exercises, in order (all
``chain="tensor"``, so lessons 09-10 start from them):

* ``08.unbroadcast`` — ``check_unbroadcast(unbroadcast)``; provides ``unbroadcast(grad,
  shape)`` (module level; the rules of ``+`` and ``*`` use it);
* ``08.add_mul`` — ``check_tensor_add_mul(Tensor)``; provides ``Tensor.__add__`` and
  ``Tensor.__mul__``, with numpy broadcasting both ways;
* ``08.matmul`` — ``check_tensor_matmul(Tensor)``; provides ``Tensor.__matmul__`` (2-D @ 2-D);
* ``08.reduce`` — ``check_tensor_reduce(Tensor)``; provides ``Tensor.sum(axis=None,
  keepdims=False)`` and ``Tensor.mean(axis=None, keepdims=False)``;
* ``08.relu`` — ``check_tensor_relu(Tensor)``; provides ``Tensor.relu()``;
* ``08.exp_log`` — ``check_tensor_exp_log(Tensor)``; provides ``Tensor.exp()`` and
  ``Tensor.log()``.

After the chain the learner's ``Tensor`` has: ``+ - *`` (and r-ops, unary ``-``) with
broadcasting, ``@``, ``sum``/``mean`` over any axes, ``relu``, ``exp``, ``log``,
``backward(grad=None)``. Every array is float64; ``grad`` starts as zeros of ``data``'s shape;
``_backward`` is a zero-argument closure (the checkers also accept ``_backward(out)``).

How the graph checkers decide (see :mod:`autograd.course.tensor_rules`): each case builds a
small expression on fresh random arrays of random shapes, seeds the output's gradient with a
random array ``v`` (so the rule under test receives an ``out.grad`` that is not all ones) and
runs the learner's rules in reverse topological order; what each input's ``.grad`` must then
hold is ``vᵀJ``, the vector-Jacobian product, which the checker computes with float64
central differences of ``sum(v * f(x))`` on plain numpy, without the learner's code.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("08")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("08")``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder
from .study import Study
from .tensor_rules import (
    Shape,
    allclose,
    as_array,
    broadcast_pair,
    format_array,
    mismatch,
    new_seed,
    random_array,
    random_shape,
    run_tensor_cases,
    tensor_case,
)

__all__ = [
    "check_tensor_add_mul",
    "check_tensor_exp_log",
    "check_tensor_matmul",
    "check_tensor_reduce",
    "check_tensor_relu",
    "check_unbroadcast",
]

EXERCISES = [
    Exercise("08.unbroadcast", "un-broadcasting", "check_unbroadcast", chain="tensor",
             provides=("unbroadcast",)),
    Exercise("08.add_mul", "Tensor + and *", "check_tensor_add_mul", chain="tensor",
             provides=("Tensor.__add__", "Tensor.__mul__")),
    Exercise("08.matmul", "Tensor @", "check_tensor_matmul", chain="tensor",
             provides=("Tensor.__matmul__",)),
    Exercise("08.reduce", "Tensor sum and mean", "check_tensor_reduce", chain="tensor",
             provides=("Tensor.sum", "Tensor.mean")),
    Exercise("08.relu", "Tensor relu", "check_tensor_relu", chain="tensor",
             provides=("Tensor.relu",)),
    Exercise("08.exp_log", "Tensor exp and log", "check_tensor_exp_log", chain="tensor",
             provides=("Tensor.exp", "Tensor.log")),
]  # fmt: skip


# --------------------------------------------------------------------------- un-broadcasting
def reference_unbroadcast(grad: np.ndarray, shape: Shape) -> np.ndarray:
    """The answer by bookkeeping, without the un-broadcast rule: number every element of the
    input, let numpy broadcast the *numbers*, and add up the gradient at each position under
    the number it came from (``np.bincount`` with weights)."""
    ids = np.arange(int(np.prod(shape))).reshape(shape)
    origin = np.broadcast_to(ids, grad.shape)
    total = np.bincount(origin.ravel(), weights=grad.ravel(), minlength=ids.size)
    return total.reshape(shape)


def _unbroadcast_cases(rng: np.random.Generator) -> list[tuple[str, Shape, Shape]]:
    """(rule, input shape, grad shape): fixed cases first, then random ones for each kind."""
    cases = [
        ("same shape", (4, 3), (4, 3)),
        ("axes added on the left", (3,), (4, 3)),
        ("axes added on the left", (), (2, 3)),
        ("size-1 axes", (4, 1), (4, 3)),
        ("size-1 axes", (1, 3), (4, 3)),
        ("size-1 axes", (1, 1), (2, 3)),
        ("both kinds", (2, 1, 3), (5, 2, 4, 3)),
        ("both kinds", (1,), (3, 4)),
    ]
    for _ in range(8):
        out = random_shape(rng, ndim=int(rng.integers(2, 5)))
        cases.append(("same shape", out, out))
        lead = int(rng.integers(1, len(out) + 1))  # drop 1 .. all axes
        cases.append(("axes added on the left", out[lead:], out))
        cases.append(("size-1 axes", _some_ones(rng, out), out))
        lead = int(rng.integers(1, len(out)))  # drop some, keep at least one
        cases.append(("both kinds", _some_ones(rng, out[lead:]), out))
    return cases


def _some_ones(rng: np.random.Generator, shape: Shape) -> Shape:
    """``shape`` with at least one (random) axis set to 1."""
    ones = [rng.random() < 0.5 for _ in shape]
    ones[int(rng.integers(0, len(shape)))] = True
    return tuple(1 if one else n for n, one in zip(shape, ones, strict=True))


def _unbroadcast_hint(shape: Shape, gshape: Shape, got: np.ndarray, expected: np.ndarray) -> str:
    if got.shape != shape:
        if got.shape == gshape:
            return (
                "Nothing was summed: the result must have the input's shape. Sum over the axes "
                "broadcasting added on the left, then over the axes where the input has size 1."
            )
        if got.ndim < len(shape):
            return (
                "An axis is missing: in step 2, sum over the size-1 axes with keepdims=True, "
                "so they stay, with size 1."
            )
        return (
            f"The result must have shape {shape}. Step 1 sums the {len(gshape) - len(shape)} "
            "extra leading axes (axis=tuple(range(extra))); step 2 sums, with keepdims=True, the "
            "axes where the input has size 1."
        )
    n = max(1, int(np.prod(gshape)) // max(1, int(np.prod(shape))))
    if n > 1 and allclose(got * n, expected):
        return "These are averages; un-broadcasting *sums* the gradients (each use adds its own)."
    return (
        "Right shape, wrong numbers: the sums went over the wrong axes. The extra axes are the "
        "*leading* ones (numpy lines shapes up from the right)."
    )


def check_unbroadcast(
    unbroadcast: Callable[[np.ndarray, Shape], Any], *, seed: int | None = None, save: bool = True
) -> CheckReport:
    """Check ``unbroadcast(grad, shape)``: the gradient of a broadcast input of ``shape``.

    Compared with the bookkeeping answer (:func:`reference_unbroadcast`) on fixed shapes and
    random ones of each kind: same shape, axes added on the left, size-1 axes, both kinds.
    """
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    b = ReportBuilder("unbroadcast", "your unbroadcast sums exactly the stretched axes.", seed)
    for rule_name in ("same shape", "axes added on the left", "size-1 axes", "both kinds"):
        b.rule(rule_name)
    for rule_name, shape, gshape in _unbroadcast_cases(rng):
        rule = b.rule(rule_name)
        grad = random_array(rng, gshape)
        expected = reference_unbroadcast(grad, shape)
        where = f"for a grad of shape {gshape} and an input of shape {shape}"
        try:
            got = unbroadcast(grad.copy(), shape)
        except Exception as exc:
            rule.error(f"calling unbroadcast(grad, {shape}) with grad of shape {gshape}", exc)
            continue
        arr = as_array(got)
        if arr is None:
            rule.check(False, f"{where}: unbroadcast returned {format_array(got)}",
                       "Return the summed array (did you forget `return`?).")  # fmt: skip
            continue
        ok = allclose(arr, expected)
        rule.check(ok, f"{where}: " + mismatch("the result", arr, expected),
                   "" if ok else _unbroadcast_hint(shape, gshape, arr, expected))  # fmt: skip
    report = b.build()
    return finish("08.unbroadcast", report, {"unbroadcast": unbroadcast}, save=save)


# --------------------------------------------------------------------------- shapes for cases
def _same(k: int, ndim: int | None = None) -> Callable[[np.random.Generator], tuple[Shape, ...]]:
    """``k`` inputs of one random shape."""

    def shapes(rng: np.random.Generator) -> tuple[Shape, ...]:
        s = random_shape(rng, ndim)
        return (s,) * k

    return shapes


def _pair(rng: np.random.Generator) -> tuple[Shape, ...]:
    return broadcast_pair(rng)


def _square(k: int) -> Callable[[np.random.Generator], tuple[Shape, ...]]:
    """``k`` square matrices of one size (where a transposed or swapped product still runs)."""

    def shapes(rng: np.random.Generator) -> tuple[Shape, ...]:
        n = int(rng.integers(2, 5))
        return ((n, n),) * k

    return shapes


def _sizes(rng: np.random.Generator, k: int) -> list[int]:
    """``k`` different sizes from 2 to 6 (so that a product in the wrong order cannot run)."""
    return [int(n) for n in rng.choice(np.arange(2, 7), size=k, replace=False)]


def _chain(k: int) -> Callable[[np.random.Generator], tuple[Shape, ...]]:
    """Shapes of ``k`` matrices that multiply in a chain: (n0, n1), (n1, n2), ..."""

    def shapes(rng: np.random.Generator) -> tuple[Shape, ...]:
        n = _sizes(rng, k + 1)
        return tuple((n[i], n[i + 1]) for i in range(k))

    return shapes


def _layer(rng: np.random.Generator) -> tuple[Shape, ...]:
    n, k, m = _sizes(rng, 3)
    return (n, k), (k, m), (m,)


def _ndim(ndim: int) -> Callable[[np.random.Generator], tuple[Shape, ...]]:
    return lambda rng: (random_shape(rng, ndim),)


def _square2(rng: np.random.Generator) -> tuple[Shape, ...]:
    n = int(rng.integers(2, 5))
    return ((n, n),)


def _ub(grad: np.ndarray, shape: Shape) -> np.ndarray:
    return reference_unbroadcast(np.asarray(grad, dtype=np.float64), shape)


def _close_to(got: np.ndarray, candidate: Any) -> bool:
    cand = np.asarray(candidate, dtype=np.float64)
    return cand.shape == got.shape and allclose(got, cand)


# --------------------------------------------------------------------------- + and *
_BROADCAST_ERROR = (
    "A gradient of the wrong shape reached `+=`. Each input's gradient must have that input's "
    "shape: pass it through `unbroadcast(grad, self.shape)` (and `other.shape`) first; if "
    "the error comes from inside unbroadcast, run `check_unbroadcast(unbroadcast)`."
)


def _diagnose_add(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    if _close_to(got, 2 * _ub(v, x[name].shape)):
        return "That is 2 · out.grad. The local derivative of a + b is 1 for each input."
    return ""


def _diagnose_mul(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    others = [a for n, a in x.items() if n != name]
    shape = x[name].shape
    if not others:
        return ""
    other = others[0]
    if _close_to(got, _ub(x[name] * v + 0 * other, shape)):
        return (
            f"You multiplied by {name}'s own data. In c = a * b each factor receives the "
            "*other* factor: self.grad += unbroadcast(other.data * out.grad, self.shape), and "
            "the other way round."
        )
    if _close_to(got, _ub(v + 0 * other, shape)):
        return (
            "That is the rule for +. For *, the local derivative is the other factor: "
            "multiply out.grad by other.data (for self) and by self.data (for other)."
        )
    if _close_to(got, _ub(x[name] * other * v, shape)):
        return "You multiplied by out.data; use the other factor's .data instead."
    return ""


def _broadcast_diagnose(base: Any) -> Any:
    def diagnose(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
        return base(x, v, name, got) or (
            "Same shapes pass, but broadcast ones do not: check that both gradients go through "
            "`unbroadcast(..., input.shape)`, and that `check_unbroadcast(unbroadcast)` passes."
        )

    return diagnose


def _add_mul_cases() -> list[Any]:
    c = tensor_case
    bd_add, bd_mul = _broadcast_diagnose(_diagnose_add), _broadcast_diagnose(_diagnose_mul)
    return [
        c("add", "basic", "c = a + b", lambda a, b: a + b, "add", _same(2),
          formulas={"a": "c.grad", "b": "c.grad"}, diagnose=_diagnose_add),
        c("add", "re-use", "c = a + a", lambda a: a + a, "add", _same(1),
          formulas={"a": "c.grad + c.grad"}),
        c("add with broadcasting", "broadcast", "c = a + b", lambda a, b: a + b, "add", _pair,
          formulas={"a": "unbroadcast(c.grad, a.shape)", "b": "unbroadcast(c.grad, b.shape)"},
          diagnose=bd_add, error_hint=_BROADCAST_ERROR),
        c("add with broadcasting", "broadcast", "c = b + a", lambda a, b: b + a, "add", _pair,
          diagnose=bd_add, error_hint=_BROADCAST_ERROR),
        c("add with broadcasting", "broadcast", "c = a + b", lambda a, b: a + b, "add",
          [(4, 3), (3,)], diagnose=bd_add, error_hint=_BROADCAST_ERROR),
        c("add with broadcasting", "broadcast", "c = a + b", lambda a, b: a + b, "add",
          [(4, 1), (1, 3)], diagnose=bd_add, error_hint=_BROADCAST_ERROR),
        c("add with broadcasting", "broadcast", "c = a + 2.5", lambda a: a + 2.5, "add",
          _same(1), formulas={"a": "unbroadcast(c.grad, a.shape)"}, diagnose=bd_add,
          error_hint=_BROADCAST_ERROR),  # 2.5 becomes a Tensor of shape (), broadcast
        c("mul", "basic", "c = a * b", lambda a, b: a * b, "mul", _same(2),
          formulas={"a": "b.data * c.grad", "b": "a.data * c.grad"}, diagnose=_diagnose_mul),
        c("mul", "basic", "c = b * a", lambda a, b: b * a, "mul", _same(2),
          diagnose=_diagnose_mul),
        c("mul", "re-use", "c = a * a", lambda a: a * a, "mul", _same(1),
          formulas={"a": "a.data * c.grad + a.data * c.grad"}),
        c("mul with broadcasting", "broadcast", "c = a * b", lambda a, b: a * b, "mul", _pair,
          formulas={"a": "unbroadcast(b.data * c.grad, a.shape)",
                    "b": "unbroadcast(a.data * c.grad, b.shape)"},
          diagnose=bd_mul, error_hint=_BROADCAST_ERROR),
        c("mul with broadcasting", "broadcast", "c = b * a", lambda a, b: b * a, "mul", _pair,
          diagnose=bd_mul, error_hint=_BROADCAST_ERROR),
        c("mul with broadcasting", "broadcast", "c = a * b", lambda a, b: a * b, "mul",
          [(4, 1), (1, 3)], diagnose=bd_mul, error_hint=_BROADCAST_ERROR),
        c("mul with broadcasting", "broadcast", "c = a * b", lambda a, b: a * b, "mul",
          [(2, 3), ()], diagnose=bd_mul, error_hint=_BROADCAST_ERROR),
        c("mul with broadcasting", "broadcast", "c = a * 3.0", lambda a: a * 3.0, "mul",
          _same(1), formulas={"a": "unbroadcast(3 * c.grad, a.shape)"}, diagnose=bd_mul,
          error_hint=_BROADCAST_ERROR),  # 3.0 becomes a Tensor of shape (), broadcast
        c("+ and * together", "together", "d = a * b + a", lambda a, b: a * b + a, "add mul",
          _pair, own_backward=True),
        c("+ and * together", "together", "e = (a + b) * (a * b)",
          lambda a, b: (a + b) * (a * b), "add mul", _pair),
        c("+ and * together", "together", "d = 2 - a * b", lambda a, b: 2 - a * b, "add mul",
          _pair),
        c("+ and * together", "together", "s = a - b; d = s * s",
          lambda a, b: (s := a - b) * s, "add mul", _same(2)),
    ]  # fmt: skip


def _prereq_cases() -> list[Any]:
    """A few + and * cases, so a problem there is reported as such in later checkers."""
    rule = "+ and * (08.add_mul)"
    return [
        tensor_case(rule, "broadcast", "c = a + b", lambda a, b: a + b, "add", _pair,
                    error_hint=_BROADCAST_ERROR),
        tensor_case(rule, "broadcast", "c = a * b", lambda a, b: a * b, "mul", _pair,
                    error_hint=_BROADCAST_ERROR),
    ]  # fmt: skip


def _check_class(cls: object, who: str) -> type:
    if not isinstance(cls, type):
        raise TypeError(
            f"{who} needs your Tensor *class*, e.g. {who}(Tensor), not an instance of "
            f"{type(cls).__name__}"
        )
    return cls


def check_tensor_add_mul(
    tensor_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``Tensor.__add__`` and ``Tensor.__mul__``, on equal shapes and with broadcasting
    (``(4, 3) + (3,)``, ``(4, 1) * (1, 3)``, a number ``()`` ...), with numbers (``a + 2.5``),
    re-used inputs (``a * a``: ``+=``) and together (``a * b + a``, ``2 - a * b``)."""
    cls = _check_class(tensor_cls, "check_tensor_add_mul")
    report = run_tensor_cases(
        "Tensor + and *",
        "your + and * send gradients back, un-broadcast to every input's shape.",
        _add_mul_cases(),
        cls,
        seed,
        rounds,
    )
    return finish("08.add_mul", report,
                  {"Tensor.__add__": cls.__add__, "Tensor.__mul__": cls.__mul__},
                  save=save)  # fmt: skip


# --------------------------------------------------------------------------- @
_MATMUL_ERROR = (
    "The shapes of a product do not fit. For c = a @ b with a (n, k), b (k, m) and c.grad "
    "(n, m): a.grad += c.grad @ b.data.T, shape (n, m) @ (m, k) = (n, k); b.grad += "
    "a.data.T @ c.grad, shape (k, n) @ (n, m) = (k, m)."
)


def _diagnose_matmul(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    a, b = x["a"], x["b"]
    if name == "a":
        right = "a.grad += c.grad @ b.data.T"
        wrong = {"c.grad @ b.data (not transposed)": lambda: v @ b,
                 "b.data.T @ c.grad (the order swapped)": lambda: b.T @ v,
                 "b.data @ c.grad": lambda: b @ v,
                 "c.grad @ a.data.T (its own data)": lambda: v @ a.T}  # fmt: skip
    else:
        right = "b.grad += a.data.T @ c.grad"
        wrong = {"a.data @ c.grad (not transposed)": lambda: a @ v,
                 "c.grad @ a.data.T (the order swapped)": lambda: v @ a.T,
                 "c.grad @ a.data": lambda: v @ a,
                 "b.data.T @ c.grad (its own data)": lambda: b.T @ v}  # fmt: skip
    for text, value in wrong.items():
        try:
            candidate = value()
        except ValueError:  # the shapes do not fit: it cannot be this mistake
            continue
        if _close_to(got, candidate):
            return f"That is {text}. The rule is {right}."
    return ""


def check_tensor_matmul(
    tensor_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``Tensor.__matmul__`` (2-D @ 2-D): ``a.grad += c.grad @ b.T`` and
    ``b.grad += a.T @ c.grad``, on rectangular shapes (all sizes different, so a product in the
    wrong order cannot run) and square ones (where it runs and gives wrong numbers), re-used
    (``a @ a``), chained (``(a @ b) @ c``) and in a layer (``x @ W + b``)."""
    cls = _check_class(tensor_cls, "check_tensor_matmul")
    c = tensor_case
    cases = _prereq_cases() + [
        c("matmul", "basic", "c = a @ b", lambda a, b: a @ b, "matmul", _chain(2),
          formulas={"a": "c.grad @ b.data.T", "b": "a.data.T @ c.grad"},
          diagnose=_diagnose_matmul, error_hint=_MATMUL_ERROR),
        c("matmul", "basic", "c = a @ b", lambda a, b: a @ b, "matmul", _square(2),
          formulas={"a": "c.grad @ b.data.T", "b": "a.data.T @ c.grad"},
          diagnose=_diagnose_matmul, error_hint=_MATMUL_ERROR),
        c("matmul", "basic", "c = a @ b", lambda a, b: a @ b, "matmul", [(1, 3), (3, 1)],
          diagnose=_diagnose_matmul, error_hint=_MATMUL_ERROR),
        c("matmul", "re-use", "c = a @ a", lambda a: a @ a, "matmul", _square(1),
          error_hint=_MATMUL_ERROR),
        c("matmul", "nested", "d = (a @ b) @ c", lambda a, b, c: (a @ b) @ c, "matmul",
          _chain(3), error_hint=_MATMUL_ERROR),
        c("matmul in a layer", "together", "h = x @ W + b", lambda x, W, b: x @ W + b,
          "matmul", _layer, uses="add", error_hint=_MATMUL_ERROR, own_backward=True),
        c("matmul in a layer", "together", "y = (x @ W) * (x @ W)",
          lambda x, W: (x @ W) * (x @ W), "matmul", _chain(2), uses="mul",
          error_hint=_MATMUL_ERROR),
    ]  # fmt: skip
    report = run_tensor_cases(
        "Tensor @", "your @ sends back c.grad @ b.T and a.T @ c.grad.", cases, cls, seed, rounds
    )
    return finish("08.matmul", report, {"Tensor.__matmul__": cls.__matmul__}, save=save)


# --------------------------------------------------------------------------- sum and mean
def _diagnose_reduce(mean: bool, axis: Any, keepdims: bool) -> Any:
    def diagnose(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
        a = x["a"]
        n = a.size // max(1, v.size)
        scale = 1.0 / n if mean else 1.0
        if axis is not None and not keepdims and v.ndim == 1 and a.ndim == 2:
            wrong_axis = np.broadcast_to(v, a.shape) * scale  # v spread along the wrong axis
            if _close_to(got, wrong_axis):
                return (
                    "The gradient was spread along the wrong axis: numpy broadcasting lines "
                    "shapes up from the right. Put the summed axis back first, "
                    "`np.expand_dims(out.grad, axis)`, then broadcast to self.shape."
                )
        if mean:
            right = np.broadcast_to(np.expand_dims(v, axis) if axis is not None and not
                                    keepdims else v, a.shape) / n  # fmt: skip
            if _close_to(got, right * n):
                return (
                    f"That is the gradient of the sum: a mean divides by the number of "
                    f"elements it averages (here n = {n}), so its gradient is out.grad / n."
                )
            if _close_to(got, right * n / a.size) and n != a.size:
                return (
                    f"You divided by the size of the whole array ({a.size}); divide by the "
                    f"number of elements each mean averages (here n = {n} = "
                    "self.data.size // out.data.size)."
                )
        return ""

    return diagnose


def _reduce_cases() -> list[Any]:
    c = tensor_case
    d = _diagnose_reduce
    err = (
        "The gradient has the output's shape; it must be spread back to the input's shape: "
        "put back the reduced axes (np.expand_dims(out.grad, axis), unless keepdims=True), "
        "then np.broadcast_to(grad, self.shape)."
    )
    cases = []
    for op, mean in (("sum", False), ("mean", True)):
        f = "m" if mean else "s"
        cases += [
            c(op, "basic", f"{f} = a.{op}()", lambda a, op=op: getattr(a, op)(), op, _same(1),
              ref=lambda a, op=op: getattr(a, op)(), diagnose=d(mean, None, False),
              error_hint=err, own_backward=True),
            c(op, "basic", f"{f} = a.{op}(axis=0)", lambda a, op=op: getattr(a, op)(axis=0), op,
              _ndim(2), diagnose=d(mean, 0, False), error_hint=err),
            c(op, "basic", f"{f} = a.{op}(axis=1)", lambda a, op=op: getattr(a, op)(axis=1), op,
              _square2, diagnose=d(mean, 1, False), error_hint=err),
            c(op, "basic", f"{f} = a.{op}(axis=1)", lambda a, op=op: getattr(a, op)(axis=1), op,
              _ndim(3), diagnose=d(mean, 1, False), error_hint=err),
            c(op, "basic", f"{f} = a.{op}(axis=-1)", lambda a, op=op: getattr(a, op)(axis=-1),
              op, _ndim(3), diagnose=d(mean, -1, False), error_hint=err),
            c(op, "basic", f"{f} = a.{op}(axis=1, keepdims=True)",
              lambda a, op=op: getattr(a, op)(axis=1, keepdims=True), op, _ndim(2),
              diagnose=d(mean, 1, True), error_hint=err),
            c(op, "basic", f"{f} = a.{op}(axis=(0, 2))",
              lambda a, op=op: getattr(a, op)(axis=(0, 2)), op, _ndim(3),
              diagnose=d(mean, (0, 2), False), error_hint=err),
            c(op, "nested", f"{f} = a.{op}(axis=0).{op}()",
              lambda a, op=op: getattr(getattr(a, op)(axis=0), op)(), op, _ndim(2),
              error_hint=err),
        ]  # fmt: skip
    cases += [
        c("sum", "re-use", "s = a.sum(axis=1, keepdims=True) * a",
          lambda a: a.sum(axis=1, keepdims=True) * a, "sum", _ndim(2), uses="mul",
          error_hint=err),
        c("mean", "re-use", "m = a - a.mean(axis=0)", lambda a: a - a.mean(axis=0), "mean",
          _ndim(2), uses="add mul", error_hint=err),
        c("sum and mean together", "together", "L = ((a * b).sum(axis=1) - 1.0).mean()",
          lambda a, b: ((a * b).sum(axis=1) - 1.0).mean(), "sum mean", _same(2, 2),
          uses="add mul"),
    ]  # fmt: skip
    return cases


def check_tensor_reduce(
    tensor_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``Tensor.sum(axis=None, keepdims=False)`` and ``Tensor.mean(...)``: over all
    elements, over one axis (0, 1, -1; on a square array too, where spreading the gradient
    along the wrong axis still runs), several axes, with ``keepdims=True``, nested and re-used.
    The backward rule of a sum is a broadcast; of a mean, a broadcast divided by n."""
    cls = _check_class(tensor_cls, "check_tensor_reduce")
    report = run_tensor_cases(
        "Tensor sum and mean",
        "your sum and mean spread the gradient back over every element they reduced.",
        _prereq_cases() + _reduce_cases(),
        cls,
        seed,
        rounds,
    )
    return finish("08.reduce", report, {"Tensor.sum": cls.sum, "Tensor.mean": cls.mean},
                  save=save)  # fmt: skip


# --------------------------------------------------------------------------- relu
def _diagnose_relu(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    a = x[name]
    if _close_to(got, v):
        return (
            "The gradient went through everywhere, also where the input was negative. relu "
            "passes it only where the input was positive: (self.data > 0) * out.grad."
        )
    if _close_to(got, np.maximum(a, 0) * v):
        return "You multiplied by relu(x) itself; multiply by the 0/1 mask (self.data > 0)."
    if _close_to(got, (v > 0) * v):
        return "The mask must come from the input (self.data > 0), not from out.grad."
    if _close_to(got, (a < 0) * v):
        return "The mask is the wrong way round: the gradient passes where self.data > 0."
    return ""


def check_tensor_relu(
    tensor_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``Tensor.relu()``: the gradient passes where the input was positive and is
    blocked elsewhere (inputs stay at least 0.5 away from the kink at 0)."""
    cls = _check_class(tensor_cls, "check_tensor_relu")
    c = tensor_case
    cases = _prereq_cases() + [
        c("relu", "basic", "r = a.relu()", lambda a: a.relu(), "relu", _same(1),
          ref=lambda a: np.maximum(a, 0.0), formulas={"a": "(a.data > 0) * r.grad"},
          diagnose=_diagnose_relu, own_backward=True),
        c("relu", "basic", "r = a.relu()", lambda a: a.relu(), "relu", [(4, 5)],
          ref=lambda a: np.maximum(a, 0.0), diagnose=_diagnose_relu),
        c("relu", "nested", "r = a.relu().relu()", lambda a: a.relu().relu(), "relu",
          _same(1), ref=lambda a: np.maximum(a, 0.0)),
        c("relu", "re-use", "r = a.relu() * a", lambda a: a.relu() * a, "relu", _same(1),
          uses="mul", ref=lambda a: np.maximum(a, 0.0) * a),
        c("relu", "nested", "r = (a * b).relu()", lambda a, b: (a * b).relu(), "relu", _pair,
          uses="mul", ref=lambda a, b: np.maximum(a * b, 0.0)),
    ]  # fmt: skip
    report = run_tensor_cases(
        "Tensor relu", "your relu lets the gradient through exactly where the input was > 0.",
        cases, cls, seed, rounds,
    )  # fmt: skip
    return finish("08.relu", report, {"Tensor.relu": cls.relu}, save=save)


# --------------------------------------------------------------------------- exp and log
def _diagnose_exp(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    a = x[name]
    if _close_to(got, a * v):
        return "The derivative of exp(x) is exp(x) itself (out.data), not x."
    if _close_to(got, v):
        return "The local derivative is missing: self.grad += out.data * out.grad."
    return ""


def _diagnose_log(x: dict[str, np.ndarray], v: np.ndarray, name: str, got: np.ndarray) -> str:
    a = x[name]
    if _close_to(got, a * v):
        return "You multiplied by x; the derivative of log(x) is 1/x: out.grad / self.data."
    if _close_to(got, np.log(a) * v):
        return "That is log(x) · out.grad; the derivative of log(x) is 1/x."
    if _close_to(got, v / np.log(a)):
        return "Divide by the input (self.data), not by log(x) (out.data)."
    if _close_to(got, v):
        return "The local derivative is missing: self.grad += out.grad / self.data."
    return ""


def check_tensor_exp_log(
    tensor_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``Tensor.exp()`` (derivative exp(x), the output itself) and ``Tensor.log()``
    (derivative 1/x; inputs positive), alone, nested, re-used and together."""
    cls = _check_class(tensor_cls, "check_tensor_exp_log")
    c = tensor_case
    cases = _prereq_cases() + [
        c("exp", "basic", "e = a.exp()", lambda a: a.exp(), "exp", _same(1), ref=np.exp,
          formulas={"a": "e.data * e.grad"}, diagnose=_diagnose_exp, own_backward=True),
        c("exp", "nested", "e = (a * b).exp()", lambda a, b: (a * b).exp(), "exp", _pair,
          uses="mul", ref=lambda a, b: np.exp(a * b)),
        c("exp", "re-use", "e = a.exp() * a", lambda a: a.exp() * a, "exp", _same(1),
          uses="mul", ref=lambda a: np.exp(a) * a),
        c("log", "basic", "l = a.log()", lambda a: a.log(), "log", _same(1), ref=np.log,
          positive=True, formulas={"a": "l.grad / a.data"}, diagnose=_diagnose_log,
          own_backward=True),
        c("log", "nested", "l = (a * b).log()", lambda a, b: (a * b).log(), "log", _pair,
          uses="mul", ref=lambda a, b: np.log(a * b), positive=True),
        c("log", "re-use", "l = a.log() * a", lambda a: a.log() * a, "log", _same(1),
          uses="mul", ref=lambda a: np.log(a) * a, positive=True),
        c("exp and log together", "together", "y = a.exp().log()", lambda a: a.exp().log(),
          "exp log", _same(1), ref=lambda a: np.log(np.exp(a))),
        c("exp and log together", "together", "y = (a.exp() + b.exp()).log()",
          lambda a, b: (a.exp() + b.exp()).log(), "exp log", _pair, uses="add",
          ref=lambda a, b: np.log(np.exp(a) + np.exp(b))),
    ]  # fmt: skip
    report = run_tensor_cases(
        "Tensor exp and log", "your exp and log send gradients back correctly.",
        cases, cls, seed, rounds,
    )  # fmt: skip
    return finish("08.exp_log", report, {"Tensor.exp": cls.exp, "Tensor.log": cls.log},
                  save=save)  # fmt: skip


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or by the check it asks to run): both
# engines give the loss 1.015658 and the same gradients in all 6 parameter arrays (to 1e-12);
# 21,972 Value nodes against 19 Tensor nodes for 32 points, 43,604 against 19 for 64; the bias
# cell's G = 1 ... 12 gives b.grad = [22, 26, 30]. With `=` instead of `+=` in the rule of *
# only, check_tensor_add_mul fails `c = a * a`, `d = a * b + a` and `s = a - b; d = s * s`;
# it judges and passes every broadcast case, `c = a * 3.0` and `d = 2 - a * b`; and its hint
# says an input used twice must collect gradient from both uses
# (tests/course/test_lesson08_quiz.py runs exactly that).
QUIZ = [
    Question(
        "08.bias",
        "A bias `b` of shape (3,) is added to a batch `z` of shape (4, 3), `y = z + b`, and "
        "the gradient arriving at `y` is all ones. What is `b.grad`?",
        [
            Choice(
                "all ones, of shape (4, 3)",
                "That is y's gradient, not b's: a gradient always has the shape of its "
                "tensor's data, so `b.grad` has shape (3,). numpy would even refuse the `+=` "
                "of a (4, 3) array into a (3,) one; `unbroadcast` sums it back to (3,) first.",
            ),
            Choice(
                "`[4, 4, 4]`, of shape (3,)",
                "Each `b[j]` is used in all 4 rows (in y[0, j], y[1, j], y[2, j], y[3, j]), and "
                "each use sends back a 1: the un-broadcast rule sums the gradient over the "
                "batch axis that broadcasting added, back to b's shape (3,). With the lesson's "
                "G = 1 ... 12 the same column sums give b.grad = [22, 26, 30].",
            ),
            Choice(
                "`[1, 1, 1]`, of shape (3,)",
                "That counts each `b[j]` once, as if broadcasting were free. But numpy used b "
                "in every one of the 4 rows, as if it had been copied four times, and the "
                "gradients of all the uses add up, like those of a Value used twice in "
                "lesson 03.",
            ),
            Choice(
                "`12.0`, a single number",
                "Summing over every axis is the rule for a bias of shape `()`, one number used "
                "in all 12 places. This b holds 3 numbers, and broadcasting stretched only "
                "axis 0: the sum runs over the batch axis alone, one gradient per feature.",
            ),
        ],
        answer=1,
    ),
    Question(
        "08.matmul",
        "For `C = A @ B` with `A` of shape (5, 3) and `B` of shape (3, 2), which expression is "
        "dL/dA? (`G` is dL/dC, of shape (5, 2).)",
        [
            Choice(
                "`A.T @ G`",
                "That is dL/dB: (3, 5) @ (5, 2) has shape (3, 2), B's shape. dL/dA must have "
                "A's shape, (5, 3), and A cannot appear in it: C is linear in A, so how C "
                "moves with A depends only on B (and on G, what arrives from above).",
            ),
            Choice(
                "`G @ B`",
                "(5, 2) @ (3, 2) cannot even run: the inner sizes, 2 and 3, differ. The "
                "transpose is missing: dL/dA[i, p] = sum_j G[i, j] B[p, j] pairs G's columns "
                "with B's columns, and that is G @ B.T.",
            ),
            Choice(
                "`B.T @ G`",
                "The factors are in the wrong order: (2, 3) @ (5, 2) does not run (inner "
                "sizes 3 and 5). Matrix products do not commute, and G's rows are A's rows "
                "(one per example of the batch), so G must come first.",
            ),
            Choice(
                "`G @ B.T`",
                "dL/dA must have A's shape (5, 3), and the only product of G (5, 2) and "
                "B (3, 2) with that shape is (5, 2) @ (2, 3) = G @ B.T. Entry by entry it is "
                "sum_j G[i, j] B[p, j]: each A[i, p] collects its uses in row i of C.",
            ),
        ],
        answer=3,
    ),
    Question(
        "08.speed",
        "Why is one training step of the same MLP so much faster with `Tensor`s than with "
        "`Value`s?",
        [
            Choice(
                "`x @ W` does fewer multiplications than the Value loops",
                "Both engines do the same arithmetic: the losses agree (1.015658) and so do "
                "all 6 gradient arrays. `x @ W` multiplies every input by every weight, just "
                "as the loops do; it does it in numpy's compiled code.",
            ),
            Choice(
                "numpy works in float32, half the work of Python's float64",
                "Every array in the lesson is float64, like Python's floats, and the gradients "
                "of the two engines agree to twelve decimals, which float32 could not do. The "
                "saving is not in the numbers but in the bookkeeping around them.",
            ),
            Choice(
                "Python pays per node; a Tensor node holds a whole array",
                "Python spends about the same time on each node, whatever it holds, so a step "
                "costs about (nodes) × (time per node): 19 Tensor nodes here, 21,972 Value "
                "nodes. One `x @ W` node does the work of thousands of Value nodes in compiled "
                "code; with 64 points the Value graph grows to 43,604 nodes and the tensor "
                "graph stays at 19.",
            ),
            Choice(
                "Tensors' `backward()` skips the sort that Values need",
                "Both sort: a Tensor's backward() is your lesson-05 sweep, the same iterative "
                "topological order. Sorting costs time per node, so it is cheaper with tensors "
                "only because there are far fewer nodes to sort.",
            ),
        ],
        answer=2,
    ),
    Question(
        "08.assign",
        "From the Try it list: in your `__mul__` you write `=` instead of `+=` (your `+` stays "
        "right) and run `print(check_tensor_add_mul(Tensor))`. `c = a * a` fails, as you would "
        "expect. Which of these expressions fails too, and why?",
        [
            Choice(
                "`c = a * 3.0`: the 3.0 becomes a Tensor whose grad gets overwritten",
                "`_wrap` makes 3.0 a fresh leaf, and a and the leaf are each written once, "
                "by the one rule of `*`, into grads that start at zeros: `=` and `+=` give "
                "the same result, and the check passes this case.",
            ),
            Choice(
                "`d = a * b + a`: a reaches d on two paths, and two rules write a.grad",
                "backward runs the rule of + first (d is made last): it adds d.grad into "
                "a.grad. Then the rule of * runs and, with `=`, replaces a.grad by its own "
                "share, so the share of + is lost. It is the mistake of c = a * a, where one "
                "rule writes a.grad twice; s = a - b; d = s * s fails the same way. The hint "
                "says it: an input used twice must collect gradient from both uses.",
            ),
            Choice(
                "`c = a * b` with shapes (4, 1) and (1, 3): each a[i] is used 3 times",
                "The 3 uses of a[i] are summed inside one rule, by `unbroadcast`, before the "
                "single assignment: `=` writes the complete sum. `=` loses a share only when a "
                "second write reaches the same grad (a second line of the rule, as in a * a, "
                "or a second rule), so every broadcast case still passes.",
            ),
            Choice(
                "`d = 2 - a * b`: the scaffold's `-` adds a second `*` on the same path",
                "The scaffold makes `2 - t` as `2 + t * -1`, so two rules of `*` run, but "
                "they write to different tensors (the `* -1` to the a * b node and the -1 "
                "leaf, the other to a and b), each once. Nothing is overwritten: the check "
                "passes it.",
            ),
        ],
        answer=1,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "measure why the scalar engine is slow: count its nodes and time one training step",
        "write your own `Tensor`: un-broadcasting, `+` and `*` with broadcasting, the matrix "
        "product `@`, `sum` and `mean`, `relu`, `exp` and `log` — each rule checked against "
        "central differences on random shapes",
        "see reverse mode for what it is: each backward rule computes a vector–Jacobian "
        "product v^T J, without ever building the Jacobian J",
        "watch gradients flow through a tensor graph, shapes and all",
    ],
    formulas=[
        "cost of a step ≈ (number of nodes) × (Python time per node); one Tensor node holds a "
        "whole array",
        "a Tensor's grad has the shape of its data: one partial derivative per number",
        "broadcasting: line the shapes up from the right; each pair of sizes is equal or one "
        "is 1 (a missing axis counts as 1); size-1 axes are copied",
        "un-broadcast: sum the gradient over every axis broadcasting stretched (added on the "
        "left, or of size 1, kept with keepdims)",
        "out = a + b: a.grad += unbroadcast(out.grad, a.shape), and the same for b",
        "out = a * b: a.grad += unbroadcast(b.data * out.grad, a.shape), and the other way "
        "round for b",
        "C = A @ B with G = dL/dC: dL/dA = G @ B.T, dL/dB = A.T @ G (the shapes allow no other "
        "answer)",
        "sum: forward sum, backward broadcast (put the summed axes back, copy out.grad); "
        "mean: the same divided by n",
        "relu: x.grad += (x > 0) * out.grad; exp: x.grad += out.data * out.grad; log: "
        "x.grad += out.grad / x",
        "backward seeded with v gives every input v^T J, a vector-Jacobian product, without "
        "building J; seeded with e_i it gives row i of J",
    ],
    demo=(
        "One training step of the same small MLP (2 inputs, two hidden layers of 16, 1 output, "
        "337 parameters) on a batch of 32 points, once with Values and once with Tensors: the "
        "same loss, 1.015658, and the same gradients, but 21,972 Value nodes against 19 Tensor "
        "nodes (43,604 against 19 for 64 points). Then one layer of my own Tensor, x @ W + b "
        "with x of shape (4, 3), W of shape (3, 2) and b of shape (2,), a relu and "
        "loss = h.sum(), as a 7-node graph whose backward animation shows each rule with its "
        "shapes, ending with b.grad = [3, 1]: for each output column, the rows where the ReLU "
        "was on."
    ),
    try_it=[
        "Predict, then run. In the bias cell after Exercise 2, replace b by a single number, "
        "Tensor(0.0), or by a row, Tensor(np.zeros((1, 3))), and re-run it: what shape and what "
        "numbers will b.grad have?",
        "Break a rule on purpose. In your __mul__, use self.data instead of other.data and "
        "print(check_tensor_add_mul(Tensor)): which expression fails first, and what does the "
        "hint say? Then use = instead of += in __mul__: c = a * a fails; which other "
        "expressions fail, and why, when your + is still right? Why do the broadcast cases "
        "still pass?",
        "The Jacobian of @. Build J of C = A @ B with respect to B for A of shape (2, 3) and B "
        "of shape (3, 2), seeding backward with each e_i, and check that G.ravel() @ J equals "
        "(A.T @ G).ravel()",
        "Widen the network. Change sizes to [2, 32, 32, 1] and re-run the first cells: what "
        "happens to the Value node count, and to the Tensor count?",
    ],
)
