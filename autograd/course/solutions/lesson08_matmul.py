def __matmul__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data @ other.data, (self, other), "@")

    def _backward():
        self.grad += out.grad @ other.data.T  # (n, m) @ (m, k): the shape of self
        other.grad += self.data.T @ out.grad  # (k, n) @ (n, m): the shape of other

    out._backward = _backward
    return out


Tensor.__matmul__ = __matmul__
