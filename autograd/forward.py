"""Forward-mode differentiation with dual numbers.

Reverse mode (``Value.backward``) runs the computation forward once, then sends gradients
backward through the recorded graph. Forward mode needs no graph at all: every number
carries its derivative *along with it* as the computation runs.

The trick is a new kind of number, ``a + b·ε``, where ``ε`` is a tiny quantity with
``ε² = 0`` (but ``ε ≠ 0``). Watch what happens to a product::

    (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε + a'b'ε²  =  ab + (a'b + ab')ε

The ε part is exactly the product rule! In general, for any smooth function,
``f(x + x'ε) = f(x) + f'(x)·x'ε`` (Taylor's series stops after the first term because
``ε² = 0``). So if we start with ``x + 1·ε`` ("x changes at rate 1") and compute ``f``, the ε
part of the answer is ``f'(x)``: the derivative rides along with the value.

>>> x = Dual(3.0, 1.0)          # x = 3, and dx/dx = 1
>>> y = x * x + 2 * x           # y = x² + 2x
>>> y.value, y.deriv            # y(3) = 15, y'(3) = 2·3 + 2 = 8
(15.0, 8.0)

One forward pass gives the derivative with respect to *one* input (the one seeded with 1).
A function of ``n`` inputs needs ``n`` passes for its full gradient (see
:func:`forward_gradient`), while reverse mode gets all ``n`` in one backward pass. That is
why neural networks (millions of inputs, one loss) are trained with reverse mode.

Domain policy, as in ``engine``: ``log`` of a number <= 0 and a negative base to a
non-integer power raise ``ValueError``; division by zero raises ``ZeroDivisionError``; a nan
is never the reason for an error and never disappears (``relu(nan)`` is nan).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real

__all__ = ["Dual", "derivative", "forward_gradient"]

Number = int | float


def _real(x: object, what: str) -> float:
    if isinstance(x, Real):
        return float(x)
    raise TypeError(f"{what} must be a real number, got {type(x).__name__}: {x!r}")


class Dual:
    """A dual number ``value + deriv·ε`` with ``ε² = 0``: a number and its rate of change.

    Arithmetic follows the usual rules with ``ε² = 0``, which turns out to be the rules of
    differentiation:

    ==========  ==================  =====================================
    operation   value               deriv (the ε part)
    ==========  ==================  =====================================
    a + b       a + b               a' + b'
    a * b       a · b               a'·b + a·b'          (product rule)
    a / b       a / b               (a'·b - a·b') / b²   (quotient rule)
    a ** n      a ** n              n · a**(n-1) · a'    (power rule)
    exp(a)      exp(a)              exp(a) · a'          (chain rule)
    ==========  ==================  =====================================

    A plain number ``c`` in an expression is the constant ``c + 0·ε``.
    """

    __slots__ = ("value", "deriv")

    def __init__(self, value: Number, deriv: Number = 0.0) -> None:
        self.value = _real(value, "Dual value")
        self.deriv = _real(deriv, "Dual deriv")

    def __repr__(self) -> str:
        return f"Dual(value={self.value:.4g}, deriv={self.deriv:.4g})"

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "+")
        return Dual(self.value + o.value, self.deriv + o.deriv)

    def __sub__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "-")
        return Dual(self.value - o.value, self.deriv - o.deriv)

    def __mul__(self, other: Dual | float) -> Dual:
        # (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε, because ε² = 0
        o = _as_dual(other, "*")
        return Dual(self.value * o.value, self.deriv * o.value + self.value * o.deriv)

    def __truediv__(self, other: Dual | float) -> Dual:
        o = _as_dual(other, "/")
        if o.value == 0.0:
            raise ZeroDivisionError(f"division by zero: {self!r} / {o!r}")
        q = self.value / o.value
        return Dual(q, (self.deriv - q * o.deriv) / o.value)  # (a' - (a/b)·b') / b

    def __pow__(self, other: Dual | float) -> Dual:
        if isinstance(other, Dual):
            return _pow_dual(self, other)
        n = _real_operand(other, "**")
        x = self.value
        if x < 0.0 and not n.is_integer() and n == n:  # (a nan exponent gives nan)
            raise ValueError(f"negative base to a non-integer power: {x!r} ** {n!r} is not real")
        if x == 0.0 and n < 0.0:
            raise ZeroDivisionError(f"zero to a negative power: {x!r} ** {n!r}")
        if self.deriv == 0.0 or n == 0.0:  # a constant stays constant; x**0 = 1 is flat
            return Dual(x**n, 0.0)
        if x == 0.0 and n < 1.0:
            raise ZeroDivisionError(
                f"the derivative of x**{n:g} at x = 0 is infinite (n * x**(n-1) with n < 1)"
            )
        return Dual(x**n, n * x ** (n - 1.0) * self.deriv)

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.deriv)

    def __pos__(self) -> Dual:
        return self

    # reflected forms: `2 * x`, `1 - x`, `1 / x`, `2 ** x` (the number is a constant)
    def __radd__(self, other: Number) -> Dual:
        return _as_dual(other, "+") + self

    def __rsub__(self, other: Number) -> Dual:
        return _as_dual(other, "-") - self

    def __rmul__(self, other: Number) -> Dual:
        return _as_dual(other, "*") * self

    def __rtruediv__(self, other: Number) -> Dual:
        return _as_dual(other, "/") / self

    def __rpow__(self, other: Number) -> Dual:
        return _pow_dual(_as_dual(other, "**"), self)

    # ------------------------------------------------------------------ functions
    def exp(self) -> Dual:
        try:
            e = math.exp(self.value)
        except OverflowError:
            raise OverflowError(f"exp({self.value!r}) is too large for a float") from None
        return Dual(e, e * self.deriv)  # exp' = exp

    def log(self) -> Dual:
        x = self.value
        if x <= 0.0:
            raise ValueError(f"log needs a positive input, got {x!r}")
        return Dual(math.log(x), self.deriv / x)  # log'(x) = 1/x

    def tanh(self) -> Dual:
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.deriv)  # tanh' = 1 - tanh²

    def relu(self) -> Dual:
        x = self.value
        # slope 1 where x > 0, else 0 (at the kink x = 0 we pick 0, like Value.relu)
        if x > 0.0:
            return Dual(x, self.deriv)
        return Dual(0.0, 0.0) if x <= 0.0 else Dual(x, math.nan)  # relu(nan) is nan

    def sigmoid(self) -> Dual:
        x = self.value
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
        return Dual(s, s * (1.0 - s) * self.deriv)  # sigmoid' = s(1 - s)


def _real_operand(x: object, op: str) -> float:
    if isinstance(x, Real):
        return float(x)
    raise TypeError(
        f"unsupported operand for {op}: Dual and {type(x).__name__} ({x!r}); "
        "use a Dual or a real number"
    )


def _as_dual(x: object, op: str) -> Dual:
    """A Dual stays itself; a plain number c becomes the constant c + 0·ε."""
    if isinstance(x, Dual):
        return x
    return Dual(_real_operand(x, op), 0.0)


def _pow_dual(a: Dual, b: Dual) -> Dual:
    """``a ** b`` with both varying: d(a**b) = a**b · (b'·log(a) + b·a'/a), needs a >= 0."""
    x, y = a.value, b.value
    if x < 0.0:
        raise ValueError(
            f"a ** b with a Dual exponent needs a base >= 0 (the derivative has log(a)); "
            f"got base {x!r}. Use a plain number as the exponent instead."
        )
    if x == 0.0 and y <= 0.0:
        raise ZeroDivisionError(f"zero to a non-positive power: {x!r} ** {y!r}")
    p = x**y
    deriv = 0.0
    if a.deriv != 0.0:
        if x == 0.0 and y < 1.0:
            raise ZeroDivisionError(f"the derivative of x**{y:g} at x = 0 is infinite")
        deriv += y * x ** (y - 1.0) * a.deriv
    if x != 0.0:  # at x = 0 the limit of x**y · log(x) is 0 (y > 0)
        deriv += p * math.log(x) * b.deriv
    return Dual(p, deriv)


def derivative(f: Callable[[Dual], Dual], x: float) -> float:
    """The derivative ``f'(x)`` in one forward pass.

    Seeds the input as ``x + 1·ε`` and reads the ε part of ``f``'s result.

    >>> derivative(lambda x: x ** 3, 2.0)   # 3x² at x = 2
    12.0
    """
    x = _real(x, "derivative: x")
    out = f(Dual(x, 1.0))
    return _deriv_of(out, "derivative")


def forward_gradient(f: Callable[..., Dual], xs: Sequence[float]) -> list[float]:
    """The full gradient of ``f`` at ``xs`` by forward mode: one pass per input.

    Pass ``i`` seeds input ``i`` with ``deriv = 1`` and every other input with ``0``, so the
    result's ε part is the partial derivative with respect to input ``i``.

    >>> forward_gradient(lambda x, y: x * y + x, [2.0, -3.0])   # (y + 1, x)
    [-2.0, 2.0]
    """
    if isinstance(xs, (Real, Dual, str)) or not isinstance(xs, Sequence):
        raise TypeError(
            f"forward_gradient: xs must be a list of real numbers, got {type(xs).__name__}"
        )
    values = [_real(x, f"forward_gradient: xs[{i}]") for i, x in enumerate(xs)]
    grads = []
    for i in range(len(values)):
        duals = [Dual(v, 1.0 if j == i else 0.0) for j, v in enumerate(values)]
        grads.append(_deriv_of(f(*duals), "forward_gradient"))
    return grads


def _deriv_of(out: object, who: str) -> float:
    if not isinstance(out, Dual):
        raise TypeError(
            f"{who}: f must return a Dual (build it from the Duals f receives), "
            f"got {type(out).__name__}: {out!r}"
        )
    return out.deriv
