"""Every lesson's quiz (in the question bank, not in the lesson's view), its banner and its AI
study prompts, checked by one table of tests run on each of lessons 01 to 10: every wrong
option names its own misconception, one question is on the Try it list, picking an option
gives that option's feedback and records the answer, the first code cell says whether the
previous lesson is finished, and the study notes say what the lesson says (its goals and its
Try it bullets, parsed from the lesson source; the numbers its demo quotes, printed by the
notebook). The few lesson-specific inputs are in the tables below.

What each lesson's explanations claim, checked by running its code or its checkers, is in
``test_lessonNN_quiz.py``."""

from __future__ import annotations

import importlib
import json
import re
from typing import NamedTuple

import pytest
from lesson_text import (
    LESSONS,
    cells,
    code_cells,
    goals,
    notebook,
    numbers,
    outputs,
    plain,
    source,
    try_it_bullets,
    try_it_text,
)

from autograd import quiz, start_lesson, study_with_ai
from autograd.course import status
from autograd.course.store import Store


def module(lesson: str):
    return importlib.import_module(f"autograd.course.lesson{lesson}")


QUESTIONS = [(lesson, i) for lesson in LESSONS for i in range(len(module(lesson).QUIZ))]


def question(item: tuple[str, int]):
    lesson, i = item
    return module(lesson).QUIZ[i]


def question_id(item: tuple[str, int]) -> str:
    return question(item).id


# --------------------------------------------------------------------------- the tables
# How many bullets each lesson's Try it list has.
TRY_IT_BULLETS = {"01": 4, "02": 5, "03": 3, "04": 4, "05": 4, "06": 5, "07": 7, "08": 4,
                  "09": 5, "10": 4}  # fmt: skip

# Lesson 02's Try it question also names the gradients it asks about (`n`, `b`, `s`, `x1`,
# ...), which the list does not quote: only its first two code spans are quoted from the
# list. In every other lesson, all of them are.
TRY_IT_SPANS_QUOTED = {"02": 2}

# The banner: lesson -> (the previous lesson, as the banner names it; what it has done on an
# empty store). Lesson 01 has none.
PREVIOUS = {
    "02": ("01 · Derivatives", "0 of 2 exercises passed, 0 of 4 quiz questions right"),
    "03": ("02 · The chain rule", "0 of 3 exercises passed, 0 of 4 quiz questions right"),
    "04": ("03 · Build the Value", "0 of 1 exercise passed, 0 of 4 quiz questions right"),
    "05": ("04 · More operations", "0 of 3 exercises passed, 0 of 4 quiz questions right"),
    "06": ("05 · How backward works", "0 of 3 exercises passed, 0 of 4 quiz questions right"),
    "07": ("06 · Forward vs reverse mode", "0 of 1 exercise passed, 0 of 4 quiz questions right"),
    "08": ("07 · A neural net", "0 of 4 exercises passed, 0 of 4 quiz questions right"),
    "09": ("08 · Tensors", "0 of 6 exercises passed, 0 of 4 quiz questions right"),
    "10": ("09 · Real digits", "0 of 4 exercises passed, 0 of 4 quiz questions right"),
}
# Where the banner cell stands: right after the goals (1), or after the goals and a cell
# that says what the banner cell loads (2).
BANNER_CELL = {"02": 1, "03": 1, "04": 2, "05": 2, "06": 2, "07": 2, "08": 1, "09": 2, "10": 2}
# These start from no earlier code: the banner cell only shows the banner. The others load
# the engine built so far (``engine = start_lesson(...)``) and show it.
NEEDS_NO_CODE = {"02", "03"}

# What each lesson's study notes must quote: in its key formulas, and in its demo.
FORMULA_QUOTES = {
    "03": ["a.grad += b.data * out.grad"],
    "04": ["d(x**n)/dx = n * x**(n-1)"],
    "07": ["relu(1 - y·s)", "p.data -= learning_rate · p.grad"],
    "08": [
        "a.grad += unbroadcast(out.grad, a.shape)",
        "dL/dA = G @ B.T",
        "dL/dB = A.T @ G",
        "v^T J",
    ],
    "09": ["(softmax(scores) - onehot(labels)) / N"],
    "10": ["2·n·k·m FLOPs"],
}
DEMO_QUOTES = {
    "01": ["f'(2) = 3·2² - 2 = 10", "x = 1.3"],
    "02": ["w.grad = 4, x.grad = 6, y.grad = -2", "tanh"],
    "03": ["f = (a + b) * c at a = 1.5, b = 0.5, c = -2"],
    "04": ["(a - b) / (a + b) at a = 5, b = 2"],
    "05": ["L = (w·x - 3)² with w = 0.5 and x = 2"],
    "06": ["Dual(value=12, deriv=14)", "8,571 symbols"],
    "07": ["MLP(2, [8, 8, 1])", "300 of 300"],
    "08": ["21,972 Value nodes against 19 Tensor nodes", "b.grad = [3, 1]"],
    "09": ["64-64-10 MLP", "97.5 %"],
    "10": ["36 layers of 128 units", "6.625 MiB"],
}


