"""The scalar engine: a `Value` remembers how it was computed, so it can send gradients back.

Every operation below has two halves that stand side by side:

* the **forward** half computes the new number and records the inputs (``_prev``, a tuple
  in argument order) and the operation's name (``_op``);
* the **backward** half, a small function ``_backward(out)``, applies the chain rule locally:
  it adds ``local derivative * out.grad`` into each input's ``.grad``. It uses ``+=`` because
  a value used twice receives gradient from both uses.

Design choices that differ from micrograd:

* ``_backward`` receives the output node as an argument instead of capturing it. A closure
  that refers to its own output makes every node a reference cycle, and Python's cyclic
  garbage collector then dominates the forward pass. Here the graph is a DAG of references.
* ``__slots__`` keeps each node small and attribute access fast.
* The topological sort is an iterative depth-first search, so a chain a million nodes deep
  works.

Domain policy: like Python's ``math`` module, an operation outside its domain raises at once
(never a silent ``nan`` or a wrong gradient): ``log`` of a number <= 0 and a negative base
raised to a non-integer power raise ``ValueError``; division by zero raises
``ZeroDivisionError``; ``exp`` of a huge number raises ``OverflowError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import TypeAlias

Number: TypeAlias = "int | float"
Operand: TypeAlias = "Value | int | float"


def _check_real(data: object, what: str = "Value") -> float:
    """Return ``data`` as a float, or raise a TypeError that names its type."""
    if isinstance(data, Real):  # int, float, bool and numpy scalars
        return float(data)
    raise TypeError(
        f"{what} needs a real number (int, float or numpy scalar), got {type(data).__name__}: "
        f"{data!r}"
    )


class Value:
    """A scalar that remembers the computation that produced it.

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + a          # forward: builds the graph
    >>> c.backward()           # backward: fills in .grad for every node
    >>> a.grad, b.grad         # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)

    ``backward()`` may be called more than once. Like PyTorch, gradients **accumulate in the
    leaves** (nodes with no inputs): a second ``backward()`` adds the same gradients again, so
    reset them (``v.grad = 0.0`` or ``Module.zero_grad()``) between steps. Intermediate nodes
    are scratch space: each ``backward()`` resets them first, so they always hold the gradient
    of the latest pass.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward", "_ctx", "_mark")

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else _check_real(data)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.grad = 0.0
        self.label = label
        self._prev: tuple[Value, ...] = ()  # the inputs, in argument order (never a set)
        self._op = ""  # the operation that made this node ("" for a leaf)
        self._backward: Callable[[Value], None] | None = None  # local chain rule
        self._ctx: float | None = None  # a number the rule needs (the exponent of x**n)
        self._mark: object = None  # scratch space: which walk of the graph last saw this node

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.4g}, grad={self.grad:.4g})"

    # Each op: the forward method, then its backward rule `_<op>_backward(out)`. The rule
    # reads the inputs from `out._prev`, so it holds no reference to `out` (no cycle).

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "+")
        return _node(self.data + other.data, (self, other), "+", Value._add_backward)

    @staticmethod
    def _add_backward(out: Value) -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
        a, b = out._prev
        a.grad += out.grad
        b.grad += out.grad

    def __mul__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "*")
        return _node(self.data * other.data, (self, other), "*", Value._mul_backward)

    @staticmethod
    def _mul_backward(out: Value) -> None:  # d(a*b)/da = b, d(a*b)/db = a
        a, b = out._prev
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    def __sub__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "-")
        return _node(self.data - other.data, (self, other), "-", Value._sub_backward)

    @staticmethod
    def _sub_backward(out: Value) -> None:  # d(a-b)/da = 1, d(a-b)/db = -1
        a, b = out._prev
        a.grad += out.grad
        b.grad -= out.grad

    def __truediv__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {self!r} / {other!r}")
        return _node(self.data / other.data, (self, other), "/", Value._div_backward)

    @staticmethod
    def _div_backward(out: Value) -> None:  # d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -out/b
        a, b = out._prev
        a.grad += out.grad / b.data
        b.grad -= out.data / b.data * out.grad

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self._pow_value(other)
        n = _check_real(other, "the exponent of **")
        x = self.data
        if x < 0.0 and not n.is_integer():
            raise ValueError(f"negative base to a non-integer power: {x!r} ** {n!r} is not real")
        if x == 0.0 and n < 0.0:
            raise ZeroDivisionError(f"zero to a negative power: {x!r} ** {n!r}")
        return _node(_power(x, n), (self,), f"**{n:g}", Value._pow_backward, n)

    @staticmethod
    def _pow_backward(out: Value) -> None:  # d(x**n)/dx = n * x**(n-1)
        (x,), n = out._prev, out._ctx
        if n == 0.0:  # x**0 = 1 is a constant (and at x = 0, x**-1 would divide by zero)
            return
        if x.data == 0.0 and n < 1.0:
            raise ZeroDivisionError(f"the slope of x**{n:g} at x = 0 is infinite")
        x.grad += n * x.data ** (n - 1) * out.grad

    def _pow_value(self, other: Value) -> Value:
        """``a ** b`` where the exponent is a Value too: d/db = a**b * log(a) needs a >= 0."""
        a, b = self.data, other.data
        if a < 0.0:
            raise ValueError(
                f"a ** b with a Value exponent needs a base >= 0 (d/db = a**b * log(a)); "
                f"got base {a!r}. Use a plain number as the exponent instead."
            )
        if a == 0.0 and b <= 0.0:
            raise ZeroDivisionError(f"zero to a non-positive power: {a!r} ** {b!r}")
        return _node(_power(a, b), (self, other), "**", Value._pow_value_backward)

    @staticmethod
    def _pow_value_backward(out: Value) -> None:  # d/da = b * a**(b-1), d/db = a**b * log(a)
        a, b = out._prev
        if a.data == 0.0 and b.data < 1.0:
            raise ZeroDivisionError(f"the slope of a**b at a = 0 is infinite for b = {b.data!r}")
        a.grad += b.data * a.data ** (b.data - 1) * out.grad
        if a.data > 0.0:  # at a = 0 the limit of a**b * log(a) is 0 (b > 0)
            b.grad += out.data * math.log(a.data) * out.grad

    def __neg__(self) -> Value:
        return _node(-self.data, (self,), "neg", Value._neg_backward)

    @staticmethod
    def _neg_backward(out: Value) -> None:  # d(-a)/da = -1
        out._prev[0].grad -= out.grad

    # reflected forms: `2 * a`, `1 - a`, `10 / a`, `2 ** a` (the number becomes a leaf Value)
    def __radd__(self, other: Number) -> Value:
        return _as_value(other, "+") + self

    def __rmul__(self, other: Number) -> Value:
        return _as_value(other, "*") * self

    def __rsub__(self, other: Number) -> Value:
        return _as_value(other, "-") - self

    def __rtruediv__(self, other: Number) -> Value:
        return _as_value(other, "/") / self

    def __rpow__(self, other: Number) -> Value:
        return _as_value(other, "**") ** self

    # ------------------------------------------------------------------ functions
    def relu(self) -> Value:
        x = self.data
        return _node(x if x > 0.0 else 0.0, (self,), "relu", Value._relu_backward)

    @staticmethod
    def _relu_backward(out: Value) -> None:  # slope 1 where x > 0, else 0
        if out.data > 0.0:
            out._prev[0].grad += out.grad

    def tanh(self) -> Value:
        return _node(math.tanh(self.data), (self,), "tanh", Value._tanh_backward)

    @staticmethod
    def _tanh_backward(out: Value) -> None:  # d tanh(x)/dx = 1 - tanh(x)²
        out._prev[0].grad += (1.0 - out.data * out.data) * out.grad

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None
        return _node(e, (self,), "exp", Value._exp_backward)

    @staticmethod
    def _exp_backward(out: Value) -> None:  # d exp(x)/dx = exp(x)
        out._prev[0].grad += out.data * out.grad

    def log(self) -> Value:
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log needs a positive input, got {x!r}")
        return _node(math.log(x), (self,), "log", Value._log_backward)

    @staticmethod
    def _log_backward(out: Value) -> None:  # d log(x)/dx = 1/x
        x = out._prev[0]
        x.grad += out.grad / x.data

    def sigmoid(self) -> Value:
        x = self.data
        # two forms of 1/(1+e^-x), each free of overflow on its own side
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
        return _node(s, (self,), "sigmoid", Value._sigmoid_backward)

    @staticmethod
    def _sigmoid_backward(out: Value) -> None:  # d sigmoid(x)/dx = s * (1 - s)
        s = out.data
        out._prev[0].grad += s * (1.0 - s) * out.grad

    # ------------------------------------------------------------------ backprop
    def backward(self) -> None:
        """Fill in ``.grad`` of every node this value depends on (reverse-mode autodiff).

        Seeds this node's gradient with 1.0 and runs each node's local rule once, outputs
        before inputs (reverse topological order), so a node's ``.grad`` is complete before
        its rule passes it on. Intermediate gradients are reset first; leaf gradients
        accumulate across calls (see the class docstring).
        """
        order = _topological_order_by_marks(self)  # inputs first
        for node in order:
            if node._prev:  # intermediate grads are scratch space for this pass
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):  # outputs first
            rule = node._backward
            if rule is not None:
                rule(node)


