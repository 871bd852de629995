class FreeValue(Value):
    """Your Value, with rules of the form `_backward(out)`: no closure, so no cycle."""

    def __add__(self, other):
        other = other if isinstance(other, FreeValue) else FreeValue(other)
        out = FreeValue(self.data + other.data, (self, other), "+")
        out._backward = FreeValue._add_backward  # a plain function: it holds no node
        return out

    @staticmethod
    def _add_backward(out):
        a, b = out._prev  # the inputs, read from the node the rule is given
        a.grad += out.grad
        b.grad += out.grad

    def __mul__(self, other):
        other = other if isinstance(other, FreeValue) else FreeValue(other)
        out = FreeValue(self.data * other.data, (self, other), "*")
        out._backward = FreeValue._mul_backward
        return out

    @staticmethod
    def _mul_backward(out):
        a, b = out._prev
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    def backward(self):
        # your backward() from above, with one change at the end
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                for inp in node._prev:
                    if inp not in seen:
                        stack.append((inp, False))
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward(node)  # the change: give the rule its node
