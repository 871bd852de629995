"""The course machinery, on top of the engine: checkers, reference solutions, the learner's
store, and carrying the learner's own code from lesson to lesson.

Nothing in the engine modules (``autograd.engine``, ``autograd.tensor``, ...) imports this
subpackage; the lessons reach it through the public names re-exported by ``autograd``.
"""

from .report import CheckReport, Failure
from .value_rules import check_add_mul, check_more_ops, check_pow

__all__ = ["CheckReport", "Failure", "check_add_mul", "check_more_ops", "check_pow"]
