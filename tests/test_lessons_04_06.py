"""Notebooks 04–05: lesson helpers, exercise references against the library, and the checks.

The references of the exercises are written in plain NumPy; these tests prove they compute
the same as course_utils' layers, optimizers and fit, that every typical mistake is named by
its own message, and that the figure and widget helpers run.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils.checks import EXERCISES, evaluate, load_all  # noqa: E402
from course_utils.checks import nb04_backprop as ex04  # noqa: E402
from course_utils.checks import nb05_sgd as ex05  # noqa: E402
from course_utils.gradcheck import numerical_gradient, relative_error  # noqa: E402
from course_utils.lessons import nb04_backprop as lesson04  # noqa: E402
from course_utils.lessons import nb05_sgd as lesson05  # noqa: E402

load_all()
MINE = [
    "relu_backward", "linear_backward", "softmax_ce_backward", "two_layer_gradients",
    "network_backward", "fixed_backward", "he_init",
    "sgd_update", "minibatches", "train", "momentum_update",
]  # fmt: skip


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the exercises' checks -------------------------------------------------------------------


@pytest.mark.parametrize("name", MINE)
def test_a_stub_is_not_attempted_and_an_unrelated_answer_is_not_a_named_mistake(name):
    def stub(*args):
        raise NotImplementedError

    assert evaluate(name, stub).status == "not attempted"
    for unrelated in (lambda *args: 42, lambda *args: None):
        result = evaluate(name, unrelated)
        assert result.status in ("wrong", "mistake"), result
        assert not any(m.message in result.message for m in EXERCISES[name].mistakes), result


@pytest.mark.parametrize("name", MINE)
def test_an_unrecognised_wrong_answer_gets_feedback_not_a_traceback(name):
    """The reference's result, slightly changed: wrong, but not one of the named mistakes."""
    exercise = EXERCISES[name]

    def nudge(value):
        if isinstance(value, tuple | list):
            return (
                type(value)(nudge(v) for v in value)
                if isinstance(value, tuple)
                else [nudge(v) for v in value]
            )
        return np.asarray(value) + 100

    def almost(*args):
        return nudge(exercise.reference(*args))

    result = evaluate(name, almost)
    assert result.status == "wrong", result.message
    assert "expected" in result.message


# --- notebook 04: backpropagation --------------------------------------------------------------


def test_hand_worked_example_numbers():
    v = lesson04.flow_values(2.0, 1.0)
    np.testing.assert_allclose(v["z1"], [2, -1.5])
    assert v["y_hat"] == -2.5 and v["loss"] == 12.25 and v["d_yhat"] == -7
    np.testing.assert_allclose(v["dM_out"], [[-14, 0]])
    np.testing.assert_allclose(v["d_o1"], [10.5, -14])
    np.testing.assert_allclose(v["dM1"], [[21], [0]])
    np.testing.assert_allclose(v["db1"], [10.5, 0])
    assert "-0.00" not in lesson04.step_text(9, v)


def test_hand_worked_example_matches_the_library_network():
    first, second = cu.Linear(1, 2, dtype=np.float64), cu.Linear(2, 1, dtype=np.float64)
    first.M[...], first.b[...] = lesson04.M1, lesson04.B1
    second.M[...], second.b[...] = lesson04.M_OUT, lesson04.B_OUT
    net = cu.Sequential(first, cu.ReLU(), second)
    loss = cu.MSELoss()  # one example, one output: (ŷ − y)²
    for x, y in [(2.0, 1.0), (-1.0, 2.5), (0.75, -3.0)]:
        v = lesson04.flow_values(x, y)
        assert loss(net(np.array([[x]])), np.array([[y]])) == pytest.approx(v["loss"])
        net.backward(loss.backward())
        np.testing.assert_allclose(first.dM, v["dM1"])
        np.testing.assert_allclose(first.db, v["db1"])
        np.testing.assert_allclose(second.dM, v["dM_out"])
        np.testing.assert_allclose(second.db, v["db_out"])


def test_relu_and_linear_backward_references_equal_the_layers():
    rng = np.random.default_rng(0)
    z, grad = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    relu = cu.ReLU()
    relu.forward(z)
    np.testing.assert_array_equal(ex04.relu_backward(grad, z), relu.backward(grad))

    layer = cu.Linear(3, 2, seed=1, dtype=np.float64)
    x, g = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    layer.forward(x)
    dx = layer.backward(g)
    for mine, theirs in zip(ex04.linear_backward(g, x, layer.M), (dx, layer.dM, layer.db)):
        np.testing.assert_allclose(mine, theirs)


