"""Shared machinery for checking a learner's numpy ``Tensor`` (lessons 08-10).

A tensor checker is a list of :class:`TensorCase` s run by :func:`run_tensor_cases`. For
each case, on fresh random arrays of (often random) shapes, it

1. builds the expression with the learner's class (``case.fn(*tensors)``) and compares the
   forward value with ``case.ref(*arrays)``, the same expression on plain numpy;
2. seeds the output's gradient with a **random** array ``v`` of the output's shape (so the
   rule under test receives an ``out.grad`` that is not all ones) and runs the learner's
   backward rules itself (:func:`sweep`: its own topological order over ``_prev``, either rule
   form, ``_backward()`` or ``_backward(out)``);
3. compares every input's ``.grad`` with ``vᵀJ``, the vector-Jacobian product, computed by
   float64 central differences of ``sum(v * ref(x))`` (:func:`numerical_vjp`) — without any
   of the learner's code;
4. separately runs the class's own ``backward()`` once (:func:`check_own_backward`), so a rule
   written in the form the scaffold does not call gets a targeted hint.

Then it blames: an operation is *broken* if it fails a case that uses nothing else; a
failing case that also uses a broken operation is reported as "could not be judged" rather
than blamed on the operation it tests — unless that operation fails only where an input is
used twice (the ``=`` instead of ``+=`` mistake): then the cases of several operations are
judged too, since they show where else the mistake bites (``d = a * b + a``). Every failure
names the rule, the shapes, the first wrong element (got vs expected) and, where it can
tell, the likely mistake; a rule that *replaces* its inputs' gradients instead of adding to
them is found directly (:func:`overwriting_rules`).

The pieces are usable on their own (lesson 09/10 checkers, tests):

* shapes: :func:`random_shape`, :func:`stretched_shape`, :func:`broadcast_pair`;
  values: :func:`random_array` (generic numbers, away from 0 and from each other);
* numbers: :func:`numerical_vjp`, :func:`numerical_jacobian`;
* comparing: :func:`allclose`, :func:`mismatch`, :func:`format_array`;
* graphs: :func:`topological`, :func:`sweep`, :func:`check_own_backward`,
  :func:`overwriting_rules` (and its :func:`overwrite_hint`);
* cases: :func:`tensor_case`, :func:`run_tensor_cases`.

Example (a checker of ``Tensor.tanh``)::

    cases = [tensor_case("tanh", "basic", "c = a.tanh()", lambda a: a.tanh(), "tanh",
                         shapes=lambda rng: (random_shape(rng),), ref=np.tanh)]
    report = run_tensor_cases("tanh", "your tanh is right.", cases, Tensor, seed=None)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import run_rule
from .report import CheckReport, Failure, Rule, error_failure, signature_hint

__all__ = [
    "ATOL",
    "RTOL",
    "Shape",
    "TensorCase",
    "allclose",
    "as_array",
    "broadcast_pair",
    "check_own_backward",
    "format_array",
    "mismatch",
    "new_seed",
    "numerical_jacobian",
    "numerical_vjp",
    "overwrite_hint",
    "overwriting_rules",
    "random_array",
    "random_shape",
    "run_tensor_cases",
    "stretched_shape",
    "sweep",
    "tensor_case",
    "topological",
]

Shape = tuple[int, ...]
ATOL = 1e-6  # a gradient element passes if |got - expected| <= ATOL + RTOL * |expected|
RTOL = 1e-5
EPS = 1e-6  # the central-difference step (float64)


def new_seed(seed: int | None) -> int:
    """``seed`` itself, or a fresh random one (every checker call gets new cases)."""
    return int.from_bytes(os.urandom(8), "big") if seed is None else int(seed)


# --------------------------------------------------------------------------- shapes and arrays
def random_shape(
    rng: np.random.Generator, ndim: int | None = None, max_ndim: int = 3, max_size: int = 4
) -> Shape:
    """A random shape with ``ndim`` axes (default 1 to ``max_ndim``), each of size 2 to
    ``max_size`` (no size 1, so broadcasting is never accidental), at most 24 elements."""
    if ndim is None:
        ndim = int(rng.integers(1, max_ndim + 1))
    while True:
        shape = tuple(int(n) for n in rng.integers(2, max_size + 1, size=ndim))
        if np.prod(shape) <= max(24, 2**ndim):  # small enough to read in a report
            return shape


def stretched_shape(rng: np.random.Generator, out_shape: Shape, p_one: float = 0.4) -> Shape:
    """A shape that broadcasts to ``out_shape`` and is **not** ``out_shape``: some leading axes
    dropped and/or some axes set to 1 (the two kinds of axes that un-broadcasting sums)."""
    while True:
        kept = out_shape[int(rng.integers(0, len(out_shape) + 1)) :]
        shape = tuple(1 if rng.random() < p_one else n for n in kept)
        if shape != out_shape:
            return shape


def broadcast_pair(rng: np.random.Generator, max_ndim: int = 3) -> tuple[Shape, Shape]:
    """Two shapes that broadcast together, at least one of them stretched; either may be the
    smaller one, and sometimes both are stretched (``(4, 1)`` with ``(1, 3)``)."""
    out = random_shape(rng, max_ndim=max_ndim)
    a, b = out, stretched_shape(rng, out)
    if len(b) == len(out) and rng.random() < 0.3:  # stretch the other one too, elsewhere
        ones = [i for i, n in enumerate(b) if n != 1]
        if ones:
            i = int(rng.choice(ones))
            a = tuple(1 if k == i else n for k, n in enumerate(out))
    return (a, b) if rng.random() < 0.5 else (b, a)


def random_array(
    rng: np.random.Generator, shape: Shape, positive: bool = False, low: float = 0.5,
    high: float = 2.0,
) -> np.ndarray:  # fmt: skip
    """Float64 numbers of magnitude in [``low``, ``high``], random signs unless ``positive``.

    Away from 0 and 1 (so ``relu`` and ``log`` are smooth around each element, and a mistake that
    multiplies by the wrong factor cannot hide behind a zero), with both signs present when
    there are two or more numbers (so a ``relu`` mask is never all ones or all zeros), and
    rounded to two decimals (readable in a report)."""
    mags = rng.uniform(low, high, size=shape).round(2)
    mags = np.where(np.abs(mags - 1.0) < 0.15, mags + 0.3, mags)  # not near 1 (log 1 = 0)
    if positive:
        return mags.astype(np.float64)
    signs = np.where(rng.random(size=shape) < 0.5, -1.0, 1.0)
    if signs.size >= 2 and abs(signs.sum()) == signs.size:  # both signs, always
        signs.flat[int(rng.integers(0, signs.size))] *= -1.0
    return (signs * mags).astype(np.float64)


# --------------------------------------------------------------------------- central differences
def numerical_vjp(
    f: Callable[..., Any], arrays: Sequence[np.ndarray], v: np.ndarray, eps: float = EPS
) -> list[np.ndarray]:
    """``vᵀJ`` for every input, by central differences: the gradient of ``sum(v * f(*arrays))``.

    ``f`` works on plain numpy arrays (no Tensors, no backward rules). Each element of each
    input is nudged by ``±eps`` in float64; the returned arrays have the inputs' shapes. This
    is what a correct reverse-mode backward pass puts into the inputs' ``.grad`` when the
    output's gradient is seeded with ``v``.
    """
    xs = [np.array(a, dtype=np.float64) for a in arrays]
    v = np.asarray(v, dtype=np.float64)

    def scalar() -> float:
        return float(np.sum(v * np.asarray(f(*xs), dtype=np.float64)))

    grads = []
    for x in xs:
        g = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            keep = x[idx]
            x[idx] = keep + eps
            up = scalar()
            x[idx] = keep - eps
            down = scalar()
            x[idx] = keep
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


def numerical_jacobian(
    f: Callable[[np.ndarray], Any], x: np.ndarray, eps: float = EPS
) -> np.ndarray:
    """The full Jacobian of ``f`` at ``x`` by central differences, as a matrix of shape
    ``(f(x).size, x.size)``: row ``i`` holds the derivatives of output element ``i`` (both
    flattened in numpy's order). Reverse mode never builds this; ``v @ J`` is what it gives."""
    x = np.array(x, dtype=np.float64)
    columns = []
    for idx in np.ndindex(x.shape):
        keep = x[idx]
        x[idx] = keep + eps
        up = np.asarray(f(x), dtype=np.float64).ravel()
        x[idx] = keep - eps
        down = np.asarray(f(x), dtype=np.float64).ravel()
        x[idx] = keep
        columns.append((up - down) / (2 * eps))
    return np.stack(columns, axis=1)


# --------------------------------------------------------------------------- comparing
def as_array(x: Any) -> np.ndarray | None:
    """``x`` as a float64 array, or None if it is not numbers (None, a Tensor, text ...)."""
    if x is None or hasattr(x, "_prev"):
        return None
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def allclose(got: Any, expected: np.ndarray, atol: float = ATOL, rtol: float = RTOL) -> bool:
    """True iff ``got`` is numbers of exactly ``expected``'s shape, each within
    ``atol + rtol·|expected|`` (no broadcasting: a ``(3,)`` gradient for a ``(1, 3)`` input is
    wrong)."""
    arr = as_array(got)
    if arr is None or arr.shape != np.shape(expected):
        return False
    return bool(np.all(np.abs(arr - expected) <= atol + rtol * np.abs(expected)))


def format_array(x: Any) -> str:
    """A compact, readable array on one line: 4 decimals, long arrays abbreviated with ``...``."""
    arr = as_array(x)
    if arr is None:
        return repr(x) if x is None else f"a {type(x).__name__}"
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    text = np.array2string(
        arr, precision=4, suppress_small=True, separator=", ", threshold=24, edgeitems=1,
        max_line_width=10**6, floatmode="maxprec",
    )  # fmt: skip
    return " ".join(text.split())


def mismatch(quantity: str, got: Any, expected: np.ndarray, formula: str = "") -> str:
    """``"expected a.grad (shape (4, 3)) = ..., got ..."`` with the first wrong element named.

    ``formula`` (e.g. ``"unbroadcast(out.grad, a.shape)"``) is shown with the expected value.
    """
    shown = f" (= {formula})" if formula else ""
    exp_text = f"expected {quantity} of shape {tuple(np.shape(expected))}{shown}"
    arr = as_array(got)
    if arr is None:
        return f"{exp_text}, got {format_array(got)}"
    if arr.shape != np.shape(expected):
        return f"{exp_text}, got shape {arr.shape}: {format_array(arr)}"
    bad = np.abs(arr - expected) > ATOL + RTOL * np.abs(expected)
    where = ""
    if arr.ndim and bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f"; first difference at index {idx}: expected {expected[idx]:.6g}"
        where += f", got {arr[idx]:.6g}"
    return f"{exp_text}: {format_array(expected)}, got {format_array(arr)}{where}"


# --------------------------------------------------------------------------- graphs
def topological(root: Any) -> list[Any]:
    """Every node ``root`` depends on, each after its inputs (iterative, along ``_prev``)."""
    order: list[Any] = []
    seen: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(tuple(getattr(node, "_prev", ()))))
    return order


