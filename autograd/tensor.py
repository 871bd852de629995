"""The tensor engine: the scalar ``Value`` idea, one numpy array per node.

A ``Tensor`` follows the same node protocol as ``autograd.engine.Value``: ``.data`` (here a
numpy array), ``.grad`` (``None`` until ``backward()``, then an array of the same shape and
dtype), ``.label``, ``._prev`` (the inputs, in argument order), ``._op`` (the op's name) and
``._backward(out)`` (the local chain rule, which receives the output node instead of
capturing it, so no node is a reference cycle). ``backward()`` uses the very same
``backward_order`` as the scalar engine.

What changes with arrays:

* **One node per array operation.** ``x @ W + b`` is three nodes, however many numbers
  flow through them, so the Python overhead is paid per *array*, not per number, and numpy
  (and BLAS, for ``@``) does the arithmetic.
* **Broadcasting.** ``(128, 10) + (10,)`` adds the bias to every row. In the backward pass,
  the bias was *used* 128 times, so its gradient is the *sum* of the 128 row gradients:
  ``_unbroadcast`` sums the gradient over every axis that broadcasting stretched.
* **Only what needs a gradient gets one.** A tensor made with ``requires_grad=True`` is a
  leaf we want gradients for (a weight); an op's output requires grad iff one of its inputs
  does. When none does (data, or anything computed under ``no_grad()``), the op records no
  graph at all: it is plain numpy plus one small object.

Gradient bookkeeping (like ``Value``): leaves accumulate across ``backward()`` calls (reset
them with ``t.grad = None`` or an optimizer's ``zero_grad()``); intermediate gradients are
scratch space, reset by each ``backward()``.

Numbers at the edges: the policy of ``autograd.engine``, element by element (the README
has the table). A Tensor op on an array does what ``Value`` does on each element:

* **nan in, nan out**: a nan is never the reason for an error and never disappears (``relu``
  keeps it, and its slope there is nan; a ``max`` that is nan sends its gradient to the nan).
  IEEE 754's own exceptions stay: ``x ** 0 == 1`` and ``1 ** x == 1``.
* **Infinities follow IEEE 754**, unless outside an op's domain (``log(-inf)`` raises).
* **Out of the domain raises at once**, with the count and the first offending element and
  its index: ``log`` of an element <= 0 and a negative base to a non-integer power
  (``ValueError``), a zero divisor and zero to a negative power (``ZeroDivisionError``),
  and in backward an infinite slope (``x ** 0.5`` at 0), whatever gradient arrives there.
* **Overflow**: ``exp`` and ``**`` of finite elements whose result is too large for the
  dtype raise ``OverflowError``; ``+ - * /``, ``sum``, ``@`` and gradients overflow to
  ``±inf`` (numpy may add a ``RuntimeWarning``). Underflow rounds to 0.
* **float32 stays float32**: a plain number meeting a float32 tensor is rounded to float32
  first (numpy's rule). A number too large for float32 raises ``OverflowError``; a divisor
  too small for it is 0 there, and the ``ZeroDivisionError`` says so. Thresholds are the
  dtype's (``exp`` overflows float32 above about 88.7).
* ``bool(t)`` is numpy's: the truth of a one-element tensor, ``ValueError`` otherwise.

The checks are vectorised: one ``min``/``max``/``all`` over the array on the common path; a
nan defeats ``min`` and ``max``, so it leads to a second, elementwise look that lets it pass.

Memory: ``Tensor(array)`` does not copy a float array (like ``np.asarray``), and optimizers
update ``.data`` in place.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from numbers import Real
from typing import Any, TypeAlias

import numpy as np

from .engine import _check_real, backward_order, describe_number

Operand: TypeAlias = "Tensor | float | int | np.ndarray"
Axis: TypeAlias = "int | tuple[int, ...] | None"

# ---------------------------------------------------------------------------- grad mode
_grad_enabled = True  # module-level switch read by every op (not thread-local)


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``: ops record a graph only when this is True."""
    return _grad_enabled


class _GradMode(contextlib.ContextDecorator):
    """Set the grad-mode switch inside a ``with`` block (or a decorated function)."""

    _enabled = True

    def __init__(self) -> None:
        self._saved: list[bool] = []  # a stack, so one instance may be re-entered

    def __enter__(self) -> None:
        global _grad_enabled
        self._saved.append(_grad_enabled)
        _grad_enabled = self._enabled

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._saved.pop()


class no_grad(_GradMode):
    """Inside ``with no_grad():`` ops record no graph: outputs are plain leaves.

    Use it for evaluation and for optimizer updates: no graph means no saved activations
    and no bookkeeping. It also works as a decorator (``@no_grad()``).

    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 3
    >>> y.requires_grad, y._prev
    (False, ())
    """

    _enabled = False


