"""Autograd from scratch: build reverse-mode automatic differentiation yourself.

The public API that the lessons use. Layers: ``engine`` at the bottom; ``gradcheck``,
``draw`` and ``nn`` above it; the widgets (``animate``) on top.
"""

from . import functional
from .animate import BackwardAnimation, animate_backward
from .checkpoint import checkpoint
from .course import CheckReport, check_add_mul, check_more_ops, check_pow
from .draw import GraphView, draw_dot
from .engine import Value, backward_order, topological_order
from .forward import Dual, derivative, forward_gradient
from .gradcheck import GradcheckResult, gradcheck, numerical_grad
from .nn import (
    MLP,
    SGD,
    Adam,
    Layer,
    Linear,
    Module,
    Neuron,
    ReLU,
    Sequential,
    Tanh,
    TensorModule,
)
from .quiz import Quiz, QuizSet, quiz
from .tensor import Tensor, no_grad
from .tensor_gradcheck import gradcheck_tensor

__all__ = [
    "Value",
    "topological_order",
    "backward_order",
    "draw_dot",
    "GraphView",
    "animate_backward",
    "BackwardAnimation",
    "gradcheck",
    "numerical_grad",
    "GradcheckResult",
    "Dual",
    "derivative",
    "forward_gradient",
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "TensorModule",
    "Linear",
    "ReLU",
    "Tanh",
    "Sequential",
    "SGD",
    "Adam",
    "gradcheck_tensor",
    "check_add_mul",
    "check_pow",
    "check_more_ops",
    "CheckReport",
    "Quiz",
    "QuizSet",
    "quiz",
    "Tensor",
    "no_grad",
    "checkpoint",
    "functional",
]
