class Linear:
    """y = x @ W + b: every output is a weighted sum of all the inputs, plus a bias."""

    def __init__(self, n_in, n_out, rng):
        k = 1.0 / np.sqrt(n_in)  # keeps each output's size independent of n_in
        self.W = Tensor(rng.uniform(-k, k, (n_in, n_out)), label="W")  # (n_in, n_out)
        self.b = Tensor(rng.uniform(-k, k, n_out), label="b")  # (n_out,): one per output

    def __call__(self, x):
        return x @ self.W + self.b  # (N, n_in) @ (n_in, n_out) + (n_out,) -> (N, n_out)

    def parameters(self):
        return [self.W, self.b]