def sweep(root: Any, seed_grad: np.ndarray) -> None:
    """The backward pass, driven by the checker instead of the learner's ``backward()``.

    Every node's grad is set to zeros (leaves too: the checker's leaves are fresh), the
    root's to a copy of ``seed_grad``, then each node's rule runs in reverse topological
    order, in whichever form it was written (``_backward()`` closure or ``_backward(out)``).
    """
    order = topological(root)
    for node in order:
        node.grad = np.zeros_like(np.asarray(node.data, dtype=np.float64))
    root.grad = np.array(seed_grad, dtype=np.float64)
    for node in reversed(order):
        if getattr(node, "_backward", None) is not None and node._prev:
            run_rule(node)


def overwriting_rules(root: Any) -> list[str]:
    """The ``_op`` s of the rules behind ``root`` that *replace* their inputs' gradients
    (``self.grad = ...``) instead of adding to them (``self.grad += ...``).

    Each rule is run on its own, twice, with the same ``out.grad`` and with its inputs'
    ``.grad`` filled with two different random arrays: a rule that adds changes each input's
    grad by the same amount both times; one that overwrites does not. This finds the mistake
    whatever the rule computes, right or wrong. The graph's grads are scratch afterwards.
    """
    rng = np.random.default_rng(0)
    found: list[str] = []
    for node in topological(root):
        if not getattr(node, "_prev", ()) or getattr(node, "_backward", None) is None:
            continue
        inputs = list({id(p): p for p in node._prev}.values())  # a * a: one input
        v = rng.normal(size=np.shape(node.data))
        changes: list[list[np.ndarray | None]] = []
        for _ in range(2):
            starts = [rng.normal(size=np.shape(p.data)) for p in inputs]
            for p, start in zip(inputs, starts, strict=True):
                p.grad = start.copy()
            node.grad = v.copy()
            try:
                run_rule(node)
            except Exception:  # noqa: BLE001 - a rule that fails is judged elsewhere
                break
            ends = [as_array(getattr(p, "grad", None)) for p in inputs]
            changes.append([
                None if e is None or e.shape != s.shape else e - s
                for e, s in zip(ends, starts, strict=True)
            ])  # fmt: skip
        if len(changes) < 2:
            continue
        for first, second in zip(*changes, strict=True):
            if first is not None and second is not None and not np.allclose(first, second):
                op = str(getattr(node, "_op", "") or type(node).__name__)
                if op not in found:
                    found.append(op)
                break
    return found


