def my_topological_order(root):
    order, seen = [], set()
    stack = [(root, False)]  # (node, are its inputs already in the order?)
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
    return order
