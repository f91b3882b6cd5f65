"""The core network: the slides' numbers, gradients, stability, optimizers, training, bad input."""

import math
import warnings

import numpy as np
import pytest

import course_utils as cu
from course_utils.gradcheck import check_input_gradient, numerical_gradient, relative_error

rng = np.random.default_rng(0)


# --- the slides' numbers ---------------------------------------------------------------


@pytest.mark.parametrize("y_hat, expected", [(40, 1600), (75, 25)])
def test_mse_brain_scan_example_from_the_slides(y_hat, expected):
    assert cu.mse(np.array([[y_hat]]), np.array([[80]])) == expected


def test_mse_house_example_is_the_mean_over_the_k_outputs():
    y = np.array([[1_000_000.0, 5_000.0]])
    y_hat = np.array([[800_000.0, 4_500.0]])
    assert cu.mse(y_hat, y) == (200_000**2 + 500**2) / 2  # the price dominates


def test_cost_is_the_mean_loss_over_the_batch():
    assert cu.mse(np.array([40.0, 75.0]), np.array([80.0, 80.0])) == (1600 + 25) / 2


def test_cross_entropy_chihuahua_or_muffin():
    logits = np.log([[0.8, 0.2]])  # softmax of these logits is p = (0.8, 0.2)
    np.testing.assert_allclose(cu.softmax(logits), [[0.8, 0.2]])
    assert cu.cross_entropy(logits, np.array([0])) == pytest.approx(-math.log(0.8))
    assert cu.cross_entropy(logits, np.array([[1.0, 0.0]])) == pytest.approx(-math.log(0.8))


def test_parameter_count_of_784_128_10_is_about_100000():
    assert cu.MLP([784, 128, 10]).num_parameters() == 784 * 128 + 128 + 128 * 10 + 10


# --- activations -------------------------------------------------------------------------


def test_activation_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(cu.relu(z), [0, 0, 3])
    np.testing.assert_allclose(cu.sigmoid(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(cu.tanh(z), np.tanh(z))
    np.testing.assert_array_equal(cu.relu_prime(z), [0, 0, 1])


def test_sigmoid_is_stable_for_huge_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = cu.sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
        d = cu.sigmoid_prime(np.array([-1e4, 1e4]))
    np.testing.assert_array_equal(s, [0.0, 0.0, 0.5, 1.0, 1.0])
    np.testing.assert_array_equal(d, [0.0, 0.0])


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "identity"])
def test_activation_backward_matches_finite_differences(name):
    z = rng.standard_normal((4, 5))
    z[np.abs(z) < 1e-3] = 0.5  # ReLU has a kink at 0
    assert check_input_gradient(cu.get_activation(name), z) < 1e-7


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="relu"):
        cu.get_activation("softplus")


# --- layers ------------------------------------------------------------------------------


def test_linear_is_the_slides_m_times_x_plus_b_row_by_row():
    layer = cu.Linear(2, 3, dtype=np.float64)
    layer.M[...] = [[1, 2], [3, 4], [5, 6]]
    layer.b[...] = [1, 0, -1]
    x = np.array([[1.0, 1.0], [2.0, 0.0]])
    expected = np.stack([layer.M @ xi + layer.b for xi in x])
    np.testing.assert_array_equal(layer(x), expected)


def test_linear_gradients_match_finite_differences():
    layer = cu.Linear(4, 3, seed=1, dtype=np.float64)
    x = rng.standard_normal((5, 4))
    y = rng.standard_normal((5, 3))
    errors = cu.check_gradients(layer, cu.MSELoss(), x, y)
    assert max(errors.values()) < 1e-7
    assert check_input_gradient(layer, x) < 1e-7


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_three_layer_network_gradients(activation):
    model = cu.MLP([3, 5, 4, 3], activation=activation, seed=2, dtype=np.float64)
    x = rng.standard_normal((6, 3))
    y = np.array([0, 1, 2, 2, 1, 0])
    errors = cu.check_gradients(model, cu.CrossEntropyLoss(), x, y)
    assert len(errors) == 6 and max(errors.values()) < 1e-7


def test_loss_gradients_match_finite_differences():
    y_hat = rng.standard_normal((4, 3))
    for loss, y in [
        (cu.MSELoss(), rng.standard_normal((4, 3))),
        (cu.CrossEntropyLoss(), np.array([2, 0, 1, 1])),
    ]:
        loss(y_hat, y)
        analytic = loss.backward()
        numeric = numerical_gradient(lambda loss=loss, y=y: loss(y_hat, y), y_hat)
        assert relative_error(analytic, numeric) < 1e-7


def test_mlp_builds_the_slides_architecture():
    model = cu.MLP([784, 128, 64, 10], activation="relu")
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]  # no φ on the output
    assert model.layers[0].M.dtype == np.float32
    assert model(np.zeros((2, 784))).shape == (2, 10)


