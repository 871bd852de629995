def dg(x):
    # power rule on each term: x⁴ → 4x³,  3x² → 6x,  x⁻¹ → -x⁻²
    return 4 * x**3 - 6 * x - 1 / x**2
