"""Notebook 07 (the MNIST hands-on): where its helpers live, one module per concept.

nb07_training   callbacks for fit() (CosineSchedule, RandomShifts), settings and the challenge
nb07_figures    figures (LivePlot, galleries, weight images, runs side by side)
nb07_play       the "play with it" widget
nb07_own_digit  synthetic phone photos for the own-digit section (the rest: own_digit, draw)

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
from .nb07_own_digit import image_bytes, make_synthetic_photo
from .nb07_play import Run, make_optimizer, parse_hidden, play_with_it, train_setting
from .nb07_training import (
    RECOMMENDED,
    CosineSchedule,
    RandomShifts,
    callbacks,
    shift_images,
)

__all__ = [
    "RECOMMENDED",
    "CosineSchedule",
    "LivePlot",
    "RandomShifts",
    "Run",
    "callbacks",
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
    "train_setting",
]
