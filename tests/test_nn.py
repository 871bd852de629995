"""The scalar neural-network classes: shapes, gradients, determinism, training."""

from __future__ import annotations

import doctest
import random
import sys

import pytest

from autograd import MLP, Layer, Module, Neuron, Value, gradcheck


def test_parameter_counts():
    assert len(Neuron(3).parameters()) == 4
    assert len(Layer(3, 5).parameters()) == 5 * 4
    # (nin + 1) * nout per layer
    assert len(MLP(3, [4, 4, 1]).parameters()) == 4 * 4 + 5 * 4 + 5 * 1
    assert len(MLP(2, [1]).parameters()) == 3
    assert Module().parameters() == []


def test_weights_in_range_bias_zero_and_labels():
    n = Neuron(50, rng=random.Random(0))
    assert all(-1.0 <= w.data <= 1.0 for w in n.w) and len({w.data for w in n.w}) == 50
    assert n.b.data == 0.0
    assert [p.label for p in n.parameters()][:3] == ["w0", "w1", "w2"]
    assert n.parameters()[-1].label == "b"
    assert all(isinstance(p, Value) for p in MLP(2, [3, 1]).parameters())


def test_reprs_like_micrograd():
    model = MLP(2, [3, 1], rng=random.Random(0))
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
        "Layer of [LinearNeuron(3)]]"
    )
    assert repr(Neuron(4, nonlin=False)) == "LinearNeuron(4)"
    assert repr(Layer(1, 2)) == "Layer of [ReLUNeuron(1), ReLUNeuron(1)]"


def test_forward_by_hand():
    n = Neuron(2, nonlin=False, rng=random.Random(1))
    w0, w1 = (w.data for w in n.w)
    n.b.data = 0.25
    assert n([2.0, -1.0]).data == pytest.approx(0.25 + 2.0 * w0 - w1)
    relu = Neuron(2, rng=random.Random(1))
    relu.b.data = -10.0
    assert relu([1.0, 1.0]).data == 0.0


def test_outputs_shape():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)  # one neuron: a Value, like micrograd
    out = Layer(2, 3)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    assert len(MLP(2, [3, 2])([1.0, 2.0])) == 2
    assert isinstance(MLP(2, [1, 3, 1])([1.0, 2.0]), Value)  # a 1-wide hidden layer works


def test_accepts_numbers_values_and_tuples():
    model = MLP(2, [3, 1], rng=random.Random(3))
    a = model([0.5, -1]).data
    assert model((0.5, -1)).data == a
    assert model([Value(0.5), Value(-1.0)]).data == a


def test_wrong_input_length_names_expected_and_got():
    with pytest.raises(ValueError, match="MLP expected 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected 3 inputs, got 1"):
        Neuron(3)([1.0])
    with pytest.raises(ValueError, match="Layer expected 2 inputs, got 0"):
        Layer(2, 2)([])
    with pytest.raises(TypeError, match="list"):
        Neuron(1)(2.0)


def test_bad_construction():
    with pytest.raises(ValueError, match="at least 1"):
        Neuron(0)
    with pytest.raises(TypeError, match="int"):
        Layer(2.5, 3)
    with pytest.raises(TypeError, match="nouts"):
        MLP(2, 3)
    with pytest.raises(TypeError, match="nouts"):
        MLP(2, [])
    with pytest.raises(TypeError, match="random.Random"):
        MLP(2, [3], rng=42)


def test_zero_grad():
    model = MLP(2, [3, 1], rng=random.Random(0))
    for p in model.parameters():
        p.grad = 1.5
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_gradients_accumulate_without_zero_grad():
    model = MLP(2, [3, 1], rng=random.Random(4))
    model([0.3, -0.8]).backward()
    first = [p.grad for p in model.parameters()]
    model([0.3, -0.8]).backward()
    assert [p.grad for p in model.parameters()] == pytest.approx([2 * g for g in first])


def _loss_of_params(model: MLP, data, targets):
    """A function of all parameters (as Values) giving the squared-error loss of `model`."""
    shapes = [(len(n.w), n) for layer in model.layers for n in layer.neurons]

    def f(*params):
        it = iter(params)
        for k, neuron in shapes:  # load the given Values into the model
            neuron.w = [next(it) for _ in range(k)]
            neuron.b = next(it)
        loss = Value(0.0)
        for x, y in zip(data, targets, strict=True):
            loss = loss + (model(x) - y) ** 2
        return loss

    return f


def test_mlp_loss_gradient_matches_central_differences():
    model = MLP(2, [3, 3, 1], rng=random.Random(11))
    data = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8]]
    targets = [1.0, -1.0, 0.5]
    xs = [p.data for p in model.parameters()]
    result = gradcheck(_loss_of_params(model, data, targets), xs)
    assert result, repr(result)
    assert len(result.rows) == 3 * 3 + 3 * 4 + 1 * 4
    assert any(abs(r.numeric) > 1e-3 for r in result.rows)  # not a trivially zero gradient


def test_mlp_input_gradient_matches_central_differences():
    model = MLP(3, [4, 1], rng=random.Random(2))
    assert gradcheck(lambda a, b, c: model([a, b, c]).tanh(), [0.3, -0.6, 1.1])


def test_seeded_rng_is_deterministic_and_independent():
    a = MLP(3, [4, 1], rng=random.Random(7))
    b = MLP(3, [4, 1], rng=random.Random(7))
    c = MLP(3, [4, 1], rng=random.Random(8))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]


def test_default_rng_is_the_random_module():
    random.seed(123)
    a = [p.data for p in MLP(2, [2, 1]).parameters()]
    random.seed(123)
    assert [p.data for p in MLP(2, [2, 1]).parameters()] == a


def test_same_initial_weights_and_outputs_as_micrograd():
    micrograd_nn = pytest.importorskip("micrograd.nn")
    random.seed(2024)
    theirs = micrograd_nn.MLP(3, [4, 4, 1])
    random.seed(2024)
    ours = MLP(3, [4, 4, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert repr(ours) == repr(theirs)
    x = [0.5, -1.0, 2.0]
    assert ours(x).data == theirs(x).data


def test_training_decreases_loss():
    # Toy problem: y = 1 if x0 * x1 > 0 else -1 (XOR-like quadrants), mean squared error.
    rng = random.Random(0)
    data = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(16)]
    targets = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in data]
    model = MLP(2, [8, 8, 1], rng=random.Random(1))

    def loss_now() -> Value:
        total = Value(0.0)
        for x, y in zip(data, targets, strict=True):
            total = total + (model(x) - y) ** 2
        return total * (1.0 / len(data))

    first = loss_now().data
    for _ in range(60):
        loss = loss_now()
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
    last = loss_now().data
    assert last < 0.5 * first, (first, last)


def test_docstring_examples():
    assert doctest.testmod(sys.modules["autograd.nn"]).failed == 0


def test_the_tensor_layers_live_in_layers_and_are_exported_from_the_package():
    import autograd
    import autograd.layers as layers
    from autograd import nn

    # nn sits on the scalar engine only: no tensor layers in it (the import test checks the
    # layering); the package still exports both families under the names it always had
    assert not hasattr(nn, "Linear") and not hasattr(nn, "TensorModule")
    assert autograd.Linear is layers.Linear and autograd.Sequential is layers.Sequential
    assert autograd.TensorModule is layers.Module and autograd.Module is nn.Module
    assert len(nn.MLP(2, [3, 1]).parameters()) == 3 * 3 + 4
