"""The table of test functions shared by the scalar (``Value``) and the ``Tensor`` tests.

Each entry is a small function of ``arity`` nodes, written only with the operations both
engines share: ``+ - * /`` with a node or a plain number on either side, ``**`` with a
number exponent, unary ``-``, and the methods ``.exp() .log() .tanh() .relu() .sigmoid()``.
So the same function runs on ``Value`` leaves and on ``Tensor`` leaves.

Each input has a **domain** ``(low, high)``: an interval chosen away from kinks and poles,
where the function is smooth and central differences are accurate. ``log`` only ever sees
numbers well above 0, divisors stay away from 0, ``relu`` inputs stay away from its kink at
0 (there are separate entries for its two sides), fractional powers get positive bases.

How the reference gradient is computed: the functions cannot run on plain floats (a float
has no ``.exp()`` method), so the numerical check evaluates the **same function on fresh
leaf nodes** at ``x + h`` and ``x - h`` and reads ``.data``: a central difference through the
engine's *forward* pass only, which never touches a backward rule. See
:func:`central_differences`. (The forward values themselves are checked against ``math`` in
``tests/test_engine.py``.)

Usage::

    from functions import FUNCTIONS
    for f in FUNCTIONS:
        point = f.midpoint()
        out = f.fn(*[Value(x) for x in point])
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableFunction:
    """One row of the table: a named function of ``arity`` nodes and its input domain."""

    name: str
    fn: Callable[..., Any]  # takes `arity` nodes, returns a node
    arity: int
    domain: tuple[tuple[float, float], ...]  # (low, high) for each input

    def __post_init__(self) -> None:
        assert len(self.domain) == self.arity, f"{self.name}: one (low, high) per input"
        assert all(lo < hi for lo, hi in self.domain), f"{self.name}: empty domain"

    def midpoint(self) -> list[float]:
        """The centre of the domain (a fixed, typical point)."""
        return [(lo + hi) / 2 for lo, hi in self.domain]

    def random_point(self, rng: random.Random) -> list[float]:
        """A point drawn uniformly from the domain."""
        return [rng.uniform(lo, hi) for lo, hi in self.domain]

    def __repr__(self) -> str:  # pytest ids and hypothesis reports show the name
        return f"TableFunction({self.name!r})"


def central_differences(
    f: TableFunction, point: Sequence[float], make_leaf: Callable[[float], Any], h: float = 1e-6
) -> list[float]:
    """Numerical gradient of ``f`` at ``point``: (f(x+h) - f(x-h)) / 2h for each input.

    ``make_leaf(x)`` builds a fresh leaf node (e.g. ``Value``); ``.data`` of the output must
    convert to a float. Only the forward pass is used. The step is relative to the size of
    the input (``h * max(1, |x|)``), which keeps the rounding error small for large inputs.
    """
    grads = []
    for i, x in enumerate(point):
        step = h * max(1.0, abs(x))
        up = [*point[:i], x + step, *point[i + 1 :]]
        down = [*point[:i], x - step, *point[i + 1 :]]
        f_up = float(f.fn(*map(make_leaf, up)).data)
        f_down = float(f.fn(*map(make_leaf, down)).data)
        grads.append((f_up - f_down) / (2 * step))
    return grads


def _row(name: str, fn: Callable[..., Any], *domain: tuple[float, float]) -> TableFunction:
    return TableFunction(name, fn, len(domain), tuple(domain))


ANY = (-2.0, 2.0)  # no kink or pole to avoid
POS = (0.2, 3.0)  # for log, fractional powers and divisors
NEG = (-3.0, -0.2)  # the negative side, for divisors and relu

FUNCTIONS: list[TableFunction] = [
    # --- each operation alone (the reflected forms are the "number on the left" rows)
    _row("a + b", lambda a, b: a + b, ANY, ANY),
    _row("a + 2.5", lambda a: a + 2.5, ANY),
    _row("2.5 + a", lambda a: 2.5 + a, ANY),
    _row("a - b", lambda a, b: a - b, ANY, ANY),
    _row("a - 1.5", lambda a: a - 1.5, ANY),
    _row("1 - a", lambda a: 1 - a, ANY),
    _row("a * b", lambda a, b: a * b, ANY, ANY),
    _row("a * -3", lambda a: a * -3, ANY),
    _row("3 * a", lambda a: 3 * a, ANY),
    _row("a / b (b > 0)", lambda a, b: a / b, ANY, POS),
    _row("a / b (b < 0)", lambda a, b: a / b, ANY, NEG),
    _row("a / 4", lambda a: a / 4, ANY),
    _row("10 / a (a > 0)", lambda a: 10 / a, POS),
    _row("10 / a (a < 0)", lambda a: 10 / a, NEG),
    _row("-a", lambda a: -a, ANY),
    _row("a ** 2", lambda a: a**2, ANY),
    _row("a ** 3", lambda a: a**3, ANY),
    _row("a ** -1 (a < 0)", lambda a: a**-1, NEG),
    _row("a ** -2", lambda a: a**-2, POS),
    _row("a ** 0.5", lambda a: a**0.5, POS),
    _row("a ** 1.5", lambda a: a**1.5, POS),
    _row("a ** -1.5", lambda a: a**-1.5, POS),
    _row("exp(a)", lambda a: a.exp(), (-3.0, 3.0)),
    _row("log(a)", lambda a: a.log(), (0.05, 5.0)),
    _row("tanh(a)", lambda a: a.tanh(), (-3.0, 3.0)),
    _row("relu(a) (a > 0)", lambda a: a.relu(), (0.05, 3.0)),
    _row("relu(a) (a < 0)", lambda a: a.relu(), (-3.0, -0.05)),
    _row("sigmoid(a)", lambda a: a.sigmoid(), (-6.0, 6.0)),
    # --- compositions
    _row("tanh(a*b + c)", lambda a, b, c: (a * b + c).tanh(), ANY, ANY, ANY),
    _row("(a - b)**2 / (1 + exp(c))", lambda a, b, c: (a - b) ** 2 / (1 + c.exp()), ANY, ANY, ANY),
    _row("sigmoid(a) * log(b)", lambda a, b: a.sigmoid() * b.log(), ANY, POS),
    # a*b - 0.5 stays in (0.5, 3.5) on the first domain and below -1.5 on the second
    _row("relu(a*b - 0.5) (on)", lambda a, b: (a * b - 0.5).relu(), (1.0, 2.0), (1.0, 2.0)),
    _row("relu(a*b - 0.5) (off)", lambda a, b: (a * b - 0.5).relu(), (-2.0, -1.0), (1.0, 2.0)),
    _row(
        "neuron tanh(w1*x1 + w2*x2 + b)",
        lambda w1, x1, w2, x2, b: (w1 * x1 + w2 * x2 + b).tanh(),
        ANY,
        ANY,
        ANY,
        ANY,
        ANY,
    ),
    _row("softplus log(1 + exp(a))", lambda a: (1 + a.exp()).log(), (-4.0, 4.0)),
    _row("squared error (a*b + c - 1)**2", lambda a, b, c: (a * b + c - 1) ** 2, ANY, ANY, ANY),
    _row("a used three times: a*a + a", lambda a: a * a + a, ANY),
    _row("diamond: t = tanh(a); t*t + t/2", lambda a: (lambda t: t * t + t / 2)(a.tanh()), ANY),
    _row("(a + b) / (a - b)", lambda a, b: (a + b) / (a - b), (2.0, 3.0), (-1.0, 1.0)),
    _row(
        "cross-entropy of sigmoid(a*b + c)",
        lambda a, b, c: (lambda s: -(0.7 * s.log() + 0.3 * (1 - s).log()))((a * b + c).sigmoid()),
        ANY,
        ANY,
        ANY,
    ),
    _row("gaussian exp(-a**2)", lambda a: (-(a**2)).exp(), ANY),
    _row("log(a**2 + 1)", lambda a: (a**2 + 1).log(), (-3.0, 3.0)),
    _row("norm (a**2 + b**2) ** 0.5", lambda a, b: (a**2 + b**2) ** 0.5, POS, NEG),
    _row("tanh(a*b - c/d)", lambda a, b, c, d: (a * b - c / d).tanh(), ANY, ANY, ANY, POS),
    _row("gelu-like 0.5*a*(1 + tanh(0.8*a))", lambda a: 0.5 * a * (1 + (0.8 * a).tanh()), ANY),
    _row("2 - 3 / (a + 4)", lambda a: 2 - 3 / (a + 4), ANY),
    _row("(a + 2) ** -1", lambda a: (a + 2) ** -1, (-1.5, 2.0)),
    _row(
        "exp(a) * sigmoid(-b) - relu(c)",
        lambda a, b, c: a.exp() * (-b).sigmoid() - c.relu(),
        ANY,
        ANY,
        POS,
    ),
]

BY_NAME: dict[str, TableFunction] = {f.name: f for f in FUNCTIONS}
assert len(BY_NAME) == len(FUNCTIONS), "function names must be unique"
