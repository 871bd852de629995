"""Your progress through the series, at a glance: ``autograd.progress()``.

For every lesson: its exercises (passed or not, and when) and its quiz (how many questions
answered right), whether it is finished, and what to do next. A lesson is *finished* when
every exercise passed its check and every quiz question was answered right. Lessons open in
order, softly: each lesson from 02 on says when the one before is not finished yet (with a
link), and goes on with the reference solutions meanwhile — it never blocks a learner who
chooses to go on.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .quizbank import lesson_questions
from .registry import LESSONS, TITLES, Exercise, exercises, notebook
from .store import Store

__all__ = ["LessonStatus", "Progress", "lesson_status", "previous_lesson_note", "progress"]


@dataclass
class LessonStatus:
    """One lesson's state in the learner's store."""

    lesson: str
    exercises: list[tuple[Exercise, bool, str]] = field(default_factory=list)  # (ex, ok, when)
    questions: list[tuple[str, bool]] = field(default_factory=list)  # (question id, right)

    @property
    def title(self) -> str:
        return f"{self.lesson} · {TITLES[self.lesson][0]}"

    @property
    def passed(self) -> int:
        return sum(ok for _, ok, _ in self.exercises)

    @property
    def right(self) -> int:
        return sum(ok for _, ok in self.questions)

    @property
    def finished(self) -> bool:
        return self.passed == len(self.exercises) and self.right == len(self.questions)

    @property
    def started(self) -> bool:
        return self.passed > 0 or self.right > 0

    def summary(self) -> str:
        parts = []
        if self.exercises:
            n = len(self.exercises)
            parts.append(f"{self.passed} of {n} exercise{'s' if n > 1 else ''} passed")
        if self.questions:
            n = len(self.questions)
            parts.append(f"{self.right} of {n} quiz question{'s' if n > 1 else ''} right")
        return ", ".join(parts) or "nothing to do"

    def todo(self) -> list[str]:
        """What is left, in words."""
        left = [f"pass {ex.checker} ({ex.title})" for ex, ok, _ in self.exercises if not ok]
        wrong = len(self.questions) - self.right
        if wrong:
            left.append(f"answer {wrong} quiz question{'s' if wrong > 1 else ''} right")
        return left


def lesson_status(lesson: str, data: dict[str, Any] | None = None) -> LessonStatus:
    """The status of ``lesson`` in the store (or in ``data``, a read progress record)."""
    data = data if data is not None else Store().read()
    status = LessonStatus(lesson)
    for ex in exercises():
        if ex.lesson == lesson:
            entry = data["exercises"].get(ex.id, {})
            ok = bool(entry.get("passed"))
            when = str(entry.get("first_passed", ""))[:16].replace("T", " ")
            status.exercises.append((ex, ok, when))
    for q in lesson_questions(lesson):
        status.questions.append((q.id, bool(data["quizzes"].get(q.id, {}).get("right"))))
    return status


def previous_lesson_note(
    lesson: str, data: dict[str, Any] | None = None, *, carries: bool = True
) -> tuple[str, str]:
    """The soft lock's banner for the start of ``lesson`` (from 02 on): plain text and HTML.
    ``carries``: the lesson starts from code of earlier lessons (so it says that the
    reference solutions stand in meanwhile). Empty strings for lessons 00 and 01."""
    if lesson not in TITLES or lesson <= "01":
        return "", ""
    before = LESSONS[LESSONS.index(lesson) - 1]
    status = lesson_status(before, data)
    link = notebook(before)
    if status.finished:
        text = f"✓ You finished lesson {status.title}."
        return (
            text,
            f"<p>✓ You finished lesson <a href='{link}'>{html.escape(status.title)}</a>.</p>",
        )
    meanwhile = (
        "You can go on — wherever your own code has not passed its check yet, this lesson "
        "uses the reference solution."
        if carries
        else "You can go on: this lesson does not need its code."
    )
    text = f"Lesson {status.title} is not finished yet ({status.summary()}): {link}. {meanwhile}"
    page = (
        "<p style='background:#fef7e0;padding:6px 10px;border-left:4px solid #f9ab00'>"
        f"Lesson <a href='{link}'>{html.escape(status.title)}</a> is not finished yet "
        f"({html.escape(status.summary())}). {html.escape(meanwhile)}</p>"
    )
    return text, page


class Progress:
    """The series at a glance (what :func:`progress` returns)."""

    def __init__(self, statuses: list[LessonStatus], messages: list[str]) -> None:
        self.lessons = statuses
        self.messages = messages

    @property
    def next(self) -> LessonStatus | None:
        """The first lesson with something left to do."""
        return next((s for s in self.lessons if not s.finished), None)

    def _next_text(self) -> str:
        nxt = self.next
        if nxt is None:
            return "Every lesson is finished. Well done!"
        return f"Next: lesson {nxt.title} ({notebook(nxt.lesson)}) — " + "; ".join(nxt.todo())

    def __repr__(self) -> str:
        lines = list(self.messages) + ["Your progress through Autograd from scratch:"]
        for s in self.lessons:
            mark = "✓" if s.finished else ("…" if s.started else "·")
            lines.append(f"  {mark} {s.title:<32} {s.summary()}")
            for ex, ok, when in s.exercises:
                lines.append(
                    f"      {'✓' if ok else '·'} {ex.title}" + (f" ({when})" if ok else "")
                )
        lines.append(self._next_text())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = []
        for s in self.lessons:
            mark = "✓" if s.finished else ("…" if s.started else "·")
            tint = "#e6f4ea" if s.finished else ("#fef7e0" if s.started else "transparent")
            items = "".join(
                f"<li>{'✓' if ok else '○'} {html.escape(ex.title)}"
                f"{' <small>(' + html.escape(when) + ')</small>' if ok else ''}</li>"
                for ex, ok, when in s.exercises
            )
            rows.append(
                f'<tr style="background:{tint}"><td style="padding:3px 8px">{mark}</td>'
                f'<td style="padding:3px 8px;text-align:left"><a href="{notebook(s.lesson)}">'
                f"{html.escape(s.title)}</a></td>"
                f'<td style="padding:3px 8px;text-align:left">{html.escape(s.summary())}'
                f'<ul style="margin:0;padding-left:1em;list-style:none">{items}</ul></td></tr>'
            )
        notes = "".join(f"<p>{html.escape(m)}</p>" for m in self.messages)
        return (
            f"<div>{notes}<p><b>Your progress through Autograd from scratch</b></p>"
            f'<table style="border-collapse:collapse">{"".join(rows)}</table>'
            f"<p>{html.escape(self._next_text())}</p></div>"
        )


def progress() -> Progress:
    """Each lesson with its exercises and quiz, done or not, and what to do next."""
    store = Store()
    data = store.read()
    statuses = [lesson_status(lesson, data) for lesson in LESSONS if lesson != "00"]
    return Progress(statuses, store.messages)
