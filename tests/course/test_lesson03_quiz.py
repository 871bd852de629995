"""Lesson 03's quiz explanations are true: what the checker says and fails when the rule of
`+` assigns instead of adding, and the numbers of the two-copy loss and a second backward().
(The generic checks of every lesson's quiz and study prompts are in ``test_quizzes.py``.)"""

from __future__ import annotations

from lesson_text import code_cells

from autograd.course import carry, lesson03
from autograd.course.lesson03 import check_add_mul

LESSON = "03"
MODULE = lesson03


# --------------------------------------------------------------------------- the claims
SCAFFOLD = carry.reference_source("value_scaffold.py")
ADD_MUL = carry.reference_source("03.add_mul")
ADD_RULE = ("self.grad += out.grad", "other.grad += out.grad")


def make(solution: str = ADD_MUL) -> type:
    namespace: dict = {}
    exec(compile(SCAFFOLD, "<scaffold>", "exec"), namespace)  # noqa: S102 - test fixtures
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    return namespace["Value"]


def assigning_add() -> type:
    """The Try it bullet: `=` instead of `+=` in the rule of `+` only."""
    source = ADD_MUL
    for rule in ADD_RULE:
        assert rule in source
        source = source.replace(rule, rule.replace("+=", "="))
    return make(source)


def grads(cls: type, f, *data: float) -> list[float]:
    xs = [cls(d) for d in data]
    f(*xs).backward()
    return [x.grad for x in xs]


def test_with_assignment_in_plus_the_check_fails_just_the_expressions_the_quiz_says():
    question = next(q for q in MODULE.QUIZ if q.id == "03.assign")
    right = question.choices[question.answer].text.strip("`")
    wrong = [c.text.strip("`") for i, c in enumerate(question.choices) if i != question.answer]
    for seed in (1, 2, 3):
        report = check_add_mul(assigning_add(), seed=seed, save=False)
        assert report.failed_rules == ["add"]
        failed = {f.expression for f in report.failures}
        unjudged = {f.expression for r in report._rules for f in r.blocked}
        assert failed == {"c = a + a", "d = (a + b) + a"}
        assert "e = (a + b) * (a * c)" in unjudged
        assert right not in failed | unjudged
        assert set(wrong) <= failed | unjudged
        text = str(report)
        assert "expected a.grad = 2.0" in text and "got 1.0" in text
        assert "could not be judged: it also uses +, which needs fixing first" in text
    broken, reference = assigning_add(), make()
    a, b, c = 2.0, -3.0, 4.0
    assert grads(broken, lambda a, b: a * b + a, a, b) == [b + 1, a]  # still right
    assert grads(broken, lambda a: a + a, a) == [1.0]
    assert grads(broken, lambda a, b: (a + b) + a, a, b) == [1.0, 1.0]
    # (a + b) * (a * c): the + overwrites the share from a * c, leaving a·c only
    assert grads(broken, lambda a, b, c: (a + b) * (a * c), a, b, c)[0] == a * c
    assert grads(reference, lambda a, b, c: (a + b) * (a * c), a, b, c)[0] == a * c + (a + b) * c


def test_the_checker_names_the_own_value_slip_as_the_quiz_quotes_it():
    own = ADD_MUL.replace("self.grad += other.data * out.grad", "self.grad += self.data * out.grad")
    assert own != ADD_MUL
    report = check_add_mul(make(own), seed=4, save=False)
    assert "mul" in report.failed_rules
    assert "You multiplied by a's own value" in str(report)
    assert "You multiplied by a's own value" in MODULE.QUIZ[0].choices[1].why


def test_the_two_copy_loss_and_a_second_backward_give_the_quoted_numbers():
    Value = make()
    w, x, y = Value(3.0), Value(2.0), Value(5.0)
    L = (w * x + Value(-1) * y) * (w * x + Value(-1) * y)
    L.backward()
    u, v = L._prev
    assert (u.data, v.data, u.grad, v.grad, w.grad) == (1.0, 1.0, 1.0, 1.0, 4.0)
    L.backward()
    assert w.grad == 8.0
    for leaf in (w, x, y):  # the Try it bullet: after zero_grad, three more calls
        leaf.grad = 0.0
    L.backward()
    for _ in range(3):
        L.backward()
    assert w.grad == 16.0


def test_the_cells_the_browser_test_finds_are_unchanged():
    code = code_cells(LESSON)
    assert "check_add_mul(Value)" in code
    assert any("rules = animate_backward(f)" in c for c in code)
