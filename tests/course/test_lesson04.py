"""check_pow, check_arith and check_funcs (lesson 04) accept right implementations and reject
every wrong one, every time, naming the broken operation — and only it — with a useful hint.

The learner's class is rebuilt as lesson 04 has it: the given part, lesson 03's reference
solution and lesson 04's (``solutions/lesson04_*.py``). Each wrong implementation is that code
with one plausible mistake typed into it; the same code in the cycle-free form
(``def _backward(out):``) must be judged the same way.
"""

from __future__ import annotations

import math
from pathlib import Path

import jupytext
import pytest

from autograd import engine
from autograd.course import carry
from autograd.course.lesson04 import EXERCISES, check_arith, check_funcs, check_pow
from autograd.course.value_rules import FIT_RULE

REPEATS = 20  # the checkers are randomised: a wrong rule must be rejected on every run

SCAFFOLD = carry.reference_source("value_scaffold.py")
CHAIN = ("03.add_mul", "04.pow", "04.arith", "04.funcs")
SOURCES = {name: carry.reference_source(name) for name in CHAIN}


def cycle_free(source: str) -> str:
    """The same code with rules written ``_backward(out)`` and called ``_backward(node)``."""
    return source.replace("def _backward():", "def _backward(out):").replace(
        "node._backward()", "node._backward(node)"
    )


def make(*edits: tuple[str, str], free: bool = False, upto: str = "04.funcs") -> type:
    """The learner's Value after lesson 04 (or up to exercise ``upto``), with each (old, new)
    edit made once in the solutions' text."""
    names = CHAIN[: CHAIN.index(upto) + 1]
    solution = "\n\n".join(SOURCES[n] for n in names)
    for old, new in edits:
        assert solution.count(old) == 1, f"edit does not apply exactly once: {old!r}"
        solution = solution.replace(old, new)
    scaffold = SCAFFOLD
    if free:
        scaffold, solution = cycle_free(scaffold), cycle_free(solution)
    namespace: dict = {}
    exec(compile(scaffold, "<scaffold>", "exec"), namespace)  # noqa: S102 - test fixtures
    exec(compile(solution, "<solution>", "exec"), namespace)  # noqa: S102
    return namespace["Value"]


CHECKERS = {"pow": check_pow, "arith": check_arith, "funcs": check_funcs}


def check(which: str, cls: type, **kw):
    return CHECKERS[which](cls, save=False, **kw)


POW = "self.grad += n * self.data ** (n - 1) * out.grad  # power rule × incoming gradient"
POW_FWD = 'out = Value(self.data**n, (self,), f"**{n:g}")'


def rule(line: str) -> str:
    return f"        {line}\n"


