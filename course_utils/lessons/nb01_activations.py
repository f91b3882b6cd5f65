"""Figures and widgets of notebook 01 (activation functions).

plot_activations()          φ and φ' for ReLU, sigmoid and tanh, saturation shaded
neuron_output(x, w, b, φ)   what one neuron with one input computes: φ(w·x + b)
neuron_line(w, b, φ)        the text line the neuron widget prints
neuron_widget()             sliders for w and b, a menu for φ, the neuron's output curve
plot_neuron_examples()      the widget's static twin: a few settings side by side
one_hidden_layer(width, φ)  a 1 → width → 1 network (float64), for the 1-D fits;
                            φ may be a name or an Activation subclass (e.g. φ(z) = z²)
fit_curve(...)              train such a network on samples of a 1-D function
plot_fits(...)              the fitted curves, one panel per (φ, width)
"""

import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS, Activation, get_activation
from ..layers import Linear, Sequential
from ..losses import MSELoss
from ..optim import Adam
from ..plots import COLORS
from ..training import fit

NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "identity": "identity"}
CHOICES = ("relu", "sigmoid", "tanh")


def plot_activations(z_max=6.0):
    """Three panels: φ(z) (solid) and φ'(z) (dashed); where φ' is (almost) 0 is shaded."""
    z = np.linspace(-z_max, z_max, 601)
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2), sharex=True)
    for ax, name in zip(axes, CHOICES):
        layer = get_activation(name)
        phi, slope = layer.function(z), layer.derivative(z)
        flat = slope < 0.05
        ax.fill_between(
            z,
            -1.3,
            1.3 if name != "relu" else z_max,
            where=flat,
            color="0.85",
            label="φ' < 0.05 (saturated)",
        )
        ax.plot(z, phi, color=COLORS[0], label="φ(z)")
        ax.plot(z, slope, color=COLORS[1], ls="--", label="φ'(z)")
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="black", lw=0.8)
        ax.set(
            title=NAMES[name],
            xlabel="z = w·x + b",
            ylim=(-1.2, 1.2) if name != "relu" else (-0.5, 3.0),
        )
        # where each panel is empty: the legend must not hide a curve
        ax.legend(loc="upper left" if name == "relu" else "lower right", fontsize=10)
    axes[0].set_ylabel("value")
    fig.tight_layout()
    return fig


def neuron_output(x, w, b, activation="sigmoid"):
    """One neuron with one input: φ(w·x + b), elementwise in x."""
    return get_activation(activation).function(w * np.asarray(x, dtype=float) + b)


def neuron_line(w, b, activation="sigmoid", x=1.0):
    """The line the widget prints, e.g. 'w = 1.50, b = 0.00, φ = sigmoid: output at x = 1 is
    0.8176'."""
    out = float(neuron_output(x, w, b, activation))
    return f"w = {w:.2f}, b = {b:.2f}, φ = {activation}: output at x = {x:g} is {out:.4f}"


def draw_neuron(ax, w, b, activation, x_max=4.0):
    """The neuron's output curve φ(w·x + b) for x in [-x_max, x_max], with the point x = 1."""
    x = np.linspace(-x_max, x_max, 401)
    ax.plot(x, neuron_output(x, w, b, activation), color=COLORS[0])
    ax.plot([1.0], [neuron_output(1.0, w, b, activation)], "o", color=COLORS[3], ms=8)
    if w != 0:  # where w·x + b = 0: the "switch point" of the neuron
        ax.axvline(-b / w, color=COLORS[2], ls=":", lw=2)
    ax.axhline(0, color="black", lw=0.8)
    ax.set(
        xlabel="input x",
        ylabel="output φ(w·x + b)",
        xlim=(-x_max, x_max),
        ylim=(-1.2, 4.0) if activation == "relu" else (-1.2, 1.2),
        title=f"{NAMES[activation]}: w = {w:.2f}, b = {b:.2f}",
    )


