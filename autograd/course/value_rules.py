"""Checkers for the lessons' exercises: does *your* ``Value`` send gradients back correctly?

In lesson 03 you write your own ``Value`` class and complete ``__add__`` and ``__mul__``;
in lesson 04 you add ``__pow__``. These checkers are the "hidden tests": call them on your
class (the class itself, not an instance)::

    check_add_mul(Value)      # lesson 03: + and *
    check_pow(Value)          # lesson 04: ** with a number exponent
    check_more_ops(Value)     # optional: -a, a - b, a / b, a.exp(), a.tanh() if you have them

How a checker decides, so you can trust it:

1. It builds many small expressions (``a + b``, ``a * a``, ``(a * b) * c``, ...) on **fresh
   random numbers every time**, so no answer can be memorised. The list includes values used
   twice (``a + a``: the gradients of both uses must add up, hence ``+=``), both operand
   orders, and operations inside bigger expressions (where the gradient arriving at the
   operation, ``out.grad``, is not 1).
2. It calls your ``backward()`` and reads every input's ``.grad``.
3. It computes the right answer *without your code and without any backward rules*: it runs
   the same expression on plain Python floats and uses central differences,
   ``(f(x + h) - f(x - h)) / 2h``.

The report it returns is truthy iff every check passes. Its one-line text says which rules
failed; ``print(report)`` (or the table in Jupyter) shows a concrete example with the value
it expected and the value it got, and a hint about the likely mistake.
"""

from __future__ import annotations

import inspect
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

from ..gradcheck import numerical_grad
from .report import CheckReport, Failure, Rule, _num, error_failure

__all__ = ["check_add_mul", "check_more_ops", "check_pow"]

_ATOL = 1e-6
_RTOL = 1e-5
_H = 1e-6  # the central-difference step


# --------------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class _Case:
    """One expression to check, written once and run both on floats and on your Values."""

    rule: str  # the group it is reported under ("add", "mul", ...)
    # "basic"/"order": the op alone; "re-use": a value used twice, out.grad still 1;
    # "nested": the op inside a bigger expression (out.grad != 1); "together": several ops
    aspect: str
    text: str  # how it reads, e.g. "c = a * b"
    fn: Callable[..., object]  # builds it from your Values
    ref: Callable[..., float]  # the same on floats (often the same function)
    names: tuple[str, ...]  # the inputs, in order
    tests: frozenset[str]  # the operations this case is about
    uses: frozenset[str]  # every operation it needs
    formulas: tuple[tuple[str, str], ...] = ()  # ("a", "b · c.grad"): shown in examples
    data_formula: str = ""  # e.g. "a.data * b.data"
    positive: bool = False  # inputs must be > 0 (fractional powers)
    diagnose: Callable[[dict[str, float], str, float], str] | None = None

    @property
    def out(self) -> str:
        return self.text.split(";")[-1].split("=")[0].strip()


def _case(
    rule: str,
    aspect: str,
    text: str,
    fn: Callable[..., object],
    tests: str,
    uses: str = "",
    ref: Callable[..., float] | None = None,
    formulas: dict[str, str] | None = None,
    data_formula: str = "",
    positive: bool = False,
    diagnose: Callable[[dict[str, float], str, float], str] | None = None,
) -> _Case:
    names = tuple(inspect.signature(fn).parameters)
    tested = frozenset(tests.split())
    return _Case(
        rule=rule,
        aspect=aspect,
        text=text,
        fn=fn,
        ref=ref or fn,  # type: ignore[arg-type]
        names=names,
        tests=tested,
        uses=tested | frozenset(uses.split()),
        formulas=tuple((formulas or {}).items()),
        data_formula=data_formula,
        positive=positive,
        diagnose=diagnose,
    )


_ASPECT_HINTS = {
    "re-use": (
        "A value used twice must collect gradient from *both* uses: write "
        "`self.grad += ...` (not `=`) in every `_backward`."
    ),
    "nested": (
        "Inside a bigger expression the gradient arriving at this operation (out.grad) is "
        "not 1: multiply the local derivative by `out.grad` (the chain rule)."
    ),
}


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= _ATOL + _RTOL * abs(y)


