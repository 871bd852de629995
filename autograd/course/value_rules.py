"""The machinery behind the scalar checkers: does *your* ``Value`` send gradients back correctly?

Lessons 03 and 04 call it through their checkers (``check_add_mul``, ``check_pow``,
``check_arith``, ``check_funcs`` in :mod:`.lesson03` and :mod:`.lesson04`). How a checker
decides, so you can trust it:

1. It builds many small expressions (``a + b``, ``a * a``, ``(a * b) * c``, ...) on **fresh
   random numbers every time**, so no answer can be memorised. The list includes values used
   twice (``a + a``: the gradients of both uses must add up, hence ``+=``), both operand
   orders, and operations inside bigger expressions (where the gradient arriving at the
   operation, ``out.grad``, is not 1).
2. It runs **your backward rules** itself: it puts the expression's values in topological
   order (through each value's ``_prev``), seeds the output with 1 and calls every
   ``_backward`` from the output back to the inputs. A rule may be written either way the
   series teaches: as a closure, ``def _backward():`` (called ``node._backward()``), or
   cycle-free, ``def _backward(out):`` (called ``node._backward(node)``).
3. It computes the right answer *without your code and without any backward rules*: it runs
   the same expression on plain Python floats and uses central differences,
   ``(f(x + h) - f(x - h)) / 2h``.
4. Separately, it runs **your class's own** ``backward()`` once per operation, to be sure
   your rules and your ``backward()`` fit together (a rule written ``_backward(out)`` cannot
   be called as ``node._backward()``).

Blame goes where it belongs: an operation is judged broken only by expressions it is
alone in (or in with operations that work), and an expression that also needs a broken
operation is reported as "could not be judged" instead of blaming the one it tests.
"""

from __future__ import annotations

import inspect
import math
import os
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from numbers import Real

from ..engine import run_rule
from ..gradcheck import numerical_grad
from .report import CheckReport, Failure, Rule, _num, error_failure, signature_hint

__all__ = [
    "add_mul_cases",
    "arith_cases",
    "check_class",
    "earlier_cases",
    "funcs_cases",
    "pow_cases",
    "run_cases",
    "sweep",
]

_ATOL = 1e-6
_RTOL = 1e-5
_H = 1e-6  # the central-difference step

FIT_RULE = "with your backward()"

# the method (or function) of the learner's class each operation needs
OP_METHODS = {
    "add": "__add__",
    "mul": "__mul__",
    "pow": "__pow__",
    "neg": "__neg__",
    "sub": "__sub__",
    "div": "__truediv__",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
    "relu": "relu",
    "sigmoid": "sigmoid",
}