class Request(NamedTuple):
    """A request a lesson writes itself instead of the default one: words it must hold, and
    words it must not."""

    holds: tuple[str, ...]
    lacks: tuple[str, ...] = ()


# (lesson, request) -> the lesson's own request. Every other request is the default one.
REQUESTS = {
    # lesson 01's demo is about errors and step sizes, not gradients: its walkthrough says so
    ("01", "demo_focus"): Request(("errors",), lacks=("gradients",)),
    # what loss.backward() does, step by step, on the 3-op example
    ("05", "demo_focus"): Request(
        ("loss.backward()", "step by step", "3-op example", "L = (w·x - 3)²", "w = 0.5", "x = 2")
    ),
    # reverse mode, forward mode (dual numbers) and symbolic differentiation compared
    ("06", "explain"): Request(
        ("reverse mode", "forward mode", "dual numbers", "symbolic differentiation")
    ),
    # the memory/compute trade-off of backpropagation and gradient checkpointing
    ("10", "explain"): Request(
        (
            "memory/compute trade-off",
            "backpropagation",
            "gradient checkpointing",
            "twice the forward pass",
            "recompute",
            "one paragraph",
        )
    ),
}
PROMPT = {"explain": 0, "demo_focus": 1, "quiz_focus": 2}  # which prompt each request ends
DEFAULT_REQUEST = {  # words of each default request that a lesson's own does not repeat
    "explain": "Explain the idea of this lesson",
    "demo_focus": "why the gradients come out as they do",
    "quiz_focus": "Mix predicting outputs with explaining why",
}

# An exercise's code the learner saved (for the demo prompt): lesson -> (exercise, code).
SAVED = {
    "01": ("01.dg", "def dg(x):\n    return 4 * x**3 - 6 * x - 1 / x**2\n"),
    "02": ("02.gates", "def add_backward(a, b, out_grad):\n    return 1, 1\n"),
    "03": ("03.add_mul", "def __add__(self, other):\n    return 42\n"),
    "04": ("04.pow", "def __pow__(self, n):\n    return 42\n"),
    "05": ("05.backward", "def backward(self):\n    return 42\n"),
    "06": ("06.dual", "class Dual:\n    pass\n"),
    "07": ("07.training", "def train_step(model, loss_fn, X, y, learning_rate):\n    return 42\n"),
    "08": ("08.matmul", "def __matmul__(self, other):\n    return 42\n"),
    "09": ("09.sgd", "class SGD:\n    lr = 42\n"),
    "10": ("10.checkpoint", "def checkpoint(fn, x):\n    return 42\n"),
}

# Lines the executed notebook prints that a lesson's quiz explanations (and lesson 08's
# demo) quote.
PRINTED = {
    "04": [
        "a.grad = 1.0",
        "tanh   0.5    0.786448",
        " 3.0      0.0099",
        "    tanh      0.786       0.64      0.393",
        "8 values, 5 ops>   a.grad = 0.081633, b.grad = -0.204082",
        "5 values, 3 ops>   a.grad = 0.081633, b.grad = -0.204082",
    ],
    "05": [
        "walk 1 (every reach): m.grad = 5.0,  x.grad = 42.0",
        "walk 2 (first reach): m.grad = 5.0,  x.grad = 12.0",
        "Python's recursion limit: 1000",
        "depth   500: the backward() given in lesson 03 works",
        "depth  2000: RecursionError",
        "depth 100000: d(x·1.001^100000)/dx",
        "Value (closures)           : 7 objects per node",
        "FreeValue (rules take out) : 0 objects per node",
        "one dropped node c = a * b leaves 7 objects for the collector:",
        "the rule's __closure__: a tuple of 3 cells",
        "with FreeValue: 0 objects",
        "L.backward():       w.grad = -8.0,  x.grad = -2.0,  e.grad = -4.0",
        "L.backward() again: w.grad = -16.0,  x.grad = -4.0,  e.grad = -4.0",
    ],
    "06": [
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
    ],
    "07": [
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
    ],
    "08": ["b.grad = [3. 1.]"],  # the demo's b.grad = [3, 1]
}


def test_the_tables_cover_the_lessons():
    assert set(TRY_IT_BULLETS) == set(SAVED) == set(DEMO_QUOTES) == set(LESSONS)
    assert set(PREVIOUS) == set(BANNER_CELL) == set(LESSONS) - {"01"}
    assert NEEDS_NO_CODE <= set(PREVIOUS)
    assert set(FORMULA_QUOTES) | {lesson for lesson, _ in REQUESTS} | set(PRINTED) | set(
        TRY_IT_SPANS_QUOTED
    ) <= set(LESSONS)