def _stayed_zero(name: str) -> str:
    return (
        f"{name}.grad stayed 0: the backward rule must add into *both* inputs' gradients "
        "(self.grad and other.grad)."
    )


def _diagnose_add(x: dict[str, float], name: str, got: float) -> str:
    if _close(got, 0.0):
        return _stayed_zero(name)
    if _close(got, 2.0):
        return "That is 2 · out.grad. The local derivative of a + b is 1 for each input."
    return ""


def _diagnose_mul(x: dict[str, float], name: str, got: float) -> str:
    (other,) = (n for n in x if n != name)
    if _close(got, 0.0):
        return _stayed_zero(name)
    if _close(got, x[name]):
        return (
            f"You multiplied by {name}'s own value. In c = a * b each factor receives the "
            "*other* factor: a.grad += b.data * c.grad and b.grad += a.data * c.grad."
        )
    if _close(got, 1.0):
        return (
            "That is the rule for +. For *, the local derivative is the other factor: "
            f"{name}.grad += {other}.data * out.grad."
        )
    if _close(got, x[name] * x[other]):
        return "You multiplied by out.data; use the other factor's .data instead."
    return ""


def _diagnose_pow(n: float) -> Callable[[dict[str, float], str, float], str]:
    def diagnose(x: dict[str, float], name: str, got: float) -> str:
        v = x[name]
        if _close(got, 0.0):
            return f"{name}.grad stayed 0: the backward rule must add into self.grad."
        if _close(got, n * v**n):
            return (
                f"That is n · x**n. The power rule lowers the exponent by one: "
                f"d(x**n)/dx = n · x**(n-1), here {n:g} · x**{n - 1:g}."
            )
        rule = f"d(x**n)/dx = n · x**(n-1), here {n:g} · x**{n - 1:g}"
        forgot_n, n_minus_1 = _close(got, v ** (n - 1)), _close(got, (n - 1) * v ** (n - 1))
        if forgot_n and n_minus_1:
            return f"The factor in front must be n: {rule}."
        if forgot_n:
            return f"The factor n is missing: {rule}."
        if n_minus_1:
            return f"The factor in front is n, not n - 1: {rule}."
        if _close(got, v**n):
            return "That is x**n itself (the forward value), not its derivative n · x**(n-1)."
        return ""

    return diagnose


def _add_mul_cases() -> list[_Case]:
    """Cases for lesson 03: + and * (Value with Value only)."""
    add, mul = _diagnose_add, _diagnose_mul
    return [
        _case("add", "basic", "c = a + b", lambda a, b: a + b, "add",
              formulas={"a": "c.grad", "b": "c.grad"}, data_formula="a.data + b.data",
              diagnose=add),
        _case("add", "order", "c = b + a", lambda a, b: b + a, "add",
              formulas={"a": "c.grad", "b": "c.grad"}, data_formula="b.data + a.data",
              diagnose=add),
        _case("add", "re-use", "c = a + a", lambda a: a + a, "add",
              formulas={"a": "c.grad + c.grad: a is used twice"}, data_formula="a.data + a.data"),
        _case("add", "re-use", "d = (a + b) + a", lambda a, b: (a + b) + a, "add"),
        _case("add", "nested", "d = (a + b) * c", lambda a, b, c: (a + b) * c, "add", "mul"),
        _case("add", "nested", "d = c * (b + a)", lambda a, b, c: c * (b + a), "add", "mul"),
        _case("mul", "basic", "c = a * b", lambda a, b: a * b, "mul",
              formulas={"a": "b · c.grad", "b": "a · c.grad"}, data_formula="a.data * b.data",
              diagnose=mul),
        _case("mul", "order", "c = b * a", lambda a, b: b * a, "mul",
              formulas={"a": "b · c.grad", "b": "a · c.grad"}, data_formula="b.data * a.data",
              diagnose=mul),
        _case("mul", "re-use", "c = a * a", lambda a: a * a, "mul",
              formulas={"a": "a · c.grad + a · c.grad: a is used twice"},
              data_formula="a.data * a.data"),
        _case("mul", "nested", "d = (a * b) * c", lambda a, b, c: (a * b) * c, "mul"),
        _case("mul", "nested", "d = c * (b * a)", lambda a, b, c: c * (b * a), "mul"),
        _case("mul", "nested", "d = (a * b) * a", lambda a, b: (a * b) * a, "mul"),
        _case("add & mul together", "together", "e = (a + b) * (a * c)",
              lambda a, b, c: (a + b) * (a * c), "add mul"),
        _case("add & mul together", "together", "d = a * b + a",
              lambda a, b: a * b + a, "add mul"),
        _case("add & mul together", "together", "e = ((a * b) + c) * a",
              lambda a, b, c: ((a * b) + c) * a, "add mul"),
        _case("add & mul together", "together", "s = a + b; d = s * s",
              lambda a, b: (s := a + b) * s, "add mul"),
    ]  # fmt: skip


