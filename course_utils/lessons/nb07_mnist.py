"""Notebook 07 (the MNIST hands-on): where its helpers live, one module per concept.

nb07_training   callbacks for fit() (CosineSchedule, RandomShifts), settings and the challenge
nb07_figures    figures (LivePlot, galleries, weight images, runs side by side)
nb07_play       the "play with it" widget
nb07_own_digit  your own digit: upload, drawing, synthetic photos

The notebook imports from those modules; the names below are importable from here too
(scripts/benchmark_mnist.py does: `from course_utils.lessons.nb07_mnist import RECOMMENDED`).
"""

from .nb07_figures import (
    LivePlot,
    plot_class_balance,
    plot_learning_rates,
    plot_runs,
    show_examples_per_class,
    show_first_layer_weights,
    show_misclassified,
)
from .nb07_own_digit import (
    MAX_UPLOAD_BYTES,
    OwnDigit,
    Sketch,
    digit_canvas,
    digit_upload,
    handle_upload,
    image_bytes,
    make_synthetic_photo,
    show_own_digit,
)
from .nb07_play import Run, make_optimizer, parse_hidden, play_with_it, train_setting
from .nb07_training import (
    RECOMMENDED,
    CosineSchedule,
    RandomShifts,
    callbacks,
    shift_images,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "RECOMMENDED",
    "CosineSchedule",
    "LivePlot",
    "OwnDigit",
    "RandomShifts",
    "Run",
    "Sketch",
    "callbacks",
    "digit_canvas",
    "digit_upload",
    "handle_upload",
    "image_bytes",
    "make_optimizer",
    "make_synthetic_photo",
    "parse_hidden",
    "play_with_it",
    "plot_class_balance",
    "plot_learning_rates",
    "plot_runs",
    "shift_images",
    "show_examples_per_class",
    "show_first_layer_weights",
    "show_misclassified",
    "show_own_digit",
    "train_setting",
]
