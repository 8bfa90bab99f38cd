"""Variance-based (Sobol') sensitivity of every alternative's score and rank.

The uncertain inputs are the weights that can move (each one a factor), the
normalization choice (a discrete factor, when several are candidates) and the
choice among alternative decision matrices (likewise). Input points come from
SALib's Saltelli/Sobol' sampler on the unit hypercube and are mapped to the
inputs:

* uniform model: ``w_j = w0_j (1 + spread (2 u_j - 1))``, then all weights
  rescaled to sum to 1;
* Dirichlet model: ``g_j = Gamma(c w0_j).ppf(u_j)`` and ``w = g / sum(g)``,
  which is a ``Dirichlet(c w0)`` draw built from independent factors;
* discrete choice among ``L`` options: option ``floor(L u)``.

The indices are the estimators SALib's ``SALib.analyze.sobol`` uses (without
second order), computed for all alternatives at once instead of once per
alternative: outputs are first standardized (``(Y - mean) / sd``), then with
``A``, ``B`` and ``AB_j`` the blocks of the Saltelli design

* first order (Saltelli et al., 2010): ``mean(B (AB_j - A)) / var([A; B])``;
* total order (Jansen, 1999): ``mean((A - AB_j)**2) / 2 / var([A; B])``.

Confidence intervals, when asked for, use SALib's bootstrap (same resampling
indices for the same seed), so they match too.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., & Tarantola,
S. (2010). Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index. *Computer Physics
Communications*, 181(2), 259-270.

Jansen, M. J. W. (1999). Analysis of variance designs for model output.
*Computer Physics Communications*, 117(1-2), 35-43.

Examples
--------
>>> res = sobol_analysis([[1, 5, 2], [3, 1, 2.5], [2, 2, 1]], [0.4, 0.4, 0.2],
...                      ["max", "min", "max"], samples=64, spread=0.5, seed=1)
>>> res.inputs
('C1', 'C2', 'C3')
>>> res.first_order.shape
(3, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..pipeline_cache import StageCache
from .montecarlo import (
    DEFAULT_CHUNK_SIZE,
    ScoringSetup,
    _check_int,
    _weight_model,
    prepare,
)
from .ranks import competition_ranks

__all__ = ["SobolResult", "saltelli_indices", "sobol_analysis"]

_EPS = np.finfo(float).eps
# Bound on the (N, resamples, sites) blocks of the bootstrap.
_BOOT_ELEMENTS = 1 << 21
# Bound on the (N, D + 2, sites) blocks of the point estimates.
_POINT_ELEMENTS = 1 << 23
# Keep Gamma quantiles finite.
_U_CLIP = 1e-12


def _estimates(a: np.ndarray, ab: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First- and total-order estimates along axis 0; ``ab`` has the input axis at 1.

    ``a``, ``b``: (N, *rest); ``ab``: (N, D, *rest). Returns two (D, *rest) arrays.
    """
    y = np.concatenate([a, b], axis=0)
    var = y.var(axis=0)
    flat = np.ptp(y, axis=0) <= _EPS
    ok = (var > _EPS) & ~flat
    safe = np.where(ok, var, 1.0)
    first = np.mean(b[:, None] * (ab - a[:, None]), axis=0) / safe
    total = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / safe
    return np.where(ok, first, 0.0), np.where(ok, total, 0.0)


def _standardize(y: np.ndarray) -> np.ndarray:
    sd = y.std(axis=0)
    # SALib divides by a zero deviation too; its estimators then return 0,
    # which is what the zeros here lead to.
    return np.divide(y - y.mean(axis=0), sd, out=np.zeros_like(y), where=sd > 0)


def _bootstrap(a, ab, b, r, z) -> tuple[np.ndarray, np.ndarray]:
    """SALib's bootstrap half-widths for one block of sites, shape (D, sites)."""
    ar, br = a[r], b[r]  # (N, R, s)
    abr = ab[r]  # (N, R, D, s)
    y = np.concatenate([ar, br], axis=0)
    spread = np.ptp(y.reshape(-1, y.shape[-1]), axis=0)  # per site, over all resamples
    var = y.var(axis=0)  # (R, s)
    ok = (var > _EPS) & (spread > _EPS)[None, :]
    safe = np.where(ok, var, 1.0)
    diff = abr - ar[:, :, None]
    first = np.where(ok[:, None], np.mean(br[:, :, None] * diff, axis=0) / safe[:, None], 0.0)
    total = np.where(ok[:, None], 0.5 * np.mean(diff**2, axis=0) / safe[:, None], 0.0)
    s1 = z * first.std(axis=0, ddof=1)
    st = z * total.std(axis=0, ddof=1)
    varies = spread != 0.0
    return np.where(varies, s1, 0.0), np.where(varies, st, 0.0)


