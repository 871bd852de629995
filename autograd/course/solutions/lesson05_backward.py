def backward(self):
    # 1. a topological order: every node after all of its inputs, with our own stack
    order, seen = [], set()
    stack = [(self, False)]  # (node, are its inputs already in the order?)
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # every input was appended before we got back here
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))  # come back to it once its inputs are done
            for inp in node._prev:
                if inp not in seen:
                    stack.append((inp, False))
    # 2. intermediate grads are scratch space: reset them (leaves keep theirs: they accumulate)
    for node in order:
        if node._prev:
            node.grad = 0.0
    self.grad = 1.0  # the seed: d self / d self = 1
    # 3. each rule once, outputs first: a node's grad is complete when its rule runs
    for node in reversed(order):
        if node._backward is not None:  # a leaf has no rule
            node._backward()


Value.backward = backward
