"""course_utils: the reference implementation of the Hands-On Deep Learning notebooks.

One module per idea, in the order the notebooks teach them:
activations (01), layers (02), losses (03), gradcheck (04), optim (05),
training (05–07), datasets and data (toy data and MNIST).
"""

import sys

try:
    from .activations import (
        Identity,
        ReLU,
        Sigmoid,
        Tanh,
        get_activation,
        relu,
        relu_prime,
        sigmoid,
        sigmoid_prime,
        tanh,
        tanh_prime,
    )
    from .diagnosis import TrainingWarning
    from .errors import DataError, ShapeError, TrainingDiverged
    from .gradcheck import check_gradients, check_input_gradient, numerical_gradient, relative_error
    from .layers import MLP, Linear, Sequential
    from .losses import CrossEntropyLoss, MSELoss, cross_entropy, log_softmax, mse, softmax
    from .optim import SGD, Adam, l2_penalty
    from .training import accuracy, confusion_matrix, evaluate, fit, predict, predict_proba

    if "course_utils.progress" not in sys.orig_argv:  # (else runpy warns it is imported twice)
        from .progress import progress  # course_utils.progress(): your solved exercises
except ModuleNotFoundError:
    # A broken install (say, NumPy missing) must not stop the setup check from explaining it.
    if "course_utils.check" not in sys.orig_argv:
        raise

__version__ = "0.1.0"
