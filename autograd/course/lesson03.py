"""Lesson 03's checker: the backward rules of ``+`` and ``*`` in your own ``Value``.

Call it on your class (the class itself, not an instance)::

    check_add_mul(Value)

It builds small expressions (``a + b``, ``a * a``, ``(a + b) * c``, ``a + 2``, ...) on fresh
random numbers, runs your rules, and compares every gradient with a central difference (see
:mod:`autograd.course.value_rules` for how it decides). The report is truthy iff every check
passed; ``print(report)`` shows an example and a hint for each rule that failed.
"""

from __future__ import annotations

from .carry import finish
from .registry import Exercise
from .report import CheckReport
from .value_rules import add_mul_cases, check_class, run_cases

__all__ = ["check_add_mul"]

EXERCISES = [
    Exercise("03.add_mul", "+ and *", "check_add_mul", chain="value",
             provides=("Value.__add__", "Value.__mul__")),
]  # fmt: skip


def check_add_mul(
    value_cls: type, *, seed: int | None = None, save: bool = True, rounds: int = 1
) -> CheckReport:
    """Check lesson 03: your ``Value``'s ``+`` and ``*`` and their backward rules.

    ``value_cls`` is your class: ``Value(number)`` must make a leaf with ``.data`` and
    ``.grad``; ``a + b`` and ``a * b`` (Values, or a Value and a plain number) must return a
    new Value that remembers its inputs in ``_prev`` and its rule in ``_backward``. Each call
    uses fresh random numbers (``seed`` repeats a run exactly; ``rounds`` runs every
    expression that many times). With ``save=False`` nothing is recorded.

    >>> check_add_mul(Value)  # doctest: +SKIP
    ✓ All 70 checks passed — your + and * send gradients backward correctly.
    """
    cls = check_class(value_cls, "check_add_mul")
    report = run_cases(
        "+ and *",
        "your + and * send gradients backward correctly.",
        add_mul_cases(),
        cls,
        seed,
        rounds,
    )
    objects = {"Value.__add__": getattr(cls, "__add__", None),
               "Value.__mul__": getattr(cls, "__mul__", None)}  # fmt: skip
    return finish("03.add_mul", report, objects, save=save)
