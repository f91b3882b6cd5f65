"""Figures and widgets of notebook 01 (activation functions).

plot_activations()          φ and φ' for ReLU, sigmoid and tanh, saturation shaded
neuron_output(x, w, b, φ)   what one neuron with one input computes: φ(w·x + b)
neuron_line(w, b, φ)        the text line the neuron widget prints
neuron_widget()             sliders for w and b, a menu for φ, the neuron's output curve
plot_neuron_examples()      the widget's static twin: a few settings side by side
one_hidden_layer(width, φ)  a 1 → width → 1 network (float64), for the 1-D fits;
                            φ may be a name or an Activation subclass (e.g. φ(z) = z²)
fit_curve(...)              train such a network on samples of a 1-D function
median_fits(...)            fit_curve from several seeds, the median run per width
plot_fits(...)              the fitted curves, one panel per (φ, width)
relu_ramp, relu_bump        two ReLUs make a ramp (a soft step), three make a bump
bump_widget()               sliders for a bump's centre, width and height
plot_bump_examples()        the widget's static twin
relu_interpolation(x, y)    a ReLU network with hand-set weights through given points
plot_interpolations(...)    such networks with more and more neurons
"""

import matplotlib.pyplot as plt
import numpy as np

from ..activations import ACTIVATIONS, Activation, get_activation
from ..layers import Linear, Sequential
from ..losses import MSELoss
from ..optim import Adam
from ..plots import COLORS

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

    x, y: (n, 1). Returns (model, final cost J). The loop is the slides' procedure with the
    whole data as one batch (notebook 05 writes it out): predict, J, backward, update.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    model = one_hidden_layer(width, activation, seed=seed)
    loss_fn, optimizer = MSELoss(), Adam(model, lr=lr)
    for _ in range(epochs):
        loss_fn(model.forward(x), y)
        model.backward(loss_fn.backward(), input_grad=False)
        optimizer.step()
    return model, float(loss_fn(model.forward(x), y))


def median_fits(x, y, widths, activation, seeds=(0, 1, 2), **kwargs):
    """For every width, fit_curve from several random starts; keep the run with the median J.

    Returns {width: (model, J)}. One unlucky start (a dead ReLU, a poor local minimum) then
    does not decide the comparison between widths.
    """
    result = {}
    for width in widths:
        runs = sorted(
            (fit_curve(x, y, width, activation, seed=seed, **kwargs) for seed in seeds),
            key=lambda run: run[1],
        )
        result[width] = runs[len(runs) // 2]
    return result


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


# --- ReLUs make bumps ------------------------------------------------------------------------


def relu_ramp(x, a, b):
    """(ReLU(x − a) − ReLU(x − b)) / (b − a): 0 left of a, rising to 1 at b, 1 after. Two ReLUs."""
    x = np.asarray(x, dtype=float)
    return (np.maximum(x - a, 0) - np.maximum(x - b, 0)) / (b - a)


def relu_bump(x, centre, width, height=1.0):
    """A ramp up minus a ramp down: height · (ReLU(x−a) − 2 ReLU(x−c) + ReLU(x−b)) / (width/2),
    with a = centre − width/2, b = centre + width/2, c = centre. Three ReLU neurons."""
    half = width / 2
    return height * (relu_ramp(x, centre - half, centre) - relu_ramp(x, centre, centre + half))


def shifted(a):
    """'x − 0.50', 'x + 1.50' or 'x': the argument of a ReLU that switches on at x = a."""
    return "x" if a == 0 else f"x {'−' if a > 0 else '+'} {abs(a):.2f}"


def bump_parts(x, centre, width, height):
    """The three weighted ReLU neurons of relu_bump: [(label, values)], summing to the bump."""
    slope = height / (width / 2)
    kinks = [(centre - width / 2, slope), (centre, -2 * slope), (centre + width / 2, slope)]
    return [
        (f"{weight:+.2f}·ReLU({shifted(a)})", weight * np.maximum(x - a, 0)) for a, weight in kinks
    ]


def bump_line(centre, width, height):
    """The line the bump widget prints."""
    half = width / 2
    return (
        f"bump from x = {centre - half:.2f} to {centre + half:.2f}, peak {height:.2f} at "
        f"x = {centre:.2f}: three ReLU neurons with output weights "
        f"{height / half:.2f}, {-2 * height / half:.2f}, {height / half:.2f}"
    )


def draw_bump(ax, centre, width, height):
    x = np.linspace(-2, 2, 801)
    for color, (label, values) in zip(COLORS[1:], bump_parts(x, centre, width, height)):
        ax.plot(x, values, color=color, ls="--", lw=1.5, label=label)
    ax.plot(x, relu_bump(x, centre, width, height), color=COLORS[0], lw=3, label="their sum")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(xlim=(-2, 2), ylim=(-2.2, 2.2), xlabel="input x", ylabel="output",
           title=f"centre {centre:.2f}, width {width:.2f}, height {height:.2f}")  # fmt: skip
    ax.legend(fontsize=9, loc="lower left")


def bump_widget(centre=0.0, width=1.0, height=1.0):
    """Sliders for the bump's centre, width and height; draws the three ReLUs and their sum.

    Returns the widget (an ipywidgets VBox); its .sliders holds the three sliders for tests.
    """
    import ipywidgets as widgets

    sliders = [
        widgets.FloatSlider(value=value, min=low, max=high, step=0.05, description=name,
                            readout_format=".2f")
        for name, value, low, high in [("centre", centre, -1.5, 1.5), ("width", width, 0.1, 2.0),
                                       ("height", height, -1.0, 1.0)]
    ]  # fmt: skip
    out = widgets.Output()

    def update(_=None):
        with out:
            out.clear_output(wait=True)
            values = [slider.value for slider in sliders]
            print(bump_line(*values))
            fig, ax = plt.subplots(figsize=(8, 4))
            draw_bump(ax, *values)
            fig.tight_layout()
            plt.show()
            plt.close(fig)

    for slider in sliders:
        slider.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox(sliders), out])
    box.sliders = tuple(sliders)
    return box


