"""The Tensor engine: construction, the node protocol, gradient bookkeeping, every op's
gradient against central differences on fixed examples, and the errors bad input gets.

(Randomised shapes and broadcasting are in test_tensor_properties.py.)
"""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest

from autograd.engine import backward_order
from autograd.tensor import Tensor, enable_grad, is_grad_enabled, no_grad
from autograd.tensor_gradcheck import gradcheck_tensor

RNG = np.random.default_rng(1234)


def randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def assert_gradcheck(f, *arrays: np.ndarray, **kw) -> None:
    result = gradcheck_tensor(f, list(arrays), **kw)
    assert result, repr(result)


# ---------------------------------------------------------------------------- construction
class TestConstruction:
    def test_float32_is_kept_and_not_copied(self):
        a = np.ones((2, 3), dtype=np.float32)
        t = Tensor(a)
        assert t.dtype == np.float32
        assert t.data is a

    def test_float64_kept(self):
        assert Tensor(np.zeros(3)).dtype == np.float64

    @pytest.mark.parametrize(
        "data", [[1, 2, 3], np.arange(3), [True, False], 5, 2.5, np.arange(3, dtype=np.uint8)]
    )
    def test_ints_lists_bools_and_numbers_become_float64(self, data):
        t = Tensor(data)
        assert t.dtype == np.float64
        np.testing.assert_array_equal(t.data, np.asarray(data, dtype=np.float64))

    def test_python_number_is_a_0d_array(self):
        t = Tensor(3.0)
        assert isinstance(t.data, np.ndarray) and t.shape == ()

    @pytest.mark.parametrize(
        ("data", "dtype_name"),
        [
            (np.array([1 + 2j]), "complex128"),
            (np.array(["a", "b"]), "<U1"),
            (np.array([object()], dtype=object), "object"),
            (["x", "y"], "<U1"),
        ],
    )
    def test_bad_dtypes_raise_type_error_naming_the_dtype(self, data, dtype_name):
        with pytest.raises(TypeError, match="dtype") as info:
            Tensor(data)
        assert dtype_name in str(info.value)

    def test_ragged_list_is_a_value_error(self):
        with pytest.raises(ValueError, match="rectangular"):
            Tensor([[1.0, 2.0], [3.0]])

    def test_label_must_be_str(self):
        with pytest.raises(TypeError, match="label must be a str, got int"):
            Tensor([1.0], label=3)

    def test_tensor_of_tensor_is_rejected(self):
        with pytest.raises(TypeError, match="detach"):
            Tensor(Tensor([1.0]))

    def test_leaf_protocol(self):
        t = Tensor([1.0, 2.0], requires_grad=True, label="w")
        assert t.grad is None and t.label == "w" and t.requires_grad
        assert t._prev == () and t._op == "" and t._backward is None

    def test_repr_is_deterministic_and_informative(self):
        small = Tensor([1.0, 2.0], requires_grad=True, label="w")
        assert repr(small) == "Tensor(label='w', data=[1., 2.], dtype=float64, requires_grad=True)"
        big = Tensor(np.zeros((3, 4), dtype=np.float32)) * 2
        assert repr(big) == "Tensor(shape=(3, 4), dtype=float32)"
        y = small * 2
        assert "op='*'" in repr(y) and "0x" not in repr(y)

    def test_item_detach_numpy(self):
        t = Tensor([[2.5]], requires_grad=True)
        assert t.item() == 2.5
        d = (t * 2).detach()
        assert not d.requires_grad and d._prev == () and d.item() == 5.0
        assert t.numpy() is t.data
        with pytest.raises(ValueError, match=r"one-element tensor, got shape \(2,\)"):
            Tensor([1.0, 2.0]).item()