# label -> (checker, edits, the rules that must fail, words the report must say; "" = any)
WRONG = {
    # ** (the power rule)
    "pow: n * x**n": ("pow", [(POW, "self.grad += n * self.data**n * out.grad")], ["pow"],
                      "lowers the exponent"),
    "pow: forgets n": ("pow", [(POW, "self.grad += self.data ** (n - 1) * out.grad")], ["pow"],
                       "factor n is missing"),
    "pow: (n-1) in front": ("pow", [(POW, "self.grad += (n - 1) * self.data ** (n - 1) * "
                                          "out.grad")], ["pow"], "not n - 1"),
    "pow: = instead of +=": ("pow", [(POW, "self.grad = n * self.data ** (n - 1) * out.grad")],
                             ["pow with + and *"], "+="),
    "pow: out.grad ignored": ("pow", [(POW, "self.grad += n * self.data ** (n - 1)")], ["pow"],
                              "out.grad"),
    "pow: x**n": ("pow", [(POW, "self.grad += self.data**n * out.grad")], ["pow"],
                  "forward value"),
    "pow: x**(n-1) * n * x": ("pow", [(POW, "self.grad += n * self.data**n / self.data * "
                                            "out.grad")], [], ""),  # right: accepted
    "pow: no backward": ("pow", [(POW, "pass")], ["pow"], "stayed 0"),
    "pow: ** n-1 without brackets": ("pow", [(POW, "self.grad += n * self.data ** n-1 * out.grad")],
                                     ["pow"], "`** n-1` without brackets is read `(** n) - 1`"),
    "pow: a new Value that forgets its input": (
        "pow", [(POW_FWD, 'out = Value(self.data**n, (), f"**{n:g}")')], ["pow"],
        'Give the new Value its input, `(self,)`: `Value(..., (self,), f"**{n:g}")`'),
    "pow: forward x * n": ("pow", [(POW_FWD, 'out = Value(self.data * n, (self,), "**")')],
                           ["pow"], "c.data"),
    # -a, a - b, a / b
    "neg: sign lost": ("arith", [("return self * -1", "return self * 1")], ["neg"],
                       "That is a itself, not -a: multiply by -1, `self * -1`."),
    "neg: a new Value that forgets its input": (
        "arith", [("return self * -1", "return Value(-self.data)")], ["neg"],
        "Build -a from the operations you have, `return self * -1`"),
    "neg: own rule, wrong sign": ("arith", [("return self * -1", (
        "out = Value(-self.data, (self,), 'neg')\n\n"
        "    def _backward():\n"
        "        self.grad += out.grad\n\n"
        "    out._backward = _backward\n"
        "    return out"))], ["neg"], "sign"),
    "sub: b's sign": ("arith", [("return self + (-other)", "return self + other")], ["sub"],
                      ""),
    "sub: own rule, b's sign": ("arith", [("return self + (-other)", (
        "other = other if isinstance(other, Value) else Value(other)\n"
        "    out = Value(self.data - other.data, (self, other), '-')\n\n"
        "    def _backward():\n"
        "        self.grad += out.grad\n"
        "        other.grad += out.grad\n\n"
        "    out._backward = _backward\n"
        "    return out"))], ["sub"], "The sign"),
    "sub: swapped": ("arith", [("return self + (-other)", "return other + (-self)")], ["sub"],
                     "That is b - a: in `__sub__`, `self` is the input on the left"),
    "rsub: a - 5 for 5 - a": ("arith", [("return other + (-self)", "return self + (-other)")],
                              ["sub"], "3 - a gave a - 3: in `__rsub__`, `self` is a and "
                              "`other` is the number on the left, 3, so 3 - a is "
                              "`other + (-self)`."),
    "rsub: a - 5 for 5 - a, written with -": (
        "arith", [("return other + (-self)", "return self - other")], ["sub"],
        "3 - a gave a - 3: in `__rsub__`"),
    "rsub: a new Value that forgets its inputs": (
        "arith", [("return other + (-self)", "return Value(other - self.data)")], ["sub"],
        "Build 3 - a from the operations you have, `return other + (-self)`"),
    "rsub: missing": ("arith", [("Value.__rsub__ = __rsub__", "")], ["sub"],
                      "no `__rsub__` yet"),
    "div: times b": ("arith", [("return self * other**-1", "return self * other")], ["div"],
                     "c.data"),
    "div: own rule, b's sign": ("arith", [("return self * other**-1", (
        "other = other if isinstance(other, Value) else Value(other)\n"
        "    out = Value(self.data / other.data, (self, other), '/')\n\n"
        "    def _backward():\n"
        "        self.grad += out.grad / other.data\n"
        "        other.grad += self.data / other.data**2 * out.grad\n\n"
        "    out._backward = _backward\n"
        "    return out"))], ["div"], "The sign"),
    "div: own rule, = for b": ("arith", [("return self * other**-1", (
        "other = other if isinstance(other, Value) else Value(other)\n"
        "    out = Value(self.data / other.data, (self, other), '/')\n\n"
        "    def _backward():\n"
        "        self.grad += out.grad / other.data\n"
        "        other.grad = -self.data / other.data**2 * out.grad\n\n"
        "    out._backward = _backward\n"
        "    return out"))], ["div"], "+="),
    "rdiv: a / 2 for 2 / a": ("arith", [("return other * self**-1", "return self * other**-1")],
                              ["div"], "2 / a gave a / 2: in `__rtruediv__`, `self` is a and "
                              "`other` is the number on the left, 2, so 2 / a is "
                              "`other * self**-1`."),
    "div: swapped": ("arith", [("return self * other**-1", "return other * self**-1")],
                     ["div"], "That is b / a: in `__truediv__`, `self` is the input on the left"),
    "neg: missing": ("arith", [("Value.__neg__ = __neg__", "")], ["neg"], "no `__neg__` yet"),
    # exp, log, tanh, relu, sigmoid
    "exp: slope 1": ("funcs", [("self.grad += out.data * out.grad  # d exp",
                                "self.grad += out.grad  # d exp")], ["exp"], "That is 1"),
    "exp: slope x": ("funcs", [("self.grad += out.data * out.grad  # d exp",
                                "self.grad += self.data * out.grad  # d exp")], ["exp"],
                     "That is x"),
    "exp: = instead of +=": ("funcs", [("self.grad += out.data * out.grad  # d exp",
                                        "self.grad = out.data * out.grad  # d exp")], ["exp"],
                             "+="),
    "exp: out.grad ignored": ("funcs", [("self.grad += out.data * out.grad  # d exp",
                                         "self.grad += out.data  # d exp")], ["exp"],
                              "out.grad"),
    "log: slope x": ("funcs", [("self.grad += out.grad / self.data",
                                "self.grad += out.grad * self.data")], ["log"],
                     "divide by x"),
    "log: slope log x": ("funcs", [("self.grad += out.grad / self.data",
                                    "self.grad += out.data * out.grad")], ["log"],
                         "log(x) itself"),
    "log: = instead of +=": ("funcs", [("self.grad += out.grad / self.data",
                                        "self.grad = out.grad / self.data")], ["log"], "+="),
    "log: divided by the output": ("funcs", [("self.grad += out.grad / self.data",
                                              "self.grad += out.grad / out.data")], ["log"],
                                   "That is 1/log(x): you divided by out.data, the output"),
    "exp: a new Value that forgets its input": (
        "funcs", [('out = Value(math.exp(self.data), (self,), "exp")',
                   "out = Value(math.exp(self.data))")], ["exp"],
        'Give the new Value its input, `(self,)`: `Value(..., (self,), "exp")`'),
    "tanh: 1 - tanh": ("funcs", [("(1 - out.data**2) * out.grad",
                                  "(1 - out.data) * out.grad")], ["tanh"], "square it"),
    "tanh: 1 - x²": ("funcs", [("(1 - out.data**2) * out.grad",
                                "(1 - self.data**2) * out.grad")], ["tanh"], "not x"),
    "tanh: out.grad ignored": ("funcs", [("(1 - out.data**2) * out.grad", "(1 - out.data**2)")],
                               ["tanh"], "out.grad"),
    "relu: slope 1 everywhere": ("funcs", [("(1.0 if self.data > 0 else 0.0) * out.grad",
                                            "out.grad")], ["relu"], "x < 0"),
    "relu: slope x": ("funcs", [("(1.0 if self.data > 0 else 0.0) * out.grad",
                                 "max(self.data, 0.0) * out.grad")], ["relu"], "not x"),
    "relu: = instead of +=": ("funcs", [(
        "self.grad += (1.0 if self.data > 0 else 0.0) * out.grad",
        "self.grad = (1.0 if self.data > 0 else 0.0) * out.grad")], ["relu"], "+="),
    "relu: forward abs": ("funcs", [("max(self.data, 0.0)", "abs(self.data)")], ["relu"],
                          "c.data"),
    "sigmoid: slope s": ("funcs", [("out.data * (1 - out.data) * out.grad",
                                    "out.data * out.grad")], ["sigmoid"], "σ(x) itself"),
    "sigmoid: slope 1 - s": ("funcs", [("out.data * (1 - out.data) * out.grad",
                                        "(1 - out.data) * out.grad")], ["sigmoid"],
                             "multiply by σ(x) too"),
    "sigmoid: forward e^-x wrong sign": ("funcs", [("1 / (1 + math.exp(-self.data))",
                                                    "1 / (1 + math.exp(self.data))")],
                                         ["sigmoid"], "c.data"),
    "tanh: missing": ("funcs", [("Value.tanh = tanh", "")], ["tanh"], "no `tanh` yet"),
}  # fmt: skip