def test_two_layer_gradients_pass_a_gradient_check_and_equal_the_library():
    x, y, M1, b1, M_out, b_out = ex04.network(7, 5)
    params = [M1, b1, M_out, b_out]
    grads = ex04.two_layer_gradients(x, y, *params)
    for p, g in zip(params, grads):
        measured = numerical_gradient(lambda: ex04.two_layer_cost(x, y, *params), p)
        assert relative_error(g, measured) < 1e-7

    net = cu.MLP([3, 4, 2], activation="tanh", dtype=np.float64)
    net.load_state_dict({"0.M": M1, "0.b": b1, "2.M": M_out, "2.b": b_out})
    loss = cu.MSELoss()
    loss(net(x), y)
    net.backward(loss.backward())
    library = [net.layers[0].dM, net.layers[0].db, net.layers[2].dM, net.layers[2].db]
    for mine, theirs in zip(grads, library):
        np.testing.assert_allclose(mine, theirs)


def test_softmax_ce_backward_is_the_gradient_of_the_cost_and_equals_the_library():
    for logits, y in ex04.SOFTMAX_CE_CASES[:2]:
        logits = logits.copy()
        measured = numerical_gradient(lambda: cu.cross_entropy(logits, y), logits)  # noqa: B023
        assert relative_error(ex04.softmax_ce_backward(logits, y), measured) < 1e-7
        loss = cu.CrossEntropyLoss()
        loss(logits, y)
        np.testing.assert_allclose(ex04.softmax_ce_backward(logits, y), loss.backward())
    p = ex04.softmax_ce_backward(np.log([[0.5, 0.3, 0.2]]), np.array([1]))
    np.testing.assert_allclose(p, [[0.5, -0.7, 0.2]])  # the notebook's pen-and-paper numbers
    huge = ex04.softmax_ce_backward(np.array([[1000.0, 0.0]]), np.array([1]))
    assert np.all(np.isfinite(huge))


@pytest.mark.parametrize("sizes", [[3, 4, 3], [2, 16, 16, 3], [5, 2]])
def test_network_backward_equals_the_library_and_finite_differences(sizes):
    x, y, Ms, bs = ex04.network_case(11, sizes, 9)
    dMs, dbs = ex04.network_backward(x, y, Ms, bs)
    net = cu.MLP(sizes, seed=0, dtype=np.float64)
    linears = [layer for layer in net.layers if isinstance(layer, cu.Linear)]
    for layer, M, b in zip(linears, Ms, bs):
        layer.M[...], layer.b[...] = M, b
    loss = cu.CrossEntropyLoss()
    loss(net(x), y)
    net.backward(loss.backward())
    for layer, dM, db in zip(linears, dMs, dbs):
        np.testing.assert_allclose(dM, layer.dM)
        np.testing.assert_allclose(db, layer.db)
        measured = numerical_gradient(lambda: loss(net(x), y), layer.M)
        assert relative_error(dM, measured) < 1e-6


def test_the_planted_bugs_are_where_the_notebook_says_and_the_fix_removes_them():
    x, y, *params = ex04.sigmoid_network_case(0, 6)
    names = ["M1", "b1", "M2", "b2", "M_out", "b_out"]
    buggy = dict(zip(names, ex04.buggy_backward(x, y, *params)))
    fixed = dict(zip(names, ex04.fixed_backward(x, y, *params)))
    wrong = set()
    for name, p in zip(names, params):
        measured = numerical_gradient(lambda: ex04.sigmoid_network_cost(x, y, *params), p)
        assert relative_error(fixed[name], measured) < 1e-7
        if relative_error(buggy[name], measured) > 1e-3:
            wrong.add(name)
    assert wrong == {"M1", "b1", "b_out"}


def test_he_init_has_the_he_spread_and_matches_the_library_draws():
    M = ex04.he_init(784, 128, np.random.default_rng(0))
    assert M.shape == (128, 784)
    assert abs(M.std() - np.sqrt(2 / 784)) < 0.002
    library = cu.Linear(784, 128, init="he", rng=np.random.default_rng(0), dtype=np.float64)
    np.testing.assert_allclose(library.M, M)


