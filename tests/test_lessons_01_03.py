"""Lesson helpers of notebooks 01-03: figures build, widgets react, fits behave as taught."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import MLP  # noqa: E402
from course_utils.activations import Activation  # noqa: E402
from course_utils.checks import nb02_forward as checks02  # noqa: E402
from course_utils.lessons import nb01_activations as nb01  # noqa: E402
from course_utils.lessons import nb02_forward as nb02  # noqa: E402
from course_utils.lessons import nb03_losses as nb03  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- notebook 01 -----------------------------------------------------------------------------


def test_neuron_line_matches_the_documented_example():
    assert nb01.neuron_line(1.5, 0.0, "sigmoid") == (
        "w = 1.50, b = 0.00, φ = sigmoid: output at x = 1 is 0.8176"
    )
    assert nb01.neuron_line(1.0, -2.0, "relu").endswith("output at x = 1 is 0.0000")


def test_neuron_widget_prints_a_new_line_when_the_weight_slider_moves(capsys):
    box = nb01.neuron_widget(w=1.5, b=0.0, activation="sigmoid")
    assert "output at x = 1 is 0.8176" in capsys.readouterr().out
    w_slider, b_slider, menu = box.sliders
    w_slider.value = -1.0
    assert "w = -1.00, b = 0.00, φ = sigmoid: output at x = 1 is 0.2689" in capsys.readouterr().out
    menu.value = "tanh"
    assert "φ = tanh: output at x = 1 is -0.7616" in capsys.readouterr().out
    b_slider.value = 1.0
    assert "b = 1.00" in capsys.readouterr().out


def test_static_figures_build():
    assert len(nb01.plot_activations().axes) == 3
    assert len(nb01.plot_neuron_examples(settings=[(1, 0), (2, -1)]).axes) == 6


class Square(Activation):
    function = staticmethod(lambda z: z**2)
    derivative = staticmethod(lambda z: 2 * z)


def test_a_square_activation_network_is_a_parabola_whatever_its_width():
    x = np.linspace(-1, 1, 50)[:, None]
    y = np.abs(x)
    best = np.polyval(np.polyfit(x[:, 0], y[:, 0], 2), x[:, 0])
    floor = np.mean((best - y[:, 0]) ** 2)
    model, cost = nb01.fit_curve(x, y, width=20, activation=Square, epochs=800, seed=0)
    assert cost >= floor - 1e-9  # never better than the best parabola
    prediction = model(x)[:, 0]
    assert np.allclose(np.polyval(np.polyfit(x[:, 0], prediction, 2), x[:, 0]), prediction)
    _, relu_cost = nb01.fit_curve(x, y, width=20, activation="relu", epochs=800, seed=0)
    assert relu_cost < floor / 10


def test_plot_fits_builds_one_panel_per_activation_and_width():
    x = np.linspace(-1, 1, 20)[:, None]
    fits = {
        (label, w): nb01.fit_curve(x, x**2, w, act, epochs=5)
        for label, act in [("ReLU", "relu"), ("z²", Square)]
        for w in (1, 3)
    }
    assert len(nb01.plot_fits(x, x**2, fits).axes) == 4


def test_relus_make_a_ramp_and_a_bump_that_equal_their_parts():
    x = np.linspace(-2, 2, 401)
    ramp = nb01.relu_ramp(x, -0.5, 0.5)
    assert ramp[0] == 0 and ramp[-1] == 1 and np.all(np.diff(ramp) >= 0)
    bump = nb01.relu_bump(x, centre=0.3, width=1.0, height=0.8)
    assert bump.max() == pytest.approx(0.8) and x[bump.argmax()] == pytest.approx(0.3)
    assert bump[0] == 0 and bump[-1] == pytest.approx(0, abs=1e-12)
    parts = nb01.bump_parts(x, 0.3, 1.0, 0.8)
    assert len(parts) == 3
    np.testing.assert_allclose(sum(values for _, values in parts), bump, atol=1e-12)
    assert [label.split("·")[1] for label, _ in parts] == [
        "ReLU(x + 0.20)", "ReLU(x − 0.30)", "ReLU(x − 0.80)"
    ]  # fmt: skip


def test_bump_widget_prints_a_new_line_when_a_slider_moves(capsys):
    box = nb01.bump_widget(centre=0.0, width=1.0, height=1.0)
    assert nb01.bump_line(0.0, 1.0, 1.0) in capsys.readouterr().out
    centre, width, height = box.sliders
    height.value = -0.5
    assert "peak -0.50" in capsys.readouterr().out
    assert len(nb01.plot_bump_examples().axes) == 3


def test_relu_networks_set_by_hand_go_through_the_points_and_fit_closer_with_more_neurons():
    knots = np.array([-1.0, -0.2, 0.5, 1.0])
    values = np.array([0.0, 1.0, -0.5, 2.0])
    model = nb01.relu_interpolation(knots, values)
    np.testing.assert_allclose(model(knots[:, None])[:, 0], values, atol=1e-12)
    x = np.linspace(-1, 1, 200)[:, None]
    y = np.sin(3 * x) + 0.3 * np.sin(11 * x)
    _, costs = nb01.plot_interpolations(x, y, neurons=(3, 10, 30, 100))
    assert list(costs.values()) == sorted(costs.values(), reverse=True)
    assert costs[100] < costs[10] / 100


def test_trained_fits_get_closer_with_more_neurons_up_to_ten():
    from course_utils.datasets import make_1d_function

    x, y = make_1d_function("wiggly", n=100, dtype=np.float64)
    fits = nb01.median_fits(x, y, [1, 3, 10], "tanh", epochs=600)
    costs = [fits[w][1] for w in (1, 3, 10)]
    assert costs[0] > costs[1] > costs[2]
    assert costs[2] < costs[0] / 20


# --- notebook 02 -----------------------------------------------------------------------------


def test_hand_network_gives_the_numbers_worked_by_hand():
    y_hat = nb02.forward(np.array([[1.0, 2.0]]), nb02.HAND_NETWORK)
    np.testing.assert_allclose(y_hat, [[-0.5, 1.0]])
    net = nb02.HAND_NETWORK
    ours = checks02.mlp_forward(
        np.array([[1.0, 2.0]]),
        [net["M1"], net["M_out"]],
        [net["b1"], net["b_out"]],
        lambda z: np.maximum(z, 0),
    )
    np.testing.assert_allclose(ours, y_hat)


def test_parameter_names_and_counts_agree_with_the_library():
    assert len(nb02.parameter_names(nb02.HAND_NETWORK)) == 17 == MLP([2, 3, 2]).num_parameters()
    assert checks02.count_parameters([784, 128, 10]) == 101_770
    assert checks02.count_parameters([784, 128, 64, 10]) == MLP([784, 128, 64, 10]).num_parameters()


def test_network_widget_prints_a_new_line_and_leaves_the_hand_network_alone(capsys):
    box = nb02.network_widget(parameter="M1[0, 1]")
    assert "M1[0, 1] = 0.00: ŷ at x = (1, 2) is (-0.50, 1.00), class 1" in capsys.readouterr().out
    menu, slider = box.controls
    slider.value = 1.0
    assert "M1[0, 1] = 1.00: ŷ at x = (1, 2) is (1.50, 1.00), class 0" in capsys.readouterr().out
    menu.value = "b_out[1]"  # the slider jumps to that bias' value without changing the network
    assert slider.value == -1.0
    assert "b_out[1] = -1.00: ŷ at x = (1, 2) is (1.50, 1.00)" in capsys.readouterr().out
    assert nb02.HAND_NETWORK["M1"][0, 1] == 0.0


def test_the_labelled_points_follow_the_stated_rule_and_the_cost_reacts_to_a_weight():
    assert np.all((nb02.LABELLED_Y == 1) == (nb02.LABELLED_X[:, 1] > nb02.LABELLED_X[:, 0]))
    wrong, cost = nb02.labelled_cost(nb02.HAND_NETWORK)
    assert wrong == 0 and cost == pytest.approx(0.101, abs=5e-4)
    changed = {key: value.copy() for key, value in nb02.HAND_NETWORK.items()}
    nb02.set_parameter(changed, "M1[0, 1]", 2.0)
    assert nb02.labelled_cost(changed)[1] > cost
    assert nb02.network_line(changed, "M1[0, 1]").endswith("1 of 12 wrong, cost J = 0.355")


def test_network_figures_build():
    assert len(nb02.draw_both(nb02.HAND_NETWORK, highlight="b1[0]").axes) == 2
    assert len(nb02.plot_network_examples(values=[0.0, 1.0]).axes) == 2
    x = np.random.default_rng(0).uniform(size=(5, 64))
    assert len(nb02.show_scans(x, np.arange(5.0)[:, None]).axes) == 5


# --- notebook 03 -----------------------------------------------------------------------------


def test_two_class_losses_match_the_slides_and_numerical_gradients():
    ce, sq, d_ce, d_sq = nb03.two_class_losses(0.8)
    assert ce == pytest.approx(-np.log(0.8)) and ce == pytest.approx(0.2231, abs=1e-4)
    assert sq == pytest.approx(0.04)

    def p_of(logit):  # two classes, other logit 0
        return 1 / (1 + np.exp(-logit))

    logit, h = np.log(4.0), 1e-6
    for index, derivative in [(0, d_ce), (1, d_sq)]:
        slope = (
            nb03.two_class_losses(p_of(logit + h))[index]
            - nb03.two_class_losses(p_of(logit - h))[index]
        ) / (2 * h)
        assert slope == pytest.approx(derivative, rel=1e-5)


def test_loss_widget_prints_a_new_line_when_p_moves(capsys):
    box = nb03.loss_widget(p=0.8)
    assert nb03.loss_line(0.8) in capsys.readouterr().out
    assert nb03.loss_line(0.8) == (
        "p = 0.80: cross-entropy 0.2231, MSE 0.0400; gradients CE -0.2000, MSE -0.0640"
    )
    box.slider.value = 0.05
    assert "p = 0.05: cross-entropy 2.9957" in capsys.readouterr().out


def test_loss_figures_build():
    assert len(nb03.plot_losses(p_marks=(0.1, 0.9)).axes) == 2
    fig = nb03.plot_house_errors([1_000_000, 5_000], [800_000, 4_500], scale=[400_000, 2_000])
    assert len(fig.axes) == 2


def test_checks_name_the_subtle_mistakes():
    from course_utils.checks import evaluate, load_all
    from course_utils.checks.nb03_losses import UNSTABLE_CE, UNSTABLE_SOFTMAX, naive_softmax

    load_all()
    assert UNSTABLE_SOFTMAX in evaluate("softmax", naive_softmax).message
    assert "not transposed" in evaluate("dense_forward", lambda x, M, b: x @ M + b).message

    def ce_via_softmax(logits, y):  # right, but log(0) for huge logits
        shifted = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(p[np.arange(len(y)), y])))

    assert UNSTABLE_CE in evaluate("cross_entropy_from_logits", ce_via_softmax).message
