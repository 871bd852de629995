"""Lesson 07's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the lesson's training runs and the learner's Value are true."""

from __future__ import annotations

import ast
import gc
import html
import json
import random
import re
import weakref
from pathlib import Path

import jupytext
import matplotlib
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson07, status
from autograd.course.store import Store

matplotlib.use("Agg")

LESSON = "07"
MODULE = lesson07
ROOT = Path(__file__).resolve().parents[2]
(SOURCE,) = sorted((ROOT / "lessons").glob(f"{LESSON}_*.py"))
NOTEBOOK = ROOT / "notebooks" / f"{SOURCE.stem}.ipynb"
PREVIOUS_BANNER = "Lesson 06 · Forward vs reverse mode is not finished yet"
TRY_IT_BULLETS = 7
SAVED = ("07.training", "def train_step(model, loss_fn, X, y, learning_rate):\n    return 42\n")


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
@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> dict:
    """The lesson's code run as the notebook runs it, up to the definition of ``train``
    (pictures left out, and not the training run itself), with an empty store: the
    reference solutions are in use. Also the source of the cells used below."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUTOGRAD_HOME", str(tmp_path_factory.mktemp("autograd-home")))
        return run_lesson()


def run_lesson() -> dict:
    namespace: dict = {}
    code = [c.source for c in cells() if c.cell_type == "code"]
    for source in code:
        if "plt.show()" in source:
            continue
        if "def train(" in source:
            tree = ast.parse(source)
            first_run = next(
                i for i, n in enumerate(tree.body) if "train(" in ast.unparse(n) and
                not isinstance(n, ast.FunctionDef)
            )  # fmt: skip
            setup = ast.Module(body=tree.body[:first_run], type_ignores=[])
            exec(compile(setup, f"<lesson {LESSON}: train>", "exec"), namespace)  # noqa: S102
            namespace["_train_cell"] = source
            break
        exec(compile(source, f"<lesson {LESSON}>", "exec"), namespace)  # noqa: S102
    (namespace["_forgetful_cell"],) = [s for s in code if "def train_step_without_zero_grad" in s]
    return namespace


def function_source(cell: str, name: str) -> str:
    (node,) = [n for n in ast.parse(cell).body if isinstance(n, ast.FunctionDef) and
               n.name == name]  # fmt: skip
    source = ast.get_source_segment(cell, node)
    assert source is not None
    return source


def define(namespace: dict, cell: str, name: str, *edits: tuple[str, str]) -> dict:
    """A copy of ``namespace`` in which the lesson's function ``name`` (from ``cell``) is
    defined again, edited as the Try it list says."""
    code = function_source(cell, name)
    for old, new in edits:
        assert old in code, f"edit does not apply: {old!r}"
        code = code.replace(old, new)
    namespace = dict(namespace)
    exec(compile(code, f"<lesson {LESSON}: {name}>", "exec"), namespace)  # noqa: S102
    return namespace


def test_zero_grad_after_backward_keeps_the_starting_weights(lesson, capsys):
    """The Try it bullet: `model.zero_grad()` put back in `train_step_without_zero_grad`, but
    after `loss.backward()`; then the cell's own 5-epoch run."""
    cell = lesson["_forgetful_cell"]
    namespace = define(
        lesson,
        cell,
        "train_step_without_zero_grad",
        ("    loss.backward()", "    loss.backward()\n    model.zero_grad()"),
    )
    run = [n for n in ast.parse(cell).body if not isinstance(n, ast.FunctionDef)][:2]
    assert "forgetful = MLP(2, [8, 8, 1], rng=random.Random(0))" in ast.unparse(run[0])
    assert "train(forgetful, train_step_without_zero_grad, 5" in ast.unparse(run[1])
    capsys.readouterr()
    exec(compile(ast.Module(run, []), "<try it>", "exec"), namespace)  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 5
    for epoch, line in enumerate(printed, 1):
        assert line == (
            f"epoch  {epoch} (step {10 * epoch:>3}): mean batch loss 1.7632, "
            "training accuracy 49.4%"
        )
    start = namespace["MLP"](2, [8, 8, 1], rng=random.Random(0))
    moved = [p.data for p in namespace["forgetful"].parameters()]
    assert moved == [p.data for p in start.parameters()]  # not one weight has moved
    q = question("07.zero_grad_after")
    assert "1.7632" in q.choices[q.answer].text and "49.4 %" in q.choices[q.answer].why


BETWEEN = "between `loss.backward()` and the update loop"


def test_the_zero_grad_bug_says_where_exactly():
    """ "After loss.backward()" would have two right answers: right after it (nothing moves,
    above) or at the end of the step (below: it trains as normal). The Try it bullet, the
    question and the study prompt all say "between backward() and the update loop"."""
    assert plain(BETWEEN) in plain(markdown_between("## Try it", "## Quiz"))
    assert BETWEEN in question("07.zero_grad_after").text
    assert plain(BETWEEN) in plain(MODULE.STUDY.try_it[0])