def _power(n: float) -> Callable[[object], object]:
    return lambda a: a**n  # type: ignore[operator]


def _pow_cases() -> list[_Case]:
    """Cases for lesson 04: ``x ** n`` with a number exponent, alone and with + and *."""
    cases = [
        _case("add & mul (lesson 03)", "basic", "c = a + b", lambda a, b: a + b, "add",
              formulas={"a": "c.grad", "b": "c.grad"}, data_formula="a.data + b.data",
              diagnose=_diagnose_add),
        _case("add & mul (lesson 03)", "basic", "c = a * b", lambda a, b: a * b, "mul",
              formulas={"a": "b · c.grad", "b": "a · c.grad"}, data_formula="a.data * b.data",
              diagnose=_diagnose_mul),
        _case("add & mul (lesson 03)", "nested", "d = (a + b) * c",
              lambda a, b, c: (a + b) * c, "add", "mul"),
        _case("add & mul (lesson 03)", "nested", "d = (a * b) * a",
              lambda a, b: (a * b) * a, "mul"),
    ]  # fmt: skip
    # n = 3 first: there every common mistake gives a different number (for n = 2,
    # forgetting n and writing n - 1 in front look the same)
    for n, positive in ((3, False), (2, False), (-1, False), (0.5, True), (-2, False)):
        cases.append(
            _case(
                "pow",
                "basic",
                f"c = a ** {n:g}",
                _power(n),
                "pow",
                formulas={"a": f"{n:g} · a**{n - 1:g} · c.grad"},
                data_formula=f"a.data ** {n:g}",
                positive=positive,
                diagnose=_diagnose_pow(n),
            )
        )
    cases += [
        _case("pow", "nested", "d = (a ** 2) ** 3", lambda a: (a**2) ** 3, "pow"),
        _case("pow", "nested", "d = (a ** 3) ** -1", lambda a: (a**3) ** -1, "pow"),
        _case("pow", "nested", "d = (a ** 0.5) ** 3", lambda a: (a**0.5) ** 3, "pow",
              positive=True),
        _case("pow with + and *", "re-use", "d = a ** 2 + a ** 3",
              lambda a: a**2 + a**3, "pow", "add"),
        _case("pow with + and *", "nested", "d = a ** 2 * a", lambda a: a**2 * a, "pow", "mul"),
        _case("pow with + and *", "nested", "d = (a ** 2) * b", lambda a, b: (a**2) * b, "pow",
              "mul"),
        _case("pow with + and *", "nested", "d = b * (a ** 3)", lambda a, b: b * (a**3), "pow",
              "mul"),
        _case("pow with + and *", "nested", "d = (a + b) ** 2", lambda a, b: (a + b) ** 2, "pow",
              "add"),
        _case("pow with + and *", "nested", "d = (a * b) ** -1", lambda a, b: (a * b) ** -1,
              "pow", "mul"),
    ]  # fmt: skip
    return cases


