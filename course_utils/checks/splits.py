"""What the sizes and the slices of a three-way split (seeded_split) tell about an answer.

split_sizes() is the exercise's diagnosis (see Exercise.diagnosis): a set whose size comes
from int() or a rounding up instead of round(), from another set's fraction, or that runs
to the end; a test set of round(f_test · n) entries instead of the rest; indices that no set
holds; and, for an answer cut from the right shuffled order, the slice each wrong set should
be. A fix is offered only for a set that is wrong: a set that is right already does what
the fix says.
"""

import math

import numpy as np

from .diagnose import slice_of

SET_NAMES = ("train_idx", "val_idx", "test_idx")

SLICES = (
    "the training slice should start at 0 and end at n_train: order[:n_train]",
    "the validation slice should start at n_train and end at n_train + n_val: "
    "order[n_train:n_train + n_val]",
    "the test set is the rest: its slice should start at n_train + n_val and run to the end, "
    "order[n_train + n_val:]",
)


def entries(count):
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def split_sizes(got, expected, context):
    """Name how the sizes of the three sets were computed, or the indices no set holds."""
    n, fractions, _ = context.args
    sizes = [len(part) for part in got]
    right = [len(part) for part in expected]
    found = {}
    for i, name in enumerate(SET_NAMES[:2]):
        room = max(n - sum(sizes[:i]), 0)  # a slice past the end stops at n
        if sizes[i] == right[i]:
            continue
        f = fractions[i]
        if sizes[i] == min(int(f * n), room) != round(f * n):
            found[("int",)] = (
                f"{name} has {entries(sizes[i])}, expected round({f:g} · {n}) = {right[i]}: int() "
                f"cuts {f * n:g} down to {int(f * n)}; use round(f · n)."
            )
        if sizes[i] == min(math.ceil(f * n), room) != round(f * n):
            half = " (a half goes to the even number)" if (f * n) % 1 == 0.5 else ""
            found.setdefault(("up",), (
                f"{name} has {entries(sizes[i])} where {f:g} · {n} = {f * n:g}: that is "
                f"{f * n:g} rounded up, but each size is round(f · n) with its own fraction, "
                f"and Python's round() takes {f * n:g} to {round(f * n)}{half}."
            ))  # fmt: skip
        for j in range(3):
            size = round(fractions[j] * n)
            if j == i or size == right[i]:
                continue
            if sizes[i] == size < room:
                found[("fraction", i, j)] = (
                    f"{name} has {entries(sizes[i])}: its size is computed from fractions[{j}] "
                    f"= {fractions[j]:g}, but must use fractions[{i}] = {f:g} (check which "
                    "fraction goes with which set)."
                )
            elif sizes[i] == room <= size:  # the slice stops at the end: too long, but how?
                found[("fraction", i, j)] = (
                    f"{name} has {entries(sizes[i])}: it runs to the end of the shuffled order. "
                    f"Its size must be round(fractions[{i}] · n) = {right[i]}; is it computed "
                    f"from fractions[{j}] = {fractions[j]:g}, or does it take all the rest?"
                )
    pieces = slices(got, expected)
    if sizes[2] != right[2] and sizes[2] == round(fractions[2] * n):
        found[("test rounded",)] = (
            f"test_idx has {entries(sizes[2])}, round({fractions[2]:g} · {n}), but the test set is "
            f"the REST, order[n_train + n_val:] ({right[2]} here): the rounded sizes need not "
            "add up to n, and then some indices would be in no set."
        )
    used = np.concatenate([np.asarray(part).ravel() for part in got])
    lost = np.setdiff1d(np.arange(n), used)
    if lost.size and sum(sizes) < n:
        fix = next(iter(pieces.values()), "")  # the slice of a wrong set, never of a right one
        found[("lost",)] = (
            f"{lost.size} of the {n} indices are in no set (e.g. {lost[0]}): together the three "
            f"sets must hold every index once. {fix}"
        ).strip()
    return {**found, **pieces}


def slices(got, expected):
    """For an answer cut from the right shuffled order (every set it returns is a piece
    order[a:b] of it, and no two share an index): the slice each wrong set should be. A set
    that is right is never told how to be computed."""
    order = np.concatenate([np.asarray(part) for part in expected])
    pieces = [slice_of(part, order) if len(part) else () for part in got]
    if None in pieces or not any(pieces):
        return {}  # another shuffle, or nothing to compare: the slices say nothing
    used = np.concatenate([np.asarray(part).ravel() for part in got])
    if np.unique(used).size < used.size:
        return {}  # sets that overlap: diagnose.overlapping says which and how
    stops = np.cumsum([len(part) for part in expected])
    bounds = [(0, stops[0]), (stops[0], stops[1]), (stops[1], len(order))]
    found = {}
    for i, (name, (start, stop)) in enumerate(zip(SET_NAMES, bounds)):
        if np.array_equal(got[i], expected[i]):
            continue
        yours = f"is order[{pieces[i][0]}:{pieces[i][1]}]" if pieces[i] else "is empty"
        found[("slice", i)] = f"{name} {yours}: {SLICES[i]} (order[{start}:{stop}] here)."
    return found
