"""check_add_mul (lesson 03) accepts right implementations and rejects every wrong one, every
time, naming the broken rule with a useful hint.

The learner's class is rebuilt here exactly as lesson 03 has it: the given part
(``solutions/value_scaffold.py``) plus the reference solution (``solutions/lesson03_add_mul.py``).
Each wrong implementation is that code with one plausible mistake typed into it, so the tests
feed the checker what a learner would really write; the same code is also turned into the
cycle-free form (``def _backward(out):``) to check that both forms are accepted.
"""

from __future__ import annotations

import random
from pathlib import Path

import jupytext
import pytest

from autograd import engine
from autograd.course import carry
from autograd.course.lesson03 import EXERCISES, check_add_mul
from autograd.course.report import CheckReport
from autograd.course.value_rules import FIT_RULE

REPEATS = 20  # the checker is randomised: a wrong rule must be rejected on every run

SCAFFOLD = carry.reference_source("value_scaffold.py")
ADD_MUL = carry.reference_source("03.add_mul")


def cycle_free(source: str) -> str:
    """The same code with rules written ``_backward(out)`` and called ``_backward(node)``."""
    return source.replace("def _backward():", "def _backward(out):").replace(
        "node._backward()", "node._backward(node)"
    )


def make(*edits: tuple[str, str], scaffold: str = SCAFFOLD, solution: str = ADD_MUL) -> type:
    """The learner's Value: the scaffold and the solution with each (old, new) edit made."""
    for old, new in edits:
        assert old in solution, f"edit does not apply: {old!r}"
        solution = solution.replace(old, new)
    namespace: dict = {}
    exec(compile(scaffold, "<scaffold>", "exec"), namespace)  # noqa: S102 - test fixtures
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    return namespace["Value"]


def check(cls: type, **kw) -> CheckReport:
    return check_add_mul(cls, save=False, **kw)


ADD_SELF = "self.grad += out.grad  # + copies the incoming gradient..."
ADD_OTHER = "other.grad += out.grad  # ...to both inputs"
MUL_SELF = "self.grad += other.data * out.grad  # each input gets the OTHER one's value"
MUL_OTHER = "other.grad += self.data * out.grad"
ADD_FWD = 'out = Value(self.data + other.data, (self, other), "+")'
MUL_FWD = 'out = Value(self.data * other.data, (self, other), "*")'
ADD_WRAP = "other = other if isinstance(other, Value) else Value(other)  # lets you write a + 1"
MUL_WRAP = "other = other if isinstance(other, Value) else Value(other)  # lets you write a * 2"

READS_GRADS = "You used the other input's `.grad` (a gradient, still 0 while the rules run)"

