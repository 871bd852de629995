"""The learner's code carried forward: saved on a pass (never the reference, never over their
own code without keeping it), put back by prefer_yours, rebuilt by start_lesson — and used
only while it still passes."""

from __future__ import annotations

import linecache
import os

import pytest

from autograd.course import carry, registry
from autograd.course.registry import Exercise
from autograd.course.report import ReportBuilder
from autograd.course.store import Store

SCAFFOLD = '''
class Box:
    """The given part."""

    def __init__(self, x):
        self.x = x
'''
REFERENCE = """
def double(self):
    return Box(self.x * 2)


Box.double = double
"""
REFERENCE_TRIPLE = """
def triple(self):
    return Box(self.x * 3)


Box.triple = triple
"""
EXERCISES = [
    Exercise("03.double", "doubling", "check_double", chain="value", provides=("Box.double",)),
    Exercise("04.triple", "tripling", "check_triple", chain="value", provides=("Box.triple",)),
]


def _check(exercise_id, method, factor):
    def check(box_cls, *, seed=None, save=True):
        b = ReportBuilder(method, f"{method} works.", 0)
        rule = b.rule(method)
        try:
            got = getattr(box_cls(5), method)().x
        except Exception as exc:  # noqa: BLE001 - reported, as a checker does
            rule.error(f"calling {method}", exc)
        else:
            rule.check(got == 5 * factor, f"expected {5 * factor}, got {got}")
        return carry.finish(exercise_id, b.build(), {f"Box.{method}": getattr(box_cls, method)},
                            save=save)  # fmt: skip

    return check


CHECKERS = {
    "check_double": _check("03.double", "double", 2),
    "check_triple": _check("04.triple", "triple", 3),
}


@pytest.fixture
def course(monkeypatch):
    """A tiny course: a given Box class and two exercises that add methods to it."""
    sources = {"value_scaffold.py": SCAFFOLD, "03.double": REFERENCE, "04.triple": REFERENCE_TRIPLE}
    monkeypatch.setattr(carry, "exercises", lambda: list(EXERCISES))
    monkeypatch.setattr(carry, "exercise", lambda i: next(e for e in EXERCISES if e.id == i))
    monkeypatch.setattr(carry, "reference_source", lambda name: sources[name])
    monkeypatch.setattr(carry, "_checker", lambda ex: CHECKERS[ex.checker])
    monkeypatch.setattr(
        carry, "CHAINS", {"value": ("value_scaffold.py", "Box", "your boxes", "10")}
    )
    return sources


_cells = iter(range(10_000))


def run_cell(source: str, namespace: dict) -> None:
    """Run ``source`` the way IPython runs a notebook cell: its file exists only in
    linecache."""
    filename = f"/nonexistent/ipykernel_0/{next(_cells)}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


def notebook() -> dict:
    ns = {"__name__": "__main__"}
    run_cell(SCAFFOLD, ns)
    return ns


OWN = """
def double(self):
    twice = self.x + self.x  # my own way
    return Box(twice)


Box.double = double
print("this line is not part of the saved code")
"""
WRONG = """
def double(self):
    return Box(self.x + 2)


Box.double = double
"""


def test_a_pass_saves_the_learners_own_cell_definitions_only(course, empty_store):
    ns = notebook()
    run_cell(OWN, ns)
    report = CHECKERS["check_double"](ns["Box"])
    assert report
    saved = Store().code("03.double")
    assert saved is not None
    assert "twice = self.x + self.x" in saved and "Box.double = double" in saved
    assert "print(" not in saved
    assert saved.startswith("# Your code for exercise 03.double (doubling): it passed")
    result = Store().result("03.double")
    assert result["passed"] is True and result["code"] == "own" and result["checks"] == 1


def test_the_reference_solution_is_recorded_but_never_saved_as_the_learners_code(
    course, empty_store
):
    ns = notebook()
    run_cell(REFERENCE.replace("return", "# a comment changes nothing\n    return"), ns)
    assert CHECKERS["check_double"](ns["Box"])
    assert Store().code("03.double") is None
    assert Store().result("03.double")["code"] == "reference"


def test_a_failing_check_saves_no_code_but_keeps_an_earlier_pass(course, empty_store):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"])
    run_cell(WRONG, ns)
    assert not CHECKERS["check_double"](ns["Box"])
    result = Store().result("03.double")
    assert result["passed"] is True and result["last_passed"] is False
    assert "twice" in Store().code("03.double")  # the passing version stays


def test_a_new_passing_version_keeps_the_old_one_in_history(course, empty_store):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"])
    run_cell(OWN.replace("twice", "two_x"), ns)
    assert CHECKERS["check_double"](ns["Box"])
    assert "two_x" in Store().code("03.double")
    history = list((empty_store / "code" / "history").iterdir())
    assert len(history) == 1 and "twice" in history[0].read_text()


def test_save_false_records_nothing(course, empty_store):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"], save=False)
    assert not empty_store.exists()
    assert "03.double" not in carry._PASSED


