"""course_utils.metrics: the standard error of an accuracy (notebooks 06 and 07)."""

import math

import numpy as np
import pytest

from course_utils.metrics import difference_standard_error, standard_error, with_standard_error


def test_the_notebooks_numbers():
    # notebook 06: 85.2 % on 270 validation points is uncertain by about 2.2 points
    assert standard_error(0.852, 270) == pytest.approx(0.02161, abs=1e-5)
    assert standard_error(0.5, 100) == pytest.approx(0.05)
    assert standard_error(1.0, 50) == 0.0 and standard_error(0.0, 50) == 0.0
    assert with_standard_error(0.852, 270) == "85.2 ± 2.2 %"
    assert difference_standard_error(0.852, 270, 0.822, 270) == pytest.approx(
        math.hypot(standard_error(0.852, 270), standard_error(0.822, 270))
    )


def test_an_error_rate_has_the_same_standard_error_as_its_accuracy():
    assert standard_error(0.2, 400) == pytest.approx(standard_error(0.8, 400))


def test_it_matches_the_scatter_of_simulated_accuracies():
    """What the standard error promises: re-measured on fresh examples, accuracies scatter so."""
    rng = np.random.default_rng(0)
    for p, n in [(0.85, 270), (0.95, 400), (0.6, 50)]:
        measured = rng.binomial(n, p, size=20_000) / n
        assert measured.std() == pytest.approx(standard_error(p, n), rel=0.03)


def test_arrays_of_accuracies():
    se = standard_error(np.array([0.5, 0.9]), 100)
    np.testing.assert_allclose(se, [0.05, 0.03])


@pytest.mark.parametrize(
    "accuracy, n, message",
    [
        (85.2, 270, "divide it by 100"),
        (-0.1, 270, "between 0 and 1"),
        (float("nan"), 270, "between 0 and 1"),
        (0.85, 0, "int >= 1"),
        (0.85, 2.5, "int >= 1"),
        (0.85, True, "int >= 1"),
    ],
)
def test_bad_input_gets_a_message_saying_what_was_expected(accuracy, n, message):
    with pytest.raises(ValueError, match=message):
        standard_error(accuracy, n)


def test_numpy_integers_are_counts_too():
    y = np.zeros(270)
    assert standard_error(0.852, np.int64(len(y))) == standard_error(0.852, 270)
