"""Progress through the series: quiz answers recorded, the progress view, the soft lock's
banner, and the study-with-an-AI prompts."""

from __future__ import annotations

import types

import pytest

from autograd.course import quizbank, registry, study
from autograd.course import status as progress_module
from autograd.course.quizbank import Choice, Question
from autograd.course.store import Store
from autograd.course.study import Study

QUESTIONS = [
    Question(
        "03.rule",
        "In `out = a * b`, what does the rule add to `a.grad`?",
        [
            Choice("`out.grad`", "That is the rule of +: it copies the gradient."),
            Choice("`b.data * out.grad`", "Each factor receives the other factor."),
            Choice("`a.data * out.grad`", "That multiplies by a's own value."),
        ],
        answer=1,
    ),
    Question(
        "03.twice",
        "After running `c.backward()` twice, `a.grad` is",
        [
            Choice("the same", "Leaves accumulate: it does not stay the same."),
            Choice("doubled", "Leaves accumulate across calls: zero them first."),
        ],
        answer=1,
        try_it=True,
    ),
]
STUDY = Study(
    goals=["write the backward rules of + and *"],
    formulas=["d(a*b)/da = b"],
    demo="c = a * b + a at a = 2, b = -3",
    try_it=["use = instead of += and see which checks fail"],
)


@pytest.fixture
def lesson03(monkeypatch):
    """Lesson 03 with the questions and study notes above (and its real exercises)."""
    real = registry.lesson_module("03")
    fake = types.SimpleNamespace(
        QUIZ=QUESTIONS, STUDY=STUDY, EXERCISES=getattr(real, "EXERCISES", [])
    )
    original = registry.lesson_module

    def lesson_module(lesson):
        return fake if lesson == "03" else original(lesson)

    for module in (registry, quizbank, study, progress_module):
        if hasattr(module, "lesson_module"):
            monkeypatch.setattr(module, "lesson_module", lesson_module)
    return fake


def test_quiz_from_the_bank_shows_no_answer_and_names_each_misconception(lesson03):
    q = quizbank.quiz("03")
    assert len(q) == 2
    text = repr(q)
    assert "`b.data * out.grad`" in text and "other factor" not in text  # no answer shown
    first = q[0]
    first.choices.value = 0
    assert "That is the rule of +" in first.feedback.value
    first.choices.value = 2
    assert (
        first.response(2) == "✗ Not quite — That multiplies by a's own value. Try another answer."
    )
    first.choices.value = 1
    assert "✓ Right" in first.feedback.value and "other factor" in first.feedback.value


def test_quiz_answers_are_recorded_once_right_stays_right(lesson03, empty_store):
    q = quizbank.quiz("03")
    q[0].choices.value = 0
    entry = Store().read()["quizzes"]["03.rule"]
    assert entry == entry | {"right": False, "attempts": 1, "last_answer": 0}
    q[0].choices.value = 1
    q[0].choices.value = 2
    entry = Store().read()["quizzes"]["03.rule"]
    assert entry["right"] is True and entry["attempts"] == 3 and "first_right" in entry


def test_quiz_rejects_unknown_lessons_and_mixed_arguments(lesson03):
    with pytest.raises(ValueError, match="lesson number like '03'"):
        quizbank.quiz("3a")
    with pytest.raises(TypeError, match="not both"):
        quizbank.quiz("03", quizbank.as_quiz(QUESTIONS[0]))


def test_a_question_needs_a_why_for_every_option():
    with pytest.raises(ValueError, match="needs a text and a why"):
        Question("01.x", "?", [Choice("a", "fine"), Choice("b", " ")], answer=0)
    with pytest.raises(ValueError, match="not an option index"):
        Question("01.x", "?", [Choice("a", "fine"), Choice("b", "fine")], answer=2)


def test_progress_shows_what_passed_and_what_is_next(lesson03, empty_store):
    before = progress_module.progress()
    assert "Next: lesson 01 · Derivatives" in repr(before)
    s = Store()
    for ex in registry.exercises():
        if ex.lesson in ("01", "02", "03"):
            s.record(ex.id, True, "own")
    s.record_quiz("03.rule", 1, True)
    for lesson in ("01", "02"):
        for q in getattr(registry.lesson_module(lesson), "QUIZ", []):
            s.record_quiz(q.id, q.answer, True)
    p = progress_module.progress()
    status = {x.lesson: x for x in p.lessons}
    assert status["01"].finished and status["02"].finished
    assert not status["03"].finished and status["03"].right == 1
    assert p.next.lesson == "03"
    assert "Next: lesson 03 · Build the Value" in repr(p)
    assert "answer 1 quiz question right" in repr(p)
    assert "03_build_the_value.ipynb" in p._repr_html_()


def test_the_banner_says_when_the_previous_lesson_is_not_finished(lesson03, empty_store):
    text, page = progress_module.previous_lesson_note("04")
    assert text.startswith("Lesson 03 · Build the Value is not finished yet")
    assert "03_build_the_value.ipynb" in text and "uses the reference solution" in text
    assert "href='03_build_the_value.ipynb'" in page
    s = Store()
    for ex in registry.exercises():
        if ex.lesson == "03":
            s.record(ex.id, True, "own")
    for q in QUESTIONS:
        s.record_quiz(q.id, q.answer, True)
    assert (
        progress_module.previous_lesson_note("04")[0]
        == "✓ You finished lesson 03 · Build the Value."
    )
    assert progress_module.previous_lesson_note("01") == ("", "")


def test_study_prompts_follow_the_seed_order_with_the_lessons_context(lesson03, empty_store):
    prompts = study.study_with_ai("03")
    explain, demo, quiz = prompts
    assert "lesson 03 · Build the Value" in explain and "d(a*b)/da = b" in explain
    assert "one paragraph" in explain
    assert "c = a * b + a at a = 2, b = -3" in demo
    assert "I have not saved my own code" in demo
    assert "use = instead of += and see which checks fail" in quiz
    assert "one question at a time" in quiz
    text = repr(prompts)
    assert text.index("1. Explain the idea") < text.index("2. Walk me through the demo")
    assert text.index("2. Walk me through") < text.index("3. Quiz me on the try-it list")
    assert "nothing is sent anywhere" in text
    assert prompts._repr_html_().count("Copy prompt</button>") == 3


def test_study_prompts_carry_the_learners_own_code(lesson03, empty_store):
    ex = next(e for e in registry.exercises() if e.lesson == "03")
    Store().save_code(ex.id, "# Your code for...\ndef mine():\n    return 42\n")
    _, demo, _ = study.study_with_ai("03")
    assert "def mine():" in demo and "# Your code for" not in demo


def test_study_is_refused_for_a_lesson_without_notes():
    with pytest.raises(ValueError, match="no study prompts"):
        study.study_with_ai("00")
