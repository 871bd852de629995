"""The real chains, end to end: a learner who saved their own code for every piece of the
scalar and the tensor engine gets all of it back in the later lessons — re-checked by the
same checkers — and a piece that no longer passes falls back to the reference alone."""

from __future__ import annotations

import pytest

from autograd.course import carry, registry
from autograd.course.store import Store

CHAIN_EXERCISES = [ex for ex in registry.exercises() if ex.chain]
MINE = "\n_written_by_the_learner = True\n"  # changes the code (its AST), not what it does


def save_all_as_own(skip=()):
    store = Store()
    for ex in CHAIN_EXERCISES:
        if ex.id in skip:
            continue
        store.save_code(ex.id, carry.reference_source(ex.id) + MINE)
        store.record(ex.id, True, "own")


@pytest.mark.parametrize("chain, lesson", [("value", "07"), ("tensor", "10")])
def test_every_piece_of_own_code_is_used_again(chain, lesson):
    save_all_as_own()
    engine = carry.start_lesson(lesson)
    wanted = [ex.id for ex in CHAIN_EXERCISES if ex.chain == chain and ex.lesson < lesson]
    assert wanted and engine.yours == wanted, repr(engine)
    assert repr(engine).count("your code (passed") == len(wanted)


def test_the_scalar_engine_carried_forward_really_differentiates():
    save_all_as_own()
    Value = carry.start_lesson("07").Value
    w, x, y = Value(3.0), Value(2.0), Value(5.0)
    loss = (w * x - y) ** 2
    loss.backward()
    assert loss.data == 1.0 and w.grad == 4.0  # the seeds' worked example: dL/dw = 4


def test_a_piece_that_no_longer_passes_falls_back_alone():
    save_all_as_own()
    first = next(ex for ex in CHAIN_EXERCISES if ex.chain == "value")
    broken = carry.reference_source(first.id).replace("+=", "=")  # the classic mistake
    assert broken != carry.reference_source(first.id)
    Store().save_code(first.id, broken + MINE)
    engine = carry.start_lesson("07")
    assert first.id not in engine.yours
    others = [ex.id for ex in CHAIN_EXERCISES if ex.chain == "value" and ex.id != first.id]
    assert engine.yours == others
    assert f"no longer passes {first.checker}" in repr(engine)


def test_lessons_start_only_from_the_chain_they_use():
    assert carry.start_lesson("03").pieces == {}
    assert list(carry.start_lesson("04").pieces) == ["value"]
    assert list(carry.start_lesson("10").pieces) == ["tensor"]
