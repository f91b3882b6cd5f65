"""Figures and the widget of notebook 08 (bonus: from function values on the real axis to poles).

plot_pole_examples(x, examples)     curves on x > 0 (top) and their poles (bottom), per sample
pole_widget(x)                      sliders for one pole pair p = a + ib and residue c
pole_line(a, b, c_re, c_im)         the text line the widget prints
plot_pole_settings(x, settings)     the widget's static twin: a few settings side by side
plot_hidden_poles(...)              how often the classifier misses a pole, by how well one
                                    pole fits the curve; and one constructed example
plot_regression(theta, guess)       the regressor's a and b against the truth; pole errors
plot_fit_comparison(...)            pole errors and iteration counts: random vs ANN start
plot_paths(...)                     the path of one fit's pole in the complex plane
plot_test_cases(...)                true poles and the ANN's guesses of propagator-like cases
plot_noise_fits(...)                poles of fits to noisy data that fit (about) equally well
"""

import matplotlib.pyplot as plt
import numpy as np

from ..plots import COLORS
from ..poles import POLE_IM, POLE_RE, X_GRID, pole_sum, pole_terms, poles_of


def draw_box(ax, label="training box"):
    """The rectangle the training poles (and their conjugates) are drawn from."""
    (a0, a1), (b0, b1) = POLE_RE, POLE_IM
    for sign in (1, -1):
        ax.add_patch(
            plt.Rectangle(
                (a0, sign * b0),
                a1 - a0,
                sign * (b1 - b0),
                fill=True,
                color="0.92",
                zorder=0,
                label=label if sign == 1 else None,
            )
        )
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)


def draw_poles(ax, poles, color, marker="x", label=None, size=80):
    """Poles (complex, b ≥ 0) and the mirror images p* of the complex ones."""
    poles = np.ravel(poles)
    shown = np.concatenate([poles, np.conj(poles[np.abs(poles.imag) > 0])])
    ax.scatter(shown.real, shown.imag, color=color, marker=marker, s=size, label=label, zorder=3)


def plot_pole_examples(x, examples):
    """examples: list of (theta (P,), n_real, n_pairs, title). Curves on top, poles below."""
    fig, axes = plt.subplots(2, len(examples), figsize=(3.3 * len(examples), 6.6))
    for col, (theta, n_real, n_pairs, title) in enumerate(examples):
        theta = np.atleast_2d(theta)
        f = pole_sum(x, theta, n_real, n_pairs)[0]
        ax = axes[0, col]
        for m, ls in enumerate(["-", "--"]):
            ax.semilogx(x, f[m], color=COLORS[m], ls=ls, label=f"curve {m + 1}")
        ax.set(title=title, xlabel="x (> 0)")
        ax = axes[1, col]
        draw_box(ax)
        draw_poles(ax, poles_of(theta, n_real, n_pairs), COLORS[3], label="poles")
        ax.set(xlim=(-11, 2), ylim=(-11, 11), xlabel="Re p", aspect="equal")
    axes[0, 0].set_ylabel("f(x)")
    axes[0, 0].legend(fontsize=10)
    axes[1, 0].set_ylabel("Im p")
    axes[1, 0].legend(fontsize=10, loc="lower left")
    fig.suptitle("What the network sees (top) and what we want to know (bottom)", y=1.0)
    fig.tight_layout()
    return fig


def one_pair(a, b, c_re, c_im):
    """θ of a single pair with the same residue c on both curves, shape (1, 6)."""
    return np.array([[a, b, c_re, c_im, c_re, c_im]])


def pole_line(a, b, c_re, c_im):
    """What the widget prints for a setting: pole, residue and f at the smallest and a middle x."""
    f = pole_sum(X_GRID, one_pair(a, b, c_re, c_im), 0, 1)[0, 0]
    return (
        f"p = {a:.2f} {'+' if b >= 0 else '-'} {abs(b):.2f}i, c = {c_re:.2f} "
        f"{'+' if c_im >= 0 else '-'} {abs(c_im):.2f}i: f(x→0) = {f[0]:.3f}, "
        f"f(1) = {f[28]:.3f}"
    )


def draw_pole_setting(ax_curve, ax_plane, x, a, b, c_re, c_im):
    f = pole_sum(x, one_pair(a, b, c_re, c_im), 0, 1)[0, 0]
    ax_curve.semilogx(x, f, color=COLORS[0])
    ax_curve.set(xlabel="x (> 0)", ylabel="f(x)")
    draw_box(ax_plane)
    draw_poles(ax_plane, [a + 1j * b], COLORS[3], label="p and p*")
    ax_plane.set(xlim=(-11, 2), ylim=(-11, 11), xlabel="Re p", ylabel="Im p", aspect="equal")


