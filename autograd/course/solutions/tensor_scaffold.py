import numpy as np


class Tensor:
    """A node of the graph that holds a whole numpy array: the `Value` idea, one array per node.

    The protocol is the one your `Value` follows: `data`, `grad`, `_prev` (the inputs, in
    argument order), `_op`, `_backward` (None for a leaf; an op sets a zero-argument closure)
    and `label`. Every array is float64, and `grad` always has the shape of `data`.
    """

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = np.asarray(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)  # one partial derivative per number
        self._prev = tuple(_prev)
        self._op = _op
        self._backward = None
        self.label = label

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        label = f"{self.label}, " if self.label else ""
        data = f", data={self.data.round(4).tolist()}" if self.data.size <= 6 else ""
        return f"Tensor({label}shape={self.shape}{data})"

    def backward(self, grad=None):
        """Fill in the gradient of this tensor in every node it depends on.

        The seed is all ones (for a one-number loss: the usual dL/dL = 1), or `grad` if
        given; then the result in every input is grad^T J, a vector-Jacobian product.
        """
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # iterative depth-first search: every node after its inputs
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node._prev))
        for node in order:
            if node._prev:  # intermediate grads are scratch space; leaf grads accumulate
                node.grad = np.zeros_like(node.data)
        seed = np.ones_like(self.data) if grad is None else np.asarray(grad, dtype=np.float64)
        self.grad = np.broadcast_to(seed, self.shape).copy()
        for node in reversed(order):
            if node._backward is not None:
                node._backward()

    @staticmethod
    def _wrap(x):
        """A number (or array) becomes a leaf Tensor; a Tensor stays as it is."""
        return x if isinstance(x, Tensor) else Tensor(x)

    def __radd__(self, other):  # 2 + t
        return self + other

    def __rmul__(self, other):  # 2 * t
        return self * other

    def __neg__(self):  # -t
        return self * -1.0

    def __sub__(self, other):  # t - u
        return self + (-self._wrap(other))

    def __rsub__(self, other):  # 2 - t
        return self._wrap(other) + (-self)
