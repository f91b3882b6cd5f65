"""fit() says why training goes wrong: each diagnosis provoked on the shipped MNIST sample.

Small networks, subsets and few epochs keep this fast; the shipped sample loads offline.
"""

import warnings

import numpy as np
import pytest

import course_utils as cu
from course_utils.data import ScaledImages, flatten_and_scale, load_mnist
from course_utils.datasets import make_moons


@pytest.fixture(scope="module")
def digits():
    mnist = load_mnist(sample=True, verbose=False)
    x, y = flatten_and_scale(mnist.x_train), mnist.y_train
    return x[:2000], y[:2000], x[3000:], y[3000:]


def train(data, sizes=(784, 64, 10), optimizer=None, epochs=4, n=1000, scale=1.0, val=True):
    """fit on the first n training digits; returns (history, the TrainingWarnings shown)."""
    x, y, x_val, y_val = data
    model = cu.MLP(list(sizes), seed=0)
    optimizer = optimizer(model) if optimizer else cu.SGD(model, lr=0.05, momentum=0.9)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        history = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            optimizer,
            x[:n] * scale,
            y[:n],
            epochs=epochs,
            x_val=x_val * scale if val else None,
            y_val=y_val if val else None,
            progress=False,
        )
    assert all(issubclass(w.category, cu.TrainingWarning) for w in shown), [
        str(w.message) for w in shown
    ]
    assert [str(w.message) for w in shown] == history.warnings  # every warning is recorded
    return history, shown


def test_a_healthy_run_stays_quiet(digits):
    history, shown = train(digits, sizes=(784, 128, 64, 10), n=2000, epochs=5)
    assert history.val_acc[-1] > 0.85
    assert shown == [] and history.warnings == [] and history.diagnoses == []


def test_a_huge_learning_rate_is_named_once_with_the_fix(digits):
    history, shown = train(digits, optimizer=lambda m: cu.SGD(m, lr=10), epochs=5)
    assert "lr_too_large" in history.diagnoses
    message = history.warnings[history.diagnoses.index("lr_too_large")]
    assert "exploded" in message and "learning rate α = lr = 10" in message
    assert "lr=1)" in message  # the fix: 10 times smaller
    assert len(shown) == len(set(history.diagnoses))  # each problem once, not every epoch


def test_dead_relus_after_a_huge_learning_rate(digits):
    history, _ = train(digits, optimizer=lambda m: cu.SGD(m, lr=10), epochs=2)
    message = history.warnings[history.diagnoses.index("dead_relus")]
    assert "Dead ReLUs" in message and "of the 64 ReLU units of model.layers[1]" in message


def test_unscaled_pixels_are_named_as_the_cause(digits):
    history, _ = train(digits, scale=255.0, epochs=3)
    assert history.diagnoses[0] == "input_scale"
    assert "largest |x| = 255" in history.warnings[0] and "x = x / 255" in history.warnings[0]
    blow_up = history.warnings[history.diagnoses.index("lr_too_large")]
    assert "unscaled inputs" in blow_up  # not "α too large": the inputs are the likelier cause


def test_unscaled_uint8_pixels_are_diagnosed_too():
    mnist = load_mnist(sample=True, verbose=False)
    x = mnist.x_train[:500].reshape(500, -1)  # uint8 0-255, never scaled
    model = cu.MLP([784, 32, 10], seed=0)
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        history = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.01),
            x,
            mnist.y_train[:500],
            epochs=1,
            progress=False,
        )
    assert history.diagnoses[0] == "input_scale"
    assert "Input scale" in str(shown[0].message) and shown[0].category is cu.TrainingWarning


def test_divergence_with_unscaled_inputs_names_the_inputs():
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(-1, 1) * 100
    model = cu.MLP([1, 8, 1], seed=0)
    with pytest.raises(cu.TrainingDiverged, match=r"epoch \d+, batch \d+.*scale the inputs"):
        cu.fit(
            model,
            cu.MSELoss(),
            cu.SGD(model, lr=10.0),
            x,
            x**2,
            epochs=50,
            batch_size=8,
            progress=False,
        )