def test_initialisation_lessons():
    zeros, constant, random = (lesson04.train_with_init(i) for i in ("zeros", "constant", "random"))
    assert zeros["different"] == 1 and zeros["accuracy"] == 0.5  # only b_out learns
    assert constant["different"] == 1  # symmetry never breaks
    assert random["different"] == 8 and random["accuracy"] > constant["accuracy"]
    he = lesson04.layer_output_stds("he")
    assert 0.3 < he[-1] < 3  # keeps its spread
    assert lesson04.layer_output_stds(0.01)[-1] < 1e-8  # vanishes
    assert lesson04.layer_output_stds(1.0)[-1] > 1e6  # explodes
    assert lesson04.layer_output_stds(1.0, "tanh")[-1] > 0.9  # saturates
    assert lesson04.plot_init_runs({"zeros": zeros, "random": random}) is not None
    assert lesson04.plot_init_scales(depth=3, width=10) is not None
    assert lesson04.draw_shapes() is not None
    assert lesson04.plot_softmax_gradient([0.5, 0.3, 0.2], 1) is not None


def test_sigmoid_gradients_vanish_through_depth_and_relu_gradients_do_not():
    sigmoid = lesson04.median_gradient_norms("sigmoid")
    relu = lesson04.median_gradient_norms("relu")
    assert sigmoid[0] / sigmoid[-1] < 1e-3
    assert 0.1 < relu[0] / relu[-1] < 10
    assert np.all(np.diff(np.log(sigmoid)) > 0)  # shrinking at every layer, going back
    assert lesson04.plot_gradient_norms({"sigmoid": sigmoid, "ReLU": relu}) is not None


def test_flow_figure_and_widget_run():
    assert lesson04.draw_flow_steps((0, 4, 9)) is not None
    lesson04.flow_widget(x=-1.0, y=2.0)


# --- notebook 05: stochastic gradient descent ------------------------------------------------


def test_sgd_and_momentum_references_equal_the_optimizer():
    for momentum in (0.0, 0.9):
        net = cu.MLP([2, 3, 2], seed=0, dtype=np.float64)
        optimizer = cu.SGD(net, lr=0.1, momentum=momentum)
        params = [p.copy() for p, _ in net.parameters()]
        velocities = [np.zeros_like(p) for p in params]
        rng = np.random.default_rng(1)
        for _ in range(3):
            grads = [rng.normal(size=p.shape) for p in params]
            for (_, g_lib), g in zip(net.parameters(), grads):
                g_lib[...] = g
            optimizer.step()
            if momentum:
                params, velocities = ex05.momentum_update(params, grads, velocities, 0.1, momentum)
            else:
                params = ex05.sgd_update(params, grads, 0.1)
        for (p_lib, _), p in zip(net.parameters(), params):
            np.testing.assert_allclose(p_lib, p)


@pytest.mark.parametrize("n, batch_size", [(10, 3), (64, 64), (5, 8), (100, 7)])
def test_minibatches_cover_every_index_once_in_the_library_order(n, batch_size):
    batches = ex05.minibatches(n, batch_size, np.random.default_rng(3))
    assert all(len(b) == batch_size for b in batches[:-1]) and 0 < len(batches[-1]) <= batch_size
    everything = np.concatenate(batches)
    np.testing.assert_array_equal(np.sort(everything), np.arange(n))
    np.testing.assert_array_equal(everything, np.random.default_rng(3).permutation(n))


