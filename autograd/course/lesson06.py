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
  quotient rule with the wrong sign, a forgotten chain-rule factor ``a'``.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..gradcheck import numerical_grad
from .carry import finish
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num, error_failure

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
        _case("mul", "number", "3 * a", lambda a: 3 * a, lambda a: 3 * a, a),
        _case("mul", "nested", "(a * b) * c", lambda a, b, c: (a * b) * c,
              lambda a, b, c: (a * b) * c, abc),
        _case("mul", "re-use", "a * a * a * a", lambda a: a * a * a * a, lambda a: a**4, a),
        _case("sub", "basic", "a - b", lambda a, b: a - b, lambda a, b: a - b, ab,
              diagnose=_diag_sub),
        _case("sub", "number", "1 - a", lambda a: 1 - a, lambda a: 1 - a, a),
        _case("sub", "nested", "(a * b) - a", lambda a, b: (a * b) - a,
              lambda a, b: a * b - a, ab, "mul"),
        _case("div", "basic", "a / b", lambda a, b: a / b, lambda a, b: a / b, ab,
              diagnose=_diag_div),
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
    not equal to the values, so that every wrong rule gives a different number."""
    vals: list[float] = []
    rates: list[float] = []
    while len(vals) < k:
        v = round(rng.uniform(0.5, 2.0), 2)
        if abs(v - 1.0) < 0.15 or any(abs(v - abs(p)) < 0.2 for p in vals):
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