# label -> (the edits, the rule that must be named, words the report must say; "" = any)
WRONG = {
    # + mistakes
    "add: = instead of +=": (
        [(ADD_SELF, "self.grad = out.grad"), (ADD_OTHER, "other.grad = out.grad")], "add", "+="),
    "add: other forgotten": ([(ADD_OTHER, "pass")], "add", "stayed 0"),
    "add: self forgotten": ([(ADD_SELF, "pass")], "add", "stayed 0"),
    "add: out.grad ignored": (
        [(ADD_SELF, "self.grad += 1.0"), (ADD_OTHER, "other.grad += 1.0")], "add", "out.grad"),
    "add: 2 * out.grad": (
        [(ADD_SELF, "self.grad += 2 * out.grad"), (ADD_OTHER, "other.grad += 2 * out.grad")],
        "add", "2 · out.grad"),
    "add: like mul": (
        [(ADD_SELF, "self.grad += other.data * out.grad"),
         (ADD_OTHER, "other.grad += self.data * out.grad")], "add", ""),
    "add: rule never attached": (
        [("    out._backward = _backward\n    return out\n\n\ndef __mul__",
          "    return out\n\n\ndef __mul__")], "add", "No gradient reached"),
    "add: forward a * b": ([(ADD_FWD, ADD_FWD.replace("+ other", "* other"))], "add", "c.data"),
    "add: inputs not remembered": (
        [(ADD_FWD, 'out = Value(self.data + other.data, (), "+")')], "add",
        "does not remember the"),
    "add: numbers not wrapped": ([(ADD_WRAP, "pass")], "add", "Wrap numbers first"),
    # * mistakes
    "mul: own factor": (
        [(MUL_SELF, "self.grad += self.data * out.grad"),
         (MUL_OTHER, "other.grad += other.data * out.grad")], "mul", "*other* factor"),
    "mul: = instead of +=": (
        [(MUL_SELF, "self.grad = other.data * out.grad"),
         (MUL_OTHER, "other.grad = self.data * out.grad")], "mul", "+="),
    "mul: other forgotten": ([(MUL_OTHER, "pass")], "mul", "stayed 0"),
    "mul: self forgotten": ([(MUL_SELF, "pass")], "mul", "stayed 0"),
    "mul: out.grad ignored": (
        [(MUL_SELF, "self.grad += other.data"), (MUL_OTHER, "other.grad += self.data")],
        "mul", "out.grad"),
    "mul: like add": (
        [(MUL_SELF, "self.grad += out.grad"), (MUL_OTHER, "other.grad += out.grad")],
        "mul", "rule for +"),
    "mul: times out.data": (
        [(MUL_SELF, "self.grad += out.data * out.grad"),
         (MUL_OTHER, "other.grad += out.data * out.grad")], "mul", "out.data"),
    "mul: rule never attached": (
        [("    out._backward = _backward\n    return out\n\n\nValue.__add__",
          "    return out\n\n\nValue.__add__")], "mul", "No gradient reached"),
    "mul: forward a + b": ([(MUL_FWD, MUL_FWD.replace("* other", "+ other"))], "mul", "c.data"),
    "mul: numbers not wrapped": ([(MUL_WRAP, "pass")], "mul", "Wrap numbers first"),
    "mul: .grad for .data": (  # the quiz's misconception: b.grad is still 0 when the rule runs
        [(MUL_SELF, "self.grad += other.grad * out.grad"),
         (MUL_OTHER, "other.grad += self.grad * out.grad")], "mul", READS_GRADS),
    "mul: .grad for .data in self's line": (
        [(MUL_SELF, "self.grad += other.grad * out.grad")], "mul", READS_GRADS),
}  # fmt: skip


def wrong_classes():
    for label, (edits, rule, words) in WRONG.items():
        yield pytest.param(make(*edits), rule, words, id=label)


# ----------------------------------------------------------------------------- accepted
class OwnForm:
    """A learner's class written from scratch in the cycle-free form, with its own backward()."""

    def __init__(self, data, _prev=(), _op=""):
        self.data, self.grad, self._prev, self._op, self._backward = data, 0.0, _prev, _op, None

    def _wrap(self, other):
        return other if isinstance(other, OwnForm) else OwnForm(other)

    def __add__(self, other):
        other = self._wrap(other)
        out = OwnForm(self.data + other.data, (self, other), "+")

        def _backward(out):
            a, b = out._prev
            a.grad += out.grad
            b.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = OwnForm(self.data * other.data, (self, other), "*")

        def _backward(out):
            a, b = out._prev
            a.grad += b.data * out.grad
            b.grad += a.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for p in v._prev:
                    visit(p)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            if v._backward:
                v._backward(v)


RIGHT = [
    pytest.param(make(), id="reference (closure form)"),
    pytest.param(
        make(scaffold=cycle_free(SCAFFOLD), solution=cycle_free(ADD_MUL)),
        id="reference (cycle-free form)",
    ),  # fmt: skip
    pytest.param(carry.build("value", "04")[0]["Value"], id="carry.build"),
    pytest.param(OwnForm, id="own class, _backward(out)"),
    pytest.param(engine.Value, id="autograd.Value"),
]
try:  # micrograd is in the project venv (benchmarks); the checker must accept it too
    from micrograd.engine import Value as MicrogradValue

    RIGHT.append(pytest.param(MicrogradValue, id="micrograd"))
except ImportError:  # pragma: no cover
    pass


@pytest.mark.parametrize("cls", RIGHT)
def test_right_implementations_pass_every_time(cls):
    for _ in range(REPEATS):
        report = check(cls)
        assert report, str(report)
        assert not report.failures
        assert report.passed == report.checks > 50


def test_exercise_is_registered_with_what_it_provides():
    (ex,) = EXERCISES
    assert ex.id == "03.add_mul" and ex.checker == "check_add_mul" and ex.chain == "value"
    assert ex.provides == ("Value.__add__", "Value.__mul__")


