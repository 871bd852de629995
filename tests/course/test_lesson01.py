"""Lesson 01's checkers accept the reference solution on any seed and reject the usual
mistakes, naming the failing piece and giving the hint for it."""

from __future__ import annotations

import math

import pytest

from autograd.course import carry
from autograd.course.lesson01 import EXERCISES, __all__, check_central_difference, check_dg

SEEDS = [0, 1, 2, 3, 2**40 + 7]


def reference(exercise_id: str, name: str):
    namespace = {"math": math}
    exec(carry.reference_source(exercise_id), namespace)  # noqa: S102 - the course's own code
    return namespace[name]


def stub(*args):
    raise NotImplementedError("write it here")


def test_the_module_registers_and_exports_its_checkers():
    assert {ex.checker for ex in EXERCISES} == set(__all__)
    assert all(ex.chain is None and ex.lesson == "01" for ex in EXERCISES)


# --------------------------------------------------------------------------- central difference
@pytest.mark.parametrize("seed", SEEDS)
def test_central_difference_accepts_the_reference(seed):
    report = check_central_difference(reference("01.central_difference", "central_difference"),
                                      seed=seed, save=False)  # fmt: skip
    assert report, str(report)
    assert report.checks == 8 and report.seed == seed


def test_central_difference_accepts_other_ways_of_writing_it():
    halves = lambda f, x, h: 0.5 * ((f(x + h) - f(x)) / h + (f(x) - f(x - h)) / h)  # noqa: E731
    for fn in (
        lambda f, x, h: (f(x + h) - f(x - h)) / 2 / h,
        lambda f, x, h: (f(x + h) - f(x - h)) * 0.5 / h,
        halves,  # the average of the forward and the backward difference
    ):
        assert check_central_difference(fn, seed=5, save=False)


CENTRAL_MISTAKES = {
    "forward difference": (lambda f, x, h: (f(x + h) - f(x)) / h, "forward difference"),
    "backward difference": (lambda f, x, h: (f(x) - f(x - h)) / h, "backward difference"),
    "divides by h, not 2h": (lambda f, x, h: (f(x + h) - f(x - h)) / h, "Divide by `(2 * h)`"),
    "wrong sign": (lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h), "sign is flipped"),
    "/ 2 * h": (lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "*multiplies* by h"),
    "missing brackets": (lambda f, x, h: f(x + h) - f(x - h) / (2 * h), "Put brackets"),
    "steps h/2 each way": (lambda f, x, h: (f(x + h / 2) - f(x - h / 2)) / h, "h/2 each way"),
    "ignores h (fixed tiny step)": (
        lambda f, x, h: (f(x + 1e-7) - f(x - 1e-7)) / 2e-7,
        "use the step `h` it is given",
    ),
    "returns nothing": (lambda f, x, h: None, "forget `return`"),
    "stub left in": (stub, "Replace `raise NotImplementedError`"),
}


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("name", CENTRAL_MISTAKES)
def test_central_difference_rejects_a_mistake_with_its_hint(name, seed):
    fn, hint = CENTRAL_MISTAKES[name]
    report = check_central_difference(fn, seed=seed, save=False)
    assert not report
    assert report.failed_rules == ["central_difference(f, x, h)"]
    assert hint in str(report), str(report)


def test_central_difference_uses_fresh_cases_and_repeats_a_seed():
    wrong = CENTRAL_MISTAKES["forward difference"][0]
    first, second = (check_central_difference(wrong, save=False) for _ in range(2))
    assert first.seed != second.seed and str(first) != str(second)
    again = check_central_difference(wrong, seed=first.seed, save=False)
    assert str(again) == str(first)


def test_central_difference_as_shipped_shows_the_same_output_every_time():
    a, b = (check_central_difference(stub, seed=s, save=False) for s in (1, 2))
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()
    assert "complete the stub" in str(a)


# --------------------------------------------------------------------------- dg
@pytest.mark.parametrize("seed", SEEDS)
def test_dg_accepts_the_reference(seed):
    report = check_dg(reference("01.dg", "dg"), seed=seed, save=False)
    assert report, str(report)
    assert report.rules == ["dg(x)", "the x⁴ term", "the -3x² term", "the 1/x term"]


