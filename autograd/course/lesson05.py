"""Lesson 05's checkers: your topological sort, your ``backward()``, and the cycle-free rules.

Three exercises, three checkers::

    check_topological_order(my_topological_order)   # 05.topo: a sort without recursion
    check_backward(Value)                            # 05.backward: sort, reset, seed, sweep
    check_cycle_free(FreeValue)                      # 05.cycle_free: rules `_backward(out)`

How they decide, so you can trust them:

* **Random graphs with sharing.** Each call builds fresh random graphs of ``+`` and ``*``
  where values are used several times (a *diamond*: the smallest graph where the order of
  the rules matters), plus a chain 10,000 operations deep (20,000 for the sort).
* **Two referees, neither of them your backward().** Central differences on the same
  formula computed with plain floats give the true derivatives of the inputs. And the
  checker's own *reference sweep* (its own topological order, the reset, the seed, then
  each node's rule in reverse order) gives every intermediate node's gradient, using your
  class's rules. If those two referees disagree, your ``+``/``*`` rules are wrong (not your
  ``backward()``), and the report says so instead of blaming the sweep.
* **Watching the sweep.** ``check_backward`` wraps every node's rule so that it notes when it
  runs and what the node's ``.grad`` was at that moment: a rule that runs twice, or before
  the node's gradient was complete (before every node using it had run), is named.

The module also holds the lesson's quiz (``QUIZ``, shown by ``quiz("05")``) and the context of
its AI study prompts (``STUDY``, shown by ``study_with_ai("05")``).
"""

from __future__ import annotations

import functools
import gc
import math
import os
import random
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..engine import Value as _PackageValue
from ..engine import _takes_no_argument, run_rule, topological_order
from ..gradcheck import numerical_grad
from .carry import finish
from .quizbank import Choice, Question
from .registry import Exercise
from .report import CheckReport, ReportBuilder, RuleBuilder, _num
from .study import Study
from .value_rules import add_mul_cases, check_class, run_cases

__all__ = ["check_backward", "check_cycle_free", "check_topological_order"]

EXERCISES = [
    Exercise("05.topo", "a topological sort without recursion", "check_topological_order",
             provides=("my_topological_order",)),
    Exercise("05.backward", "backward()", "check_backward", chain="value",
             provides=("Value.backward",)),
    Exercise("05.cycle_free", "rules without reference cycles", "check_cycle_free",
             provides=("FreeValue",)),
]  # fmt: skip

_H = 1e-6  # the central-difference step


def _fresh_seed(seed: int | None) -> int:
    return int.from_bytes(os.urandom(8), "big") if seed is None else seed