class enable_grad(_GradMode):
    """Turn graph recording back on inside a ``no_grad()`` block (used by ``checkpoint``)."""

    _enabled = True


# ---------------------------------------------------------------------------- helpers
def _as_float_array(data: object) -> np.ndarray:
    """``data`` as a floating numpy array: float arrays as they are, ints/bools -> float64."""
    if isinstance(data, Tensor):
        raise TypeError(
            "Tensor(...) got a Tensor; use t.detach() for a new leaf that shares its data"
        )
    if type(data) is np.ndarray and data.dtype.kind == "f":
        return data
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError) as err:
        raise ValueError(f"Tensor data must be a rectangular array of numbers: {err}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "biu":  # bool, int, unsigned int -> float64 (gradients need floats)
        return arr.astype(np.float64)
    if kind == "O" and all(isinstance(v, Real) for v in arr.flat):  # e.g. ints beyond int64
        for v in arr.flat:
            _check_real(v, "Tensor data")  # an int too large for a float: OverflowError
        return arr.astype(np.float64)
    raise TypeError(
        f"Tensor data must be real numbers; got an array of dtype {arr.dtype} "
        f"(object, complex, string and date dtypes are not supported)"
    )


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting stretched, so it gets ``shape`` back.

    Broadcasting *copies* an input along some axes: a bias of shape ``(10,)`` added to a
    ``(128, 10)`` batch is used once per row. Each use sends back its own gradient, and a
    value used several times receives the **sum** (the same ``+=`` as in ``Value``). The
    stretched axes are the extra leading ones, and the ones where ``shape`` has size 1.

    Returns ``grad`` itself when the shapes already match (no work, no copy).
    """
    if grad.shape == shape:
        return grad
    axes = _unbroadcast_axes(grad.shape, shape)
    return np.asarray(grad.sum(axis=axes)).reshape(shape)


_axes_cache: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, ...]] = {}


def _unbroadcast_axes(gshape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of a ``gshape`` gradient to sum to get ``shape`` (cached: shapes repeat)."""
    key = (gshape, shape)
    axes = _axes_cache.get(key)
    if axes is None:
        lead = len(gshape) - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1
        )
        if len(_axes_cache) < 4096:
            _axes_cache[key] = axes
    return axes


def _accumulate(node: Tensor, grad: np.ndarray, fresh: bool) -> None:
    """Add ``grad`` into ``node.grad`` (the tensor version of ``node.grad += grad``).

    ``fresh=True`` promises that nobody else holds ``grad`` (the rule just computed it for
    this input), so it can be stored without a copy. A pass-through rule (``+`` sends the
    same array to both inputs, ``reshape`` sends a view) passes ``fresh=False``.

    * Intermediate nodes (scratch space): store the first gradient as it is, and later ones
      as a new sum. Their arrays are never changed in place, so sharing them is safe.
    * Leaves keep their gradient across ``backward()`` calls and add into it **in place**, so
      a leaf must own its array: a shared one is copied once, on arrival.
    """
    if type(grad) is not np.ndarray:  # numpy returns a scalar for 0-d arithmetic
        grad = np.asarray(grad)
        fresh = True
    dtype = node.data.dtype
    if grad.dtype != dtype:  # e.g. float32 weights in a float64 expression
        grad = grad.astype(dtype)
        fresh = True
    old = node.grad
    if old is None:
        if fresh or node._backward is not None:
            node.grad = grad
        else:
            node.grad = np.array(grad)  # a leaf owns its gradient
    elif node._backward is not None:  # an intermediate node
        node.grad = old + grad
    else:
        old += grad


_new = object.__new__


def _node(
    data: Any,
    prev: tuple[Tensor, ...],
    op: str,
    backward: Callable[[Tensor], None],
    ctx: Any = None,
) -> Tensor:
    """An op's output that records the graph (some input requires grad)."""
    out = _new(Tensor)
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = ""
    out.requires_grad = True
    out._prev = prev
    out._op = op
    out._backward = backward
    out._ctx = ctx
    return out


def _plain(data: Any) -> Tensor:
    """An op's output with no graph (no input requires grad, or grad mode is off)."""
    out = _new(Tensor)
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = ""
    out.requires_grad = False
    out._prev = ()
    out._op = ""
    out._backward = None
    out._ctx = None
    return out