def _more_cases(value_cls: type) -> list[_Case]:
    """Cases for the optional ops your class defines: -a, a - b, a / b, a.exp(), a.tanh()."""
    has = {
        "neg": hasattr(value_cls, "__neg__"),
        "sub": hasattr(value_cls, "__sub__"),
        "div": hasattr(value_cls, "__truediv__"),
        "exp": callable(getattr(value_cls, "exp", None)),
        "tanh": callable(getattr(value_cls, "tanh", None)),
    }
    if not any(has.values()):
        return []
    cases = [
        _case("add & mul (lesson 03)", "basic", "c = a + b", lambda a, b: a + b, "add",
              data_formula="a.data + b.data", diagnose=_diagnose_add),
        _case("add & mul (lesson 03)", "basic", "c = a * b", lambda a, b: a * b, "mul",
              data_formula="a.data * b.data", diagnose=_diagnose_mul),
    ]  # fmt: skip
    if has["neg"]:
        cases += [
            _case("neg", "basic", "c = -a", lambda a: -a, "neg",
                  formulas={"a": "-c.grad"}, data_formula="-a.data"),
            _case("neg", "nested", "d = -(a * b)", lambda a, b: -(a * b), "neg", "mul"),
            _case("neg", "nested", "d = (-a) * a", lambda a: (-a) * a, "neg", "mul"),
        ]  # fmt: skip
    if has["sub"]:
        cases += [
            _case("sub", "basic", "c = a - b", lambda a, b: a - b, "sub",
                  formulas={"a": "c.grad", "b": "-c.grad"}, data_formula="a.data - b.data"),
            _case("sub", "re-use", "c = a - a", lambda a: a - a, "sub",
                  formulas={"a": "c.grad - c.grad"}),
            _case("sub", "nested", "d = (a - b) * c", lambda a, b, c: (a - b) * c, "sub", "mul"),
        ]  # fmt: skip
    if has["div"]:
        cases += [
            _case("div", "basic", "c = a / b", lambda a, b: a / b, "div",
                  formulas={"a": "c.grad / b", "b": "-a / b² · c.grad"},
                  data_formula="a.data / b.data"),
            _case("div", "re-use", "c = a / a", lambda a: a / a, "div"),
            _case("div", "nested", "d = (a / b) * c", lambda a, b, c: (a / b) * c, "div", "mul"),
        ]  # fmt: skip
    if has["exp"]:
        cases += [
            _case("exp", "basic", "c = a.exp()", lambda a: a.exp(), "exp",
                  ref=lambda a: math.exp(a), formulas={"a": "exp(a) · c.grad"},
                  data_formula="exp(a.data)"),
            _case("exp", "nested", "d = (a * b).exp()", lambda a, b: (a * b).exp(), "exp",
                  "mul", ref=lambda a, b: math.exp(a * b)),
            _case("exp", "nested", "d = a.exp() * a", lambda a: a.exp() * a, "exp", "mul",
                  ref=lambda a: math.exp(a) * a),
        ]  # fmt: skip
    if has["tanh"]:
        cases += [
            _case("tanh", "basic", "c = a.tanh()", lambda a: a.tanh(), "tanh",
                  ref=lambda a: math.tanh(a), formulas={"a": "(1 - tanh(a)²) · c.grad"},
                  data_formula="tanh(a.data)"),
            _case("tanh", "nested", "d = (a * b).tanh()", lambda a, b: (a * b).tanh(), "tanh",
                  "mul", ref=lambda a, b: math.tanh(a * b)),
            _case("tanh", "nested", "d = a.tanh() * a", lambda a: a.tanh() * a, "tanh", "mul",
                  ref=lambda a: math.tanh(a) * a),
        ]  # fmt: skip
    return cases


# --------------------------------------------------------------------------- running
def _draw(rng: random.Random, k: int, positive: bool) -> list[float]:
    """``k`` "generic" random inputs: two decimals, away from 0 and ±1, all sizes different.

    Keeping values apart makes every wrong rule visible: e.g. a swapped factor in ``a * b``
    can only pass by luck when ``a == b``, and ``n · x**n`` equals ``n · x**(n-1)`` at x = 1.
    """
    while True:
        mags = [round(rng.uniform(0.5, 2.5), 2) for _ in range(k)]
        if any(abs(m - 1.0) < 0.15 for m in mags):
            continue
        if any(abs(p - q) < 0.2 for i, p in enumerate(mags) for q in mags[i + 1 :]):
            continue
        return [m if positive or rng.random() < 0.5 else -m for m in mags]


