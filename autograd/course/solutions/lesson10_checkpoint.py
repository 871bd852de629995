def checkpoint(fn, x):
    """fn(x) as one node that keeps none of fn's activations: backward computes them again."""
    y = fn(Tensor(x.data))  # 1. the forward, from a fresh leaf: fn's graph ends there
    out = Tensor(y.data, (x,), "checkpoint")  # keeps fn's result and x, nothing else
    free_graph(y)  # 2. fn's graph is freed now, not whenever the garbage collector runs

    def _backward():
        x_again = Tensor(x.data)  # 3. a fresh leaf with the same numbers ...
        y_again = fn(x_again)  # ... and fn again: this time we keep its graph
        y_again.backward(out.grad)  # 4. the weights inside fn get their gradients here
        x.grad += x_again.grad  # 5. x's share, added: x may be used elsewhere too
        free_graph(y_again)  # 6. and the replayed graph is freed at once

    out._backward = _backward
    return out
