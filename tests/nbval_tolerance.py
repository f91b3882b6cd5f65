"""nbval plugin: compare the numbers of chosen cells within a stated tolerance.

nbval compares every cell's new output with the stored one, character by character. That is
right for almost every cell, but not for a cell that prints the result of training or fitting:
its last digits depend on the order in which the BLAS library adds numbers, which differs
between CPUs, BLAS kernels, thread counts and NumPy versions. Such a cell carries, in its
metadata (invisible to learners),

    "nbval-tolerance": {"rel": 0.01, "abs": 0.3}

and its new output then passes when the text between the numbers is identical and every number
is within   |new − stored| ≤ abs + rel·|stored|   of the stored one. A real regression (an
accuracy of 60 % instead of 96 %, another predicted class, an extra line) still fails.
Cells without the key are compared exactly, as nbval always does.
"""

import math
import re

from nbval.plugin import IPyNbCell

KEY = "nbval-tolerance"
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


def split_numbers(text):
    """'acc 95.2 % after 3 epochs' -> (['acc ', ' % after ', ' epochs'], [95.2, 3.0])."""
    return NUMBER.split(text), [float(n) for n in NUMBER.findall(text)]


def numbers_differ(stored, new, rel, abs_):
    """Why `new` does not match `stored` within the tolerance, or None when it does."""
    stored_words, stored_numbers = split_numbers(stored)
    new_words, new_numbers = split_numbers(new)
    if stored_words != new_words or len(stored_numbers) != len(new_numbers):
        return "the text around the numbers differs"
    for a, b in zip(stored_numbers, new_numbers):
        if math.isnan(a) != math.isnan(b) or abs(b - a) > abs_ + rel * abs(a):
            return f"{b:g} is not within abs {abs_:g} + rel {rel:g} of the stored {a:g}"
    return None


def tolerance_of(cell):
    """The cell's (rel, abs) tolerance, or None when it is compared exactly."""
    spec = cell.metadata.get(KEY)
    if spec is None:
        return None
    if not isinstance(spec, dict) or set(spec) - {"rel", "abs"}:
        raise ValueError(f'{KEY} must look like {{"rel": 0.01, "abs": 0.3}}, not {spec!r}')
    return float(spec.get("rel", 0.0)), float(spec.get("abs", 0.0))


def texts(output):
    """(place, text) pairs of an output's comparable text: place is a stream's name or a mime."""
    if output.get("output_type") == "stream":
        yield output.get("name"), output.get("text", "")
    for mime, value in output.get("data", {}).items():
        if mime in TEXT_TYPES:
            yield mime, value if isinstance(value, str) else "".join(value)


def align(cell_item, test, ref, rel, abs_):
    """Give each new text within tolerance of its stored counterpart the stored text."""
    reasons = []
    for new_output, stored_output in zip(test, ref):
        if new_output.get("output_type") != stored_output.get("output_type"):
            continue
        stored_texts = dict(texts(stored_output))
        for place, new_text in list(texts(new_output)):
            if place not in stored_texts:
                continue
            stored_text = stored_texts[place]
            reason = numbers_differ(
                cell_item.sanitize(stored_text), cell_item.sanitize(new_text), rel, abs_
            )
            if reason is None and "data" in new_output:
                new_output["data"][place] = stored_text
            elif reason is None:
                new_output["text"] = stored_text
            else:
                reasons.append(reason)
    return reasons


_exact_compare = IPyNbCell.compare_outputs


def compare_outputs(self, test, ref, skip_compare=None):
    """nbval's comparison, after numbers within the cell's tolerance were made equal."""
    tolerance = tolerance_of(self.cell)
    if tolerance is None:
        return _exact_compare(self, test, ref, skip_compare)
    reasons = align(self, test, ref, *tolerance)
    same = _exact_compare(self, test, ref, skip_compare)
    if not same and reasons:
        rel, abs_ = tolerance
        self.comparison_traceback.append(
            f"Compared with tolerance (rel {rel:g}, abs {abs_:g}): {reasons[0]}."
        )
    return same


def pytest_configure(config):
    IPyNbCell.compare_outputs = compare_outputs