def test_all_pass_output_is_deterministic_and_encouraging():
    reports = [check(make()) for _ in range(3)]
    texts = {(repr(r), str(r), r._repr_html_()) for r in reports}
    assert len(texts) == 1
    text = repr(reports[0])
    assert text.startswith(f"✓ All {reports[0].checks} checks passed")
    assert "+ and *" in text


def test_the_report_is_finished_for_the_exercise():
    assert check(make()).exercise == "03.add_mul"  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- rejected
@pytest.mark.parametrize(("cls", "op", "words"), list(wrong_classes()))
def test_wrong_add_or_mul_rejected_every_time(cls, op, words):
    for _ in range(REPEATS):
        report = check(cls)
        assert not report, f"a wrong {op} passed (seed={report.seed})"
        # The broken operation is named, and only it: the other one is not blamed.
        assert report.failed_rules == [op], (report.failed_rules, report.seed, str(report))
        assert op in repr(report)
        assert report.failures and all(f.rule == op for f in report.failures)
        assert words in str(report), str(report)


@pytest.mark.parametrize("label", list(WRONG))
def test_wrong_rules_rejected_in_the_cycle_free_form_too(label):
    edits, op, _ = WRONG[label]
    free = make(*[(cycle_free(o), cycle_free(n)) for o, n in edits],
                scaffold=cycle_free(SCAFFOLD), solution=cycle_free(ADD_MUL))  # fmt: skip
    for _ in range(5):
        report = check(free)
        assert not report and report.failed_rules == [op], str(report)


def test_wrong_add_and_mul_both_named():
    cls = make(*WRONG["add: 2 * out.grad"][0], *WRONG["mul: own factor"][0])
    for _ in range(REPEATS):
        report = check(cls)
        assert report.failed_rules == ["add", "mul"]
        assert "could not be judged" in str(report)  # the together row waits for both


def test_failure_shows_concrete_example_with_got_and_expected():
    report = check(make(*WRONG["mul: like add"][0]), seed=7)
    first = report.failures[0]
    assert first.rule == "mul" and first.expression == "c = a * b"
    a, b = first.inputs["a"], first.inputs["b"]
    # expected a.grad = b (times c.grad = 1), computed here independently of the checker
    name = first.quantity.split(".")[0]
    other = b if name == "a" else a
    assert first.expected == pytest.approx(other, abs=1e-6)
    assert first.got == 1.0
    assert f"a={a:g}" in first.message and f"b={b:g}" in first.message
    assert "c.grad=1" in first.message and "got 1.0" in first.message
    assert "rule for +" in first.hint
    assert "expected" in str(report) and "hint:" in str(report)
    assert "got 1.0" in report._repr_html_()


def test_a_rule_that_reads_grads_gets_its_hint_not_the_no_gradient_one():
    report = check(make(*WRONG["mul: .grad for .data"][0]), seed=3)
    text = str(report)
    assert f"{READS_GRADS} where the rule needs its `.data` (its value): " in text
    assert "`self.grad += other.data * out.grad`" in text
    assert "No gradient reached" not in text  # the rule is attached: it ran and added 0


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("both", [True, False], ids=["both lines", "self's line"])
def test_adding_out_data_in_the_rule_of_plus_is_named(both, seed):
    edits = [(ADD_SELF, "self.grad += out.data")]
    if both:
        edits.append((ADD_OTHER, "other.grad += out.data"))
    report = check(make(*edits), seed=seed)
    assert report.failed_rules == ["add"], str(report)
    assert "hint: That is out.data, the forward value a + b." in str(report)
    assert "`self.grad += out.grad` and `other.grad += out.grad`" in str(report)


def test_wrong_forward_value_reported():
    report = check(make(*WRONG["add: forward a * b"][0]), seed=1)
    assert "c.data" in str(report) and "a.data + b.data" in str(report)


# ----------------------------------------------------------------------------- both forms
def test_rules_that_do_not_fit_the_given_backward_get_the_signature_hint():
    # cycle-free rules, but the lesson's backward() calls node._backward()
    report = check(make(solution=cycle_free(ADD_MUL)))
    assert not report
    assert report.failed_rules == [FIT_RULE], str(report)
    assert "expects an argument" in str(report) and "def _backward():" in str(report)
    # closures, but a backward() that calls node._backward(node)
    report = check(make(scaffold=cycle_free(SCAFFOLD)))
    assert report.failed_rules == [FIT_RULE], str(report)
    assert "takes no argument" in str(report)


