"""Pole sums on the positive real axis and a batched Levenberg–Marquardt fitter (notebook 08).

A scaled-down version of the setting of S. Kaidisch, T. U. Hilger, A. Krassnigg and W. Lucha,
"Pole-fitting for complex functions: Enhancing standard techniques by artificial-neural-network
classifiers and regressors", Comput. Phys. Commun. (2024), arXiv:2309.08358.

A function is known only at real points x > 0 (the grid X_GRID). It is a sum of poles,

    f(x) = Σ_real c_j / (x − a_j)  +  Σ_pairs [c_k / (x − p_k) + c_k* / (x − p_k*)],

with real poles a_j < 0 (real residues c_j) and complex-conjugate pairs p_k = a_k + i b_k,
b_k ≥ 0 (complex residues c_k). Every sample has two curves (N_CURVES) that share the poles
but have different residues, as in the paper.

Parameter vectors θ list the poles one after the other, real poles first:
    real pole: [a, c(curve 1), c(curve 2)]                                 3 numbers
    pair:      [a, b, Re c(curve 1), Im c(curve 1), Re c(curve 2), Im c(curve 2)]   6 numbers
so one complex pair is θ = (a, b, Re c1, Im c1, Re c2, Im c2), the regressor's six targets.
A batch of B parameter vectors has shape (B, P); its curves have shape (B, N_CURVES, len(x)).
"""

import numpy as np