def overwrite_hint(ops: Sequence[str]) -> str:
    """The hint for rules that overwrite their inputs' gradients ("" if there are none)."""
    if not ops:
        return ""
    names = " and ".join(f"`{op}`" for op in ops)
    rule = "rules" if len(ops) > 1 else "rule"
    return (
        f"The {rule} of {names} overwrite{'' if len(ops) > 1 else 's'} "
        f"{'their' if len(ops) > 1 else 'its'} inputs' .grad "
        "instead of adding to it, so a share already there from another use is lost. An input "
        "used twice must collect gradient from *both* uses: write `self.grad += ...` (not `=`) "
        "in every `_backward`."
    )


# --------------------------------------------------------------------------- cases
Diagnose = Callable[[dict[str, np.ndarray], np.ndarray, str, np.ndarray], str]


@dataclass(frozen=True)
class TensorCase:
    """One expression to check, run on the learner's Tensors and, as ``ref``, on numpy.

    ``aspect``: ``"basic"`` (the op alone), ``"broadcast"`` (shapes that broadcast),
    ``"re-use"`` (an input used twice: grads must add up), ``"nested"`` (inside a bigger
    expression), ``"together"`` (several ops). ``shapes(rng)`` gives the input shapes.
    ``diagnose(inputs, v, name, got)`` may name the mistake behind a wrong ``name.grad``
    (``v`` is the seed, the gradient arriving at the output).
    """

    rule: str
    aspect: str
    text: str
    fn: Callable[..., Any]
    ref: Callable[..., Any]
    shapes: Callable[[np.random.Generator], tuple[Shape, ...]]
    names: tuple[str, ...]
    tests: frozenset[str]
    uses: frozenset[str]
    positive: bool = False
    formulas: tuple[tuple[str, str], ...] = ()
    diagnose: Diagnose | None = None
    error_hint: str = ""  # the hint when the learner's code raises (e.g. a shape mistake)
    own_backward: bool = False  # also run the class's own backward() on this case

    @property
    def out(self) -> str:
        return self.text.split(";")[-1].split("=")[0].strip()


