import math


def exp(self):
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad  # d exp(x)/dx = exp(x), which is out.data

    out._backward = _backward
    return out


def log(self):
    out = Value(math.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data  # d log(x)/dx = 1/x

    out._backward = _backward
    return out


def tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")

    def _backward():
        self.grad += (1 - out.data**2) * out.grad  # d tanh(x)/dx = 1 - tanh(x)²

    out._backward = _backward
    return out


def relu(self):
    out = Value(max(self.data, 0.0), (self,), "relu")

    def _backward():
        self.grad += (1.0 if self.data > 0 else 0.0) * out.grad  # slope 1 for x > 0, else 0

    out._backward = _backward
    return out


def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,), "sigmoid")

    def _backward():
        self.grad += out.data * (1 - out.data) * out.grad  # σ'(x) = σ(x)(1 - σ(x))

    out._backward = _backward
    return out


Value.exp = exp
Value.log = log
Value.tanh = tanh
Value.relu = relu
Value.sigmoid = sigmoid
