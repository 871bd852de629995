"""Lesson 06's checker: the rules of your dual numbers (forward mode).

Call it on your class (the class itself)::

    check_dual(Dual)

How it decides, so you can trust it:

* Every input is a dual number ``a + a'ε`` with a random value ``a`` **and a random rate**
  ``a'`` (not just 1), fresh on every call. Think of it as ``a(t) = a + a'·t``: then the ε
  part of ``f(a, b)`` must be the derivative of ``f(a(t), b(t))`` at ``t = 0``.
* That derivative comes from **central differences** on plain floats,
  ``(g(h) - g(-h)) / 2h``, without your code and without any dual numbers.
* Each operation is checked alone, with a plain number, and inside a bigger expression
  (where the incoming rate is not 1: the chain rule). Then the whole gradient of two
  functions of several inputs, one forward pass per input, as ``forward_gradient`` does.
* The report names each operation (``add``, ``mul``, ``sub``, ``div``, ``pow``, ``exp``,
  ``tanh``), shows the numbers it expected and got, and a hint for the usual slips: a
  product rule missing a term or with the factors swapped, the ε² term ``a'·b'``, a
  quotient rule with the wrong sign, a forgotten chain-rule factor ``a'``, a plain number
  on the right (``a - 2``) reaching a method that does not ``Dual.wrap`` it.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("06")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("06")``).
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..gradcheck import numerical_grad
from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num, error_failure
from .study import Study

__all__ = ["check_dual"]

EXERCISES = [
    Exercise("06.dual", "the rules of dual numbers", "check_dual", provides=("Dual",)),
]

_H = 1e-6
_OPS = ("add", "mul", "sub", "div", "pow", "exp", "tanh")
_METHOD = {"add": "__add__", "mul": "__mul__", "sub": "__sub__", "div": "__truediv__",
           "pow": "__pow__", "exp": "exp", "tanh": "tanh"}  # fmt: skip
_CHAIN_HINT = (
    "Inside a bigger expression the incoming rate (the input's .deriv) is not 1: multiply "
    "the local derivative by it (the chain rule)."
)


def _close(x: object, y: float, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    return abs(float(x) - y) <= atol + rtol * abs(y)


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


_WRAP_HINT = (
    "A plain number reached your {method}, which reads `other.value` and `other.deriv`: wrap "
    "it first, `other = Dual.wrap(other)` (a plain number c is the constant c + 0·ε), as "
    "`__add__` does."
)

Diagnose = Callable[[list[tuple[float, float]], float], str]


@dataclass(frozen=True)
class _Case:
    rule: str  # the operation it is reported under
    aspect: str  # "basic", "number", "re-use", "nested"
    text: str  # e.g. "a * b"
    fn: Callable[..., object]  # on your Duals
    ref: Callable[..., float]  # on floats
    names: tuple[str, ...]
    uses: frozenset[str]
    diagnose: Diagnose | None = None
    positive: bool = False


def _case(rule, aspect, text, fn, ref, names, uses="", diagnose=None, positive=False) -> _Case:
    return _Case(rule, aspect, text, fn, ref, tuple(names), frozenset({rule, *uses.split()}),
                 diagnose, positive)  # fmt: skip


# --------------------------------------------------------------------------- diagnoses
def _diag_mul(x: list[tuple[float, float]], got: float) -> str:
    (a, da), (b, db) = x
    if _close(got, da * b) or _close(got, a * db):
        return "The product rule has two terms: (ab)' = a'·b + a·b'. You have one of them."
    if _close(got, da * a + db * b):
        return (
            "Each rate is multiplied by the *other* number's value: a'·b + a·b' (not a'·a + b'·b)."
        )
    if _close(got, da * db):
        return "That is the ε² term a'·b'·ε², which is 0. The ε part of the product is a'·b + a·b'."
    if _close(got, da + db):
        return "That is the rule for +. For *, the product rule: a'·b + a·b'."
    return ""


def _diag_div(x: list[tuple[float, float]], got: float) -> str:
    (a, da), (b, db) = x
    if _close(got, (da * b + a * db) / b**2):
        return "The quotient rule has a minus: (a/b)' = (a'·b - a·b') / b²."
    if _close(got, (a * db - da * b) / b**2):
        return "The order matters: (a/b)' = (a'·b - a·b') / b², not (a·b' - a'·b) / b²."
    if _close(got, da * b - a * db) or _close(got, (da * b - a * db) / b):
        return "Divide by b² (b.value squared): (a/b)' = (a'·b - a·b') / b²."
    if _close(got, da / db) if db else False:
        return "Rates do not divide like values: (a/b)' = (a'·b - a·b') / b²."
    return ""


def _diag_sub(x: list[tuple[float, float]], got: float) -> str:
    (_, da), (_, db) = x
    if _close(got, da + db):
        return "The ε part of a - b is a' - b' (you added the rates)."
    return ""


def _diag_pow(n: float) -> Diagnose:
    def diagnose(x: list[tuple[float, float]], got: float) -> str:
        ((a, da),) = x
        rule = f"n·a**(n-1)·a', here {n:g}·a**{n - 1:g}·a'"
        if _close(got, n * a ** (n - 1)):
            return f"Multiply by the input's rate a' too (the chain rule): {rule}."
        if _close(got, n * a**n * da):
            return f"The power rule lowers the exponent by one: {rule}."
        if _close(got, a ** (n - 1) * da):
            return f"The factor n is missing: {rule}."
        return ""

    return diagnose


def _diag_exp(x: list[tuple[float, float]], got: float) -> str:
    ((a, da),) = x
    if _close(got, math.exp(a)):
        return "Multiply by the input's rate too (the chain rule): exp(a)·a'."
    if _close(got, da):
        return "exp' = exp: the ε part is exp(a)·a'."
    return ""


def _diag_tanh(x: list[tuple[float, float]], got: float) -> str:
    ((a, da),) = x
    t = math.tanh(a)
    if _close(got, 1 - t * t):
        return "Multiply by the input's rate too (the chain rule): (1 - tanh(a)²)·a'."
    if _close(got, (1 - a * a) * da):
        return "Square the tanh, not the input: (1 - tanh(a)²)·a'."
    if _close(got, t * da) or _close(got, (1 + t * t) * da):
        return "tanh' = 1 - tanh²: the ε part is (1 - tanh(a)²)·a'."
    return ""


def _diag_add(x: list[tuple[float, float]], got: float) -> str:
    (_, da), (_, db) = x
    if _close(got, da * db):
        return "The ε part of a sum is the sum of the rates: a' + b'."
    return ""


# --------------------------------------------------------------------------- the cases
def _cases() -> list[_Case]:
    ab, a, abc = ("a", "b"), ("a",), ("a", "b", "c")
    cases = [
        _case("add", "basic", "a + b", lambda a, b: a + b, lambda a, b: a + b, ab,
              diagnose=_diag_add),
        _case("add", "number", "a + 2", lambda a: a + 2, lambda a: a + 2, a),
        _case("add", "number", "2 + a", lambda a: 2 + a, lambda a: 2 + a, a),
        _case("mul", "basic", "a * b", lambda a, b: a * b, lambda a, b: a * b, ab,
              diagnose=_diag_mul),
        _case("mul", "re-use", "a * a", lambda a: a * a, lambda a: a * a, a),
        _case("mul", "number", "a * 3", lambda a: a * 3, lambda a: a * 3, a),
        _case("mul", "number", "3 * a", lambda a: 3 * a, lambda a: 3 * a, a),
        _case("mul", "nested", "(a * b) * c", lambda a, b, c: (a * b) * c,
              lambda a, b, c: (a * b) * c, abc),
        _case("mul", "re-use", "a * a * a * a", lambda a: a * a * a * a, lambda a: a**4, a),
        _case("sub", "basic", "a - b", lambda a, b: a - b, lambda a, b: a - b, ab,
              diagnose=_diag_sub),
        _case("sub", "number", "a - 2", lambda a: a - 2, lambda a: a - 2, a),
        _case("sub", "number", "1 - a", lambda a: 1 - a, lambda a: 1 - a, a),
        _case("sub", "nested", "(a * b) - a", lambda a, b: (a * b) - a,
              lambda a, b: a * b - a, ab, "mul"),
        _case("div", "basic", "a / b", lambda a, b: a / b, lambda a, b: a / b, ab,
              diagnose=_diag_div),
        _case("div", "number", "a / 2", lambda a: a / 2, lambda a: a / 2, a),
        _case("div", "number", "1 / a", lambda a: 1 / a, lambda a: 1 / a, a),
        _case("div", "nested", "(a * b) / c", lambda a, b, c: (a * b) / c,
              lambda a, b, c: a * b / c, abc, "mul"),
    ]  # fmt: skip
    for n, positive in ((3, False), (2, False), (-1, False), (0.5, True)):
        cases.append(
            _case(
                "pow",
                "basic",
                f"a ** {n:g}",
                _power(n),
                _power(n),
                a,
                diagnose=_diag_pow(n),
                positive=positive,
            )  # fmt: skip
        )
    cases += [
        _case("pow", "nested", "(a * b) ** 2", lambda a, b: (a * b) ** 2,
              lambda a, b: (a * b) ** 2, ab, "mul"),
        _case("exp", "basic", "a.exp()", lambda a: a.exp(), math.exp, a, diagnose=_diag_exp),
        _case("exp", "nested", "(a * b).exp()", lambda a, b: (a * b).exp(),
              lambda a, b: math.exp(a * b), ab, "mul"),
        _case("tanh", "basic", "a.tanh()", lambda a: a.tanh(), math.tanh, a,
              diagnose=_diag_tanh),
        _case("tanh", "nested", "(a * b).tanh()", lambda a, b: (a * b).tanh(),
              lambda a, b: math.tanh(a * b), ab, "mul"),
    ]  # fmt: skip
    return cases


def _power(n: float) -> Callable[[object], object]:
    return lambda a: a**n  # type: ignore[operator]


def _draw(rng: random.Random, k: int, positive: bool) -> list[tuple[float, float]]:
    """``k`` inputs (value, rate): values away from 0, ±1 and each other; rates not 1 and
    not equal to the values, so that every wrong rule gives a different number.

    For large ``k`` the first values can leave no room for the next ones: after many misses
    it starts again (without that, an unlucky draw looped for ever)."""
    vals: list[float] = []
    rates: list[float] = []
    misses = 0
    while len(vals) < k:
        if misses > 200:
            vals, rates, misses = [], [], 0
        v = round(rng.uniform(0.5, 2.0), 2)
        if abs(v - 1.0) < 0.15 or any(abs(v - abs(p)) < 0.2 for p in vals):
            misses += 1
            continue
        r = round(rng.uniform(0.4, 2.5), 2)
        if abs(r - 1.0) < 0.2 or abs(r - v) < 0.2:
            continue
        vals.append(v if positive or rng.random() < 0.5 else -v)
        rates.append(r if rng.random() < 0.5 else -r)
    return list(zip(vals, rates, strict=True))


def _truth(ref: Callable[..., float], x: list[tuple[float, float]]) -> tuple[float, float]:
    """The value, and d/dt ref(a + a'·t, ...) at t = 0 by central differences."""
    value = ref(*(v for v, _ in x))
    rate = numerical_grad(lambda t: ref(*(v + d * t for v, d in x)), [0.0], eps=_H)[0]
    return value, rate


def _shown(x: list[tuple[float, float]], names: tuple[str, ...]) -> str:
    return ", ".join(
        f"{n} = Dual({_num(v)}, {_num(d)})" for n, (v, d) in zip(names, x, strict=True)
    )


# --------------------------------------------------------------------------- the check
def _ring(*xs: object) -> object:
    n = len(xs)
    total = xs[0] * xs[1 % n]  # type: ignore[operator]
    for i in range(1, n):
        total = total + xs[i] * xs[(i + 1) % n]  # type: ignore[operator]
    return total


def _mixed(x: object, y: object, z: object) -> object:
    return (x * y).tanh() + x / z - y**2 + (z * 0.5).exp()  # type: ignore[operator]


def _mixed_floats(x: float, y: float, z: float) -> float:
    return math.tanh(x * y) + x / z - y**2 + math.exp(z * 0.5)


def check_dual(
    dual_cls: type, *, seed: int | None = None, rounds: int = 2, save: bool = True
) -> CheckReport:
    """Check lesson 06: the rules of your ``Dual`` (``value + deriv·ε`` with ``ε² = 0``).

    ``Dual(value, deriv)`` must make a dual number with ``.value`` and ``.deriv``; ``+``,
    ``-``, ``*``, ``/`` (with Duals or plain numbers on either side), ``** n`` (a plain
    number ``n``), ``.exp()`` and ``.tanh()`` must return a new Dual whose ε part follows
    the rules of differentiation. Each expression runs ``rounds`` times on fresh random
    numbers (``seed`` repeats a run). Then two gradients, one forward pass per input.
    """
    if not isinstance(dual_cls, type):
        raise TypeError(
            "check_dual needs your Dual *class*, e.g. check_dual(Dual), not an instance of "
            f"{type(dual_cls).__name__}"
        )
    seed = int.from_bytes(os.urandom(8), "big") if seed is None else seed
    rng = random.Random(seed)
    b = ReportBuilder("dual numbers", "your dual numbers carry every derivative forward.", seed)
    rules = {op: b.rule(op) for op in _OPS}
    gradient = b.rule("a gradient, one pass per input")
    # (case, the failure to report or None)
    results: list[tuple[_Case, tuple[str, str, str] | None]] = []
    for _ in range(rounds):
        for case in _cases():
            results.append((case, _run_case(case, dual_cls, rng)))
    broken = {c.rule for c, f in results if f is not None and len(c.uses) == 1}
    for case, failure in results:
        rule = rules[case.rule]
        needs = (case.uses - {case.rule}) & broken
        if failure is None:
            rule.check(True)
        elif needs:
            rule.blocked(by=" and ".join(sorted(needs)))
        else:
            kind, message, hint = failure
            rule.check(False, message, hint, expression=case.text, kind=kind)
    # the whole gradient, as forward_gradient does it
    if broken & {"add", "mul"}:
        gradient.blocked(by=" and ".join(sorted(broken & {"add", "mul"})), checks=2)
    else:
        n = rng.randint(4, 6)
        xs = [v for v, _ in _draw(rng, n, False)]
        _gradient_case(gradient, dual_cls, f"ring(x0, ..., x{n - 1})", _ring, _ring, xs)
        if broken:
            gradient.blocked(by=" and ".join(sorted(broken)))
        else:
            xs = [v for v, _ in _draw(rng, 3, True)]
            _gradient_case(gradient, dual_cls, "tanh(x·y) + x/z - y² + exp(z/2)", _mixed,
                           _mixed_floats, xs)  # fmt: skip
    return finish("06.dual", b.build(), {"Dual": dual_cls}, save=save)


def _run_case(case: _Case, cls: type, rng: random.Random) -> tuple[str, str, str] | None:
    """Run one case on fresh inputs: None if right, else (kind, message, hint)."""
    x = _draw(rng, len(case.names), case.positive)
    where = f"for {case.text} with {_shown(x, case.names)}"
    method = _METHOD[case.rule]
    if not callable(getattr(cls, method, None)):
        return ("error", f"your Dual has no {method}", f"Define `{method}` in the class.")
    try:
        got = case.fn(*(cls(v, d) for v, d in x))
    except Exception as exc:
        f = error_failure(case.rule, f"computing {case.text}", exc)
        text = str(exc)
        if isinstance(exc, AttributeError) and text.startswith(("'int' ", "'float' ")):
            return ("error", f.message, _WRAP_HINT.format(method=method))
        return ("error", f.message, f.hint)
    if not (hasattr(got, "value") and hasattr(got, "deriv")):
        gave = "None" if got is None else f"a {type(got).__name__}"
        return ("error", f"{where}: got {gave} instead of a Dual",
                "Every rule must return a new number: `return Dual(value, deriv)`.")  # fmt: skip
    value, rate = _truth(case.ref, x)
    if not _close(got.value, value):
        return ("data", f"{where}: expected the value {_num(value)}, got {_num(got.value)}",
                "The value part is wrong: compute it as with plain numbers.")  # fmt: skip
    if _close(got.deriv, rate):
        return None
    hint = ""
    if case.diagnose is not None:
        hint = case.diagnose(x, float(got.deriv)) if _is_number(got.deriv) else ""
    if not hint and case.aspect == "nested":
        hint = _CHAIN_HINT
    message = f"{where}: expected the ε part (deriv) {_num(rate)}, got {_num(got.deriv)}" + (
        " — from central differences" if case.aspect == "basic" else ""
    )
    return ("grad", message, hint)


def _gradient_case(
    rule: RuleBuilder,
    cls: type,
    text: str,
    fn: Callable[..., object],
    ref: Callable[..., float],
    xs: list[float],
) -> None:
    """The gradient of fn at xs in n forward passes (input i seeded with 1) vs central
    differences."""
    want = numerical_grad(ref, xs, eps=_H)
    got = []
    try:
        for i in range(len(xs)):
            duals = [cls(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)]
            got.append(fn(*duals).deriv)  # type: ignore[attr-defined]
    except Exception as exc:
        rule.error(f"computing the gradient of {text}", exc)
        return
    bad = [i for i in range(len(xs)) if not _close(got[i], want[i])]
    at = ", ".join(_num(x) for x in xs)
    rule.check(
        not bad,
        f"for {text} at ({at}): pass {bad[0] if bad else 0} (input {bad[0] if bad else 0} "
        f"seeded with 1) expected ∂f/∂x{bad[0] if bad else 0} = "
        f"{_num(want[bad[0]] if bad else 0.0)}, got {_num(got[bad[0]] if bad else 0.0)}",
        "Each rule is right on its own, but not together: check the rules used here.",
    )


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or follows from its code): ring at
# n = 1000 costs 1,999,000 ops in forward mode against 3,998; (x + 1)…(x + 64) has a derivative
# of 8,571 symbols against 192 graph nodes and 127 rules, and at n = 8 both give 2592720.0;
# the population needs 1 forward pass against 40 backward passes (4,020 rules). At x = 1,
# exp(x) / (1 + x²) has a' = e, b = 2, b' = 2, so a'b - ab' = 0 whatever the sign or the
# denominator (tests/course/test_lesson06_quiz.py runs these wrong rules).
QUIZ = [
    Question(
        "06.passes",
        "A model has 1,000,000 parameters and one loss. How many passes does each mode need "
        "for the full gradient?",
        [
            Choice(
                "forward: 1 pass; reverse: 1,000,000 backward passes (after one forward pass)",
                "The other way round. A dual number carries the derivative with respect to the "
                "one input seeded with rate 1, so forward mode needs a pass per input; one "
                "backward pass fills in the gradient of every input of the one output.",
            ),
            Choice(
                "forward: 1,000,000 passes; reverse: one backward pass (after one forward pass)",
                "A dual number carries one rate of change, so forward mode needs one pass per "
                "input (`forward_gradient` loops n times). Reverse mode needs one backward pass "
                "(after the forward pass that builds the graph), whatever n is: at n = 1000 the "
                "lesson counted 1,999,000 ops against 3,998.",
            ),
            Choice(
                "forward: 1,000,000 passes; reverse: 1,000,000 backward passes (after one "
                "forward pass)",
                "Forward mode does need one pass per input, but reverse mode does not: one "
                "`backward()` fills in `.grad` of every leaf, as `reverse_gradient` got all "
                "five derivatives of `ring` from a single call.",
            ),
            Choice(
                "forward: 1 pass; reverse: one backward pass (after one forward pass)",
                "Reverse mode, yes. But one forward pass gives the derivative along one "
                "direction only (the input seeded with 1, or a Jacobian-vector product): the "
                "other 999,999 derivatives need passes of their own.",
            ),
        ],
        answer=1,
    ),
    Question(
        "06.wins",
        "Which of these jobs suits forward mode best?",
        [
            Choice(
                "training a network: a million parameters, one loss",
                "Many inputs, one output: that is reverse mode's shape. Forward mode would need "
                "a million passes per training step, one per parameter.",
            ),
            Choice(
                "the gradient of a loss with respect to an image's 1,000,000 pixels",
                "A million inputs and one output (the loss): one backward pass gives all "
                "million derivatives, where forward mode would need a million passes.",
            ),
            Choice(
                "how 500 outputs of a simulation change with its one parameter",
                "One input, many outputs: a single forward pass, seeded on the parameter, gives "
                "all 500 derivatives at once. Reverse mode needs one backward pass per output: "
                "the lesson's population took 1 forward pass against 40 backward passes.",
            ),
            Choice(
                "none of them: reverse mode wins whatever the shape of f",
                "The winner depends on the shape of f: Rⁿ → Rᵐ, n forward passes against m "
                "backward ones for the full Jacobian. With few inputs and many outputs forward "
                "mode wins, and it needs no graph in memory.",
            ),
        ],
        answer=2,
    ),
    Question(
        "06.swell",
        "Why does the symbolic derivative of (x + 1)(x + 2)…(x + n) get so much bigger than the "
        "graph reverse mode uses?",
        [
            Choice(
                "it keeps the 0s and 1s a tidier system would drop",
                "Dropping them shortens the formula but does not stop the swell: the derivative "
                "of a product of n factors is still a sum of n products of n − 1 factors each, "
                "which grows like n².",
            ),
            Choice(
                "reverse mode leaves some of the terms out",
                "It leaves nothing out: at n = 8 autodiff and the symbolic derivative both give "
                "2592720.0. It gets there with numbers it computed once and stored, instead of "
                "writing each term out.",
            ),
            Choice(
                "the symbolic rules are applied wrongly",
                "The formula is correct, only long: evaluated at x = 2 it gives the same "
                "2592720.0 as autodiff (and p'(2) = 47 for n = 3).",
            ),
            Choice(
                "a formula spells out a shared piece at each use",
                "A formula is a tree, so anything used twice is written twice. Autodiff keeps "
                "each intermediate number once in its graph and reuses it: at n = 64, 8,571 "
                "symbols against 192 graph nodes and 127 backward rules.",
            ),
        ],
        answer=3,
    ),
    Question(
        "06.weak_test",
        "From the Try it list: the derivative of exp(x) / (1 + x²) is exactly 0 at `x = 1`. "
        "Why is that point a weak test of your `Dual`?",
        [
            Choice(
                "a quotient rule with the wrong sign also gives 0 there",
                "At x = 1, the numerator a = eˣ has a = a' = e and the denominator b = 1 + x² "
                "has b = 2, b' = 2, so "
                "a'·b − a·b' = 2e − 2e = 0. Flip its sign, or divide by b instead of b², and "
                "it is still 0: the wrong rules pass. Away from x = 1 (say 0.5) they fail, and "
                "`check_dual` draws random points and rates for that reason.",
            ),
            Choice(
                "floats cannot hold 0 exactly, so the answer is rounded",
                "0.0 is a float like any other, and here 2e − 2e cancels exactly. The answer "
                "is right; the trouble is that several wrong quotient rules give it too.",
            ),
            Choice(
                "every function's derivative is 0 at x = 1",
                "Only this one's, by chance: its derivative is eˣ·(1 − x)² / (1 + x²)², which "
                "is 0 at x = 1 and nowhere else. At 0.5 it is not 0.",
            ),
            Choice(
                "forward mode cannot take a derivative at x = 1",
                "Forward mode works at any point where the function is defined: seed "
                "Dual(1.0, 1.0) and read the ε part. It gives 0.0 at x = 1, which is right: a "
                "fine answer, but a weak test.",
            ),
        ],
        answer=0,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "Write the rules of dual numbers yourself, and compute derivatives in forward mode "
        "with them: one pass, no graph.",
        "Measure the cost of a gradient of `f: Rⁿ → R`: forward mode needs n passes, reverse "
        "mode one.",
        "See why symbolic differentiation is not the answer either: its formulas swell.",
        "Know when forward mode wins: few inputs, many outputs.",
    ],
    formulas=[
        "dual number: a + a'ε with ε² = 0; seed x + 1·ε, read f'(x) from the ε part",
        "(a + a'ε)(b + b'ε) = ab + (a'b + ab')ε: the product rule",
        "quotient rule (a/b)' = (a'·b − a·b') / b²; power rule (aⁿ)' = n·aⁿ⁻¹·a'",
        "chain rule: f(a + a'ε) = f(a) + f'(a)·a'ε, e.g. exp' = exp, tanh' = 1 − tanh²",
        "f: Rⁿ → Rᵐ: the full Jacobian takes n forward passes or m reverse passes",
        "seeding the inputs with a direction v gives Σᵢ vᵢ·∂f/∂xᵢ (a Jacobian-vector product)",
        "symbolic: d(u + v) = du + dv, d(u·v) = du·v + u·dv; the derivative of a product of n "
        "factors has n terms of n − 1 factors",
    ],
    demo=(
        "Forward mode with Dual(2.0, 1.0) on f(x) = x³ + 2x gives Dual(value=12, deriv=14) in "
        "one pass, the gradient of ring(x₀, …, xₙ₋₁) costs n passes (1,999,000 ops at "
        "n = 1000) against one forward and one backward pass (3,998 ops), and the population "
        "model with r = 0.3 gets dx/dr for all 40 years in 1 forward pass against 40 backward "
        "passes; symbolic differentiation of (x + 1)(x + 2)…(x + 64) gives a derivative of "
        "8,571 symbols against a graph of 192 nodes, and 12 steps of g(u) = u·u + x a formula "
        "of 16,381 symbols against 25 graph nodes."
    ),
    explain=(
        "Compare the three ways a computer can get derivatives: reverse mode (what my Value "
        "does: record a graph on the way forward, then one backward pass), forward mode (dual "
        "numbers a + a'ε with ε² = 0, carried along with the values in one pass, no graph) and "
        "symbolic differentiation (the rules applied to the formula itself, giving a new "
        "formula). In one paragraph, as a patient tutor would, say what one pass of each "
        "gives, what a full gradient of f: Rⁿ → Rᵐ costs in each, why symbolic formulas swell, "
        "and when each is the right tool, with one small concrete example; then ask me one "
        "question to check that I got it."
    ),
    try_it=[
        "Compute derivative(lambda x: x.exp() / (1 + x * x), 0.5) with your Dual and check it "
        "against your Value and .backward(): why is x = 1 a weak test?",
        "In the cost plot, add larger sizes (400, 600): does the forward-mode curve keep "
        "bending up?",
        "Give your Dual a log (log' = 1/x) or a sin (sin' = cos), and compare derivative with "
        "the rule you know",
        "Change g(u) = u·u + x to g(u) = u·x + 1, which uses u only once per step: does the "
        "formula still double?",
        "Seed Dual(0.3, 1.0) with a different r (try 0.1 and 0.8) and watch the peak of dx/dr move",
    ],
)
