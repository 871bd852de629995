def __neg__(self):  # -a = a * (-1)
    return self * -1


def __sub__(self, other):  # a - b = a + (-b)
    return self + (-other)


def __rsub__(self, other):  # 5 - a = 5 + (-a)
    return other + (-self)


def __truediv__(self, other):  # a / b = a * b**-1
    return self * other**-1


def __rtruediv__(self, other):  # 2 / a = 2 * a**-1
    return other * self**-1


Value.__neg__ = __neg__
Value.__sub__ = __sub__
Value.__rsub__ = __rsub__
Value.__truediv__ = __truediv__
Value.__rtruediv__ = __rtruediv__
