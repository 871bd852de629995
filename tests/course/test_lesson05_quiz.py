"""Lesson 05's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), its walkthrough
prompt asks what `loss.backward()` does on the 3-op example, and the claims the explanations
make about the walks, the sorts and the cycles are true (the lesson's own code is run)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jupytext
import pytest

from autograd import quiz, study_with_ai, topological_order
from autograd.course import carry, lesson05, status
from autograd.course.lesson05 import garbage_per_node
from autograd.course.store import Store

LESSON = "05"
MODULE = lesson05
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
def start_value() -> type:
    """The Value lesson 05 starts from, as shipped: lessons 03-04 with lesson 03's recursive
    backward()."""
    namespace, _ = carry.build("value", "05")
    return namespace["Value"]


def lesson_code(*starts: str, edits: tuple[tuple[str, str], ...] = ()) -> dict:
    """Run the lesson's code cells that begin with (or hold) each of ``starts``, in order, on
    the Value lesson 05 starts from; ``edits`` change a cell first, as the Try it list says."""
    namespace = {"Value": start_value()}
    code = [c.source for c in cells() if c.cell_type == "code"]
    for start in starts:
        (source,) = [s for s in code if start in s]
        for old, new in edits:
            source = source.replace(old, new)
        exec(compile(source, f"<lesson 05: {start}>", "exec"), namespace)  # noqa: S102
    return namespace


WALKS = ("def run_rule", "def backward_every_reach", "def backward_first_reach",
         "def topo_recursive")  # fmt: skip


def walk_grads(namespace: dict) -> dict[str, tuple[float, float]]:
    grads = {}
    for walk in ("backward_every_reach", "backward_first_reach", "backward_topological"):
        x, m, L = namespace["diamond"]()
        namespace[walk](L)
        grads[walk] = (x.grad, m.grad)
    return grads


def test_the_diamond_walks_give_the_numbers_the_quiz_quotes(capsys):
    grads = walk_grads(lesson_code(*WALKS))
    assert grads == {
        "backward_every_reach": (42.0, 5.0),
        "backward_first_reach": (12.0, 5.0),  # 2·x·2 with x = 3: a's share only
        "backward_topological": (30.0, 5.0),
    }


def test_the_wider_diamond_of_the_try_it_list(capsys):
    wider = (("L = m * 2 + m * 3\n", "L = m * 2 + m * 3 + m * 4\n"),)
    grads = walk_grads(lesson_code(*WALKS, edits=wider))
    assert grads == {
        "backward_every_reach": (96.0, 9.0),  # 6·(2 + 5 + 9)
        "backward_first_reach": (12.0, 9.0),
        "backward_topological": (54.0, 9.0),  # 9 · 2x
    }
    tree = (("L = m * 2 + m * 3\n", "L = m * 5\n"),)
    assert {g for g in walk_grads(lesson_code(*WALKS, edits=tree)).values()} == {(30.0, 5.0)}
    q = next(q for q in MODULE.QUIZ if q.id == "05.wider")
    assert q.choices[q.answer].text == "96"
    assert {c.text for c in q.choices} == {"54", "12", "42", "96"}


def test_lesson_03s_backward_resets_and_seeds_like_yours_but_recurses():
    Value = start_value()
    x, w = Value(2.0), Value(0.5)
    e = w * x - 3
    L = e**2
    L.backward()
    L.backward()
    assert (w.grad, x.grad, e.grad) == (-16.0, -4.0, -4.0)  # leaves add up, e is reset
    deep = Value(1.0)
    for _ in range(2_000):
        deep = deep * 1.001
    with pytest.raises(RecursionError):
        deep.backward()
    namespace, _ = carry.build("value", "06")  # with the reference backward() of lesson 05
    deep = namespace["Value"](1.0)
    for _ in range(20_000):
        deep = deep * 1.001
    deep.backward()


def test_closures_leave_cycles_and_freevalue_none():
    namespace = lesson_code()
    exec(carry.reference_source("05.cycle_free"), namespace)  # noqa: S102
    assert round(garbage_per_node(start_value())) == 7
    assert garbage_per_node(namespace["FreeValue"]) == 0


PRINTED = [
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
]


@pytest.mark.parametrize("printed", PRINTED)
def test_the_lesson_prints_the_numbers_the_explanations_quote(printed):
    assert printed in NOTEBOOK.read_text()


PREVIOUS_BANNER = "Lesson 04 · More operations is not finished yet"
TRY_IT_BULLETS = 4
SAVED = ("05.backward", "def backward(self):\n    return 42\n")


def test_the_walkthrough_prompt_asks_what_loss_backward_does_on_the_3_op_example():
    s = MODULE.STUDY
    assert not (s.explain or s.quiz_focus)  # the default requests
    focus = s.demo_focus
    assert "loss.backward()" in focus and "step by step" in focus and "3-op example" in focus
    assert "L = (w·x - 3)²" in focus and "w = 0.5" in focus and "x = 2" in focus
    assert "L = (w·x - 3)² with w = 0.5 and x = 2" in s.demo
    _, demo, _ = study_with_ai(LESSON)
    assert demo.endswith(focus)
    # the three ops of the example, as the lesson's graph shows them
    namespace = lesson_code()
    Value = namespace["Value"]
    x, w = Value(2.0), Value(0.5)
    L = (w * x - 3) ** 2
    ops = [n._op for n in reversed(topological_order(L)) if n._prev]
    assert ops == ["**2", "+", "*"]


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
