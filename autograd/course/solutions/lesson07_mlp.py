class MLP:
    """Layers of sizes nouts, one after another; every layer but the last with relu."""

    def __init__(self, nin, nouts, rng=random):
        sizes = [nin] + list(nouts)  # layer i reads sizes[i] numbers and makes sizes[i + 1]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != last, rng=rng) for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)  # each layer's outputs are the next layer's inputs
        return x[0] if len(x) == 1 else x  # one output neuron: return the score itself

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0