def pole_widget(x=X_GRID):
    """Sliders for p = a + ib and c: the curve f(x) = c/(x − p) + c*/(x − p*) on x > 0."""
    import ipywidgets as widgets

    out = widgets.Output()

    def show(a, b, c_re, c_im):
        with out:
            out.clear_output(wait=True)
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
            draw_pole_setting(ax1, ax2, x, a, b, c_re, c_im)
            ax1.set_title("on the real axis")
            ax2.set_title("in the complex plane")
            fig.tight_layout()
            plt.show()
            print(pole_line(a, b, c_re, c_im))

    style = {"description_width": "60px"}
    sliders = {
        "a": widgets.FloatSlider(
            value=-0.8, min=-10, max=-0.1, step=0.1, description="Re p", style=style
        ),
        "b": widgets.FloatSlider(
            value=1.9, min=0, max=10, step=0.1, description="Im p", style=style
        ),
        "c_re": widgets.FloatSlider(
            value=0.5, min=-1, max=1, step=0.05, description="Re c", style=style
        ),
        "c_im": widgets.FloatSlider(
            value=-0.3, min=-1, max=1, step=0.05, description="Im c", style=style
        ),
    }
    ui = widgets.HBox(list(sliders.values()))
    widgets.interactive_output(show, sliders)
    return widgets.VBox([ui, out])


def plot_pole_settings(x, settings):
    """settings: list of (a, b, c_re, c_im); one column per setting, curve above, pole below."""
    fig, axes = plt.subplots(2, len(settings), figsize=(3.4 * len(settings), 6.4))
    for col, (a, b, c_re, c_im) in enumerate(settings):
        draw_pole_setting(axes[0, col], axes[1, col], x, a, b, c_re, c_im)
        sign = "+" if c_im >= 0 else "-"
        axes[0, col].set_title(
            f"p = {a:g} + {b:g}i\nc = {c_re:g} {sign} {abs(c_im):g}i", fontsize=12
        )
        if col:
            axes[0, col].set_ylabel("")
            axes[1, col].set_ylabel("")
    fig.tight_layout()
    return fig


def plot_hidden_poles(residual, missed, example, example_title):
    """Left: share of two-pole curves the classifier calls one-pole, by how well one pole fits.

    residual, missed: (N,) for the two-pole test curves (relative rms residual of the best
    one-pole fit; True where the classifier chose a one-pole class). example: (theta (1, P),
    n_real, n_pairs) of one constructed sample; its poles' contributions to curve 1 on the right.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.4))
    bins = [0, 1e-3, 3e-3, 1e-2, 3e-2, np.inf]
    labels = ["< 0.1%", "0.1–0.3%", "0.3–1%", "1–3%", "> 3%"]
    which = np.digitize(residual, bins) - 1
    rates = [missed[which == i].mean() if np.any(which == i) else 0 for i in range(len(labels))]
    bars = ax1.bar(labels, rates, color=COLORS[0])
    for bar, i in zip(bars, range(len(labels))):
        ax1.text(
            bar.get_x() + bar.get_width() / 2,
            bar.get_height() + 0.02,
            f"{np.sum(which == i)} curves",
            ha="center",
            fontsize=10,
        )
    ax1.set(
        xlabel="how far the best one-pole fit is off (rms, relative)",
        ylabel="called a one-pole curve",
        title="Two-pole curves that look like one pole",
        ylim=(0, 1),
    )
    theta, n_real, n_pairs = example
    terms = pole_terms(X_GRID, theta, n_real, n_pairs)[0, :, 0]
    ax2.semilogx(X_GRID, terms.sum(axis=0), color="black", label="f(x): what the network sees")
    for j, term in enumerate(terms):
        p = poles_of(theta, n_real, n_pairs)[0, j]
        where = f"{p.real:.1f}" + (f" ± {p.imag:.1f}i" if p.imag else "")
        ax2.semilogx(X_GRID, term, ls="--", color=COLORS[j + 1], label=f"pole(s) at {where}")
    ax2.set(xlabel="x (> 0)", ylabel="curve 1", title=example_title)
    ax2.legend(fontsize=10)
    fig.tight_layout()
    return fig


def plot_regression(theta, guess, pole_err):
    """True against predicted Re p and Im p, and the relative pole errors (log scale)."""
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    for ax, col, name in zip(axes, (0, 1), ("Re p = a", "Im p = b")):
        ax.scatter(theta[:, col], guess[:, col], s=5, alpha=0.4, color=COLORS[0])
        lo, hi = theta[:, col].min(), theta[:, col].max()
        ax.plot([lo, hi], [lo, hi], color=COLORS[3], lw=1.5, label="perfect")
        ax.set(xlabel=f"true {name}", ylabel=f"ANN's guess of {name}", title=name)
        ax.legend()
    axes[2].hist(pole_err, bins=np.logspace(-3, 1, 41), color=COLORS[0])
    axes[2].axvline(np.median(pole_err), color=COLORS[3], ls="--", label="median")
    axes[2].set(xscale="log", xlabel="|p̂ − p| / |p|", ylabel="test curves", title="Pole error")
    axes[2].legend()
    fig.tight_layout()
    return fig


def plot_fit_comparison(errors, iterations):
    """errors: {name: (N,) pole errors}; iterations: {name: (N,) iteration counts}."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.4))
    bins = np.logspace(-16, 2, 55)
    for i, (name, err) in enumerate(errors.items()):
        ax1.hist(
            np.clip(err, 1e-16, 99), bins=bins, histtype="step", lw=2.5, color=COLORS[i], label=name
        )
    ax1.axvline(1e-3, color="gray", ls=":", label="success: < 1e-3")
    ax1.set(xscale="log", xlabel="relative pole error", ylabel="test curves", title="Pole error")
    ax1.legend(fontsize=10, loc="upper center")
    top = max(it.max() for it in iterations.values())
    for i, (name, it) in enumerate(iterations.items()):
        ax2.hist(
            it,
            bins=np.arange(0, top + 10, 10),
            histtype="step",
            lw=2.5,
            color=COLORS[i + 1],
            label=name,
        )
    ax2.set(
        yscale="log", xlabel="iterations", ylabel="fits", title="Iterations until the fit stops"
    )
    ax2.legend(fontsize=10)
    fig.tight_layout()
    return fig