def _close(x: object, y: float, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    return abs(float(x) - y) <= atol + rtol * abs(y)


# --------------------------------------------------------------------------- graph recipes
@dataclass
class _Recipe:
    """A graph written once, built on any class (and on floats): leaves, then operations.

    ``ops`` entries are ``(kind, i, j)``: node ``len(leaves) + k`` is ``node[i] + node[j]``
    (kind "+") or ``node[i] * node[j]`` (kind "*"). Constants are leaves too. The output is
    the last node.
    """

    name: str
    leaves: list[float]
    ops: list[tuple[str, int, int]]
    labels: list[str] = field(default_factory=list)
    inputs: int = 0  # the first `inputs` leaves are the variables; the rest are constants

    def label(self, i: int) -> str:
        return self.labels[i] if i < len(self.labels) else f"n{i}"

    def describe(self, i: int) -> str:
        """``m = x * x`` for an operation node, the label for a leaf."""
        k = i - len(self.leaves)
        if k < 0:
            return self.label(i)
        kind, a, b = self.ops[k]
        return f"{self.label(i)} = {self.label(a)} {kind} {self.label(b)}"

    def floats(self, xs: list[float]) -> float:
        vals = list(xs) + self.leaves[len(xs) :]
        for kind, a, b in self.ops:
            vals.append(vals[a] + vals[b] if kind == "+" else vals[a] * vals[b])
        return vals[-1]

    def build(self, cls: type) -> list[object]:
        nodes: list[object] = [cls(x) for x in self.leaves]
        for kind, a, b in self.ops:
            nodes.append(nodes[a] + nodes[b] if kind == "+" else nodes[a] * nodes[b])
        for i, node in enumerate(nodes):
            try:
                node.label = self.label(i)  # type: ignore[attr-defined]
            except (AttributeError, TypeError):
                pass
        return nodes

    def users(self, i: int) -> list[int]:
        n0 = len(self.leaves)
        return [n0 + k for k, (_, a, b) in enumerate(self.ops) if i in (a, b)]


def _diamond(rng: random.Random) -> _Recipe:
    x = round(rng.choice([-1, 1]) * rng.uniform(1.5, 3.0), 2)
    c2, c3 = round(rng.uniform(1.5, 2.5), 2), round(rng.uniform(3.0, 4.0), 2)
    # x, c2, c3 | m = x*x, a = m*c2, b = m*c3, L = a + b
    return _Recipe(
        "the diamond",
        [x, c2, c3],
        [("*", 0, 0), ("*", 3, 1), ("*", 3, 2), ("+", 4, 5)],
        ["x", _num(c2), _num(c3), "m", "a", "b", "L"],
        inputs=1,
    )


def _random_recipe(rng: random.Random, k: int) -> _Recipe:
    """A random graph of + and * in which values are used several times."""
    n_in = rng.randint(1, 3)
    leaves = [round(rng.choice([-1, 1]) * rng.uniform(0.5, 1.5), 2) for _ in range(n_in)]
    n_const = rng.randint(0, 2)
    leaves += [round(rng.uniform(0.5, 1.5), 2) for _ in range(n_const)]
    ops: list[tuple[str, int, int]] = []
    for _ in range(rng.randint(3, 10)):
        size = len(leaves) + len(ops)
        recent = max(0, size - 4)  # mostly the latest nodes: deep graphs, much sharing
        a = rng.randrange(recent, size) if rng.random() < 0.7 else rng.randrange(size)
        b = rng.randrange(recent, size) if rng.random() < 0.7 else rng.randrange(size)
        ops.append((rng.choice("+*"), a, b))
    labels = [f"x{i}" for i in range(n_in)] + [_num(c) for c in leaves[n_in:]]
    return _Recipe(f"random graph {k}", leaves, ops, labels, inputs=n_in)


# --------------------------------------------------------------------------- one run
@dataclass
class _Run:
    """One graph, built three times: for your backward(), for the reference sweep, on floats."""

    recipe: _Recipe
    nodes: list[object]  # the copy your backward() ran on
    in_graph: list[int]  # indices of the nodes the output depends on
    reference: dict[int, float]  # every node's grad after the reference sweep
    numerical: list[float]  # the inputs' true derivatives (central differences)
    calls: dict[int, list[float]]  # node -> the node's grad each time its rule ran
    error: Exception | None = None
    rules_error: Exception | None = None  # the class's own rules raised in the reference

    @property
    def out(self) -> object:
        return self.nodes[-1]

    def grad(self, i: int) -> object:
        return getattr(self.nodes[i], "grad", None)

    @property
    def rules_ok(self) -> bool:
        n = self.recipe.inputs
        return self.rules_error is None and all(
            _close(self.reference.get(i, 0.0), e)
            for i, e in zip(range(n), self.numerical, strict=True)
        )


def _reference_sweep(nodes: list[object]) -> None:
    """The sweep done right: own order, reset intermediates, seed, each rule once in reverse."""
    order = topological_order(nodes[-1])  # type: ignore[arg-type]
    for node in order:
        if node._prev:
            node.grad = 0.0
    nodes[-1].grad = 1.0  # type: ignore[attr-defined]
    for node in reversed(order):
        if node._backward is not None:
            run_rule(node)


def _instrument(node: object, log: list[float]) -> None:
    """Wrap the node's rule so that each call notes the node's grad at that moment.

    The wrapper passes on whatever it is called with, so a backward() that calls the rule
    the wrong way gets the rule's own error (``_backward() takes 0 positional arguments``),
    and it carries the rule's name and signature (``functools.wraps``), so that
    ``run_rule`` still tells the two forms apart. One wrapper per form: ``run_rule`` caches
    its answer by the code object.
    """
    rule = getattr(node, "_backward", None)
    if rule is None or not callable(rule):
        return
    if _takes_no_argument(rule):

        @functools.wraps(rule)
        def closure_form(*args: object) -> None:
            log.append(node.grad)  # type: ignore[attr-defined]
            rule(*args)

        node._backward = closure_form  # type: ignore[attr-defined]
    else:

        @functools.wraps(rule)
        def out_form(*args: object) -> None:
            log.append(node.grad)  # type: ignore[attr-defined]
            rule(*args)

        node._backward = out_form  # type: ignore[attr-defined]


def _run_graph(cls: type, recipe: _Recipe, *, watch: bool = True) -> _Run:
    ref_nodes = recipe.build(cls)
    in_graph_ids = {id(n) for n in topological_order(ref_nodes[-1])}  # type: ignore[arg-type]
    in_graph = [i for i, n in enumerate(ref_nodes) if id(n) in in_graph_ids]
    rules_error = None
    try:
        _reference_sweep(ref_nodes)
    except Exception as exc:  # the class's own rules are broken
        rules_error = exc
    every = sorted(set(in_graph) | set(range(recipe.inputs)))  # unused inputs too (grad 0)
    reference = {i: float(getattr(ref_nodes[i], "grad", math.nan)) for i in every}
    xs = recipe.leaves[: recipe.inputs]
    numerical = numerical_grad(lambda *v: recipe.floats(list(v)), xs, eps=_H)
    nodes = recipe.build(cls)
    calls: dict[int, list[float]] = {i: [] for i in in_graph}
    if watch:
        for i in in_graph:
            _instrument(nodes[i], calls[i])
    run = _Run(recipe, nodes, in_graph, reference, numerical, calls, rules_error=rules_error)
    try:
        nodes[-1].backward()  # type: ignore[attr-defined]
    except Exception as exc:
        run.error = exc
    return run


def _backward_error(rule: RuleBuilder, what: str, exc: Exception, checks: int = 1) -> None:
    text = str(exc)
    hint = ""
    if isinstance(exc, RecursionError):
        hint = (
            "Your backward() calls itself (or a helper that does) once per level of the "
            "graph, and Python stops at about a thousand levels. Keep your own list as a "
            "stack instead: push `(node, False)` to visit a node, `(node, True)` to append it "
            "once its inputs are done."
        )
    elif isinstance(exc, TypeError) and "'NoneType' object is not callable" in text:
        hint = (
            "A leaf has no rule: its `_backward` is None. Run a node's rule only if it has "
            "one: `if node._backward is not None: node._backward()`."
        )
    rule.error(f"running backward() on {what}", exc, checks=checks, hint=hint)


# --------------------------------------------------------------------------- check_backward
_SEED_HINT = (
    "After backward(), the output's own grad must be 1.0 (d out / d out = 1): set "
    "`self.grad = 1.0` after resetting the grads, before running the rules."
)
_ONCE_HINT = (
    "Each rule must run exactly once: list every node once (skip nodes already seen), then "
    "run the rules over that list."
)
_EARLY_HINT = (
    "A node's rule passes on whatever its grad holds when it runs, so it must wait until "
    "every node that uses it has added its share: run the rules in *reverse* topological "
    "order (outputs first), `for node in reversed(order)`."
)
_SIMPLE_HINT = (
    "After the reset and the seed, run each node's rule once, outputs first: c's rule then "
    "gives a.grad = b and b.grad = a."
)
_NEVER_HINT = "Some rules never ran: run the rule of every node in your order (leaves have none)."
_ACCUMULATE_HINT = (
    "Reset only the nodes that have inputs (`if node._prev: node.grad = 0.0`). Leaves "
    "keep their grad and accumulate, as in PyTorch: a second backward() adds the same "
    "gradients again, and a training loop calls zero_grad() between steps."
)
_RESET_HINT = (
    "Before the sweep, set the grad of every node with inputs to 0 "
    "(`if node._prev: node.grad = 0.0`): an intermediate grad left from an earlier "
    "backward() would be passed on again."
)


def _judge_calls(run: _Run, rule: RuleBuilder) -> None:
    """Each rule once, and only once its node's gradient was complete."""
    recipe = run.recipe
    for i in run.in_graph:
        if i < len(recipe.leaves):
            continue
        log = run.calls[i]
        where = f"in {recipe.name}, {recipe.describe(i)}"
        users = [u for u in recipe.users(i) if u in run.reference]
        if len(log) != 1:
            times = "never ran" if not log else f"ran {len(log)} times"
            shared = f" (it is used by {len(users)} nodes)" if len(users) > 1 else ""
            hint = _ONCE_HINT if log else _NEVER_HINT
            rule.check(False, f"{where}: its rule {times}, expected once{shared}", hint)
            return
        expected = run.reference[i]
        if not rule.check(
            _close(log[0], expected, rtol=1e-9, atol=1e-12),
            f"{where}: its rule ran when {recipe.label(i)}.grad was {_num(log[0])}, but "
            f"{recipe.label(i)}'s complete gradient is {_num(expected)}"
            + (f" (it is used by {len(users)} nodes)" if len(users) > 1 else "")
            + ": the rule ran too early",
            _EARLY_HINT,
        ):
            return


def _judge_grads(run: _Run, rule: RuleBuilder) -> None:
    """The inputs against central differences, every intermediate against the reference."""
    recipe = run.recipe
    for i, e in zip(range(recipe.inputs), run.numerical, strict=True):
        g = run.grad(i)
        if not rule.check(
            _close(g, e),
            f"for {recipe.name}, after {recipe.label(len(recipe.leaves) + len(recipe.ops) - 1)}"
            f".backward(): expected {recipe.label(i)}.grad = {_num(e)} "
            f"(central differences), got {_num(g)}",
            _hint_from_calls(run),
        ):
            return
    for i in run.in_graph:
        if i < len(recipe.leaves):
            continue
        g, e = run.grad(i), run.reference[i]
        if not rule.check(
            _close(g, e, rtol=1e-9, atol=1e-12),
            f"for {recipe.name}: expected {recipe.describe(i)} to end with grad {_num(e)}, "
            f"got {_num(g)}",
            _hint_from_calls(run),
        ):
            return


def _hint_from_calls(run: _Run) -> str:
    """The likely cause of wrong gradients, read off how the rules were called."""
    ran = [i for i in run.in_graph if i >= len(run.recipe.leaves)]
    if any(len(run.calls[i]) > 1 for i in ran):
        return _ONCE_HINT
    if any(len(run.calls[i]) == 0 for i in ran):
        return _NEVER_HINT
    if any(not _close(run.calls[i][0], run.reference[i], 1e-9, 1e-12) for i in ran):
        return _EARLY_HINT
    return ""


def _chain_case(cls: type, rng: random.Random, depth: int, rule: RuleBuilder) -> None:
    """y = x * k * k * ... (depth times, the same k): dy/dx = k**depth, dy/dk = depth·y/k."""
    k_value = round(rng.uniform(0.9998, 1.0002), 6) or 1.0001
    x_value = round(rng.uniform(0.5, 2.0), 2)
    what = f"a {depth:,}-deep chain y = x * k * k * ... * k"
    try:
        x, k = cls(x_value), cls(k_value)
        y = x
        for _ in range(depth):
            y = y * k
    except Exception as exc:  # the class's own * is broken: not this rule's business
        rule.error(f"building {what}", exc, checks=2)
        return
    p = x_value
    for _ in range(depth):
        p *= k_value
    try:
        y.backward()
    except Exception as exc:
        _backward_error(rule, what, exc, checks=2)
        return
    want_x, want_k = p / x_value, depth * p / k_value
    if rule.check(
        _close(x.grad, want_x, 1e-8, 1e-12),
        f"for {what} with x={_num(x_value)}, k={_num(k_value)}: expected x.grad = "
        f"k**{depth} = {_num(want_x)}, got {_num(x.grad)}",
        _EARLY_HINT if x.grad == 0 else "",
    ):
        rule.check(
            _close(k.grad, want_k, 1e-8, 1e-12),
            f"for {what}: k is used {depth:,} times, so k.grad must collect all "
            f"{depth:,} shares: expected {_num(want_k)}, got {_num(k.grad)}",
            _ONCE_HINT,
        )
    del y, x, k


def check_backward(
    value_cls: type, *, seed: int | None = None, graphs: int = 25, save: bool = True
) -> CheckReport:
    """Check lesson 05: your ``Value.backward()``, the whole backward pass.

    It must (1) list every node the output depends on in a topological order, **without
    recursion** (a 10,000-deep chain must work); (2) reset the grad of every node that has
    inputs, and leave the leaves alone (their gradients accumulate across calls); (3) seed
    the output's grad with 1.0; (4) run each node's rule once, outputs first.

    It runs on fresh random graphs of ``+`` and ``*`` (``graphs`` of them, with values used
    several times), on the diamond, on the chain, and calls backward() twice to see the
    accumulation and the reset. ``seed`` repeats a run exactly.
    """
    cls = check_class(value_cls, "check_backward")
    seed = _fresh_seed(seed)
    rng = random.Random(seed)
    b = ReportBuilder("backward()", "your backward() sorts, resets, seeds and sweeps.", seed)
    simple = b.rule("c = a * b")
    seed_rule = b.rule("the seed")
    diamond = b.rule("the diamond")
    randoms = b.rule("random graphs with sharing")
    once = b.rule("each rule once, outputs first")
    deep = b.rule("10,000-deep chain")
    leaves = b.rule("leaves accumulate")
    reset = b.rule("intermediates reset")
    later = [diamond, randoms, once, deep, leaves, reset]

    def blocked(by: str, rules: list[RuleBuilder]) -> CheckReport:
        for r in rules:
            r.blocked(by=by)
        return finish("05.backward", b.build(), {"Value.backward": cls.backward}, save=save)

    # 0. do the class's own rules work? (with the checker's reference sweep)
    a_b = _Recipe("c = a * b", _draw_pair(rng), [("*", 0, 1)], ["a", "b", "c"], inputs=2)
    recipes = [a_b, _diamond(rng)] + [_random_recipe(rng, k) for k in range(1, graphs + 1)]
    try:
        runs = [_run_graph(cls, r) for r in recipes]
    except Exception as exc:  # building the graph failed: + or * itself is broken
        r = b.rule("+ and * (lessons 03-04)")
        r.error("building the test graphs with your + and *", exc,
                hint="Your + or * fails: run check_add_mul(Value) first.")  # fmt: skip
        return blocked("+ and * (lessons 03-04)", [simple, seed_rule] + later)
    broken = [run for run in runs if not run.rules_ok]
    if broken:
        run = broken[0]
        r = b.rule("+ and * (lessons 03-04)")
        if run.rules_error is not None:
            r.error(f"running your rules on {run.recipe.name}", run.rules_error)
        else:
            i = next(
                i
                for i in range(run.recipe.inputs)
                if not _close(run.reference[i], run.numerical[i])
            )
            r.check(
                False,
                f"for {run.recipe.name}, even a correct sweep over your rules gives "
                f"{run.recipe.label(i)}.grad = {_num(run.reference[i])}, but central "
                f"differences give {_num(run.numerical[i])}",
                "The rules of your + or * are wrong, not backward(): run "
                "check_add_mul(Value) and fix them first.",
            )
        return blocked("+ and * (lessons 03-04)", [simple, seed_rule] + later)

    # 1. c = a * b runs; the seed (c = a * b, a leaf alone, every graph's output); then
    # c = a * b's gradients. Only a wrong c.grad is blamed on the seed.
    first = runs[0]
    if first.error is not None:
        _backward_error(simple, "c = a * b", first.error)
        return blocked("c = a * b", [seed_rule] + later)
    simple.check(True)  # it ran
    ok = seed_rule.check(
        _close(first.grad(2), 1.0, 0, 0),
        f"for c = a * b: after c.backward(), expected c.grad = 1.0, got {_num(first.grad(2))}",
        _SEED_HINT,
    )
    try:
        lone = cls(round(rng.uniform(0.5, 2.0), 2))
        lone.backward()
        ok = ok and seed_rule.check(
            _close(lone.grad, 1.0, 0, 0),
            f"for a leaf x alone: after x.backward(), expected x.grad = 1.0, got {_num(lone.grad)}",
            _SEED_HINT,
        )
    except Exception as exc:
        _backward_error(seed_rule, "a leaf alone (x.backward())", exc)
        ok = False
    for run in runs[1:]:
        if run.error is None and not _close(run.grad(len(run.nodes) - 1), 1.0, 0, 0):
            seed_rule.check(
                False,
                f"for {run.recipe.name}: after backward(), expected the output's grad = "
                f"1.0, got {_num(run.grad(len(run.nodes) - 1))}",
                _SEED_HINT,
            )
            ok = False
            break
    if not ok:
        simple.blocked(by="the seed", checks=2)
        return blocked("the seed", later)
    for i, other in ((0, 1), (1, 0)):
        want = first.recipe.leaves[other]
        if not simple.check(
            _close(first.grad(i), want),
            f"for c = a * b with a={_num(first.recipe.leaves[0])}, "
            f"b={_num(first.recipe.leaves[1])}: expected {'ab'[i]}.grad = {_num(want)}, "
            f"got {_num(first.grad(i))}",
            _hint_from_calls(first) or _SIMPLE_HINT,
        ):
            return blocked("c = a * b", later)

    # 2. the diamond, 3. random graphs, 4. how the rules ran
    for run, rule in [(runs[1], diamond)] + [(run, randoms) for run in runs[2:]]:
        if run.error is not None:
            _backward_error(rule, run.recipe.name, run.error)
            once.blocked(by=rule._rule.name)
            continue
        _judge_grads(run, rule)
        _judge_calls(run, once)
    # 5. the deep chain
    _chain_case(cls, rng, 10_000, deep)

    # 6. leaves accumulate, 7. intermediates reset: backward() twice, on graphs where one
    # backward() is right (otherwise the sweep itself is wrong, and that is reported above)
    single_ok = diamond.ok and randoms.ok and once.ok
    for k in range(3):
        recipe = runs[1].recipe if k == 0 else _random_recipe(rng, graphs + k)
        if not single_ok:
            by = next(r for r in (diamond, randoms, once) if not r.ok)._rule.name
            leaves.blocked(by=by)
            reset.blocked(by=by)
            continue
        base = _run_graph(cls, recipe, watch=False)
        if base.error is not None:
            _backward_error(leaves, recipe.name, base.error)
            reset.blocked(by="leaves accumulate")
            continue
        try:
            base.out.backward()  # type: ignore[attr-defined]
        except Exception as exc:
            _backward_error(leaves, f"{recipe.name}, a second time", exc)
            continue
        n = recipe.inputs
        for i in range(n):
            want, got = 2 * base.numerical[i], base.grad(i)
            if not leaves.check(
                _close(got, want),
                f"for {recipe.name}, backward() called twice: expected {recipe.label(i)}.grad "
                f"= 2 · {_num(base.numerical[i])} = {_num(want)} (the leaves accumulate), "
                f"got {_num(got)}",
                _ACCUMULATE_HINT if _close(got, base.numerical[i]) else _RESET_HINT,
            ):
                break
        for i in base.in_graph:
            if i < len(recipe.leaves):
                continue
            want, got = base.reference[i], base.grad(i)
            if not reset.check(
                _close(got, want, 1e-9, 1e-12),
                f"for {recipe.name}, backward() called twice: expected {recipe.describe(i)} "
                f"to hold grad {_num(want)} (this pass only), got {_num(got)}",
                _RESET_HINT,
            ):
                break
    if single_ok:
        _shared_outputs(cls, rng, reset, leaves)
    return finish("05.backward", b.build(), {"Value.backward": cls.backward}, save=save)


def _draw_pair(rng: random.Random) -> list[float]:
    while True:
        a, b = (round(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0), 2) for _ in range(2))
        if abs(abs(a) - abs(b)) > 0.3 and min(abs(a), abs(b)) > 0.6:
            return [a, b]


