"""(being written by the lead) Carrying the learner's code from lesson to lesson."""

from __future__ import annotations

from typing import Any

from .report import CheckReport


def finish(
    exercise_id: str, report: CheckReport, objects: dict[str, Any], *, save: bool = True
) -> CheckReport:
    """Record a checker's result (placeholder: the full version saves the learner's code)."""
    report.exercise = exercise_id  # type: ignore[attr-defined]
    return report