# --------------------------------------------------------------------------- the questions
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_quiz_has_three_or_four_questions_with_the_lessons_ids(lesson):
    ids = [q.id for q in module(lesson).QUIZ]
    assert 3 <= len(ids) <= 4
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"{lesson}\.[a-z_]+", i) for i in ids), ids


@pytest.mark.parametrize("item", QUESTIONS, ids=question_id)
def test_every_option_has_its_own_explanation(item):
    q = question(item)
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


@pytest.mark.parametrize("item", QUESTIONS, ids=question_id)
def test_the_right_option_does_not_stand_out_by_length(item):
    q = question(item)
    lengths = [len(c.text) for c in q.choices]
    right = lengths[q.answer]
    others = lengths[: q.answer] + lengths[q.answer + 1 :]
    assert not right > max(others), "the right option is the longest"
    assert not right < min(others), "the right option is the shortest"


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_answers_are_not_always_in_the_same_place(lesson):
    assert len({q.answer for q in module(lesson).QUIZ}) >= 3


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_question_is_about_the_try_it_list(lesson):
    on_try_it = [q for q in module(lesson).QUIZ if q.try_it]
    assert on_try_it
    for q in on_try_it:
        assert "Try it" in q.text
        # it asks about one of the bullets: the code it changes is quoted from the list
        code = re.findall(r"`([^`]+)`", q.text)
        quoted = code[: TRY_IT_SPANS_QUOTED.get(lesson)]
        assert code and all(f"`{c}" in try_it_text(lesson) for c in quoted), code


