def __pow__(self, n):
    assert isinstance(n, (int, float)), "only a plain number exponent is supported"
    out = Value(self.data**n, (self,), f"**{n:g}")

    def _backward():
        self.grad += n * self.data ** (n - 1) * out.grad  # power rule × incoming gradient

    out._backward = _backward
    return out


Value.__pow__ = __pow__
