"""Lesson 04's checkers: ``**`` with a number exponent; ``-a``, ``a - b``, ``a / b``; and the
functions ``exp``, ``log``, ``tanh``, ``relu``, ``sigmoid``.

Call each on your class (the class itself, not an instance)::

    check_pow(Value)      # 04.pow:   a ** n
    check_arith(Value)    # 04.arith: -a, a - b, 3 - a, a / b, 2 / a
    check_funcs(Value)    # 04.funcs: a.exp(), a.log(), a.tanh(), a.relu(), a.sigmoid()

Each also runs a few cases of the operations from earlier exercises first, so that a problem
there is reported under its own name and not blamed on the new operation (see
:mod:`autograd.course.value_rules` for how they decide).

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("04")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("04")``).
"""

from __future__ import annotations

from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport
from .study import Study
from .value_rules import arith_cases, check_class, funcs_cases, pow_cases, run_cases

__all__ = ["check_arith", "check_funcs", "check_pow"]

EXERCISES = [
    Exercise("04.pow", "** with a number exponent", "check_pow", chain="value",
             provides=("Value.__pow__",)),
    Exercise("04.arith", "-a, a - b, a / b", "check_arith", chain="value",
             provides=("Value.__neg__", "Value.__sub__", "Value.__rsub__", "Value.__truediv__",
                       "Value.__rtruediv__")),
    Exercise("04.funcs", "exp, log, tanh, relu, sigmoid", "check_funcs", chain="value",
             provides=("Value.exp", "Value.log", "Value.tanh", "Value.relu", "Value.sigmoid")),
]  # fmt: skip

_PROVIDES = {ex.id: ex.provides for ex in EXERCISES}


def _objects(exercise_id: str, cls: type) -> dict[str, object]:
    return {name: getattr(cls, name.partition(".")[2], None) for name in _PROVIDES[exercise_id]}


