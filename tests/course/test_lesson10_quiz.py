"""Lesson 10's quiz (in the question bank, not in the lesson's view) and its AI study prompts:
every wrong option names its own misconception, one question is on the Try it list, picking
an option gives that option's feedback and records the answer, the study notes say what the
lesson says (its goals and its Try it bullets, parsed from the lesson source), and the claims
the explanations make about the checker, the counts and the tensor engine are true."""

from __future__ import annotations

import ast
import gc
import html
import json
import re
import tracemalloc
from pathlib import Path

import jupytext
import numpy as np
import pytest

from autograd import quiz, study_with_ai
from autograd.course import carry, lesson10, status
from autograd.course.lesson10 import check_checkpoint
from autograd.course.store import Store

LESSON = "10"
MODULE = lesson10
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
CHECKPOINT = carry.reference_source("10.checkpoint")


def given(name: str) -> str:
    """The source of the function ``name`` exactly as lesson 10 gives it in a cell."""
    for cell in cells():
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(cell.source, node)
    raise AssertionError(f"lesson 10 gives no {name}")


def engine(*edits: tuple[str, str]) -> dict:
    """Lesson 10's engine: the tensor chain (reference), the given free_graph and mlp_flops,
    and the reference checkpoint with ``edits`` typed in."""
    namespace, _ = carry.build("tensor", "10")
    for name in ("free_graph", "matmul_flops", "mlp_flops"):
        exec(compile(given(name), f"<lesson 10: {name}>", "exec"), namespace)  # noqa: S102
    source = CHECKPOINT
    for old, new in edits:
        assert old in source, f"edit does not apply: {old!r}"
        source = source.replace(old, new)
    exec(compile(source, "<lesson 10: checkpoint>", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_flop_counts_the_first_question_quotes():
    ns = engine()
    n, k, m = 3, 5, 7
    assert ns["matmul_flops"](n, k, m) == 2 * n * k * m
    # a layer after the first: its backward is two products of the forward's size
    forward, backward = ns["mlp_flops"]([4, k, m], n)
    assert backward - ns["matmul_flops"](n, 4, k) == 2 * ns["matmul_flops"](n, k, m)
    assert "deep 36 × 128, batch 128         150,994,944     297,795,584          1.97" in (
        outputs()
    )
    # the two backward products have the shapes the explanation gives
    x, W, G = np.ones((n, k)), np.ones((k, m)), np.ones((n, m))
    assert (G @ W.T).shape == x.shape and (x.T @ G).shape == W.shape


def test_a_layer_makes_three_nodes_each_with_data_and_grad():
    ns = engine()
    Tensor, Linear = ns["Tensor"], ns["Linear"]
    x = Tensor(np.ones((4, 3)))
    out = Linear(3, 3, np.random.default_rng(0))(x).relu()
    nodes, stack = [], [out]
    while stack:
        node = stack.pop()
        if node._prev:  # made by an operation: not x, W or b
            nodes.append(node)
            stack.extend(node._prev)
    assert sorted(n._op for n in nodes) == sorted(["@", "+", "relu"])
    for node in nodes:  # the grad exists before any backward(), an array of its own
        assert isinstance(node.grad, np.ndarray) and node.grad.shape == node.data.shape
        assert node.grad is not node.data and not node.grad.any()
    assert out._prev[0].data is not None and out._prev[0]._prev[0] in nodes  # no copies
    text = outputs()
    assert "per layer: 0.750 MiB = 6 arrays" in text
    assert "the weights' gradients alone: 4.5 MiB" in text
    assert "after del loss:     27.250 MiB" in text and "after gc.collect():  0.000 MiB" in text


def test_without_eager_gradients_a_layer_would_keep_three_arrays():
    """The lazy-grad question: a node's data stays with the graph, its grad would not exist
    yet; measured on the lesson's blocks with every non-leaf grad dropped after forward."""
    ns = engine()
    Tensor, Linear = ns["Tensor"], ns["Linear"]
    width = batch = 128
    array = width * batch * 8

    def kept_without_grads(depth: int) -> int:
        rng = np.random.default_rng(0)
        layers = [Linear(width, width, rng) for _ in range(depth)]
        x = Tensor(np.random.default_rng(1).standard_normal((batch, width)))
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        h = x
        for layer in layers:
            h = layer(h).relu()
        stack, seen = [h], set()
        while stack:  # drop every non-leaf gradient: what a lazy __init__ would not make
            node = stack.pop()
            if id(node) not in seen and node._prev:
                seen.add(id(node))
                node.grad = None
                stack.extend(node._prev)
        kept = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        ns["free_graph"](h)
        return kept // array

    assert (kept_without_grads(8) - kept_without_grads(4)) / 4 == 3
    q = question("10.lazy_grad")
    assert q.choices[q.answer].text.startswith("Three")
    assert "per layer: 0.750 MiB = 6 arrays" in outputs()


def test_one_hundred_layers_in_segments_of_ten_run_two_hundred_layer_forwards():
    ns = engine()
    Tensor, Linear, checkpoint = ns["Tensor"], ns["Linear"], ns["checkpoint"]
    rng = np.random.default_rng(0)
    layers = [Linear(3, 3, rng) for _ in range(100)]
    runs = [0]

    def segment(part):
        def fn(h):
            for layer in part:
                runs[0] += 1
                h = layer(h).relu()
            return h

        return fn

    h = Tensor(rng.standard_normal((2, 3)))
    for start in range(0, 100, 10):
        h = checkpoint(segment(layers[start : start + 10]), h)
    assert runs[0] == 100
    h.sum().backward()
    assert runs[0] == 200
    assert "every layer             9.250 MiB 10.375 MiB          72" in outputs()


def test_without_free_graph_the_checker_names_the_activations_as_the_quiz_says():
    """The Try it bullet: both free_graph calls removed from checkpoint."""
    ns = engine(("    free_graph(y)  #", "    #"), ("        free_graph(y_again)", "        pass"))
    gc.collect()
    report = check_checkpoint(ns["checkpoint"], seed=0, save=False)
    assert report.failed_rules == ["frees fn's activations"]
    text = str(report)
    assert "✓ output" in text and "✓ gradients" in text and "✓ recomputes fn" in text
    assert "still existed" in text and "garbage collector" in text
    assert "free_graph(y)" in text
    q = question("10.no_free_graph")
    assert q.choices[q.answer].text.startswith('It fails "frees fn\'s activations"')
    for c in q.choices:
        if c.text.startswith('It fails "'):
            assert c.text.split('"')[1] in report.rules


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
    assert "whether you have finished lesson 09" in plain(
        markdown_between("**Goals**", "## The idea")
    )
    nb = json.loads(NOTEBOOK.read_text())
    shown = next(c for c in nb["cells"] if c["cell_type"] == "code")
    out = "".join(shown["outputs"][0]["data"]["text/plain"])
    assert out.startswith("Lesson 09 · Real digits is not finished yet")
    assert "You can go on" in out
    assert "Lesson 10 starts from the engine you built so far" in out


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
    assert "2·n·k·m FLOPs" in " ".join(s.formulas)
    assert "36 layers of 128 units" in s.demo and "6.625 MiB" in s.demo
    assert s.demo.count(". ") <= 1  # one or two sentences
    assert not (s.demo_focus or s.quiz_focus)  # the default requests


def test_the_explain_prompt_asks_about_the_memory_compute_trade_off():
    """The seed's prompt for this lesson: the memory/compute trade-off of backpropagation
    and gradient checkpointing, in the first prompt, instead of the default request."""
    explain = study_with_ai(LESSON)[0]
    assert explain.endswith(MODULE.STUDY.explain)
    for words in (
        "memory/compute trade-off",
        "backpropagation",
        "gradient checkpointing",
        "twice the forward pass",
        "recompute",
        "one paragraph",
    ):
        assert words in MODULE.STUDY.explain, words
    assert "Explain the idea of this lesson" not in explain


def test_the_prompts_carry_the_lessons_context_and_the_learners_code():
    explain, demo, ask = study_with_ai(LESSON)
    for goal in MODULE.STUDY.goals:
        assert goal in explain
    assert MODULE.STUDY.formulas[2] in explain
    assert MODULE.STUDY.demo in demo and "I have not saved my own code" in demo
    assert all(t in ask for t in MODULE.STUDY.try_it)
    Store().save_code(f"{LESSON}.checkpoint", "def checkpoint(fn, x):\n    return 42\n")
    _, demo, _ = study_with_ai(LESSON)
    assert "# exercise 10.checkpoint" in demo and "return 42" in demo


def numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?", text)}


def test_the_numbers_the_demo_quotes_are_the_lessons():
    """Every number in the demo's description is in the lesson: printed by its executed
    notebook, or in its text."""
    lesson = numbers(NOTEBOOK.read_text()) | numbers(SOURCE.read_text())
    quoted = numbers(MODULE.STUDY.demo)
    assert len(quoted) >= 10
    assert quoted <= lesson, sorted(quoted - lesson)