def _shared_outputs(cls: type, rng: random.Random, reset: RuleBuilder, leaves: RuleBuilder) -> None:
    """m = x * x feeds two outputs: L1 = m * c1, then L2 = m * c2, each with backward()."""
    xv = round(rng.uniform(1.5, 2.5), 2)
    c1, c2 = round(rng.uniform(1.5, 2.5), 2), round(rng.uniform(3.0, 4.0), 2)
    what = "m = x * x, L1 = m * c1, L2 = m * c2"
    try:
        x = cls(xv)
        m = x * x
        out1, out2 = m * cls(c1), m * cls(c2)
        out1.backward()
        out2.backward()
    except Exception as exc:
        _backward_error(reset, what, exc)
        return
    reset.check(
        _close(m.grad, c2, 1e-9, 1e-12),
        f"for {what} with c1={_num(c1)}, c2={_num(c2)}: after L1.backward() then "
        f"L2.backward(), expected m.grad = c2 = {_num(c2)} (L2's pass only), got "
        f"{_num(m.grad)}",
        _RESET_HINT,
    )
    leaves.check(
        _close(x.grad, 2 * xv * (c1 + c2)),
        f"for {what}: x is a leaf, so x.grad must collect both passes: expected "
        f"2x·c1 + 2x·c2 = {_num(2 * xv * (c1 + c2))}, got {_num(x.grad)}",
        _RESET_HINT if not _close(x.grad, 2 * xv * c2) else _ACCUMULATE_HINT,
    )


