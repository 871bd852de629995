def relu(self):
    out = Tensor(np.maximum(self.data, 0.0), (self,), "relu")

    def _backward():
        self.grad += (self.data > 0) * out.grad  # passes where the input was positive

    out._backward = _backward
    return out


Tensor.relu = relu
