"""The errors course_utils raises for a learner's mistakes.

Each one carries a message that says what was expected and how to fix it, so a
learner never has to read a traceback from deep inside NumPy.
"""


class ShapeError(ValueError):
    """An array has the wrong shape, dtype or kind of values for this call."""


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite during training (usually: learning rate too large)."""


class DataError(ValueError):
    """A data file or image is missing, corrupt or not what was expected."""
