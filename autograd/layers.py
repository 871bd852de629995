"""Neural-network layers and optimizers on top of ``Tensor``.

The same ideas as the scalar ``nn`` module, one array per layer instead of one ``Value`` per
weight: ``Linear`` holds a weight matrix and a bias vector, ``Sequential`` chains layers,
and an optimizer turns gradients into updates.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> model = Sequential(Linear(2, 8, rng=rng), ReLU(), Linear(8, 1, rng=rng))
>>> [p.shape for p in model.parameters()]
[(2, 8), (8,), (8, 1), (1,)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from numbers import Real

import numpy as np

from .tensor import Tensor


class Module:
    """Something callable with parameters: ``module(x)`` runs ``module.forward(x)``."""

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def __call__(self, x: Tensor) -> Tensor:
        return self.forward(x)

    def parameters(self) -> list[Tensor]:
        """The tensors an optimizer should update (leaves with ``requires_grad=True``)."""
        return []

    def zero_grad(self) -> None:
        """Forget the accumulated gradients (call it before each ``backward()``)."""
        for p in self.parameters():
            p.grad = None


class Linear(Module):
    """``y = x @ W + b``: every output is a weighted sum of all inputs, plus a bias.

    ``W`` has shape ``(nin, nout)`` so that a batch ``x`` of shape ``(N, nin)`` gives
    ``(N, nout)``; ``b`` (shape ``(nout,)``) is broadcast over the batch.

    Initialisation (PyTorch's default): ``W`` and ``b`` uniform in ``[-k, k]`` with
    ``k = 1/sqrt(nin)``, so each output starts with a variance that does not grow with the
    number of inputs. Pass ``rng`` (a ``np.random.Generator``) for reproducible weights.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        bias: bool = True,
        rng: np.random.Generator | None = None,
        dtype: type | np.dtype = np.float32,
    ) -> None:
        for name, n in (("nin", nin), ("nout", nout)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive int, got {n!r}")
        if rng is None:
            rng = np.random.default_rng()
        elif not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"Linear: rng must be a numpy Generator (np.random.default_rng(seed)), "
                f"got {type(rng).__name__}"
            )
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Linear: dtype must be a float dtype, got {dtype}")
        self.nin, self.nout = int(nin), int(nout)
        k = 1.0 / np.sqrt(nin)
        self.W = Tensor(rng.uniform(-k, k, (nin, nout)).astype(dtype), True, label="W")
        self.b = (
            Tensor(rng.uniform(-k, k, (nout,)).astype(dtype), True, label="b") if bias else None
        )

    def forward(self, x: Tensor) -> Tensor:
        y = x @ self.W
        return y + self.b if self.b is not None else y

    def parameters(self) -> list[Tensor]:
        return [self.W] if self.b is None else [self.W, self.b]

    def __repr__(self) -> str:
        return f"Linear({self.nin}, {self.nout}, bias={self.b is not None}, dtype={self.W.dtype})"


class ReLU(Module):
    """``max(x, 0)`` elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()

    def __repr__(self) -> str:
        return "ReLU()"


class Tanh(Module):
    """``tanh(x)`` elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()

    def __repr__(self) -> str:
        return "Tanh()"


class Sequential(Module):
    """Layers applied one after the other: ``Sequential(a, b, c)(x) == c(b(a(x)))``."""

    def __init__(self, *layers: Module) -> None:
        for i, layer in enumerate(layers):
            if not callable(layer):
                raise TypeError(f"Sequential: layer {i} is not callable: {layer!r}")
        self.layers = list(layers)

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers if isinstance(layer, Module) for p in layer.parameters()]

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  {layer!r}," for layer in self.layers)
        return f"Sequential({inner}\n)" if inner else "Sequential()"


# ---------------------------------------------------------------------------- optimizers
class Optimizer:
    """Holds the parameters; ``step()`` updates them from ``.grad``, in place."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is a {type(p).__name__}, not a Tensor"
                )
            if not p.requires_grad:
                raise ValueError(
                    f"{type(self).__name__}: parameter {i} (shape {p.shape}) does not "
                    "require grad, so it would never get a gradient"
                )
        self.lr = _positive(lr, "lr", type(self).__name__)

    def zero_grad(self) -> None:
        """Forget the accumulated gradients (call it before each ``backward()``)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent: ``p -= lr * g``, optionally with momentum.

    With momentum, a velocity remembers past gradients: ``v = momentum * v + g`` and
    ``p -= lr * v``. Directions that keep agreeing build up speed; zig-zags cancel.
    Parameters whose ``.grad`` is ``None`` are skipped.
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        if not isinstance(momentum, Real) or not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self.velocity: list[np.ndarray | None] = [None] * len(self.params)

    def step(self) -> None:
        lr, mu = self.lr, self.momentum
        for i, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            if mu:
                v = self.velocity[i]
                if v is None:
                    v = self.velocity[i] = np.array(g)  # a copy: .grad may change in place
                else:
                    v *= mu
                    v += g
                g = v
            p.data -= lr * g


class Adam(Optimizer):
    """Adam: a step per parameter scaled by running averages of its gradient.

    ``m`` averages the gradient (a momentum), ``v`` averages its square (how big the
    gradient usually is). The step ``lr * m_hat / (sqrt(v_hat) + eps)`` is then about
    ``lr`` in size whatever the gradient's scale. ``m_hat`` and ``v_hat`` correct the bias
    of averages that start at zero: early on, ``m`` is too small by a factor
    ``1 - beta1**t``.
    """

    def __init__(
        self,
        params: Iterable[Tensor],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if len(betas) != 2 or not all(isinstance(b, Real) and 0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"Adam: betas must be two numbers in [0, 1), got {betas!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = _positive(eps, "eps", "Adam")
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1.0 - b1**self.t, 1.0 - b2**self.t  # bias corrections
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            g = p.grad
            if g is None:
                continue
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            p.data -= (self.lr / c1) * m / (np.sqrt(v / c2) + self.eps)


def _positive(x: object, name: str, owner: str) -> float:
    if not isinstance(x, Real) or isinstance(x, bool) or not x > 0:
        raise ValueError(f"{owner}: {name} must be a positive number, got {x!r}")
    return float(x)


__all__ = ["Module", "Linear", "ReLU", "Tanh", "Sequential", "Optimizer", "SGD", "Adam"]