# --------------------------------------------------------------------------- the sort alone
def _package_graph(rng: random.Random, k: int) -> _PackageValue:
    """A random graph of +, *, tanh on the package's Value; some nodes unused by its output."""
    V = _PackageValue
    pool = [V(round(rng.uniform(-2, 2), 2), label=f"x{i}") for i in range(rng.randint(1, 4))]
    for _ in range(rng.randint(0, 12)):
        kind = rng.choice(["+", "*", "tanh", "const"])
        u, v = rng.choice(pool), rng.choice(pool)
        new = {"+": u + v, "*": u * v, "tanh": u.tanh(), "const": u * 0.5}[kind]
        new.label = f"n{len(pool)}"
        pool.append(new)
    return rng.choice(pool[len(pool) // 2 :])


def _package_chain(depth: int) -> _PackageValue:
    y = _PackageValue(1.0, label="x")
    for i in range(depth):
        y = y * 1.001
        y.label = f"n{i + 1}"
    return y


def _name(node: object) -> str:
    label = getattr(node, "label", "")
    return repr(label) if label else "a constant"


def check_topological_order(
    fn: Callable[[object], list[object]],
    *,
    seed: int | None = None,
    graphs: int = 200,
    save: bool = True,
) -> CheckReport:
    """Check lesson 05's sort: ``fn(root)`` lists every node ``root`` depends on (and
    ``root``), each once and **after all of its inputs**, without recursion.

    Many orders are right, so it does not ask for the order of ``topological_order``: it
    checks the same nodes, each once, every node after its inputs, on ``graphs`` random
    graphs (with sharing, constants and unused nodes), a single leaf, and a 20,000-deep
    chain.
    """
    if not callable(fn) or isinstance(fn, type):
        raise TypeError(
            "check_topological_order needs your function, e.g. "
            "check_topological_order(my_topological_order)"
        )
    seed = _fresh_seed(seed)
    rng = random.Random(seed)
    b = ReportBuilder(
        "topological order",
        "your sort lists every node once, each after its inputs, without recursion.",
        seed,
    )
    kind, once, inputs_first, deep = (
        b.rule("returns a list of the nodes"),
        b.rule("every node once"),
        b.rule("inputs first"),
        b.rule("20,000-deep chain"),
    )
    cases = [("a single leaf", _PackageValue(1.0, label="x0"))]
    cases += [(f"random graph {k}", _package_graph(rng, k)) for k in range(1, graphs)]
    cases.append(("a 20,000-deep chain", _package_chain(20_000)))
    for what, root in cases:
        is_chain = what.startswith("a 20,000")
        expected = topological_order(root)
        try:
            got = fn(root)
        except Exception as exc:
            rule = deep if is_chain else kind
            if isinstance(exc, RecursionError):
                rule = deep
            rule.error(
                f"sorting {what}",
                exc,
                hint=(
                    "Your sort is recursive: each level of the graph is one more nested call, "
                    "and Python stops at about a thousand. Keep your own list as a stack."
                )
                if isinstance(exc, RecursionError)
                else "",
            )
            if is_chain:
                break
            continue
        if not kind.check(
            isinstance(got, list),
            f"for {what}: expected a list, got {type(got).__name__}",
            "Return the list `order` (did you forget `return order`?).",
        ):
            continue
        position: dict[int, int] = {}
        dup = None
        for i, node in enumerate(got):
            if id(node) in position and dup is None:
                dup = node
            position.setdefault(id(node), i)
        wanted = {id(n) for n in expected}
        missing = [n for n in expected if id(n) not in position]
        extra = [n for n in got if id(n) not in wanted]
        target = deep if is_chain else once
        if dup is not None:
            target.check(
                False,
                f"for {what}: node {_name(dup)} appears more than once in your order",
                "Remember the nodes you have seen (a set) and skip them: a shared node is "
                "reached once per user.",
            )
            continue
        if missing:
            target.check(
                False,
                f"for {what}: your order has {len(got)} nodes, expected {len(expected)}: "
                f"{_name(missing[0])} is missing",
                "Every node the root depends on must be listed, the root and the leaves "
                "(constants too) included.",
            )
            continue
        if extra:
            target.check(
                False,
                f"for {what}: your order lists {_name(extra[0])}, which the root does not "
                "depend on",
                "List only the nodes reached from root through `_prev`.",
            )
            continue
        target.check(True)
        bad = next(
            (
                (node, inp)
                for node in got
                for inp in getattr(node, "_prev", ())
                if position[id(inp)] > position[id(node)]
            ),
            None,
        )
        rule = deep if is_chain else inputs_first
        if bad is None:
            rule.check(True)
        else:
            node, inp = bad
            op = getattr(node, "_op", "?")
            rule.check(
                False,
                f"for {what}: {_name(node)} (op {op}) is at position "
                f"{position[id(node)]}, before its input {_name(inp)} at position "
                f"{position[id(inp)]}",
                "Append a node only once all its inputs are appended: that is the moment the "
                "recursive sort appends it, after the loop over its inputs.",
            )
    # a rule none of whose checks could run (every case failed an earlier rule first) is not
    # judged: show it as blocked, never as a passing row with 0 checks
    rules = [kind, once, inputs_first, deep]
    for k, rule in enumerate(rules):
        if rule._rule.checks == 0:
            by = next((r for r in rules[:k] if not r.ok), kind)
            rule.blocked(by=by._rule.name)
    return finish("05.topo", b.build(), {"my_topological_order": fn}, save=save)


# --------------------------------------------------------------------------- cycle-free rules
def garbage_per_node(make_leaf: Callable[[float], object], n_ops: int = 2_000) -> float:
    """Build ``y = y * x + x`` ``n_ops`` times (2·n_ops nodes), drop it, and return how many
    objects per node only Python's cycle collector could free (``gc.collect()``'s count).

    0 means the graph had no reference cycles: reference counting freed it the moment it was
    dropped. The collector is paused during the experiment, so the count is exact.
    """
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        x, y = make_leaf(1.0), make_leaf(0.5)
        for _ in range(n_ops):
            y = y * x + x
        del x, y
        found = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    return found / (2 * n_ops)


def _cycles_left(cls: type, rng: random.Random, rule: RuleBuilder) -> None:
    """Build c = a * b and d = (a + b) * a, run backward(), drop them: nothing may be left."""
    for what, make in (
        ("c = a * b", lambda a, b: a * b),
        ("c = a + b", lambda a, b: a + b),
        ("d = (a + b) * a", lambda a, b: (a + b) * a),
    ):
        was_enabled = gc.isenabled()
        gc.collect()
        gc.disable()
        try:
            a, b = cls(round(rng.uniform(0.5, 2), 2)), cls(round(rng.uniform(-2, -0.5), 2))
            out = make(a, b)
            out.backward()
            try:
                alive = weakref.ref(out)
            except TypeError:  # a class with __slots__ and no __weakref__: count instead
                alive = None
            del a, b, out
            found = gc.collect()
            left = alive() is not None if alive is not None else found > 0
        except Exception as exc:
            rule.error(f"building {what} and running backward()", exc)
            return
        finally:
            if was_enabled:
                gc.enable()
        if not rule.check(
            not left and found == 0,
            f"for {what}: after backward() and `del`, {found} objects were left that only "
            "the cycle collector could free: the graph still has a reference cycle",
            "Store a plain function as the rule (`out._backward = FreeValue._mul_backward`), "
            "not a closure or a bound method: both hold `out`, and `out` holds them. The rule "
            "reads its inputs from `out._prev`.",
        ):
            return


def _not_own_class(cls: type) -> str:
    """The hint when ``+`` or ``*`` returns something other than the class itself (say
    ``out = Value(...)`` inside ``FreeValue.__mul__``), else ""."""
    for symbol, method in (("+", "__add__"), ("*", "__mul__")):
        try:
            out = getattr(cls(1.5), method)(cls(2.5))
        except Exception:  # the cases report it; this only names the class
            continue
        if out is not None and not isinstance(out, cls):
            return (
                f"`out` must be a {cls.__name__}: your {method} (`{symbol}`) returns a "
                f"{type(out).__name__}. Write `out = {cls.__name__}(...)`: {cls.__name__}'s "
                f"operations cannot take a plain {type(out).__name__} as an input (it is not "
                f"a number to wrap), and its backward() calls the rules with no argument."
            )
    return ""


def check_cycle_free(
    value_cls: type, *, seed: int | None = None, rounds: int = 1, save: bool = True
) -> CheckReport:
    """Check lesson 05's cycle-free ``+`` and ``*``: rules of the form ``_backward(out)``.

    The gradients are checked as ``check_add_mul`` does (central differences on fresh random
    numbers, values used twice, nested expressions), through your class's own
    ``backward()``. Then it builds small graphs, runs ``backward()``, drops them with the
    cycle collector paused, and checks that nothing is left for the collector: a rule that
    still holds ``out`` (a closure, a bound method, ``functools.partial``) is a cycle.
    """
    cls = check_class(value_cls, "check_cycle_free")
    seed = _fresh_seed(seed)
    title, praise = "cycle-free + and *", "your rules take `out`: right gradients, no cycles."
    report = run_cases(title, praise, add_mul_cases(), cls, seed, rounds)
    wrong_class = _not_own_class(cls)
    if wrong_class:  # every failure is likely this: say so instead of the generic hints
        for r in report._rules:
            r.failures = [
                replace(f, hint=wrong_class) if f.kind == "error" else f for f in r.failures
            ]
    b = ReportBuilder(title, praise, seed)
    rule = b.rule("no reference cycles")
    if report:
        _cycles_left(cls, random.Random(seed), rule)
    else:
        rule.blocked(by="+ and *")
    out = CheckReport(title, praise, report._rules + b.build()._rules, seed)
    return finish("05.cycle_free", out, {"FreeValue": cls}, save=save)


# --------------------------------------------------------------------------- quiz
# Every number a `why` quotes is printed by the lesson (or follows from its code): the diamond
# at x = 3 gives x.grad = 42 (walk 1), 12 (walk 2), 30 (topological order), m.grad = 5 in all;
# the recursion limit is 1000, depth 500 works, 2,000 raises RecursionError, the new
# backward() handles 100,000; closures leave 7 objects per node for the collector (the node,
# its _prev tuple, its rule, the closure's tuple and 3 cells), FreeValue 0
# (220,000 objects freed by the collector against 0 in the timing run). The wider diamond of
# the Try it list gives 96 / 12 / 54 (tests/course/test_lesson05_quiz.py runs the walks).
QUIZ = [
    Question(
        "05.early",
        "In the diamond, walk 2 ran m's rule only once, yet x.grad came out 12 instead of 30. Why?",
        [
            Choice(
                "the rule of `*` is wrong for a value used twice",
                "The same rule gives 30 in walk 3, and m.grad itself ends up right (5) in every "
                "walk. Nothing is wrong with what the rule does; walk 2 ran it at the wrong "
                "moment.",
            ),
            Choice(
                "m's rule passed on m.grad before it was complete",
                "Walk 2 reached m first through a, when m.grad was 2, and ran its rule then: "
                "x got 2·x·2 = 12. Then b added its 3, making m.grad 5, but m's rule had "
                "already run, so nobody passed b's share on to x. A rule may run only once its "
                "node's grad is complete.",
            ),
            Choice(
                "x.grad kept a gradient from the walk before",
                "Each walk starts from a fresh `diamond()`, so x.grad starts at 0. And 12 is "
                "exactly a's share, 2·x·2 with x = 3: the part from b is missing, not something "
                "extra.",
            ),
            Choice(
                "walk 2 skipped x the second time the walk reached m",
                "Skipping x loses nothing: x is a leaf, with no rule to run. m's rule itself "
                "adds both shares of `x * x` to x.grad. The share that went missing is b's, "
                "which arrived at m after m's rule had run.",
            ),
        ],
        answer=1,
    ),
    Question(
        "05.stack",
        "The recursive `backward()` of lesson 03 raised RecursionError on a 2,000-deep chain; "
        "the one you wrote handles 100,000. What makes the difference?",
        [
            Choice(
                "a loop is faster, so it is done before Python gives up",
                "Python's limit is not about time: it counts the calls in progress at the same "
                "moment (1000 here). Depth 500 worked and 2,000 failed at once, because the "
                "recursive sort nests one call per level of the graph.",
            ),
            Choice(
                "it skips the nodes the recursive sort visited twice",
                "The recursive sort also keeps a `seen` set and visits every node once; a "
                "chain has no shared nodes anyway. Both sorts list the same nodes. What fails "
                "is how deep the calls nest, not how many there are.",
            ),
            Choice(
                "its unfinished work sits in a list, not on the call stack",
                "Each level of recursion is one Python call still in progress, and Python "
                "allows about 1000 of them (its recursion limit). The sort without recursion "
                "keeps them as entries of a list of its own (`(node, False)`, `(node, True)`), "
                "and a list can grow to millions of entries.",
            ),
            Choice(
                "it resets the gradients first, which lesson 03's version forgot",
                "Lesson 03's `backward()` resets the grad of every node with inputs and seeds "
                "1.0 too: the same semantics. Its trouble was the sort, which raised "
                "RecursionError before any rule ran.",
            ),
        ],
        answer=2,
    ),
    Question(
        "05.cycles",
        "Why do `FreeValue`'s rules take `out` as an argument, `_backward(out)`, instead of "
        "capturing it in a closure?",
        [
            Choice(
                "so that no node holds a reference to itself",
                "A closure that captures out, stored in out._backward, is a cycle: out → rule "
                "→ out. Only the cycle collector can free it: the lesson counted 7 objects per "
                "node left for it with closures, 0 with FreeValue, whose dropped graphs are "
                "freed at once by reference counting.",
            ),
            Choice(
                "closures cannot use `+=` on an input's grad",
                "Your closures do exactly that, `self.grad += ...`, and pass their checks. Both "
                "forms compute the same gradients; the difference the lesson measured is memory "
                "and the cycle collector's time.",
            ),
            Choice(
                "closures give wrong gradients on shared nodes",
                "The diamond with closures gives 30 in walk 3 and with your `backward()`: "
                "sharing is handled by the order of the rules and by `+=`, not by how a rule "
                "finds its node.",
            ),
            Choice(
                "so that the rules can run in any order",
                "The order matters just as much: `FreeValue.backward()` still runs each rule "
                "once, in the reverse of a topological order, so that a node's grad is complete "
                "when its rule runs. Only how the rule gets `out` changed.",
            ),
        ],
        answer=0,
    ),
    Question(
        "05.wider",
        "From the Try it list: you make the diamond wider, `L = m * 2 + m * 3 + m * 4` (x = 3). "
        "The right x.grad is now 9 · 2x = 54. What does walk 1 (a rule run at every reach) give?",
        [
            Choice(
                "54",
                "That is the topological order's answer. Walk 1 reaches m three times and runs "
                "its rule each time, with m.grad at 2, then 5, then 9: x gets "
                "6·2 + 6·5 + 6·9 = 96.",
            ),
            Choice(
                "12",
                "That is walk 2, which runs m's rule once, the first time, when m.grad holds "
                "only the first share, 2: 6·2 = 12. Walk 1 runs it at every reach.",
            ),
            Choice(
                "42",
                "42 is walk 1 on the two-user diamond (6·2 + 6·5). A third user means a third "
                "reach: m's rule runs once more, with m.grad = 9, and adds another 54.",
            ),
            Choice(
                "96",
                "m is reached three times, and each time its rule passes on what m.grad holds "
                "then: 2, then 2 + 3 = 5, then 5 + 4 = 9. With dm/dx = 2x = 6, x gets "
                "6·(2 + 5 + 9) = 96: the earlier shares are counted again at every reach.",
            ),
        ],
        answer=3,
        try_it=True,
    ),
]

# --------------------------------------------------------------------------- study with an AI
STUDY = Study(
    goals=[
        "See why the backward rules must run in a topological order, on a graph where a naive "
        "walk gives the wrong numbers.",
        "Watch a recursive sort fail on a deep graph, and write a sort without recursion.",
        "Write `backward()` yourself — sort, reset, seed, sweep — so your `Value` handles a "
        "graph of any depth.",
        "Follow `loss.backward()` step by step (sort, reset, seed, sweep), and see that "
        "PyTorch takes the same steps.",
        "Measure what Python's garbage collector costs your engine, and remove the cost by "
        "giving each rule its output node `out` as an argument.",
    ],
    formulas=[
        "a node's rule may run only when its grad is complete: after every node that uses it",
        "a value used in several places gets the sum of their shares (diamond: m.grad = 2 + 3)",
        "topological order: every node after its inputs; backward runs the rules in reverse",
        "backward(): sort, reset the grad of every node with inputs to 0 (leaves accumulate), "
        "seed self.grad = 1, run each rule once, outputs first",
        "L = (w·x - 3)², e = w·x - 3: dL/de = 2e, dL/dw = x·dL/de, dL/dx = w·dL/de",
        "a closure that captures out is a cycle (out → out._backward → out); a rule "
        "_backward(out) takes its node as an argument and makes none",
    ],
    demo=(
        "the diamond L = m·2 + m·3 with m = x·x at x = 3 (dL/dx = 10x = 30), where running a "
        "rule at every reach gives 42, at the first reach 12, and in topological order 30; "
        "then loss.backward() step by step on L = (w·x - 3)² with w = 0.5 and x = 2: the "
        "forward pass gives z = 1, e = -2, L = 4, and backward seeds L.grad = 1 and gives "
        "e.grad = -4, z.grad = -4, w.grad = -8, x.grad = -2 (w.grad = -16 and x.grad = -4 "
        "after a second call, while e.grad stays -4)."
    ),
    demo_focus=(
        "Walk me through what loss.backward() does, step by step, on this lesson's 3-op "
        "example L = (w·x - 3)² with w = 0.5 and x = 2: the graph the forward pass built (its "
        "nodes, their inputs and ops), the order backward sorts it in, the reset and the seed, "
        "then each rule as it runs, with the gradient it adds to each input. Then tell me what "
        "changes when I call it a second time, and why. Stop after each step and let me ask "
        "questions."
    ),
    try_it=[
        "In the cell that defines diamond(), change the diamond so that m is used by one node "
        "only (e.g. L = m * 5, still 5x²), then run the side-by-side table again: do the three "
        "walks agree?",
        "Make the diamond wider in the same cell, L = m * 2 + m * 3 + m * 4: how wrong does "
        "walk 1 get? (The right answer is now 9 · 2x = 54.)",
        "Run topo_recursive(chain(depth)) with growing depth to find where it breaks on your "
        "machine; then len(my_topological_order(chain(300_000))): no recursion limit applies "
        "(mind the memory: that graph alone takes a few hundred megabytes)",
        "In the timing cell, make the graphs bigger (n_ops=10_000) or smaller (n_ops=100): how "
        "much does the collector cost the closure form?",
    ],
)