def tensor_case(
    rule: str,
    aspect: str,
    text: str,
    fn: Callable[..., Any],
    tests: str,
    shapes: Callable[[np.random.Generator], tuple[Shape, ...]] | Sequence[Shape],
    uses: str = "",
    ref: Callable[..., Any] | None = None,
    positive: bool = False,
    formulas: dict[str, str] | None = None,
    diagnose: Diagnose | None = None,
    error_hint: str = "",
    own_backward: bool = False,
) -> TensorCase:
    """Make a :class:`TensorCase`. The input names are ``fn``'s parameter names; ``ref``
    defaults to ``fn`` (fine when the expression means the same on numpy arrays, e.g.
    ``a * b + a``); ``tests``/``uses`` are space-separated op names; ``shapes`` is fixed
    shapes or a function of the random generator."""
    import inspect

    params = inspect.signature(fn).parameters.values()
    names = tuple(p.name for p in params if p.default is p.empty)  # (op=op: not an input)
    fixed = tuple(tuple(s) for s in shapes) if not callable(shapes) else None
    shape_fn = (lambda rng: fixed) if fixed is not None else shapes
    tested = frozenset(tests.split())
    return TensorCase(
        rule, aspect, text, fn, ref or fn, shape_fn,  # type: ignore[arg-type]
        names, tested, tested | frozenset(uses.split()), positive,
        tuple((formulas or {}).items()), diagnose, error_hint, own_backward,
    )  # fmt: skip