def wrong_cases():
    for label, (which, edits, failed, words) in WRONG.items():
        if failed:
            yield pytest.param(which, edits, failed, words, id=label)


@pytest.mark.parametrize(("which", "edits", "failed", "words"), list(wrong_cases()))
def test_wrong_implementations_rejected_every_time_naming_only_the_broken_op(
    which, edits, failed, words
):
    cls = make(*edits)
    for _ in range(REPEATS):
        report = check(which, cls)
        assert not report, f"a wrong implementation passed (seed={report.seed})"
        assert report.failed_rules == failed, (report.failed_rules, report.seed, str(report))
        assert all(f.rule in failed for f in report.failures)
        assert words in str(report), str(report)


@pytest.mark.parametrize(("which", "edits", "failed", "words"), list(wrong_cases()))
def test_wrong_implementations_rejected_in_the_cycle_free_form(which, edits, failed, words):
    cls = make(*edits, free=True)
    for _ in range(5):
        report = check(which, cls)
        assert not report and report.failed_rules == failed, str(report)


def test_each_checker_rejects_at_least_five_wrong_implementations():
    counts = {w: sum(1 for v in WRONG.values() if v[0] == w and v[2]) for w in CHECKERS}
    assert all(n >= 5 for n in counts.values()), counts
    for op in ("neg", "sub", "div", "exp", "log", "tanh", "relu", "sigmoid"):
        assert any(op in v[2] for v in WRONG.values()), op


