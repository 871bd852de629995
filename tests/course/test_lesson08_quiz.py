"""Lesson 08's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the checker and the tensor engine are true."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jupytext
import numpy as np
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson08, status
from autograd.course.lesson08 import check_tensor_add_mul
from autograd.course.store import Store

LESSON = "08"
MODULE = lesson08
ROOT = Path(__file__).resolve().parents[2]
(SOURCE,) = sorted((ROOT / "lessons").glob(f"{LESSON}_*.py"))
NOTEBOOK = ROOT / "notebooks" / f"{SOURCE.stem}.ipynb"
PIECES = ["08.unbroadcast", "08.add_mul", "08.matmul", "08.reduce", "08.relu", "08.exp_log"]


def cells() -> list:
    return jupytext.read(SOURCE, fmt="py:percent").cells


def plain(text: str) -> str:
    """Markdown or HTML as plain words: no tags, emphasis, code marks, maths marks or ✏️."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = text.replace("\\top", "T")  # $v^\top J$ reads v^T J
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


def notebook_text() -> str:
    """Everything the executed notebook printed."""
    out = []
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text") or o.get("data", {}).get("text/plain", "")))
    return "\n".join(out)


def question(qid: str):
    return next(q for q in MODULE.QUIZ if q.id == qid)


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
def engine(add_mul: str | None = None) -> dict:
    """The reference tensor engine (scaffold + every 08 solution) in a fresh namespace, with
    ``add_mul`` (a changed source of the ``08.add_mul`` solution) in its place if given."""
    ns: dict = {"np": np, "__name__": "engine08"}
    exec(carry.reference_source("tensor_scaffold.py"), ns)  # noqa: S102 - test fixtures
    for piece in PIECES:
        source = carry.reference_source(piece)
        if piece == "08.add_mul" and add_mul is not None:
            source = add_mul
        exec(source, ns)  # noqa: S102
    return ns


ADD_MUL = carry.reference_source("08.add_mul")
MUL_RULE = (
    "self.grad += unbroadcast(other.data * out.grad",
    "other.grad += unbroadcast(self.data * out.grad",
)


def assigning_mul() -> type:
    """The Try it bullet: `=` instead of `+=` in the rule of `*` only."""
    source = ADD_MUL
    for rule in MUL_RULE:
        assert source.count(rule) == 1
        source = source.replace(rule, rule.replace("+=", "="))
    return engine(source)["Tensor"]


def expression(option: str) -> str:
    """The checker's expression an option quotes: its first code span."""
    return re.match(r"`([^`]+)`", option).group(1)


def test_with_assignment_in_times_the_check_fails_the_expressions_the_quiz_says():
    q = question("08.assign")
    right = expression(q.choices[q.answer].text)
    wrong = [expression(c.text) for i, c in enumerate(q.choices) if i != q.answer]
    for seed in (1, 2, 3):
        report = check_tensor_add_mul(assigning_mul(), seed=seed, save=False)
        assert report.failed_rules == ["mul", "+ and * together"], str(report)
        failed = {f.expression for f in report.failures}
        unjudged = {f.expression for r in report._rules for f in r.blocked}
        # the question's given failure, its answer and the one its explanation adds
        assert failed == {"c = a * a", right, "s = a - b; d = s * s"}
        assert right == "d = a * b + a" and "s = a - b; d = s * s" in q.choices[q.answer].why
        assert "`c = a * a` fails" in q.text
        assert not set(wrong) & (failed | unjudged)  # they are judged, and pass
        assert unjudged == {"d = a * b + a"}  # only the run through the class's own backward()
        assert "mul with broadcasting" not in report.failed_rules  # every broadcast case passes
        for f in report.failures:
            assert "An input used twice must collect gradient from *both* uses" in f.hint
            assert "The rule of `*` overwrites" in f.hint
        assert "an input used twice must collect gradient" in q.choices[q.answer].why.lower()
    # the half: a * a seeded with v leaves a.data * v, where a.data * v + a.data * v is right
    T = assigning_mul()
    rng = np.random.default_rng(0)
    a, v = T(rng.normal(size=(2, 3))), rng.normal(size=(2, 3))
    (a * a).backward(grad=v)
    assert np.allclose(a.grad, a.data * v) and not np.allclose(a.grad, 2 * a.data * v)
    # d = a * b + a: the rule of + runs first, then * overwrites its share
    a, b = T(rng.normal(size=(2, 3))), T(rng.normal(size=(2, 3)))
    (a * b + a).backward(grad=v)
    assert np.allclose(a.grad, b.data * v) and not np.allclose(a.grad, b.data * v + v)