def neuron_widget(w=1.5, b=0.0, activation="sigmoid"):
    """A slider for w and for b, a menu for φ; shows φ(w·x + b) and prints neuron_line().

    Returns the widget (an ipywidgets VBox); display it as the last line of a cell.
    Its .sliders attribute holds (w slider, b slider, φ menu) for tests.
    """
    import ipywidgets as widgets

    w_slider = widgets.FloatSlider(
        value=w,
        min=-5,
        max=5,
        step=0.1,
        description="weight w",
        continuous_update=True,
        readout_format=".2f",
    )
    b_slider = widgets.FloatSlider(
        value=b,
        min=-5,
        max=5,
        step=0.1,
        description="bias b",
        continuous_update=True,
        readout_format=".2f",
    )
    menu = widgets.Dropdown(options=list(CHOICES), value=activation, description="φ")
    out = widgets.Output()

    def update(_=None):
        with out:
            out.clear_output(wait=True)
            print(neuron_line(w_slider.value, b_slider.value, menu.value))
            fig, ax = plt.subplots(figsize=(7, 3.8))
            draw_neuron(ax, w_slider.value, b_slider.value, menu.value)
            fig.tight_layout()
            plt.show()
            plt.close(fig)

    for control in (w_slider, b_slider, menu):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([w_slider, b_slider, menu]), out])
    box.sliders = (w_slider, b_slider, menu)
    return box


def plot_neuron_examples(
    settings=((1.0, 0.0), (4.0, 0.0), (1.0, -2.0), (-2.0, 1.0)), activations=CHOICES
):
    """The widget's static twin: one row per φ, one column per (w, b)."""
    fig, axes = plt.subplots(
        len(activations),
        len(settings),
        figsize=(3.6 * len(settings), 2.9 * len(activations)),
        sharex=True,
        squeeze=False,
    )
    for row, name in zip(axes, activations):
        for ax, (w, b) in zip(row, settings):
            draw_neuron(ax, w, b, name)
            ax.set_title(f"{NAMES[name]}: w = {w:g}, b = {b:g}", fontsize=12)
            ax.set_xlabel("x" if name == activations[-1] else "")
            ax.set_ylabel("φ(w·x + b)" if ax is row[0] else "")
    fig.tight_layout()
    return fig


def make_activation(activation):
    """A new activation layer from a name ("relu", ...), an Activation subclass or instance."""
    if isinstance(activation, str):
        return get_activation(activation)
    if isinstance(activation, type) and issubclass(activation, Activation):
        return activation()
    if isinstance(activation, Activation):
        return type(activation)()
    raise TypeError(
        f"activation must be a name {sorted(ACTIVATIONS)} or an Activation, got {activation!r}."
    )


def one_hidden_layer(width, activation="relu", seed=0):
    """The network x → φ(M1·x + b1) → ŷ = M_out·o1 + b_out with `width` hidden neurons."""
    rng = np.random.default_rng(seed)
    layer = make_activation(activation)
    init = "he" if isinstance(layer, ACTIVATIONS["relu"]) else "xavier"
    return Sequential(
        Linear(1, width, init=init, rng=rng, dtype=np.float64),
        layer,
        Linear(width, 1, init=init, rng=rng, dtype=np.float64),
    )


def fit_curve(x, y, width, activation="relu", epochs=1500, lr=0.02, seed=0):
    """Train one_hidden_layer(width, activation) on (x, y) with full-batch Adam and MSE.

    x, y: (n, 1). Returns (model, final cost J). Takes about 0.2 s for n = 200.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    model = one_hidden_layer(width, activation, seed=seed)
    history = fit(
        model,
        MSELoss(),
        Adam(model, lr=lr),
        x,
        y,
        epochs=epochs,
        batch_size=len(x),
        seed=seed,
        progress=False,
    )
    return model, history["train_loss"][-1]


def plot_fits(x, y, models, title="Fitting a step"):
    """models: {(label of φ, width): (model, J)}; one row per φ, one column per width."""
    labels = list(dict.fromkeys(label for label, _ in models))
    widths = list(dict.fromkeys(width for _, width in models))
    fig, axes = plt.subplots(
        len(labels),
        len(widths),
        figsize=(3.4 * len(widths), 2.7 * len(labels)),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    grid = np.linspace(x.min(), x.max(), 400)[:, None]
    for row, label in zip(axes, labels):
        for ax, width in zip(row, widths):
            model, cost = models[(label, width)]
            ax.plot(x[:, 0], y[:, 0], color="0.6", lw=5, label="target")
            ax.plot(grid[:, 0], model(grid)[:, 0], color=COLORS[0], label="network")
            ax.set_title(
                f"{label}, {width} neuron{'s' if width > 1 else ''}\nJ = {cost:.4f}", fontsize=12
            )
        row[0].set_ylabel("ŷ")
    for ax in axes[-1]:
        ax.set_xlabel("x")
    axes[0, 0].legend(fontsize=10, loc="upper left")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