# ----------------------------------------------------------------------------- accepted
class OwnRules:
    """A learner who gave every lesson-04 operation a rule of its own, cycle-free form."""

    def __init__(self, data, _prev=()):
        self.data, self.grad, self._prev, self._backward = float(data), 0.0, tuple(_prev), None

    @staticmethod
    def _v(x):
        return x if isinstance(x, OwnRules) else OwnRules(x)

    def _node(self, data, prev, rule):
        out = OwnRules(data, prev)
        out._backward = rule
        return out

    def __add__(self, o):
        o = self._v(o)

        def rule(out):
            out._prev[0].grad += out.grad
            out._prev[1].grad += out.grad

        return self._node(self.data + o.data, (self, o), rule)

    def __mul__(self, o):
        o = self._v(o)

        def rule(out):
            a, b = out._prev
            a.grad += b.data * out.grad
            b.grad += a.data * out.grad

        return self._node(self.data * o.data, (self, o), rule)

    __radd__, __rmul__ = __add__, __mul__

    def __pow__(self, n):
        def rule(out):
            out._prev[0].grad += n * out._prev[0].data ** (n - 1) * out.grad

        return self._node(self.data**n, (self,), rule)

    def __neg__(self):
        def rule(out):
            out._prev[0].grad -= out.grad

        return self._node(-self.data, (self,), rule)

    def __sub__(self, o):
        o = self._v(o)

        def rule(out):
            out._prev[0].grad += out.grad
            out._prev[1].grad -= out.grad

        return self._node(self.data - o.data, (self, o), rule)

    def __rsub__(self, o):
        return self._v(o) - self

    def __truediv__(self, o):
        o = self._v(o)

        def rule(out):
            a, b = out._prev
            a.grad += out.grad / b.data
            b.grad -= a.data / b.data**2 * out.grad

        return self._node(self.data / o.data, (self, o), rule)

    def __rtruediv__(self, o):
        return self._v(o) / self

    def _unary(self, f, slope):
        def rule(out):
            out._prev[0].grad += slope(out._prev[0].data, out.data) * out.grad

        return self._node(f(self.data), (self,), rule)

    def exp(self):
        return self._unary(math.exp, lambda x, y: y)

    def log(self):
        return self._unary(math.log, lambda x, y: 1 / x)

    def tanh(self):
        return self._unary(math.tanh, lambda x, y: 1 - y * y)

    def relu(self):
        return self._unary(lambda x: max(x, 0.0), lambda x, y: float(x > 0))

    def sigmoid(self):
        return self._unary(lambda x: 1 / (1 + math.exp(-x)), lambda x, y: y * (1 - y))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                order.append(v)
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((p, False) for p in v._prev)
        self.grad = 1.0
        for v in reversed(order):
            if v._backward is not None:
                v._backward(v)


RIGHT = [
    pytest.param(make(), id="reference (closure form)"),
    pytest.param(make(free=True), id="reference (cycle-free form)"),
    pytest.param(carry.build("value", "05")[0]["Value"], id="carry.build"),
    pytest.param(make(*WRONG["pow: x**(n-1) * n * x"][1]), id="pow written differently"),
    pytest.param(OwnRules, id="own rules for every op"),
    pytest.param(engine.Value, id="autograd.Value"),
]


@pytest.mark.parametrize("cls", RIGHT)
@pytest.mark.parametrize("which", list(CHECKERS))
def test_right_implementations_pass_every_time(which, cls):
    for _ in range(REPEATS):
        report = check(which, cls)
        assert report, str(report)
        assert not report.failures
        assert report.passed == report.checks > 40


def test_micrograd_passes_pow_and_arith_and_lacks_the_functions():
    micrograd = pytest.importorskip("micrograd.engine")
    assert check("pow", micrograd.Value) and check("arith", micrograd.Value)
    report = check("funcs", micrograd.Value)
    assert report.failed_rules == ["exp", "log", "tanh", "sigmoid"]  # it has only relu
    assert "no `exp` yet" in str(report)


def test_pow_checker_accepts_the_exercise_before_the_later_ones():
    assert check("pow", make(upto="04.pow"))
    assert check("arith", make(upto="04.arith"))


def test_exercises_are_registered_in_chain_order():
    assert [ex.id for ex in EXERCISES] == ["04.pow", "04.arith", "04.funcs"]
    assert [ex.checker for ex in EXERCISES] == ["check_pow", "check_arith", "check_funcs"]
    assert all(ex.chain == "value" for ex in EXERCISES)
    ops = {p for ex in EXERCISES for p in ex.provides}
    assert ops == {
        "Value.__pow__", "Value.__neg__", "Value.__sub__", "Value.__rsub__",
        "Value.__truediv__", "Value.__rtruediv__", "Value.exp", "Value.log", "Value.tanh",
        "Value.relu", "Value.sigmoid",
    }  # fmt: skip


