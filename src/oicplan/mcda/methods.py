"""Ranking kernels: TOPSIS, VIKOR, PROMETHEE II, WSM and WPM.

The functions named ``*_kernel`` are pure arithmetic on an already normalized,
benefit-oriented matrix (see :mod:`oicplan.mcda.normalization`): no input
checks, no types, no names. The functions without the suffix (``topsis``,
``vikor`` ...) normalize first and then call the kernel; they do not validate
either. Validation lives in :func:`oicplan.mcda.rank`.

Every kernel is vectorized over weight vectors. ``weights`` is either one
vector of shape ``(n_criteria,)`` (the result then has shape
``(n_alternatives,)``) or a stack of shape ``(n_weight_vectors, n_criteria)``
(the result has shape ``(n_weight_vectors, n_alternatives)``). The kernels are
written so that the work over the weight vectors is a matrix product:

* WSM: ``W @ N.T``; WPM: ``exp(W @ log(N).T)``.
* TOPSIS: since weights are non-negative, the weighted ideal of column ``j`` is
  ``w_j * max_i n_ij``; the squared distance to it is
  ``sum_j w_j**2 * (n_ij - max_i n_ij)**2``, i.e. ``(W**2) @ ((N - N.max(0))**2).T``.
  Both distances are one product each.
* VIKOR: ``S = W @ D.T``; ``R`` (a maximum, not a sum) is computed in chunks
  of weight vectors to bound memory.
* PROMETHEE II: the per-criterion preference degrees are summed over the
  opponents once, so the flows are ``W @ A.T`` for two fixed ``(m, n)``
  matrices ``A``.

Default normalizations (:data:`DEFAULT_NORMALIZATION`) and why:

* ``topsis`` -> ``vector``: Hwang & Yoon (1981) normalize each column by its
  Euclidean norm.
* ``vikor`` -> ``none``: Opricovic & Tzeng (2004) scale each criterion
  linearly by ``(f*_j - f_ij) / (f*_j - f-_j)`` inside the method.
* ``promethee2`` -> ``none``: Brans & Vincke (1985) apply the preference
  functions to differences in the criterion's own units; the thresholds
  ``q``, ``p`` and ``s`` are given in those units.
* ``wsm`` -> ``minmax``: the simple additive weighting of Hwang & Yoon (1981)
  needs commensurate columns; a linear scale transformation to [0, 1] also
  copes with zero and negative data.
* ``wpm`` -> ``sum``: the weighted product of Bridgman (1922) and Miller &
  Starr (1969), as presented by Triantaphyllou (2000), is invariant to the
  scale of each column; sum normalization keeps the values positive, and its
  reciprocal treatment of cost columns equals giving them negative exponents.

References
----------
Brans, J. P., & Vincke, Ph. (1985). A preference ranking organisation method
(The PROMETHEE method for multiple criteria decision-making). *Management
Science*, 31(6), 647-656.

Hwang, C. L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods
and Applications*. Springer.

Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: A
comparative analysis of VIKOR and TOPSIS. *European Journal of Operational
Research*, 156(2), 445-455.

Triantaphyllou, E. (2000). *Multi-Criteria Decision Making Methods: A
Comparative Study*. Kluwer.

Examples
--------
>>> import numpy as np
>>> m = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
>>> np.round(wsm(m, [0.5, 0.5], ["max", "max"]), 3).tolist()
[0.25, 0.25, 1.0]
>>> wsm(m, [[1.0, 0.0], [0.0, 1.0]], ["max", "max"]).shape
(2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .normalization import get_normalization

__all__ = [
    "DEFAULT_NORMALIZATION",
    "METHODS",
    "PREFERENCE_FUNCTIONS",
    "PrometheeFlows",
    "VikorResult",
    "preference_degree",
    "promethee2",
    "promethee2_kernel",
    "topsis",
    "topsis_kernel",
    "vikor",
    "vikor_kernel",
    "wpm",
    "wpm_kernel",
    "wsm",
    "wsm_kernel",
]

DEFAULT_NORMALIZATION: dict[str, str] = {
    "topsis": "vector",
    "vikor": "none",
    "promethee2": "none",
    "wsm": "minmax",
    "wpm": "sum",
}
"""Normalization each method uses unless told otherwise (see module docstring)."""

METHODS: tuple[str, ...] = tuple(DEFAULT_NORMALIZATION)
"""Names accepted by :func:`oicplan.mcda.rank`."""

PREFERENCE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "ushape": ("q",),
    "vshape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}
"""PROMETHEE preference function -> thresholds it needs (Brans & Vincke, 1985)."""

# Upper bound on the elements of the temporary (chunk, m, n) arrays in VIKOR's
# R and PROMETHEE's pairwise differences: 2**22 doubles = 32 MiB.
_CHUNK_ELEMENTS = 1 << 22

Threshold = float | np.ndarray
"""A PROMETHEE threshold: one number, or one per criterion."""


def _as_2d(weights: ArrayLike) -> tuple[np.ndarray, bool]:
    """Weights as a 2-D stack, plus whether the caller passed one vector."""
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        return w[None, :], True
    return w, False


def _out(scores: np.ndarray, single: bool) -> np.ndarray:
    return scores[0] if single else scores


def _normalize(matrix: ArrayLike, types: ArrayLike, normalization: str) -> np.ndarray:
    return get_normalization(normalization)(matrix, types)


@dataclass(frozen=True)
class VikorResult:
    """VIKOR measures for one or many weight vectors.

    Attributes
    ----------
    S, R, Q : numpy.ndarray
        Group utility, individual regret and compromise index; lower is
        better for all three.
    acceptable_advantage : numpy.ndarray of bool
        Condition C1 of Opricovic & Tzeng (2004): ``Q(a'') - Q(a') >= 1/(m-1)``.
    acceptable_stability : numpy.ndarray of bool
        Condition C2: the best alternative by ``Q`` is also best by ``S`` or ``R``.
    compromise : numpy.ndarray of bool
        Mask of the alternatives in the compromise set.
    """

    S: np.ndarray
    R: np.ndarray
    Q: np.ndarray
    acceptable_advantage: np.ndarray
    acceptable_stability: np.ndarray
    compromise: np.ndarray


@dataclass(frozen=True)
class PrometheeFlows:
    """PROMETHEE II outranking flows (higher net flow is better)."""

    positive_flow: np.ndarray
    negative_flow: np.ndarray
    net_flow: np.ndarray


def wsm_kernel(nmatrix: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """Weighted sum of a normalized matrix.

    Parameters
    ----------
    nmatrix : array_like, shape (m, n)
        Benefit-oriented normalized matrix.
    weights : array_like, shape (n,) or (k, n)

    Returns
    -------
    numpy.ndarray, shape (m,) or (k, m)
        Scores, higher is better.

    Examples
    --------
    >>> wsm_kernel([[1.0, 0.0], [0.0, 1.0]], [0.7, 0.3]).tolist()
    [0.7, 0.3]
    """
    w, single = _as_2d(weights)
    n = np.asarray(nmatrix, dtype=float)
    return _out(w @ n.T, single)


def wpm_kernel(nmatrix: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """Weighted product ``prod_j n_ij ** w_j`` of a strictly positive normalized matrix.

    Computed as ``exp(W @ log(N).T)`` so many weight vectors cost one product.

    Examples
    --------
    >>> round(float(wpm_kernel([[4.0, 1.0]], [0.5, 0.5])[0]), 12)
    2.0
    """
    w, single = _as_2d(weights)
    with np.errstate(divide="ignore"):
        logs = np.log(np.asarray(nmatrix, dtype=float))
    return _out(np.exp(w @ logs.T), single)


def topsis_kernel(nmatrix: ArrayLike, weights: ArrayLike) -> np.ndarray:
    """TOPSIS relative closeness ``D- / (D+ + D-)`` of a normalized matrix.

    The positive (negative) ideal is the column maximum (minimum) of the
    weighted matrix, which for non-negative weights is the weight times the
    column maximum (minimum) of ``nmatrix``.

    Returns
    -------
    numpy.ndarray, shape (m,) or (k, m)
        Closeness in [0, 1], higher is better. When an alternative's two
        distances are both zero (every weighted column constant), its
        closeness is 0.5.

    Examples
    --------
    >>> topsis_kernel([[1.0], [0.0], [0.25]], [1.0]).tolist()
    [1.0, 0.0, 0.25]
    """
    w, single = _as_2d(weights)
    n = np.asarray(nmatrix, dtype=float)
    w2 = w * w
    d_plus = np.sqrt(np.maximum(w2 @ ((n - n.max(axis=0)) ** 2).T, 0.0))
    d_minus = np.sqrt(np.maximum(w2 @ ((n - n.min(axis=0)) ** 2).T, 0.0))
    total = d_plus + d_minus
    closeness = np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)
    return _out(closeness, single)


def _row_range_scale(x: np.ndarray) -> np.ndarray:
    """``(x - row min) / (row max - row min)``, 0 where a row is constant."""
    lo = x.min(axis=1, keepdims=True)
    span = x.max(axis=1, keepdims=True) - lo
    scaled: np.ndarray = np.divide(x - lo, span, out=np.zeros_like(x), where=span > 0)
    return scaled


def vikor_kernel(nmatrix: ArrayLike, weights: ArrayLike, v: float = 0.5) -> VikorResult:
    """VIKOR on a benefit-oriented matrix (Opricovic & Tzeng, 2004).

    With ``f*_j`` and ``f-_j`` the best and worst value of criterion ``j`` and
    ``d_ij = (f*_j - f_ij) / (f*_j - f-_j)``: ``S_i = sum_j w_j d_ij``,
    ``R_i = max_j w_j d_ij`` and
    ``Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*)``.
    A term whose range is zero contributes 0.

    The compromise set follows the paper: if both conditions hold, the best
    alternative ``a'`` by ``Q`` alone; if only C2 fails, ``a'`` and the
    runner-up ``a''``; if C1 fails, every alternative with
    ``Q(a) - Q(a') < 1/(m-1)``.

    Parameters
    ----------
    nmatrix : array_like, shape (m, n)
        Benefit-oriented matrix, no column constant.
    weights : array_like, shape (n,) or (k, n)
    v : float
        Weight of the strategy of the majority of criteria, in [0, 1].

    Returns
    -------
    VikorResult

    Examples
    --------
    >>> r = vikor_kernel([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]], [0.5, 0.5])
    >>> r.Q.round(3).tolist(), r.compromise.tolist()
    ([1.0, 1.0, 0.0], [False, False, True])
    """
    w, single = _as_2d(weights)
    n = np.asarray(nmatrix, dtype=float)
    m = n.shape[0]
    best, worst = n.max(axis=0), n.min(axis=0)
    d = (best - n) / (best - worst)  # (m, n), 0 = best, 1 = worst
    s = w @ d.T
    r = np.empty_like(s)
    step = max(1, _CHUNK_ELEMENTS // max(1, d.size))
    for start in range(0, w.shape[0], step):
        block = w[start : start + step]
        r[start : start + step] = np.max(block[:, None, :] * d[None, :, :], axis=2)
    q = v * _row_range_scale(s) + (1.0 - v) * _row_range_scale(r)

    # Small slack so that exact ties and DQ boundaries survive rounding.
    tol = 1e-12
    dq = 1.0 / (m - 1)
    order = np.argsort(q, axis=1, kind="stable")
    rows = np.arange(q.shape[0])
    first = order[:, 0]
    q_first = q[rows, first]
    q_second = q[rows, order[:, 1]]
    advantage = q_second - q_first >= dq - tol
    stability = (s[rows, first] <= s.min(axis=1) + tol) | (r[rows, first] <= r.min(axis=1) + tol)
    only_first = np.zeros_like(q, dtype=bool)
    only_first[rows, first] = True
    first_two = only_first.copy()
    first_two[rows, order[:, 1]] = True
    near = q - q_first[:, None] < dq - tol
    compromise = np.where(
        (advantage & stability)[:, None],
        only_first,
        np.where(advantage[:, None], first_two, near | only_first),
    )
    return VikorResult(
        S=_out(s, single),
        R=_out(r, single),
        Q=_out(q, single),
        acceptable_advantage=_out(advantage, single),
        acceptable_stability=_out(stability, single),
        compromise=_out(compromise, single),
    )


def preference_degree(
    d: ArrayLike, preference: str = "usual", q: Threshold = 0.0, p: Threshold = 0.0,
    s: Threshold = 1.0,
) -> np.ndarray:
    """PROMETHEE generalized criterion ``P(d)`` for differences ``d`` (Brans & Vincke, 1985).

    ``q`` (indifference), ``p`` (strict preference) and ``s`` (Gaussian
    inflection) broadcast against the last axis of ``d``.

    ========  ===================================================
    usual     1 if d > 0
    ushape    1 if d > q
    vshape    d / p for 0 < d <= p, 1 above p
    level     1/2 for q < d <= p, 1 above p
    linear    (d - q) / (p - q) for q < d <= p, 1 above p
    gaussian  1 - exp(-d**2 / (2 s**2)) for d > 0
    ========  ===================================================

    and 0 everywhere else.

    Examples
    --------
    >>> preference_degree([-1.0, 0.5, 1.5, 3.0], "linear", q=1.0, p=2.0).tolist()
    [0.0, 0.0, 0.5, 1.0]
    >>> preference_degree([0.5, 1.5, 3.0], "level", q=1.0, p=2.0).tolist()
    [0.0, 0.5, 1.0]
    """
    d = np.asarray(d, dtype=float)
    if preference == "usual":
        return (d > 0).astype(float)
    if preference == "ushape":
        return (d > q).astype(float)
    if preference == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if preference == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if preference == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if preference == "gaussian":
        return np.where(d > 0, 1.0 - np.exp(-(d * d) / (2.0 * s * s)), 0.0)
    known = ", ".join(PREFERENCE_FUNCTIONS)
    raise ValueError(f"unknown preference function {preference!r}; choose one of {known}")


def promethee2_kernel(
    nmatrix: ArrayLike, weights: ArrayLike, preference: str = "usual",
    q: Threshold = 0.0, p: Threshold = 0.0, s: Threshold = 1.0,
) -> PrometheeFlows:
    """PROMETHEE II flows on a benefit-oriented matrix.

    ``pi(a, b) = sum_j w_j P_j(f_j(a) - f_j(b))``; the positive flow of ``a`` is
    ``sum_b pi(a, b) / (m - 1)``, the negative flow ``sum_b pi(b, a) / (m - 1)``
    and the net flow their difference. Because ``pi`` is linear in the weights,
    the per-criterion preference degrees are first summed over the opponents,
    and the flows for all weight vectors are then one matrix product each.

    Parameters
    ----------
    nmatrix : array_like, shape (m, n)
    weights : array_like, shape (n,) or (k, n)
        Should sum to 1 for flows in [-1, 1].
    preference, q, p, s
        See :func:`preference_degree`; thresholds are scalars or per-criterion.

    Examples
    --------
    >>> f = promethee2_kernel([[4.0, 3, 2], [3, 2, 4], [5, 1, 3]], [0.5, 0.3, 0.2])
    >>> np.round(f.net_flow, 2).tolist()
    [0.1, -0.3, 0.2]
    """
    w, single = _as_2d(weights)
    n = np.asarray(nmatrix, dtype=float)
    m, k = n.shape
    q, p, s = (np.broadcast_to(np.asarray(t, dtype=float), (k,)) for t in (q, p, s))
    wins = np.empty_like(n)  # wins[a, j] = sum_b P_j(f_j(a) - f_j(b))
    losses = np.empty_like(n)  # losses[a, j] = sum_b P_j(f_j(b) - f_j(a))
    step = max(1, _CHUNK_ELEMENTS // max(1, n.size))
    for start in range(0, m, step):
        diff = n[start : start + step, None, :] - n[None, :, :]
        wins[start : start + step] = preference_degree(diff, preference, q, p, s).sum(axis=1)
        losses[start : start + step] = preference_degree(-diff, preference, q, p, s).sum(axis=1)
    pos = w @ wins.T / (m - 1)
    neg = w @ losses.T / (m - 1)
    return PrometheeFlows(
        positive_flow=_out(pos, single),
        negative_flow=_out(neg, single),
        net_flow=_out(pos - neg, single),
    )


def topsis(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike, normalization: str = "vector"
) -> np.ndarray:
    """Normalize, then :func:`topsis_kernel`. No validation (use :func:`oicplan.mcda.rank`).

    Examples
    --------
    >>> np.round(topsis([[1.0, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [-1, 1],
    ...                 normalization="minmax"), 3).tolist()
    [0.5, 0.617, 0.5]
    """
    return topsis_kernel(_normalize(matrix, types, normalization), weights)


def wsm(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike, normalization: str = "minmax"
) -> np.ndarray:
    """Normalize, then :func:`wsm_kernel`. No validation.

    Examples
    --------
    >>> wsm([[1.0, 5.0], [3.0, 1.0], [2.0, 2.0]], [0.5, 0.5], ["max", "min"]).tolist()
    [0.0, 1.0, 0.625]
    """
    return wsm_kernel(_normalize(matrix, types, normalization), weights)


def wpm(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike, normalization: str = "sum"
) -> np.ndarray:
    """Normalize, then :func:`wpm_kernel`. No validation.

    Examples
    --------
    >>> s = wpm([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], ["max", "max"])
    >>> bool(np.isclose(s[0], s[1]))
    True
    """
    return wpm_kernel(_normalize(matrix, types, normalization), weights)


def vikor(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike, normalization: str = "none",
    v: float = 0.5,
) -> VikorResult:
    """Normalize, then :func:`vikor_kernel`. No validation.

    Examples
    --------
    >>> vikor([[1.0, 5.0], [3.0, 1.0], [2.0, 2.0]], [0.5, 0.5], ["max", "min"]).Q.tolist()
    [1.0, 0.0, 0.4375]
    """
    return vikor_kernel(_normalize(matrix, types, normalization), weights, v)


def promethee2(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike, normalization: str = "none",
    preference: str = "usual", q: Threshold = 0.0, p: Threshold = 0.0, s: Threshold = 1.0,
) -> PrometheeFlows:
    """Normalize, then :func:`promethee2_kernel`. No validation.

    Examples
    --------
    >>> promethee2([[1.0], [2.0]], [1.0], ["min"]).net_flow.tolist()
    [1.0, -1.0]
    """
    return promethee2_kernel(_normalize(matrix, types, normalization), weights, preference, q, p, s)