_SEVERAL_USES = ("re-use", "nested", "together")  # where `=` instead of `+=` loses a share
_GENERIC_HINTS = {
    "re-use": (
        "An input used twice must collect gradient from *both* uses: write "
        "`self.grad += ...` (not `=`) in every `_backward`."
    ),
}


def _generic_hint(
    case: TensorCase, name: str, got: np.ndarray, expected: np.ndarray, ones_expected: np.ndarray
) -> str:
    """Mistakes any rule can make, told apart by the numbers."""
    if got.shape != expected.shape:
        return (
            f"{name}.grad must have {name}'s shape {expected.shape}, but it has shape "
            f"{got.shape}. "
            + (
                "Where the inputs were broadcast, sum the gradient back to each input's shape "
                "with unbroadcast(grad, shape)."
                if got.size > expected.size
                else "Something dropped axes or summed too much."
            )
        )
    if np.allclose(got, 0.0) and not np.allclose(expected, 0.0):
        return (
            f"{name}.grad stayed 0: check that `out._backward = _backward` is set, that the "
            "new Tensor remembers its inputs in _prev, and that the rule adds into each input's "
            ".grad."
        )
    if allclose(got, ones_expected) and not allclose(ones_expected, expected):
        return (
            "These are the gradients for an out.grad of all ones. The gradient arriving at the "
            "operation (out.grad) is any array: multiply the local derivative by it (the chain "
            "rule)."
        )
    if allclose(got, -expected):
        return "The sign is flipped."
    return ""


def _error(case: TensorCase, stage: str, exc: BaseException) -> Failure:
    text = str(exc)
    generic = isinstance(exc, NotImplementedError) or "_backward()" in text or "NoneType" in text
    f = error_failure(case.rule, stage, exc, hint="" if generic else case.error_hint)
    return Failure(case.rule, case.text, f.message, f.hint, aspect=case.aspect, kind="error")


def _run_case(case: TensorCase, cls: type, rng: np.random.Generator) -> tuple[int, list[Failure]]:
    """Run one case on fresh random inputs: (number of checks, the failures)."""
    with np.errstate(all="ignore"):  # a wrong rule's log(-1) must not print a warning
        return _run_case_quietly(case, cls, rng)


