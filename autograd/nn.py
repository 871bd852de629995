"""A tiny neural-network library on top of scalar ``Value`` s (micrograd-compatible).

A **neuron** computes a weighted sum of its inputs plus a bias, then (usually) bends it with
a non-linearity::

    out = relu(w0·x0 + w1·x1 + ... + b)

A **layer** is a list of neurons that all read the same inputs; an **MLP** (multi-layer
perceptron) feeds each layer's outputs into the next. Every weight and bias is a ``Value``,
so after ``loss.backward()`` each parameter's ``.grad`` says how the loss changes when that
parameter is nudged, and training is just::

    for p in model.parameters():
        p.data -= learning_rate * p.grad

The classes mirror micrograd's ``nn`` module (same names, same reprs, same order of random
draws, so ``random.seed(s)`` gives the same initial weights as micrograd), plus an optional
``rng`` to seed a model on its own, labelled parameters for pictures, and clear errors.

The tensor layers (``Linear``, ``Sequential``, ``SGD``, ``Adam``) are in ``autograd.layers``:
this module sits on the scalar engine only.

>>> import random
>>> model = MLP(2, [4, 4, 1], rng=random.Random(0))
>>> model
MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], \
Layer of [ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4)], Layer of [LinearNeuron(4)]]
>>> len(model.parameters())   # (2+1)·4 + (4+1)·4 + (4+1)·1
37
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from numbers import Real

from .engine import Value

__all__ = ["Module", "Neuron", "Layer", "MLP"]

Input = Value | int | float


def _check_size(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}: {n!r}")
    if n < 1:
        raise ValueError(f"{what} must be at least 1, got {n}")
    return n


def _check_rng(rng: object) -> random.Random:
    if rng is None:
        return random  # type: ignore[return-value]  # the module: random.seed() controls it
    if not callable(getattr(rng, "uniform", None)):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    return rng  # type: ignore[return-value]


def _check_inputs(x: object, expected: int, who: str) -> Sequence[Input]:
    """Return ``x`` as a list of ``expected`` inputs, or raise a clear error."""
    if isinstance(x, (Value, Real, str, bytes)) or not isinstance(x, Iterable):
        raise TypeError(
            f"{who} takes a list of {expected} numbers or Values, got {type(x).__name__}: "
            f"{x!r} (wrap a single input in a list: [x])"
        )
    xs = x if isinstance(x, (list, tuple)) else list(x)
    if len(xs) != expected:
        raise ValueError(f"{who} expected {expected} inputs, got {len(xs)}")
    return xs


class Module:
    """Anything with parameters: knows how to list them and reset their gradients."""

    def parameters(self) -> list[Value]:
        """Every trainable ``Value`` in this module (weights and biases)."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 before the next ``backward()``.

        Gradients *accumulate* in the leaves (``+=`` in every backward rule), so without
        this, each training step would add its gradient to all the previous ones.
        """
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: ``relu(w · x + b)``, or just ``w · x + b`` when ``nonlin=False``.

    The ``nin`` weights start uniformly random in [-1, 1] (drawn from ``rng``, by default
    Python's module-level ``random``); the bias starts at 0. Parameters are labelled
    ``w0, w1, ...`` and ``b``.
    """

    def __init__(self, nin: int, nonlin: bool = True, rng: random.Random | None = None) -> None:
        nin = _check_size(nin, "nin (the number of inputs)")
        draw = _check_rng(rng)
        self.w = [Value(draw.uniform(-1, 1), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.0, label="b")
        self.nonlin = bool(nonlin)

    def __call__(self, x: Sequence[Input]) -> Value:
        return self._forward(_check_inputs(x, len(self.w), repr(self)))

    def _forward(self, x: Sequence[Input]) -> Value:
        act = self.b
        for wi, xi in zip(self.w, x, strict=True):  # b + w0·x0 + w1·x1 + ... (micrograd's order)
            act = act + wi * xi
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons side by side, each reading the same ``nin`` inputs.

    Calling a layer returns a list of ``nout`` Values, or a single Value when ``nout == 1``
    (as in micrograd, so a network ending in one neuron returns a number-like Value).
    """

    def __init__(
        self, nin: int, nout: int, nonlin: bool = True, rng: random.Random | None = None
    ) -> None:
        nin = _check_size(nin, "nin (the number of inputs)")
        nout = _check_size(nout, "nout (the number of neurons)")
        self.neurons = [Neuron(nin, nonlin=nonlin, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        x = _check_inputs(x, len(self.neurons[0].w), "Layer")
        out = [n._forward(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``nouts`` applied one after another.

    ``MLP(3, [4, 4, 1])`` maps 3 inputs through two hidden layers of 4 ReLU neurons to one
    output. The last layer is linear (no ReLU), so the output can be any real number, e.g. a
    score for a hinge loss or a prediction for a squared error.
    """

    def __init__(self, nin: int, nouts: Sequence[int], rng: random.Random | None = None) -> None:
        nin = _check_size(nin, "nin (the number of inputs)")
        if isinstance(nouts, (int, str)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(
                f"nouts must be a non-empty list of layer sizes, e.g. [4, 4, 1]; got {nouts!r}"
            )
        sizes = [nin] + [_check_size(n, "each layer size in nouts") for n in nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != last, rng=rng) for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        out: Value | list[Value] = list(_check_inputs(x, len(self.layers[0].neurons[0].w), "MLP"))
        for layer in self.layers:
            xs = out if isinstance(out, list) else [out]
            out = layer(xs)
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