# --------------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class Case:
    """One expression to check, written once and run both on floats and on your Values."""

    rule: str  # the row it is reported under ("add", "mul", ...)
    # "basic"/"order": the op alone; "number": with a plain number; "re-use": a value used
    # twice, out.grad still 1; "nested": the op inside a bigger expression (out.grad != 1);
    # "together": several ops
    aspect: str
    text: str  # how it reads, e.g. "c = a * b"
    fn: Callable[..., object]  # builds it from your Values
    ref: Callable[..., float]  # the same on floats (often the same function)
    names: tuple[str, ...]  # the inputs, in order
    tests: frozenset[str]  # the operations this case is about
    uses: frozenset[str]  # every operation it needs
    needs: tuple[str, ...]  # the methods your class must have for it
    formulas: tuple[tuple[str, str], ...] = ()  # ("a", "b · c.grad"): shown in examples
    data_formula: str = ""  # e.g. "a.data * b.data"
    signs: str = ""  # per input: "+" positive, "-" negative, anything else either sign
    diagnose: Callable[[dict[str, float], str, float], str] | None = None
    # (what a likely slip computes on the floats, its hint): for a wrong forward value
    data_slips: tuple[tuple[Callable[..., float], str], ...] = ()

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
    signs: str = "",
    needs: str = "",
    diagnose: Callable[[dict[str, float], str, float], str] | None = None,
    data_slips: tuple[tuple[Callable[..., float], str], ...] = (),
) -> Case:
    names = tuple(inspect.signature(fn).parameters)
    tested = frozenset(tests.split())
    methods = tuple(OP_METHODS[op] for op in tests.split()) + tuple(needs.split())
    return Case(
        rule=rule,
        aspect=aspect,
        text=text,
        fn=fn,
        ref=ref or fn,  # type: ignore[arg-type]
        names=names,
        tests=tested,
        uses=tested | frozenset(uses.split()),
        needs=methods,
        formulas=tuple((formulas or {}).items()),
        data_formula=data_formula,
        signs="+" * len(names) if positive else signs,
        diagnose=diagnose,
        data_slips=data_slips,
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
    if _close(got, sum(x.values())):
        return (
            "That is out.data, the forward value a + b. The rule passes on the gradient, "
            "not the value: the local derivative of a + b is 1 for each input, so "
            "`self.grad += out.grad` and `other.grad += out.grad`."
        )
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
        if _close(got, n * v**n - 1):
            return (
                "That is n · x**n - 1: `** n-1` without brackets is read `(** n) - 1`, since "
                "** binds tighter than -. Put the exponent in brackets: "
                "`self.data ** (n - 1)`."
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


def _diagnose_sign(
    expected: Callable[[dict[str, float], str], float], hint: str
) -> Callable[[dict[str, float], str, float], str]:
    """A diagnosis for rules whose likely mistake is the sign: got == -expected."""

    def diagnose(x: dict[str, float], name: str, got: float) -> str:
        e = expected(x, name)
        if not _close(e, 0.0) and _close(got, -e):
            return hint.format(name=name)
        if _close(got, 0.0):
            return f"{name}.grad stayed 0: no gradient reached it."
        return ""

    return diagnose


def _diagnose_div(x: dict[str, float], name: str, got: float) -> str:
    a, b = x["a"], x["b"]
    if name == "a":  # the numerator: 1/b
        if _close(got, -1 / b):
            return "The numerator's share is +out.grad / b: only the denominator's has a minus."
        if _close(got, b):
            return "That is the rule for *. For a / b, a's local derivative is 1/b, not b."
    else:  # the denominator: -a/b²
        if _close(got, a / b**2):
            return (
                "The sign: d(a/b)/db = -a/b². (Built as a * b**-1? Then ** with a negative "
                "exponent gives the minus: -1 · b**-2.)"
            )
        if _close(got, a):
            return "That is the rule for *. For a / b, b's local derivative is -a/b²."
    if _close(got, 0.0):
        return f"{name}.grad stayed 0: no gradient reached it."
    return ""


def _diagnose_fn(
    name: str, slope: str, wrong: dict[str, Callable[[float], float]]
) -> Callable[[dict[str, float], str, float], str]:
    """A diagnosis for a one-input function: ``wrong`` maps a message to a wrong slope."""

    def diagnose(x: dict[str, float], _: str, got: float) -> str:
        (v,) = x.values()
        for message, f in wrong.items():
            try:
                w = f(v)
            except (ValueError, ZeroDivisionError, OverflowError):
                continue
            if _close(got, w):
                return f"{message} The local derivative of {name} is {slope}."
        return ""

    return diagnose


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


_EXP = _diagnose_fn(
    "exp",
    "exp(x) itself: `self.grad += out.data * out.grad`",
    {
        "That is 1 · out.grad.": lambda v: 1.0,
        "That is x · out.grad.": lambda v: v,
        "a.grad stayed 0: the rule must add into self.grad.": lambda v: 0.0,
    },
)
_BY_OUTPUT = (
    "That is 1/log(x): you divided by out.data, the output log(x). Divide by the input, "
    "`self.data`."
)
_LOG = _diagnose_fn(
    "log",
    "1/x: `self.grad += out.grad / self.data`",
    {
        "That is x · out.grad: divide by x, don't multiply.": lambda v: v,
        "That is log(x) itself, the forward value.": math.log,
        _BY_OUTPUT: lambda v: 1 / math.log(v),
        "That is 1 · out.grad.": lambda v: 1.0,
        "a.grad stayed 0: the rule must add into self.grad.": lambda v: 0.0,
    },
)
_TANH = _diagnose_fn(
    "tanh",
    "1 - tanh(x)²: `self.grad += (1 - out.data**2) * out.grad`",
    {
        "That is 1 - tanh(x): square it.": lambda v: 1 - math.tanh(v),
        "That is 1 - x²: use tanh(x) (= out.data), not x.": lambda v: 1 - v * v,
        "That is tanh(x) itself, the forward value.": math.tanh,
        "That is tanh(x)².": lambda v: math.tanh(v) ** 2,
        "a.grad stayed 0: the rule must add into self.grad.": lambda v: 0.0,
    },
)
_SIGMOID = _diagnose_fn(
    "sigmoid",
    "σ(x)(1 - σ(x)): `self.grad += out.data * (1 - out.data) * out.grad`",
    {
        "That is σ(x) itself, the forward value.": _sigmoid,
        "That is 1 - σ(x): multiply by σ(x) too.": lambda v: 1 - _sigmoid(v),
        "That is x(1 - x): use σ(x) (= out.data), not x.": lambda v: v * (1 - v),
        "a.grad stayed 0: the rule must add into self.grad.": lambda v: 0.0,
    },
)


def _diagnose_relu(x: dict[str, float], name: str, got: float) -> str:
    v = x[name]
    if v < 0 and not _close(got, 0.0):
        return (
            "For x < 0, relu is flat (its output is 0 whatever x is), so its slope is 0: "
            "pass no gradient back there. Only for x > 0 does `self.grad += out.grad`."
        )
    if v > 0 and _close(got, 0.0):
        return "For x > 0, relu(x) = x, so its slope is 1: `self.grad += out.grad`."
    if v > 0 and _close(got, v):
        return "That is x · out.grad. For x > 0 relu's slope is 1, not x."
    return ""


def add_mul_cases() -> list[Case]:
    """Lesson 03: + and *, between Values and with plain numbers."""
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
        _case("add", "number", "c = a + 2", lambda a: a + 2, "add",
              formulas={"a": "c.grad"}, data_formula="a.data + 2"),
        _case("add", "number", "c = 2 + a", lambda a: 2 + a, "add", needs="__radd__",
              formulas={"a": "c.grad"}, data_formula="2 + a.data"),
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
        _case("mul", "number", "c = a * 3", lambda a: a * 3, "mul",
              formulas={"a": "3 · c.grad"}, data_formula="a.data * 3"),
        _case("mul", "number", "c = 3 * a", lambda a: 3 * a, "mul", needs="__rmul__",
              formulas={"a": "3 · c.grad"}, data_formula="3 * a.data"),
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


def _pow_basic(n: float, positive: bool = False, rule: str = "pow") -> Case:
    return _case(
        rule,
        "basic",
        f"c = a ** {n:g}",
        _power(n),
        "pow",
        formulas={"a": f"{n:g} · a**{n - 1:g} · c.grad"},
        data_formula=f"a.data ** {n:g}",
        positive=positive,
        diagnose=_diagnose_pow(n),
    )


def earlier_cases(ops: Iterable[str], rule: str) -> list[Case]:
    """A few basic cases of operations from earlier exercises, reported under ``rule``
    (so that a problem there is named as such, not blamed on the operation being checked)."""
    ops = set(ops)
    cases = []
    if "add" in ops:
        cases += [
            _case(rule, "basic", "c = a + b", lambda a, b: a + b, "add",
                  formulas={"a": "c.grad", "b": "c.grad"}, data_formula="a.data + b.data",
                  diagnose=_diagnose_add),
            _case(rule, "number", "c = a + 2", lambda a: a + 2, "add",
                  formulas={"a": "c.grad"}, data_formula="a.data + 2"),
        ]  # fmt: skip
    if "mul" in ops:
        cases += [
            _case(rule, "basic", "c = a * b", lambda a, b: a * b, "mul",
                  formulas={"a": "b · c.grad", "b": "a · c.grad"},
                  data_formula="a.data * b.data", diagnose=_diagnose_mul),
            _case(rule, "number", "c = a * 3", lambda a: a * 3, "mul",
                  formulas={"a": "3 · c.grad"}, data_formula="a.data * 3"),
            _case(rule, "nested", "d = (a * b) * a", lambda a, b: (a * b) * a, "mul"),
        ]  # fmt: skip
    if "pow" in ops:
        cases += [
            _pow_basic(3, rule=rule),
            _pow_basic(-1, rule=rule),
            _case(rule, "nested", "d = b * a ** 2", lambda a, b: b * a**2, "pow", "mul"),
        ]
    return cases


def pow_cases() -> list[Case]:
    """Lesson 04: ``x ** n`` with a number exponent, alone and with + and *."""
    cases = earlier_cases(("add", "mul"), "add & mul (lesson 03)")
    # n = 3 first: there every common mistake gives a different number (for n = 2,
    # forgetting n and writing n - 1 in front look the same)
    for n, positive in ((3, False), (2, False), (-1, False), (0.5, True), (-2, False)):
        cases.append(_pow_basic(n, positive))
    together = "pow with + and *"
    cases += [
        _case("pow", "nested", "d = (a ** 2) ** 3", lambda a: (a**2) ** 3, "pow"),
        _case("pow", "nested", "d = (a ** 3) ** -1", lambda a: (a**3) ** -1, "pow"),
        _case("pow", "nested", "d = (a ** 0.5) ** 3", lambda a: (a**0.5) ** 3, "pow",
              positive=True),
        # several operations together: judged only once ** (and + or *) work alone
        _case(together, "re-use", "d = a ** 2 + a ** 3", lambda a: a**2 + a**3, "pow add"),
        _case(together, "re-use", "d = a ** 2 * a", lambda a: a**2 * a, "pow mul"),
        _case(together, "nested", "d = (a ** 2) * b", lambda a, b: (a**2) * b, "pow mul"),
        _case(together, "nested", "d = b * (a ** 3)", lambda a, b: b * (a**3), "pow mul"),
        _case(together, "nested", "d = (a + b) ** 2", lambda a, b: (a + b) ** 2, "pow add"),
        _case(together, "nested", "d = (a * b) ** -1", lambda a, b: (a * b) ** -1, "pow mul"),
    ]  # fmt: skip
    return cases


def arith_cases() -> list[Case]:
    """Lesson 04: -a, a - b, a / b (and 3 - a, 2 / a), built from other operations or not."""
    neg_hint = (
        "The sign: d(-a)/da = -1, so {name}.grad gets -out.grad. (Built as a * -1? Check the -1.)"
    )
    sub_hint = (
        "The sign: in a - b the first input gets +out.grad and the second -out.grad "
        "(a - b = a + (-b))."
    )
    neg = _diagnose_sign(lambda x, n: -1.0, neg_hint)
    sub = _diagnose_sign(lambda x, n: 1.0 if n == "a" else -1.0, sub_hint)
    sub_swapped = _diagnose_sign(lambda x, n: -1.0 if n == "a" else 1.0, sub_hint)
    rsub = _diagnose_sign(lambda x, n: -1.0, sub_hint)
    rdiv = _diagnose_sign(
        lambda x, n: -2 / x[n] ** 2,
        "The sign: d(2/a)/da = -2/a². (Built as 2 * a**-1? Then ** gives the minus.)",
    )
    neg_slip = ((lambda a: a, "That is a itself, not -a: multiply by -1, `self * -1`."),)
    sub_slip = (
        (
            lambda a, b: b - a,
            "That is b - a: in `__sub__`, `self` is the input on the "
            "left, so a - b is `self + (-other)`.",
        ),
    )
    rsub_slip = (
        (
            lambda a: a - 3,
            "3 - a gave a - 3: in `__rsub__`, `self` is a and `other` "
            "is the number on the left, 3, so 3 - a is `other + (-self)`.",
        ),
    )
    div_slip = (
        (
            lambda a, b: b / a,
            "That is b / a: in `__truediv__`, `self` is the input on "
            "the left, so a / b is `self * other**-1`.",
        ),
    )
    rdiv_slip = (
        (
            lambda a: a / 2,
            "2 / a gave a / 2: in `__rtruediv__`, `self` is a and "
            "`other` is the number on the left, 2, so 2 / a is `other * self**-1`.",
        ),
    )
    cases = earlier_cases(("add", "mul", "pow"), "earlier operations (lessons 03-04)")
    cases += [
        _case("neg", "basic", "c = -a", lambda a: -a, "neg", "mul",
              formulas={"a": "-c.grad"}, data_formula="-a.data", diagnose=neg,
              data_slips=neg_slip),
        _case("neg", "re-use", "d = a + (-a)", lambda a: a + (-a), "neg", "add mul"),
        _case("neg", "nested", "d = (-a) * b", lambda a, b: (-a) * b, "neg", "mul"),
        _case("sub", "basic", "c = a - b", lambda a, b: a - b, "sub", "add neg mul",
              formulas={"a": "c.grad", "b": "-c.grad"}, data_formula="a.data - b.data",
              diagnose=sub, data_slips=sub_slip),
        _case("sub", "order", "c = b - a", lambda a, b: b - a, "sub", "add neg mul",
              formulas={"a": "-c.grad", "b": "c.grad"}, data_formula="b.data - a.data",
              diagnose=sub_swapped),
        _case("sub", "re-use", "c = a - a", lambda a: a - a, "sub", "add neg mul",
              formulas={"a": "c.grad - c.grad"}, data_formula="a.data - a.data"),
        _case("sub", "number", "c = a - 2", lambda a: a - 2, "sub", "add neg mul",
              formulas={"a": "c.grad"}, data_formula="a.data - 2"),
        _case("sub", "number", "c = 3 - a", lambda a: 3 - a, "sub", "add neg mul",
              needs="__rsub__", formulas={"a": "-c.grad"}, data_formula="3 - a.data",
              diagnose=rsub, data_slips=rsub_slip),
        _case("sub", "nested", "d = (a - b) * c", lambda a, b, c: (a - b) * c, "sub",
              "add neg mul"),
        _case("div", "basic", "c = a / b", lambda a, b: a / b, "div", "mul pow",
              formulas={"a": "c.grad / b", "b": "-a / b² · c.grad"},
              data_formula="a.data / b.data", diagnose=_diagnose_div, data_slips=div_slip),
        _case("div", "re-use", "c = a / a", lambda a: a / a, "div", "mul pow",
              formulas={"a": "1/a - a/a² = 0"}, data_formula="a.data / a.data"),
        _case("div", "number", "c = a / 4", lambda a: a / 4, "div", "mul pow",
              formulas={"a": "c.grad / 4"}, data_formula="a.data / 4"),
        _case("div", "number", "c = 2 / a", lambda a: 2 / a, "div", "mul pow",
              needs="__rtruediv__", formulas={"a": "-2 / a² · c.grad"},
              data_formula="2 / a.data", diagnose=rdiv, data_slips=rdiv_slip),
        _case("div", "nested", "d = (a / b) * c", lambda a, b, c: (a / b) * c, "div",
              "mul pow"),
    ]  # fmt: skip
    return cases


def _fn_cases(
    op: str,
    call: Callable[[object], object],
    f: Callable[[float], float],
    slope: str,
    diagnose: Callable[[dict[str, float], str, float], str],
    positive: bool = False,
) -> list[Case]:
    """Three cases for a one-input function: alone, re-used (out.grad = 1) and nested
    (out.grad != 1)."""
    sign = "+" if positive else "."
    return [
        _case(op, "basic", f"c = a.{op}()", lambda a: call(a), op, ref=f,
              formulas={"a": f"{slope} · c.grad"}, data_formula=f"{op}(a.data)",
              signs=sign, diagnose=diagnose),
        _case(op, "re-use", f"d = a.{op}() + a", lambda a: call(a) + a, op, "add",
              ref=lambda a: f(a) + a, signs=sign),  # type: ignore[operator]
        _case(op, "nested", f"d = a.{op}() * b", lambda a, b: call(a) * b, op, "mul",
              ref=lambda a, b: f(a) * b, signs=sign + "."),  # type: ignore[operator]
    ]  # fmt: skip


def funcs_cases() -> list[Case]:
    """Lesson 04: exp, log, tanh, relu, sigmoid, each alone, re-used and nested."""
    cases = earlier_cases(("add", "mul"), "earlier operations (lessons 03-04)")
    cases += _fn_cases("exp", lambda a: a.exp(), math.exp, "exp(a)", _EXP)  # type: ignore[attr-defined]
    cases += _fn_cases("log", lambda a: a.log(), math.log, "1/a", _LOG, positive=True)  # type: ignore[attr-defined]
    cases += _fn_cases("tanh", lambda a: a.tanh(), math.tanh, "(1 - tanh(a)²)", _TANH)  # type: ignore[attr-defined]
    relu = lambda v: max(v, 0.0)  # noqa: E731
    cases += [
        _case("relu", "basic", "c = a.relu() with a > 0", lambda a: a.relu(), "relu",
              ref=relu, formulas={"a": "1 · c.grad, as a > 0"}, data_formula="max(a.data, 0)",
              signs="+", diagnose=_diagnose_relu),
        _case("relu", "basic", "c = a.relu() with a < 0", lambda a: a.relu(), "relu",
              ref=relu, formulas={"a": "0, as a < 0"}, data_formula="max(a.data, 0)",
              signs="-", diagnose=_diagnose_relu),
        _case("relu", "re-use", "d = a.relu() + a", lambda a: a.relu() + a, "relu", "add",
              ref=lambda a: relu(a) + a, signs="+"),
        _case("relu", "nested", "d = a.relu() * b", lambda a, b: a.relu() * b, "relu", "mul",
              ref=lambda a, b: relu(a) * b, signs="+."),
        _case("relu", "nested", "d = a.relu() * b with a < 0", lambda a, b: a.relu() * b,
              "relu", "mul", ref=lambda a, b: relu(a) * b, signs="-."),
    ]  # fmt: skip
    cases += _fn_cases(
        "sigmoid",
        lambda a: a.sigmoid(),  # type: ignore[attr-defined]
        _sigmoid,
        "σ(a)(1 - σ(a))",
        _SIGMOID,
    )
    return cases


# --------------------------------------------------------------------------- the sweep
def _topological(root: object) -> list[object]:
    """Every node ``root`` depends on (through ``_prev``), each after all of its inputs."""
    order: list[object] = []
    seen = {id(root)}
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        stack.append((node, True))
        for inp in reversed(tuple(node._prev)):  # type: ignore[attr-defined]
            if id(inp) not in seen:
                seen.add(id(inp))
                stack.append((inp, False))
    return order


def sweep(root: object) -> None:
    """Backpropagate from ``root`` with the graph's own rules, whichever form they take:
    zero the intermediate grads, seed ``root.grad = 1.0``, and call every node's
    ``_backward`` (as ``_backward()`` or ``_backward(node)``) outputs first."""
    order = _topological(root)
    for node in order:
        if tuple(node._prev):  # type: ignore[attr-defined]
            node.grad = 0.0  # type: ignore[attr-defined]
    root.grad = 1.0  # type: ignore[attr-defined]
    for node in reversed(order):
        if getattr(node, "_backward", None) is not None:
            run_rule(node)  # `_backward()` or `_backward(node)`, whichever it takes


# --------------------------------------------------------------------------- running
def _draw(rng: random.Random, signs: str, k: int) -> list[float]:
    """``k`` "generic" random inputs: two decimals, away from 0 and ±1, all sizes different.

    Keeping values apart makes every wrong rule visible: e.g. a swapped factor in ``a * b``
    can only pass by luck when ``a == b``, ``n · x**n`` equals ``n · x**(n-1)`` at x = 1, and
    ``x**2`` equals its slope ``2x`` at x = 2.
    """
    signs = signs.ljust(k, ".")
    while True:
        mags = [round(rng.uniform(0.5, 2.5), 2) for _ in range(k)]
        if any(abs(m - 1.0) < 0.15 or abs(m - 2.0) < 0.15 for m in mags):  # x**2 = 2x at 2
            continue
        if any(abs(p - q) < 0.2 for i, p in enumerate(mags) for q in mags[i + 1 :]):
            continue
        out = []
        for m, s in zip(mags, signs, strict=False):
            if s == "+" or (s != "-" and rng.random() < 0.5):
                out.append(m)
            else:
                out.append(-m)
        return out


_SIGNATURE = re.compile(
    r"takes 0 positional arguments but 1 was given|missing 1 required positional argument"
)


def _error_failure(case: Case, stage: str, exc: Exception, rule: str | None = None) -> Failure:
    text = str(exc)
    hint = ""
    if isinstance(exc, TypeError) and _SIGNATURE.search(text):
        hint = signature_hint(text)
    elif isinstance(exc, AttributeError) and ("_prev" in text or "_backward" in text):
        hint = (
            "The checker walks the graph through each Value's `_prev` (its inputs) and calls "
            "its `_backward` rule: keep those names from the given part of the class."
        )
    f = error_failure(rule or case.rule, stage, exc, hint=hint)
    return Failure(rule or case.rule, case.text, f.message, f.hint, aspect=case.aspect,
                   kind="error")  # fmt: skip


def _missing(case: Case, cls: type) -> Failure | None:
    for name in case.needs:
        if not callable(getattr(cls, name, None)):
            return Failure(
                case.rule,
                case.text,
                f"your Value has no `{name}` yet (needed for {case.text})",
                f"Write `{name}` and attach it to the class: `Value.{name} = {name}`.",
                aspect=case.aspect,
                kind="error",
            )
    return None


def _build(case: Case, cls: type, xs: list[float]) -> tuple[list[object], object]:
    values = [cls(x) for x in xs]
    return values, case.fn(*values)


def _not_a_value(case: Case, out: object) -> Failure | None:
    if out is None or not hasattr(out, "data") or not hasattr(out, "grad"):
        gave = "None" if out is None else f"a {type(out).__name__}"
        message = f"computing {case.text} gave {gave} instead of a Value"
        hint = "Every operation must return its new Value: did you forget `return out`?"
        return Failure(case.rule, case.text, message, hint, got=out, aspect=case.aspect,
                       kind="error")  # fmt: skip
    return None


# What -a, a - b and a / b are built from (lesson 04), and the inputs a rule of its own records
_BUILT = {
    "neg": ("-a", "self * -1", "(self,)"),
    "sub": ("a - b", "self + (-other)", "(self, other)"),
    "div": ("a / b", "self * other**-1", "(self, other)"),
}
_BUILT_R = {  # a plain number on the left: only self is a Value
    "__rsub__": ("3 - a", "other + (-self)", "(self,)"),
    "__rtruediv__": ("2 / a", "other * self**-1", "(self,)"),
}


def _prev_hint(case: Case) -> str:
    """What to do about a new Value that does not remember its inputs, for this operation."""
    op = min(case.tests)  # these cases test one operation
    if op in _BUILT:
        what, built, inputs = _BUILT[op]
        for method, built_r in _BUILT_R.items():
            if method in case.needs:
                what, built, inputs = built_r
        return (
            f"Build {what} from the operations you have, `return {built}`: they record their "
            "inputs (and rules) for you. (For a rule of its own, give the new Value its inputs, "
            f"`Value(..., {inputs}, ...)`, and a `_backward`.)"
        )
    if op in ("add", "mul"):
        return (
            "Give the new Value its inputs, e.g. `Value(self.data + other.data, (self, "
            'other), "+")`: backward() walks the graph through `_prev`.'
        )
    name = 'f"**{n:g}"' if op == "pow" else f'"{op}"'
    return (
        f"Give the new Value its input, `(self,)`: `Value(..., (self,), {name})`. backward() "
        "walks the graph through `_prev`."
    )


def _data_hint(case: Case, xs: list[float], got: object) -> str:
    """The hint for a wrong forward value: the slip it matches, if any."""
    if isinstance(got, Real) and not isinstance(got, bool):
        for slip, hint in case.data_slips:
            try:
                if _close(float(got), slip(*xs)):
                    return hint
            except (ArithmeticError, ValueError):
                continue
    return "The forward value is wrong: check the number you give the new Value."


_MARKS = (0.3712, 0.5931)  # test grads: no input can have such a value (inputs have 2 decimals)
_READS_GRADS = (
    "You used the other input's `.grad` (a gradient, still 0 while the rules run) where the "
    "rule needs its `.data` (its value)"
)
_MUL_RULE = ": `self.grad += other.data * out.grad` and `other.grad += self.data * out.grad`."


def _reads_grads(out: object) -> bool:
    """Does ``out``'s rule multiply by an input's ``.grad`` where it needs its ``.data``?

    A probe: give the two inputs marker gradients no value can equal, run the rule once with
    ``out.grad = 1`` and see whether an input gained the other one's gradient (as it was, or
    as the rule's first line left it). Every grad is put back afterwards.
    """
    prev = tuple(getattr(out, "_prev", None) or ())
    if len(prev) != 2 or prev[0] is prev[1] or getattr(out, "_backward", None) is None:
        return False
    a, b = prev
    saved = (a.grad, b.grad, out.grad)  # type: ignore[attr-defined]
    try:
        a.grad, b.grad, out.grad = _MARKS[0], _MARKS[1], 1.0  # type: ignore[attr-defined]
        run_rule(out)
        ga, gb = float(a.grad), float(b.grad)  # type: ignore[attr-defined]
    except Exception:
        return False
    finally:
        a.grad, b.grad, out.grad = saved  # type: ignore[attr-defined]
    da, db = ga - _MARKS[0], gb - _MARKS[1]
    return any(_close(da, m) for m in (_MARKS[1], gb)) or any(
        _close(db, m) for m in (_MARKS[0], ga)
    )


def _run_case(case: Case, cls: type, rng: random.Random) -> tuple[int, list[Failure]]:
    """Run one case on fresh random inputs: (number of checks, the failures)."""
    xs = _draw(rng, case.signs, len(case.names))
    inputs = dict(zip(case.names, xs, strict=True))
    checks = 1 + len(xs)
    with_ = ", ".join(f"{n}={_num(v)}" for n, v in inputs.items())
    text = case.text.split(" with ")[0]
    where = f"for {text} with {with_}, {case.out}.grad=1"

    missing = _missing(case, cls)
    if missing is not None:
        return checks, [missing]
    try:
        values, out = _build(case, cls, xs)
    except Exception as exc:
        return checks, [_error_failure(case, f"computing {text}", exc)]
    bad = _not_a_value(case, out)
    if bad is not None:
        return checks, [bad]
    if not tuple(getattr(out, "_prev", None) or ()):
        message = (
            f"computing {text} gave a Value whose `_prev` is empty: it does not remember the "
            "inputs it was computed from, so backward() cannot reach them"
        )
        return checks, [Failure(case.rule, case.text, message, _prev_hint(case), inputs,
                                aspect=case.aspect, kind="error")]  # fmt: skip

    failures = []
    expected_out = case.ref(*xs)
    if not (isinstance(out.data, Real) and _close(float(out.data), expected_out)):
        formula = f" (= {case.data_formula})" if case.data_formula else ""
        message = (
            f"for {text} with {with_}: expected {case.out}.data = {_num(expected_out)}"
            f"{formula}, got {_num(out.data)}"
        )
        hint = _data_hint(case, xs, out.data)
        failures.append(Failure(case.rule, case.text, message, hint, inputs, f"{case.out}.data",
                                expected_out, out.data, case.aspect, "data"))  # fmt: skip

    try:
        sweep(out)
    except Exception as exc:
        return checks, failures + [_error_failure(case, f"running the backward rules of {text}",
                                                  exc)]  # fmt: skip

    expected = numerical_grad(case.ref, xs, eps=_H)
    got = [getattr(v, "grad", None) for v in values]
    formulas = dict(case.formulas)
    all_zero = all(isinstance(g, Real) and g == 0 for g in got) and any(
        not _close(0.0, e) for e in expected
    )
    reads: bool | None = None  # does the rule read a .grad where it needs a .data? (probed once)
    for name, g, e in zip(case.names, got, expected, strict=True):
        if isinstance(g, Real) and not isinstance(g, bool) and _close(float(g), e):
            continue
        formula = f" (= {formulas[name]})" if name in formulas else ""
        message = f"{where}: expected {name}.grad = {_num(e)}{formula}, got {_num(g)}"
        if reads is None:
            reads = case.aspect in ("basic", "order", "number") and _reads_grads(out)
        if not isinstance(g, Real):
            hint = f"{name}.grad should be a number, but it is {type(g).__name__}."
        elif reads:
            hint = _READS_GRADS + (_MUL_RULE if "mul" in case.tests else ".")
        elif all_zero and len(case.names) > 1:
            hint = (
                "No gradient reached any input (every .grad is still 0). Check that "
                "`out._backward = _backward` is set, that the new Value remembers its inputs "
                "(so backward() can find them), and that `_backward` adds into their .grad."
            )
        elif case.aspect in ("basic", "order", "number") and case.diagnose is not None:
            hint = case.diagnose(inputs, name, float(g))
        else:
            hint = ""
        hint = hint or _ASPECT_HINTS.get(case.aspect, "")
        failures.append(Failure(case.rule, case.text, message, hint, inputs, f"{name}.grad",
                                e, g, case.aspect, "grad"))  # fmt: skip
    return checks, failures


def _record_calls(root: object) -> tuple[list[object], list[object]]:
    """Wrap every rule in the graph so that running it is written down (arguments passed
    through unchanged, so a rule of the wrong form still fails as it would)."""
    order = _topological(root)
    calls: list[object] = []
    for node in order:
        rule = getattr(node, "_backward", None)
        if rule is None or not tuple(node._prev):  # type: ignore[attr-defined]
            continue

        def recorder(*args: object, _rule: Callable[..., object] = rule, _node: object = node,
                     **kwargs: object) -> object:  # fmt: skip
            calls.append(_node)
            return _rule(*args, **kwargs)

        try:
            node._backward = recorder  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - a class that forbids it: no record
            return order, []
    return order, calls


def _order_problem(order: list[object], calls: list[object]) -> str:
    """What is wrong with the order backward() ran the rules in ("" if it is a valid one)."""
    inner = [n for n in order if tuple(n._prev) and getattr(n, "_backward", None) is not None]  # type: ignore[attr-defined]
    position: dict[int, int] = {}
    for i, n in enumerate(calls):
        if id(n) in position:
            return "it ran the rule of one value twice"
        position[id(n)] = i
    if len(position) < len(inner):
        return f"it ran {len(position)} of the {len(inner)} rules in the graph"
    for n in inner:
        for p in n._prev:  # type: ignore[attr-defined]
            if id(p) in position and position[id(p)] < position[id(n)]:
                return (
                    "it ran the rule of a value before the rule of a value that uses it, "
                    "so that rule passed on an incomplete gradient"
                )
    return ""


def _run_fit(case: Case, cls: type, rng: random.Random) -> tuple[int, list[Failure]]:
    """Run the class's own ``backward()`` on one case: do the rules and it fit together?"""
    xs = _draw(rng, case.signs, len(case.names))
    checks = 1 + len(xs)
    text = case.text.split(" with ")[0]
    if _missing(case, cls) is not None:
        return checks, [Failure(FIT_RULE, case.text, "needs the operation", kind="blocked")]
    try:
        values, out = _build(case, cls, xs)
        if _not_a_value(case, out) is not None or not tuple(out._prev):  # type: ignore[attr-defined]
            raise TypeError("not a Value with inputs")
        run = out.backward  # type: ignore[attr-defined]
        order, calls = _record_calls(out)
    except Exception:  # reported by the operation's own cases
        return checks, [Failure(FIT_RULE, case.text, "needs the operation", kind="blocked")]
    try:
        run()
    except Exception as exc:
        f = _error_failure(case, f"running your backward() on {text}", exc, rule=FIT_RULE)
        if isinstance(exc, TypeError) and _SIGNATURE.search(str(exc)):
            f = Failure(FIT_RULE, case.text, f.message, f.hint, aspect="signature", kind="error")
        return checks, [f]
    expected = numerical_grad(case.ref, xs, eps=_H)
    for name, v, e in zip(case.names, values, expected, strict=True):
        g = getattr(v, "grad", None)
        if isinstance(g, Real) and not isinstance(g, bool) and _close(float(g), e):
            continue
        with_ = ", ".join(f"{n}={_num(x)}" for n, x in zip(case.names, xs, strict=True))
        said = f"after {case.out}.backward() for {text} with {with_}: expected {name}.grad = "
        problem = _order_problem(order, calls)
        if problem:
            message = f"{said}{_num(e)}, got {_num(g)}: {problem}"
            hint = (
                "Your rules are right, so the sweep is off: backward() must list every value "
                "in topological order, seed `self.grad = 1.0`, and run each node's "
                "`_backward` once, from the output back to the inputs."
            )
            aspect = "sweep"
        else:
            message = (
                f"{said}{_num(e)}, got {_num(g)}: backward() ran the rules in a valid order, "
                "but in that order your rules give a different answer"
            )
            hint = (
                "Rules whose result depends on the order usually overwrite a gradient (`=`) "
                "instead of adding to it (`+=`)."
            )
            aspect = "order-sensitive"
        return checks, [Failure(FIT_RULE, case.text, message, hint, quantity=f"{name}.grad",
                                expected=e, got=g, aspect=aspect)]  # fmt: skip
    return checks, []


def _own_fault(case: Case, failures: list[Failure]) -> bool:
    """Did the case fail in the tested operation's own code (a stub left in, or the method
    missing)? Then no other broken operation can be the reason."""
    if len(case.tests) > 1:  # a case about several operations waits for each of them
        return False
    methods = case.needs
    for f in failures:
        if f.kind != "error":
            continue
        if f.message.startswith("your Value has no "):
            return True
        where, _, rest = f.message.partition(" raised ")
        if rest.startswith("NotImplementedError") and any(
            where == m or where.endswith(f" of {m}") for m in methods
        ):
            return True
    return False


def _blockers(case: Case, known: set[str], own: bool = False) -> set[str]:
    """The broken operations a case needs besides the one it tests (or, for a case about
    several operations together, any of them)."""
    if own:
        return set()
    if len(case.tests) > 1:
        return set(case.uses & known)
    return set((case.uses - case.tests) & known)


def run_cases(
    title: str,
    praise: str,
    cases: list[Case],
    value_cls: type,
    seed: int | None,
    rounds: int = 1,
) -> CheckReport:
    """Run every case ``rounds`` times on fresh random numbers (from ``seed``), then the
    class's own ``backward()`` once per operation, and build the report."""
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "big")
    rng = random.Random(seed)
    results: list[tuple[Case, int, list[Failure]]] = []
    for _ in range(rounds):
        for case in cases:
            checks, failures = _run_case(case, value_cls, rng)
            results.append((case, checks, failures))

    # Which operations are surely broken? Those failing an expression that needs no other
    # broken operation; cases needing fewer operations are looked at first.
    broken: set[str] = set()
    own = [_own_fault(case, fails) for case, _, fails in results]
    singles = [(r, o) for r, o in zip(results, own, strict=True) if r[2] and len(r[0].tests) == 1]
    singles.sort(key=lambda ro: (not ro[1], len(ro[0][0].uses)))
    changed = True
    while changed:
        changed = False
        for (case, _, _), o in singles:
            if not case.tests <= broken and not _blockers(case, broken, o):
                broken |= case.tests
                changed = True

    # judged: (row, checks, failures, the broken operations that explain them)
    judged = [(case.rule, checks, fails, _blockers(case, broken, o) if fails else set())
              for (case, checks, fails), o in zip(results, own, strict=True)]  # fmt: skip

    # the class's own backward(), once per row (its first case): do rules and it fit?
    firsts: dict[str, Case] = {}
    for case in cases:
        firsts.setdefault(case.rule, case)
    failed_texts = {case.text for case, _, fails in results if fails}
    for case in firsts.values():
        checks, fails = _run_fit(case, value_cls, rng)
        why: set[str] = set()
        aspects = {f.aspect for f in fails}
        if any(f.kind == "blocked" for f in fails):  # the expression itself does not run
            why = set(case.uses & broken) or set(case.tests)
        elif fails and not aspects & {"signature", "sweep"}:  # those are backward()'s own
            why = set(case.uses & broken)
            if not why and case.text in failed_texts:  # the rules fail it in any order
                why = set(case.tests)
        judged.append((FIT_RULE, checks, fails, why))

    rules: dict[str, Rule] = {}
    for name, checks, fails, why in judged:
        r = rules.setdefault(name, Rule(name))
        r.checks += checks
        errored = any(f.kind in ("error", "blocked") for f in fails)  # spoils the whole case
        failed = checks if errored else len(fails)
        r.passed += checks - failed
        if fails and why:
            r.blocked.extend(fails)
            r.blocked_by |= why
            r.blocked_checks += failed
        else:
            r.failures.extend(fails)
    return CheckReport(title, praise, list(rules.values()), seed)


def check_class(value_cls: object, who: str) -> type:
    """The learner's class itself (a clear TypeError for an instance instead)."""
    if not isinstance(value_cls, type):
        raise TypeError(
            f"{who} needs your Value *class*, e.g. {who}(Value), not an instance of "
            f"{type(value_cls).__name__}"
        )
    return value_cls
