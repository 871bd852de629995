"""Autograd from scratch: build reverse-mode automatic differentiation yourself.

The public API that the lessons use. Layers: ``engine`` (and ``tensor``) at the bottom;
``gradcheck``, ``draw``, ``nn`` and ``layers`` above them; the widgets (``animate``) above
those; the course machinery (``autograd.course``: checkers, reference solutions, the
learner's store) on top.
"""

from . import functional
from .animate import BackwardAnimation, animate_backward
from .checkpoint import checkpoint
from .draw import GraphView, draw_dot
from .engine import Value, backward_order, topological_order
from .forward import Dual, derivative, forward_gradient
from .gradcheck import GradcheckResult, gradcheck, numerical_grad
from .layers import SGD, Adam, Linear, ReLU, Sequential, Tanh
from .layers import Module as TensorModule
from .nn import MLP, Layer, Module, Neuron
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
    "Quiz",
    "QuizSet",
    "quiz",
    "Tensor",
    "no_grad",
    "checkpoint",
    "functional",
]

# The course machinery on top: every exercise's checker (check_*), start_lesson,
# prefer_yours, reset_progress, CheckReport.
from . import course as _course  # noqa: E402

globals().update({name: getattr(_course, name) for name in _course.__all__})
__all__ += [name for name in _course.__all__ if name not in __all__]
