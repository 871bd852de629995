class Layer:
    """nout neurons side by side, each reading the same nin inputs."""

    def __init__(self, nin, nout, nonlin=True, rng=random):
        self.neurons = [Neuron(nin, nonlin=nonlin, rng=rng) for _ in range(nout)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]  # one output per neuron

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]  # neuron by neuron

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0