# ---------------------------------------------------------------------------- node protocol
class TestNodeProtocol:
    def test_prev_is_a_tuple_in_argument_order_and_op_names(self):
        a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
        cases = {
            "+": a + b,
            "-": a - b,
            "*": a * b,
            "/": a / b,
            "@": a @ b,
        }
        for op, out in cases.items():
            assert out._op == op
            assert out._prev == (a, b) and isinstance(out._prev, tuple)
        assert (b - a)._prev == (b, a)
        assert (a**2)._op == "**2" and (a**2)._ctx == 2.0
        assert (a**-1)._op == "**-1" and (a**0.5)._op == "**0.5"
        for name in ("relu", "tanh", "exp", "log", "sigmoid", "log_softmax"):
            out = getattr(a, name)()
            assert out._op == name and out._prev == (a,)
        assert (-a)._op == "neg"
        assert a.sum()._op == "sum" and a.mean()._op == "mean" and a.max()._op == "max"
        assert a.reshape(1, 1)._op == "reshape" and a.T._op == "T"

    def test_number_operand_becomes_a_constant_input(self):
        a = Tensor([1.0], requires_grad=True)
        out = 2.0 * a
        c, x = out._prev
        assert x is a and not c.requires_grad and c.item() == 2.0

    def test_rules_do_not_capture_their_output(self):
        a = Tensor(randn(3), requires_grad=True)
        out = (a * 2 + 1).tanh().sum()
        for node in backward_order(out):
            if node._backward is not None:
                assert getattr(node._backward, "__closure__", None) is None

    def test_no_reference_cycles(self):
        gc.collect()
        gc.disable()
        try:
            a = Tensor(randn(4, 3), requires_grad=True)
            w = Tensor(randn(3, 2), requires_grad=True)
            loss = ((a @ w).relu() * 3 - 1).exp().mean()
            loss.backward()
            del a, w, loss
            assert gc.collect() == 0  # everything was freed by reference counting alone
        finally:
            gc.enable()

    def test_tensors_are_hashable_by_identity(self):
        a, b = Tensor([1.0]), Tensor([1.0])
        assert len({a, b}) == 2 and a != b and a == a

    def test_deep_chain_has_no_recursion_limit(self):
        x = Tensor([0.5], requires_grad=True)
        y = x
        for _ in range(5000):
            y = y * 1.0
        y.sum().backward()
        np.testing.assert_array_equal(x.grad, [1.0])


# ---------------------------------------------------------------------------- backward
class TestBackward:
    def test_grad_none_before_then_same_shape_and_dtype(self):
        w = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
        assert w.grad is None
        (w * w).sum().backward()
        assert w.grad.shape == (2, 3) and w.grad.dtype == np.float32

    def test_non_scalar_backward_needs_a_gradient(self):
        w = Tensor(np.ones((2, 3)), requires_grad=True)
        with pytest.raises(ValueError, match=r"one-element tensor.*\(2, 3\)"):
            (w * 2).backward()

    def test_backward_with_gradient_is_a_vector_jacobian_product(self):
        x = Tensor(randn(2, 3), requires_grad=True)
        v = randn(2, 3)
        (x * x).backward(v)
        np.testing.assert_allclose(x.grad, 2 * x.data * v)

    def test_gradient_of_wrong_shape(self):
        x = Tensor(randn(2, 3), requires_grad=True)
        with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
            (x * 2).backward(np.ones((3, 2)))

    def test_backward_without_requires_grad(self):
        with pytest.raises(RuntimeError, match="does not require grad"):
            (Tensor([1.0]) * 2).sum().backward()

    def test_leaf_gradients_accumulate_intermediates_do_not(self):
        x = Tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        y = (h * h).sum()  # dy/dh = 2h, dy/dx = 18x
        y.backward()
        np.testing.assert_allclose(x.grad, [18.0, 36.0])
        np.testing.assert_allclose(h.grad, [6.0, 12.0])
        y.backward()
        np.testing.assert_allclose(x.grad, [36.0, 72.0])  # leaves accumulate
        np.testing.assert_allclose(h.grad, [6.0, 12.0])  # scratch: recomputed

    def test_reuse_x_times_x(self):
        x = Tensor([3.0, -2.0], requires_grad=True)
        (x * x).sum().backward()
        np.testing.assert_allclose(x.grad, [6.0, -4.0])

    def test_x_plus_x(self):
        x = Tensor([3.0, -2.0], requires_grad=True)
        (x + x).sum().backward()
        np.testing.assert_allclose(x.grad, [2.0, 2.0])

    def test_diamond(self):
        x = Tensor([0.5, 2.0], requires_grad=True)
        a, b = x * 2, x + 1
        (a * b).sum().backward()  # d/dx 2x(x+1) = 4x + 2
        np.testing.assert_allclose(x.grad, 4 * x.data + 2)

    def test_0d_leaf_used_several_times(self):
        # numpy turns 0-d arithmetic into scalars; accumulation must still add up
        a = Tensor(0.0, requires_grad=True)
        b = Tensor(1.0, requires_grad=True)
        ((a * b + a) * (a - b) + a * a).backward()  # d/da = (b+1)(a-b) + (ab+a) + 2a
        assert a.grad == -2.0 and isinstance(a.grad, np.ndarray)

    def test_leaves_never_share_a_gradient_array(self):
        x = Tensor([1.0, 2.0], requires_grad=True)
        y = Tensor([3.0, 4.0], requires_grad=True)
        (x + y).sum().backward()
        assert not np.shares_memory(x.grad, y.grad)
        x.grad *= 10  # changing one leaf's gradient in place leaves the other alone
        np.testing.assert_array_equal(y.grad, [1.0, 1.0])
        (x + y).sum().backward()
        np.testing.assert_array_equal(y.grad, [2.0, 2.0])
        np.testing.assert_array_equal(x.grad, [11.0, 11.0])

    def test_leaf_gradient_is_writable_and_owned(self):
        x = Tensor(randn(3, 1), requires_grad=True)
        x.sum().backward()  # the sum rule sends a broadcast view
        assert x.grad.flags.writeable and x.grad.flags.owndata

    def test_constants_get_no_gradient(self):
        x, c = Tensor([1.0], requires_grad=True), Tensor([2.0])
        (x * c).sum().backward()
        assert c.grad is None and x.grad is not None

    def test_root_leaf(self):
        x = Tensor(2.0, requires_grad=True)
        x.backward()
        x.backward()
        assert x.grad == 2.0

    def test_float32_leaf_in_float64_expression_gets_float32_grad(self):
        w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
        x = Tensor(np.arange(3.0))  # float64
        y = (w * x).sum()
        assert y.dtype == np.float64
        y.backward()
        assert w.grad.dtype == np.float32
        np.testing.assert_array_equal(w.grad, [0.0, 1.0, 2.0])