def test_the_other_slip_of_the_try_it_bullet_fails_first_at_c_equals_a_times_b():
    own = ADD_MUL.replace(MUL_RULE[0], "self.grad += unbroadcast(self.data * out.grad")
    assert own != ADD_MUL
    report = check_tensor_add_mul(engine(own)["Tensor"], seed=5, save=False)
    assert report.failures[0].expression == "c = a * b"
    assert "You multiplied by a's own data" in report.failures[0].hint
    # and the bullet's one-liner lists the failing expressions
    assert [f.expression for f in report.failures][0] == "c = a * b"


def test_the_bias_gradients_are_the_ones_the_quiz_quotes():
    T = engine()["Tensor"]
    z, b = T(np.arange(12.0).reshape(4, 3)), T(np.array([100.0, 200.0, 300.0]))
    (z + b).backward()  # the seed: all ones
    assert b.grad.shape == (3,) and b.grad.tolist() == [4.0, 4.0, 4.0]
    G = np.arange(1.0, 13.0).reshape(4, 3)
    b = T(np.array([100.0, 200.0, 300.0]))
    (z + b).backward(grad=G)
    assert b.grad.tolist() == [22.0, 26.0, 30.0]
    one = T(0.0)  # a bias of shape (): every axis summed
    (z + one).backward()
    assert one.grad.shape == () and float(one.grad) == 12.0
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        grad = np.zeros(3)
        grad += np.ones((4, 3))  # the `+=` without unbroadcast
    why = question("08.bias").choices[1].why
    assert "[22, 26, 30]" in why and "b.grad         = [22. 26. 30.]" in notebook_text()


def test_the_matmul_options_have_the_shapes_the_quiz_says():
    T = engine()["Tensor"]
    rng = np.random.default_rng(1)
    A_np, B_np, G = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(5, 2))
    A, B = T(A_np), T(B_np)
    (A @ B).backward(grad=G)
    assert np.allclose(A.grad, G @ B_np.T)  # the answer
    assert np.allclose(B.grad, A_np.T @ G) and (A_np.T @ G).shape == (3, 2)  # that is dL/dB
    for product in (lambda: G @ B_np, lambda: B_np.T @ G):  # these cannot even run
        with pytest.raises(ValueError):
            product()
    q = question("08.matmul")
    assert q.choices[q.answer].text == "`G @ B.T`"


def test_the_speed_question_quotes_the_lessons_numbers():
    printed = notebook_text()
    assert "loss with Values:  1.015658" in printed and "loss with Tensors: 1.015658" in printed
    assert "same gradients in all 6 parameter arrays: True" in printed
    assert "with Values:  21,972 nodes" in printed and "with Tensors:     19 nodes" in printed
    assert "64 points, with Values:  43,604 nodes" in printed
    whys = " ".join(c.why for c in question("08.speed").choices)
    for quoted in ("1.015658", "all 6 gradient arrays", "43,604", "19", "float64"):
        assert quoted in whys
    assert engine()["Tensor"]([1, 2]).data.dtype == np.float64


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
    nb = NOTEBOOK.read_text()
    for q in MODULE.QUIZ:
        for c in q.choices:
            assert json.dumps(c.why)[1:-1] not in nb


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
    assert first.source.splitlines()[-1] == "engine"
    assert "whether you have finished lesson 07" in markdown_between("**Goals**", "## The idea")
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith("Lesson 07 · A neural net is not finished yet")
    assert "Lesson 08 starts from the engine you built so far" in out


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
    assert len(lesson) == 4
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson)
    for ours, theirs in zip(mine, lesson, strict=True):
        assert ours.split()[:6] == theirs.split()[:6], (ours, theirs)
        assert "\n" not in ours


def test_the_study_notes_are_filled_in():
    s = MODULE.STUDY
    assert len(s.formulas) >= 5 and all(f.strip() for f in s.formulas)
    formulas = " ".join(s.formulas)
    for rule in ("a.grad += unbroadcast(out.grad, a.shape)", "dL/dA = G @ B.T",
                 "dL/dB = A.T @ G", "v^T J"):  # fmt: skip
        assert rule in formulas
    assert "21,972 Value nodes against 19 Tensor nodes" in s.demo
    assert s.demo.count(". ") <= 1  # one or two sentences
    assert not (s.explain or s.demo_focus or s.quiz_focus)  # the default requests


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    assert MODULE.STUDY.formulas[6] in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    Store().save_code(f"{LESSON}.matmul", "def __matmul__(self, other):\n    return 42\n")
    _, demo, _ = study_with_ai(LESSON)
    assert "# exercise 08.matmul" in demo and "return 42" in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
    assert "b.grad = [3. 1.]" in notebook_text() and "b.grad = [3, 1]" in MODULE.STUDY.demo
