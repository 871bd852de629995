"""Lesson 05's quiz explanations are true, by running the lesson's own code: the three walks
of the diamond (and of the Try it list's wider one), lesson 03's recursive backward(), the
objects a closure node leaves to the collector, and the three ops of the 3-op example the
walkthrough prompt asks about. (The generic checks of every lesson's quiz and study prompts,
and the lines the explanations quote from the notebook, are in ``test_quizzes.py``.)"""

from __future__ import annotations

import pytest
from lesson_text import code_cells

from autograd import topological_order
from autograd.course import carry, lesson05
from autograd.course.lesson05 import garbage_per_node

LESSON = "05"
MODULE = lesson05


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
    code = code_cells(LESSON)
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


def test_the_walkthroughs_3_op_example_has_the_three_ops():
    """The walkthrough prompt asks what `loss.backward()` does on the 3-op example
    L = (w·x - 3)² (its words are checked in ``test_quizzes.py``): the lesson's graph of it
    has the three ops."""
    assert "3-op example" in MODULE.STUDY.demo_focus
    namespace = lesson_code()
    Value = namespace["Value"]
    x, w = Value(2.0), Value(0.5)
    L = (w * x - 3) ** 2
    ops = [n._op for n in reversed(topological_order(L)) if n._prev]
    assert ops == ["**2", "+", "*"]
