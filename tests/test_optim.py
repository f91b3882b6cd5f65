"""Weight decay (L2) in SGD and Adam, and clear messages for optimizer slips."""

import numpy as np
import pytest

import course_utils as cu
from course_utils.gradcheck import numerical_gradient, relative_error
from course_utils.optim import l2_penalty


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    model = cu.MLP([3, 5, 4], seed=seed, dtype=np.float64)
    for p, _ in model.parameters():  # non-zero biases, so that "biases are not decayed" is visible
        p += rng.normal(scale=0.3, size=p.shape)
    x, y = rng.normal(size=(8, 3)), rng.integers(0, 4, size=8)
    return model, x, y


@pytest.mark.parametrize("make", [cu.SGD, cu.Adam])
def test_weight_decay_gradient_matches_finite_differences_of_j_total(make):
    """The gradient the optimizer uses is ∂/∂p of J_total = J + λ/2 Σ M², checked numerically."""
    lam = 0.3
    model, x, y = small_problem()
    loss_fn = cu.CrossEntropyLoss()
    loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    used = make(model, lr=0.1, weight_decay=lam).gradients()

    def j_total():
        return loss_fn(model(x), y) + l2_penalty(model, lam)

    for p, grad in used:
        assert relative_error(grad, numerical_gradient(j_total, p)) < 1e-7


def test_l2_penalty_sums_the_weight_matrices_only():
    model, _, _ = small_problem()
    weights = [layer.M for layer in model.layers if isinstance(layer, cu.Linear)]
    expected = 0.5 * 0.2 * sum(float(np.sum(M**2)) for M in weights)
    assert l2_penalty(model, 0.2) == pytest.approx(expected)


def test_sgd_update_with_weight_decay_is_the_formula():
    """p → p − α (∂J/∂M + λ M) for weights; p → p − α ∂J/∂b for biases."""
    model, x, y = small_problem()
    loss_fn = cu.CrossEntropyLoss()
    loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    before = [(p.copy(), g.copy()) for p, g in model.parameters()]
    cu.SGD(model, lr=0.1, weight_decay=0.01).step()
    for (p, _), (p0, g) in zip(model.parameters(), before):
        expected = p0 - 0.1 * (g + 0.01 * p0) if p.ndim == 2 else p0 - 0.1 * g
        np.testing.assert_allclose(p, expected, rtol=1e-12)


def test_sgd_momentum_with_weight_decay_follows_pytorch():
    """v → μ v + (g + λ p), p → p − α v, as torch.optim.SGD(momentum, weight_decay) does."""
    w = np.array([[1.0, -2.0]])

    class OneWeight:
        def __init__(self):
            self.M, self.dM = w.copy(), np.array([[0.5, 0.25]])

        def parameters(self):
            return [(self.M, self.dM)]

    model = OneWeight()
    opt = cu.SGD(model, lr=0.1, momentum=0.9, weight_decay=0.1)
    p, v = w.copy(), np.zeros_like(w)
    for _ in range(3):
        opt.step()
        v = 0.9 * v + (model.dM + 0.1 * p)
        p = p - 0.1 * v
    np.testing.assert_allclose(model.M, p)


def test_adam_with_weight_decay_adds_lambda_p_to_the_gradient():
    m_a = cu.MLP([3, 4, 2], seed=1, dtype=np.float64)
    m_b = cu.MLP([3, 4, 2], seed=1, dtype=np.float64)
    x, y = np.random.default_rng(2).normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0])
    loss_fn = cu.CrossEntropyLoss()
    for model in (m_a, m_b):
        loss_fn(model(x), y)
        model.backward(loss_fn.backward())
    for p, g in m_b.parameters():  # by hand: the decayed gradient, given to plain Adam
        if p.ndim == 2:
            g += 0.05 * p
    cu.Adam(m_a, lr=0.01, weight_decay=0.05).step()
    cu.Adam(m_b, lr=0.01).step()
    for (pa, _), (pb, _) in zip(m_a.parameters(), m_b.parameters()):
        np.testing.assert_allclose(pa, pb, rtol=1e-12)


