"""Pole sums, their data generator and the batched Levenberg–Marquardt fitter (notebook 08)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.poles import (
    CLASSES,
    N_CURVES,
    POLE_IM,
    POLE_RE,
    RESIDUE,
    X_GRID,
    canonical,
    levenberg_marquardt,
    make_classifier_data,
    make_pair_data,
    n_params,
    pole_error,
    pole_sum,
    pole_sum_jacobian,
    pole_terms,
    poles_of,
    propagator_cases,
    propagator_curves,
    sample_params,
)

x = X_GRID

# Known pole sums, one per class: θ laid out as in course_utils.poles (real poles first).
KNOWN = {
    (1, 0): [-2.0, 0.7, -0.4],
    (0, 1): [-0.8, 1.92, 0.5, -0.3, 0.36, -0.76],  # the propagator case of notebook 08
    (2, 0): [-0.5, 0.3, 0.8, -6.0, -0.9, 0.5],
    (1, 1): [-7.0, 0.6, -0.5, -2.0, 3.0, 0.6, -0.4, -0.5, 0.3],
    (0, 2): [-1.0, 2.0, 0.5, 0.2, -0.3, 0.6, -5.0, 6.0, -0.8, 0.4, 0.7, -0.5],
}


def test_one_pair_is_c_over_x_minus_p_plus_its_conjugate():
    theta = np.array([KNOWN[(0, 1)]])
    p, c1, c2 = -0.8 + 1.92j, 0.5 - 0.3j, 0.36 - 0.76j
    expected = [c / (x - p) + np.conj(c) / (x - np.conj(p)) for c in (c1, c2)]
    np.testing.assert_allclose(pole_sum(x, theta, 0, 1)[0], np.real(expected), rtol=1e-13)


def test_real_poles_and_terms_add_up():
    theta = np.array([KNOWN[(2, 0)]])
    expected = [0.3 / (x + 0.5) - 0.9 / (x + 6.0), 0.8 / (x + 0.5) + 0.5 / (x + 6.0)]
    np.testing.assert_allclose(pole_sum(x, theta, 2, 0)[0], expected, rtol=1e-13)
    assert pole_terms(x, theta, 2, 0).shape == (1, 2, N_CURVES, len(x))


@pytest.mark.parametrize("kind", CLASSES)
def test_jacobian_matches_finite_differences(kind):
    theta = sample_params(3, *kind, np.random.default_rng(1))
    jac = pole_sum_jacobian(x, theta, *kind)
    assert jac.shape == (3, N_CURVES * len(x), n_params(*kind))
    eps = 1e-6
    for k in range(theta.shape[1]):
        d = np.zeros(theta.shape[1])
        d[k] = eps
        numeric = (pole_sum(x, theta + d, *kind) - pole_sum(x, theta - d, *kind)) / (2 * eps)
        np.testing.assert_allclose(jac[:, :, k], numeric.reshape(3, -1), atol=1e-7 * abs(jac).max())


def test_flipping_a_pair_to_the_lower_half_plane_changes_nothing():
    theta = sample_params(5, 1, 2, np.random.default_rng(2))
    flipped = theta.copy()
    for start in (3, 9):  # second pole block, third pole block: b and Im c change sign
        flipped[:, [start + 1, start + 3, start + 5]] *= -1
    np.testing.assert_allclose(pole_sum(x, flipped, 1, 2), pole_sum(x, theta, 1, 2), atol=1e-14)
    np.testing.assert_allclose(canonical(flipped, 1, 2), theta)


@pytest.mark.parametrize("kind", CLASSES)
def test_lm_recovers_known_poles_from_nearby_starts(kind):
    truth = np.array([KNOWN[kind]])
    y = np.repeat(pole_sum(x, truth, *kind), 20, axis=0)
    rng = np.random.default_rng(3)
    start = truth * (1 + 0.1 * rng.standard_normal((20, truth.shape[1])))  # 10% off
    fitted, chi2, iterations = levenberg_marquardt(x, y, start, *kind)
    assert pole_error(fitted, np.repeat(truth, 20, axis=0), *kind).max() < 1e-6
    np.testing.assert_allclose(fitted, np.repeat(truth, 20, axis=0), atol=1e-6)
    assert chi2.max() < 1e-20 and iterations.max() < 300  # stopped by convergence


def test_lm_from_random_starts_mostly_finds_one_pair():
    curves, truth = make_pair_data(300, seed=4)
    start = sample_params(300, 0, 1, np.random.default_rng(5))
    fitted, _, iterations = levenberg_marquardt(x, curves, start, 0, 1)
    success = pole_error(fitted, truth, 0, 1) < 1e-6
    assert success.mean() > 0.75
    assert iterations.max() <= 300


def test_lm_survives_hopeless_starts_and_keeps_the_others():
    truth = np.array([KNOWN[(0, 1)]] * 3)
    start = truth.copy()
    start[0, :2] = x[10], 0.0  # the pole sits on a grid point: f is infinite there
    start[1, 2:] = 0.0  # all residues zero: no gradient with respect to the pole
    fitted, chi2, iterations = levenberg_marquardt(x, pole_sum(x, truth, 0, 1), start, 0, 1)
    assert chi2[0] == np.inf and iterations[0] == 0
    assert pole_error(fitted[1:], truth[1:], 0, 1).max() < 1e-6


def test_lm_trace_records_the_path():
    truth = np.array([KNOWN[(0, 1)]])
    start = truth + 0.2
    _, _, iterations, path = levenberg_marquardt(
        x, pole_sum(x, truth, 0, 1), start, 0, 1, trace=True
    )
    assert path.shape == (iterations[0] + 1, 1, 6)
    np.testing.assert_allclose(path[0], start)
    np.testing.assert_allclose(path[-1], truth, atol=1e-8)


def test_pole_error_ignores_the_order_of_two_poles():
    truth = np.array([KNOWN[(0, 2)]])
    swapped = np.concatenate([truth[:, 6:], truth[:, :6]], axis=1)
    assert pole_error(swapped, truth, 0, 2)[0] == 0
    moved = truth.copy()
    moved[0, 0] *= 1.01  # Re p of the first pair 1% further out
    assert pole_error(moved, truth, 0, 2)[0] == pytest.approx(0.01 / np.hypot(1, 2), rel=1e-9)


def test_classifier_data_shapes_classes_and_seeding():
    curves, labels = make_classifier_data(40, seed=0)
    assert curves.shape == (5 * 40, N_CURVES, len(x))
    assert np.bincount(labels).tolist() == [40] * 5
    again, labels_again = make_classifier_data(40, seed=0)
    np.testing.assert_array_equal(again, curves)
    np.testing.assert_array_equal(labels_again, labels)
    other, _ = make_classifier_data(40, seed=1)
    assert not np.allclose(other, curves)
    assert np.isfinite(curves).all()


def test_pair_data_lies_in_the_box_and_matches_its_parameters():
    curves, theta = make_pair_data(500, seed=0)
    assert curves.shape == (500, N_CURVES, len(x)) and theta.shape == (500, 6)
    p = poles_of(theta, 0, 1)[:, 0]
    assert POLE_RE[0] <= p.real.min() and p.real.max() <= POLE_RE[1]
    assert POLE_IM[0] <= p.imag.min() and p.imag.max() <= POLE_IM[1]
    assert RESIDUE[0] <= theta[:, 2:].min() and theta[:, 2:].max() <= RESIDUE[1]
    np.testing.assert_allclose(pole_sum(x, theta, 0, 1), curves)
    np.testing.assert_array_equal(make_pair_data(500, seed=0)[1], theta)


def test_propagator_is_the_pair_at_minus_m_squared():
    # σ_V = z/(x + m²) + c.c., σ_S = z m/(x + m²) + c.c. with z = 0.5 + 0.3i, m = 1.2 + 0.8i:
    # the pole −m² = −0.8 − 1.92i, i.e. the pair −0.8 ± 1.92i with residues z* and (z m)*
    curves = propagator_curves(0.5 + 0.3j, 1.2 + 0.8j)
    assert curves.shape == (1, N_CURVES, len(x))
    np.testing.assert_allclose(curves, pole_sum(x, np.array([KNOWN[(0, 1)]]), 0, 1), atol=1e-14)


def test_propagator_cases_lie_where_asked_and_match_their_parameters():
    curves, theta = propagator_cases(300, (-0.5, -0.1), (0.1, 0.5), seed=1)
    assert curves.shape == (300, N_CURVES, len(x)) and theta.shape == (300, 6)
    p = poles_of(theta, 0, 1)[:, 0]
    assert -0.5 <= p.real.min() and p.real.max() <= -0.1
    assert 0.1 <= p.imag.min() and p.imag.max() <= 0.5
    assert RESIDUE[0] <= theta[:, 2:].min() and theta[:, 2:].max() <= RESIDUE[1]
    np.testing.assert_allclose(curves, pole_sum(x, theta, 0, 1), atol=1e-12)
    # far from the origin |m| > 1, so many draws have z m outside the box: still n cases
    far_curves, far_theta = propagator_cases(200, (-9, -1), (1, 9), seed=2)
    assert len(far_theta) == 200 and np.abs(far_theta[:, 2:]).max() <= RESIDUE[1]
    np.testing.assert_array_equal(propagator_cases(200, (-9, -1), (1, 9), seed=2)[1], far_theta)


def test_lesson_figures_draw():
    from course_utils.lessons import nb08_poles as lesson

    rng = np.random.default_rng(0)
    theta = sample_params(50, 0, 1, rng)
    lesson.plot_pole_examples(x, [(theta[0], 0, 1, "1 pair"), (theta[1], 0, 1, "another")])
    lesson.plot_pole_settings(x, [(-1.0, 2.0, 0.5, -0.3), (-5.0, 0.5, 0.2, 0.1)])
    assert lesson.pole_line(-0.8, 1.92, 0.5, -0.3).startswith("p = -0.80 + 1.92i, c = 0.50 - 0.30i")
    lesson.plot_hidden_poles(
        rng.uniform(0, 0.05, 50), rng.uniform(size=50) < 0.3, (np.array([KNOWN[(1, 1)]]), 1, 1), "t"
    )
    lesson.plot_regression(theta, theta + 0.1, rng.uniform(1e-3, 1, 50))
    lesson.plot_fit_comparison({"a": rng.uniform(size=50)}, {"a": rng.integers(1, 300, 50)})
    lesson.plot_paths({"start": np.stack([theta[0], theta[1]])}, theta[1])
    window = ((-11, 1), (-0.5, 11))
    lesson.plot_test_cases([("in", [-1 + 2j, -3 + 1j], [-1.1 + 2j, 5 + 1j], window)])
    lesson.plot_noise_fits([-1 + 2j], poles_of(sample_params(5, 0, 2, rng), 0, 2), "noise")
    plt.close("all")
