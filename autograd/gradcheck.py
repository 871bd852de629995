"""Check a gradient against the definition of the derivative.

Backpropagation gives exact gradients *if every local rule is right*. The way to find out is
to compare them with a gradient computed without any rules at all: nudge one input a tiny
bit and watch the output move. The **central difference**

    df/dx  ≈  (f(x + h) - f(x - h)) / (2h)

is accurate to about ``h²`` (the first-order error terms of the two one-sided steps cancel),
so with ``h = 1e-6`` the estimate is good to roughly eight or nine digits for well-behaved
functions. It costs two evaluations of ``f`` per input, which is why real training uses
backpropagation, and why checking uses this.

>>> from autograd import Value
>>> gradcheck(lambda a, b: a * b + a.tanh(), [0.5, -2.0])
gradcheck passed: 2 of 2 inputs match (eps=1e-06, atol=1e-05, rtol=0.0001)
input      analytic       numeric  abs error  ok
a          -1.21355      -1.21355     <1e-08   ✓
b               0.5           0.5     <1e-08   ✓

A gradient passes when ``|analytic - numeric| <= atol + rtol * |numeric|``: an absolute
tolerance for gradients near zero, a relative one for large gradients.
"""

from __future__ import annotations

import html
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np

from .engine import Value
from .tensor_gradcheck import format_error, gradcheck_tensor  # the array check, one layer down

__all__ = ["GradcheckResult", "GradcheckRow", "gradcheck", "numerical_grad"]


def _check_xs(xs: object, who: str) -> list[float]:
    """Return ``xs`` as a list of floats, or raise a TypeError that says what is wrong."""
    if isinstance(xs, (Real, Value)) or not isinstance(xs, Sequence) or isinstance(xs, str):
        raise TypeError(
            f"{who}: xs must be a list of real numbers, e.g. [2.0, -1.0]; "
            f"got {type(xs).__name__}: {xs!r}"
        )
    out = []
    for i, x in enumerate(xs):
        if not isinstance(x, Real):
            raise TypeError(
                f"{who}: xs[{i}] must be a real number (int or float), "
                f"got {type(x).__name__}: {x!r}"
            )
        x = float(x)
        if not math.isfinite(x):
            raise ValueError(f"{who}: xs[{i}] must be finite, got {x!r}")
        out.append(x)
    return out


def _check_eps(eps: object) -> float:
    if not isinstance(eps, Real) or not eps > 0 or not math.isfinite(eps):
        raise ValueError(f"eps must be a small positive number such as 1e-6, got {eps!r}")
    return float(eps)


def _central_differences(g: Callable[[list[float]], float], xs: list[float], eps: float):
    """The central difference of ``g`` (a function of a list of floats) along each input."""
    grads = []
    for i, x in enumerate(xs):
        plus, minus = list(xs), list(xs)
        plus[i], minus[i] = x + eps, x - eps
        grads.append((g(plus) - g(minus)) / (2.0 * eps))
    return grads


def numerical_grad(f: Callable[..., float], xs: Sequence[float], eps: float = 1e-6) -> list[float]:
    """Estimate the gradient of ``f`` at ``xs`` by central differences.

    ``f`` takes plain floats positionally and returns a float: no ``Value`` and no
    backpropagation is involved, which makes this an independent referee.

    >>> import math
    >>> [round(g, 6) for g in numerical_grad(lambda x, y: x * y + math.sin(x), [0.0, 3.0])]
    [4.0, 0.0]

    For each input ``i`` it evaluates ``f`` twice, at ``x_i + eps`` and ``x_i - eps`` (the
    other inputs held fixed), and returns ``(f(+) - f(-)) / (2 * eps)``.
    """
    xs = _check_xs(xs, "numerical_grad")
    eps = _check_eps(eps)

    def g(point: list[float]) -> float:
        y = f(*point)
        if not isinstance(y, Real):
            raise TypeError(
                f"numerical_grad: f must return a real number (float), got "
                f"{type(y).__name__}: {y!r}"
                + (" (use gradcheck for functions of Values)" if isinstance(y, Value) else "")
            )
        return float(y)

    return _central_differences(g, xs, eps)


@dataclass(frozen=True)
class GradcheckRow:
    """One input's verdict: the backprop gradient next to the central-difference estimate."""

    index: int
    name: str
    analytic: float
    numeric: float
    abs_error: float
    ok: bool


