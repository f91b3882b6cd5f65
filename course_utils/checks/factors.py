"""A constant factor between the learner's result and the right one, named if it can be.

factor(g, e, context) is a relation (see relations.py): g = c·e for one number c ≠ 1. It
claims the wrong sign (c = −1), a factor named by a size of the input ("4 times too large
(4 = M): a division by M is missing"), one size in place of another ("divided by C instead
of M?"), a factor 2 or 100, a logarithm to another base, or else some constant.
Why a factor 2 or 100 is wrong depends on what the answer is (context.quantity): a
derivative misses the 2 of (u²)' = 2u, a cost has a ½ too many, a fraction from 0 to 1 was
turned into a percentage. Sizes of the same value are named together ("3 = C = M·C"), so a
size is never blamed alone on an input that cannot tell it from another; relations.confirmed
then keeps only what holds on every wrong input.
"""

import numpy as np


def size_groups(context, least=2):
    """[(value, [labels])] for the whole-number sizes ≥ least, labels of one value together."""
    groups = {}
    for label, value in context.sizes.items():
        if isinstance(value, int) and value >= least:
            groups.setdefault(value, []).append(label)
    return list(groups.items())


def plain(number, over, quantity):
    """The phrase for a factor 2 or 100 (over: 1/2 or 1/100), for this kind of answer."""
    if number == "2" and not over:
        return "twice the right answer: a factor 2 too many"
    if number == "2":
        return {
            "derivative": "half the right answer: a factor 2 is missing (the derivative of "
            "u² is 2u)",
            "cost": "half the right answer: a factor 0.5 (or 1/2) too many",
        }.get(quantity, "half the right answer: a factor 2 is missing, or a factor 1/2 too many")
    if over:
        return "1/100 of the right answer: a division by 100 too many"
    if quantity == "fraction":
        return "100 times the right answer: a percentage; return a fraction from 0 to 1"
    return "100 times the right answer: a factor 100 too many"


def factor_names(c, context):
    """{key: phrase} for each way to name 'c times the right answer' (c > 0)."""
    names = {}
    sizes = size_groups(context)
    for value, labels in sizes:
        root, named = np.sqrt(value), " = ".join(labels)
        if value != 4 and (np.isclose(c, root) or np.isclose(c, 1 / root)):
            how = "large" if c > 1 else "small"
            for label in labels:
                names[("root", label, how)] = (
                    f"√{named} = {root:.4g} times too {how}: a square root in the wrong place "
                    f"(e.g. sqrt(2) / {label} instead of sqrt(2 / {label}))"
                )
    for value, labels in sizes + [(2, ["2"]), (100, ["100"])]:
        named, either = " = ".join(labels), " or ".join(labels)
        number = labels == ["2"] or labels == ["100"]
        for over in (False, True):
            if not np.isclose(c, 1 / value if over else value):
                continue
            if value == 2 and not number:  # a size that is 2 here: a factor 2, or that size?
                names[("over 2 or" if over else "times 2 or", named)] = (
                    f"half the right answer: a factor 2 is missing, or (2 = {named}) you "
                    f"divided by {either} once too often"
                    if over
                    else f"twice the right answer: a factor 2 too many, or (2 = {named}) a "
                    f"division by {either} is missing"
                )
            if number:
                sentence = plain(labels[0], over, context.quantity)
            elif over:
                sentence = (f"{value} times too small ({value} = {named}): you divided by "
                            f"{either} once too often (or forgot to multiply by it)")  # fmt: skip
            else:
                sentence = (f"{value} times too large ({value} = {named}): a division by "
                            f"{either} is missing")  # fmt: skip
            for label in labels:
                names[("over" if over else "times", label)] = sentence
    names.update(instead(c, context))
    for base, name in ((10, "np.log10"), (2, "np.log2")):
        if np.isclose(c, 1 / np.log(base)):
            names[("log", base)] = f"the right answer over ln {base}: {name} instead of np.log"
    return names


def instead(c, context):
    """{key: phrase} for c = a / b of two sizes (a may be 1): divided by b where a belongs."""
    names = {}
    for a, tops in size_groups(context, least=1):
        for b, bottoms in size_groups(context, least=2):
            if a != b and np.isclose(c, a / b):
                for top in tops:
                    for bottom in bottoms:
                        names[("instead", bottom, top)] = (
                            f"the right answer times {a}/{b} ({top} = {a}, {bottom} = {b} "
                            f"here): you divided by {bottom} instead of {top}?"
                        )
    return names


def factor(g, e, context):
    """g = c·e with one c ≠ 1: the wrong sign, a named factor, or (for arrays) any constant."""
    if g.shape != e.shape:
        return {}
    nonzero = np.abs(e) > 1e-12
    if not nonzero.any() or np.any(np.abs(g[~nonzero]) > 1e-9):
        return {}
    c = float(g[nonzero].flat[0] / e[nonzero].flat[0])
    if np.isclose(c, 1) or c == 0 or not np.allclose(g, c * e, rtol=1e-6, atol=1e-10):
        return {}
    if np.isclose(c, -1):
        return {("sign",): (
            "has the wrong sign (it is −1 × the right answer): check the order in a "
            "difference (ŷ − y versus y − ŷ) and the sign in front of each term."
        )}  # fmt: skip
    sign = "minus " if c < 0 else ""
    names = factor_names(abs(c), context)
    claims = {(c < 0, *key): f"is {sign}{phrase}".rstrip("?") + ("?" if phrase.endswith("?")
              else ".") for key, phrase in names.items()}  # fmt: skip
    constant = f"is the right answer times {c:.4g} everywhere: a constant factor is wrong."
    depends = (
        f"is the right answer times {c:.4g} everywhere for this input (times another number "
        "for another input): a factor that depends on the sizes (the batch size, the number "
        "of classes or outputs…) is wrong."
    )
    if nonzero.sum() == 1:  # for one number any two values have a ratio: no claim
        constant = depends = None
    claims[(c < 0, "constant", round(c, 4))] = constant
    claims[(c < 0, "constant")] = depends
    return claims