def _error_failure(case: _Case, stage: str, exc: Exception) -> Failure:
    f = error_failure(case.rule, stage, exc)
    return Failure(case.rule, case.text, f.message, f.hint, aspect=case.aspect, kind="error")


def _run_case(case: _Case, cls: type, rng: random.Random) -> tuple[int, list[Failure]]:
    """Run one case on fresh random inputs: (number of checks, the failures)."""
    xs = _draw(rng, len(case.names), case.positive)
    inputs = dict(zip(case.names, xs, strict=True))
    checks = 1 + len(xs)
    with_ = ", ".join(f"{n}={_num(v)}" for n, v in inputs.items())
    where = f"for {case.text} with {with_}, {case.out}.grad=1"

    try:
        values = [cls(x) for x in xs]
        out = case.fn(*values)
    except Exception as exc:
        return checks, [_error_failure(case, f"computing {case.text}", exc)]
    if out is None or not hasattr(out, "data") or not callable(getattr(out, "backward", None)):
        gave = "None" if out is None else f"a {type(out).__name__}"
        message = f"computing {case.text} gave {gave} instead of a Value"
        hint = "Every operation must return its new Value: did you forget `return out`?"
        return checks, [Failure(case.rule, case.text, message, hint, inputs, got=out,
                                aspect=case.aspect, kind="error")]  # fmt: skip

    failures = []
    expected_out = case.ref(*xs)
    if not (isinstance(out.data, Real) and _close(float(out.data), expected_out)):
        formula = f" (= {case.data_formula})" if case.data_formula else ""
        message = (
            f"for {case.text} with {with_}: expected {case.out}.data = {_num(expected_out)}"
            f"{formula}, got {_num(out.data)}"
        )
        hint = "The forward value is wrong: check the number you give the new Value."
        failures.append(Failure(case.rule, case.text, message, hint, inputs, f"{case.out}.data",
                                expected_out, out.data, case.aspect, "data"))  # fmt: skip

    try:
        out.backward()
    except Exception as exc:
        return checks, failures + [_error_failure(case, f"running backward() on {case.text}", exc)]

    expected = numerical_grad(case.ref, xs, eps=_H)
    got = [getattr(v, "grad", None) for v in values]
    formulas = dict(case.formulas)
    all_zero = all(isinstance(g, Real) and g == 0 for g in got) and any(
        not _close(0.0, e) for e in expected
    )
    for name, g, e in zip(case.names, got, expected, strict=True):
        if isinstance(g, Real) and not isinstance(g, bool) and _close(float(g), e):
            continue
        formula = f" (= {formulas[name]})" if name in formulas else ""
        message = f"{where}: expected {name}.grad = {_num(e)}{formula}, got {_num(g)}"
        if not isinstance(g, Real):
            hint = f"{name}.grad should be a number, but it is {type(g).__name__}."
        elif all_zero:
            hint = (
                "No gradient reached any input (every .grad is still 0). Check that "
                "`out._backward = _backward` is set, that the new Value remembers its inputs "
                "(so backward() can find them), and that `_backward` adds into their .grad."
            )
        elif case.aspect in ("basic", "order") and case.diagnose is not None:
            hint = case.diagnose(inputs, name, float(g))
        else:
            hint = ""
        hint = hint or _ASPECT_HINTS.get(case.aspect, "")
        failures.append(Failure(case.rule, case.text, message, hint, inputs, f"{name}.grad",
                                e, g, case.aspect, "grad"))  # fmt: skip
    return checks, failures


