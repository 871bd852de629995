"""Lesson 04's checkers: ``**`` with a number exponent; ``-a``, ``a - b``, ``a / b``; and the
functions ``exp``, ``log``, ``tanh``, ``relu``, ``sigmoid``.

Call each on your class (the class itself, not an instance)::

    check_pow(Value)      # 04.pow:   a ** n
    check_arith(Value)    # 04.arith: -a, a - b, 3 - a, a / b, 2 / a
    check_funcs(Value)    # 04.funcs: a.exp(), a.log(), a.tanh(), a.relu(), a.sigmoid()

Each also runs a few cases of the operations from earlier exercises first, so that a problem
there is reported under its own name and not blamed on the new operation (see
:mod:`autograd.course.value_rules` for how they decide).
"""

from __future__ import annotations

from .carry import finish
from .registry import Exercise
from .report import CheckReport
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