_new_value = object.__new__


def _node(
    data: float,
    prev: tuple[Value, ...],
    op: str,
    backward: Callable[[Value], None] | None,
    ctx: float | None = None,
) -> Value:
    """Make a node without ``Value()``'s checks: ``data`` is already a float.

    Every op calls this, so it is kept lean: it fills the slots directly instead of going
    through ``__init__``.
    """
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = prev
    out._op = op
    out._backward = backward
    out._ctx = ctx
    out._mark = None
    return out


def _power(x: float, n: float) -> float:
    """``x ** n``, with an OverflowError that names the numbers (Python's does not)."""
    try:
        return x**n
    except OverflowError:
        raise OverflowError(f"{x!r} ** {n!r} is too large for a float") from None


def _as_value(x: object, op: str) -> Value:
    """Wrap a plain number as a leaf Value (a constant); reject anything else with a TypeError."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int:  # the common case: no need for Value()'s checks
        return _node(float(x), (), "", None)
    try:
        return Value(x)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"unsupported operand for {op}: Value and {type(x).__name__} ({x!r}); "
            "use a Value or a real number"
        ) from None


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each after all of its inputs (the forward order).

    A depth-first search that writes a node down only once all of its inputs are written
    down (post-order). Recursively it reads::

        def visit(node):
            if node not in seen:
                seen.add(node)
                for x in node._prev:
                    visit(x)
                order.append(node)

    but Python stops recursion about a thousand calls deep, and a graph can be a million
    nodes deep. So the call stack is kept by hand, in the list ``path``. When an input
    "returns", the scan of its user's inputs restarts from the first one and skips those
    already seen (in a graph without cycles, a seen input is already in the order). That is
    cheap, because an op has one or two inputs, and it allocates nothing per node. One pass,
    no recursion limit, and deterministic: inputs are visited in argument order.

    Works for any node type with a ``_prev`` tuple (``Value`` and ``Tensor``).
    """
    order: list[Value] = []
    seen = {root}
    path = [root]  # the nodes being visited, each one an input of the one before it
    while path:
        for node in path[-1]._prev:
            if node not in seen:
                seen.add(node)
                if node._prev:  # visit its inputs first (the "recursive call")
                    path.append(node)
                    break
                order.append(node)  # a leaf has no inputs to wait for
        else:  # all inputs of path[-1] are in the order, so it may follow them ("return")
            order.append(path.pop())
    return order