def _run(
    title: str, praise: str, cases: list[_Case], value_cls: type, seed: int | None, rounds: int
) -> CheckReport:
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "big")
    rng = random.Random(seed)
    results: list[tuple[_Case, int, list[Failure]]] = []
    for _ in range(rounds):
        for case in cases:
            checks, failures = _run_case(case, value_cls, rng)
            results.append((case, checks, failures))

    # Which operations are surely broken? Those failing an expression that uses nothing else.
    broken = {op for case, _, fails in results if fails and len(case.uses) == 1 for op in case.uses}

    def blockers(case: _Case, known: set[str]) -> set[str]:
        """The broken operations a case needs besides the ones it tests (or, for a case
        about several operations together, any of them)."""
        if len(case.tests) > 1:
            return case.uses & known
        return (case.uses - case.tests) & known

    # Failures of single-operation cases that are not explained by another broken operation
    # show that operation is broken too; then judge the "together" cases.
    for case, _, fails in results:
        if fails and len(case.tests) == 1 and not blockers(case, broken):
            broken |= case.tests

    rules: dict[str, Rule] = {}
    for case, checks, fails in results:
        r = rules.setdefault(case.rule, Rule(case.rule))
        r.checks += checks
        errored = any(f.kind == "error" for f in fails)  # an error spoils the whole case
        failed = checks if errored else len(fails)
        r.passed += checks - failed
        why = blockers(case, broken)
        if fails and why:
            r.blocked.extend(fails)
            r.blocked_by |= why
            r.blocked_checks += failed
        else:
            r.failures.extend(fails)
    return CheckReport(title, praise, list(rules.values()), seed)


def _check_class(value_cls: object, who: str) -> type:
    if not isinstance(value_cls, type):
        raise TypeError(
            f"{who} needs your Value *class*, e.g. {who}(Value), not an instance of "
            f"{type(value_cls).__name__}"
        )
    return value_cls


def check_add_mul(value_cls: type, *, seed: int | None = None, rounds: int = 1) -> CheckReport:
    """Check lesson 03: your ``Value``'s ``+`` and ``*`` and their backward rules.

    ``value_cls`` is your class: ``Value(number)`` must make a leaf with ``.data`` and
    ``.grad``, ``a + b`` and ``a * b`` (both Values) must return a new Value, and
    ``out.backward()`` must fill in the gradients. Each call uses fresh random numbers
    (``seed`` repeats a run exactly; ``rounds`` runs every expression that many times).

    >>> report = check_add_mul(MyValue)  # doctest: +SKIP
    >>> report                           # doctest: +SKIP
    ✓ All 50 checks passed — your + and * send gradients backward correctly.
    """
    cls = _check_class(value_cls, "check_add_mul")
    return _run(
        "+ and *",
        "your + and * send gradients backward correctly.",
        _add_mul_cases(),
        cls,
        seed,
        rounds,
    )


def check_pow(value_cls: type, *, seed: int | None = None, rounds: int = 1) -> CheckReport:
    """Check lesson 04: ``a ** n`` for a number ``n``, alone and mixed with ``+`` and ``*``.

    The backward rule is the power rule times the incoming gradient:
    ``self.grad += n * self.data**(n-1) * out.grad``. A few ``+``/``*`` cases run first so
    that a problem there is reported as such, not blamed on ``**``.
    """
    cls = _check_class(value_cls, "check_pow")
    return _run(
        "**",
        "your ** sends gradients backward correctly, alone and inside bigger expressions.",
        _pow_cases(),
        cls,
        seed,
        rounds,
    )


def check_more_ops(value_cls: type, *, seed: int | None = None, rounds: int = 1) -> CheckReport:
    """Check whichever of ``-a``, ``a - b``, ``a / b``, ``a.exp()``, ``a.tanh()`` you defined.

    Operations your class does not define are skipped (and named in the verdict when there
    is nothing to check). Each is checked alone, inside a bigger expression and re-used.
    """
    cls = _check_class(value_cls, "check_more_ops")
    cases = _more_cases(cls)
    if not cases:
        return CheckReport(
            "more operations",
            "your Value defines none of -a, a - b, a / b, a.exp(), a.tanh() yet.",
            [],
            0 if seed is None else seed,
        )
    ops = [r for r in dict.fromkeys(c.rule for c in cases) if r != "add & mul (lesson 03)"]
    names = {"neg": "-a", "sub": "a - b", "div": "a / b", "exp": "exp", "tanh": "tanh"}
    listed = ", ".join(names[o] for o in ops)
    return _run(
        "more operations",
        f"your {listed} {'send' if len(ops) > 1 else 'sends'} gradients backward correctly.",
        cases,
        cls,
        seed,
        rounds,
    )
