class SGD:
    """Gradient descent: every step moves each parameter a little against its gradient."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad  # downhill: against the gradient

    def zero_grad(self):
        for p in self.params:
            p.grad = np.zeros_like(p.data)  # leaves accumulate: start each step from 0