# ---------------------------------------------------------------------------- requires_grad
class TestGradMode:
    def test_requires_grad_propagates(self):
        a, b = Tensor([1.0]), Tensor([2.0], requires_grad=True)
        assert not (a * 2).requires_grad
        assert (a * b).requires_grad and (b * a).requires_grad

    def test_nothing_recorded_without_requires_grad(self):
        out = (Tensor([1.0]) + Tensor([2.0])).exp()
        assert out._prev == () and out._op == "" and out._backward is None

    def test_no_grad_records_nothing_and_restores(self):
        w = Tensor([1.0, 2.0], requires_grad=True)
        assert is_grad_enabled()
        with no_grad():
            assert not is_grad_enabled()
            y = (w * 3).sum()
            with no_grad():
                pass
            assert not is_grad_enabled()
            with enable_grad():
                z = w * 2
            assert not is_grad_enabled()
        assert is_grad_enabled()
        assert not y.requires_grad and y._prev == ()
        assert z.requires_grad and z._prev[0] is w

    def test_no_grad_restores_after_an_exception(self):
        with pytest.raises(ZeroDivisionError), no_grad():
            Tensor([1.0]) / 0
        assert is_grad_enabled()

    def test_no_grad_as_decorator(self):
        @no_grad()
        def f(t: Tensor) -> Tensor:
            return t * 2

        assert not f(Tensor([1.0], requires_grad=True)).requires_grad
        assert is_grad_enabled()


# ---------------------------------------------------------------------------- float32
class TestFloat32:
    def test_ops_with_python_numbers_stay_float32(self):
        x = Tensor(np.array([[0.5, 1.5], [2.0, 3.0]], dtype=np.float32), requires_grad=True)
        outs = [
            x + 1,
            1 - x,
            x * 0.5,
            2.0 / x,
            x / 3,
            x**2,
            x**0.5,
            -x,
            x.exp(),
            x.log(),
            x.tanh(),
            x.relu(),
            x.sigmoid(),
            x.log_softmax(),
            x @ x,
            x.sum(axis=0),
            x.mean(),
            x.max(axis=1),
            x.reshape(4),
            x.T,
        ]
        for out in outs:
            assert out.dtype == np.float32, out._op
        loss = outs[0].sum()
        for out in outs[1:]:
            loss = loss + out.sum()
        assert loss.dtype == np.float32
        loss.backward()
        assert x.grad.dtype == np.float32