DG_MISTAKES = {
    "+1/x² instead of -1/x²": (
        lambda x: 4 * x**3 - 6 * x + 1 / x**2,
        "the 1/x term",
        "2·x⁻²",
    ),
    "1/x → -1/x (exponent not lowered)": (
        lambda x: 4 * x**3 - 6 * x - 1 / x,
        "the 1/x term",
        "-x⁻¹ + x⁻²",
    ),
    "3x² → 6 (x forgotten)": (lambda x: 4 * x**3 - 6 - 1 / x**2, "the -3x² term", "6·x - 6"),
    "3x² → 3x (2 not brought down)": (
        lambda x: 4 * x**3 - 3 * x - 1 / x**2,
        "the -3x² term",
        "3·x",
    ),
    "x⁴ → x³ (exponent not brought down)": (
        lambda x: x**3 - 6 * x - 1 / x**2,
        "the x⁴ term",
        "-3·x³",
    ),
    "x⁴ → 4x⁴ (exponent not lowered)": (
        lambda x: 4 * x**4 - 6 * x - 1 / x**2,
        "the x⁴ term",
        "4·x⁴ - 4·x³",
    ),
    "-6x written as +6x": (lambda x: 4 * x**3 + 6 * x - 1 / x**2, "the -3x² term", "12·x"),
}


@pytest.mark.parametrize("seed", [21, 22])
@pytest.mark.parametrize("name", DG_MISTAKES)
def test_dg_rejects_a_mistake_and_names_the_term(name, seed):
    fn, term, difference = DG_MISTAKES[name]
    report = check_dg(fn, seed=seed, save=False)
    assert not report
    assert report.failed_rules == ["dg(x)", term], str(report)
    assert f"Your dg differs from g' by {difference}: see {term}." in str(report), str(report)


def test_dg_mistake_in_two_terms_names_both():
    report = check_dg(lambda x: 3 * x**3 - 6 * x + 1 / x**2, seed=3, save=False)
    assert report.failed_rules == ["dg(x)", "the x⁴ term", "the 1/x term"]


def test_dg_that_is_g_itself_is_wrong_in_every_term():
    report = check_dg(lambda x: x**4 - 3 * x**2 + 1 / x, seed=3, save=False)
    assert report.failed_rules == ["dg(x)", "the x⁴ term", "the -3x² term", "the 1/x term"]


@pytest.mark.parametrize(
    "fn, hint",
    [
        (lambda x: 4 * x**3 - 6 * x - math.log(abs(x)), "Differentiate g term by term"),
        (lambda x: None, "forget `return`"),
        (stub, "Replace `raise NotImplementedError`"),
    ],
    ids=["not a sum of powers", "returns nothing", "stub left in"],
)
def test_dg_rejects_what_no_single_term_explains(fn, hint):
    report = check_dg(fn, seed=4, save=False)
    assert report.failed_rules == ["dg(x)"]
    assert hint in str(report)
    assert "could not be judged" in str(report)  # the term rows wait for dg(x)


@pytest.mark.parametrize("seed", [31, 32, 33])
@pytest.mark.parametrize("offset", [1.0, -2.5])
def test_dg_off_by_a_constant_names_no_term(offset, seed):
    """A constant alone could come from any term: the report says "a constant offset" and
    blames none of them (it used to blame the -3x² term)."""
    report = check_dg(lambda x: 4 * x**3 - 6 * x - 1 / x**2 + offset, seed=seed, save=False)
    assert report.failed_rules == ["dg(x)"], str(report)
    text = str(report)
    assert f"Your dg differs from g' by a constant offset, {offset:g}, the same at every" in text
    assert "It could come from any term" in text and "see the" not in text


def test_dg_as_shipped_shows_the_same_output_every_time():
    a, b = (check_dg(stub, seed=s, save=False) for s in (1, 2))
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()


def test_a_pass_is_recorded_for_the_exercise():
    report = check_dg(reference("01.dg", "dg"))
    assert report and report.exercise == "01.dg"
    assert carry._PASSED["01.dg"]["dg"] is not None
