class Dual:
    """A dual number value + deriv·ε, where ε² = 0: a number and its rate of change."""

    def __init__(self, value, deriv=0.0):
        self.value = float(value)
        self.deriv = float(deriv)

    def __repr__(self):
        return f"Dual(value={self.value:.4g}, deriv={self.deriv:.4g})"

    @staticmethod
    def wrap(x):
        """A plain number c is the constant c + 0·ε."""
        return x if isinstance(x, Dual) else Dual(x, 0.0)

    def __add__(self, other):  # (a + a'ε) + (b + b'ε) = (a + b) + (a' + b')ε
        other = Dual.wrap(other)
        return Dual(self.value + other.value, self.deriv + other.deriv)

    def __sub__(self, other):
        other = Dual.wrap(other)
        return Dual(self.value - other.value, self.deriv - other.deriv)

    def __mul__(self, other):  # the product rule: (ab)' = a'b + ab'
        other = Dual.wrap(other)
        return Dual(self.value * other.value, self.deriv * other.value + self.value * other.deriv)

    def __truediv__(self, other):  # the quotient rule: (a/b)' = (a'b - ab') / b²
        other = Dual.wrap(other)
        a, b = self.value, other.value
        return Dual(a / b, (self.deriv * b - a * other.deriv) / b**2)

    def __pow__(self, n):  # n a plain number: (aⁿ)' = n·aⁿ⁻¹·a'
        return Dual(self.value**n, n * self.value ** (n - 1) * self.deriv)

    def exp(self):  # exp' = exp, times the inner derivative (chain rule)
        e = math.exp(self.value)
        return Dual(e, e * self.deriv)

    def tanh(self):  # tanh' = 1 - tanh²
        t = math.tanh(self.value)
        return Dual(t, (1 - t**2) * self.deriv)

    # a plain number on the left: 2 * x, 1 - x, 1 / x
    def __radd__(self, other):
        return Dual.wrap(other) + self

    def __rmul__(self, other):
        return Dual.wrap(other) * self

    def __rsub__(self, other):
        return Dual.wrap(other) - self

    def __rtruediv__(self, other):
        return Dual.wrap(other) / self