def _run_case_quietly(
    case: TensorCase, cls: type, rng: np.random.Generator
) -> tuple[int, list[Failure]]:
    shapes = case.shapes(rng)
    arrays = [random_array(rng, s, case.positive) for s in shapes]
    inputs = dict(zip(case.names, arrays, strict=True))
    checks = 1 + len(arrays)
    with_ = ", ".join(f"{n} of shape {a.shape}" for n, a in inputs.items())
    try:
        tensors = [cls(a.copy()) for a in arrays]
        out = case.fn(*tensors)
    except Exception as exc:
        return checks, [_error(case, f"computing {case.text} ({with_})", exc)]
    if out is None or not hasattr(out, "data") or not hasattr(out, "_prev"):
        gave = "None" if out is None else f"a {type(out).__name__}"
        return checks, [Failure(
            case.rule, case.text, f"computing {case.text} gave {gave} instead of a Tensor",
            "Every operation must return its new Tensor: did you forget `return out`?",
            aspect=case.aspect, kind="error")]  # fmt: skip

    failures: list[Failure] = []
    expected_out = np.asarray(case.ref(*arrays), dtype=np.float64)
    if not allclose(out.data, expected_out):
        failures.append(Failure(
            case.rule, case.text,
            f"for {case.text} with {with_}: " + mismatch(f"{case.out}.data", out.data,
                                                         expected_out),
            "The forward value is wrong: check the array you give the new Tensor.",
            quantity=f"{case.out}.data", aspect=case.aspect, kind="data"))  # fmt: skip
        return checks, failures

    v = random_array(rng, expected_out.shape)
    try:
        sweep(out, v)
    except Exception as exc:
        return checks, [_error(case, f"running the backward rules of {case.text} ({with_})", exc)]
    expected = numerical_vjp(case.ref, arrays, v)
    ones_expected = numerical_vjp(case.ref, arrays, np.ones_like(v))
    formulas = dict(case.formulas)
    seeded = f"out.grad = v of shape {v.shape}" if v.ndim else f"{case.out}.grad = {float(v):.4g}"
    gots = [getattr(t, "grad", None) for t in tensors]
    gots = [g.copy() if isinstance(g, np.ndarray) else g for g in gots]  # before any probe
    probed: list[str] = []

    def overwrites() -> str:  # probed once, only when a gradient is wrong
        if not probed:
            probed.append(overwrite_hint(overwriting_rules(out)))
        return probed[0]

    for name, got, e, e1 in zip(case.names, gots, expected, ones_expected, strict=True):
        if allclose(got, e):
            continue
        where = f"for {case.text} with {with_} and {seeded.replace('out', case.out, 1)}"
        message = f"{where}: " + mismatch(f"{name}.grad", got, e, formulas.get(name, ""))
        arr = as_array(got)
        hint = ""
        if arr is None:
            hint = f"{name}.grad should be a numpy array, but it is {format_array(got)}."
        else:
            if case.diagnose is not None and arr.shape == e.shape:
                hint = case.diagnose(inputs, v, name, arr)
            if not hint and case.aspect in _SEVERAL_USES:
                hint = overwrites()
            hint = hint or _generic_hint(case, name, arr, e, e1) or overwrites()
        hint = hint or _GENERIC_HINTS.get(case.aspect, "")
        failures.append(Failure(case.rule, case.text, message, hint, quantity=f"{name}.grad",
                                aspect=case.aspect, kind="grad"))  # fmt: skip
    return checks, failures