def plot_bump_examples(settings=((0.0, 1.0, 1.0), (0.8, 0.5, -0.6), (-0.5, 2.0, 0.8))):
    """The bump widget's static twin: one panel per (centre, width, height)."""
    fig, axes = plt.subplots(1, len(settings), figsize=(5.2 * len(settings), 4), sharey=True)
    for ax, setting in zip(np.atleast_1d(axes), settings):
        draw_bump(ax, *setting)
    fig.suptitle("Three ReLU neurons make a bump: a ramp up (two ReLUs) minus a ramp down")
    fig.tight_layout()
    return fig


def relu_interpolation(knots_x, knots_y):
    """A 1 → n → 1 ReLU network, weights set by hand, that joins the points (knots_x, knots_y)
    with straight lines (n = len(knots_x) − 1 hidden neurons, knots_x increasing).

    Hidden neuron k switches on at knots_x[k] (M1 = 1, b1 = −knots_x[k]); its output weight is
    the change of slope there; b_out = knots_y[0]. Left of the first knot the output is flat.
    """
    knots_x, knots_y = np.asarray(knots_x, dtype=float), np.asarray(knots_y, dtype=float)
    slopes = np.diff(knots_y) / np.diff(knots_x)
    n = len(slopes)
    first, last = Linear(1, n, dtype=np.float64), Linear(n, 1, dtype=np.float64)
    first.M[:, 0], first.b[:] = 1.0, -knots_x[:-1]
    last.M[0, :] = np.diff(slopes, prepend=0.0)
    last.b[:] = knots_y[0]
    return Sequential(first, get_activation("relu"), last)


def plot_interpolations(x, y, neurons=(3, 10, 30), target=None):
    """ReLU networks built by hand through equally spaced points of (x, y), more neurons each time.

    target: the function itself (for the knots); by default y is interpolated at the knots.
    Returns (figure, {n: J}).
    """
    fig, axes = plt.subplots(1, len(neurons), figsize=(4.6 * len(neurons), 3.6), sharey=True)
    costs = {}
    for ax, n in zip(np.atleast_1d(axes), neurons):
        knots = np.linspace(x.min(), x.max(), n + 1)
        values = target(knots) if target else np.interp(knots, x[:, 0], y[:, 0])
        model = relu_interpolation(knots, values)
        costs[n] = float(np.mean((model(x) - y) ** 2))
        ax.plot(x[:, 0], y[:, 0], color="0.6", lw=5, label="target")
        ax.plot(x[:, 0], model(x)[:, 0], color=COLORS[0], lw=2, label="network")
        ax.plot(knots, values, "o", color=COLORS[3], ms=4)
        ax.set(xlabel="x", title=f"{n} ReLU neurons, J = {costs[n]:.1e}")
    np.atleast_1d(axes)[0].set_ylabel("ŷ")
    np.atleast_1d(axes)[0].legend(fontsize=10, loc="lower right")
    fig.suptitle("Weights set by hand, no training: every neuron adds one kink")
    fig.tight_layout()
    return fig, costs
