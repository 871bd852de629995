def unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting stretched, so the result has `shape`."""
    extra = grad.ndim - len(shape)
    grad = np.sum(grad, axis=tuple(range(extra)))  # 1. the axes broadcasting added on the left
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return np.sum(grad, axis=stretched, keepdims=True)  # 2. the size-1 axes it stretched
