"""Lesson 06's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), its explain
prompt compares reverse mode, forward mode (dual numbers) and symbolic differentiation, and
the claims the explanations make about dual numbers and the lesson's counts are true."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import jupytext
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson06, status
from autograd.course.lesson06 import check_dual
from autograd.course.store import Store

LESSON = "06"
MODULE = lesson06
ROOT = Path(__file__).resolve().parents[2]
(SOURCE,) = sorted((ROOT / "lessons").glob(f"{LESSON}_*.py"))
NOTEBOOK = ROOT / "notebooks" / f"{SOURCE.stem}.ipynb"


def cells() -> list:
    return jupytext.read(SOURCE, fmt="py:percent").cells


def plain(text: str) -> str:
    """Markdown or HTML as plain words: no tags, emphasis, code marks, maths marks or ✏️."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[*`$]|✏️", "", text)
    return " ".join(text.split()).strip(" ;.")


def markdown_between(start: str, stop: str | None = None) -> str:
    """The markdown of the lesson from the cell holding ``start`` up to the one holding
    ``stop`` (not included), after ``start``."""
    text, inside = [], False
    for cell in cells():
        if cell.cell_type != "markdown":
            continue
        if not inside and start in cell.source:
            inside = True
            text.append(cell.source.split(start, 1)[1])
            if stop is None:
                break
            continue
        if inside:
            if stop in cell.source:
                break
            text.append(cell.source)
    assert inside, f"no {start!r} in {SOURCE.name}"
    return "\n".join(text)


def bullets(text: str) -> list[str]:
    """The first bullet list in ``text``, each bullet as one line of plain words."""
    items: list[str] = []
    for line in text.splitlines():
        if line.startswith("* "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif items:
            break
    return [plain(i) for i in items]


def try_it_text() -> str:
    return SOURCE.read_text().split("## Try it", 1)[1].split("## Quiz", 1)[0]


# --------------------------------------------------------------------------- the questions
def test_the_quiz_has_three_or_four_questions_with_the_lessons_ids():
    ids = [q.id for q in MODULE.QUIZ]
    assert 3 <= len(ids) <= 4
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"{LESSON}\.[a-z_]+", i) for i in ids), ids


@pytest.mark.parametrize("q", MODULE.QUIZ, ids=lambda q: q.id)
def test_every_option_has_its_own_explanation(q):
    assert len(q.choices) >= 3
    texts = [c.text.strip() for c in q.choices]
    whys = [c.why.strip() for c in q.choices]
    assert all(texts) and all(whys)
    assert len(set(texts)) == len(texts), "two options read the same"
    assert len(set(whys)) == len(whys), "each option explains itself, in its own words"
    assert isinstance(q.answer, int) and 0 <= q.answer < len(q.choices)  # exactly one answer
    for c in q.choices:
        assert "try again" not in c.why.lower()
        assert len(c.why) > 60, f"{c.text!r}: say what is behind it, not just right or wrong"


@pytest.mark.parametrize("q", MODULE.QUIZ, ids=lambda q: q.id)
def test_the_right_option_does_not_stand_out_by_length(q):
    lengths = [len(c.text) for c in q.choices]
    right = lengths[q.answer]
    others = lengths[: q.answer] + lengths[q.answer + 1 :]
    assert not right > max(others), "the right option is the longest"
    assert not right < min(others), "the right option is the shortest"


def test_the_answers_are_not_always_in_the_same_place():
    assert len({q.answer for q in MODULE.QUIZ}) >= 3


def test_a_question_is_about_the_try_it_list():
    on_try_it = [q for q in MODULE.QUIZ if q.try_it]
    assert on_try_it
    for q in on_try_it:
        assert "Try it" in q.text
        # it asks about one of the bullets: the code it changes is quoted from the list
        code = re.findall(r"`([^`]+)`", q.text)
        assert code and all(f"`{c}" in try_it_text() for c in code), code