def test_code_from_a_real_file_is_not_saved(course, empty_store):
    ns = notebook()
    exec(compile(OWN, __file__, "exec"), ns)  # "defined in a file", not in a cell
    assert CHECKERS["check_double"](ns["Box"])
    assert Store().code("03.double") is None
    assert Store().result("03.double")["code"] is None


def test_prefer_yours_puts_the_passing_code_back_after_the_solution_cell(
    course, empty_store, capsys
):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"])
    mine = ns["Box"].double
    ns["prefer_yours"] = carry.prefer_yours
    run_cell(REFERENCE + '\nprefer_yours("03.double")\n', ns)  # the solution cell
    assert ns["Box"].double is mine
    assert "Keeping your own code for doubling" in capsys.readouterr().out


def test_prefer_yours_leaves_the_reference_when_the_learner_has_not_passed(
    course, empty_store, capsys
):
    ns = notebook()
    run_cell(WRONG, ns)
    assert not CHECKERS["check_double"](ns["Box"])
    run_cell(REFERENCE, ns)
    reference = ns["Box"].double
    ns["prefer_yours"] = carry.prefer_yours
    exec('prefer_yours("03.double")', ns)
    assert ns["Box"].double is reference
    out = capsys.readouterr().out
    assert "Using the reference solution for doubling" in out and "check_double" in out


def test_start_lesson_uses_the_reference_when_nothing_is_saved(course, empty_store):
    engine = carry.start_lesson("05")
    assert engine.Box(4).double().x == 8 and engine.Box(4).triple().x == 12
    assert engine.yours == []
    text = repr(engine)
    assert "03.double" in text and "reference solution (not passed yet)" in text
    assert not empty_store.exists()  # starting a lesson writes nothing


def test_start_lesson_uses_the_learners_passing_code_and_says_so(course, empty_store):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"])
    engine = carry.start_lesson("04")
    assert engine.yours == ["03.double"]
    assert "twice = self.x + self.x" in "".join(
        linecache.getlines(engine.Box.double.__code__.co_filename)
    )
    assert engine.Box(4).double().x == 8
    assert "✓ 03.double" in repr(engine) and "your code (passed" in repr(engine)
    assert "04.triple" not in repr(engine)  # lesson 04 starts before its own exercise


def test_saved_code_that_no_longer_passes_is_replaced_by_the_reference(course, empty_store):
    Store().save_code("03.double", WRONG)
    Store().record("03.double", True, "own")
    engine = carry.start_lesson("04")
    assert engine.yours == []
    assert engine.Box(4).double().x == 8
    assert "no longer passes check_double" in repr(engine)


def test_saved_code_that_raises_is_replaced_by_the_reference(course, empty_store):
    Store().save_code("03.double", "import not_a_module_anywhere\n")
    Store().record("03.double", True, "own")
    engine = carry.start_lesson("04")
    assert engine.Box(4).double().x == 8
    assert "ModuleNotFoundError" in repr(engine)


def test_engine_names_what_it_lacks(course):
    engine = carry.start_lesson("04")
    with pytest.raises(AttributeError, match="has no 'Tensor'; it has: Box"):
        _ = engine.Tensor


def test_reset_asks_first_then_moves_everything_to_the_trash(course, empty_store, capsys):
    ns = notebook()
    run_cell(OWN, ns)
    assert CHECKERS["check_double"](ns["Box"])
    carry.reset_progress("03")
    assert "confirm=True" in capsys.readouterr().out
    assert Store().code("03.double") is not None  # nothing happened yet
    carry.reset_progress("03", confirm=True)
    assert Store().code("03.double") is None and Store().result("03.double") is None
    trash = list((empty_store / "trash").iterdir())
    assert len(trash) == 1
    kept = [p for p in trash[0].rglob("*.py")]
    assert kept and "twice" in kept[0].read_text()
    assert "03.double" not in carry._PASSED
    assert carry.start_lesson("04").yours == []


def test_the_real_registry_has_a_solution_file_for_every_exercise():
    for ex in registry.exercises():
        assert carry.reference_source(ex.id).strip(), ex.id
        assert os.sep not in ex.solution_file


HELPER_CELL = """
def twice(x):
    return x + x
"""
USES_HELPER = """
def double(self):
    return Box(twice(self.x))


Box.double = double
"""


def test_a_pass_that_needs_another_cell_is_kept_but_not_carried(course, empty_store, capsys):
    ns = notebook()
    run_cell(HELPER_CELL, ns)
    run_cell(USES_HELPER, ns)
    assert CHECKERS["check_double"](ns["Box"])  # it works in the notebook...
    out = capsys.readouterr().out
    assert "later lessons load only this cell" in out and "'twice'" in out
    assert "twice(self.x)" in Store().code("03.double")  # ...their code is kept...
    assert Store().result("03.double")["code"] == "own, needs other cells"
    engine = carry.start_lesson("04")  # ...but a later lesson uses the reference
    assert engine.yours == [] and engine.Box(4).double().x == 8
