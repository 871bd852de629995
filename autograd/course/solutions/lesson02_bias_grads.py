def grads_by_hand(w, x, b, y):
    # steps: p = w*x,  s = p + b,  d = s - y,  L = d**2
    # dL/dd = 2d;  ds/dp = 1, ds/db = 1;  dd/ds = 1;  dp/dw = x
    d = w * x + b - y
    dL_dw = 2 * d * x  # 2d · 1 · 1 · x
    dL_db = 2 * d  # 2d · 1 · 1: a bias just passes the gradient through
    return dL_dw, dL_db