# ---------------------------------------------------------------------------- each op
UNARY = {
    "neg": (lambda t: -t, randn(3, 2)),
    "relu": (lambda t: t.relu(), np.array([[-1.5, 0.3], [2.0, -0.1]])),
    "tanh": (lambda t: t.tanh(), randn(3, 2)),
    "exp": (lambda t: t.exp(), randn(3, 2)),
    "log": (lambda t: t.log(), RNG.uniform(0.2, 3.0, (3, 2))),
    "sigmoid": (lambda t: t.sigmoid(), 4 * randn(3, 2)),
    "pow2": (lambda t: t**2, randn(3, 2)),
    "pow3": (lambda t: t**3, randn(3, 2)),
    "pow-1": (lambda t: t**-1, RNG.uniform(0.5, 2.0, (3, 2))),
    "pow0.5": (lambda t: t**0.5, RNG.uniform(0.5, 2.0, (3, 2))),
    "sum": (lambda t: t.sum(), randn(3, 2)),
    "sum0": (lambda t: t.sum(axis=0), randn(3, 2)),
    "sum-1k": (lambda t: t.sum(axis=-1, keepdims=True), randn(3, 2)),
    "sum01": (lambda t: t.sum(axis=(0, 2)), randn(2, 3, 2)),
    "mean": (lambda t: t.mean(), randn(3, 2)),
    "mean1": (lambda t: t.mean(axis=1), randn(3, 2)),
    "max": (lambda t: t.max(), randn(3, 2)),
    "max0k": (lambda t: t.max(axis=0, keepdims=True), randn(3, 2)),
    "reshape": (lambda t: t.reshape(2, 3), randn(3, 2)),
    "reshape_tuple": (lambda t: t.reshape((6,)), randn(3, 2)),
    "T": (lambda t: t.T, randn(3, 2)),
    "T3d": (lambda t: t.T, randn(2, 3, 4)),
    "log_softmax": (lambda t: t.log_softmax(), randn(3, 4)),
    "log_softmax0": (lambda t: t.log_softmax(axis=0), randn(3, 4)),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_op_gradients(name):
    f, x = UNARY[name]
    assert_gradcheck(f, x)


def test_unary_forward_values():
    x = np.array([[-1.5, 0.3], [2.0, -0.1]])
    t = Tensor(x)
    np.testing.assert_allclose(t.relu().data, np.maximum(x, 0))
    np.testing.assert_allclose(t.tanh().data, np.tanh(x))
    np.testing.assert_allclose(t.exp().data, np.exp(x))
    np.testing.assert_allclose(t.sigmoid().data, 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose((t**3).data, x**3)
    np.testing.assert_allclose(t.max(axis=1).data, [0.3, 2.0])
    expected = x - np.log(np.exp(x).sum(axis=-1, keepdims=True))
    np.testing.assert_allclose(t.log_softmax().data, expected)


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("op", list(BINARY))
@pytest.mark.parametrize(
    ("sa", "sb"),
    [((3, 2), (3, 2)), ((3, 2), (2,)), ((3, 1), (1, 4)), ((), (2, 3)), ((2, 1, 3), (4, 1))],
)
def test_binary_op_gradients_with_broadcasting(op, sa, sb):
    a = randn(*sa)
    b = RNG.uniform(0.5, 2.0, sb) * RNG.choice([-1, 1], sb)  # no divisor near zero
    assert_gradcheck(BINARY[op], a, b)


@pytest.mark.parametrize(
    "f",
    [
        lambda a: 2.5 + a,
        lambda a: a + 2.5,
        lambda a: 2.5 - a,
        lambda a: a - 2.5,
        lambda a: 2.5 * a,
        lambda a: 2.5 / a,
        lambda a: a / 2.5,
        lambda a: np.array([1.0, 2.0]) * a,
        lambda a: np.array([1.0, 2.0]) - a,
        lambda a: np.array([[1.0, 2.0]]) @ a,
    ],
)
def test_reflected_forms_and_array_operands(f):
    x = RNG.uniform(0.5, 2.0, (2, 2))
    out = f(Tensor(x))
    assert isinstance(out, Tensor)
    assert_gradcheck(f, x)


def test_unbroadcast_sums_the_bias_gradient_by_hand():
    x = Tensor(randn(5, 3))
    b = Tensor(randn(3), requires_grad=True)
    v = randn(5, 3)
    (x + b).backward(v)
    np.testing.assert_allclose(b.grad, v.sum(axis=0))


@pytest.mark.parametrize(
    ("sa", "sb"),
    [
        ((3, 4), (4, 2)),
        ((4,), (4, 2)),
        ((3, 4), (4,)),
        ((4,), (4,)),
        ((2, 3, 4), (4, 5)),
        ((3, 4), (2, 4, 5)),
        ((2, 1, 3, 4), (5, 4, 2)),
    ],
)
def test_matmul_gradients(sa, sb):
    assert_gradcheck(lambda a, b: a @ b, randn(*sa), randn(*sb))


def test_matmul_gradient_formula_by_hand():
    A, B, G = randn(3, 4), randn(4, 2), randn(3, 2)
    a, b = Tensor(A, requires_grad=True), Tensor(B, requires_grad=True)
    (a @ b).backward(G)
    np.testing.assert_allclose(a.grad, G @ B.T)
    np.testing.assert_allclose(b.grad, A.T @ G)


def test_max_ties_split_evenly():
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad, [0.0, 0.5, 0.5])
    y = Tensor([[2.0, 2.0], [1.0, 5.0]], requires_grad=True)
    y.max(axis=1).sum().backward()
    np.testing.assert_allclose(y.grad, [[0.5, 0.5], [0.0, 1.0]])


def test_sigmoid_and_log_softmax_are_stable_for_huge_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings either
        s = Tensor([-1000.0, 0.0, 1000.0]).sigmoid().data
        ls = Tensor([[1000.0, 0.0], [-1000.0, -1000.0]]).log_softmax().data
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(ls, [[0.0, -1000.0], [np.log(0.5), np.log(0.5)]])


def test_composite_expression():
    def f(x, w, b):
        h = (x @ w + b).tanh()
        return (h * h).mean(axis=0).sum() / 2 + (w**2).sum() * 0.1

    assert_gradcheck(f, randn(4, 3), randn(3, 2), randn(2))


# ---------------------------------------------------------------------------- errors
class TestErrors:
    def test_matmul_shape_mismatch(self):
        a, b = Tensor(np.ones((3, 4))), Tensor(np.ones((5, 2)))
        with pytest.raises(ValueError) as info:
            a @ b
        assert str(info.value) == (
            "matmul shape mismatch: (3, 4) @ (5, 2): inner dimensions 4 and 5 differ"
        )

    def test_matmul_batch_mismatch(self):
        with pytest.raises(ValueError, match=r"\(2, 3, 4\) @ \(5, 4, 2\).*batch dimensions"):
            Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((5, 4, 2)))

    def test_matmul_of_a_0d_tensor(self):
        with pytest.raises(ValueError, match=r"at least 1 dimension: \(\) @ \(2,\)"):
            Tensor(1.0) @ Tensor([1.0, 2.0])

    @pytest.mark.parametrize("op", list(BINARY))
    def test_broadcast_error_names_both_shapes(self, op):
        a, b = Tensor(np.ones((3, 4))), Tensor(np.ones(5) + 1)
        with pytest.raises(ValueError, match=r"\(3, 4\) and \(5,\) cannot be broadcast"):
            BINARY[op](a, b)

    def test_log_of_non_positive(self):
        with pytest.raises(ValueError, match=r"shape \(3,\) has 2 element\(s\) <= 0"):
            Tensor([1.0, 0.0, -2.0]).log()

    def test_division_by_zero(self):
        with pytest.raises(ZeroDivisionError, match=r"shape \(2, 2\).*1 zero.*\(1, 0\)"):
            Tensor(np.ones((2, 2))) / Tensor([[1.0, 2.0], [0.0, 3.0]])
        with pytest.raises(ZeroDivisionError):
            Tensor([1.0]) / 0
        with pytest.raises(ZeroDivisionError):
            1.0 / Tensor([0.0, 1.0])

    def test_pow_domain(self):
        with pytest.raises(ValueError, match="negative base to a non-integer power"):
            Tensor([4.0, -1.0]) ** 0.5
        with pytest.raises(ZeroDivisionError, match="zero to a negative power"):
            Tensor([0.0, 1.0]) ** -1
        np.testing.assert_allclose((Tensor([-2.0]) ** 3).data, [-8.0])  # integer: fine

    def test_pow_needs_a_number_exponent(self):
        with pytest.raises(TypeError, match="plain number as the exponent, got Tensor"):
            Tensor([1.0]) ** Tensor([2.0])
        with pytest.raises(TypeError, match="unsupported operand"):
            2.0 ** Tensor([2.0])

    def test_exp_overflow(self):
        with pytest.raises(OverflowError, match="float32"):
            Tensor(np.array([1.0, 100.0], dtype=np.float32)).exp()
        assert np.isfinite(Tensor(np.array([80.0], dtype=np.float32)).exp().data).all()

    def test_reshape_error(self):
        with pytest.raises(ValueError, match=r"shape \(3, 4\) \(12 elements\) into shape \(5,\)"):
            Tensor(np.ones((3, 4))).reshape(5)

    @pytest.mark.parametrize("method", ["sum", "mean", "max"])
    def test_reduction_axis_out_of_range(self, method):
        with pytest.raises(ValueError, match=r"axis 2 is out of range.*\(3, 4\)"):
            getattr(Tensor(np.ones((3, 4))), method)(axis=2)

    def test_axis_type(self):
        with pytest.raises(
            TypeError, match=r"sum: axis must be an int or a tuple of ints, got 1.5"
        ):
            Tensor(np.ones((2, 2))).sum(axis=1.5)
        with pytest.raises(TypeError, match=r"log_softmax: axis must be one int, got \(0, 1\)"):
            Tensor(np.ones((2, 2))).log_softmax(axis=(0, 1))

    def test_unsupported_operand(self):
        with pytest.raises(TypeError, match=r"Tensor and str \('a'\)"):
            Tensor([1.0]) + "a"
        with pytest.raises(TypeError, match="NoneType"):
            Tensor([1.0]) * None


