class Value:
    """A number that remembers how it was computed."""

    def __init__(self, data, _prev=(), _op="", label=""):
        self.data = float(data)  # the number itself
        self.grad = 0.0  # d(output)/d(this value): filled in by backward()
        self._prev = tuple(_prev)  # the Values this one was computed from, in order
        self._op = _op  # the operation that made it: "+", "*"; "" for an input
        self._backward = None  # its backward rule (set by the operation); inputs have none
        self.label = label  # an optional name, shown in pictures

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def backward(self):
        """Fill in .grad of every value that this one depends on."""
        # 1. List every value in the graph, each one AFTER all of its inputs
        #    (a "topological order"), by visiting the inputs first.
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for inp in node._prev:
                    visit(inp)
                order.append(node)  # all of node's inputs are already in the list

        visit(self)
        # 2. Reset the values computed along the way (they hold only this pass's
        #    gradients), and seed the output: d(self)/d(self) = 1. The inputs (leaves)
        #    are NOT reset: a second backward() adds to their grads.
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        # 3. Run each backward rule, from the output back to the inputs. A node comes
        #    after everything that uses it, so its grad is complete when its rule runs.
        for node in reversed(order):
            if node._backward is not None:
                node._backward()

    # With a plain number on the left, `2 * a` asks a.__rmul__(2): reuse * (and +).
    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other