def test_same_seed_same_weights_and_he_scale():
    a, b = cu.MLP([784, 128, 10], seed=3), cu.MLP([784, 128, 10], seed=3)
    np.testing.assert_array_equal(a.layers[0].M, b.layers[0].M)
    assert a.layers[0].M.std() == pytest.approx(math.sqrt(2 / 784), rel=0.05)
    assert not np.array_equal(a.layers[0].M, cu.MLP([784, 128, 10], seed=4).layers[0].M)


def test_save_and_load_weights_round_trip(tmp_path):
    model = cu.MLP([4, 8, 3], seed=5)
    model.save(tmp_path / "w.npz")
    other = cu.MLP([4, 8, 3], seed=6).load(tmp_path / "w.npz")
    x = rng.standard_normal((3, 4))
    np.testing.assert_array_equal(model(x), other(x))
    with pytest.raises(cu.ShapeError, match="shape"):
        cu.MLP([4, 9, 3]).load(tmp_path / "w.npz")


# --- stability ---------------------------------------------------------------------------


def test_cross_entropy_is_finite_for_huge_logits():
    logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    loss = cu.CrossEntropyLoss()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = loss(logits, np.array([1, 1]))  # first one is confidently wrong
        grad = loss.backward()
    assert J == pytest.approx(1000.0)  # (2000 + 0) / 2
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0.5, -0.5], [0, 0]])