def test_zero_grad_at_the_end_of_the_step_trains_as_normal(lesson):
    """Also "after loss.backward()", but harmless: the next step starts from zeroed grads."""
    cell = lesson["_forgetful_cell"]
    at_the_end = define(
        lesson,
        cell,
        "train_step_without_zero_grad",
        ("    return loss.data", "    model.zero_grad()\n    return loss.data"),
    )
    model = lesson["MLP"](2, [8, 8, 1], rng=random.Random(0))
    normal = lesson["train"](model, lesson["train_step"], 1, report_every=5)
    model = lesson["MLP"](2, [8, 8, 1], rng=random.Random(0))
    end = lesson["train"](model, at_the_end["train_step_without_zero_grad"], 1, report_every=5)
    assert end == normal  # the same 10 losses as the right order


def test_after_editing_an_exercise_its_solution_cell_decides_what_trains(lesson):
    """The Try it note: a train_step the learner redefines is what the training uses until
    its check and Solution cell run again; a failing one is then replaced by the reference."""
    namespace = define(
        lesson,
        "\n".join(c.source for c in cells() if "exercise" in c.metadata.get("tags", [])),
        "train_step",
        (
            '    raise NotImplementedError("train_step: forward, zero_grad, backward, update")',
            "    return loss_fn(model, X, y).data  # no step at all",
        ),
    )
    wrong = namespace["train_step"]
    assert not lesson["check_training"](wrong)  # it fails its check, yet it is still in use:
    assert namespace["train_step"] is wrong
    (solution,) = [c.source for c in cells() if 'prefer_yours("07.training")' in c.source]
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    assert namespace["train_step"] is not wrong
    assert lesson["check_training"](namespace["train_step"], save=False)  # the reference


def test_the_l2_penalty_is_part_of_the_loss_zero_grad_wipes(lesson):
    """What the 'only the L2 penalty is left' option misses: the penalty is in `loss`, and
    zero_grad() resets every parameter's grad."""
    assert "return data_loss + l2" in function_source(
        "\n".join(c.source for c in cells() if "def hinge_loss" in c.source), "hinge_loss"
    )
    model = lesson["MLP"](2, [8, 8, 1], rng=random.Random(0))
    loss = lesson["hinge_loss"](model, lesson["X_train"][:16], lesson["y_train"][:16])
    loss.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_parameter_grads_add_up_and_intermediate_grads_are_reset():
    """What the wrong options of "a third backward()" miss, on the Value the lesson runs on:
    the leaf's grad adds the same gradient each time (1×, 2×, 3×: not reset, not doubled),
    the intermediate grads are reset, and the graph can be run backward again."""
    namespace, _ = carry.build("value", LESSON)
    Value = namespace["Value"]
    w, x = Value(0.5), Value(2.0)
    h = (w * x).relu()
    out = h * 3.0
    out.backward()
    assert (w.grad, h.grad) == (6.0, 3.0)
    out.backward()
    assert (w.grad, h.grad) == (12.0, 3.0)  # the leaf adds up, the intermediate is reset
    out.backward()
    assert (w.grad, h.grad) == (18.0, 3.0)  # 3 × the first, not 4 ×
    q = question("07.zero_grad")
    assert q.choices[q.answer].text.startswith("3 × the first")


def test_the_lesson_runs_backward_twice_on_the_same_batch_loss():
    (cell,) = [c.source for c in cells() if "first = w.grad" in c.source]
    assert cell.count("batch_loss.backward()") == 2 and "zero_grad()" in cell.split("first")[0]


def train_once(namespace: dict, *edits: tuple[str, str]) -> list[float]:
    namespace = define(namespace, namespace["_train_cell"], "train", *edits)
    model = namespace["MLP"](2, [8, 8, 1], rng=random.Random(0))
    return namespace["train"](model, namespace["train_step"], 1, report_every=5)


def test_the_collector_changes_no_number(lesson):
    """The Try it bullet 'Leave the collector alone', for one epoch: the same losses."""
    assert gc.isenabled()
    steered = train_once(lesson)
    assert gc.isenabled()  # train switches automatic collection back on
    alone = train_once(
        lesson,
        ("    gc.disable()  #", "    pass  #"),
        ("                gc.collect(0)  #", "                pass  #"),
    )
    assert len(steered) == 10 and steered == alone


