"""Study a lesson with an AI: three prompts to paste into the assistant of your choice.

``study_with_ai("03")`` shows, in the seed lessons' order,

1. **Explain the idea** — in one paragraph, then one question to check it landed;
2. **Walk me through the demo** — step by step, with the numbers (and with *your* exercise
   code, when you saved some);
3. **Quiz me on the try-it list** — one question at a time.

Each prompt is filled with the lesson's own context (its goals, key formulas, demo and
try-it list, written in ``autograd.course.lessonNN.STUDY``) and has a copy button. Nothing is
sent anywhere: you copy the text yourself. In a static view (GitHub, nbviewer) the prompts
show as plain text.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from .registry import TITLES, exercises, lesson_module
from .store import Store

__all__ = ["Study", "StudyPrompts", "study_with_ai"]

SERIES = (
    'I am working through "Autograd from scratch", a notebook series in which I build an '
    "automatic-differentiation engine myself in plain Python (a micrograd-style scalar Value, "
    "then a numpy Tensor)."
)


@dataclass(frozen=True)
class Study:
    """A lesson's context for its AI prompts (each lesson module has one, ``STUDY``).

    ``explain``, ``demo_focus`` and ``quiz_focus`` replace the default request of each
    prompt where the lesson asks for something particular (e.g. lesson 06: reverse vs
    forward vs symbolic differentiation)."""

    goals: tuple[str, ...] | list[str]
    formulas: tuple[str, ...] | list[str]
    demo: str
    try_it: tuple[str, ...] | list[str]
    explain: str = ""
    demo_focus: str = ""
    quiz_focus: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _bullets(items) -> str:
    return "\n".join(f"- {i}" for i in items)


def _learner_code(lesson: str) -> str:
    store = Store()
    parts = []
    for ex in exercises():
        if ex.lesson != lesson:
            continue
        code = store.code(ex.id)
        if code:
            body = "".join(line for line in code.splitlines(True) if not line.startswith("# Your"))
            parts.append(f"# exercise {ex.id} ({ex.title})\n{body.strip()}")
    return "\n\n".join(parts)


class StudyPrompts:
    """The three prompts of one lesson (what :func:`study_with_ai` returns)."""

    TITLES = ("Explain the idea", "Walk me through the demo", "Quiz me on the try-it list")

    def __init__(self, lesson: str, study: Study, code: str) -> None:
        self.lesson = lesson
        self.study = study
        self.code = code
        name = f"lesson {lesson} · {TITLES[lesson][0]}"
        context = (
            f"{SERIES} I am on {name}.\n\nIts goals:\n{_bullets(study.goals)}\n\n"
            f"Its key formulas:\n{_bullets(study.formulas)}"
        )
        explain = study.explain or (
            "Explain the idea of this lesson in one paragraph, as a patient tutor would, with "
            "one small concrete example; then ask me one question to check that I got it."
        )
        mine = (
            f"My own code for this lesson's exercises:\n```python\n{code}\n```"
            if code
            else "I have not saved my own code for this lesson's exercises yet."
        )
        demo_focus = study.demo_focus or (
            "Walk me through this demo step by step: what is computed at each step, with the "
            "numbers, and why the gradients come out as they do. Stop after each step and let "
            "me ask questions."
        )
        quiz_focus = study.quiz_focus or (
            "Quiz me on these, one question at a time: ask, wait for my answer, then tell me "
            "whether I am right and why, before the next question. Mix predicting outputs "
            "with explaining why."
        )
        self.prompts = (
            f"{context}\n\n{explain}",
            f"{context}\n\nThe lesson's demo: {study.demo}\n\n{mine}\n\n{demo_focus}",
            f"{context}\n\nThe lesson ends with this try-it list:\n{_bullets(study.try_it)}\n\n"
            f"{quiz_focus}",
        )

    def __len__(self) -> int:
        return len(self.prompts)

    def __getitem__(self, i: int) -> str:
        return self.prompts[i]

    def __repr__(self) -> str:
        lines = [
            "Study this lesson with an AI: copy a prompt into the assistant of your choice "
            "(nothing is sent anywhere)."
        ]
        for i, (title, text) in enumerate(zip(self.TITLES, self.prompts, strict=True), 1):
            lines += ["", f"{i}. {title}", "", text]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        blocks = []
        for i, (title, text) in enumerate(zip(self.TITLES, self.prompts, strict=True), 1):
            blocks.append(
                '<div class="autograd-prompt" style="margin:8px 0">'
                f"<p><b>{i}. {html.escape(title)}</b> "
                f'<button class="autograd-copy" type="button" title="Copy this prompt" '
                f'onclick="{html.escape(_COPY_JS, quote=True)}">Copy prompt</button></p>'
                '<pre style="white-space:pre-wrap;background:#f6f8fa;padding:8px;'
                f'border-radius:4px;margin:0">{html.escape(text)}</pre></div>'
            )
        return (
            "<div><p>Copy a prompt into the assistant of your choice (nothing is sent "
            f"anywhere).</p>{''.join(blocks)}</div>"
        )

    def to_json(self) -> str:
        return json.dumps({"lesson": self.lesson, "prompts": list(self.prompts)})


# The copy button: the Clipboard API where the page is a secure context (localhost, https),
# else the older execCommand route. The text is the <pre> of the same prompt block.
_COPY_JS = (
    "(function(b){var t=b.closest('.autograd-prompt').querySelector('pre').innerText;"
    "function done(){b.textContent='Copied ✓';setTimeout(function(){b.textContent="
    "'Copy prompt'},1500);}"
    "function old(){var a=document.createElement('textarea');a.value=t;"
    "document.body.appendChild(a);a.select();try{document.execCommand('copy');done();}"
    "catch(e){b.textContent='Select the text and copy it';}a.remove();}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t)"
    ".then(done,old);}else{old();}})(this)"
)


def study_with_ai(lesson: str) -> StudyPrompts:
    """The three AI prompts of ``lesson`` ("01" ... "10"), filled with its context and the
    learner's own saved code for its exercises."""
    study = getattr(lesson_module(lesson), "STUDY", None) if lesson in TITLES else None
    if study is None:
        raise ValueError(f"lesson {lesson!r} has no study prompts (lessons 01 to 10 do)")
    return StudyPrompts(lesson, study, _learner_code(lesson))
