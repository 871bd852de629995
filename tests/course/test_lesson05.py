"""Lesson 05's checkers accept right implementations and reject plausible wrong ones, every
time, naming the broken rule with a useful hint.

The learner's class is rebuilt as lesson 05 has it: the engine of lessons 03-04 (the given
part plus the reference solutions, via ``carry.build``), then the reference solution of the
exercise with one plausible mistake typed into it.
"""

from __future__ import annotations

import pytest

import autograd
from autograd.course import carry
from autograd.course.lesson05 import (
    EXERCISES,
    check_backward,
    check_cycle_free,
    check_topological_order,
    garbage_per_node,
)
from autograd.course.value_rules import FIT_RULE

SEEDS = range(4)  # the checkers are randomised: a wrong answer must fail on every seed

BACKWARD = carry.reference_source("05.backward")
TOPO = carry.reference_source("05.topo")
CYCLE_FREE = carry.reference_source("05.cycle_free")


def edited(source: str, edits: tuple[tuple[str, str], ...]) -> str:
    for old, new in edits:
        assert old in source, f"edit does not apply: {old!r}"
        source = source.replace(old, new)
    return source


def engine(*sources: str) -> dict:
    """A fresh namespace with the Value of lessons 03-04, then ``sources`` run in it."""
    namespace, _ = carry.build("value", "05")
    for i, source in enumerate(sources):
        exec(compile(source, f"<test source {i}>", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_exercises_are_registered_with_their_solutions():
    assert [ex.id for ex in EXERCISES] == ["05.topo", "05.backward", "05.cycle_free"]
    backward = next(ex for ex in EXERCISES if ex.id == "05.backward")
    assert backward.chain == "value" and backward.provides == ("Value.backward",)
    for ex in EXERCISES:
        assert carry.reference_source(ex.id)
        assert ex.checker in autograd.__all__


# --------------------------------------------------------------------------- check_backward
@pytest.mark.parametrize("seed", range(10))
def test_check_backward_accepts_the_reference(seed):
    Value = engine(BACKWARD)["Value"]
    report = check_backward(Value, seed=seed, save=False)
    assert report, str(report)
    assert report.seed == seed


KAHN = """
def backward(self):
    order, seen, stack = [], {self}, [self]
    while stack:  # every node once
        node = stack.pop()
        for inp in node._prev:
            if inp not in seen:
                seen.add(inp)
                stack.append(inp)
    users = {node: 0 for node in seen}
    for node in seen:
        for inp in node._prev:
            users[inp] += 1
    for node in seen:
        if node._prev:
            node.grad = 0.0
    self.grad = 1.0
    ready = [self]
    while ready:  # Kahn's algorithm: outputs first, a node once all its users are done
        node = ready.pop()
        if node._backward is not None:
            node._backward()
        for inp in node._prev:
            users[inp] -= 1
            if users[inp] == 0:
                ready.append(inp)


Value.backward = backward
"""


@pytest.mark.parametrize("seed", SEEDS)
def test_check_backward_accepts_other_right_sweeps(seed):
    """Kahn's algorithm (another order), and the package's Value (rules `_backward(out)`,
    seed `+= 1`)."""
    assert check_backward(engine(KAHN)["Value"], seed=seed, save=False)
    assert check_backward(autograd.Value, seed=seed, save=False)


FIRST_REACH = """
def backward(self):
    for node in _every(self):
        if node._prev:
            node.grad = 0.0
    self.grad = 1.0
    seen = set()
    stack = [self]
    while stack:  # a rule runs the first time its node is reached
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node._backward is not None:
            node._backward()
        stack.extend(node._prev)


def _every(root):
    found, stack = {root}, [root]
    while stack:
        for inp in stack.pop()._prev:
            if inp not in found:
                found.add(inp)
                stack.append(inp)
    return found


Value.backward = backward
"""

STUB = """
def backward(self):
    raise NotImplementedError("write backward(): sort, reset, seed, sweep")


Value.backward = backward
"""

# label -> (the learner's backward, the rule that must fail, words its report must say)
WRONG_BACKWARDS = {
    "recursive (the given one)": ("", "10,000-deep chain", "stack"),
    "intermediates not reset": (
        edited(BACKWARD, (("            node.grad = 0.0", "            pass"),)),
        "intermediates reset",
        "if node._prev: node.grad = 0.0",
    ),
    "leaves zeroed too": (
        edited(
            BACKWARD,
            (("        if node._prev:\n            node.grad = 0.0", "        node.grad = 0.0"),),
        ),  # fmt: skip
        "leaves accumulate",
        "accumulate",
    ),
    "seed forgotten": (
        edited(BACKWARD, (("self.grad = 1.0", "pass"),)),
        "the seed",
        "self.grad = 1.0",
    ),
    "seed before the reset": (
        edited(
            BACKWARD,
            (
                ("    self.grad = 1.0  # the seed: d self / d self = 1\n", ""),
                ("    # 2. intermediate", "    self.grad = 1.0\n    # 2. intermediate"),
            ),
        ),
        "the seed",
        "self.grad = 1.0",
    ),  # fmt: skip
    "forward order": (
        edited(BACKWARD, (("for node in reversed(order):", "for node in order:"),)),
        "each rule once, outputs first",
        "reverse",
    ),
    "shared node visited twice": (
        edited(
            BACKWARD, (("elif node not in seen:", "else:"), ("if inp not in seen:", "if True:"))
        ),  # fmt: skip
        "each rule once, outputs first",
        "exactly once",
    ),
    "rule run when first reached": (FIRST_REACH, "each rule once, outputs first", "reverse"),
    "leaves' missing rule called": (
        edited(BACKWARD, (("if node._backward is not None:  # a leaf has no rule", "if True:"),)),
        "c = a * b",
        "is None",
    ),
    "the stub left in": (STUB, "c = a * b", "complete the stub"),
    "rule given its node": (
        edited(BACKWARD, (("            node._backward()", "            node._backward(node)"),)),
        "c = a * b",
        "takes no argument",
    ),
}


@pytest.mark.parametrize("label", list(WRONG_BACKWARDS))
def test_check_backward_rejects_a_wrong_backward(label):
    source, rule, words = WRONG_BACKWARDS[label]
    for seed in SEEDS:
        Value = engine(source)["Value"] if source else engine()["Value"]
        report = check_backward(Value, seed=seed, save=False)
        assert not report, f"{label}: accepted with seed {seed}"
        assert rule in report.failed_rules, (label, seed, str(report))
        failure = next(f for f in report.failures if f.rule == rule)
        assert words in failure.message + failure.hint, (label, str(report))


def test_a_forgotten_seed_blocks_the_other_rules_instead_of_failing_them_all():
    Value = engine(WRONG_BACKWARDS["seed forgotten"][0])["Value"]
    report = check_backward(Value, seed=3, save=False)
    assert report.failed_rules == ["the seed"]
    assert "could not be judged" in str(report)


@pytest.mark.parametrize("label", ["the stub left in", "leaves' missing rule called",
                                   "rule given its node"])  # fmt: skip
def test_an_error_in_backward_is_not_blamed_on_the_seed(label):
    """backward() raising is reported under the first graph, c = a * b; "the seed" is named
    only when the output's grad is not 1."""
    Value = engine(WRONG_BACKWARDS[label][0])["Value"]
    for seed in SEEDS:
        report = check_backward(Value, seed=seed, save=False)
        assert report.failed_rules == ["c = a * b"], (label, str(report))
        assert "the seed" not in repr(report)
        assert "the seed" not in report.failed_rules


def test_the_seed_is_blamed_only_for_a_wrong_output_grad():
    for label in ("seed forgotten", "seed before the reset"):
        report = check_backward(engine(WRONG_BACKWARDS[label][0])["Value"], seed=0, save=False)
        assert report.failed_rules == ["the seed"], (label, str(report))
        (failure,) = [f for f in report.failures if f.rule == "the seed"][:1]
        assert "expected c.grad = 1.0, got 0.0" in failure.message


def test_broken_rules_are_blamed_on_the_rules_not_on_backward():
    namespace = engine(BACKWARD)
    Value = namespace["Value"]
    mul = Value.__mul__

    def wrong_mul(self, other):  # each factor receives its own value: a lesson-03 bug
        out = mul(self, other)
        a, b = out._prev

        def _backward():
            a.grad += a.data * out.grad
            b.grad += b.data * out.grad

        out._backward = _backward
        return out

    Value.__mul__ = wrong_mul
    report = check_backward(Value, seed=1, save=False)
    assert report.failed_rules == ["+ and * (lessons 03-04)"], str(report)
    assert "check_add_mul" in str(report)


def test_the_report_names_the_node_whose_rule_ran_too_early():
    Value = engine(WRONG_BACKWARDS["forward order"][0])["Value"]
    text = str(check_backward(Value, seed=0, save=False))
    assert "the diamond" in text and "too early" in text


# --------------------------------------------------------------------------- the sort alone
def sort_from(source: str):
    namespace: dict = {}
    exec(compile(source, "<sort>", "exec"), namespace)  # noqa: S102
    return namespace["my_topological_order"]


@pytest.mark.parametrize("seed", SEEDS)
def test_check_topological_order_accepts_the_reference_and_the_package(seed):
    assert check_topological_order(sort_from(TOPO), seed=seed, save=False)
    assert check_topological_order(autograd.topological_order, seed=seed, save=False)


def recursive(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for inp in node._prev:
                visit(inp)
            order.append(node)

    visit(root)
    return order


def no_seen_set(root):  # a tree walk: a shared node is listed once per user
    order, stack = [], [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((inp, False) for inp in node._prev)
    return order


def pre_order(root):  # a node before its inputs
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            order.append(node)
            stack.extend(node._prev)
    return order


def skips_leaves(root):
    return [node for node in sort_from(TOPO)(root) if node._prev]


def returns_a_set(root):
    return set(sort_from(TOPO)(root))


def outputs_first(root):
    return sort_from(TOPO)(root)[::-1]


def stub(root):
    order = []
    return order


WRONG_SORTS = {
    "recursive": (recursive, "20,000-deep chain", "recursive"),
    "no seen set": (no_seen_set, "every node once", "more than once"),
    "pre-order": (pre_order, "inputs first", "before its input"),
    "skips the leaves": (skips_leaves, "every node once", "missing"),
    "returns a set": (returns_a_set, "returns a list of the nodes", "list"),
    "outputs first": (outputs_first, "inputs first", "before its input"),
    "the stub left in": (stub, "every node once", "missing"),
}


def raises(root):
    raise ValueError("not done yet")


@pytest.mark.parametrize("fn", [stub, raises, returns_a_set, skips_leaves])
def test_a_rule_with_no_checks_run_is_not_judged_not_passed(fn):
    """The stub returns [] for every graph: "inputs first" never gets a check, and must show
    as "could not be judged" (•), not as "✓ inputs first: 0 checks passed"."""
    report = check_topological_order(fn, seed=0, save=False)
    assert not report
    text = str(report)
    assert not [line for line in text.splitlines() if line.startswith("✓") and ": 0 " in line]
    for rule in report._rules:
        assert rule.checks > 0, (rule.name, text)
        assert rule.ok == (rule.passed == rule.checks and not rule.blocked), (rule.name, text)
    if fn is stub:
        assert "• inputs first" in text and "could not be judged" in text
        assert report.failed_rules == ["every node once", "20,000-deep chain"]


@pytest.mark.parametrize("label", list(WRONG_SORTS))
def test_check_topological_order_rejects_a_wrong_sort(label):
    fn, rule, words = WRONG_SORTS[label]
    for seed in SEEDS[:3]:
        report = check_topological_order(fn, seed=seed, save=False)
        assert not report, f"{label}: accepted with seed {seed}"
        assert rule in report.failed_rules, (label, str(report))
        failure = next(f for f in report.failures if f.rule == rule)
        assert words in failure.message + failure.hint, (label, str(report))


def test_check_topological_order_wants_a_function():
    with pytest.raises(TypeError, match="my_topological_order"):
        check_topological_order(autograd.Value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- cycle-free rules
@pytest.mark.parametrize("seed", SEEDS)
def test_check_cycle_free_accepts_the_reference(seed):
    FreeValue = engine(BACKWARD, CYCLE_FREE)["FreeValue"]
    report = check_cycle_free(FreeValue, seed=seed, save=False)
    assert report, str(report)
    assert "no reference cycles" in report.rules


WRONG_FREE = {
    "a closure kept": (
        (("out._backward = FreeValue._mul_backward",
          "out._backward = lambda node: FreeValue._mul_backward(out)"),),
        "no reference cycles",
        "cycle",
    ),
    "a bound method as the rule": (
        (("    @staticmethod\n    def _add_backward", "    def _add_backward"),
         ("    @staticmethod\n    def _mul_backward", "    def _mul_backward"),
         ("out._backward = FreeValue._add_backward", "out._backward = out._add_backward"),
         ("out._backward = FreeValue._mul_backward", "out._backward = out._mul_backward"),
         ("node._backward(node)", "node._backward()")),
        "no reference cycles",
        "bound method",
    ),
    "mul: own value": (
        (("a.grad += b.data * out.grad", "a.grad += a.data * out.grad"),),
        "mul",
        "",
    ),
    "add: = instead of +=": (
        (("a.grad += out.grad", "a.grad = out.grad"),),
        "add",
        "+=",
    ),
    "mul: out.grad forgotten": (
        (("a.grad += b.data * out.grad", "a.grad += b.data"),),
        "mul",
        "out.grad",
    ),
    "out made a plain Value": (
        (('out = FreeValue(self.data * other.data, (self, other), "*")',
          'out = Value(self.data * other.data, (self, other), "*")'),),
        "mul",
        "`out` must be a FreeValue",
    ),
    "backward still calls _backward()": (
        (("node._backward(node)", "node._backward()"),),
        FIT_RULE,
        "`_backward`",
    ),
}  # fmt: skip


@pytest.mark.parametrize("label", list(WRONG_FREE))
def test_check_cycle_free_rejects_a_wrong_conversion(label):
    edits, rule, words = WRONG_FREE[label]
    FreeValue = engine(BACKWARD, edited(CYCLE_FREE, edits))["FreeValue"]
    for seed in SEEDS[:3]:
        report = check_cycle_free(FreeValue, seed=seed, save=False)
        assert not report, f"{label}: accepted with seed {seed}"
        assert rule in report.failed_rules, (label, str(report))
        failure = next(f for f in report.failures if f.rule == rule)
        assert words in failure.message + failure.hint, (label, str(report))


def test_the_closure_form_is_the_one_with_cycles():
    namespace = engine(BACKWARD, CYCLE_FREE)
    assert garbage_per_node(namespace["Value"]) >= 1
    assert garbage_per_node(namespace["FreeValue"]) == 0
    assert garbage_per_node(autograd.Value) == 0