def test_a_far_too_small_learning_rate_is_no_progress(digits):
    history, _ = train(digits, optimizer=lambda m: cu.SGD(m, lr=1e-5), epochs=5, val=False)
    assert history.diagnoses == ["no_progress"]
    assert "flat to 3 digits" in history.warnings[0] and "far too small" in history.warnings[0]


def test_overfitting_on_a_few_hundred_digits(digits):
    history, _ = train(
        digits, sizes=(784, 128, 10), optimizer=lambda m: cu.Adam(m, lr=0.003), n=200, epochs=12
    )
    assert "overfitting" in history.diagnoses
    message = history.warnings[history.diagnoses.index("overfitting")]
    assert "Overfitting" in message and "keep_best=True" in message and "weight decay" in message


def test_the_talks_learning_rate_underfits(digits):
    """SGD with lr 0.001 (the talk's script): after 5 epochs both accuracies are poor."""
    history, _ = train(digits, optimizer=lambda m: cu.SGD(m, lr=0.001), epochs=5)
    assert history.diagnoses == ["underfitting"]
    assert "still falling" in history.warnings[0] and "train longer" in history.warnings[0]


def test_accuracy_stuck_at_chance_after_the_cost_rose(digits):
    """lr = 3: J rises (not 100-fold), most ReLUs die, the accuracy stays at chance level."""
    history, _ = train(digits, optimizer=lambda m: cu.SGD(m, lr=3.0), epochs=5)
    message = history.warnings[history.diagnoses.index("lr_too_large")]
    assert "Accuracy stuck at chance level" in message and "lr=0.3" in message


def test_quiet_records_without_warning_and_false_turns_it_off(digits):
    x, y, _, _ = digits
    for diagnose, expected in (("quiet", ["no_progress"]), (False, [])):
        model = cu.MLP([784, 32, 10], seed=0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any warning would fail here
            history = cu.fit(
                model,
                cu.CrossEntropyLoss(),
                cu.SGD(model, lr=1e-6),
                x[:500],
                y[:500],
                epochs=5,
                progress=False,
                diagnose=diagnose,
            )
        assert history.diagnoses == expected
    with pytest.raises(ValueError, match="diagnose"):
        cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.1),
            x[:10],
            y[:10],
            diagnose="loud",
            progress=False,
        )


def test_fit_takes_uint8_images_scaled_per_batch(digits):
    """ScaledImages: same numbers as float32 inputs, a quarter of the memory."""
    mnist = load_mnist(sample=True, verbose=False)
    images, y = mnist.x_train[:600], mnist.y_train[:600]
    runs = []
    for x in (flatten_and_scale(images), ScaledImages(images)):
        model = cu.MLP([784, 32, 10], seed=0)
        history = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.1),
            x,
            y,
            epochs=2,
            x_val=x,
            y_val=y,
            progress=False,
        )
        runs.append((history.train_loss, history.val_acc, cu.predict(model, x)))
    assert runs[0][0] == runs[1][0] and runs[0][1] == runs[1][1]
    np.testing.assert_array_equal(runs[0][2], runs[1][2])
    assert ScaledImages(images).images.nbytes * 4 == flatten_and_scale(images).nbytes


@pytest.mark.parametrize("value", [0.0, 0.3])
def test_equal_initial_weights_are_named_symmetric(value):
    x, y = make_moons(200, noise=0.15, seed=0)
    model = cu.MLP([2, 8, 2], seed=0, dtype=np.float64)
    for p, _ in model.parameters():
        p[...] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cu.TrainingWarning)
        history = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.5),
            x,
            y,
            epochs=20,
            batch_size=200,
            progress=False,
        )
    assert history.diagnoses[0] == "symmetric_weights"
    assert "all 8 units of model.layers[0]" in history.warnings[0]
    assert "no_progress" not in history.diagnoses  # the cause is not a small α
    if value == 0.0:  # z = 0 for every example: dead before the first step
        dead = history.warnings[history.diagnoses.index("dead_relus")]
        assert "before the first step" in dead and "learning rate" not in dead


