"""The scalar engine: a `Value` remembers how it was computed, so it can send gradients back.

Every operation below has two halves that stand side by side:

* the **forward** half computes the new number and records the inputs (at most two, in
  argument order) and the operation's name (``_op``);
* the **backward** half, a small function ``_backward(out)``, applies the chain rule locally:
  it adds ``local derivative * out.grad`` into each input's ``.grad``. It uses ``+=`` because
  a value used twice receives gradient from both uses.

The node protocol, shared with ``Tensor`` and with the classes the lessons build: ``data``,
``grad``, ``label``, ``_prev`` (the inputs, a tuple in argument order), ``_op`` and
``_backward``.

Design choices that differ from micrograd:

* ``_backward`` receives the output node as an argument instead of capturing it. A closure
  that refers to its own output makes every node a reference cycle, and Python's cyclic
  garbage collector then dominates the forward pass. Here the graph is a DAG of references.
* **One object per node.** Every object that can hold references is watched by the cyclic
  garbage collector, which rescans the whole heap from time to time while a graph grows;
  its work grows with the number of such objects. So a node keeps its inputs in two slots,
  ``_a`` and ``_b`` (``None`` when unused), instead of in a tuple of its own: one tracked
  object per node instead of two. ``_prev`` still gives the inputs as a tuple, built on
  request for drawing and teaching code; the engine's hot loops read the slots.
* ``__slots__`` keeps each node small and attribute access fast.
* The topological sort is an iterative depth-first search, so a chain a million nodes deep
  works.

Numbers at the edges -- the policy shared with ``autograd.tensor`` (the README has the table):

* **nan in, nan out.** A nan is never the reason for an error and never disappears: every
  op returns nan for it (``relu`` included), and the slope at a nan is nan unless it does
  not depend on x (as for ``-x``). IEEE 754's own exceptions stay: ``x ** 0 == 1`` and
  ``1 ** x == 1`` for every ``x``.
* **Infinities follow IEEE 754** (``exp(inf) = inf``, ``exp(-inf) = 0``, ``tanh(inf) = 1``,
  ``inf - inf = nan``), but an infinity outside an op's domain is out of it (``log(-inf)``).
* **Out of the domain raises at once, naming the value** (like Python's ``math``): ``log`` of
  a number <= 0 and a negative base to a non-integer power raise ``ValueError``; division
  by zero and zero to a negative power raise ``ZeroDivisionError``; so does backward at an
  infinite slope (``x ** 0.5`` at 0), whatever gradient arrives there.
* **Overflow:** ``exp`` and ``**`` of finite numbers whose result is too large for a float
  raise ``OverflowError`` (as Python's do); ``+ - * /`` overflow to ``±inf`` (as Python's
  floats do: checking every product would slow every op), and so do gradients. Underflow
  rounds to 0.
* **Types:** anything but a real number raises ``TypeError`` naming its type; a numpy array
  is refused with a pointer to ``Tensor`` (numpy scalars are numbers and work).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import TypeAlias

Number: TypeAlias = "int | float"
Operand: TypeAlias = "Value | int | float"


def _check_real(data: object, what: str = "Value") -> float:
    """``data`` as a float; a TypeError that names its type, or an OverflowError (10**400)."""
    if isinstance(data, Real):  # int, float, bool and numpy scalars
        try:
            return float(data)
        except OverflowError:
            raise OverflowError(
                f"{what}: {describe_number(data)} is too large for a float"
            ) from None
    hint = (
        "; a Value holds one number: use autograd.Tensor for arrays"
        if type(data).__name__ == "ndarray"
        else ""
    )
    raise TypeError(
        f"{what} needs a real number (int, float or numpy scalar), got {type(data).__name__}: "
        f"{data!r}{hint}"
    )


def describe_number(x: object) -> str:
    """``repr(x)``, but an int too long to read is shown by its number of digits."""
    if isinstance(x, int) and abs(x) >= 10**30:
        return f"an int of {len(str(abs(x)))} digits"
    return repr(x)


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

    __slots__ = ("data", "grad", "label", "_a", "_b", "_op", "_backward", "_ctx", "_mark")
    # numpy must not turn `array * value` into an array of Values: it calls Value.__rmul__,
    # which refuses arrays with a clear message (numpy scalars still work as numbers).
    __array_ufunc__ = None

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if type(data) is float else _check_real(data)
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.grad = 0.0
        self.label = label
        self._a: Value | None = None  # the first input (None for a leaf)
        self._b: Value | None = None  # the second input (None for a leaf or a one-input op)
        self._op = ""  # the operation that made this node ("" for a leaf)
        self._backward: Callable[[Value], None] | None = None  # local chain rule
        self._ctx: float | None = None  # a number the rule needs (the exponent of x**n)
        self._mark: object = None  # scratch space: which walk of the graph last saw this node

    @property
    def _prev(self) -> tuple[Value, ...]:
        """The inputs, in argument order: ``()``, ``(x,)`` or ``(a, b)``."""
        a = self._a
        if a is None:
            return ()
        b = self._b
        return (a,) if b is None else (a, b)

    @_prev.setter
    def _prev(self, inputs: tuple[Value, ...]) -> None:
        inputs = tuple(inputs)
        if len(inputs) > 2:
            raise ValueError(f"a Value has at most two inputs, got {len(inputs)}")
        self._a, self._b = (*inputs, None, None)[:2]

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data:.4g}, grad={self.grad:.4g})"

    # Each op: the forward method, then its backward rule `_<op>_backward(out)`. The rule
    # reads the inputs from `out._a` and `out._b`, so it holds no reference to `out` (no cycle).

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "+")
        return _node(self.data + other.data, self, other, "+", Value._add_backward)

    @staticmethod
    def _add_backward(out: Value) -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
        out._a.grad += out.grad
        out._b.grad += out.grad

    def __mul__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "*")
        return _node(self.data * other.data, self, other, "*", Value._mul_backward)

    @staticmethod
    def _mul_backward(out: Value) -> None:  # d(a*b)/da = b, d(a*b)/db = a
        a, b = out._a, out._b
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    def __sub__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "-")
        return _node(self.data - other.data, self, other, "-", Value._sub_backward)

    @staticmethod
    def _sub_backward(out: Value) -> None:  # d(a-b)/da = 1, d(a-b)/db = -1
        out._a.grad += out.grad
        out._b.grad -= out.grad

    def __truediv__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other, "/")
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {self!r} / {other!r}")
        return _node(self.data / other.data, self, other, "/", Value._div_backward)

    @staticmethod
    def _div_backward(out: Value) -> None:  # d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -out/b
        a, b = out._a, out._b
        a.grad += out.grad / b.data
        b.grad -= out.data / b.data * out.grad

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return self._pow_value(other)
        if not isinstance(other, Real):
            raise _unsupported(other, "**")
        n = _check_real(other, "the exponent of **")
        x = self.data
        if x < 0.0 and not n.is_integer() and n == n:  # (a nan exponent gives nan)
            raise ValueError(f"negative base to a non-integer power: {x!r} ** {n!r} is not real")
        if x == 0.0 and n < 0.0:
            raise ZeroDivisionError(f"zero to a negative power: {x!r} ** {n!r}")
        return _node(_power(x, n), self, None, f"**{n:g}", Value._pow_backward, n)

    @staticmethod
    def _pow_backward(out: Value) -> None:  # d(x**n)/dx = n * x**(n-1)
        x, n = out._a, out._ctx
        if n == 0.0:  # x**0 = 1 is a constant (and at x = 0, x**-1 would divide by zero)
            return
        if x.data == 0.0 and n < 1.0:
            raise ZeroDivisionError(f"the slope of x**{n:g} at x = 0 is infinite")
        x.grad += n * _ieee_power(x.data, n - 1.0) * out.grad

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
        return _node(_power(a, b), self, other, "**", Value._pow_value_backward)

    @staticmethod
    def _pow_value_backward(out: Value) -> None:  # d/da = b * a**(b-1), d/db = a**b * log(a)
        a, b = out._a, out._b
        if a.data == 0.0 and b.data < 1.0:
            raise ZeroDivisionError(f"the slope of a**b at a = 0 is infinite for b = {b.data!r}")
        a.grad += b.data * _ieee_power(a.data, b.data - 1.0) * out.grad
        if a.data != 0.0:  # at a = 0 the limit of a**b * log(a) is 0 (b > 0)
            b.grad += out.data * math.log(a.data) * out.grad

    def __neg__(self) -> Value:
        return _node(-self.data, self, None, "neg", Value._neg_backward)

    @staticmethod
    def _neg_backward(out: Value) -> None:  # d(-a)/da = -1
        out._a.grad -= out.grad

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
        return _node(0.0 if x <= 0.0 else x, self, None, "relu", Value._relu_backward)

    @staticmethod
    def _relu_backward(out: Value) -> None:  # slope 1 where x > 0, 0 where x <= 0
        y = out.data  # relu(x): > 0, or 0, or nan (and then the slope is nan too)
        slope = 1.0 if y > 0.0 else 0.0 if y == 0.0 else math.nan
        out._a.grad += slope * out.grad

    def tanh(self) -> Value:
        return _node(math.tanh(self.data), self, None, "tanh", Value._tanh_backward)

    @staticmethod
    def _tanh_backward(out: Value) -> None:  # d tanh(x)/dx = 1 - tanh(x)²
        out._a.grad += (1.0 - out.data * out.data) * out.grad

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data!r}) is too large for a float") from None
        return _node(e, self, None, "exp", Value._exp_backward)

    @staticmethod
    def _exp_backward(out: Value) -> None:  # d exp(x)/dx = exp(x)
        out._a.grad += out.data * out.grad

    def log(self) -> Value:
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log needs a positive input, got {x!r}")
        return _node(math.log(x), self, None, "log", Value._log_backward)

    @staticmethod
    def _log_backward(out: Value) -> None:  # d log(x)/dx = 1/x
        x = out._a
        x.grad += out.grad / x.data

    def sigmoid(self) -> Value:
        x = self.data
        # two forms of 1/(1+e^-x), each free of overflow on its own side
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
        return _node(s, self, None, "sigmoid", Value._sigmoid_backward)

    @staticmethod
    def _sigmoid_backward(out: Value) -> None:  # d sigmoid(x)/dx = s * (1 - s)
        s = out.data
        out._a.grad += s * (1.0 - s) * out.grad

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
            if node._a is not None:  # intermediate grads are scratch space for this pass
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):  # outputs first
            rule = node._backward
            if rule is not None:
                rule(node)


_new_value = object.__new__


def _node(
    data: float,
    a: Value | None,
    b: Value | None,
    op: str,
    backward: Callable[[Value], None] | None,
    ctx: float | None = None,
) -> Value:
    """Make a node with inputs ``a`` and ``b`` without ``Value()``'s checks (``data`` is a float).

    Every op calls this, so it is kept lean: it fills the slots directly instead of going
    through ``__init__``, and allocates nothing but the node.
    """
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._a = a
    out._b = b
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


def _ieee_power(x: float, n: float) -> float:
    """``x ** n``, or ``±inf`` when it is too large (IEEE 754, as numpy computes it).

    Backward rules use it: a gradient too large for a float is infinite, not an error.
    """
    try:
        return x**n
    except OverflowError:
        return -math.inf if x < 0.0 and n % 2.0 == 1.0 else math.inf


def _as_value(x: object, op: str) -> Value:
    """Wrap a plain number as a leaf Value (a constant); reject anything else with a TypeError."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int:  # the common case: no need for Value()'s checks
        try:
            return _node(float(x), None, None, "", None)
        except OverflowError:
            pass  # an int too large for a float: Value() below says so
    try:
        return Value(x)  # type: ignore[arg-type]
    except TypeError:
        raise _unsupported(x, op) from None