def test_a_steps_graph_is_freed_only_by_the_cycle_collector(lesson):
    """Every node an operation made (not the leaves: they have no rule) is a reference cycle
    of the lesson's Value: dropping the loss frees nothing; gc.collect(0) right after the
    step does."""
    Value = lesson["Value"]
    leaf = Value(1.0)
    assert leaf._backward is None and leaf._prev == ()
    node = leaf * 2.0
    closure = node._backward.__closure__ or ()
    assert any(c.cell_contents is node for c in closure)  # node → its rule → node
    model = lesson["MLP"](2, [8, 8, 1], rng=random.Random(0))
    X, y = lesson["X_train"][:16], lesson["y_train"][:16]
    gc.collect()
    gc.disable()
    try:
        loss = lesson["hinge_loss"](model, X, y)
        loss.backward()
        nodes = [weakref.ref(n) for n in lesson["topological_order"](loss)]
        del loss
        params = {id(p) for p in model.parameters()}
        alive = [r for r in nodes if r() is not None and id(r()) not in params]
        assert len(alive) > 3000  # still in memory: reference counting cannot free cycles
        del alive
        gc.collect(0)
        left = [r for r in nodes if r() is not None and id(r()) not in params]
        assert not [r for r in left if r()._prev], "the step's graph should be freed"
    finally:
        gc.enable()


def test_the_held_out_points_are_the_same_moons_prepared_the_same_way():
    source = SOURCE.read_text()
    assert "X, y = make_moons(460, noise=0.1, rng=rng)" in source
    assert "X_train, y_train = X[:N_TRAIN], y[:N_TRAIN]" in source
    assert "X_test, y_test = X[N_TRAIN:], y[N_TRAIN:]" in source
    assert "MEAN, STD = X_train.mean(axis=0), X_train.std(axis=0)" in source
    predict = function_source(
        "\n".join(c.source for c in cells() if "def predict" in c.source), "predict"
    )
    assert "for a, b in inputs(X)" in predict


PRINTED = [
    "160 training points (79 upper, 81 lower), 300 held-out points",
    "out = 0.3292",
    "grads: w0 0.5000 (= x0), w1 1.0000 (= x1), b 1.0 (= 1, relu is on)",
    "parameters: 105 = (2+1)·8 + (8+1)·8 + (8+1)·1",
    "before training: loss = 1.7632, accuracy = 49%",
    "the loss of a batch of 16 points: 3,778 values",
    "after one backward():  w.grad = 0.156088",
    "after a second one:    w.grad = 0.312175  (2.0 × the first)",
    "epoch  5 (step  50): mean batch loss 0.2198, training accuracy 91.9%",
    "epoch 10 (step 100): mean batch loss 0.0853, training accuracy 99.4%",
    "epoch 15 (step 150): mean batch loss 0.0111, training accuracy 100.0%",
    "epoch 20 (step 200): mean batch loss 0.0051, training accuracy 100.0%",
    "epoch 25 (step 250): mean batch loss 0.0051, training accuracy 100.0%",
    "smallest margin y·s of the 160 training points: 1.013",
    "the L2 penalty α·Σ p² of the trained network: 0.0051",
    "held-out accuracy: 100.0% (300 of 300 points)",
    "epoch  1 (step  10): mean batch loss 1.1611, training accuracy 89.4%",
    "epoch  5 (step  50): mean batch loss 1425.6767, training accuracy 50.6%",
    "epoch 5          0.2198       1426",
    "largest weight after 5 epochs without zero_grad: 2711.3",
]


@pytest.mark.parametrize("printed", PRINTED)
def test_the_lesson_prints_the_numbers_the_explanations_quote(printed):
    assert printed in NOTEBOOK.read_text()


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
    lesson_cells = cells()
    first = next(c for c in lesson_cells if c.cell_type == "code")
    assert f'engine = start_lesson("{LESSON}")' in first.source
    assert first.source.splitlines()[-1] == "engine"
    assert "whether you have finished lesson 06" in plain(
        markdown_between("**Goals**", "## The idea")
    )
    assert lesson_cells.index(first) == 2  # right after the goals and the cell saying so
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith(PREVIOUS_BANNER)
    assert "You can go on" in out
    assert f"Lesson {LESSON} starts from the engine you built so far" in out


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
    lesson_bullets = bullets(markdown_between("## Try it", "## Quiz"))
    assert len(lesson_bullets) == TRY_IT_BULLETS
    mine = [plain(t) for t in MODULE.STUDY.try_it]
    assert len(mine) == len(lesson_bullets)
    for ours, theirs in zip(mine, lesson_bullets, strict=True):
        assert ours.split()[:5] == theirs.split()[:5], (ours, theirs)
        assert "\n" not in ours


def test_the_study_notes_are_filled_in():
    s = MODULE.STUDY
    assert len(s.formulas) >= 3 and all(f.strip() for f in s.formulas)
    formulas = " ".join(s.formulas)
    assert "relu(1 - y·s)" in formulas and "p.data -= learning_rate · p.grad" in formulas
    assert "MLP(2, [8, 8, 1])" in s.demo and "300 of 300" in s.demo
    assert not (s.explain or s.demo_focus or s.quiz_focus)  # the default requests


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
    lesson_numbers = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson_numbers, sorted(quoted - lesson_numbers)
    assert MODULE.STUDY.demo.count(". ") <= 1  # one or two sentences