def test_a_wrong_rule_and_a_wrong_signature_are_both_reported():
    cls = make(*WRONG["mul: own factor"][0], solution=cycle_free(ADD_MUL))
    report = check(cls)
    assert report.failed_rules == ["mul", FIT_RULE], str(report)


def test_a_broken_backward_is_blamed_when_the_rules_are_right():
    scaffold = SCAFFOLD.replace("for node in reversed(order):", "for node in order:")
    report = check(make(scaffold=scaffold))
    assert report.failed_rules == [FIT_RULE], str(report)
    assert "Your rules are right" in str(report)


# ----------------------------------------------------------------------------- stubs & errors
STUB = ADD_MUL.replace(ADD_SELF, 'raise NotImplementedError("write the backward rule of +")')
STUB = STUB.replace(ADD_OTHER, "").replace(MUL_OTHER, "")
STUB = STUB.replace(MUL_SELF, 'raise NotImplementedError("write the backward rule of *")')


def test_stub_reported_kindly_and_deterministically():
    cls = make(solution=STUB)
    reports = [check(cls) for _ in range(3)]
    report = reports[0]
    assert not report
    assert report.failed_rules == ["add", "mul"]
    text = str(report)
    assert "the _backward of __add__ raised NotImplementedError: write the backward" in text
    assert "complete the stub" in text
    # no random numbers in the output: the saved notebook shows the same thing every run
    assert len({(repr(r), str(r), r._repr_html_()) for r in reports}) == 1


def test_half_done_blames_only_the_stub():
    half = ADD_MUL.replace(MUL_SELF, "raise NotImplementedError").replace(MUL_OTHER, "")
    report = check(make(solution=half))
    assert report.failed_rules == ["mul"]
    assert "the _backward of __mul__ raised NotImplementedError — complete the stub" in str(report)
    assert "could not be judged" in str(report)  # add's cases that need * wait for it


def test_forgotten_return_is_diagnosed():
    cls = make(("    out._backward = _backward\n    return out\n\n\ndef __mul__",
                "    out._backward = _backward\n\n\ndef __mul__"))  # fmt: skip
    report = check(cls)
    assert report.failed_rules == ["add"]
    assert "return out" in str(report)


def test_checker_needs_the_class_not_an_instance():
    with pytest.raises(TypeError, match="class"):
        check_add_mul(make()(1.0))


def test_seed_repeats_a_run_exactly():
    cls = make(*WRONG["mul: own factor"][0])
    r1, r2 = check(cls, seed=123), check(cls, seed=123)
    assert str(r1) == str(r2) and r1.seed == 123
    assert check(cls).seed != check(cls).seed  # fresh numbers otherwise


def test_values_are_fresh_each_call():
    cls = make(*WRONG["mul: own factor"][0])
    examples = {check(cls).failures[0].message for _ in range(10)}
    assert len(examples) > 1


def test_report_type_and_counts():
    cls = make()
    report = check(cls, rounds=2)
    assert isinstance(report, CheckReport)
    assert report.rules == ["add", "mul", "add & mul together", FIT_RULE]
    once = check(cls)
    assert report.checks - once.checks == sum(r.checks for r in once._rules if r.name != FIT_RULE)


def test_checker_does_not_touch_global_random_state():
    random.seed(5)
    before = random.random()
    random.seed(5)
    check(make())
    assert random.random() == before


def test_the_lesson_scaffold_accumulates_leaf_gradients_like_the_package():
    Value = make()
    for cls in (Value, engine.Value):
        a, b = cls(2.0), cls(-3.0)
        c = a * b + a
        c.backward()
        c.backward()
        assert (a.grad, b.grad) == (-4.0, 4.0)  # leaves add up across calls


def test_the_lessons_own_stub_fails_deterministically_naming_both_rules():
    (path,) = (Path(__file__).resolve().parents[2] / "lessons").glob("03_*.py")
    cells = jupytext.read(path, fmt="py:percent").cells
    (stub,) = [c.source for c in cells if "exercise" in c.metadata.get("tags", [])]
    reports = [check(make(solution=stub)) for _ in range(3)]
    assert reports[0].failed_rules == ["add", "mul"], str(reports[0])
    assert "complete the stub" in str(reports[0])
    assert len({(repr(r), str(r), r._repr_html_()) for r in reports}) == 1
