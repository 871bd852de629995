def __add__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += unbroadcast(out.grad, self.shape)
        other.grad += unbroadcast(out.grad, other.shape)

    out._backward = _backward
    return out


def __mul__(self, other):
    other = self._wrap(other)
    out = Tensor(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += unbroadcast(other.data * out.grad, self.shape)
        other.grad += unbroadcast(self.data * out.grad, other.shape)

    out._backward = _backward
    return out


Tensor.__add__ = __add__
Tensor.__mul__ = __mul__
