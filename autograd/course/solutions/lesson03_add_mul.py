def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a + 1
    out = Value(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += out.grad  # + copies the incoming gradient...
        other.grad += out.grad  # ...to both inputs

    out._backward = _backward
    return out


def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)  # lets you write a * 2
    out = Value(self.data * other.data, (self, other), "*")

    def _backward():
        self.grad += other.data * out.grad  # each input gets the OTHER one's value
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__mul__ = __mul__
