"""Lesson 07's quiz explanations are true, by running the lesson's own code: where
`zero_grad()` goes in a step and what a misplaced one does, what an edited exercise trains
with, the L2 penalty in the loss, leaf gradients adding up over backward() calls, the
collector changing no number and being what frees a step's graph, and the held-out points.
(The generic checks of every lesson's quiz and study prompts, and the lines the explanations
quote from the notebook, are in ``test_quizzes.py``.)"""

from __future__ import annotations

import ast
import gc
import random
import weakref

import matplotlib
import pytest
from lesson_text import cells, markdown_between, plain
from lesson_text import source as lesson_source

from autograd.course import carry, lesson07

matplotlib.use("Agg")

LESSON = "07"
MODULE = lesson07


def question(qid: str):
    return next(q for q in MODULE.QUIZ if q.id == qid)


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
    code = [c.source for c in cells(LESSON) if c.cell_type == "code"]
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
    assert plain(BETWEEN) in plain(markdown_between(LESSON, "## Try it", "## Quiz"))
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
        "\n".join(c.source for c in cells(LESSON) if "exercise" in c.metadata.get("tags", [])),
        "train_step",
        (
            '    raise NotImplementedError("train_step: forward, zero_grad, backward, update")',
            "    return loss_fn(model, X, y).data  # no step at all",
        ),
    )
    wrong = namespace["train_step"]
    assert not lesson["check_training"](wrong)  # it fails its check, yet it is still in use:
    assert namespace["train_step"] is wrong
    (solution,) = [c.source for c in cells(LESSON) if 'prefer_yours("07.training")' in c.source]
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    assert namespace["train_step"] is not wrong
    assert lesson["check_training"](namespace["train_step"], save=False)  # the reference


def test_the_l2_penalty_is_part_of_the_loss_zero_grad_wipes(lesson):
    """What the 'only the L2 penalty is left' option misses: the penalty is in `loss`, and
    zero_grad() resets every parameter's grad."""
    assert "return data_loss + l2" in function_source(
        "\n".join(c.source for c in cells(LESSON) if "def hinge_loss" in c.source), "hinge_loss"
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
    (cell,) = [c.source for c in cells(LESSON) if "first = w.grad" in c.source]
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
    source = lesson_source(LESSON).read_text()
    assert "X, y = make_moons(460, noise=0.1, rng=rng)" in source
    assert "X_train, y_train = X[:N_TRAIN], y[:N_TRAIN]" in source
    assert "X_test, y_test = X[N_TRAIN:], y[N_TRAIN:]" in source
    assert "MEAN, STD = X_train.mean(axis=0), X_train.std(axis=0)" in source
    predict = function_source(
        "\n".join(c.source for c in cells(LESSON) if "def predict" in c.source), "predict"
    )
    assert "for a, b in inputs(X)" in predict
