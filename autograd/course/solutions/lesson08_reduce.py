def tensor_sum(self, axis=None, keepdims=False):
    out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

    def _backward():
        grad = out.grad
        if axis is not None and not keepdims:
            grad = np.expand_dims(grad, axis)  # put the summed axes back, with size 1
        self.grad += np.broadcast_to(grad, self.shape)  # every number counted once

    out._backward = _backward
    return out


def tensor_mean(self, axis=None, keepdims=False):
    out = Tensor(self.data.mean(axis=axis, keepdims=keepdims), (self,), "mean")
    n = self.data.size // out.data.size  # how many numbers each mean averages

    def _backward():
        grad = out.grad
        if axis is not None and not keepdims:
            grad = np.expand_dims(grad, axis)
        self.grad += np.broadcast_to(grad, self.shape) / n  # each counted 1/n times

    out._backward = _backward
    return out


Tensor.sum = tensor_sum  # (named tensor_sum so that Python's own sum() stays usable)
Tensor.mean = tensor_mean
