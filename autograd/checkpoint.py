"""Gradient checkpointing: trade compute for memory.

Backprop needs the forward pass's intermediate arrays (the *activations*): the rule of
``relu`` looks at its output, the rule of ``@`` at both operands. A deep network keeps all
of them alive until ``backward()``: memory grows with depth.

``checkpoint(fn, *inputs)`` runs a block ``fn`` **without** recording its graph, so its
activations are freed at once, and keeps only the block's inputs and output. When the
backward pass reaches the block, its rule runs ``fn`` again (this time recording), backprops
the incoming gradient through that small graph, and throws it away. Cost: one extra
forward pass of the block. Saving: all of its activations, except while it is being
recomputed.

``fn`` must compute the same thing both times: no randomness (dropout) unless seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import tensor as _t
from .tensor import Tensor, _accumulate, _node, enable_grad, no_grad


def checkpoint(fn: Callable[..., Tensor], *inputs: Any) -> Tensor:
    """``fn(*inputs)``, with its activations recomputed during backward instead of stored.

    Gradients come out exactly as without checkpointing: into the tensors in ``inputs``
    that require grad, and into any parameters ``fn`` uses (they are leaves, so their
    gradients accumulate when the recomputed graph is backpropagated).

    >>> from autograd.layers import Linear, ReLU, Sequential
    >>> import numpy as np
    >>> block = Sequential(Linear(4, 4, rng=np.random.default_rng(0)), ReLU())
    >>> x = Tensor(np.ones((2, 4), dtype=np.float32), requires_grad=True)
    >>> checkpoint(block, x).sum().backward()
    >>> x.grad.shape, block.parameters()[0].grad.shape
    ((2, 4), (4, 4))
    """
    if not callable(fn):
        raise TypeError(f"checkpoint needs a function as its first argument, got {fn!r}")
    with no_grad():
        out = fn(*inputs)
    if not isinstance(out, Tensor):
        raise TypeError(f"checkpoint: fn must return a Tensor, got {type(out).__name__}")
    if not _t._grad_enabled:
        return out
    # Parameters used inside fn are invisible here, so the output always requires grad.
    tensors = tuple(x for x in inputs if isinstance(x, Tensor))
    return _node(out.data, tensors, "checkpoint", _checkpoint_backward, (fn, inputs))


def _checkpoint_backward(out: Tensor) -> None:
    """Re-run the block with a graph, backprop ``out.grad`` through it, pass input grads on."""
    fn, inputs = out._ctx
    # Fresh leaves that share the inputs' data: the replayed graph ends at them.
    replay = [
        Tensor(x.data, requires_grad=x.requires_grad) if isinstance(x, Tensor) else x
        for x in inputs
    ]
    with enable_grad():
        y = fn(*replay)
    if not isinstance(y, Tensor) or y.shape != out.shape:
        raise RuntimeError(
            "checkpoint: recomputing the block gave a different result shape "
            f"({getattr(y, 'shape', type(y).__name__)} instead of {out.shape}); "
            "fn must compute the same thing every time"
        )
    if y.requires_grad:
        y.backward(out.grad)
    for x, r in zip(inputs, replay, strict=True):
        if isinstance(x, Tensor) and x.requires_grad and r.grad is not None:
            _accumulate(x, r.grad, True)


__all__ = ["checkpoint"]
