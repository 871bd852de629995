def central_difference(f, x, h):
    # step h both ways, then divide by the distance between the two points, 2h
    return (f(x + h) - f(x - h)) / (2 * h)
