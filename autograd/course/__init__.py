"""The course machinery, on top of the engine: checkers, reference solutions, the learner's
store, and carrying the learner's own code from lesson to lesson.

* ``lessonNN`` — each lesson's checkers (``check_*``) and its list of exercises;
* ``report`` — the one report every checker returns;
* ``store`` — the learner's folder (``AUTOGRAD_HOME``): results and the code that passed;
* ``carry`` — ``start_lesson``, ``prefer_yours``, ``reset_progress``: the learner's code,
  carried forward;
* ``solutions/`` — the reference solutions (and the given part of each class).

Nothing in the engine modules (``autograd.engine``, ``autograd.tensor``, ...) imports this
subpackage; the lessons reach it through the public names re-exported by ``autograd``.
"""

import importlib as _importlib

from .carry import prefer_yours, reset_progress, start_lesson
from .registry import LESSONS as _LESSONS
from .registry import Exercise, exercise, exercises
from .report import CheckReport, Failure

__all__ = [
    "CheckReport",
    "Exercise",
    "Failure",
    "exercise",
    "exercises",
    "prefer_yours",
    "reset_progress",
    "start_lesson",
]

# Every lesson module's checkers, under their own names (autograd.check_add_mul, ...).
for _lesson in _LESSONS:
    try:
        _module = _importlib.import_module(f"{__name__}.lesson{_lesson}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.lesson{_lesson}":
            raise
        continue
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)

if "check_add_mul" not in globals():  # until lesson03.py takes them over
    from .value_rules import check_add_mul, check_more_ops, check_pow

    __all__ += ["check_add_mul", "check_more_ops", "check_pow"]