class GradcheckResult:
    """The outcome of :func:`gradcheck`: truthy iff every input's gradient matches.

    ``rows`` holds one :class:`GradcheckRow` per input, ``failures`` only the mismatches.
    Printed, it is a small aligned table; in Jupyter, a table coloured green and red.
    """

    def __init__(self, rows: list[GradcheckRow], eps: float, atol: float, rtol: float) -> None:
        self.rows = rows
        self.eps = eps
        self.atol = atol
        self.rtol = rtol

    @property
    def passed(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def failures(self) -> list[GradcheckRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def max_abs_error(self) -> float:
        return max((row.abs_error for row in self.rows), default=0.0)

    def __bool__(self) -> bool:
        return self.passed

    def verdict(self) -> str:
        n, bad = len(self.rows), len(self.failures)
        settings = f"(eps={self.eps:g}, atol={self.atol:g}, rtol={self.rtol:g})"
        inputs = "input" if n == 1 else "inputs"
        if not bad:
            match = "match" if n > 1 else "matches"
            return f"gradcheck passed: {n} of {n} {inputs} {match} {settings}"
        names = ", ".join(row.name for row in self.failures)
        differ = "differs" if bad == 1 else "differ"
        return f"gradcheck FAILED: {bad} of {n} {inputs} {differ} ({names}) {settings}"

    def __repr__(self) -> str:
        width = max([len("input")] + [len(row.name) for row in self.rows])
        lines = [
            self.verdict(),
            f"{'input':<{width}}  {'analytic':>12}  {'numeric':>12}  {'abs error':>9}  ok",
        ]
        for row in self.rows:
            lines.append(
                f"{row.name:<{width}}  {row.analytic:>12.6g}  {row.numeric:>12.6g}  "
                f"{format_error(row.abs_error):>9}  {'✓' if row.ok else '✗':>2}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cell = "padding:2px 10px;text-align:right;font-family:monospace"
        head = "".join(
            f'<th style="{cell}">{h}</th>'
            for h in ("input", "analytic", "numeric", "abs error", "ok")
        )
        body = []
        for row in self.rows:
            colour = "#e6f4ea" if row.ok else "#fce8e6"
            cells = (
                html.escape(row.name),
                f"{row.analytic:.6g}",
                f"{row.numeric:.6g}",
                format_error(row.abs_error),
                "✓" if row.ok else "✗",
            )
            tds = "".join(f'<td style="{cell}">{c}</td>' for c in cells)
            body.append(f'<tr style="background:{colour}">{tds}</tr>')
        colour = "#137333" if self.passed else "#c5221f"
        return (
            f'<div><p style="color:{colour};font-weight:bold">{html.escape(self.verdict())}</p>'
            f'<table style="border-collapse:collapse"><tr>{head}</tr>{"".join(body)}</table></div>'
        )


def _input_names(f: Callable[..., object], n: int) -> list[str]:
    """Name the inputs after ``f``'s parameters (``lambda a, b: ...`` gives a, b), else x[i]."""
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    if len(positional) >= n:
        return positional[:n]
    return [f"x[{i}]" for i in range(n)]


def gradcheck(
    f: Callable[..., Value],
    xs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> GradcheckResult:
    """Compare backpropagation's gradient of ``f`` at ``xs`` with central differences.

    ``f`` takes ``Value`` objects positionally and returns a ``Value``. The check:

    1. builds fresh leaves ``Value(x)`` from the floats ``xs``, calls ``f`` and runs
       ``backward()``: each leaf's ``.grad`` is the *analytic* gradient;
    2. for each input, evaluates ``f`` again on Values built from ``x + eps`` and
       ``x - eps`` and reads ``.data``: the *numeric* gradient (no backward rules used);
    3. passes input ``i`` iff ``|analytic - numeric| <= atol + rtol * |numeric|``.

    The result is truthy iff every input passes, so ``assert gradcheck(f, xs)`` works.
    Near a kink (``relu`` at 0) or a singularity the two can disagree honestly: pick points
    away from them.

    Tensors: when ``xs`` holds numpy arrays, ``f`` receives ``Tensor`` objects and the check is
    :func:`autograd.tensor_gradcheck.gradcheck_tensor` (element by element for small inputs,
    along random directions for big ones).
    """
    if isinstance(xs, (list, tuple)) and any(isinstance(x, np.ndarray) for x in xs):
        return gradcheck_tensor(f, list(xs), eps=eps, atol=atol, rtol=rtol)
    xs = _check_xs(xs, "gradcheck")
    eps = _check_eps(eps)
    if not callable(f):
        raise TypeError(f"gradcheck: f must be a function of Values, got {type(f).__name__}")
    names = _input_names(f, len(xs))

    def evaluate(leaves: list[Value]) -> Value:
        out = f(*leaves)
        if not isinstance(out, Value):
            raise TypeError(
                f"gradcheck: f must return a Value, got {type(out).__name__}: {out!r}. "
                "Build the result from the Values that f receives."
            )
        return out

    def make_leaves(point: list[float]) -> list[Value]:
        return [Value(x, label=name) for x, name in zip(point, names, strict=True)]

    leaves = make_leaves(xs)
    evaluate(leaves).backward()
    analytic = [leaf.grad for leaf in leaves]
    numeric = _central_differences(lambda point: evaluate(make_leaves(point)).data, xs, eps)

    rows = []
    for i, (name, a, n) in enumerate(zip(names, analytic, numeric, strict=True)):
        err = abs(a - n)
        rows.append(GradcheckRow(i, name, a, n, err, err <= atol + rtol * abs(n)))
    return GradcheckResult(rows, eps, atol, rtol)
