"""Lesson 09's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the lesson's training run and the tensor engine are true."""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import jupytext
import numpy as np
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson09, status
from autograd.course.store import Store

LESSON = "09"
MODULE = lesson09
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


def outputs() -> str:
    """Everything the executed notebook printed."""
    nb = json.loads(NOTEBOOK.read_text())
    text = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                text.append("".join(out["data"]["text/plain"]))
    return "\n".join(text)


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
def lesson_namespace() -> dict:
    """The lesson's code run as the notebook runs it, up to the definition of ``train``
    (pictures left out), with an empty store: the reference solutions are in use."""
    namespace: dict = {}
    for cell in cells():
        if cell.cell_type != "code" or "plt.show()" in cell.source:
            continue
        if "def train(" in cell.source:
            namespace["_train_cell"] = cell.source
            return namespace
        exec(compile(cell.source, f"<lesson {LESSON}>", "exec"), namespace)  # noqa: S102
    raise AssertionError("lesson 09 defines no train()")


def define_train(namespace: dict, *edits: tuple[str, str]) -> None:
    """Define the lesson's ``train`` (only the function, not the run after it), edited."""
    source = namespace["_train_cell"]
    (node,) = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    code = ast.get_source_segment(source, node)
    for old, new in edits:
        assert old in code, f"edit does not apply: {old!r}"
        code = code.replace(old, new)
    exec(compile(code, f"<lesson {LESSON}: train>", "exec"), namespace)  # noqa: S102


def test_without_zero_grad_training_falls_apart_as_the_quiz_says():
    """The Try it bullet: `optimizer.zero_grad()` commented out, seed 0, 30 epochs."""
    namespace = lesson_namespace()
    define_train(namespace, ("optimizer.zero_grad()", "pass  # optimizer.zero_grad()"))
    _, history = namespace["train"](seed=0)
    losses, test_acc = history["loss"], history["test_acc"]
    log10 = np.log(10)
    assert losses[0] < log10  # "the loss falls at first"
    assert max(losses[:5]) > log10  # "within a few epochs it is above"
    assert losses[-1] > log10  # "then climbs back above log 10"
    assert test_acc[-1] < 0.15  # "the test accuracy ends near 10 %: chance"
    q = question("09.no_zero_grad")
    assert q.choices[q.answer].text == "The loss falls at first, then climbs back above log 10"


def test_the_try_it_edits_run_as_the_list_words_them():
    """Each Try it bullet works as written: the composed loss pasted into `train` (its
    `scores` and `labels` are train's own), and train's hidden=, optimizer_class=,
    train_images=/train_labels= arguments."""
    text = try_it_text()
    composed = "(scores.log_softmax() * np.eye(10)[labels]).sum() * (-1 / len(labels))"
    assert "`loss = cross_entropy(scores, labels)`" in text and f"`loss = {composed}`" in text
    namespace = lesson_namespace()
    define_train(namespace)
    _, fused = namespace["train"](seed=0, epochs=1)
    define_train(namespace, ("loss = cross_entropy(scores, labels)", "loss = " + composed))
    _, mixed = namespace["train"](seed=0, epochs=1)
    assert mixed["nodes"] > fused["nodes"]  # "one step's graph has more nodes"
    assert abs(mixed["test_acc"][-1] - fused["test_acc"][-1]) < 0.02  # "about the same"
    assert mixed["seconds"] > 0 and 'history["seconds"]' in text
    define_train(namespace)
    train, X_train, y_train = namespace["train"], namespace["X_train"], namespace["y_train"]
    model, _ = train(seed=0, epochs=1, hidden=16)
    assert model.hidden.W.shape == (64, 16) and model.output.W.shape == (16, 10)
    assert "train(seed=0, hidden=16)" in text
    _, small = train(seed=0, epochs=2, train_images=X_train[:200], train_labels=y_train[:200])
    assert len(small["loss"]) == 2
    assert "train_images=X_train[:200], train_labels=y_train[:200], epochs=150" in text
    made = []

    class Momentum(namespace["SGD"]):
        def __init__(self, params, lr):
            super().__init__(params, lr)
            made.append(lr)

    train(seed=0, epochs=1, optimizer_class=Momentum, lr=0.05)
    assert made == [0.05] and "optimizer_class=Momentum, lr=0.05" in text


