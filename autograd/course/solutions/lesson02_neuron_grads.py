def neuron_grads(x1, w1, x2, w2, b):
    # forward, one small step at a time (as in the graph above)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = math.tanh(n)
    # backward, from the output to the inputs: grad = (grad arriving) × (local derivative)
    o_grad = 1.0  # do/do
    n_grad = (1 - o**2) * o_grad  # o = tanh(n): tanh'(n) = 1 - tanh(n)² = 1 - o²
    b_grad = n_grad  # n = s + b: + passes the gradient on unchanged...
    s_grad = n_grad  # ...to both of its inputs
    x1w1_grad = s_grad  # s = x1w1 + x2w2: the same again
    x2w2_grad = s_grad
    x1_grad = w1 * x1w1_grad  # x1w1 = x1 * w1: each factor gets the OTHER one
    w1_grad = x1 * x1w1_grad
    x2_grad = w2 * x2w2_grad  # x2w2 = x2 * w2
    w2_grad = x2 * x2w2_grad
    return {"n": n_grad, "b": b_grad, "s": s_grad, "x1w1": x1w1_grad, "x2w2": x2w2_grad,
            "x1": x1_grad, "w1": w1_grad, "x2": x2_grad, "w2": w2_grad}  # fmt: skip