def _unsupported(x: object, op: str) -> TypeError:
    if type(x).__name__ == "ndarray":
        return TypeError(
            f"unsupported operand for {op}: Value and a numpy array (ndarray of shape "
            f"{getattr(x, 'shape', '?')}). A Value is one number: use autograd.Tensor for "
            "arrays, float(...) for a one-element array, or a list comprehension "
            "([v * x for x in array]) for a list of Values"
        )
    return TypeError(
        f"unsupported operand for {op}: Value and {type(x).__name__} ({x!r}); "
        "use a Value or a real number"
    )


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

    Works for any node type with a ``_prev`` tuple (``Value``, ``Tensor``, a learner's class).
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
    once; accumulating into ``.grad`` from two threads would be wrong anyway.) The two input
    slots are read directly, first ``_a`` then ``_b``, instead of through ``_prev``.
    """
    mark = object()
    root._mark = mark
    order: list[Value] = []
    path = [root]
    while path:
        node = path[-1]
        a = node._a
        if a is not None and a._mark is not mark:
            a._mark = mark
            if a._a is not None:  # visit its inputs first
                path.append(a)
                continue
            order.append(a)
        b = node._b
        if b is not None and b._mark is not mark:
            b._mark = mark
            if b._a is not None:
                path.append(b)
                continue
            order.append(b)
        order.append(path.pop())  # both inputs are in the order
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