def test_train_reference_takes_the_same_steps_as_fit():
    x, y = cu.datasets.make_moons(50, noise=0.2, seed=0)
    mine, theirs = cu.MLP([2, 8, 2], seed=0), cu.MLP([2, 8, 2], seed=0)
    costs = ex05.train(
        mine, cu.CrossEntropyLoss(), cu.SGD(mine, lr=0.1), x, y, 3, 16, np.random.default_rng(4)
    )
    assert len(costs) == 3 * 4 and all(isinstance(c, float) for c in costs)
    history = cu.fit(
        theirs, cu.CrossEntropyLoss(), cu.SGD(theirs, lr=0.1), x, y, 3, 16, seed=4, progress=False
    )
    for (a, _), (b, _) in zip(mine.parameters(), theirs.parameters()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    epoch_means = [np.average(costs[i : i + 4], weights=[16, 16, 16, 2]) for i in (0, 4, 8)]
    np.testing.assert_allclose(epoch_means, history["train_loss"], rtol=1e-5)


def test_train_lowers_the_house_cost():
    x, y = cu.datasets.make_houses(200, seed=0)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = (y - y.mean(axis=0)) / y.std(axis=0)
    net = cu.MLP([3, 16, 2], seed=0)
    costs = ex05.train(
        net, cu.MSELoss(), cu.SGD(net, lr=0.05), x, y, 20, 32, np.random.default_rng(0)
    )
    assert np.mean(costs[-7:]) < 0.3 * np.mean(costs[:7])


def test_in_the_valley_the_oscillating_rate_ends_about_60_times_lower():
    def end(lr):
        return lesson05.cost_2d(lesson05.descend(lesson05.grad_2d, lesson05.START_2D, lr, 20)[-1])

    assert 50 < end(0.4) / end(0.9) < 70


def test_momentum_paths_match_the_exercise_and_the_figure_builds():
    path = lesson05.descend_momentum(lesson05.grad_2d, lesson05.START_2D, 0.05, 0.9, 20)
    params, velocities = [lesson05.START_2D.copy()], [np.zeros(2)]
    for _ in range(20):
        params, velocities = ex05.momentum_update(
            params, [lesson05.grad_2d(params[0])], velocities, 0.05, 0.9
        )
    np.testing.assert_allclose(path[-1], params[0])
    plain = lesson05.descend(lesson05.grad_2d, lesson05.START_2D, 0.05, 20)
    assert lesson05.cost_2d(path[-1]) < lesson05.cost_2d(plain[-1]) / 2
    assert lesson05.draw_momentum_paths(steps=10) is not None


def test_equal_updates_make_similar_progress_but_differ_in_work():
    x, y = cu.datasets.make_moons(200, noise=0.2, seed=0)
    runs = {b: lesson05.cost_by_update(x, y, b, 150) for b in (200, 20, 1)}
    for numbers, costs, seconds in runs.values():
        assert numbers[-1] == 150 and costs[-1] < costs[0] and seconds > 0
    finals = [costs[-1] for _, costs, _ in runs.values()]
    assert max(finals) - min(finals) < 0.1
    assert lesson05.plot_equal_updates(runs) is not None
    assert lesson05.plot_batch_costs(np.linspace(1.0, 0.1, 26), 13) is not None


def test_learning_rate_regimes():
    assert lesson05.diverged(lesson05.descend(lesson05.grad_1d, 0.0, 1.2, 20))
    assert lesson05.diverged(lesson05.descend(lesson05.grad_2d, lesson05.START_2D, 1.2, 20))
    good = lesson05.descend(lesson05.grad_1d, 0.0, 0.4, 20)
    assert abs(good[-1] - 3) < 1e-6
    slow = lesson05.descend(lesson05.grad_1d, 0.0, 0.05, 20)
    assert 1 < slow[-1] < 3  # crawls, from the left, no overshoot
    assert "diverged" in lesson05.summary(1.2)
    assert "diverged" not in lesson05.summary(0.9)


def test_large_learning_rate_on_houses_raises_training_diverged_with_epoch_and_batch():
    x, y = cu.datasets.make_houses(200, seed=0)
    net = cu.MLP([3, 32, 32, 2], seed=0)
    with pytest.raises(cu.TrainingDiverged, match=r"epoch 1, batch \d+"):
        cu.fit(
            net, cu.MSELoss(), cu.SGD(net, lr=0.01), x, y, epochs=2, batch_size=32, progress=False
        )


def test_sgd_figures_and_widget_run():
    assert lesson05.draw_learning_rates() is not None
    lesson05.learning_rate_widget()
    history = cu.training.History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.7])
    live = lesson05.LiveLossPlot(epochs=2, every=1)
    live(1, history)
    live(2, history)
    results = {
        8: ([1.0, 0.8, 0.6], [0.9, 0.7], [0.01, 0.01]),
        1: ([1.0] * 6, [0.8, 0.5], [0.1] * 2),
    }
    assert lesson05.plot_batch_sizes(results) is not None
    assert lesson05.plot_optimizers({"SGD": {"train_loss": [1.0, 0.5]}}) is not None
    with lesson05.Stopwatch() as watch:
        pass
    assert watch.seconds >= 0
