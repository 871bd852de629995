"""Unit tests for the scalar engine (``autograd.engine``).

Expected numbers come from ``math`` or from derivatives worked out by hand, never from the
engine itself; gradients of the shared function table are checked against central
differences (see ``tests/functions.py``).
"""

from __future__ import annotations

import gc
import math
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from functions import FUNCTIONS, TableFunction, central_differences

from autograd.engine import Value, _topological_order_by_marks, backward_order, topological_order


@contextmanager
def gc_paused() -> Iterator[None]:
    """Build big graphs without the cyclic GC rescanning them (keeps the deep tests fast)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------------- construction
@pytest.mark.parametrize(
    "data, expected",
    [
        (3, 3.0),
        (-2.5, -2.5),
        (np.float32(1.5), 1.5),
        (np.float64(-0.25), -0.25),
        (np.int64(7), 7.0),
        (True, 1.0),  # bool is an int in Python
    ],
)
def test_value_accepts_real_numbers_and_stores_a_float(data, expected):
    v = Value(data)
    assert type(v.data) is float
    assert v.data == expected
    assert v.grad == 0.0 and type(v.grad) is float
    assert v.label == ""


@pytest.mark.parametrize(
    "data, type_name",
    [
        ("2.0", "str"),
        (None, "NoneType"),
        (1 + 2j, "complex"),
        ([1.0], "list"),
        (np.array(1.0), "ndarray"),
        (np.array([1.0, 2.0]), "ndarray"),
    ],
)
def test_value_rejects_non_real_numbers_naming_the_type(data, type_name):
    with pytest.raises(TypeError, match=type_name):
        Value(data)


def test_label_must_be_a_string():
    assert Value(1.0, label="w").label == "w"
    with pytest.raises(TypeError, match="int"):
        Value(1.0, label=3)


def test_a_leaf_has_no_inputs_no_op_and_no_rule():
    v = Value(2.0)
    assert v._prev == () and isinstance(v._prev, tuple)
    assert v._op == ""
    assert v._backward is None


def test_repr_is_deterministic_and_shows_the_label():
    assert repr(Value(2.0, label="a")) == "Value(label='a', data=2, grad=0)"
    assert repr(Value(-0.125)) == "Value(data=-0.125, grad=0)"


def test_nodes_have_no_instance_dict():
    with pytest.raises(AttributeError):
        Value(1.0).colour = "red"


# ---------------------------------------------------------------------------- each op
# (name, function, inputs, expected value, expected gradients) -- all worked out by hand/math
A, B = 2.0, -3.0
T = 0.5
CASES = [
    ("+", lambda a, b: a + b, (A, B), A + B, (1.0, 1.0)),
    ("-", lambda a, b: a - b, (A, B), A - B, (1.0, -1.0)),
    ("*", lambda a, b: a * b, (A, B), A * B, (B, A)),
    ("/", lambda a, b: a / b, (A, B), A / B, (1 / B, -A / B**2)),
    ("**3", lambda a: a**3, (A,), A**3, (3 * A**2,)),
    ("**-2", lambda a: a**-2, (A,), A**-2, (-2 * A**-3,)),
    ("**0.5", lambda a: a**0.5, (A,), math.sqrt(A), (0.5 / math.sqrt(A),)),
    ("** (Value)", lambda a, b: a**b, (A, 3.0), A**3, (3 * A**2, A**3 * math.log(A))),
    ("neg", lambda a: -a, (A,), -A, (-1.0,)),
    ("relu +", lambda a: a.relu(), (A,), A, (1.0,)),
    ("relu -", lambda a: a.relu(), (B,), 0.0, (0.0,)),
    ("tanh", lambda a: a.tanh(), (T,), math.tanh(T), (1 - math.tanh(T) ** 2,)),
    ("exp", lambda a: a.exp(), (T,), math.exp(T), (math.exp(T),)),
    ("log", lambda a: a.log(), (A,), math.log(A), (1 / A,)),
    (
        "sigmoid",
        lambda a: a.sigmoid(),
        (T,),
        1 / (1 + math.exp(-T)),
        (math.exp(-T) / (1 + math.exp(-T)) ** 2,),
    ),
    (
        "sigmoid of a very negative number",
        lambda a: a.sigmoid(),
        (-800.0,),
        0.0,  # exp(-800) underflows to 0; computing 1/(1+exp(800)) would overflow
        (0.0,),
    ),
    # reflected forms: the number on the left
    ("2 + a", lambda a: 2 + a, (A,), 2 + A, (1.0,)),
    ("1 - a", lambda a: 1 - a, (A,), 1 - A, (-1.0,)),
    ("2 * a", lambda a: 2 * a, (A,), 2 * A, (2.0,)),
    ("10 / a", lambda a: 10 / a, (A,), 10 / A, (-10 / A**2,)),
    ("2 ** a", lambda a: 2**a, (A,), 2**A, (2**A * math.log(2),)),
    # the number on the right
    ("a + 2", lambda a: a + 2, (A,), A + 2, (1.0,)),
    ("a - 1", lambda a: a - 1, (A,), A - 1, (1.0,)),
    ("a * 2", lambda a: a * 2, (A,), A * 2, (2.0,)),
    ("a / 4", lambda a: a / 4, (A,), A / 4, (0.25,)),
    # edge points that are inside the domain
    ("0 ** 2", lambda a: a**2, (0.0,), 0.0, (0.0,)),
    ("x ** 0 at 0", lambda a: a**0, (0.0,), 1.0, (0.0,)),
    ("0 ** Value(2)", lambda a, b: a**b, (0.0, 2.0), 0.0, (0.0, 0.0)),
    ("(-2) ** 3", lambda a: a**3, (-2.0,), -8.0, (12.0,)),
]


@pytest.mark.parametrize("name, f, inputs, value, grads", CASES, ids=[c[0] for c in CASES])
def test_op_value_and_gradient(name, f, inputs, value, grads):
    leaves = [Value(x) for x in inputs]
    out = f(*leaves)
    assert out.data == approx(value)
    out.backward()
    assert out.grad == 1.0
    for leaf, expected in zip(leaves, grads, strict=True):
        assert leaf.grad == approx(expected)


OPS = [
    ("+", lambda a, b: a + b, 2),
    ("-", lambda a, b: a - b, 2),
    ("*", lambda a, b: a * b, 2),
    ("/", lambda a, b: a / b, 2),
    ("**", lambda a, b: a**b, 2),
    ("**2", lambda a: a**2, 1),
    ("**-1", lambda a: a**-1, 1),
    ("**0.5", lambda a: a**0.5, 1),
    ("**1.25", lambda a: a**1.25, 1),
    ("neg", lambda a: -a, 1),
    ("relu", lambda a: a.relu(), 1),
    ("tanh", lambda a: a.tanh(), 1),
    ("exp", lambda a: a.exp(), 1),
    ("log", lambda a: a.log(), 1),
    ("sigmoid", lambda a: a.sigmoid(), 1),
]


@pytest.mark.parametrize("op, f, arity", OPS, ids=[o[0] for o in OPS])
def test_each_op_records_its_inputs_in_argument_order_and_its_name(op, f, arity):
    leaves = [Value(x) for x in (1.5, 2.5)[:arity]]
    out = f(*leaves)
    assert isinstance(out._prev, tuple)
    assert len(out._prev) == arity
    assert all(p is leaf for p, leaf in zip(out._prev, leaves, strict=True))
    assert out._op == op
    assert callable(out._backward)
    assert out.label == "" and out.grad == 0.0


def test_a_number_exponent_is_kept_in_ctx():
    assert (Value(3.0) ** 2)._ctx == 2.0
    assert (Value(3.0) ** -0.5)._ctx == -0.5
    assert (Value(3.0) ** Value(2.0))._ctx is None


@pytest.mark.parametrize(
    "f, number, number_first",
    [
        (lambda a: 2 + a, 2.0, True),
        (lambda a: 2 * a, 2.0, True),
        (lambda a: 1 - a, 1.0, True),
        (lambda a: 10 / a, 10.0, True),
        (lambda a: 2**a, 2.0, True),
        (lambda a: a + 2, 2.0, False),
        (lambda a: a * 2, 2.0, False),
        (lambda a: a - 5, 5.0, False),
        (lambda a: a / 4, 4.0, False),
    ],
)
def test_a_plain_number_becomes_a_leaf_in_its_argument_position(f, number, number_first):
    a = Value(3.0)
    out = f(a)
    constant, other = out._prev if number_first else out._prev[::-1]
    assert other is a
    assert isinstance(constant, Value) and constant._prev == ()
    assert constant.data == number


def test_numpy_scalars_work_as_operands():
    a = Value(2.0)
    out = a * np.float32(3.0) + np.int64(1)
    assert out.data == 7.0
    out.backward()
    assert a.grad == 3.0


# ---------------------------------------------------------------------------- domain policy
@pytest.mark.parametrize(
    "f, error, names",
    [
        (lambda: Value(0.0).log(), ValueError, "0.0"),
        (lambda: Value(-2.0).log(), ValueError, "-2.0"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "-8.0"),
        (lambda: Value(-2.0) ** 0.5, ValueError, "-2.0"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "0"),
        (lambda: Value(3.5) / 0, ZeroDivisionError, "3.5"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "0"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0"),
        (lambda: Value(0.0) ** -0.5, ZeroDivisionError, "0.0"),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, "-2.0"),
        (lambda: (-2) ** Value(2.0), ValueError, "-2.0"),
        (lambda: Value(0.0) ** Value(-1.0), ZeroDivisionError, "-1.0"),
        (lambda: Value(0.0) ** Value(0.0), ZeroDivisionError, "0.0"),
        (lambda: Value(1000.0).exp(), OverflowError, "1000.0"),
        (lambda: Value(10.0) ** 400, OverflowError, "10.0"),
    ],
)
def test_out_of_domain_raises_at_once_naming_the_value(f, error, names):
    with pytest.raises(error, match=re.escape(names)):
        f()


def test_negative_base_to_an_integer_power_is_fine():
    a = Value(-2.0)
    out = a**3.0  # an integer-valued float exponent
    out.backward()
    assert (out.data, a.grad) == (-8.0, 12.0)


@pytest.mark.parametrize(
    "f",
    [lambda x: x**0.5, lambda x: x ** Value(0.5)],
    ids=["x ** 0.5", "x ** Value(0.5)"],
)
def test_infinite_slope_at_zero_raises_in_backward(f):
    out = f(Value(0.0))
    assert out.data == 0.0  # the value is fine...
    with pytest.raises(ZeroDivisionError, match="infinite"):
        out.backward()  # ...its slope is not


# ---------------------------------------------------------------------------- bad operands
@pytest.mark.parametrize(
    "f, type_name",
    [
        (lambda a: a + "x", "str"),
        (lambda a: "x" + a, "str"),
        (lambda a: a * None, "NoneType"),
        (lambda a: a - [1.0], "list"),
        (lambda a: a / (1 + 2j), "complex"),
        (lambda a: a + np.array([1.0, 2.0]), "ndarray"),
        (lambda a: a ** "2", "str"),
        (lambda a: a**None, "NoneType"),
    ],
)
def test_bad_operand_types_raise_a_type_error_naming_the_type(f, type_name):
    with pytest.raises(TypeError, match=type_name):
        f(Value(1.0))


# ---------------------------------------------------------------------------- re-use
def test_a_value_used_twice_gets_both_contributions():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0

    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # d(a²)/da = 2a

    a = Value(3.0)
    (a * a * a).backward()
    assert a.grad == 27.0  # 3a²


def test_diamond():
    # a feeds b and c, both feed d: dd/da = c * db/da + b * dc/da = 2(a + 3) + 2a
    a = Value(1.5)
    b = a * 2
    c = a + 3
    d = b * c
    d.backward()
    assert a.grad == approx(2 * (1.5 + 3) + 2 * 1.5)
    assert (b.grad, c.grad) == (c.data, b.data)


def test_sum_builtin_works():
    xs = [Value(float(i)) for i in range(5)]
    total = sum(xs)
    assert total.data == 10.0
    total.backward()
    assert [x.grad for x in xs] == [1.0] * 5


# ---------------------------------------------------------------------------- repeated backward
def test_second_backward_accumulates_in_leaves_but_not_in_intermediates():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.backward()
    assert (a.grad, b.grad, c.grad, d.grad) == (b.data + 1, a.data, 1.0, 1.0)
    d.backward()
    assert (a.grad, b.grad) == (2 * (b.data + 1), 2 * a.data)  # leaves: doubled
    assert (c.grad, d.grad) == (1.0, 1.0)  # intermediates: this pass only


def test_backward_from_two_roots_sharing_a_subgraph():
    a, b = Value(2.0), Value(5.0)
    c = a * b
    d, e = c * 2, c * 3
    d.backward()
    e.backward()
    assert a.grad == 2 * b.data + 3 * b.data  # leaves accumulate over both passes
    assert c.grad == 3.0  # the shared intermediate holds the latest pass


def test_zeroing_a_leaf_between_passes_gives_fresh_gradients():
    a = Value(4.0)
    y = a * a
    y.backward()
    a.grad = 0.0
    y.backward()
    assert a.grad == 8.0


def test_backward_on_a_leaf():
    a = Value(1.0)
    a.backward()
    assert a.grad == 1.0
    a.backward()
    assert a.grad == 2.0


# ---------------------------------------------------------------------------- deep and big graphs
def test_a_chain_a_million_deep():
    n = 1_000_000
    with gc_paused():
        x = Value(1.0)
        a = x
        for _ in range(n):
            a = a + x
        a.backward()
    assert a.data == n + 1
    assert x.grad == n + 1


def test_sum_of_a_million_values():
    n = 1_000_000
    with gc_paused():
        xs = [Value(1.0) for _ in range(n)]
        total = sum(xs)
        total.backward()
    assert total.data == n
    assert xs[0].grad == 1.0 and xs[-1].grad == 1.0 and xs[n // 2].grad == 1.0


def test_the_orders_of_a_deep_chain():
    with gc_paused():
        x = Value(1.0)
        a = x
        for _ in range(100_000):
            a = a * 1.0
        order = topological_order(a)
    assert order[-1] is a and backward_order(a)[0] is a
    assert len(order) == 1 + 2 * 100_000  # x, and per step a constant and a product


# ---------------------------------------------------------------------------- no cycles
def _graph(n: int) -> tuple[Value, list[Value]]:
    """A graph of about n nodes using every op, with shared nodes."""
    leaves = [Value(0.1 * i + 0.5, label=f"x{i}") for i in range(10)]
    nodes = list(leaves)
    rng = random.Random(0)
    ops = [
        lambda a, b: a + b,
        lambda a, b: a * b,
        lambda a, b: a - b,
        lambda a, b: a / (b * b + 1),
        lambda a, b: (a * a + 1) ** 0.5 + b,
        lambda a, b: (a * a + 1).log() * b,
        lambda a, b: a.tanh() + b.sigmoid(),
        lambda a, b: a.relu() - (-b).exp() * 0.1,
        lambda a, b: (a * 0.01) ** 2 + 2 ** b.tanh(),
    ]
    while len(nodes) < n:
        a, b = rng.choice(nodes[-20:]), rng.choice(nodes)
        nodes.append(rng.choice(ops)(a, b).tanh())
    return nodes[-1], leaves


def test_no_reference_cycles_per_node():
    gc.collect()
    with gc_paused():
        root, leaves = _graph(1000)
        assert len(topological_order(root)) > 1000
        root.backward()
        del root, leaves
        # With no cycles, reference counting alone freed the graph: nothing for gc to find.
        assert gc.collect() == 0


# ---------------------------------------------------------------------------- orders
def _reachable(root: Value) -> set[int]:
    seen, stack = {id(root)}, [root]
    while stack:
        for p in stack.pop()._prev:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return seen


def test_topological_order_puts_each_node_after_its_inputs_and_each_node_once():
    root, _ = _graph(500)
    order = topological_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)  # each node once
    assert set(position) == _reachable(root)  # every node
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node._prev)
    assert order[-1] is root


def test_the_marked_walk_of_backward_gives_exactly_topological_order():
    root, _ = _graph(500)
    assert _topological_order_by_marks(root) == topological_order(root)
    assert _topological_order_by_marks(root) == topological_order(root)  # walks can repeat


def test_backward_order_is_the_reverse():
    root, _ = _graph(200)
    assert backward_order(root) == topological_order(root)[::-1]


def test_orders_are_deterministic():
    def labelled_order() -> list[str]:
        root, _ = _graph(300)
        order = topological_order(root)
        for node in order:
            if not node.label:
                node.label = f"{node._op}:{node.data:.12g}"
        return [node.label for node in order]

    assert labelled_order() == labelled_order()


def test_inputs_are_visited_in_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    assert [n.label for n in topological_order(a * b)][:2] == ["a", "b"]
    assert [n.label for n in topological_order(b * a)][:2] == ["b", "a"]


def test_a_leaf_is_its_own_order():
    a = Value(1.0)
    assert topological_order(a) == [a] == backward_order(a)


# ---------------------------------------------------------------------------- the table
@pytest.mark.parametrize("f", FUNCTIONS, ids=[f.name for f in FUNCTIONS])
def test_table_function_gradients_match_central_differences(f: TableFunction):
    rng = random.Random(f.name)
    for point in [f.midpoint(), f.random_point(rng), f.random_point(rng)]:
        leaves = [Value(x) for x in point]
        f.fn(*leaves).backward()
        numeric = central_differences(f, point, Value)
        for leaf, expected in zip(leaves, numeric, strict=True):
            assert leaf.grad == pytest.approx(expected, rel=1e-5, abs=1e-7), (f.name, point)