def test_float_labels_get_the_loss_message_not_a_diagnosis_crash(digits):
    x, y, _, _ = digits
    model = cu.MLP([784, 16, 10], seed=0)
    with pytest.raises(cu.ShapeError, match=r"class indices must be integers.*astype\(int\)"):
        cu.fit(
            model,
            cu.CrossEntropyLoss(),
            cu.SGD(model, lr=0.1),
            x[:100],
            y[:100].astype(float),
            progress=False,
        )
    with pytest.raises(cu.ShapeError, match="no examples"):
        cu.fit(model, cu.CrossEntropyLoss(), cu.SGD(model, lr=0.1), x[:0], y[:0], progress=False)


def test_training_a_trained_network_further_stays_quiet(digits):
    """Continuing from a trained network with tiny full-batch steps: J is flat and the weights
    barely move, as with a far too small α, but J is far below knowing nothing: no warning."""
    x, y, _, _ = digits
    model = cu.MLP([784, 64, 10], seed=0)
    optimizer = cu.SGD(model, lr=0.05, momentum=0.9)
    cu.fit(model, cu.CrossEntropyLoss(), optimizer, x, y, epochs=6, progress=False)
    optimizer.lr = 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error", cu.TrainingWarning)
        more = cu.fit(
            model,
            cu.CrossEntropyLoss(),
            optimizer,
            x,
            y,
            epochs=5,
            batch_size=len(x),
            progress=False,
        )
    assert more.diagnoses == [] and more.train_acc[-1] > 0.95

    xr = np.linspace(-1, 1, 256, dtype=np.float32).reshape(-1, 1)
    model = cu.MLP([1, 32, 1], activation="tanh", seed=0)
    optimizer = cu.Adam(model, lr=0.01)
    cu.fit(model, cu.MSELoss(), optimizer, xr, xr**2, epochs=100, batch_size=32, progress=False)
    optimizer.lr = 1e-8
    with warnings.catch_warnings():
        warnings.simplefilter("error", cu.TrainingWarning)
        more = cu.fit(
            model,
            cu.MSELoss(),
            optimizer,
            xr,
            xr**2,
            epochs=6,
            batch_size=256,
            x_val=xr[::3],
            y_val=xr[::3] ** 2,
            progress=False,
        )
    assert more.diagnoses == [] and more.train_loss[-1] < 0.01


def test_scaled_images_explain_floats_and_behave_like_an_array():
    mnist = load_mnist(sample=True, verbose=False)
    with pytest.raises(cu.DataError, match="uint8.*pass them directly"):
        ScaledImages(flatten_and_scale(mnist.x_train[:5]))
    x = ScaledImages(mnist.x_train[:5])
    assert x.shape == (5, 784) and len(x) == 5 and "5 images" in repr(x)
    np.testing.assert_array_equal(np.asarray(x), flatten_and_scale(mnist.x_train[:5]))
    assert x[1:3].dtype == np.float32 and x[[4, 0]].max() <= 1.0


def test_a_re_run_cell_warns_again_under_python_s_default_filters():
    """Python shows a warning once per code line by default: a re-run cell would be silent."""
    import subprocess
    import sys

    code = (
        "import course_utils as cu\n"
        "from course_utils.datasets import make_moons\n"
        "x, y = make_moons(200, noise=0.2, seed=0)\n"
        "for run in range(2):\n"
        "    model = cu.MLP([2, 16, 2], seed=0)\n"
        "    cu.fit(model, cu.CrossEntropyLoss(), cu.SGD(model, lr=0.05), x * 1000, y,\n"
        "           epochs=1, progress=False)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("TrainingWarning: Input scale") == 2, run.stderr