X_GRID = np.logspace(-4, 5, 64)
N_CURVES = 2
# The box the poles and residues are drawn from (the training data's "world").
POLE_RE = (-10.0, -0.1)
POLE_IM = (0.0, 10.0)
RESIDUE = (-1.0, 1.0)
# The classifier's classes: (number of real poles, number of complex-conjugate pairs).
CLASSES = [(1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]
CLASS_NAMES = ["1 real", "1 pair", "2 real", "1 real + 1 pair", "2 pairs"]


def n_params(n_real, n_pairs, n_curves=N_CURVES):
    """Length P of θ: (1 + n_curves) per real pole, 2 + 2 n_curves per pair."""
    return n_real * (1 + n_curves) + n_pairs * (2 + 2 * n_curves)


def layout(n_real, n_pairs, n_curves=N_CURVES):
    """Where each pole's numbers sit in θ: one dict per pole, real poles first.

    {"weight": 1 (real) or 2 (pair: c/(x − p) + c.c. = 2 Re[c/(x − p)]),
     "re": column of Re p, "im": column of Im p or None,
     "c_re": columns of Re c (one per curve), "c_im": columns of Im c or None}.
    """
    poles, k = [], 0
    for _ in range(n_real):
        c = list(range(k + 1, k + 1 + n_curves))
        poles.append({"weight": 1, "re": k, "im": None, "c_re": c, "c_im": None})
        k += 1 + n_curves
    for _ in range(n_pairs):
        c = list(range(k + 2, k + 2 + 2 * n_curves, 2))
        c_im = [j + 1 for j in c]
        poles.append({"weight": 2, "re": k, "im": k + 1, "c_re": c, "c_im": c_im})
        k += 2 + 2 * n_curves
    return poles


def unpack(theta, pole):
    """Pole position p (B,) and residues c (B, n_curves) as complex numbers."""
    p = theta[:, pole["re"]] + (0j if pole["im"] is None else 1j * theta[:, pole["im"]])
    c = theta[:, pole["c_re"]] + (0j if pole["c_im"] is None else 1j * theta[:, pole["c_im"]])
    return p, c


def pole_terms(x, theta, n_real, n_pairs, n_curves=N_CURVES):
    """Each pole's contribution: (B, n_real + n_pairs, n_curves, len(x)), summing to the curves.

    x (N,), theta (B, P). A real pole gives c/(x − a); a pair c/(x − p) + c*/(x − p*).
    """
    theta = np.atleast_2d(theta)
    terms = []
    for pole in layout(n_real, n_pairs, n_curves):
        p, c = unpack(theta, pole)
        terms.append(pole["weight"] * (c[:, :, None] / (x - p[:, None, None])).real)
    return np.stack(terms, axis=1)


def pole_sum(x, theta, n_real, n_pairs, n_curves=N_CURVES):
    """The curves f(x) of a batch of pole sums: theta (B, P) -> (B, n_curves, len(x))."""
    return pole_terms(x, theta, n_real, n_pairs, n_curves).sum(axis=1)


def pole_sum_jacobian(x, theta, n_real, n_pairs, n_curves=N_CURVES):
    """∂f/∂θ of the flattened curves: theta (B, P) -> (B, n_curves·len(x), P).

    A pole contributes w Re[c/(x − p)] (w = 1 real, 2 pair), so with u = 1/(x − p):
    ∂/∂Re p = w Re[c u²],  ∂/∂Im p = w Re[i c u²],  ∂/∂Re c = w Re[u],  ∂/∂Im c = w Re[i u].
    """
    theta = np.atleast_2d(theta)
    B, N = len(theta), len(x)
    jac = np.zeros((B, n_curves, N, theta.shape[1]))
    for pole in layout(n_real, n_pairs, n_curves):
        p, c = unpack(theta, pole)
        w, u = pole["weight"], 1 / (x - p[:, None])  # u: (B, N)
        dp = w * c[:, :, None] * u[:, None, :] ** 2  # (B, n_curves, N)
        jac[..., pole["re"]] = dp.real
        if pole["im"] is not None:
            jac[..., pole["im"]] = (1j * dp).real
        for m in range(n_curves):
            jac[:, m, :, pole["c_re"][m]] = w * u.real
            if pole["c_im"] is not None:
                jac[:, m, :, pole["c_im"][m]] = (w * 1j * u).real
    return jac.reshape(B, n_curves * N, theta.shape[1])


def sample_params(n, n_real, n_pairs, rng, n_curves=N_CURVES):
    """n random parameter vectors (n, P) from the box POLE_RE × POLE_IM, residues in RESIDUE."""
    blocks = []
    for _ in range(n_real):
        blocks += [rng.uniform(*POLE_RE, (n, 1)), rng.uniform(*RESIDUE, (n, n_curves))]
    for _ in range(n_pairs):
        blocks += [rng.uniform(*POLE_RE, (n, 1)), rng.uniform(*POLE_IM, (n, 1))]
        blocks += [rng.uniform(*RESIDUE, (n, 2 * n_curves))]
    return np.concatenate(blocks, axis=1)


def poles_of(theta, n_real, n_pairs, n_curves=N_CURVES):
    """The pole positions (B, n_real + n_pairs) as complex numbers (b ≥ 0 for pairs)."""
    theta = np.atleast_2d(theta)
    poles = [unpack(theta, pole)[0] for pole in layout(n_real, n_pairs, n_curves)]
    return np.stack([p.real + 1j * np.abs(p.imag) for p in poles], axis=1)


def make_classifier_data(n_per_class, seed=0, x=X_GRID):
    """Curves of all five CLASSES, n_per_class of each, shuffled.

    Returns curves (5·n_per_class, N_CURVES, len(x)) and labels (5·n_per_class,), the index
    of each curve's class in CLASSES.
    """
    rng = np.random.default_rng(seed)
    curves, labels = [], []
    for label, (n_real, n_pairs) in enumerate(CLASSES):
        curves.append(
            pole_sum(x, sample_params(n_per_class, n_real, n_pairs, rng), n_real, n_pairs)
        )
        labels.append(np.full(n_per_class, label))
    order = rng.permutation(len(CLASSES) * n_per_class)
    return np.concatenate(curves)[order], np.concatenate(labels)[order]


def make_pair_data(n, seed=0, x=X_GRID):
    """n samples with one complex-conjugate pair: curves (n, N_CURVES, len(x)), theta (n, 6)."""
    theta = sample_params(n, 0, 1, np.random.default_rng(seed))
    return pole_sum(x, theta, 0, 1), theta


def levenberg_marquardt(
    x, y, theta0, n_real, n_pairs, max_iter=300, lam0=1e-3, xtol=1e-10, ftol=1e-24, trace=False
):
    """Least-squares fits of pole sums to many curves at once (damped Gauss–Newton).

    x (N,) grid; y (B, N_CURVES, N) data; theta0 (B, P) starting points.
    Minimises χ² = Σ (f(x; θ) − y)² for every fit separately. Each iteration solves
        (JᵀJ + λ diag JᵀJ) δ = −Jᵀr,
    keeps θ + δ if χ² went down (then λ → λ/3: more Gauss–Newton), else λ → 2λ (more
    like a small gradient step). A fit stops when its accepted step is below
    xtol·(|θ| + xtol), χ² < ftol·Σy² (exact to about 12 digits), λ > 1e12 (stuck), or
    after max_iter iterations. Trial steps that put a pole on a grid point (χ² infinite)
    are rejected; a fit that starts on one is not attempted (χ² = inf, 0 iterations).

    Returns theta (B, P) with b ≥ 0 for pairs, chi2 (B,), iterations (B,); with trace=True
    also the path of θ, shape (iterations + 1, B, P), for pictures of single fits.
    """
    theta = np.array(theta0, dtype=float, ndmin=2)
    B = len(theta)
    y = np.asarray(y, dtype=float).reshape(B, -1)

    def chi2_and_jacobian(t, data):
        with np.errstate(all="ignore"):  # bad trial steps give inf/nan: rejected below
            r = pole_sum(x, t, n_real, n_pairs).reshape(len(t), -1) - data
            jac = pole_sum_jacobian(x, t, n_real, n_pairs)
            finite = np.isfinite(r).all(axis=1) & np.isfinite(jac).all(axis=(1, 2))
            chi2 = np.where(finite, (r**2).sum(axis=1), np.inf)
        return r, chi2, jac

    scale = (y**2).sum(axis=1)
    r, chi2, jac = chi2_and_jacobian(theta, y)
    active = np.isfinite(chi2)  # a start on top of a data point cannot be fitted
    lam = np.full(B, lam0)
    iterations = np.zeros(B, int)
    path = [theta.copy()]
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        t, rr, jj = theta[idx], r[idx], jac[idx]
        jtj = np.einsum("bnp,bnq->bpq", jj, jj)
        grad = np.einsum("bnp,bn->bp", jj, rr)
        diag = np.maximum(np.einsum("bpp->bp", jtj), 1e-12)
        damped = jtj + lam[idx, None, None] * (diag[:, :, None] * np.eye(theta.shape[1]))
        step = np.linalg.solve(damped, -grad[:, :, None])[:, :, 0]
        r_new, chi2_new, jac_new = chi2_and_jacobian(t + step, y[idx])
        better = chi2_new < chi2[idx]
        good = idx[better]
        theta[good], chi2[good] = (t + step)[better], chi2_new[better]
        r[good], jac[good] = r_new[better], jac_new[better]
        lam[idx] = np.clip(np.where(better, lam[idx] / 3, lam[idx] * 2), 1e-12, None)
        iterations[idx] += 1
        small_step = np.linalg.norm(step, axis=1) <= xtol * (np.linalg.norm(t, axis=1) + xtol)
        done = (better & small_step) | (chi2[idx] < ftol * scale[idx]) | (lam[idx] > 1e12)
        active[idx[done]] = False
        if trace:
            path.append(theta.copy())
    theta = canonical(theta, n_real, n_pairs)
    if trace:
        return theta, chi2, iterations, np.stack(path)
    return theta, chi2, iterations


def canonical(theta, n_real, n_pairs, n_curves=N_CURVES):
    """The same pole sums with b ≥ 0 for every pair (b → −b with c → c* changes nothing)."""
    theta = np.array(theta, dtype=float, ndmin=2)
    for pole in layout(n_real, n_pairs, n_curves)[n_real:]:
        flip = theta[:, pole["im"]] < 0
        theta[np.ix_(flip, [pole["im"], *pole["c_im"]])] *= -1
    return theta


def pole_error(theta_fit, theta_true, n_real, n_pairs):
    """Largest relative pole error max_j |p̂_j − p_j| / |p_j| per fit, shape (B,).

    Poles of the same kind are matched in the order that gives the smaller error.
    """
    fit, true = poles_of(theta_fit, n_real, n_pairs), poles_of(theta_true, n_real, n_pairs)
    err = np.abs(fit - true) / np.abs(true)
    for start, count in ((0, n_real), (n_real, n_pairs)):
        if count == 2:
            sl = slice(start, start + 2)
            swapped = np.abs(fit[:, sl][:, ::-1] - true[:, sl]) / np.abs(true[:, sl])
            use = swapped.max(axis=1) < err[:, sl].max(axis=1)
            err[use, sl] = swapped[use]
    return err.max(axis=1)


def propagator_curves(z, m, x=X_GRID):
    """A vector and a scalar propagator of a particle of complex mass m: (N, 2, len(x)).

    σ_V(x) = z/(x + m²) + c.c.,  σ_S(x) = z m/(x + m²) + c.c.   for arrays z, m of shape (N,).
    One complex-conjugate pair of poles at −m² and its conjugate, residues z and z m.
    """
    z, m = np.atleast_1d(z)[:, None], np.atleast_1d(m)[:, None]
    return np.stack([2 * (z / (x + m**2)).real, 2 * (z * m / (x + m**2)).real], axis=1)


def propagator_cases(n, pole_re, pole_im, seed=0, x=X_GRID):
    """n propagator pairs whose pole (b ≥ 0) lies in pole_re × pole_im: curves and true θ.

    The pole p is drawn uniformly from the rectangle, m = sqrt(−p*) (so −m² = p*, whose
    conjugate is p), z from RESIDUE²; only cases whose residues z and z m both lie in the
    training box are kept. Returns curves (n, 2, len(x)) from propagator_curves and θ (n, 6)
    in the layout of one pair, with b ≥ 0.
    """
    rng = np.random.default_rng(seed)
    kept = []
    while sum(len(k) for k in kept) < n:
        p = rng.uniform(*pole_re, n) + 1j * rng.uniform(*pole_im, n)
        z = rng.uniform(*RESIDUE, n) + 1j * rng.uniform(*RESIDUE, n)
        m = np.sqrt(-np.conj(p))
        lo, hi = RESIDUE
        inside = (lo <= (z * m).real) & ((z * m).real <= hi)
        inside &= (lo <= (z * m).imag) & ((z * m).imag <= hi)
        kept.append(np.stack([p, z, m], axis=1)[inside])
    p, z, m = np.concatenate(kept)[:n].T
    theta = np.stack([p.real, -p.imag, z.real, z.imag, (z * m).real, (z * m).imag], axis=1)
    return propagator_curves(z, m, x), canonical(theta, 0, 1)