# --------------------------------------------------------------------------- the claims
DUAL = carry.reference_source("06.dual")
RIGHT_QUOTIENT = "(self.deriv * b - a * other.deriv) / b**2"
WRONG_QUOTIENTS = {
    "sign flipped": "(a * other.deriv - self.deriv * b) / b**2",
    "b instead of b²": "(self.deriv * b - a * other.deriv) / b",
}


def dual_class(quotient: str = RIGHT_QUOTIENT) -> type:
    assert RIGHT_QUOTIENT in DUAL
    namespace = {"math": math}
    exec(DUAL.replace(RIGHT_QUOTIENT, quotient), namespace)  # noqa: S102
    return namespace["Dual"]


def derivative(Dual: type, x: float) -> float:
    """The Try it list's derivative(lambda x: x.exp() / (1 + x * x), x), as the lesson has it."""
    return (lambda x: x.exp() / (1 + x * x))(Dual(x, 1.0)).deriv


def by_hand(x: float) -> float:
    return math.exp(x) * (1 - x) ** 2 / (1 + x * x) ** 2


def test_the_try_it_derivative_is_exactly_0_at_1_and_not_at_one_half():
    Dual = dual_class()
    assert derivative(Dual, 1.0) == 0.0
    assert math.isclose(derivative(Dual, 0.5), by_hand(0.5)) and by_hand(0.5) > 0.1


@pytest.mark.parametrize("quotient", WRONG_QUOTIENTS.values(), ids=WRONG_QUOTIENTS.keys())
def test_wrong_quotient_rules_pass_at_1_fail_at_one_half_and_fail_the_check(quotient):
    Wrong = dual_class(quotient)
    assert derivative(Wrong, 1.0) == 0.0  # the weak test passes them
    assert not math.isclose(derivative(Wrong, 0.5), by_hand(0.5), rel_tol=1e-3)
    report = check_dual(Wrong, seed=0, save=False)
    assert not report and "div" in report.failed_rules


def test_the_try_it_question_quotes_the_lessons_remark():
    assert "(At `x = 1` this derivative is exactly 0: a fine answer, but" in try_it_text()
    q = next(q for q in MODULE.QUIZ if q.try_it)
    assert "wrong sign" in q.choices[q.answer].text


PRINTED = [
    "Dual(value=12, deriv=14)",
    "  1000      1999             1000  1,999,000    1 fwd + 1 bwd    3,998",
    "  64        255          8,571           192             127",
    "p'(2) = 47.0",
    "autodiff: 2592720.0",
    "symbolic: 2592720.0",
    "   12           16,381             196,609            25",
    "passes: 1 (forward mode)",
    "passes: 40 backward passes (reverse mode), 4,020 rules run",
    "reverse mode: [7.0, 4.0, 6.0, 8.0, 5.0]",
]


@pytest.mark.parametrize("printed", PRINTED)
def test_the_lesson_prints_the_numbers_the_explanations_quote(printed):
    assert printed in NOTEBOOK.read_text()


def test_the_explain_prompt_compares_the_three_ways():
    s = MODULE.STUDY
    assert not (s.demo_focus or s.quiz_focus)  # the default requests
    for words in ("reverse mode", "forward mode", "dual numbers", "symbolic differentiation"):
        assert words in s.explain, words
    explain, _, _ = study_with_ai(LESSON)
    assert explain.endswith(s.explain)
    assert "Dual(value=12, deriv=14)" in s.demo and "8,571 symbols" in s.demo


PREVIOUS_BANNER = (
    "Lesson 05 · How backward works is not finished yet (0 of 3 exercises passed, "
    "0 of 4 quiz questions right)"
)
TRY_IT_BULLETS = 5
SAVED = ("06.dual", "class Dual:\n    pass\n")


