def exp(self):
    out = Tensor(np.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad  # d exp(x)/dx = exp(x), already computed

    out._backward = _backward
    return out


def log(self):
    out = Tensor(np.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data  # d log(x)/dx = 1/x

    out._backward = _backward
    return out


Tensor.exp = exp
Tensor.log = log