def train_on_blobs(weight_decay, make=cu.SGD, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(200, 10)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    model = cu.MLP([10, 32, 2], seed=seed)
    kwargs = {"momentum": 0.9} if make is cu.SGD else {}
    optimizer = make(
        model, lr=0.05 if make is cu.SGD else 0.01, weight_decay=weight_decay, **kwargs
    )
    history = cu.fit(
        model, cu.CrossEntropyLoss(), optimizer, x, y, epochs=20, batch_size=20, progress=False
    )
    return model, history


def weight_norm(model):
    return float(
        np.sqrt(
            sum(np.sum(p.astype(np.float64) ** 2) for p, _ in model.parameters() if p.ndim == 2)
        )
    )


@pytest.mark.parametrize("make", [cu.SGD, cu.Adam])
def test_weight_decay_zero_changes_nothing(make):
    a, ha = train_on_blobs(0.0, make)
    model = cu.MLP([10, 32, 2], seed=0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 10)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    kwargs = {"momentum": 0.9} if make is cu.SGD else {}
    opt = make(model, lr=0.05 if make is cu.SGD else 0.01, **kwargs)  # the default: no decay
    hb = cu.fit(model, cu.CrossEntropyLoss(), opt, x, y, epochs=20, batch_size=20, progress=False)
    assert ha.train_loss == hb.train_loss
    for (pa, _), (pb, _) in zip(a.parameters(), model.parameters()):
        np.testing.assert_array_equal(pa, pb)


@pytest.mark.parametrize("make", [cu.SGD, cu.Adam])
def test_weight_decay_gives_smaller_weights(make):
    plain, _ = train_on_blobs(0.0, make)
    decayed, history = train_on_blobs(0.05, make)
    assert weight_norm(decayed) < 0.8 * weight_norm(plain)
    assert history.train_acc[-1] > 0.9  # still learns the task


def test_biases_are_not_decayed():
    model = cu.MLP([2, 3], seed=0, dtype=np.float64)
    model.layers[0].b[...] = 1.0
    model.layers[0].dM[...] = 1e-3  # a gradient, so the step is allowed
    cu.SGD(model, lr=0.5, weight_decay=1.0).step()
    np.testing.assert_array_equal(model.layers[0].b, 1.0)  # its gradient ∂J/∂b is 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lr": "0.1"}, r"without quotes"),
        ({"lr": None}, r"must be a number"),
        ({"lr": 0}, r"> 0"),
        ({"lr": -0.1}, r"> 0"),
        ({"lr": float("nan")}, r"> 0"),
        ({"lr": 0.1, "weight_decay": -1e-4}, r"weight_decay.*≥ 0"),
        ({"lr": 0.1, "weight_decay": "1e-4"}, r"weight_decay=1e-4 without quotes"),
        ({"lr": 0.1, "momentum": 1.5}, r"momentum.*< 1"),
    ],
)
def test_bad_hyperparameters_are_explained(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        cu.SGD(cu.MLP([2, 2]), **kwargs)


def test_optimizer_without_a_model_is_explained():
    with pytest.raises(TypeError, match=r"SGD\(model, lr=0.1\)"):
        cu.SGD(0.1)


@pytest.mark.parametrize("make", [cu.SGD, cu.Adam])
def test_step_before_backward_is_explained(make):
    model = cu.MLP([4, 3, 2], seed=0)
    optimizer = make(model, lr=0.1)
    model(np.ones((2, 4)))  # forward only: no backward
    with pytest.warns(cu.TrainingWarning, match=r"no backward pass has run yet.*model\.backward"):
        optimizer.step()


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_weight_decay_matches_pytorch_when_it_is_installed(name):
    """Same steps as torch.optim with weight_decay on the weights only (optional: skipped
    without PyTorch, which is never a requirement)."""
    torch = pytest.importorskip("torch")
    model, x, y = small_problem(seed=3)
    layers = [layer for layer in model.layers if isinstance(layer, cu.Linear)]
    weights = [torch.tensor(layer.M.copy(), requires_grad=True) for layer in layers]
    biases = [torch.tensor(layer.b.copy(), requires_grad=True) for layer in layers]
    groups = [{"params": weights, "weight_decay": 0.1}, {"params": biases, "weight_decay": 0.0}]
    if name == "SGD":
        ours = cu.SGD(model, lr=0.1, momentum=0.9, weight_decay=0.1)
        theirs = torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    else:
        ours = cu.Adam(model, lr=0.01, weight_decay=0.1)
        theirs = torch.optim.Adam(groups, lr=0.01)
    loss_fn = cu.CrossEntropyLoss()
    for _ in range(5):
        loss_fn(model(x), y)
        model.backward(loss_fn.backward())
        ours.step()
        theirs.zero_grad()
        h = torch.from_numpy(x)
        for i, (M, b) in enumerate(zip(weights, biases)):
            h = h @ M.T + b
            h = torch.relu(h) if i < len(weights) - 1 else h
        torch.nn.functional.cross_entropy(h, torch.from_numpy(y)).backward()
        theirs.step()
    for layer, M, b in zip(layers, weights, biases):
        np.testing.assert_allclose(layer.M, M.detach().numpy(), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(layer.b, b.detach().numpy(), rtol=1e-6, atol=1e-9)