def test_every_operation_is_named_in_its_report():
    assert check("pow", make()).rules == ["add & mul (lesson 03)", "pow", "pow with + and *",
                                          FIT_RULE]  # fmt: skip
    assert check("arith", make()).rules == [
        "earlier operations (lessons 03-04)", "neg", "sub", "div", FIT_RULE]  # fmt: skip
    assert check("funcs", make()).rules == [
        "earlier operations (lessons 03-04)", "exp", "log", "tanh", "relu", "sigmoid", FIT_RULE,
    ]  # fmt: skip


# ----------------------------------------------------------------------------- blame
def test_a_wrong_pow_rule_is_not_blamed_on_plus_equals_in_the_together_row():
    cls = make(*WRONG["pow: n * x**n"][1])
    for _ in range(REPEATS):
        report = check("pow", cls)
        assert report.failed_rules == ["pow"]
        text = str(report)
        together = text.split("pow with + and *", 1)[1].split("\n")[1]
        assert "could not be judged" in together and "**" in together, text
        assert "+=" not in text, text


def test_pow_check_blames_broken_mul_not_pow():
    mul = "self.grad += other.data * out.grad  # each input gets the OTHER one's value"
    cls = make((mul, "self.grad += self.data * out.grad"))
    for _ in range(REPEATS):
        report = check("pow", cls)
        assert not report
        assert report.failed_rules == ["add & mul (lesson 03)"], str(report)


def test_composed_ops_wait_for_the_op_they_are_built_from():
    # a broken ** makes a / b (built as a * b**-1) wrong too: the report names **
    cls = make((POW, "self.grad += n * self.data**n * out.grad"))
    report = check("arith", cls)
    assert report.failed_rules == ["earlier operations (lessons 03-04)"], str(report)
    assert "could not be judged" in str(report)


def test_signature_mismatch_gets_the_targeted_hint():
    mixed = make(("def _backward():\n        self.grad += out.data * out.grad",
                  "def _backward(out):\n        self.grad += out.data * out.grad"))  # fmt: skip
    report = check("funcs", mixed)
    assert report.failed_rules == [FIT_RULE], str(report)
    assert "expects an argument" in str(report)


def test_stubs_as_shipped_are_reported_deterministically():
    for which, old, stub in [
        ("pow", POW, 'raise NotImplementedError("write the backward rule of **")'),
        ("arith", "return self * -1", 'raise NotImplementedError("write -a")'),
        ("funcs", "self.grad += out.grad / self.data  # d log(x)/dx = 1/x",
         'raise NotImplementedError("write the backward rule of log")'),
    ]:  # fmt: skip
        cls = make((old, stub))
        reports = [check(which, cls) for _ in range(3)]
        assert not reports[0]
        assert "complete the stub" in str(reports[0])
        assert len({(repr(r), str(r), r._repr_html_()) for r in reports}) == 1


def lesson_stubs() -> list[str]:
    """The exercise (stub) cells of lesson 04, as shipped."""
    (path,) = (Path(__file__).resolve().parents[2] / "lessons").glob("04_*.py")
    cells = jupytext.read(path, fmt="py:percent").cells
    return [c.source for c in cells if "exercise" in c.metadata.get("tags", [])]


@pytest.mark.parametrize(
    ("index", "which", "failed"),
    [(0, "pow", ["pow"]), (1, "arith", ["neg", "sub", "div"]),
     (2, "funcs", ["exp", "log", "tanh", "relu", "sigmoid"])],
)  # fmt: skip
def test_the_lessons_stubs_fail_naming_every_operation(index, which, failed):
    stubs = lesson_stubs()
    assert len(stubs) == 3
    namespace: dict = {}
    exec(compile(SCAFFOLD, "<scaffold>", "exec"), namespace)  # noqa: S102
    for name in CHAIN[: index + 1]:  # lesson 03, then the exercises before this one
        exec(compile(SOURCES[name], f"<{name}>", "exec"), namespace)  # noqa: S102
    exec(compile(stubs[index], "<stub>", "exec"), namespace)  # noqa: S102
    reports = [check(which, namespace["Value"]) for _ in range(3)]
    assert reports[0].failed_rules == failed, str(reports[0])
    assert "complete the stub" in str(reports[0])
    assert len({(repr(r), str(r), r._repr_html_()) for r in reports}) == 1
