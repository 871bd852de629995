def add_backward(a, b, out_grad):
    # out = a + b: ∂out/∂a = 1, ∂out/∂b = 1, so + copies out_grad to both ("distributes")
    return out_grad, out_grad


def mul_backward(a, b, out_grad):
    # out = a * b: ∂out/∂a = b, ∂out/∂b = a, so each input gets the OTHER one ("swaps")
    return b * out_grad, a * out_grad


def max_backward(a, b, out_grad):
    # out = max(a, b): slope 1 for the input that won, 0 for the other ("routes")
    if a > b:
        return out_grad, 0.0
    return 0.0, out_grad