# --------------------------------------------------------------------------- the lesson's view
def test_the_lesson_shows_only_the_call_not_the_answers():
    code = [c.source for c in cells() if c.cell_type == "code"]
    assert f'quiz("{LESSON}")' in code
    text = SOURCE.read_text()
    assert "Quiz(" not in text and "answer=" not in text
    for q in MODULE.QUIZ:
        for c in q.choices:
            assert c.why not in text
    shown = quiz(LESSON)
    view = plain(repr(shown)) + plain(shown._repr_mimebundle_()["text/html"])
    for q in MODULE.QUIZ:
        for c in q.choices:
            assert plain(c.why) not in view
        assert q.choices[q.answer].text in repr(shown)  # the options are shown, unmarked


def test_the_lesson_keeps_the_template_order():
    headings = [
        line
        for cell in cells()
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    order = ["## Try it", "## Quiz", "## Study this lesson with an AI", "## Summary"]
    assert [h for h in headings if h in order] == order
    code = [c.source for c in cells()]
    study = code.index(f'study_with_ai("{LESSON}")')
    assert "## Study this lesson with an AI" in code[study - 1]
    assert "nothing is sent anywhere" in code[study - 1]
    assert code.index(f'quiz("{LESSON}")') < study


def test_the_first_code_cell_shows_the_previous_lessons_banner():
    lesson = cells()
    first = next(c for c in lesson if c.cell_type == "code")
    assert f'engine = start_lesson("{LESSON}")' in first.source
    assert first.source.rstrip().endswith("engine")
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith(PREVIOUS_BANNER)
    assert f"Lesson {LESSON} starts from the engine you built so far" in out
    prose = lesson[lesson.index(first) - 1].source
    assert "finished lesson" in prose and "go on either way" in prose


# --------------------------------------------------------------------------- answering
@pytest.mark.parametrize("i", range(len(MODULE.QUIZ)), ids=[q.id for q in MODULE.QUIZ])
def test_each_option_gives_its_own_feedback_and_is_recorded(i):
    q = MODULE.QUIZ[i]
    seen = []
    wrong = [k for k in range(len(q.choices)) if k != q.answer]
    for k in [*wrong, q.answer]:
        widget = quiz(LESSON)[i]
        widget.choices.value = k
        feedback = plain(widget.feedback.value)
        assert plain(q.choices[k].why) in feedback
        assert feedback.startswith("✓ Right" if k == q.answer else "✗ Not quite")
        seen.append(feedback)
        entry = Store().read()["quizzes"][q.id]
        assert entry["last_answer"] == k and entry["right"] is (k == q.answer)
        assert entry["attempts"] == len(seen)
    assert len(set(seen)) == len(q.choices)
    assert "first_right" in Store().read()["quizzes"][q.id]


def test_right_answers_count_towards_finishing_the_lesson():
    before = status.lesson_status(LESSON)
    assert len(before.questions) == len(MODULE.QUIZ) and before.right == 0
    shown = quiz(LESSON)
    for widget, q in zip(shown, MODULE.QUIZ, strict=True):
        widget.choices.value = q.answer
    after = status.lesson_status(LESSON)
    assert after.right == len(MODULE.QUIZ)
    assert not after.finished  # the exercises are still to pass
    for ex in MODULE.EXERCISES:
        Store().record(ex.id, True, "own")
    assert status.lesson_status(LESSON).finished


# --------------------------------------------------------------------------- study with an AI
def test_the_study_goals_are_the_lessons_goals():
    assert [plain(g) for g in MODULE.STUDY.goals] == bullets(markdown_between("**Goals**"))


def test_the_study_try_it_list_is_the_lessons():
    lesson = bullets(markdown_between("## Try it", "## Quiz"))
    assert len(lesson) == TRY_IT_BULLETS
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson)
    for ours, theirs in zip(mine, lesson, strict=True):
        assert ours.split()[:5] == theirs.split()[:5], (ours, theirs)
        assert "\n" not in ours


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    for formula in MODULE.STUDY.formulas:
        assert formula in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    assert "one question at a time" in ask
    Store().save_code(SAVED[0], SAVED[1])
    _, demo, _ = study_with_ai(LESSON)
    assert f"# exercise {SAVED[0]}" in demo and SAVED[1].strip() in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
    assert MODULE.STUDY.demo.count(". ") <= 1  # one or two sentences
