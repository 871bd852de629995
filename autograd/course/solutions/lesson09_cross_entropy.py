def cross_entropy(logits, targets):
    """The mean over the batch of -log softmax(logits)[true class], as one node."""
    n, c = logits.shape
    targets = np.asarray(targets)
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)  # each row's max is 0
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log softmax, per row
    out = Tensor(-logp[np.arange(n), targets].mean(), (logits,), "cross_entropy")

    def _backward():
        p = np.exp(logp)  # softmax
        onehot = np.eye(c)[targets]  # a 1 at each row's true class
        logits.grad += out.grad * (p - onehot) / n  # the derivation above, times out.grad

    out._backward = _backward
    return out
