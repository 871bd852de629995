def log_softmax(self, axis=-1):
    shifted = self.data - self.data.max(axis=axis, keepdims=True)  # largest is 0: no overflow
    logp = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    out = Tensor(logp, (self,), "log_softmax")

    def _backward():
        p = np.exp(out.data)  # the softmax, from the saved output
        self.grad += out.grad - p * out.grad.sum(axis=axis, keepdims=True)  # g - p (sum of g)

    out._backward = _backward
    return out


Tensor.log_softmax = log_softmax
