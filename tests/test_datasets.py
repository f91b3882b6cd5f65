"""Tests for course_utils.datasets: shapes, dtypes, seeds, ranges and the split."""

import functools

import numpy as np
import pytest

from course_utils import datasets

CLASSIFICATION = [
    datasets.make_chihuahua_muffin,
    datasets.make_spirals,
    datasets.make_moons,
    datasets.make_bad_descriptors,
]
REGRESSION = [datasets.make_treatment_scans, datasets.make_houses, datasets.make_1d_function]


def linear_accuracy(x_train, y_train, x_test, y_test):
    """Accuracy of a least-squares linear classifier: a quick check of how learnable y is."""
    with_bias = np.c_[x_train, np.ones(len(x_train))]
    weights = np.linalg.lstsq(with_bias, 2.0 * y_train - 1, rcond=None)[0]
    predicted = np.c_[x_test, np.ones(len(x_test))] @ weights > 0
    return np.mean(predicted == y_test)


@pytest.mark.parametrize("make", CLASSIFICATION + REGRESSION)
def test_same_seed_same_data_other_seed_other_data(make):
    if make is datasets.make_1d_function:  # without noise it does not use the seed
        make = functools.partial(make, noise=0.1)
    x1, y1 = make(seed=0)
    x2, y2 = make(seed=0)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    x3, y3 = make(seed=1)
    assert not (np.array_equal(x1, x3) and np.array_equal(y1, y3))


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_shapes(make):
    x, y = make(n=100)
    assert x.shape[0] == 100 and x.ndim == 2 and x.dtype == np.float32
    assert y.shape == (100,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert make(n=10, dtype=np.float64)[0].dtype == np.float64
    assert np.all(np.isfinite(x))


@pytest.mark.parametrize("make", [datasets.make_spirals, datasets.make_moons])
def test_two_dimensional_and_balanced(make):
    x, y = make(n=200)
    assert x.shape == (200, 2) and list(np.bincount(y)) == [100, 100]


def test_treatment_scans():
    x, y = datasets.make_treatment_scans(n=300, size=8)
    assert x.shape == (300, 64) and y.shape == (300, 1) and x.dtype == np.float32
    assert 0 <= x.min() and x.max() <= 1
    assert 0 <= y.min() and y.max() <= 100 and y.max() - y.min() > 70


def test_houses_have_the_scale_problem():
    x, y = datasets.make_houses(n=1000)
    assert x.shape == (1000, 3) and y.shape == (1000, 2) and y.dtype == np.float32
    size, location, age = x.T
    assert 30 <= size.min() and size.max() <= 250
    assert 0 <= location.min() and location.max() <= 10
    assert 0 <= age.min() and age.max() <= 100
    price, rent = y.T
    assert 500_000 < price.mean() < 1_500_000 and price.min() > 0
    assert 2_000 < rent.mean() < 8_000 and rent.min() > 0
    assert price.std() / x.std(axis=0).min() > 1e5  # targets and features far apart in scale
    assert len(datasets.HOUSE_FEATURES) == 3 and len(datasets.HOUSE_TARGETS) == 2


def test_chihuahua_muffin_is_mostly_separable():
    x, y = datasets.make_chihuahua_muffin(n=400)
    assert x.shape == (400, 2) and list(np.bincount(y)) == [200, 200]
    assert 0.85 < linear_accuracy(x, y, x, y) < 1.0
    assert datasets.CHIHUAHUA_MUFFIN_CLASSES == ("chihuahua", "muffin")


@pytest.mark.parametrize("kind", datasets.ONE_D_KINDS)
def test_1d_function(kind):
    x, y = datasets.make_1d_function(kind, n=50)
    assert x.shape == (50, 1) and y.shape == (50, 1)
    assert np.all(np.diff(x[:, 0]) > 0) and x.min() == -1 and x.max() == 1
    if kind == "abs":
        np.testing.assert_allclose(y, np.abs(x))
    noisy = datasets.make_1d_function(kind, n=50, noise=0.1)[1]
    assert not np.array_equal(noisy, y)


def test_1d_function_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        datasets.make_1d_function("cubic")


def test_spirals_are_not_linearly_separable():
    x, y = datasets.make_spirals(n=400)
    assert linear_accuracy(x, y, x, y) < 0.75


def test_bad_descriptors_carry_no_information_good_ones_do():
    for informative, low, high in [(False, 0.4, 0.6), (True, 0.9, 1.0)]:
        x, y = datasets.make_bad_descriptors(n=2000, n_features=10, informative=informative)
        assert x.shape == (2000, 10)
        (x_tr, y_tr), _, (x_te, y_te) = datasets.train_val_test_split(x, y, (0.5, 0.0, 0.5))
        assert low <= linear_accuracy(x_tr, y_tr, x_te, y_te) <= high


def test_split_sizes_and_disjoint():
    x = np.arange(1000).reshape(100, 10)
    y = np.arange(100)
    (a, ya), (b, yb), (c, yc) = datasets.train_val_test_split(x, y)
    assert (len(a), len(b), len(c)) == (80, 10, 10)
    used = np.concatenate([ya, yb, yc])
    assert sorted(used) == list(range(100))  # every item exactly once
    np.testing.assert_array_equal(a[:, 0], ya * 10)  # x and y stay paired
    again = datasets.train_val_test_split(x, y)[0][1]
    np.testing.assert_array_equal(again, ya)
    other = datasets.train_val_test_split(x, y, seed=1)[0][1]
    assert not np.array_equal(other, ya)


def test_split_stratified_keeps_class_mix():
    y = np.repeat([0, 1, 2], [500, 300, 200])
    x = np.arange(1000, dtype=float)[:, None]
    parts = datasets.train_val_test_split(x, y, stratify=True, seed=3)
    expected = [[400, 240, 160], [50, 30, 20], [50, 30, 20]]
    for (_, part_y), counts in zip(parts, expected, strict=True):
        assert list(np.bincount(part_y, minlength=3)) == counts
    plain = datasets.train_val_test_split(x, y, seed=3)
    assert sum(len(part_y) for _, part_y in plain) == 1000


def test_split_errors():
    x, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(ValueError, match="same length"):
        datasets.train_val_test_split(x, y[:5])
    with pytest.raises(ValueError, match="add up to 1"):
        datasets.train_val_test_split(x, y, (0.8, 0.3, 0.1))
    with pytest.raises(ValueError, match="add up to 1"):
        datasets.train_val_test_split(x, y, (0.8, 0.2))


def test_stratified_split_leaves_a_zero_fraction_part_empty():
    x = np.arange(1003).reshape(-1, 1)
    y = np.arange(1003) % 7
    train, val, test = datasets.train_val_test_split(x, y, (0.9, 0.1, 0.0), stratify=True)
    assert len(test[0]) == 0
    assert len(train[0]) + len(val[0]) == 1003
