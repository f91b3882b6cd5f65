"""Batches: the sizes of the batches a loop used, and what is wrong with them.

The exercises that work in batches share these mistakes: the whole x at every step, the last
smaller batch left out, every batch one example short, np.array_split's equal pieces, a loop
that stops early. record() makes a network note the size of every batch its forward pass
receives (calls.call does it for an exercise with batches=True); problem() compares those
sizes with the reference's and names the difference; minibatches compares the sizes of the
batches it returns. divided() names a mean divided by the wrong count (the number of batches
or batch_size instead of the number of examples).
"""

import numpy as np


def record(model):
    """Make model note len(x) of every batch its forward pass receives; the list it fills.

    The note is taken by the first layer, through which both model(x) and model.forward(x)
    pass. None if model has no layers (nothing is recorded then)."""
    layers = getattr(model, "layers", None)
    if not layers:
        return None
    first, sizes = layers[0], []
    forward = first.forward

    def forward_and_note(x):
        sizes.append(int(np.shape(x)[0]) if np.ndim(x) else -1)
        return forward(x)

    first.forward = forward_and_note
    return sizes


def settings(context):
    """(n, batch_size) of a test input: len(x) (or n) and batch_size, by parameter name."""
    named = dict(zip(context.names, context.args))
    n = named.get("n", len(named["x"]) if "x" in named else None)
    return n, named.get("batch_size")


def without_partial(sizes, batch_size):
    return [s for s in sizes if s == batch_size]


def listed(sizes):
    return f"{sizes[:6]}".replace("]", ", …]") if len(sizes) > 6 else f"{sizes}"


def problem(got, expected, n, batch_size, network=True):
    """(key, sentence) naming how the batch sizes got differ from the expected ones, or None.

    got, expected: lists of batch sizes in order (several epochs one after the other);
    network: the sizes are those a network received (else those of the batches returned)."""
    got, expected = [int(s) for s in got], [int(s) for s in expected]
    if got == expected or not expected or n is None or batch_size is None:
        return None
    what = "the network received" if network else "your batches have"
    shown = f"batches of sizes {listed(got)}" if network else f"the sizes {listed(got)}"
    wanted = listed(expected)
    if not got:
        return ("none", f"{'the network received' if network else 'you returned'} no batch "
                        f"at all, expected {len(expected)}.")  # fmt: skip
    if got and all(s == n for s in got) and n > batch_size and len(got) == 1:
        return ("whole", (
            f"{what} the whole x ({n} examples) at once, not batches of batch_size = "
            f"{batch_size}: go through x batch by batch, x[start : start + batch_size], as "
            "asked; one forward pass over a large set (60,000 digits) needs much memory."
        ))  # fmt: skip
    if got and all(s == n for s in got) and n > batch_size:
        return ("whole", (
            f"{what} the whole x ({n} examples) at every step, not batches of batch_size = "
            f"{batch_size}: pass the examples of one batch, x[batch] (and y[batch]), so that "
            "every step learns from other examples."
        ))  # fmt: skip
    if got == without_partial(expected, batch_size):
        rest = min(expected)
        return ("drop last", (
            f"{what} {shown}, expected {wanted}: the last, smaller batch "
            f"({rest} example{'s' if rest != 1 else ''}) is left out. range(0, n, batch_size) "
            "visits every start, also one whose batch holds fewer than batch_size examples."
        ))  # fmt: skip
    short = [e - g for g, e in zip(got, expected)]
    if len(got) == len(expected) and set(short) <= {0, 1} and short[0] == 1:
        which = "every batch" if set(short) == {1} else "every full batch"
        return ("one short", (
            f"{what} {shown}, expected {wanted}: {which} is one example short. The slice "
            "order[start : start + batch_size] already stops just before its end, so no − 1 "
            "is needed."
        ))  # fmt: skip
    if sum(got) == sum(expected) and max(got) - min(got) <= 1 and set(got) != set(expected):
        return ("equal pieces", (
            f"{what} {shown}, expected {wanted}: nearly equal pieces (as "
            "np.array_split makes) instead of batch_size examples each with the rest in a "
            "last, smaller batch: order[start : start + batch_size] for start in "
            "range(0, n, batch_size)."
        ))  # fmt: skip
    if len(got) < len(expected) and got == expected[: len(got)]:
        return ("stops early", (
            f"{'the network received' if network else 'you returned'} only the first "
            f"{len(got)} of the {len(expected)} batches: the loop "
            "stops early (a `return` or `break` inside it, or a range that is too short?)."
        ))  # fmt: skip
    return ("sizes", f"{what} {shown}, expected {wanted}.")


def unread(found, code, n, batch_size):
    """found, or for "whole" a sentence saying that the code never reads batch_size: a fixed
    batch of 64 takes all of a small test set at once, and that is not the whole-x slip."""
    params, used = getattr(code, "params", ()), getattr(code, "used", ())
    if not found or found[0] != "whole" or not getattr(code, "known", False):
        return found
    if "batch_size" not in params or "batch_size" in used:
        return found
    return ("unread", (
        f"your code never reads its argument batch_size, so the batches cannot have the size "
        f"asked: here the network received the whole x ({n} examples) at once, not batches "
        f"of batch_size = {batch_size}. Go through x batch by batch, with batch_size itself: "
        "x[start : start + batch_size] for start in range(0, len(x), batch_size)."
    ))  # fmt: skip


def claims(g, e, context):
    """A relation (see relations.py) on the batch sizes an answer's network received."""
    if not context.batches:
        return {}
    got, expected = context.batches
    found = unread(problem(got, expected, *settings(context)), context.code, *settings(context))
    if not found or found[0] == "sizes":  # only a named slip: other sizes say too little
        return {}
    key, sentence = found
    return {("batches", key): sentence[:1].upper() + sentence[1:]}


def divided(g, e, context, what="mean"):
    """g is a mean that was divided by the number of batches or by batch_size, not by n."""
    if not context.batches:
        return {}
    n, batch_size = settings(context)
    count = len(context.batches[1])
    g, e = float(g), float(e)
    found = {}
    if count != n and np.isclose(g * count, e * n):
        found[("by batches",)] = (
            f"is the {what} divided by the number of batches ({count}): add up over every "
            f"example and divide once by the number of examples, len(x) = {n}."
        )
    if batch_size and batch_size != n and np.isclose(g * batch_size, e * n):
        found[("by batch_size",)] = (
            f"is the {what} divided by batch_size ({batch_size}): divide once by the number "
            f"of examples, len(x) = {n}."
        )
    return found
