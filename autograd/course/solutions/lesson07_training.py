def train_step(model, loss_fn, X, y, learning_rate):
    """One step of gradient descent on the points X, y; returns the loss before the step."""
    loss = loss_fn(model, X, y)  # 1. forward: one number for the whole batch
    model.zero_grad()  # 2. forget the gradients of the last step
    loss.backward()  # 3. backward: every parameter's grad
    for p in model.parameters():  # 4. update: a small step downhill
        p.data -= learning_rate * p.grad
    return loss.data