def check_pow(
    value_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``a ** n`` for a plain number ``n``, alone and mixed with ``+`` and ``*``.

    The backward rule is the power rule times the incoming gradient:
    ``self.grad += n * self.data**(n-1) * out.grad``. Exponents 3, 2, -1, 0.5 and -2 are
    tried; expressions that mix ``**`` with ``+`` or ``*`` are judged only once each
    operation works on its own (otherwise they "could not be judged").
    """
    cls = check_class(value_cls, "check_pow")
    report = run_cases(
        "**",
        "your ** sends gradients backward correctly, alone and inside bigger expressions.",
        pow_cases(),
        cls,
        seed,
        rounds,
    )
    return finish("04.pow", report, _objects("04.pow", cls), save=save)


def check_arith(
    value_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``-a``, ``a - b`` (and ``a - 2``, ``3 - a``), ``a / b`` (and ``a / 4``,
    ``2 / a``): built from ``+``, ``*`` and ``**``, or with rules of their own.

    Your class needs ``__neg__``, ``__sub__``, ``__rsub__``, ``__truediv__`` and
    ``__rtruediv__``. The expected gradients: ``d(-a)/da = -1``; ``d(a - b)`` is ``+1`` for
    ``a`` and ``-1`` for ``b``; ``d(a/b)/da = 1/b`` and ``d(a/b)/db = -a/b²``.
    """
    cls = check_class(value_cls, "check_arith")
    report = run_cases(
        "-a, a - b, a / b",
        "your -a, a - b and a / b send gradients backward correctly.",
        arith_cases(),
        cls,
        seed,
        rounds,
    )
    return finish("04.arith", report, _objects("04.arith", cls), save=save)


def check_funcs(
    value_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check ``a.exp()``, ``a.log()``, ``a.tanh()``, ``a.relu()`` and ``a.sigmoid()``.

    Each is tried alone, re-used (``a.f() + a``: the rule must use ``+=``) and inside a
    bigger expression (``a.f() * b``: the rule must multiply by ``out.grad``); ``log`` on
    positive numbers only, ``relu`` on both sides of 0. The local derivatives: ``exp(x)``,
    ``1/x``, ``1 - tanh(x)²``, ``1 if x > 0 else 0`` and ``σ(x)(1 - σ(x))``.
    """
    cls = check_class(value_cls, "check_funcs")
    report = run_cases(
        "exp, log, tanh, relu, sigmoid",
        "your exp, log, tanh, relu and sigmoid send gradients backward correctly.",
        funcs_cases(),
        cls,
        seed,
        rounds,
    )
    return finish("04.funcs", report, _objects("04.funcs", cls), save=save)


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or by the Try it run it asks about):
# WrongValue's b = a + a gives a.grad = 1.0; the table of backprop vs numeric gives tanh's slope
# 0.786448 at x = 0.5 and the slope table 0.0099 at x = 3; (a - b) / (a + b) at a = 5, b = 2
# takes 8 values in your Value and 5 in autograd.Value's, with a.grad = 0.081633 and
# b.grad = -0.204082 in both; the tanh chain from x0 = 0.5 gives 0.393 at depth 5, from
# x0 = 3.0 it gives 0.00124 (tests/course/test_lesson04_quiz.py recomputes it).
QUIZ = [
    Question(
        "04.assign",
        "`b = a + a`, with rules that use `=` instead of `+=` (the lesson's `WrongValue`). "
        "What is `a.grad` after `b.backward()`?",
        [
            Choice(
                "2",
                "2 is what `+=` gives: 0 + 1 + 1 = 2 = db/da. With `=` the second line does "
                "not add to the first share, it replaces it.",
            ),
            Choice(
                "1",
                "`self` and `other` are the same object, a: `self.grad = out.grad` sets a.grad "
                "to 1, then `other.grad = out.grad` sets it to 1 again, and one share is lost "
                "(the lesson's WrongValue prints a.grad = 1.0). With `+=`, 0 + 1 + 1 = 2.",
            ),
            Choice(
                "0",
                "Nothing resets or subtracts: both lines assign b.grad, which is 1, to the same "
                "a, and the last assignment wins. Half of the gradient is lost, not all of it.",
            ),
            Choice(
                "an error, as `self` and `other` are one object",
                "Python is happy to assign the same attribute twice, and `a + a` is a fine "
                "call with self and other the same object. That is what makes `=` dangerous: "
                "no error, just a wrong number.",
            ),
        ],
        answer=1,
    ),
    Question(
        "04.tanh",
        "`out = x.tanh()` and `out.data` is 0.5. What does the backward rule add to `x.grad` "
        "when `out.grad` is 1?",
        [
            Choice(
                "0.5",
                "That is out itself, the local derivative of `exp` (d eˣ/dx = eˣ = out). For "
                "tanh the derivative written with out is 1 - out².",
            ),
            Choice(
                "0.25",
                "That is out² = 0.25: the rule is 1 - out², and the `1 -` was left out. tanh's "
                "slope is largest (1) where out is 0 and shrinks as out nears ±1.",
            ),
            Choice(
                "0.75",
                "d tanh(x)/dx = 1 - tanh(x)² = 1 - out² = 1 - 0.25 = 0.75, times out.grad = 1. "
                "The rule needs only the forward result, which the node already stores in "
                "out.data.",
            ),
            Choice(
                "about 0.786",
                "0.786 is tanh's slope at x = 0.5, from the lesson's backprop-vs-numeric table. "
                "Here the *output* is 0.5, so x = atanh(0.5) ≈ 0.549 and the slope is "
                "1 - 0.5² = 0.75: the rule is written with out, not x.",
            ),
        ],
        answer=2,
    ),
    Question(
        "04.compose",
        "You build `a / b` as `a * b**-1`, with no backward rule for `/` of its own. What do "
        "you get?",
        [
            Choice(
                "the right gradients, from a bigger graph",
                "The chain rule works through the pieces: `**` sends -b⁻² and `*` multiplies it "
                "by a, which is d(a/b)/db = -a/b². The lesson's (a - b) / (a + b) gets "
                "a.grad = 0.081633 and b.grad = -0.204082 from 8 values in your Value and from "
                "5 in autograd.Value, which has rules of its own for - and /.",
            ),
            Choice(
                "wrong gradients for `b`: no rule knows -a/b²",
                "No rule needs to know it: `**` knows d(b⁻¹)/db = -b⁻², and `*` multiplies "
                "that by a. The lesson's (a - b) / (a + b) shows the same b.grad, -0.204082, in "
                "your Value and in autograd.Value.",
            ),
            Choice(
                "the same graph as with a rule for `/`",
                "Each operation Python runs makes its own node: `b**-1` is one, the `*` "
                "another. The lesson counts them: (a - b) / (a + b) takes 8 values in your "
                "Value, 5 in autograd.Value, where - and / have rules of their own.",
            ),
            Choice(
                "an error in `backward()`: `/` set no `_backward`",
                "`__truediv__` returns the node made by `*`, which carries the rule of `*`; "
                "the `**` node has its own. `/` makes no node of its own, so no rule is "
                "missing.",
            ),
        ],
        answer=0,
    ),
    Question(
        "04.saturate",
        "From the Try it list: you start the chain of tanhs at `x0=3.0` instead of 0.5. At "
        "depth 5 the gradient was 0.393; what is it now?",
        [
            Choice(
                "still about 0.39",
                "Where the chain starts matters, not only how deep it is. At x = 3 the first "
                "tanh's slope is 0.0099 (the lesson's slope table): the gradient is about "
                "100× smaller before the other four layers even start.",
            ),
            Choice(
                "about 0.0012",
                "The first tanh sits at x = 3, where its slope is 0.0099 (the slope table). Its "
                "output, tanh(3) ≈ 0.995, is back on the steeper part, so the next four slopes "
                "are 0.42, 0.59, 0.68 and 0.74, and the product is about 0.0012: some 300× "
                "less than from 0.5.",
            ),
            Choice(
                "about 1e-10",
                "That is 0.0099⁵, as if every layer were as flat as the first. But a tanh's "
                "output lies between -1 and 1: after the first layer the inputs are 0.995, "
                "0.76, 0.64 and 0.57, where the slopes are 0.42 to 0.74.",
            ),
            Choice(
                "exactly 0",
                "tanh's slope, 1 - tanh(x)², is small at x = 3 (0.0099) but not 0. In float64 "
                "it rounds to exactly 0 only much farther out (1 - tanh(20)² is 0.0), and the "
                "next four layers see inputs below 1. It is relu that passes exactly nothing "
                "back, wherever its input is negative.",
            ),
        ],
        answer=1,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "see why every backward rule must use `+=`, never `=`",
        "write the power rule `x ** n` yourself, so `L = (w*x - y)**2` works in your engine",
        "build `-a`, `a - b` and `a / b` from operations you already have, and compare with "
        "giving them rules of their own",
        "write `exp`, `log`, `tanh`, `relu` and `sigmoid`, each with its local derivative",
        "see with numbers why gradients vanish through a chain of `sigmoid`s",
    ],
    formulas=[
        "every operation: forward out = f(x); backward x.grad += f'(x) * out.grad (always +=)",
        "x ** n (n a number): d(x**n)/dx = n * x**(n-1)",
        "exp: d(e^x)/dx = e^x = out;  log: d(ln x)/dx = 1/x",
        "tanh: d(tanh x)/dx = 1 - tanh(x)² = 1 - out²;  relu: slope 1 if x > 0, else 0",
        "sigmoid: σ(x) = 1 / (1 + e^(-x)), σ'(x) = σ(x)(1 - σ(x)) = out * (1 - out), at most 0.25",
        "built from others: -a = a * (-1), a - b = a + (-b), a / b = a * b**-1",
        "through a chain, the gradient is the product of the slopes on the way",
    ],
    demo=(
        "b = a + a at a = 3 with rules that use = instead of += (a.grad = 1.0 instead of 2.0), "
        "then lesson 02's loss L = (wx - y)**2 at w = 3, x = 2, y = 5 in your own engine "
        "(dL/dw = 4, dL/dx = 6, dL/dy = -2), and (a - b) / (a + b) at a = 5, b = 2: 8 values "
        "built from + and *, 5 with rules of their own, the same a.grad = 0.081633 and "
        "b.grad = -0.204082. Then d out/dx at x = 0.5 through chains of sigmoid, tanh and "
        "relu: 3.48e-07 after 10 sigmoids and 1.14e-13 after 20, 0.107 after 20 tanhs, 1 at "
        "every depth for relu."
    ),
    try_it=[
        "z = (a + b) * a at a = 2, b = -3 (instead of (a + b) * c): now a is used twice; work "
        "out dz/da on paper before you run it",
        "z = (a - b) ** 2 / c at a = 2, b = -3, c = 4: uses -, ** and / from this lesson; "
        "predict the gradients before you run it",
        "Give - a rule of its own: rewrite __sub__ with its own _backward() (self.grad += "
        "out.grad, other.grad -= out.grad; wrap other first, as in __add__, so that a - 2 "
        "works), run check_arith(Value) again, and count the values of "
        "draw_dot((a - b) / (a + b))",
        "Saturate a tanh. In the chain of tanhs, start at x0=3.0 instead of 0.5: how small is "
        "the gradient after 5 layers now?",
    ],
)
