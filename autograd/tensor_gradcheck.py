"""Check a Tensor function's gradients against central differences.

The idea is the one from the scalar lessons: nudge an input by a tiny ``eps`` both ways and
see how much the output moves, ``(f(x + eps) - f(x - eps)) / (2 eps)``. Backprop must agree.

Two practical twists for arrays:

* **Non-scalar outputs** are reduced to one number with a fixed random weighting,
  ``phi(x) = sum(w * f(x))``. Backprop computes its gradient with one call,
  ``f(x).backward(grad=w)``; random weights make it very unlikely that an error cancels out.
* **Big inputs** would need two evaluations of ``f`` per element. Instead we test
  *directional derivatives*: for a random unit direction ``d``, the slope of ``phi`` along
  ``d`` is ``<grad, d>`` (backprop) and ``(phi(x + eps d) - phi(x - eps d)) / (2 eps)``
  (numerically). A wrong gradient fails this for almost every random ``d``.

Inputs are checked in float64: with float32 the rounding error of ``f`` (about 1e-7
relative) divided by ``2 eps`` would swamp the comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .tensor import Tensor, no_grad


def format_error(error: float) -> str:
    """An absolute error for display. Errors below 1e-8 are round-off noise whose last digits
    depend on the machine's math library, so they print as "<1e-08" (stable in notebooks)."""
    return f"{error:.1e}" if error >= 1e-8 else "<1e-08"


@dataclass(frozen=True)
class InputCheck:
    """The verdict for one input of the checked function."""

    index: int
    shape: tuple[int, ...]
    method: str  # "elementwise" (every element nudged) or "N directions"
    max_abs_error: float
    ok: bool
    worst: str = ""  # where the largest mismatch was, with both numbers

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "MISMATCH"
        text = (
            f"input {self.index} shape {self.shape}: {self.method}, "
            f"max abs error {format_error(self.max_abs_error)} -> {verdict}"
        )
        return text if self.ok else f"{text} ({self.worst})"


@dataclass(frozen=True)
class TensorGradcheckResult:
    """Truthy when every input's backprop gradient matched central differences."""

    inputs: list[InputCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.inputs)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        head = "gradcheck_tensor: " + ("ok" if self.ok else "FAILED")
        return "\n  ".join([head, *(str(c) for c in self.inputs)])


def gradcheck_tensor(
    f: Callable[..., Tensor],
    inputs: Sequence[np.ndarray],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    max_exact: int = 64,
    seed: int = 0,
    directions: int = 8,
) -> TensorGradcheckResult:
    """Compare ``f``'s backprop gradients with central differences.

    ``f`` takes one Tensor per input array and returns a Tensor. An input with at most
    ``max_exact`` elements is checked element by element; a bigger one along ``directions``
    random unit directions. A number passes if ``|backprop - numeric| <= atol + rtol *
    |numeric|``. ``seed`` fixes the output weighting and the directions.

    >>> res = gradcheck_tensor(lambda a, b: (a * b).sum(), [np.ones((2, 3)), np.ones(3)])
    >>> bool(res)
    True
    """
    arrays = [_as_float64(x, i) for i, x in enumerate(inputs)]
    rng = np.random.default_rng(seed)

    # Backprop: one forward + backward with requires_grad inputs.
    leaves = [Tensor(x.copy(), requires_grad=True) for x in arrays]
    out = f(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck_tensor: f must return a Tensor, got {type(out).__name__}")
    weights = rng.standard_normal(out.shape) if out.size != 1 else np.ones(out.shape)
    if out.requires_grad:
        out.backward(grad=weights)
    analytic = [
        np.zeros_like(x) if t.grad is None else t.grad for x, t in zip(arrays, leaves, strict=True)
    ]

    def phi(xs: list[np.ndarray]) -> float:
        """The weighted output, evaluated without recording a graph."""
        with no_grad():
            y = f(*(Tensor(x) for x in xs))
        return float(np.sum(np.asarray(y.data, dtype=np.float64) * weights))

    checks = []
    for i, x in enumerate(arrays):
        xs = [a.copy() for a in arrays]

        def phi_at(
            delta: np.ndarray, xs: list[np.ndarray] = xs, i: int = i, x: np.ndarray = x
        ) -> float:
            xs[i] = x + delta
            return phi(xs)

        if x.size <= max_exact:
            numeric = np.zeros_like(x)
            flat = numeric.reshape(-1)
            for j in range(x.size):
                e = np.zeros(x.size)
                e[j] = eps
                e = e.reshape(x.shape)
                flat[j] = (phi_at(e) - phi_at(-e)) / (2 * eps)
            backprop, method = analytic[i], "elementwise"
            labels = [f"element {np.unravel_index(j, x.shape)}" for j in range(x.size)]
            backprop, numeric = backprop.reshape(-1), numeric.reshape(-1)
        else:
            dirs = rng.standard_normal((directions, *x.shape))
            dirs /= np.sqrt((dirs**2).sum(axis=tuple(range(1, dirs.ndim)), keepdims=True))
            numeric = np.array([(phi_at(eps * d) - phi_at(-eps * d)) / (2 * eps) for d in dirs])
            backprop = np.array([float(np.sum(analytic[i] * d)) for d in dirs])
            method = f"{directions} random directions"
            labels = [f"direction {k}" for k in range(directions)]
        err = np.abs(backprop - numeric)
        bad = err > atol + rtol * np.abs(numeric)
        worst = int(np.argmax(err)) if err.size else 0
        checks.append(
            InputCheck(
                index=i,
                shape=x.shape,
                method=method,
                max_abs_error=float(err.max()) if err.size else 0.0,
                ok=not bool(bad.any()),
                worst=(
                    f"{labels[worst]}: backprop {backprop[worst]:.6g}, numeric {numeric[worst]:.6g}"
                    if err.size
                    else ""
                ),
            )
        )
    return TensorGradcheckResult(checks)


def _as_float64(x: object, i: int) -> np.ndarray:
    arr = np.asarray(x.data if isinstance(x, Tensor) else x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"gradcheck_tensor: input {i} must be a real array, got dtype {arr.dtype}")
    return arr.astype(np.float64)


__all__ = ["gradcheck_tensor", "TensorGradcheckResult", "InputCheck", "format_error"]