def test_softmax_rows_sum_to_one_for_extreme_logits():
    p = cu.softmax(np.array([[1000.0, 999.0, -1e4]]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0)


# --- optimizers ----------------------------------------------------------------------------


class OneParameter:
    """A 'model' with a single parameter vector and a gradient we set by hand."""

    def __init__(self, value):
        self.p = np.array(value, dtype=np.float64)
        self.grad = np.zeros_like(self.p)

    def parameters(self):
        return [(self.p, self.grad)]


def test_sgd_step_is_p_minus_alpha_grad():
    model = OneParameter([1.0, -2.0])
    model.grad[...] = [0.5, -1.0]
    cu.SGD(model, lr=0.1).step()
    np.testing.assert_allclose(model.p, [0.95, -1.9])


def test_sgd_momentum_first_two_steps():
    model = OneParameter([1.0])
    opt = cu.SGD(model, lr=0.1, momentum=0.9)
    model.grad[...] = [1.0]
    opt.step()  # v = 1, p = 1 - 0.1
    np.testing.assert_allclose(model.p, [0.9])
    model.grad[...] = [0.5]
    opt.step()  # v = 0.9 * 1 + 0.5 = 1.4, p = 0.9 - 0.14
    np.testing.assert_allclose(model.p, [0.76])


def test_adam_first_steps_move_by_lr_times_sign():
    model = OneParameter([1.0, 1.0])
    opt = cu.Adam(model, lr=0.01)
    model.grad[...] = [3.0, -0.001]
    opt.step()  # bias-corrected m/√v = sign(g)
    np.testing.assert_allclose(model.p, [0.99, 1.01], rtol=1e-6)
    model.grad[...] = [1.0, -0.001]
    opt.step()
    m = 0.9 * 0.1 * 3 + 0.1 * 1
    v = 0.999 * 0.001 * 9 + 0.001 * 1
    step = 0.01 * (m / (1 - 0.9**2)) / (math.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert model.p[0] == pytest.approx(0.99 - step)


def test_optimizer_rejects_a_non_positive_learning_rate():
    with pytest.raises(ValueError, match="learning rate"):
        cu.SGD(OneParameter([1.0]), lr=0)


# --- training ------------------------------------------------------------------------------

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([0, 1, 1, 0])


def train_xor(seed):
    model = cu.MLP([2, 8, 2], activation="tanh", seed=seed)
    history = cu.fit(
        model,
        cu.CrossEntropyLoss(),
        cu.Adam(model, lr=0.05),
        XOR_X,
        XOR_Y,
        epochs=300,
        batch_size=4,
        seed=seed,
        progress=False,
    )
    return model, history


def test_training_solves_xor():
    model, history = train_xor(seed=0)
    assert history["train_loss"][0] > 0.5
    assert history["train_loss"][-1] < 0.01
    assert cu.accuracy(cu.predict(model, XOR_X), XOR_Y) == 1.0


def test_same_seed_same_training():
    (_, a), (_, b) = train_xor(seed=1), train_xor(seed=1)
    assert a["train_loss"] == b["train_loss"]


def test_fit_tracks_validation_and_keeps_the_best_epoch():
    x = rng.standard_normal((200, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    model = cu.MLP([2, 16, 2], seed=0)
    history = cu.fit(
        model,
        cu.CrossEntropyLoss(),
        cu.SGD(model, lr=0.1, momentum=0.9),
        x[:150],
        y[:150],
        epochs=15,
        batch_size=16,
        x_val=x[150:],
        y_val=y[150:],
        keep_best=True,
        progress=False,
    )
    assert len(history.val_loss) == 15 and history.val_acc[-1] is not None
    best = history.best_epoch
    assert history.val_loss[best - 1] == min(history.val_loss)
    loss, _ = cu.evaluate(model, cu.CrossEntropyLoss(), x[150:], y[150:])
    assert loss == pytest.approx(history.val_loss[best - 1], rel=1e-5)


def test_regression_fit_with_mse():
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
    y = x**2
    model = cu.MLP([1, 16, 1], activation="tanh", seed=0)
    history = cu.fit(
        model,
        cu.MSELoss(),
        cu.Adam(model, lr=0.02),
        x,
        y,
        epochs=200,
        batch_size=16,
        progress=False,
    )
    assert history.train_loss[-1] < 0.1 * history.train_loss[0]
    assert history.train_acc[-1] is None


def test_accuracy_and_confusion_matrix():
    y_true = np.array([0, 1, 2, 2])
    y_pred = np.array([0, 2, 2, 2])
    assert cu.accuracy(y_pred, y_true) == 0.75
    np.testing.assert_array_equal(
        cu.confusion_matrix(y_true, y_pred, 3), [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    )


# --- bad input gets a clear message -------------------------------------------------------


def test_unflattened_images_are_explained():
    model = cu.MLP([784, 16, 10])
    with pytest.raises(cu.ShapeError, match=r"reshape\(len\(x\), 784\)"):
        model(np.zeros((5, 28, 28)))


def test_single_example_is_explained():
    with pytest.raises(cu.ShapeError, match=r"reshape\(1, 3\)"):
        cu.Linear(3, 2)(np.zeros(3))


def test_wrong_number_of_features_is_explained():
    with pytest.raises(cu.ShapeError, match=r"\(batch, 3\).*\(4, 5\)"):
        cu.Linear(3, 2)(np.zeros((4, 5)))


def test_wrong_targets_are_explained():
    logits = np.zeros((3, 4))
    with pytest.raises(cu.ShapeError, match="integers"):
        cu.cross_entropy(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(cu.ShapeError, match=r"0\.\.3"):
        cu.cross_entropy(logits, np.array([0, 1, 4]))
    with pytest.raises(cu.ShapeError, match="class indices"):
        cu.cross_entropy(logits, np.zeros((3, 2)))
    with pytest.raises(cu.ShapeError, match="same shape"):
        cu.mse(np.zeros((3, 2)), np.zeros((3, 3)))


def test_fit_checks_shapes_before_training():
    model = cu.MLP([784, 8, 10])
    x = np.zeros((10, 28, 28), dtype=np.float32)
    with pytest.raises(cu.ShapeError, match="Flatten"):
        cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.1),
            x,
            np.zeros(10, int),
            progress=False,
        )
    with pytest.raises(cu.ShapeError, match="must match"):
        cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.1),
            np.zeros((10, 784)),
            np.zeros(9, int),
            progress=False,
        )


def test_too_large_learning_rate_stops_with_epoch_and_batch():
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(-1, 1)
    model = cu.MLP([1, 8, 1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy overflow warnings: only the clear message
        warnings.simplefilter("ignore", cu.TrainingWarning)  # "cost exploded" comes first
        with pytest.raises(cu.TrainingDiverged, match=r"epoch \d+, batch \d+.*lr=100"):
            cu.fit(
                model,
                cu.MSELoss(),
                cu.SGD(model, lr=100.0),
                x,
                100 * x**2,
                epochs=50,
                batch_size=8,
                progress=False,
            )


def test_backward_before_forward_is_explained():
    with pytest.raises(RuntimeError, match="before forward"):
        cu.Linear(2, 2).backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError, match="before forward"):
        cu.ReLU().backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError, match="before computing"):
        cu.CrossEntropyLoss().backward()


def test_adam_flushes_moments_that_would_become_denormal():
    for flush in (True, False):
        model = OneParameter([1.0, 1.0])
        model.p = model.p.astype(np.float32)
        model.grad = np.array([1.0, 1e-3], dtype=np.float32)
        opt = cu.Adam(model, lr=1e-3, flush_tiny=flush)
        opt.step()
        model.grad[...] = 0  # the gradient stops, as for a pixel that is never lit again
        for _ in range(899):
            opt.step()
        m = opt.m[0]
        tiny = np.finfo(np.float32).tiny
        denormal = (m != 0) & (np.abs(m) < tiny)
        assert denormal.any() != flush  # 0.1 · 0.9**899 ≈ 7e-43: denormal unless flushed


def test_mlp_sizes_not_in_a_list_are_explained():
    with pytest.raises(TypeError, match=r"MLP\(\[784, 128, 10\]\), not MLP\(784, 128, 10\)"):
        cu.MLP(784, 128, 10)
    with pytest.raises(ValueError, match=r"e\.g\. MLP\(\[784, 128, 10\]\)"):
        cu.MLP([784])


def test_a_transposed_weight_matrix_is_blamed_not_the_input():
    model = cu.MLP([784, 16, 10])
    model.layers[0].M = model.layers[0].M.T.copy()  # (784, 16) instead of (16, 784)
    with pytest.raises(cu.ShapeError, match=r"weight matrix 0\.M has shape \(784, 16\).*M\.T"):
        model(np.zeros((2, 784)))


def test_layers_that_do_not_fit_name_the_weight_matrix():
    model = cu.Sequential(cu.Linear(784, 128), cu.ReLU(), cu.Linear(64, 10))
    with pytest.raises(cu.ShapeError, match=r"Layer 2.*gets 128.*2\.M has shape \(10, 64\)"):
        model(np.zeros((2, 784)))


def test_a_bias_of_the_wrong_shape_is_named():
    layer = cu.Linear(3, 2)
    layer.b = np.zeros(3, dtype=np.float32)
    with pytest.raises(cu.ShapeError, match=r"bias b has shape \(3,\).*shape \(2,\)"):
        layer(np.zeros((1, 3)))


@pytest.mark.parametrize("call", [cu.predict, cu.predict_proba])
def test_predict_on_one_image_gives_the_reshape(call):
    model = cu.MLP([784, 16, 10])
    with pytest.raises(cu.ShapeError, match=r"^predict.*one example.*x\.reshape\(1, 784\)"):
        call(model, np.zeros((28, 28)))
    assert call(model, np.zeros((1, 784))).shape[0] == 1


def test_confusion_matrix_with_one_hot_labels_says_argmax():
    y_true = np.eye(3)[[0, 1, 2, 2]]
    with pytest.raises(cu.ShapeError, match=r"y_true has shape \(4, 3\).*y_true\.argmax\(axis=1\)"):
        cu.confusion_matrix(y_true, np.array([0, 1, 2, 1]))
    with pytest.raises(cu.ShapeError, match="one prediction per label"):
        cu.confusion_matrix(np.array([0, 1]), np.array([0, 1, 1]))
    with pytest.raises(cu.ShapeError, match="class indices"):
        cu.confusion_matrix(np.array([0.5, 1.0]), np.array([0, 1]))


def test_cross_entropy_with_one_hot_and_indices_agree_in_value_and_gradient():
    logits = rng.standard_normal((5, 4)).astype(np.float32)
    y = np.array([0, 3, 1, 1, 2])
    by_index, one_hot = cu.CrossEntropyLoss(), cu.CrossEntropyLoss()
    assert by_index(logits, y) == pytest.approx(one_hot(logits, np.eye(4)[y]), rel=1e-6)
    grad = by_index.backward()
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, one_hot.backward(), rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(by_index.backward(), grad)  # backward twice: same answer


def test_fit_explains_classes_instead_of_objects_and_a_foreign_optimizer():
    model, other = cu.MLP([2, 4, 2]), cu.MLP([2, 4, 2])
    x, y = rng.standard_normal((4, 2)).astype(np.float32), [0, 1, 0, 1]  # y: a list is fine
    with pytest.raises(TypeError, match=r"CrossEntropyLoss\(\)"):
        cu.fit(model, cu.CrossEntropyLoss, cu.SGD(model, lr=0.1), x, y, progress=False)
    with pytest.raises(TypeError, match=r"SGD\(model, lr=0\.1\)"):
        cu.fit(model, cu.CrossEntropyLoss(), cu.SGD, x, y, progress=False)
    with pytest.raises(ValueError, match="another network"):
        cu.fit(model, cu.CrossEntropyLoss(), cu.SGD(other, lr=0.1), x, y, progress=False)
    history = cu.fit(
        model, cu.CrossEntropyLoss(), cu.SGD(model, lr=0.1), x, y, epochs=2, progress=False
    )
    assert len(history.train_loss) == 2


def test_an_empty_batch_is_explained_by_both_losses():
    """A batch loop one step too long hands the loss 0 examples: a clear ShapeError, not a
    ZeroDivisionError from inside the loss."""
    for loss_fn, targets in ((cu.CrossEntropyLoss(), np.zeros(0, dtype=int)),
                             (cu.MSELoss(), np.zeros((0, 2)))):  # fmt: skip
        with pytest.raises(cu.ShapeError, match="empty batch"):
            loss_fn(np.zeros((0, 2)), targets)