def _operand(x: object, like: Tensor, op: str) -> Tensor:
    """The other operand of a binary op as a Tensor.

    A plain number becomes a constant of ``like``'s dtype, so ``x * 0.5`` keeps a float32
    ``x`` float32 (numpy treats Python numbers the same way). Arrays and lists become
    constant tensors (ints -> float64).
    """
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Real):  # int, float, bool and numpy scalars
        return _plain(_constant(x, like.data.dtype))
    if isinstance(x, (np.ndarray, list, tuple)):
        return Tensor(x)
    raise TypeError(
        f"unsupported operand for {op}: Tensor and {type(x).__name__} ({x!r}); "
        "use a Tensor, a real number or a numpy array"
    )


_LARGEST: dict[np.dtype, float] = {}


def _constant(x: Real, dtype: np.dtype) -> np.ndarray:
    """A plain number as a 0-d array of ``dtype``, or an OverflowError if it does not fit."""
    if dtype.itemsize < 8:  # float32, float16: a large number would round to inf
        largest = _LARGEST.get(dtype)
        if largest is None:
            largest = _LARGEST[dtype] = float(np.finfo(dtype).max)
        if not -largest <= x <= largest and x == x and abs(x) != math.inf:  # (not nan, inf)
            try:
                with np.errstate(over="ignore"):
                    c = np.asarray(x, dtype=dtype)
            except OverflowError:  # an int too large even for float64
                c = np.asarray(math.inf, dtype=dtype)
            if np.isinf(c):
                raise OverflowError(
                    f"{describe_number(x)} is too large for {dtype} (at most {largest:.4g}); "
                    "use a float64 tensor"
                )
            return c
    try:
        return np.asarray(x, dtype=dtype)
    except OverflowError:  # an int too large even for float64
        raise OverflowError(f"{describe_number(x)} is too large for {dtype}") from None


def _offenders(bad: np.ndarray, x: np.ndarray, what: str) -> str:
    """How many elements ``bad`` marks (``what`` they are), and the first with its index."""
    flat = np.flatnonzero(bad)
    i = int(flat[0])
    index = tuple(int(j) for j in np.unravel_index(i, x.shape))
    return f"{flat.size} {what}, the first {x.flat[i].item()!r} at index {index}"


def _zero_division(divisor: Tensor, number: object) -> ZeroDivisionError:
    d = divisor.data
    if isinstance(number, Real) and number != 0:  # a plain number too small for the dtype
        return ZeroDivisionError(
            f"division by zero: the divisor {number!r} is 0 in {d.dtype}: it is smaller than "
            f"the smallest positive {d.dtype} ({float(np.finfo(d.dtype).smallest_subnormal):.3g})"
            " and rounds to 0; divide a float64 tensor instead"
        )
    return ZeroDivisionError(
        f"division by zero: the divisor (shape {divisor.shape}) has "
        + _offenders(d == 0, d, "zero element(s)")
    )


def _check_keepdims(keepdims: object, what: str) -> bool:
    if keepdims is True or keepdims is False or isinstance(keepdims, np.bool_):
        return bool(keepdims)
    raise TypeError(f"{what}: keepdims must be True or False, got {keepdims!r}")


def _broadcast_error(op: str, a: Tensor, b: Tensor) -> ValueError:
    return ValueError(
        f"shapes {a.shape} and {b.shape} cannot be broadcast together for {op}: "
        "aligned from the right, each pair of sizes must be equal or one of them 1"
    )