# ---------------------------------------------------------------------------- gradcheck itself
class TestGradcheckTensor:
    def test_catches_a_wrong_rule_elementwise(self, monkeypatch):
        def wrong(out: Tensor) -> None:  # forgets the square: 1 - t instead of 1 - t²
            x = out._prev[0]
            x.grad = out.grad * (1 - out.data)

        monkeypatch.setattr(Tensor, "_tanh_backward", staticmethod(wrong))
        result = gradcheck_tensor(lambda t: t.tanh(), [randn(2, 3)])
        assert not result
        assert "MISMATCH" in repr(result) and "elementwise" in repr(result)

    def test_catches_a_wrong_rule_along_directions(self, monkeypatch):
        def wrong(out: Tensor) -> None:
            x = out._prev[0]
            x.grad = out.grad * (1 - out.data)

        monkeypatch.setattr(Tensor, "_tanh_backward", staticmethod(wrong))
        result = gradcheck_tensor(lambda t: t.tanh(), [randn(20, 10)], max_exact=64)
        assert not result
        assert "random directions" in repr(result)

    def test_passes_big_inputs_along_directions(self):
        result = gradcheck_tensor(lambda a, b: (a @ b).tanh(), [randn(20, 10), randn(10, 3)])
        assert result
        assert result.inputs[0].method == "8 random directions"
        assert result.inputs[1].method == "elementwise"

    def test_unused_input_has_zero_gradient(self):
        assert gradcheck_tensor(lambda a, b: a * 2, [randn(2), randn(2)])

    def test_repr(self):
        text = repr(gradcheck_tensor(lambda a: a * a, [np.array([1.0, 2.0])]))
        assert text.startswith("gradcheck_tensor: ok\n  input 0 shape (2,): elementwise")
        assert "0x" not in text

    def test_f_must_return_a_tensor(self):
        with pytest.raises(TypeError, match="must return a Tensor, got float"):
            gradcheck_tensor(lambda a: 1.0, [np.ones(2)])

    def test_inputs_must_be_real(self):
        with pytest.raises(TypeError, match="complex"):
            gradcheck_tensor(lambda a: a, [np.ones(2, dtype=complex)])