def plot_paths(paths, truth):
    """paths: {name: (steps, P) path of θ of one pair fit}; truth: the true θ (P,).

    Left: the whole journey; right: zoomed in on the training box.
    """
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for ax, zoom in zip(axes, (False, True)):
        draw_box(ax)
        for i, (name, path) in enumerate(paths.items()):
            p = path[:, 0] + 1j * np.abs(path[:, 1])
            color = COLORS[i + 1]
            ax.plot(
                p.real,
                p.imag,
                "o-",
                ms=4,
                lw=1.5,
                color=color,
                label=f"{name} ({len(p) - 1} steps)",
            )
            ax.scatter(p.real[0], p.imag[0], s=150, facecolor="none", edgecolor=color, lw=2)
        ax.scatter(
            truth[0], abs(truth[1]), marker="x", s=150, color="black", label="true pole", zorder=4
        )
        ax.set(xlabel="Re p", ylabel="Im p")
        if zoom:
            ax.set(xlim=(-11, 1), ylim=(-0.5, 11), title="zoomed in on the training box")
        else:
            ax.set(title="Where the fit moves the pole (circles: starts)")
            ax.legend(fontsize=10)
    fig.tight_layout()
    return fig


def plot_test_cases(cases, n_shown=40):
    """cases: list of (title, true poles (N,), ANN-guess poles (N,), (xlim, ylim)).

    Complex poles with b ≥ 0; a grey line joins each of the first n_shown true poles to the
    regressor's guess for it.
    """
    fig, axes = plt.subplots(1, len(cases), figsize=(6.5 * len(cases), 5))
    for ax, (title, true, guess, (xlim, ylim)) in zip(np.atleast_1d(axes), cases):
        draw_box(ax)
        true, guess = np.ravel(true)[:n_shown], np.ravel(guess)[:n_shown]
        for t, g in zip(true, guess):
            ax.plot([t.real, g.real], [t.imag, g.imag], color="0.55", lw=0.8, zorder=1)
        ax.scatter(true.real, true.imag, marker="x", s=70, color="black", label="true pole")
        ax.scatter(guess.real, guess.imag, marker="o", s=25, color=COLORS[1], label="ANN's guess")
        ax.set(xlim=xlim, ylim=ylim, xlabel="Re p", ylabel="Im p", title=title, aspect="equal")
        outside = (guess.real < xlim[0]) | (guess.real > xlim[1]) | (guess.imag > ylim[1])
        if outside.any():  # say so instead of hiding them
            ax.text(
                0.97,
                0.97,
                f"{outside.sum()} {'guess lies' if outside.sum() == 1 else 'guesses lie'} "
                "outside this window",
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=10,
            )
        ax.legend(fontsize=10, loc="lower left")
    fig.tight_layout()
    return fig


def plot_noise_fits(true_poles, fit_poles, title):
    """Poles of several fits (N, poles) that describe the noisy data about equally well."""
    fig, ax = plt.subplots(figsize=(8, 5.5))
    draw_box(ax)
    draw_poles(ax, fit_poles, COLORS[3], ".", "poles of equally good fits", 40)
    draw_poles(ax, true_poles, "black", "x", "true poles", 160)
    (x0, x1), (y0, y1) = (-11, 3), (-11, 11)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="Re p", ylabel="Im p", title=title)
    poles = np.ravel(fit_poles)
    outside = (poles.real < x0) | (poles.real > x1) | (np.abs(poles.imag) > y1)
    if outside.any():  # say so instead of hiding them
        ax.text(
            x1 - 0.3,
            y1 - 0.5,
            f"{outside.sum()} of {len(poles)} fitted poles (b ≥ 0)\nlie outside this window",
            ha="right",
            va="top",
            fontsize=11,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
    ax.legend(fontsize=10, loc="lower left")
    fig.tight_layout()
    return fig