# --------------------------------------------------------------------------- the lesson's view
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_lesson_shows_only_the_call_not_the_answers(lesson):
    questions = module(lesson).QUIZ
    assert f'quiz("{lesson}")' in code_cells(lesson)
    text = source(lesson).read_text()
    assert "Quiz(" not in text and "answer=" not in text
    for q in questions:
        for c in q.choices:
            assert c.why not in text
    shown = quiz(lesson)
    view = plain(repr(shown)) + plain(shown._repr_mimebundle_()["text/html"])
    for q in questions:
        for c in q.choices:
            assert plain(c.why) not in view
        assert q.choices[q.answer].text in repr(shown)  # the options are shown, unmarked
    nb = notebook(lesson).read_text()
    for q in questions:
        for c in q.choices:
            assert json.dumps(c.why)[1:-1] not in nb


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_lesson_keeps_the_template_order(lesson):
    headings = [
        line
        for cell in cells(lesson)
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    order = ["## Try it", "## Quiz", "## Study this lesson with an AI", "## Summary"]
    assert [h for h in headings if h in order] == order
    assert headings[-4:] == order
    code = [c.source for c in cells(lesson)]
    study = code.index(f'study_with_ai("{lesson}")')
    assert "## Study this lesson with an AI" in code[study - 1]
    assert "nothing is sent anywhere" in code[study - 1]
    assert code.index(f'quiz("{lesson}")') < study


# --------------------------------------------------------------------------- the banner
@pytest.mark.parametrize("lesson", PREVIOUS)
def test_the_first_code_cell_shows_the_previous_lessons_banner(lesson):
    title, done = PREVIOUS[lesson]
    lesson_cells = cells(lesson)
    first = next(i for i, c in enumerate(lesson_cells) if c.cell_type == "code")
    assert first == BANNER_CELL[lesson]
    assert "**Goals**" in lesson_cells[0].source
    prose = plain(lesson_cells[first - 1].source)  # the cell before says what it shows
    assert f"whether you have finished lesson {title[:2]}" in prose
    assert "go on either way" in prose
    code = lesson_cells[first].source
    if lesson in NEEDS_NO_CODE:
        assert code == f'from autograd import start_lesson\n\nstart_lesson("{lesson}")'
    else:
        assert f'engine = start_lesson("{lesson}")' in code
        assert code.splitlines()[-1] == "engine"
    nb = json.loads(notebook(lesson).read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith(f"Lesson {title} is not finished yet ({done})")
    assert "You can go on" in out
    if lesson in NEEDS_NO_CODE:
        assert out.endswith(f"Lesson {lesson} needs no code from earlier lessons.")
    else:
        assert f"Lesson {lesson} starts from the engine you built so far" in out


@pytest.mark.parametrize("lesson", PREVIOUS)
def test_the_banner_says_whether_the_previous_lesson_is_finished(lesson):
    title, done = PREVIOUS[lesson]
    before = module(title[:2])
    text = repr(start_lesson(lesson))
    assert text.startswith(f"Lesson {title} is not finished yet ({done}")
    assert f"0 of {len(before.QUIZ)} quiz questions right" in text
    if lesson in NEEDS_NO_CODE:
        assert f"Lesson {lesson} needs no code from earlier lessons." in text
    else:
        assert f"Lesson {lesson} starts from the engine you built so far" in text
    for ex in before.EXERCISES:
        Store().record(ex.id, True, "own")
    for widget, q in zip(quiz(title[:2]), before.QUIZ, strict=True):
        widget.choices.value = (q.answer + 1) % len(q.choices)  # wrong first
        widget.choices.value = q.answer
    assert repr(start_lesson(lesson)).startswith(f"✓ You finished lesson {title}.")


@pytest.mark.parametrize("lesson", sorted(set(LESSONS) - set(PREVIOUS)))
def test_a_lesson_without_a_banner_does_not_start_one(lesson):
    assert not any("start_lesson" in c for c in code_cells(lesson))


# --------------------------------------------------------------------------- answering
@pytest.mark.parametrize("item", QUESTIONS, ids=question_id)
def test_each_option_gives_its_own_feedback_and_is_recorded(item):
    lesson, i = item
    q = question(item)
    seen = []
    wrong = [k for k in range(len(q.choices)) if k != q.answer]
    for k in [*wrong, q.answer]:
        widget = quiz(lesson)[i]
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


@pytest.mark.parametrize("lesson", LESSONS)
def test_right_answers_count_towards_finishing_the_lesson(lesson):
    lesson_module = module(lesson)
    before = status.lesson_status(lesson)
    assert len(before.questions) == len(lesson_module.QUIZ) and before.right == 0
    shown = quiz(lesson)
    for widget, q in zip(shown, lesson_module.QUIZ, strict=True):
        widget.choices.value = q.answer
    after = status.lesson_status(lesson)
    assert after.right == len(lesson_module.QUIZ)
    assert not after.finished  # the exercises are still to pass
    for ex in lesson_module.EXERCISES:
        Store().record(ex.id, True, "own")
    assert status.lesson_status(lesson).finished


# --------------------------------------------------------------------------- study with an AI
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_study_goals_are_the_lessons_goals(lesson):
    assert [plain(g) for g in module(lesson).STUDY.goals] == goals(lesson)


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_study_try_it_list_is_the_lessons(lesson):
    bullets = try_it_bullets(lesson)
    assert len(bullets) == TRY_IT_BULLETS[lesson]
    mine = [plain(t) for t in module(lesson).STUDY.try_it]
    assert len(mine) == len(bullets)
    for ours, theirs in zip(mine, bullets, strict=True):
        assert ours.split()[:6] == theirs.split()[:6], (ours, theirs)
        assert "\n" not in ours


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_study_notes_are_filled_in(lesson):
    s = module(lesson).STUDY
    assert len(s.formulas) >= 5 and all(f.strip() for f in s.formulas)
    formulas = " ".join(s.formulas)
    for quoted in FORMULA_QUOTES.get(lesson, []):
        assert quoted in formulas, quoted
    for quoted in DEMO_QUOTES[lesson]:
        assert quoted in s.demo, quoted
    assert s.demo.count(". ") <= 1  # one or two sentences


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_request_is_the_default_unless_the_lesson_asks_for_its_own(lesson):
    s = module(lesson).STUDY
    prompts = study_with_ai(lesson)
    for request, i in PROMPT.items():
        text = getattr(s, request)
        own = REQUESTS.get((lesson, request))
        if own is None:
            assert not text, f"{request}: the default request"
            continue
        for words in own.holds:
            assert words in text, words
        for words in own.lacks:
            assert words not in text, words
        assert prompts[i].endswith(text)
        assert DEFAULT_REQUEST[request] not in prompts[i]  # instead of the default one


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_prompts_carry_the_lessons_context_and_the_learners_code(lesson):
    s = module(lesson).STUDY
    explain, demo, ask = study_with_ai(lesson)
    for goal in s.goals:
        assert goal in explain
    for formula in s.formulas:
        assert formula in explain
    assert s.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in s.try_it)
    assert "one question at a time" in ask
    exercise, code = SAVED[lesson]
    Store().save_code(exercise, code)
    _, demo, _ = study_with_ai(lesson)
    assert f"# exercise {exercise}" in demo and code.strip() in demo


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_numbers_the_demo_quotes_are_the_lessons(lesson):
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    quoted = numbers(module(lesson).STUDY.demo)
    printed = numbers(notebook(lesson).read_text()) | numbers(source(lesson).read_text())
    assert len(quoted) >= 10
    assert quoted <= printed, sorted(quoted - printed)


@pytest.mark.parametrize(
    "lesson, line", [(lesson, line) for lesson, lines in PRINTED.items() for line in lines]
)
def test_the_lesson_prints_the_lines_its_explanations_quote(lesson, line):
    assert line in outputs(lesson)