def test_leaf_gradients_accumulate_across_backward_calls():
    """What the first option of the zero_grad question misses: backward() resets only the
    intermediate nodes' gradients; the weights' (the leaves') add up."""
    namespace, _ = carry.build("tensor", "10")
    Tensor, cross_entropy = namespace["Tensor"], namespace["cross_entropy"]
    W = Tensor(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]]))
    loss = cross_entropy(Tensor(np.array([[1.0, 2.0]])) @ W, [2])
    loss.backward()
    once = W.grad.copy()
    loss.backward()
    np.testing.assert_allclose(W.grad, 2 * once)
    namespace["SGD"]([W], lr=0.1).zero_grad()
    assert isinstance(W.grad, np.ndarray) and not W.grad.any()  # zeros, not None


def test_the_gradient_of_the_true_class_is_p_minus_one_over_n():
    namespace, _ = carry.build("tensor", "10")
    Tensor, cross_entropy = namespace["Tensor"], namespace["cross_entropy"]
    n, p = 4, 0.9
    # row 0: the true class 0 gets probability 0.9, the other two share the rest
    rest = np.log((1 - p) / 2 / p)
    logits = Tensor(np.array([[0.0, rest, rest], [0.2, -0.1, 0.4], [1.0, 0.0, 0.0], [0, 0, 3]]))
    loss = cross_entropy(logits, [0, 1, 2, 0])
    loss.backward()
    probs = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    assert probs[0, 0] == pytest.approx(p)
    assert logits.grad[0, 0] == pytest.approx((p - 1) / n) == pytest.approx(-0.1 / n)
    assert logits.grad[0, 1] == pytest.approx(probs[0, 1] / n)  # a wrong class: p_i / N
    assert -np.log(p) == pytest.approx(0.105, abs=5e-4)
    assert -np.log(0.001) == pytest.approx(6.9, abs=0.05)
    # the lesson's two examples: (0.659 - 1) / 2 and 0.802 / 2
    text = outputs()
    assert "[[-0.1705  0.1212  0.0493]" in text and "[ 0.0543  0.4012 -0.4555]]" in text
    assert (0.659 - 1) / 2 == pytest.approx(-0.1705, abs=1e-4)
    assert 0.802 / 2 == pytest.approx(0.4012, abs=2e-4)


def test_the_numbers_the_test_set_and_start_questions_quote_are_printed():
    text = outputs()
    assert "training set: (1437, 64) float64   test set: (360, 64)" in text
    assert "after the last epoch: training accuracy 99.3%, test accuracy 97.5%" in text
    assert "before training: loss 2.30 (log 10 = 2.30), test accuracy 7.5%" in text
    assert "order = np.random.default_rng(0).permutation(len(X))" in SOURCE.read_text()
    # the initial weights are uniform in ±1/√n_in, and both layers have 64 inputs
    namespace, _ = carry.build("tensor", "10")
    for n_in, n_out in [(64, 64), (64, 10)]:
        layer = namespace["Linear"](n_in, n_out, np.random.default_rng(0))
        assert np.abs(layer.W.data).max() <= 0.125 and np.abs(layer.b.data).max() <= 0.125
    assert 'history["train_acc"]' in SOURCE.read_text()


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
    assert headings[-4:] == order
    code = [c.source for c in cells()]
    study = code.index(f'study_with_ai("{LESSON}")')
    assert "## Study this lesson with an AI" in code[study - 1]
    assert "nothing is sent anywhere" in code[study - 1]
    assert code.index(f'quiz("{LESSON}")') < study


def test_the_first_code_cell_shows_the_previous_lessons_banner():
    first = next(c for c in cells() if c.cell_type == "code")
    assert f'engine = start_lesson("{LESSON}")' in first.source
    assert first.source.splitlines()[-1] == "engine"
    assert "whether you have finished lesson 08" in plain(
        markdown_between("**Goals**", "## The idea")
    )
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith("Lesson 08 · Tensors is not finished yet")
    assert "You can go on" in out
    assert "Lesson 09 starts from the engine you built so far" in out


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
    assert len(lesson) == 5
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson)
    for ours, theirs in zip(mine, lesson, strict=True):
        assert ours.split()[:5] == theirs.split()[:5], (ours, theirs)
        assert "\n" not in ours


def test_the_study_notes_are_filled_in():
    s = MODULE.STUDY
    assert len(s.formulas) >= 3 and all(f.strip() for f in s.formulas)
    assert "(softmax(scores) - onehot(labels)) / N" in " ".join(s.formulas)
    assert "64-64-10 MLP" in s.demo and "97.5 %" in s.demo
    assert s.demo.count(". ") <= 1  # one or two sentences
    assert not (s.explain or s.demo_focus or s.quiz_focus)  # the default requests


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    assert MODULE.STUDY.formulas[2] in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    Store().save_code(f"{LESSON}.sgd", "class SGD:\n    lr = 42\n")
    _, demo, _ = study_with_ai(LESSON)
    assert "# exercise 09.sgd" in demo and "lr = 42" in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
