"""The course machinery, on top of the engine: checkers, reference solutions, the learner's
store, and carrying the learner's own code from lesson to lesson.

* ``lessonNN`` — each lesson's checkers (``check_*``) and its list of exercises;
* ``report`` — the one report every checker returns;
* ``store`` — the learner's folder (``AUTOGRAD_HOME``): results and the code that passed;
* ``carry`` — ``start_lesson``, ``prefer_yours``, ``reset_progress``: the learner's code,
  carried forward;
* ``status`` — ``progress()``: the series at a glance, and the soft lock's banners;
* ``quizbank`` — ``quiz("03")``: each lesson's questions (``lessonNN.QUIZ``), answers recorded;
* ``study`` — ``study_with_ai("03")``: three prompts to paste into an AI assistant;
* ``solutions/`` — the reference solutions (and the given part of each class).

Nothing in the engine modules (``autograd.engine``, ``autograd.tensor``, ...) imports this
subpackage; the lessons reach it through the public names re-exported by ``autograd``.
"""

import importlib as _importlib

from .carry import prefer_yours, reset_progress, start_lesson
from .quizbank import Choice, Question, quiz
from .registry import LESSONS as _LESSONS
from .registry import Exercise, exercise, exercises
from .report import CheckReport, Failure
from .status import progress
from .study import Study, study_with_ai

__all__ = [
    "CheckReport",
    "Choice",
    "Exercise",
    "Failure",
    "Question",
    "Study",
    "exercise",
    "exercises",
    "prefer_yours",
    "progress",
    "quiz",
    "reset_progress",
    "start_lesson",
    "study_with_ai",
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