def _topological_order_by_marks(root: Value) -> list[Value]:
    """Exactly :func:`topological_order`, specialised for Values: the hot loop of backward().

    The same walk, but "seen" is a mark written on the node itself (``node._mark is mark``)
    instead of membership in a set: no hashing, and the node is being read anyway. On big
    graphs that makes ``backward()`` about 20% faster. A fresh ``mark`` object per walk
    means there is nothing to clear afterwards. (Two threads must not walk the same graph at
    once; accumulating into ``.grad`` from two threads would be wrong anyway.)
    """
    mark = object()
    root._mark = mark
    order: list[Value] = []
    path = [root]
    while path:
        for node in path[-1]._prev:
            if node._mark is not mark:
                node._mark = mark
                if node._prev:
                    path.append(node)
                    break
                order.append(node)
        else:
            order.append(path.pop())
    return order


def backward_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, each before all of its inputs (outputs first).

    The order in which ``backward()`` runs the local rules: a node comes only after every
    node that uses it, so its ``.grad`` is complete when its rule runs. It is the reverse of
    :func:`topological_order`. Works for any node type with a ``_prev`` tuple.
    """
    order = topological_order(root)
    order.reverse()
    return order


def run_rule(node: object) -> None:
    """Run ``node``'s backward rule, in either of the two forms a class may use.

    This package's rules take the output node, ``_backward(out)`` (no reference cycle); the
    classic micrograd form is a closure that already knows ``out``, ``_backward()``. Drawing,
    animating and checking code calls rules through this function, so it works on a
    learner's class of either form.
    """
    rule = node._backward  # type: ignore[attr-defined]
    if _takes_no_argument(rule):
        rule()
    else:
        rule(node)


_NO_ARGUMENT: dict[tuple[object, bool], bool] = {}


def _takes_no_argument(rule: Callable[..., object]) -> bool:
    code = getattr(rule, "__code__", None)
    if code is not None:
        code = (code, getattr(rule, "__self__", None) is not None)  # bound: one less
    known = _NO_ARGUMENT.get(code) if code is not None else None
    if known is not None:
        return known
    import inspect

    try:
        params = inspect.signature(rule).parameters.values()
    except (TypeError, ValueError):  # a builtin or a C function: assume the package's form
        return False
    required = [
        p
        for p in params
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    answer = not required and not any(p.kind is p.VAR_POSITIONAL for p in params)
    if code is not None:
        _NO_ARGUMENT[code] = answer
    return answer