def saltelli_indices(
    Y, n_inputs: int, *, num_resamples: int = 0, conf_level: float = 0.95,
    seed: int | None = None,
) -> dict[str, np.ndarray]:
    """First- and total-order Sobol' indices of many outputs at once.

    Gives what ``SALib.analyze.sobol.analyze(problem, Y[:, i],
    calc_second_order=False)`` gives for every column ``i``, in one
    vectorized pass.

    Parameters
    ----------
    Y : array_like, shape (N * (n_inputs + 2),) or (N * (n_inputs + 2), m)
        Model outputs at the points of ``SALib.sample.sobol.sample(...,
        calc_second_order=False)``, one column per output.
    n_inputs : int
        Number of inputs ``D``.
    num_resamples : int
        Bootstrap resamples for the confidence intervals; 0 skips them.
    conf_level : float
        Confidence level of the intervals.
    seed : int, optional
        Seed of the bootstrap (as SALib's ``seed``).

    Returns
    -------
    dict
        ``"S1"``, ``"ST"`` (and ``"S1_conf"``, ``"ST_conf"`` with a
        bootstrap), each of shape ``(m, D)``, or ``(D,)`` for a 1-D ``Y``.

    Raises
    ------
    ValueError
        If the length of ``Y`` is not a multiple of ``n_inputs + 2``.

    Examples
    --------
    >>> import numpy as np
    >>> from SALib.sample import sobol as sampler
    >>> problem = {"num_vars": 2, "names": ["x1", "x2"], "bounds": [[0, 1]] * 2}
    >>> X = sampler.sample(problem, 256, calc_second_order=False, seed=0)
    >>> Y = np.column_stack([X[:, 0] + 0.1 * X[:, 1], X[:, 1]])
    >>> S = saltelli_indices(Y, 2)
    >>> np.round(S["S1"], 1).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    y = np.asarray(Y, dtype=float)
    single = y.ndim == 1
    if single:
        y = y[:, None]
    step = n_inputs + 2
    if y.shape[0] % step or y.shape[0] == 0:
        raise ValueError(
            f"{y.shape[0]} outputs are not a multiple of n_inputs + 2 = {step}; sample "
            "with calc_second_order=False"
        )
    n = y.shape[0] // step
    m = y.shape[1]
    out = {"S1": np.empty((m, n_inputs)), "ST": np.empty((m, n_inputs))}
    if num_resamples:
        out["S1_conf"] = np.empty((m, n_inputs))
        out["ST_conf"] = np.empty((m, n_inputs))
        r = np.random.default_rng(seed).integers(n, size=(n, num_resamples))
        from scipy.stats import norm

        z = norm.ppf(0.5 + conf_level / 2)
    block = max(1, _POINT_ELEMENTS // y.shape[0])
    for start in range(0, m, block):
        cols = slice(start, start + block)
        z3 = _standardize(y[:, cols]).reshape(n, step, -1)
        a, ab, b = z3[:, 0], z3[:, 1:-1], z3[:, -1]
        first, total = _estimates(a, ab, b)
        out["S1"][cols], out["ST"][cols] = first.T, total.T
        if num_resamples:
            boot = max(1, _BOOT_ELEMENTS // (n * num_resamples * max(1, n_inputs)))
            for s0 in range(0, a.shape[1], boot):
                sl = slice(s0, s0 + boot)
                c1, ct = _bootstrap(a[:, sl], ab[:, :, sl], b[:, sl], r, z)
                out["S1_conf"][start + s0 : start + s0 + c1.shape[1]] = c1.T
                out["ST_conf"][start + s0 : start + s0 + ct.shape[1]] = ct.T
    if single:
        out = {k: v[0] for k, v in out.items()}
    return out


# The points depend on (D, N, seed) only; kept in the process and on disk, so that a
# fresh process does not import SALib and scipy.stats (~0.7 s) to draw the same points.
_POINTS_CACHE = StageCache("saltelli points", maxsize=8, disk=True)


def saltelli_points(n_inputs: int, samples: int, seed: int) -> np.ndarray:
    """The Saltelli design of SALib's Sobol' sampler on the unit hypercube.

    ``SALib.sample.sobol.sample(problem, samples, calc_second_order=False,
    scramble=True, seed=seed)`` for ``n_inputs`` inputs on [0, 1], shape
    ``(samples * (n_inputs + 2), n_inputs)``. The points depend on nothing else,
    so they are computed once and kept (:mod:`oicplan.pipeline_cache`, on disk
    keyed by the SALib and SciPy versions too); the caller gets its own copy.

    >>> x = saltelli_points(3, 8, seed=1)
    >>> x.shape, bool(((0 <= x) & (x <= 1)).all())
    ((40, 3), True)
    """

    def compute() -> np.ndarray:
        from SALib.sample import sobol as sobol_sampler

        problem = {"num_vars": n_inputs, "names": [f"x{i}" for i in range(n_inputs)],
                   "bounds": [[0.0, 1.0]] * n_inputs}
        return sobol_sampler.sample(problem, samples, calc_second_order=False,
                                    scramble=True, seed=seed)

    return np.array(_POINTS_CACHE.get(("saltelli", n_inputs, samples, seed), compute))


@dataclass
class SobolResult:
    """Sobol' indices of every alternative's score and rank.

    Attributes
    ----------
    inputs : tuple of str
        Factor names: the criteria whose weight moves, then ``"normalization"``
        and ``"matrix"`` when those are drawn.
    alternatives : tuple of str
    method : str
    samples : int
        Base sample size ``N``; the model ran ``N * (D + 2)`` times.
    seed : int
    problem : dict
        The SALib problem (on the unit hypercube, see the module docstring).
    first_order, total_order : numpy.ndarray, shape (m, D)
        Indices of the score.
    rank_first_order, rank_total_order : numpy.ndarray, shape (m, D)
        Indices of the rank.
    conf : dict
        With a bootstrap: ``"first_order"``, ``"total_order"``,
        ``"rank_first_order"``, ``"rank_total_order"`` half-widths.
    num_resamples, conf_level
        The bootstrap behind ``conf`` (0 resamples: no intervals).
    X, scores, ranks : numpy.ndarray, optional
        Sample points and outputs (with ``keep_outputs=True``).
    """

    inputs: tuple[str, ...]
    alternatives: tuple[str, ...]
    method: str
    samples: int
    seed: int
    problem: dict
    first_order: np.ndarray
    total_order: np.ndarray
    rank_first_order: np.ndarray
    rank_total_order: np.ndarray
    conf: dict
    num_resamples: int = 0
    conf_level: float = 0.95
    X: np.ndarray | None = None
    scores: np.ndarray | None = None
    ranks: np.ndarray | None = None

    def to_dict(self) -> dict:
        """JSON-ready: per alternative (in order) a list with one value per input.

        Examples
        --------
        >>> res = sobol_analysis([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
        ...                      samples=32, seed=0)
        >>> d = res.to_dict()
        >>> d["inputs"], len(d["first_order"]), len(d["first_order"][0])
        (['C1', 'C2'], 3, 2)
        """
        out = {
            "inputs": list(self.inputs),
            "samples": int(self.samples),
            "evaluations": int(self.samples * (len(self.inputs) + 2)),
            "first_order": self.first_order.tolist(),
            "total_order": self.total_order.tolist(),
            "rank_first_order": self.rank_first_order.tolist(),
            "rank_total_order": self.rank_total_order.tolist(),
        }
        if self.conf:
            out["num_resamples"] = int(self.num_resamples)
            out["conf_level"] = float(self.conf_level)
        for key, value in self.conf.items():
            out[f"{key}_conf"] = value.tolist()
        return out


def _factors(setup: ScoringSetup, model) -> tuple[list[str], list[int]]:
    base = setup.base_weights
    movable = [j for j in range(base.size) if base[j] > 0]
    if model.kind == "uniform" and model.spread == 0:
        movable = []
    if model.kind == "dirichlet" and len(movable) < 2:
        movable = []
    names = [setup.criteria[j] for j in movable]
    if len(setup.normalizations) > 1:
        names.append("normalization")
    if len(setup.matrix_names) > 1:
        names.append("matrix")
    return names, movable


def _map_points(x: np.ndarray, setup: ScoringSetup, model, movable: list[int]):
    base = setup.base_weights
    k = x.shape[0]
    u = x[:, : len(movable)]
    if model.kind == "uniform":
        w = np.tile(base, (k, 1))
        w[:, movable] = base[movable] * (1.0 + model.spread * (2.0 * u - 1.0))
    else:
        w = np.zeros((k, base.size))
        if movable:
            from scipy.stats import gamma

            clipped = np.clip(u, _U_CLIP, 1.0 - _U_CLIP)
            w[:, movable] = gamma.ppf(clipped, model.concentration * base[movable])
        else:
            w[:] = base
    w = w / w.sum(axis=1, keepdims=True)
    col = len(movable)
    choices = []
    for count in (len(setup.normalizations), len(setup.matrix_names)):
        if count > 1:
            choices.append(np.minimum((x[:, col] * count).astype(np.int64), count - 1))
            col += 1
        else:
            choices.append(np.zeros(k, dtype=np.int64))
    return w, choices[0], choices[1]


def sobol_analysis(
    matrix,
    weights=None,
    types=None,
    method: str = "topsis",
    *,
    samples: int = 1024,
    spread: float = 0.2,
    dirichlet: bool = False,
    concentration: float | None = None,
    normalizations: Sequence[str] | None = None,
    seed: int | None = None,
    num_resamples: int = 0,
    conf_level: float = 0.95,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    keep_outputs: bool = False,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    **params,
) -> SobolResult:
    """Sobol' first- and total-order indices of each alternative's score and rank.

    Parameters
    ----------
    matrix, weights, types, method, normalizations, alternatives, criteria, **params
        As for :func:`oicplan.uncertainty.monte_carlo` (a dict of matrices
        makes the matrix choice a factor; several normalizations make the
        normalization a factor).
    samples : int
        Base sample size ``N``, a power of two (Sobol' sequences); the
        model runs ``N * (D + 2)`` times.
    spread, dirichlet, concentration
        The weight model, as for :func:`oicplan.uncertainty.monte_carlo`.
    seed : int, optional
        Seed of the scrambled Sobol' sequence (and of the bootstrap).
    num_resamples : int
        Bootstrap resamples for confidence intervals (0 = none).
    conf_level : float
    chunk_size : int
        Model evaluations per scoring call (bounds memory).
    keep_outputs : bool
        Keep the sample points and outputs in the result.

    Returns
    -------
    SobolResult

    Raises
    ------
    InputError
        ``samples`` not a power of two >= 2, nothing uncertain to analyse, and
        whatever :func:`oicplan.uncertainty.monte_carlo` rejects.

    Examples
    --------
    >>> res = sobol_analysis([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
    ...                      method="wsm", normalizations=["minmax", "max"],
    ...                      samples=64, seed=2)
    >>> res.inputs, res.total_order.shape
    (('C1', 'C2', 'normalization'), (3, 3))
    """
    samples = _check_int("samples", samples, 2)
    if samples & (samples - 1):
        raise InputError(
            f"samples must be a power of two for Sobol' sequences (e.g. 512, 1024), "
            f"got {samples}", field="samples",
        )
    num_resamples = _check_int("num_resamples", num_resamples, 0)
    chunk_size = _check_int("chunk_size", chunk_size, 1)
    if not (isinstance(conf_level, int | float) and 0 < conf_level < 1):
        raise InputError(f"conf_level must be in (0, 1), got {conf_level!r}",
                         field="conf_level")
    model = _weight_model(spread, dirichlet, concentration)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    seed = _check_int("seed", seed, 0)
    setup = matrix if isinstance(matrix, ScoringSetup) else prepare(
        matrix, weights, types, method, normalizations=normalizations,
        alternatives=alternatives, criteria=criteria, **params,
    )
    names, movable = _factors(setup, model)
    if not names:
        raise InputError(
            "nothing is uncertain: give spread > 0 (or --dirichlet), several "
            "normalizations or several matrices", field="spread",
        )
    d = len(names)
    problem = {"num_vars": d, "names": list(names), "bounds": [[0.0, 1.0]] * d}
    x = saltelli_points(d, samples, seed)
    m = len(setup.alternatives)
    scores = np.empty((x.shape[0], m))
    ranks = np.empty((x.shape[0], m), dtype=np.int32)
    for start in range(0, x.shape[0], chunk_size):
        w, ni, mi = _map_points(x[start : start + chunk_size], setup, model, movable)
        scores[start : start + chunk_size] = setup.scores(w, ni, mi)
        ranks[start : start + chunk_size] = competition_ranks(
            scores[start : start + chunk_size], setup.higher_is_better
        )
    opts = {"num_resamples": num_resamples, "conf_level": conf_level, "seed": seed}
    s_score = saltelli_indices(scores, d, **opts)
    s_rank = saltelli_indices(ranks.astype(float), d, **opts)
    conf = {}
    if num_resamples:
        conf = {
            "first_order": s_score["S1_conf"], "total_order": s_score["ST_conf"],
            "rank_first_order": s_rank["S1_conf"], "rank_total_order": s_rank["ST_conf"],
        }
    return SobolResult(
        inputs=tuple(names),
        alternatives=setup.alternatives,
        method=setup.method,
        samples=samples,
        seed=seed,
        problem=problem,
        first_order=s_score["S1"],
        total_order=s_score["ST"],
        rank_first_order=s_rank["S1"],
        rank_total_order=s_rank["ST"],
        conf=conf,
        num_resamples=int(num_resamples),
        conf_level=float(conf_level),
        X=x if keep_outputs else None,
        scores=scores if keep_outputs else None,
        ranks=ranks if keep_outputs else None,
    )