def check_own_backward(cls: type, case: TensorCase, rng: np.random.Generator) -> Failure | None:
    """Run the class's **own** ``backward()`` on one case (seed: all ones). None if it gives
    the right gradients; else a Failure, with the targeted signature hint when a rule's form
    does not fit the scaffold's ``backward()`` (``_backward(out)`` called as ``_backward()``)."""
    rule = "with your backward()"
    shapes = case.shapes(rng)
    arrays = [random_array(rng, s, case.positive) for s in shapes]
    try:
        tensors = [cls(a.copy()) for a in arrays]
        out = case.fn(*tensors)
        out.backward()
    except TypeError as exc:
        text = str(exc)
        if "_backward" in text or "positional argument" in text:
            return Failure(rule, case.text, f"{case.out}.backward() raised TypeError: {text}",
                           signature_hint(text), kind="error")  # fmt: skip
        return error_failure(rule, f"running {case.out}.backward() on {case.text}", exc)
    except Exception as exc:
        return error_failure(rule, f"running {case.out}.backward() on {case.text}", exc)
    expected = numerical_vjp(case.ref, arrays, np.ones(np.shape(case.ref(*arrays))))
    for name, t, e in zip(case.names, tensors, expected, strict=True):
        if not allclose(getattr(t, "grad", None), e):
            return Failure(
                rule, case.text,
                f"after {case.out}.backward() on {case.text}: "
                + mismatch(f"{name}.grad", getattr(t, "grad", None), e),
                "The rules pass when the checker runs them, but not through your class's "
                "backward(): does it call every node's _backward, in reverse topological order, "
                "after seeding the output's grad with ones?", kind="grad")  # fmt: skip
    return None


def run_tensor_cases(
    title: str,
    praise: str,
    cases: Sequence[TensorCase],
    cls: type,
    seed: int | None,
    rounds: int = 1,
) -> CheckReport:
    """Run every case ``rounds`` times on fresh random arrays and build the report.

    One row per ``case.rule`` (in first-appearance order), plus a row "with your backward()"
    for the cases marked ``own_backward``. A failing case that needs an operation found
    broken elsewhere is reported as "could not be judged" (blocked), not blamed.
    """
    if not isinstance(cls, type):
        raise TypeError(
            f"this checker needs your Tensor *class*, e.g. check(Tensor), not an instance of "
            f"{type(cls).__name__}"
        )
    seed = new_seed(seed)
    rng = np.random.default_rng(seed)
    results: list[tuple[TensorCase, int, list[Failure]]] = []
    for _ in range(rounds):
        for case in cases:
            checks, failures = _run_case(case, cls, rng)
            results.append((case, checks, failures))

    broken = {op for case, _, fails in results if fails and len(case.uses) == 1 for op in case.uses}

    def blockers(case: TensorCase, known: set[str]) -> set[str]:
        if len(case.tests) > 1:
            return set(case.uses & known)
        return set((case.uses - case.tests) & known)

    for case, _, fails in results:
        if fails and len(case.tests) == 1 and not blockers(case, broken):
            broken |= case.tests

    # An op that fails only where an input is used twice (`=` instead of `+=`) is right
    # wherever each input is used once: a case of several ops that fails then shows the same
    # mistake at work (d = a * b + a), so it is judged, not set aside.
    failed_aspects: dict[str, set[str]] = {}
    for case, _, fails in results:
        if fails and len(case.tests) == 1 and not blockers(case, broken):
            failed_aspects.setdefault(next(iter(case.tests)), set()).add(case.aspect)
    reuse_only = {op for op in broken if failed_aspects.get(op, set()) == {"re-use"}}

    rules: dict[str, Rule] = {}
    for case, checks, fails in results:
        r = rules.setdefault(case.rule, Rule(case.rule))
        r.checks += checks
        errored = any(f.kind == "error" for f in fails)
        failed = checks if errored else len(fails)
        r.passed += checks - failed
        why = blockers(case, broken - reuse_only if len(case.tests) > 1 else broken)
        if fails and why:
            r.blocked.extend(fails)
            r.blocked_by |= why
            r.blocked_checks += failed
        else:
            r.failures.extend(fails)

    own = [c for c in cases if c.own_backward]
    if own:
        r = Rule("with your backward()")
        for case in own:
            r.checks += 1
            with np.errstate(all="ignore"):
                failure = check_own_backward(cls, case, rng)
            if failure is None:
                r.passed += 1
            elif case.uses & broken:
                r.blocked.append(failure)
                r.blocked_by |= case.uses & broken
                r.blocked_checks += 1
            else:
                r.failures.append(failure)
        rules[r.name] = r
    return CheckReport(title, praise, list(rules.values()), seed)
