"""Functions on tensors that are more than one op: losses with a fused backward rule.

``cross_entropy`` could be written with the ops we already have,
``-(logits.log_softmax()[rows, targets]).mean()``, and its gradient would come out right.
Writing it as **one node** with its own rule is faster and teaches a classic result: the
gradient of softmax followed by cross-entropy is simply ``softmax - onehot``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import tensor as _t
from .tensor import Tensor, _accumulate, _node, _plain


def _check_targets(targets: object, n: int, c: int) -> np.ndarray:
    """``targets`` as an int array of shape (n,) with values in [0, c), or a clear error."""
    t = targets.data if isinstance(targets, Tensor) else targets
    try:
        t = np.asarray(t)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"cross_entropy targets must be a 1-D array of class indices: {err}"
        ) from None
    if t.dtype.kind not in "iu":
        if t.dtype.kind == "f" and t.size and np.all(t == np.round(t)):
            hint = " (they look like whole numbers: use targets.astype(int))"
        else:
            hint = ""
        raise TypeError(
            f"cross_entropy targets must be integer class indices, got dtype {t.dtype}{hint}"
        )
    if t.shape != (n,):
        raise ValueError(
            f"cross_entropy targets must have shape ({n},) to match logits of shape "
            f"({n}, {c}), got shape {t.shape}"
        )
    if n and (t.min() < 0 or t.max() >= c):
        bad = t[(t < 0) | (t >= c)]
        raise ValueError(
            f"cross_entropy targets must be class indices in [0, {c}) for logits with {c} "
            f"classes; got {bad.size} out of range, e.g. {int(bad[0])}"
        )
    return t


def cross_entropy(logits: Tensor, targets: np.ndarray | Sequence[int]) -> Tensor:
    """Mean cross-entropy of a batch: ``mean_i( -log softmax(logits[i])[targets[i]] )``.

    ``logits``: shape ``(N, C)``, one row of C class scores per example.
    ``targets``: N integer class indices in ``[0, C)`` (a numpy int array or a list).

    Forward, stably: with ``z = logits - rowmax`` (so every ``exp(z) <= 1``),
    ``loss_i = log(sum_j exp(z_ij)) - z_i,target``.

    Backward, fused: ``dloss/dlogits = (softmax(logits) - onehot(targets)) / N``. Raising
    the right class's score lowers the loss by (1 - p); raising any other class's score
    raises it by p. A confident, correct network (p ≈ onehot) gets almost no gradient.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(f"cross_entropy needs a Tensor of logits, got {type(logits).__name__}")
    x = logits.data
    if x.ndim != 2:
        raise ValueError(
            f"cross_entropy needs logits of shape (N, C) (a batch of class scores), "
            f"got shape {x.shape}"
        )
    n, c = x.shape
    if n == 0 or c == 0:
        raise ValueError(f"cross_entropy needs at least one example and class, got {x.shape}")
    t = _check_targets(targets, n, c)
    rows = np.arange(n)
    z = x - x.max(axis=1, keepdims=True)
    e = np.exp(z)
    total = e.sum(axis=1, keepdims=True)
    loss = np.log(total[:, 0]).sum() - z[rows, t].sum()
    data = np.asarray(loss / n, dtype=x.dtype)
    if _t._grad_enabled and logits.requires_grad:
        e /= total  # e now holds the softmax probabilities (saved for backward)
        return _node(data, (logits,), "cross_entropy", _cross_entropy_backward, (e, t))
    return _plain(data)


def _cross_entropy_backward(out: Tensor) -> None:
    """d loss / d logits = (softmax - onehot) / N, times the incoming gradient."""
    (logits,), (probs, t) = out._prev, out._ctx
    n = probs.shape[0]
    grad = probs.copy()  # the saved probabilities stay intact for a second backward()
    grad[np.arange(n), t] -= 1
    grad *= out.grad / n
    _accumulate(logits, grad, True)


__all__ = ["cross_entropy"]
