"""Lesson 04's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the checker and the engine are true."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import jupytext
import pytest

import autograd
from autograd import draw_dot, quiz, study_with_ai
from autograd.course import carry, lesson04, status
from autograd.course.store import Store

LESSON = "04"
MODULE = lesson04
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
def reference_value() -> type:
    """The Value lesson 04 ends with, as shipped: the reference chain up to lesson 04."""
    namespace, _ = carry.build("value", "05")
    return namespace["Value"]


def through_chain(Value: type, name: str, depth: int, x0: float) -> float:
    x = Value(x0)
    out = x
    for _ in range(depth):
        out = getattr(out, name)()
    out.backward()
    return x.grad


def test_the_saturated_tanh_chain_gives_the_numbers_the_quiz_quotes():
    Value = reference_value()
    assert round(through_chain(Value, "tanh", 5, 0.5), 3) == 0.393
    assert round(through_chain(Value, "tanh", 5, 3.0), 4) == 0.0012
    assert (
        round(through_chain(Value, "tanh", 5, 0.5) / through_chain(Value, "tanh", 5, 3.0), -2)
        == 300
    )
    inputs, x = [], 3.0
    for _ in range(5):
        inputs.append(x)
        x = math.tanh(x)
    slopes = [1 - math.tanh(x) ** 2 for x in inputs]
    assert [round(x, 2) for x in inputs[1:]] == [1.0, 0.76, 0.64, 0.57]  # 0.995 rounds to 1.0
    assert round(inputs[1], 3) == 0.995
    assert round(slopes[0], 4) == 0.0099
    assert [round(s, 2) for s in slopes[1:]] == [0.42, 0.59, 0.68, 0.74]
    assert 0 < slopes[0] ** 5 < 1e-9  # "about 1e-10"
    # "exactly 0": not at x = 3 or beyond, but 1 - tanh(20)² does round to 0.0 in float64
    assert min(slopes) > 0 and 1 - math.tanh(20) ** 2 == 0.0
    assert max(inputs[1:]) < 1


def test_the_tanh_and_division_claims():
    Value = reference_value()
    # tanh's rule from out = 0.5
    x = Value(math.atanh(0.5))
    out = x.tanh()
    out.backward()
    assert round(out.data, 12) == 0.5 and round(x.grad, 12) == 0.75
    assert round(math.atanh(0.5), 3) == 0.549
    t = Value(0.5)
    t.tanh().backward()
    assert round(t.grad, 3) == 0.786
    # (a - b) / (a + b): same gradients, 8 values here, 5 in autograd.Value
    a, b = Value(5.0), Value(2.0)
    mine = (a - b) / (a + b)
    mine.backward()
    a2, b2 = autograd.Value(5.0), autograd.Value(2.0)
    packaged = (a2 - b2) / (a2 + b2)
    packaged.backward()
    assert f"{a.grad:.6f}" == f"{a2.grad:.6f}" == "0.081633"
    assert f"{b.grad:.6f}" == f"{b2.grad:.6f}" == "-0.204082"
    assert "8 values" in repr(draw_dot(mine)) and "5 values" in repr(draw_dot(packaged))


def test_the_lesson_prints_the_numbers_the_explanations_quote():
    out = NOTEBOOK.read_text()
    for printed in ("a.grad = 1.0", "tanh   0.5    0.786448", " 3.0      0.0099",
                    "    tanh      0.786       0.64      0.393",
                    "8 values, 5 ops>   a.grad = 0.081633, b.grad = -0.204082",
                    "5 values, 3 ops>   a.grad = 0.081633, b.grad = -0.204082"):  # fmt: skip
        assert printed in out, printed


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
    first = next(c for c in cells() if c.cell_type == "code")
    assert f'engine = start_lesson("{LESSON}")' in first.source
    assert first.source.rstrip().endswith("engine")
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith("Lesson 03 · Build the Value is not finished yet")
    assert "Lesson 04 starts from the engine you built so far" in out


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
    assert not after.finished  # the exercise is still to pass
    for ex in MODULE.EXERCISES:
        Store().record(ex.id, True, "own")
    assert status.lesson_status(LESSON).finished


# --------------------------------------------------------------------------- study with an AI
def test_the_study_goals_are_the_lessons_goals():
    assert [plain(g) for g in MODULE.STUDY.goals] == bullets(markdown_between("**Goals**"))


def test_the_study_try_it_list_is_the_lessons():
    lesson = bullets(markdown_between("## Try it", "## Quiz"))
    assert len(lesson) == 4
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson)
    for ours, theirs in zip(mine, lesson, strict=True):
        assert ours.split()[:5] == theirs.split()[:5], (ours, theirs)
        assert "\n" not in ours


def test_the_study_notes_are_filled_in():
    s = MODULE.STUDY
    assert len(s.formulas) >= 3 and all(f.strip() for f in s.formulas)
    assert "d(x**n)/dx = n * x**(n-1)" in " ".join(s.formulas)
    assert "(a - b) / (a + b) at a = 5, b = 2" in s.demo
    assert s.demo.count(". ") <= 1  # one or two sentences
    assert not (s.explain or s.demo_focus or s.quiz_focus)  # the default requests


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    assert MODULE.STUDY.formulas[2] in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    Store().save_code(f"{LESSON}.pow", "def __pow__(self, n):\n    return 42\n")
    _, demo, _ = study_with_ai(LESSON)
    assert "# exercise 04.pow" in demo and "return 42" in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
