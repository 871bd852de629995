class Neuron:
    """One neuron: relu(w·x + b), or just w·x + b when nonlin=False."""

    def __init__(self, nin, nonlin=True, rng=random):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]  # one weight per input
        self.b = Value(0.0)  # the bias starts at 0
        self.nonlin = nonlin

    def __call__(self, x):
        act = self.b
        for wi, xi in zip(self.w, x, strict=True):  # strict: as many inputs as weights
            act = act + wi * xi  # b + w0·x0 + w1·x1 + ...: a graph of Values
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]
