"""Lesson 03's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the checker and the engine are true."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jupytext
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson03, status
from autograd.course.lesson03 import check_add_mul
from autograd.course.store import Store

LESSON = "03"
MODULE = lesson03
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
SCAFFOLD = carry.reference_source("value_scaffold.py")
ADD_MUL = carry.reference_source("03.add_mul")
ADD_RULE = ("self.grad += out.grad", "other.grad += out.grad")


def make(solution: str = ADD_MUL) -> type:
    namespace: dict = {}
    exec(compile(SCAFFOLD, "<scaffold>", "exec"), namespace)  # noqa: S102 - test fixtures
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    return namespace["Value"]


def assigning_add() -> type:
    """The Try it bullet: `=` instead of `+=` in the rule of `+` only."""
    source = ADD_MUL
    for rule in ADD_RULE:
        assert rule in source
        source = source.replace(rule, rule.replace("+=", "="))
    return make(source)


def grads(cls: type, f, *data: float) -> list[float]:
    xs = [cls(d) for d in data]
    f(*xs).backward()
    return [x.grad for x in xs]


def test_with_assignment_in_plus_the_check_fails_just_the_expressions_the_quiz_says():
    question = next(q for q in MODULE.QUIZ if q.id == "03.assign")
    right = question.choices[question.answer].text.strip("`")
    wrong = [c.text.strip("`") for i, c in enumerate(question.choices) if i != question.answer]
    for seed in (1, 2, 3):
        report = check_add_mul(assigning_add(), seed=seed, save=False)
        assert report.failed_rules == ["add"]
        failed = {f.expression for f in report.failures}
        unjudged = {f.expression for r in report._rules for f in r.blocked}
        assert failed == {"c = a + a", "d = (a + b) + a"}
        assert "e = (a + b) * (a * c)" in unjudged
        assert right not in failed | unjudged
        assert set(wrong) <= failed | unjudged
        text = str(report)
        assert "expected a.grad = 2.0" in text and "got 1.0" in text
        assert "could not be judged: it also uses +, which needs fixing first" in text
    broken, reference = assigning_add(), make()
    a, b, c = 2.0, -3.0, 4.0
    assert grads(broken, lambda a, b: a * b + a, a, b) == [b + 1, a]  # still right
    assert grads(broken, lambda a: a + a, a) == [1.0]
    assert grads(broken, lambda a, b: (a + b) + a, a, b) == [1.0, 1.0]
    # (a + b) * (a * c): the + overwrites the share from a * c, leaving a·c only
    assert grads(broken, lambda a, b, c: (a + b) * (a * c), a, b, c)[0] == a * c
    assert grads(reference, lambda a, b, c: (a + b) * (a * c), a, b, c)[0] == a * c + (a + b) * c


def test_the_checker_names_the_own_value_slip_as_the_quiz_quotes_it():
    own = ADD_MUL.replace("self.grad += other.data * out.grad", "self.grad += self.data * out.grad")
    assert own != ADD_MUL
    report = check_add_mul(make(own), seed=4, save=False)
    assert "mul" in report.failed_rules
    assert "You multiplied by a's own value" in str(report)
    assert "You multiplied by a's own value" in MODULE.QUIZ[0].choices[1].why


def test_the_two_copy_loss_and_a_second_backward_give_the_quoted_numbers():
    Value = make()
    w, x, y = Value(3.0), Value(2.0), Value(5.0)
    L = (w * x + Value(-1) * y) * (w * x + Value(-1) * y)
    L.backward()
    u, v = L._prev
    assert (u.data, v.data, u.grad, v.grad, w.grad) == (1.0, 1.0, 1.0, 1.0, 4.0)
    L.backward()
    assert w.grad == 8.0
    for leaf in (w, x, y):  # the Try it bullet: after zero_grad, three more calls
        leaf.grad = 0.0
    L.backward()
    for _ in range(3):
        L.backward()
    assert w.grad == 16.0


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
    assert first.source == f'from autograd import start_lesson\n\nstart_lesson("{LESSON}")'
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith("Lesson 02 · The chain rule is not finished yet")
    assert out.endswith("Lesson 03 needs no code from earlier lessons.")


def test_the_cells_the_browser_test_finds_are_unchanged():
    code = [c.source for c in cells() if c.cell_type == "code"]
    assert "check_add_mul(Value)" in code
    assert any("rules = animate_backward(f)" in c for c in code)


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
    assert len(lesson) == 3
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson)
    for ours, theirs in zip(mine, lesson, strict=True):
        assert ours.split()[:5] == theirs.split()[:5], (ours, theirs)
        assert "\n" not in ours


def test_the_study_notes_are_filled_in():
    s = MODULE.STUDY
    assert len(s.formulas) >= 3 and all(f.strip() for f in s.formulas)
    assert "a.grad += b.data * out.grad" in " ".join(s.formulas)
    assert "f = (a + b) * c at a = 1.5, b = 0.5, c = -2" in s.demo
    assert s.demo.count(". ") <= 1  # one or two sentences
    assert not (s.explain or s.demo_focus or s.quiz_focus)  # the default requests


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    assert MODULE.STUDY.formulas[2] in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    Store().save_code(f"{LESSON}.add_mul", "def __add__(self, other):\n    return 42\n")
    _, demo, _ = study_with_ai(LESSON)
    assert "# exercise 03.add_mul" in demo and "return 42" in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
