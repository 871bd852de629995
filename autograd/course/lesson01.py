"""Lesson 01's checkers: your central difference, and a derivative you work out by hand.

* :func:`check_central_difference` — ``central_difference(f, x, h)`` must return
  ``(f(x + h) - f(x - h)) / (2h)`` for the ``h`` it is given (the checker uses big steps on
  purpose, so the usual slips — a forward difference, dividing by ``h``, a fixed tiny step —
  give visibly different numbers).
* :func:`check_dg` — ``dg(x)`` must be the derivative of ``g(x) = x⁴ - 3x² + 1/x``. It is
  compared with a central difference of ``g`` at random points; when it is off, the checker
  finds *which term* of ``g`` the difference comes from (a wrong derivative of one term
  leaves a tell-tale power of ``x`` behind).

Both draw fresh random cases on every call (``seed=...`` repeats a run exactly) and return
the shared :class:`~autograd.course.report.CheckReport`: truthy iff everything passed,
``print(report)`` shows got vs expected and a hint.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("01")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("01")``).
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable
from numbers import Real

import numpy as np

from ..gradcheck import numerical_grad
from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, _num
from .study import Study

__all__ = ["check_central_difference", "check_dg"]

EXERCISES = [
    Exercise("01.central_difference", "the central difference", "check_central_difference",
             chain=None, provides=("central_difference",)),
    Exercise("01.dg", "the derivative of g", "check_dg", chain=None, provides=("dg",)),
]  # fmt: skip


def _seed(seed: int | None) -> int:
    return int.from_bytes(os.urandom(8), "big") if seed is None else seed


def _is_number(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _close(got: float, expected: float, rtol: float, atol: float) -> bool:
    return abs(got - expected) <= atol + rtol * abs(expected)


def _callable(obj: object, who: str, what: str) -> None:
    if not callable(obj):
        raise TypeError(f"{who} needs your function {what}, got {type(obj).__name__}: {obj!r}")


# --------------------------------------------------------------------------- central difference
# The test functions: (how it reads, f, its exact derivative). Each has a non-zero second and
# third derivative almost everywhere, so every common slip changes the result.
_FUNCTIONS: tuple[tuple[str, Callable[[float], float], Callable[[float], float]], ...] = (
    ("x³ - 2x", lambda x: x * x * x - 2 * x, lambda x: 3 * x * x - 2),
    ("sin(x)", math.sin, math.cos),
    ("exp(x)", math.exp, math.exp),
    ("1 / (1 + x²)", lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2),
)

_TINY = (
    "That is the exact derivative (or a difference with a much smaller step). This function "
    "must use the step `h` it is given: f(x + h) and f(x - h), divided by 2 * h."
)

# (what the slip computes, its hint); the first that matches the learner's number is shown
_SLIPS: tuple[tuple[Callable[[Callable[[float], float], float, float], float], str], ...] = (
    (
        lambda f, x, h: (f(x + h) - f(x)) / h,
        "That is the forward difference (f(x + h) - f(x)) / h. The central difference steps "
        "both ways: f(x + h) - f(x - h).",
    ),
    (
        lambda f, x, h: (f(x) - f(x - h)) / h,
        "That is the backward difference (f(x) - f(x - h)) / h. The central difference steps "
        "both ways: f(x + h) - f(x - h).",
    ),
    (
        lambda f, x, h: (f(x + h) - f(x - h)) / h,
        "Twice the right answer: you divided by h, but x - h and x + h are 2h apart. "
        "Divide by `(2 * h)`.",
    ),
    (
        lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h),
        "The sign is flipped: the later point comes first, f(x + h) - f(x - h).",
    ),
    (
        lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h,
        "`/ 2 * h` divides by 2 and then *multiplies* by h (Python reads left to right). "
        "Write `/ (2 * h)`.",
    ),
    (
        lambda f, x, h: f(x + h) - f(x - h) / (2 * h),
        "Only f(x - h) was divided. Put brackets around the difference: "
        "`(f(x + h) - f(x - h)) / (2 * h)`.",
    ),
    (
        lambda f, x, h: (f(x + h / 2) - f(x - h / 2)) / h,
        "You stepped h/2 each way (a central difference with a smaller step). Here the step is "
        "h on *each* side: f(x + h) and f(x - h), divided by 2 * h.",
    ),
    (lambda f, x, h: (f(x + 1e-6) - f(x - 1e-6)) / 2e-6, _TINY),
)


def check_central_difference(
    central_difference: Callable[[Callable[[float], float], float, float], float],
    *,
    seed: int | None = None,
    save: bool = True,
    rounds: int = 2,
) -> CheckReport:
    """Check ``central_difference(f, x, h)`` = ``(f(x + h) - f(x - h)) / (2h)``.

    It runs your function on four test functions (``x³ - 2x``, ``sin``, ``exp``,
    ``1/(1 + x²)``), each ``rounds`` times at a random ``x`` with a random, fairly *big*
    step ``h`` (0.05 to 0.5, and one tiny one): with a big step, the forward difference,
    dividing by ``h`` instead of ``2h`` or using a step of your own all give numbers that
    differ clearly from the formula's. The expected value is the formula computed by the
    checker; yours must agree to about nine digits.
    """
    _callable(central_difference, "check_central_difference", "central_difference(f, x, h)")
    seed = _seed(seed)
    rng = random.Random(seed)
    b = ReportBuilder(
        "the central difference",
        "your central_difference is (f(x + h) - f(x - h)) / (2h), for any f, x and h.",
        seed,
    )
    rule = b.rule("central_difference(f, x, h)")
    cases = []
    for i in range(rounds):
        for name, f, df in _FUNCTIONS:
            x = round(rng.uniform(0.3, 2.0) * rng.choice((-1, 1)), 3)
            # one case per call with a small step; the others are big (log-uniform)
            h = 1e-3 if (i == 0 and name == "sin(x)") else round(10 ** rng.uniform(-1.3, -0.3), 4)
            cases.append((name, f, df, x, h))
    for name, f, df, x, h in cases:
        where = f"for f(x) = {name} at x = {_num(x)} with h = {_num(h)}"
        expected = (f(x + h) - f(x - h)) / (2 * h)
        try:
            got = central_difference(f, x, h)
        except Exception as exc:
            rule.error(f"computing central_difference(f, {_num(x)}, {_num(h)})", exc)
            continue
        if not _is_number(got):
            rule.check(
                False,
                f"{where}: expected a number, got {got!r}",
                "Did you forget `return`?" if got is None else "Return one number, the slope.",
                expected=expected,
                got=got,
                kind="data",
            )
            continue
        got = float(got)
        ok = _close(got, expected, 1e-9, 1e-11)
        hint = ""
        if not ok:
            for slip, text in _SLIPS:
                try:
                    if _close(got, slip(f, x, h), 1e-9, 1e-11):
                        hint = text
                        break
                except (ArithmeticError, ValueError):
                    continue
            else:
                if _close(got, df(x), 1e-6, 1e-9):
                    hint = _TINY
                else:
                    hint = (
                        "Evaluate f at x + h and at x - h, subtract (in that order) and divide "
                        "by the distance between the two points, 2 * h."
                    )
        rule.check(
            ok,
            f"{where}: expected (f(x + h) - f(x - h)) / (2h) = {_num(expected)}, got {_num(got)}",
            hint,
            expression=name,
            quantity="central_difference(f, x, h)",
            expected=expected,
            got=got,
        )
    report = b.build()
    return finish("01.central_difference", report, {"central_difference": central_difference},
                  save=save)  # fmt: skip


# --------------------------------------------------------------------------- dg
def _g(x: float) -> float:
    return x**4 - 3 * x**2 + 1 / x


# Powers of x that a slip in one term of g leaves in dg(x) - g'(x), grouped by the term.
_POWERS = (4, 3, 2, 1, 0, -1, -2, -3)
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_TERMS = (
    (
        "the x⁴ term",
        (4, 3),
        "The power rule: d/dx xⁿ = n·xⁿ⁻¹ — the exponent comes down in front and drops by one.",
    ),
    (
        "the -3x² term",
        (2, 1, 0),
        "A constant factor stays in front: d/dx (c·x²) = c·(2x). Mind the minus sign.",
    ),
    (
        "the 1/x term",
        (-1, -2, -3),
        "Write 1/x as x⁻¹ and use the power rule: the exponent -1 comes down in front "
        "(a minus sign!) and drops by one, to -2.",
    ),
)


def _monomial(c: float, p: int) -> str:
    size = f"{abs(c):.4g}"
    if p == 0:
        return size
    power = "x" if p == 1 else f"x{str(p).translate(_SUPERSCRIPT)}"
    return power if size == "1" else f"{size}·{power}"


def _polynomial(coefs: dict[int, float]) -> str:
    """e.g. {-2: 2.0} -> "2·x⁻²", {1: 6.0, 0: -6.0} -> "6·x - 6"."""
    text = ""
    for p in sorted(coefs, reverse=True):
        c = coefs[p]
        sign = ("-" if c < 0 else "") if not text else (" - " if c < 0 else " + ")
        text += sign + _monomial(c, p)
    return text


def _explain(xs: list[float], residual: list[float]) -> dict[int, float] | None:
    """The powers of x (and their coefficients) that make up ``residual``, if it is such a sum."""
    a = np.array([[x**p for p in _POWERS] for x in xs])
    r = np.array(residual)
    coefs, *_ = np.linalg.lstsq(a, r, rcond=None)
    scale = 1e-6 * (1 + np.abs(r).max())
    if np.abs(a @ coefs - r).max() > scale:
        return None
    found = {p: float(c) for p, c in zip(_POWERS, coefs, strict=True) if abs(c) > 1e-4}
    # snap to the round numbers a slip leaves (2.0, -6.0, 0.5, ...)
    return {p: float(round(c, 6)) for p, c in found.items()} or None


def check_dg(
    dg: Callable[[float], float], *, seed: int | None = None, save: bool = True, points: int = 12
) -> CheckReport:
    """Check that ``dg(x)`` is the derivative of ``g(x) = x⁴ - 3x² + 1/x``.

    Your ``dg`` is compared with the central difference of ``g`` (``numerical_grad``) at
    ``points`` random points, both signs, away from 0. If it is off, the difference
    ``dg(x) - g'(x)`` is written as a sum of powers of ``x``: a slip in one term of ``g``
    leaves its own powers (``x³`` for the ``x⁴`` term, ``x⁻²`` for the ``1/x`` term, ...), so
    the report can name the term to look at.
    """
    _callable(dg, "check_dg", "dg(x)")
    seed = _seed(seed)
    rng = random.Random(seed)
    b = ReportBuilder("the derivative of g", "your dg is the derivative of g at every point.", seed)
    whole = b.rule("dg(x)")
    terms = [(name, b.rule(name), powers, hint) for name, powers, hint in _TERMS]
    xs = [round(rng.uniform(0.4, 2.5) * rng.choice((-1, 1)), 3) for _ in range(points)]
    xs[0], xs[1] = abs(xs[0]), -abs(xs[1])  # both signs, always

    def blocked() -> None:
        for _, rule, _, _ in terms:
            rule.blocked(by="dg(x)")

    got: list[float] = []
    for x in xs:
        try:
            value = dg(x)
        except Exception as exc:
            whole.error(f"computing dg({_num(x)})", exc, checks=points)
            blocked()
            return finish("01.dg", b.build(), {"dg": dg}, save=save)
        if not _is_number(value):
            whole.check(
                False,
                f"dg({_num(x)}) returned {value!r}, not a number",
                "Did you forget `return`?" if value is None else "Return one number: g'(x).",
                got=value,
                kind="data",
            )
            blocked()
            return finish("01.dg", b.build(), {"dg": dg}, save=save)
        got.append(float(value))

    expected = [numerical_grad(_g, [x])[0] for x in xs]
    wrong = [i for i in range(points) if not _close(got[i], expected[i], 1e-4, 1e-5)]
    residual = [got[i] - expected[i] for i in range(points)]
    coefs = _explain(xs, residual) if wrong else None
    # a constant alone could come from any term (and no power-rule slip leaves one): name none
    offset = coefs is not None and set(coefs) == {0}
    culprits = [t[0] for t in terms if coefs and not offset and any(p in coefs for p in t[2])]
    # the clearest example first: the report shows the first failure of a rule
    order = sorted(range(points), key=lambda i: -abs(residual[i]) / (1 + abs(expected[i])))
    for i in order:
        if i in wrong:
            if culprits:
                which = " and ".join(culprits)
                hint = f"Your dg differs from g' by {_polynomial(coefs)}: see {which}."
            elif offset:
                hint = (
                    f"Your dg differs from g' by a constant offset, {_polynomial(coefs)}, the "
                    "same at every point. It could come from any term: look for a stray "
                    "number added to dg (the derivative of a constant is 0)."
                )
            else:
                hint = (
                    "Differentiate g term by term: x⁴, then -3x², then 1/x (= x⁻¹), each with "
                    "the power rule d/dx xⁿ = n·xⁿ⁻¹, and add the three."
                )
            x = xs[i]
            whole.check(
                False,
                f"at x = {_num(x)}: expected g'(x) = {_num(expected[i])} (the central "
                f"difference of g), got dg(x) = {_num(got[i])}",
                hint,
                quantity="dg(x)",
                expected=expected[i],
                got=got[i],
            )
        else:
            whole.check(True)
    for name, rule, powers, hint in terms:
        if not wrong:
            rule.check(True)
        elif not culprits:
            rule.blocked(by="dg(x)")
        elif name in culprits:
            mine = {p: c for p, c in coefs.items() if p in powers}
            i = order[0]
            rule.check(
                False,
                f"your dg(x) - g'(x) = {_polynomial(coefs)} at every point checked (at x = "
                f"{_num(xs[i])}: {_num(residual[i])}); the {_polynomial(mine)} comes from "
                "this term's derivative",
                hint,
                quantity="dg(x) - g'(x)",
            )
        else:
            rule.check(True)
    return finish("01.dg", b.build(), {"dg": dg}, save=save)


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or follows from its formulas):
# f(2.001) - f(2) = 0.010006; at h = 0.1 the forward error is 0.61, the central one 0.01;
# at x = 1.3 the central error is 2e-10 at h = 1e-6 and 0.016 at h = 1e-14; with x1 = 100.0
# the study's best steps are 5e-7 (forward) and 4e-4 (central).
QUIZ = [
    Question(
        "01.nudge",
        "For f(x) = x³ - 2x, f'(2) = 10. If x moves from 2 to 2.001, about how much does f(x) "
        "move?",
        [
            Choice(
                "by about 0.001",
                "That is how far x moved. The derivative says the output moves about f'(x) "
                "times as far as the input: 10 × 0.001.",
            ),
            Choice(
                "by about 0.004",
                "That is f(2) × 0.001 = 4 × 0.001: it uses the value of f (where the curve is) "
                "instead of its slope (how steep it is there), f'(2) = 10.",
            ),
            Choice(
                "by about 0.01",
                "A derivative is output change per unit of input change, for small nudges: "
                "10 × 0.001 = 0.01. (Exactly, f(2.001) - f(2) = 0.010006: the bit left over is "
                "the curve bending, and it shrinks faster than the step.)",
            ),
            Choice(
                "by about 10",
                "10 is the rate: the change of f per unit of x. A step of 0.001 moves f by 0.001 "
                "of that. (Even a step of 1 would not move f by 10: the curve bends, and the "
                "lesson's secant with h = 1 has slope 17.)",
            ),
        ],
        answer=2,
    ),
    Question(
        "01.central",
        "At x = 2 with h = 0.1, the forward difference of x³ - 2x is off by 0.61, the central "
        "difference by only 0.01. Why is the central one so much more accurate?",
        [
            Choice(
                "Its two evaluations of f let their rounding errors average out",
                "At h = 0.1 the rounding errors add up to about 1e-14 (ε·|f|/h), far too small "
                "to explain the gap. The central difference gains on the truncation error; its "
                "round-off still grows like ε/h (its curve climbs on the right of the plot, too).",
            ),
            Choice(
                "It effectively uses a smaller step, h/2 on each side instead of h",
                "It steps h each way, so its two points are 2h apart: farther apart than the "
                "forward difference's two points, not closer. It is more accurate in spite of "
                "that.",
            ),
            Choice(
                "It is exact for polynomials like this one, so only round-off is left",
                "It is exact only up to quadratics (their f''' is 0). For x³ - 2x, f''' = 6 and "
                "the error is h²/6·f''' = h²: 0.01 at h = 0.1, not 0.",
            ),
            Choice(
                "The h² terms of the Taylor series cancel, so its error is ∝ h²",
                "f(x+h) and f(x-h) have the same h²/2·f''(x) term, which cancels in their "
                "difference. What is left is an error of about h²/6·f'''(x), here h²: 0.01 at "
                "h = 0.1, and 100× smaller each time h shrinks 10×.",
            ),
        ],
        answer=3,
    ),
    Question(
        "01.tiny_h",
        "You shrink h from 1e-6 to 1e-14 in the central difference of x³ - 2x at x = 1.3. "
        "What happens to its error?",
        [
            Choice(
                "It shrinks to about 1e-28, since the error is ∝ h²",
                "h² is only the truncation error. Round-off grows like ε·|f|/h, about 1e-2 at "
                "h = 1e-14: it swamps the truncation error long before that.",
            ),
            Choice(
                "It grows: from about 2e-10 at h = 1e-6 to about 0.02",
                "f(x+h) and f(x-h) each carry a rounding error of about ε·|f| ≈ 1e-16. Their "
                "difference is tiny, so those errors dominate it, and dividing by 2h = 2e-14 "
                "magnifies them (error ≈ ε·|f|/h). Past the valley near h = 6e-6, smaller is "
                "worse.",
            ),
            Choice(
                "It stays about the same: a float keeps 16 digits and 1e-14 fits easily",
                "A float can hold 1e-14, but 1.3 + 1e-14 keeps only about 16 significant "
                "digits in all, so most digits of the step are rounded away (as 2 + 1e-15 "
                "became 2 + 0.888e-15), and f(x+h) - f(x-h) is mostly rounding noise.",
            ),
            Choice(
                "Python raises ZeroDivisionError, as 1.3 + 1e-14 rounds to 1.3",
                "1.3 + 1e-14 still differs from 1.3 (floats near 1.3 are about 2e-16 apart): "
                "only the step's digits get rounded. And the division is by 2h, which is not "
                "0: even equal values of f would give 0, not an error.",
            ),
        ],
        answer=1,
    ),
    Question(
        "01.scale",
        "From the Try it list: in the step-size study you change `x1 = 1.3` to `x1 = 100.0`. "
        "What happens to the best steps h?",
        [
            Choice(
                "They grow, since round-off grows with the size of the numbers",
                "At x = 100, f is about 10⁶, so the rounding errors of f(x ± h) are about a "
                "million times larger, and the balance with truncation, h ≈ ∛(3ε|f|/|f'''|) "
                "for the central difference, moves to bigger steps: the study finds 5e-7 "
                "(forward) and 4e-4 (central). That is why gradient checkers scale h with |x|.",
            ),
            Choice(
                "They stay near 1e-8 and 6e-6, since those come from ε alone",
                "√ε and ∛ε are the best steps only when |f|, f'' and f''' are of size about 1. "
                "The valley is where truncation (set by f'' and f''') meets round-off "
                "(ε·|f|/h); at x = 100, |f| is about 10⁶, so round-off is far bigger and the "
                "meeting point moves.",
            ),
            Choice(
                "They shrink, since a larger x needs a finer step to follow the curve",
                "The curve does bend harder at x = 100 (f'' = 600 instead of 7.8), which alone "
                "would call for a smaller step. But f itself is about a million times bigger, "
                "and so are its rounding errors: round-off wins, and the best steps grow.",
            ),
            Choice(
                "They grow, since the truncation error gets smaller at a large x",
                "Truncation did not shrink: the central error h²/6·f''' is h² at every x "
                "(f''' = 6), and the forward one, h/2·f'' = 300h at x = 100, is bigger than at "
                "1.3 (3.9h). Round-off did the moving: it grows with |f|, about 10⁶ here.",
            ),
        ],
        answer=0,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "read a derivative as the slope of a tiny nudge (a limit)",
        "estimate it with forward and central differences (you write the central one), and "
        "see why central is better",
        "find out why the step `h` can be too big and too small (truncation vs round-off)",
        "check a derivative you work out by hand against the computer's estimate",
    ],
    formulas=[
        "f'(x) = lim (h → 0) of (f(x + h) - f(x)) / h",
        "forward difference: (f(x + h) - f(x)) / h, truncation error ≈ h/2 · f''(x) (∝ h)",
        "central difference: (f(x + h) - f(x - h)) / (2h), truncation error ≈ h²/6 · f'''(x) "
        "(∝ h²: the h² terms of the Taylor series cancel)",
        "round-off error ≈ ε·|f(x)| / h, with ε ≈ 2.2e-16 (float64)",
        "best step, where truncation = round-off: h ≈ √(2ε|f|/|f''|) (forward), "
        "∛(3ε|f|/|f'''|) (central); near √ε ≈ 1e-8 and ∛ε ≈ 6e-6 only when |f|, f'' and f''' "
        "are of size about 1",
        "power rule: d/dx xⁿ = n·xⁿ⁻¹",
    ],
    demo=(
        "f(x) = x³ - 2x at x = 2, where f'(2) = 3·2² - 2 = 10: the secant slopes for h = 1, 0.5, "
        "0.1 are 17, 13.25, 10.61; as h shrinks 10× (0.1, 0.01, 0.001) the forward error goes "
        "0.61 → 0.06 → 0.006 and the central one 0.01 → 0.0001 → 0.000001; at h = 1e-15 the "
        "forward difference says 8.88 (round-off). Then a log-log plot of both errors against "
        "h at x = 1.3 (f'(1.3) = 3.07), whose valleys sit at h ≈ 1e-8 (forward, error 5e-9) "
        "and h ≈ 6e-6 (central, error 1e-12)."
    ),
    demo_focus=(
        "Walk me through this demo step by step: what is computed at each step, with the "
        "numbers, and why the errors first shrink (and how fast) and then grow again as h gets "
        "smaller. Stop after each step and let me ask questions."
    ),
    try_it=[
        "In the dg cell, make a deliberate mistake (+ 1/x**2 instead of - 1/x**2) and re-run "
        "check_dg: which points does it catch, which term does it name, by how much is dg off?",
        "In the central_difference cell, write the forward difference (or divide by h instead "
        "of 2*h) and print(check_central_difference(central_difference)) to see the example "
        "and the hint for that slip",
        "In the step-size study, change x1 = 1.3 to x1 = 100.0 and re-run that cell and the "
        "plot: do the best steps grow or shrink, and why?",
        "Redefine f = np.sin and f_prime = np.cos, then re-run the study and the plot: do the "
        "valleys keep their V shape?",
    ],
)