def _normalize_axes(axis: Axis, shape: tuple[int, ...], what: str) -> tuple[int, ...] | None:
    """``axis`` (None, an int or a tuple, negatives allowed) as a sorted tuple of axes."""
    if axis is None:
        return None
    ndim = len(shape)
    if isinstance(axis, (int, np.integer)):
        items: tuple = (axis,)
    elif isinstance(axis, (tuple, list)):
        items = tuple(axis)
    else:
        raise TypeError(f"{what}: axis must be an int or a tuple of ints, got {axis!r}")
    axes = []
    for a in items:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"{what}: axis must be an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{what}: axis {a} is out of range for a tensor of shape {shape}")
        axes.append(int(a) % ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{what}: repeated axis in {axis!r}")
    return tuple(sorted(axes))


_EXP_LIMIT: dict[np.dtype, float] = {}


def _exp_limit(dtype: np.dtype) -> float:
    """A little below the largest x whose exp(x) is finite in ``dtype`` (88.7 for float32).

    Below it ``exp`` cannot overflow; above it, the result itself is checked.
    """
    limit = _EXP_LIMIT.get(dtype)
    if limit is None:
        limit = _EXP_LIMIT[dtype] = float(np.log(np.finfo(dtype).max)) * (1 - 1e-6)
    return limit


# ---------------------------------------------------------------------------- Tensor
class Tensor:
    """A numpy array that remembers the computation that produced it.

    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="W")
    >>> x = Tensor([1.0, -1.0])
    >>> loss = (x @ W).sum()      # (1*1 - 1*3) + (1*2 - 1*4) = -4
    >>> loss.backward()
    >>> W.grad                    # d loss / d W[i, j] = x[i]
    array([[ 1.,  1.],
           [-1., -1.]])

    ``data``: anything ``np.asarray`` accepts. Float arrays keep their dtype (float32 stays
    float32) and are not copied; ints, bools and Python numbers become float64. Object,
    complex and string data raise ``TypeError``.

    ``requires_grad=True`` marks a leaf whose gradient you want (a parameter). Gradients
    accumulate in leaves across ``backward()`` calls; reset them with ``t.grad = None``.
    """

    __slots__ = ("data", "grad", "label", "requires_grad", "_prev", "_op", "_backward", "_ctx")
    # numpy: "don't handle `array * tensor` yourself", so Python calls Tensor.__rmul__.
    __array_ufunc__ = None

    def __init__(self, data: object, requires_grad: bool = False, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data: np.ndarray = _as_float_array(data)
        self.grad: np.ndarray | None = None
        self.label = label
        self.requires_grad = bool(requires_grad)
        self._prev: tuple[Tensor, ...] = ()  # the inputs, in argument order
        self._op = ""  # the operation that made this node ("" for a leaf)
        self._backward: Callable[[Tensor], None] | None = None  # local chain rule
        self._ctx: Any = None  # whatever the rule needs besides the inputs' data

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a one-element tensor, got shape {self.shape}")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        """The data array (not a copy)."""
        return self.data

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut off from the graph."""
        return _plain(self.data)

    def __bool__(self) -> bool:
        """Like numpy: the truth of a one-element tensor; ambiguous for any other size."""
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a Tensor with {self.data.size} elements (shape "
                f"{self.shape}) is ambiguous, as for a numpy array: use (t.data > 0).any() "
                "or .all(), or t.item() for a one-element tensor"
            )
        return bool(self.data)

    def __repr__(self) -> str:
        parts = [f"label={self.label!r}"] if self.label else []
        if self.data.size <= 6:
            text = np.array2string(self.data, precision=4, separator=", ")
            parts.append(f"data={text}")
        else:
            parts.append(f"shape={self.shape}")
        parts.append(f"dtype={self.data.dtype}")
        if self.requires_grad:
            parts.append("requires_grad=True")
        if self._op:
            parts.append(f"op={self._op!r}")
        return f"Tensor({', '.join(parts)})"

    # Each op: the forward method, then its backward rule `_<op>_backward(out)`. A rule
    # reads the inputs from `out._prev` and extra facts from `out._ctx`; it computes a
    # gradient only for inputs that require one, and hands it to `_accumulate`.

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Operand) -> Tensor:
        if type(other) is not Tensor:
            other = _operand(other, self, "+")
        try:
            data = self.data + other.data
        except ValueError:
            raise _broadcast_error("+", self, other) from None
        if _grad_enabled and (self.requires_grad or other.requires_grad):
            return _node(data, (self, other), "+", Tensor._add_backward)
        return _plain(data)

    @staticmethod
    def _add_backward(out: Tensor) -> None:
        """d(a+b)/da = 1: each input gets the output's gradient, summed over broadcast axes."""
        a, b = out._prev
        g = out.grad
        if a.requires_grad:
            if g.shape == a.data.shape:
                _accumulate(a, g, False)  # the very same array: not ours to keep
            else:
                _accumulate(a, _unbroadcast(g, a.data.shape), True)
        if b.requires_grad:
            if g.shape == b.data.shape:
                _accumulate(b, g, False)
            else:
                _accumulate(b, _unbroadcast(g, b.data.shape), True)

    def __sub__(self, other: Operand) -> Tensor:
        if type(other) is not Tensor:
            other = _operand(other, self, "-")
        try:
            data = self.data - other.data
        except ValueError:
            raise _broadcast_error("-", self, other) from None
        if _grad_enabled and (self.requires_grad or other.requires_grad):
            return _node(data, (self, other), "-", Tensor._sub_backward)
        return _plain(data)

    @staticmethod
    def _sub_backward(out: Tensor) -> None:
        """d(a-b)/da = 1, d(a-b)/db = -1."""
        a, b = out._prev
        g = out.grad
        if a.requires_grad:
            if g.shape == a.data.shape:
                _accumulate(a, g, False)
            else:
                _accumulate(a, _unbroadcast(g, a.data.shape), True)
        if b.requires_grad:
            _accumulate(b, -_unbroadcast(g, b.data.shape), True)

    def __mul__(self, other: Operand) -> Tensor:
        if type(other) is not Tensor:
            other = _operand(other, self, "*")
        try:
            data = self.data * other.data
        except ValueError:
            raise _broadcast_error("*", self, other) from None
        if _grad_enabled and (self.requires_grad or other.requires_grad):
            return _node(data, (self, other), "*", Tensor._mul_backward)
        return _plain(data)

    @staticmethod
    def _mul_backward(out: Tensor) -> None:
        """d(a*b)/da = b, d(a*b)/db = a (elementwise), then un-broadcast."""
        a, b = out._prev
        g = out.grad
        if a.requires_grad:
            _accumulate(a, _unbroadcast(g * b.data, a.data.shape), True)
        if b.requires_grad:
            _accumulate(b, _unbroadcast(g * a.data, b.data.shape), True)

    def __truediv__(self, other: Operand) -> Tensor:
        divisor = other if type(other) is Tensor else _operand(other, self, "/")
        if not divisor.data.all():  # (nan is truthy: nan / nan is nan)
            raise _zero_division(divisor, other)
        other = divisor
        try:
            data = self.data / other.data
        except ValueError:
            raise _broadcast_error("/", self, other) from None
        if _grad_enabled and (self.requires_grad or other.requires_grad):
            return _node(data, (self, other), "/", Tensor._div_backward)
        return _plain(data)

    @staticmethod
    def _div_backward(out: Tensor) -> None:
        """d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -out/b."""
        a, b = out._prev
        g = out.grad
        if a.requires_grad:
            _accumulate(a, _unbroadcast(g / b.data, a.data.shape), True)
        if b.requires_grad:
            _accumulate(b, _unbroadcast(-g * out.data / b.data, b.data.shape), True)

    def __pow__(self, n: float) -> Tensor:
        if isinstance(n, Tensor) or not isinstance(n, Real):
            raise TypeError(
                f"Tensor ** needs a plain number as the exponent, got {type(n).__name__}; "
                "for a tensor exponent write (b * a.log()).exp()"
            )
        n = _check_real(n, "the exponent of **")
        x = self.data
        # `not min >= 0`: a nan min lands here too, and then only the real offenders count
        if x.size and not n.is_integer() and n == n and not x.min() >= 0:
            bad = x < 0
            if bad.any():
                raise ValueError(
                    f"negative base to a non-integer power: ** {n:g} is not real, and the "
                    f"tensor of shape {self.shape} has " + _offenders(bad, x, "negative element(s)")
                )
        if n < 0 and not x.all():
            raise ZeroDivisionError(
                f"zero to a negative power (** {n:g}): the tensor of shape {self.shape} has "
                + _offenders(x == 0, x, "zero element(s)")
            )
        with np.errstate(over="ignore"):
            data = x**n
        if math.isfinite(n) and data.size:  # finite in, infinite out: an overflow
            inf = np.isinf(data)
            if inf.any() and (inf & np.isfinite(x)).any():
                raise OverflowError(
                    f"** {n:g} overflows {x.dtype}: the tensor of shape {self.shape} has "
                    + _offenders(inf & np.isfinite(x), x, f"element(s) whose ** {n:g} is too large")
                )
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), f"**{n:g}", Tensor._pow_backward, n)
        return _plain(data)

    @staticmethod
    def _pow_backward(out: Tensor) -> None:
        """d(x**n)/dx = n * x**(n-1)."""
        (x,), n = out._prev, out._ctx
        if n == 0.0:  # x**0 = 1 is a constant (and at x = 0, x**-1 would divide by zero)
            _accumulate(x, np.zeros_like(x.data), True)
            return
        if n < 1.0 and not x.data.all():
            raise ZeroDivisionError(
                f"the slope of x**{n:g} at x = 0 is infinite: the tensor of shape "
                f"{x.data.shape} has " + _offenders(x.data == 0, x.data, "zero element(s)")
            )
        with np.errstate(over="ignore"):  # a gradient too large for the dtype is inf
            # x**(n-1) in float64: in float32 it can overflow where n * x**(n-1) does not
            slope = n * np.power(x.data, n - 1, dtype=np.float64)
            _accumulate(x, out.grad * slope, True)

    def __neg__(self) -> Tensor:
        if _grad_enabled and self.requires_grad:
            return _node(-self.data, (self,), "neg", Tensor._neg_backward)
        return _plain(-self.data)

    @staticmethod
    def _neg_backward(out: Tensor) -> None:
        """d(-x)/dx = -1."""
        _accumulate(out._prev[0], -out.grad, True)

    # reflected forms: `2 * x`, `1 - x`, `1 / x`, `array + x` (the number becomes a constant)
    def __radd__(self, other: Operand) -> Tensor:
        return _operand(other, self, "+") + self

    def __rsub__(self, other: Operand) -> Tensor:
        return _operand(other, self, "-") - self

    def __rmul__(self, other: Operand) -> Tensor:
        return _operand(other, self, "*") * self

    def __rtruediv__(self, other: Operand) -> Tensor:
        return _operand(other, self, "/") / self

    def __rmatmul__(self, other: Operand) -> Tensor:
        return _operand(other, self, "@") @ self

    # ------------------------------------------------------------------ matmul
    def __matmul__(self, other: Operand) -> Tensor:
        """Matrix product ``A @ B``: 2-D, batched (leading axes broadcast) and 1-D operands."""
        if type(other) is not Tensor:
            other = _operand(other, self, "@")
        a, b = self.data, other.data
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                f"matmul needs operands with at least 1 dimension: {a.shape} @ {b.shape}"
            )
        k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != k_b:
            raise ValueError(
                f"matmul shape mismatch: {a.shape} @ {b.shape}: inner dimensions "
                f"{a.shape[-1]} and {k_b} differ"
            )
        try:
            data = a @ b
        except ValueError:
            raise ValueError(
                f"matmul shape mismatch: {a.shape} @ {b.shape}: the batch dimensions "
                f"{a.shape[:-2]} and {b.shape[:-2]} cannot be broadcast together"
            ) from None
        if _grad_enabled and (self.requires_grad or other.requires_grad):
            return _node(data, (self, other), "@", Tensor._matmul_backward)
        return _plain(data)

    @staticmethod
    def _matmul_backward(out: Tensor) -> None:
        """For C = A @ B: dL/dA = dL/dC @ B.T and dL/dB = A.T @ dL/dC.

        Why: C[i, j] = sum_k A[i, k] * B[k, j], so A[i, k] touches every C[i, j] of row i,
        each time multiplied by B[k, j]. Its gradient is sum_j dL/dC[i, j] * B[k, j], which
        is entry (i, k) of dL/dC @ B.T. Likewise B[k, j] touches column j of C, with
        weights A[i, k]: sum_i A[i, k] * dL/dC[i, j] = (A.T @ dL/dC)[k, j]. A check that
        needs no algebra: the shapes only fit one way ((n, m) @ (m, k) needs an (n, m)
        gradient for A out of an (n, k) dL/dC and a (m, k) B).

        Batched operands work the same on the last two axes, and broadcast batch axes are
        summed away. A 1-D operand is treated as a row (left) or column (right) vector.
        """
        a, b = out._prev
        A, B, g = a.data, b.data, out.grad
        if A.ndim == 2 and B.ndim == 2:  # the common case, without reshaping
            if a.requires_grad:
                _accumulate(a, g @ B.T, True)
            if b.requires_grad:
                _accumulate(b, A.T @ g, True)
            return
        A2 = A[None, :] if A.ndim == 1 else A  # (n,) -> (1, n)
        B2 = B[:, None] if B.ndim == 1 else B  # (n,) -> (n, 1)
        if B.ndim == 1:
            g = np.expand_dims(g, -1)  # put back the column axis that the product dropped
        if A.ndim == 1:
            g = np.expand_dims(g, -2)  # and the row axis
        if a.requires_grad:
            ga = _unbroadcast(g @ np.swapaxes(B2, -1, -2), A2.shape)
            _accumulate(a, ga.reshape(A.shape), True)
        if b.requires_grad:
            gb = _unbroadcast(np.swapaxes(A2, -1, -2) @ g, B2.shape)
            _accumulate(b, gb.reshape(B.shape), True)

    # ------------------------------------------------------------------ reductions
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes by default), like ``np.sum``."""
        axes = _normalize_axes(axis, self.data.shape, "sum")
        keepdims = _check_keepdims(keepdims, "sum")
        data = self.data.sum(axis=axes, keepdims=keepdims)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "sum", Tensor._sum_backward, (axes, keepdims))
        return _plain(data)

    @staticmethod
    def _sum_backward(out: Tensor) -> None:
        """Every summed element has slope 1: copy the gradient back along the summed axes.

        (``broadcast_to`` makes that copy a free view; it is the mirror image of
        ``_unbroadcast``: a sum in the forward pass is a broadcast in the backward pass.)
        """
        (x,), (axes, keepdims) = out._prev, out._ctx
        g = out.grad
        if axes is not None and not keepdims:
            g = np.expand_dims(g, axes)
        _accumulate(x, np.broadcast_to(g, x.data.shape), False)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes by default): the sum divided by the count."""
        axes = _normalize_axes(axis, self.data.shape, "mean")
        keepdims = _check_keepdims(keepdims, "mean")
        if self.data.size == 0:
            raise ValueError(f"mean of an empty tensor (shape {self.shape}) is undefined")
        data = self.data.mean(axis=axes, keepdims=keepdims)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "mean", Tensor._mean_backward, (axes, keepdims))
        return _plain(data)

    @staticmethod
    def _mean_backward(out: Tensor) -> None:
        """Each of the n averaged elements has slope 1/n."""
        (x,), (axes, keepdims) = out._prev, out._ctx
        g = out.grad
        n = x.data.size // max(out.data.size, 1)
        if axes is not None and not keepdims:
            g = np.expand_dims(g, axes)
        _accumulate(x, np.broadcast_to(g / n, x.data.shape), False)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """The largest element over ``axis`` (all axes by default).

        Gradient: only the winner moves the max, so the gradient goes to the argmax. If
        several elements tie for the max, they **split it evenly** (each gets 1/count), the
        average of the one-winner choices; the sum of the gradients is then still right.
        """
        axes = _normalize_axes(axis, self.data.shape, "max")
        keepdims = _check_keepdims(keepdims, "max")
        if self.data.size == 0:
            raise ValueError(f"max of an empty tensor (shape {self.shape}) is undefined")
        data = self.data.max(axis=axes, keepdims=keepdims)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "max", Tensor._max_backward, (axes, keepdims))
        return _plain(data)

    @staticmethod
    def _max_backward(out: Tensor) -> None:
        """Gradient 1/count to each element equal to the max (count = 1 without ties)."""
        (x,), (axes, keepdims) = out._prev, out._ctx
        m, g = out.data, out.grad
        if axes is not None and not keepdims:
            m, g = np.expand_dims(m, axes), np.expand_dims(g, axes)
        winners = x.data == m
        if np.isnan(m).any():  # no element equals a nan max: the nan elements win it
            winners |= np.isnan(x.data) & np.isnan(m)
        count = winners.sum(axis=axes, keepdims=True)
        _accumulate(x, winners * (g / count).astype(x.data.dtype, copy=False), True)

    # ------------------------------------------------------------------ shapes
    def reshape(self, *shape: int | tuple[int, ...]) -> Tensor:
        """The same numbers in a new shape: ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError):
            raise ValueError(
                f"cannot reshape a tensor of shape {self.shape} ({self.size} elements) "
                f"into shape {shape}"
            ) from None
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "reshape", Tensor._reshape_backward)
        return _plain(data)

    @staticmethod
    def _reshape_backward(out: Tensor) -> None:
        """Reshaping moves no number: the gradient is reshaped back."""
        x = out._prev[0]
        _accumulate(x, out.grad.reshape(x.data.shape), False)

    @property
    def T(self) -> Tensor:
        """The transpose (all axes reversed, like numpy's ``.T``)."""
        if _grad_enabled and self.requires_grad:
            return _node(self.data.T, (self,), "T", Tensor._transpose_backward)
        return _plain(self.data.T)

    @staticmethod
    def _transpose_backward(out: Tensor) -> None:
        """The gradient of a transpose is the transposed gradient."""
        _accumulate(out._prev[0], out.grad.T, False)

    # ------------------------------------------------------------------ elementwise functions
    def relu(self) -> Tensor:
        data = np.maximum(self.data, 0)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "relu", Tensor._relu_backward)
        return _plain(data)

    @staticmethod
    def _relu_backward(out: Tensor) -> None:
        """Slope 1 where the input was > 0, 0 where it was <= 0, nan where it was nan.

        That is the sign of the output (1 where positive, 0 where 0, nan where nan).
        """
        _accumulate(out._prev[0], out.grad * np.sign(out.data), True)

    def tanh(self) -> Tensor:
        data = np.tanh(self.data)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "tanh", Tensor._tanh_backward)
        return _plain(data)

    @staticmethod
    def _tanh_backward(out: Tensor) -> None:
        """d tanh(x)/dx = 1 - tanh(x)², computed from the saved output."""
        t = out.data
        _accumulate(out._prev[0], out.grad * (1 - t * t), True)

    def exp(self) -> Tensor:
        x = self.data
        if x.size and not x.max() <= _exp_limit(x.dtype):  # a nan max lands here too
            with np.errstate(over="ignore"):
                data = np.exp(x)
            bad = np.isinf(data) & np.isfinite(x)  # finite in, infinite out: an overflow
            if bad.any():
                raise OverflowError(
                    f"exp overflows {x.dtype}: the tensor of shape {self.shape} has "
                    + _offenders(bad, x, f"element(s) above {np.log(np.finfo(x.dtype).max):.4g}")
                )
        else:
            data = np.exp(x)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "exp", Tensor._exp_backward)
        return _plain(data)

    @staticmethod
    def _exp_backward(out: Tensor) -> None:
        """d exp(x)/dx = exp(x): the output itself."""
        _accumulate(out._prev[0], out.grad * out.data, True)

    def log(self) -> Tensor:
        x = self.data
        if x.size and not x.min() > 0:  # a nan min lands here too
            bad = x <= 0
            if bad.any():
                raise ValueError(
                    f"log needs positive inputs: the tensor of shape {self.shape} has "
                    + _offenders(bad, x, "element(s) <= 0")
                )
        data = np.log(x)
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "log", Tensor._log_backward)
        return _plain(data)

    @staticmethod
    def _log_backward(out: Tensor) -> None:
        """d log(x)/dx = 1/x."""
        x = out._prev[0]
        _accumulate(x, out.grad / x.data, True)

    def sigmoid(self) -> Tensor:
        x = self.data
        # 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) for x < 0 are the same function; with
        # e = exp(-|x|) <= 1 neither form can overflow.
        e = np.exp(-np.abs(x))
        data = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "sigmoid", Tensor._sigmoid_backward)
        return _plain(data)

    @staticmethod
    def _sigmoid_backward(out: Tensor) -> None:
        """d sigmoid(x)/dx = s * (1 - s), from the saved output s."""
        s = out.data
        _accumulate(out._prev[0], out.grad * (s * (1 - s)), True)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """log(softmax(x)) along ``axis``: x - log(sum(exp(x))), computed stably.

        Subtracting the max first changes nothing mathematically (it cancels) but keeps
        every exp(...) <= 1, so nothing overflows.
        """
        if self.data.ndim == 0:
            raise ValueError("log_softmax needs at least 1 dimension, got shape ()")
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"log_softmax: axis must be one int, got {axis!r}")
        (ax,) = _normalize_axes(axis, self.data.shape, "log_softmax")  # type: ignore[misc]
        x = self.data
        shifted = x - x.max(axis=ax, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))
        if _grad_enabled and self.requires_grad:
            return _node(data, (self,), "log_softmax", Tensor._log_softmax_backward, ax)
        return _plain(data)

    @staticmethod
    def _log_softmax_backward(out: Tensor) -> None:
        """y_i = x_i - log(sum_j exp(x_j)), so dy_i/dx_k = [i == k] - softmax_k.

        Summing over i with weights g_i: dL/dx_k = g_k - softmax_k * sum_i g_i.
        """
        ax = out._ctx
        g = out.grad
        softmax = np.exp(out.data)
        _accumulate(out._prev[0], g - softmax * g.sum(axis=ax, keepdims=True), True)

    # ------------------------------------------------------------------ backprop
    def backward(self, grad: np.ndarray | Tensor | float | None = None) -> None:
        """Fill in ``.grad`` of every tensor this one depends on that requires grad.

        Without ``grad`` this tensor must hold one element (a loss), and its gradient is
        seeded with 1. With ``grad`` (an array of this tensor's shape) the pass computes
        the vector-Jacobian product ``grad · d(self)/d(input)`` instead.

        Intermediate gradients are reset first; leaf gradients accumulate across calls.
        """
        if not self.requires_grad:
            raise RuntimeError(
                f"backward() on a tensor that does not require grad (shape {self.shape}): no "
                "input was created with requires_grad=True, or it was computed under no_grad()"
            )
        data = self.data
        if grad is None:
            if data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a one-element tensor (a scalar "
                    f"loss), got shape {data.shape}; reduce it first (e.g. .sum()) or pass "
                    f"grad= an array of shape {data.shape}"
                )
            seed, fresh = np.ones(data.shape, data.dtype), True
        else:
            seed = grad if type(grad) is np.ndarray else np.asarray(getattr(grad, "data", grad))
            if seed.dtype.kind not in "biuf":
                raise TypeError(f"backward(grad=...) needs real numbers, got dtype {seed.dtype}")
            if seed.shape != data.shape:
                raise ValueError(
                    f"backward(grad=...) got a gradient of shape {seed.shape} for a tensor "
                    f"of shape {data.shape}; they must match"
                )
            fresh = False
        order = backward_order(self)  # type: ignore[arg-type]
        for node in order:
            if node._backward is not None:  # intermediate grads are scratch space
                node.grad = None
        _accumulate(self, seed, fresh)
        for node in order:
            rule = node._backward
            if rule is not None and node.grad is not None:
                rule(node)


__all__ = ["Tensor", "no_grad", "enable_grad", "is_grad_enabled"]
