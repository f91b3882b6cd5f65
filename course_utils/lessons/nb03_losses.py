"""Figures and widgets of notebook 03 (loss functions: MSE versus cross-entropy).

Two classes, the right one with predicted probability p (softmax of the logits):

    cross-entropy   loss = −ln p                      ∂loss/∂ŷ_right = p − 1
    MSE on p        loss = ((1 − p)² + (0 − (1 − p))²)/2 = (1 − p)²
                                                      ∂loss/∂ŷ_right = −2 p (1 − p)²

(ŷ_right is the logit of the right class; with two classes p = sigmoid(ŷ_right − ŷ_other)
and ∂p/∂ŷ_right = p (1 − p).)

    two_class_losses(p)        both losses and both gradients, elementwise in p
    loss_line(p)               the text line the widget prints
    plot_losses(p_marks)       losses and gradients against p, with marked points
    loss_widget()              a slider for p (or the logit gap) showing both
    plot_house_errors(...)     the squared errors of the house example, raw and normalised
"""

import matplotlib.pyplot as plt
import numpy as np

from ..plots import COLORS


def two_class_losses(p):
    """(cross-entropy, MSE, ∂CE/∂ŷ_right, ∂MSE/∂ŷ_right) for probability p of the right class."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore"):
        ce = -np.log(p)
    return ce, (1 - p) ** 2, p - 1, -2 * p * (1 - p) ** 2


def loss_line(p):
    """E.g. 'p = 0.80: cross-entropy 0.2231, MSE 0.0400; gradients CE -0.2000, MSE -0.0640'."""
    ce, mse, d_ce, d_mse = (float(v) for v in two_class_losses(p))
    return (
        f"p = {p:.2f}: cross-entropy {ce:.4f}, MSE {mse:.4f}; "
        f"gradients CE {d_ce:.4f}, MSE {d_mse:.4f}"
    )


def draw_losses(axes, p_marks=()):
    p = np.linspace(0.001, 1, 500)
    ce, mse, d_ce, d_mse = two_class_losses(p)
    left, right = axes
    left.plot(p, ce, color=COLORS[0], label="cross-entropy −ln p")
    left.plot(p, mse, color=COLORS[1], ls="--", label="MSE (1 − p)²")
    left.set(
        xlabel="p = predicted probability of the right class",
        ylabel="loss",
        ylim=(0, 5),
        title="Loss",
    )
    right.plot(p, d_ce, color=COLORS[0], label="cross-entropy: p − 1")
    right.plot(p, d_mse, color=COLORS[1], ls="--", label="MSE: −2p(1 − p)²")
    right.set(
        xlabel="p = predicted probability of the right class",
        ylabel="∂loss/∂ŷ (logit of the right class)",
        ylim=(-1.1, 0.1),
        title="Gradient: how hard training pushes",
    )
    for mark in p_marks:
        values = two_class_losses(mark)
        left.plot([mark, mark], [values[0], values[1]], "o", color=COLORS[3], ms=8)
        right.plot([mark, mark], [values[2], values[3]], "o", color=COLORS[3], ms=8)
        left.axvline(mark, color="0.6", lw=1)
        right.axvline(mark, color="0.6", lw=1)
    for ax in axes:
        ax.legend(loc="upper right" if ax is left else "lower right", fontsize=11)


def plot_losses(p_marks=(0.8,)):
    """Both losses (left) and their gradients with respect to the right logit (right)."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    draw_losses(axes, p_marks)
    fig.tight_layout()
    return fig


def loss_widget(p=0.8):
    """A slider for p; prints loss_line(p) and marks p on both panels. .slider for tests."""
    import ipywidgets as widgets

    slider = widgets.FloatSlider(
        value=p,
        min=0.01,
        max=0.99,
        step=0.01,
        description="p (right class)",
        readout_format=".2f",
        style={"description_width": "initial"},
    )
    out = widgets.Output()

    def update(_=None):
        with out:
            out.clear_output(wait=True)
            print(loss_line(slider.value))
            fig = plot_losses(p_marks=(slider.value,))
            plt.show()
            plt.close(fig)

    slider.observe(update, names="value")
    update()
    box = widgets.VBox([slider, out])
    box.slider = slider
    return box


def plot_house_errors(y, y_hat, scale, names=("price", "rent")):
    """Bars of each output's squared error, raw (left) and after dividing by scale (right)."""
    y, y_hat, scale = (np.asarray(v, dtype=float) for v in (y, y_hat, scale))
    raw = (y - y_hat) ** 2
    normalised = ((y - y_hat) / scale) ** 2
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, values, title in [
        (axes[0], raw, "raw targets"),
        (axes[1], normalised, "normalised targets (÷ std)"),
    ]:
        bars = ax.bar(names, values, color=[COLORS[0], COLORS[1]])
        share = values / values.sum()
        for bar, s in zip(bars, share):
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height(),
                f"{s:.4%} of the loss" if min(s, 1 - s) < 1e-3 else f"{s:.1%} of the loss",
                ha="center",
                va="bottom",
                fontsize=12,
            )
        ax.set(title=title, ylabel="squared error (y − ŷ)²", ylim=(0, values.max() * 1.2))
    fig.tight_layout()
    return fig
