"""Competition ranks for many score vectors at once, and statistics of rank samples.

A Monte Carlo run produces one score vector per replication. Only the rank of
each alternative matters, and only through its distribution, so this module
turns score blocks into ranks without one Python-level ranking call per
replication, and summarizes ranks through a per-alternative histogram (which
adds up exactly across chunks and workers).

The rank of an alternative is one plus the number of alternatives with a
strictly better score, so ties share the smallest rank, exactly as
:func:`oicplan.mcda.rank_scores` does (scores are rounded to the same 12
decimals first). Two ways of counting are used:

* few alternatives: compare every pair inside a block of rows (``m * m``
  comparisons per row, cheap when ``m`` is small);
* many alternatives: sort each row once and look every alternative up in it
  with a binary search (``O(m log m)`` per row).

Examples
--------
>>> competition_ranks([[0.2, 0.9, 0.9, 0.1], [0.5, 0.4, 0.3, 0.2]]).tolist()
[[3, 1, 1, 4], [1, 2, 3, 4]]
>>> counts = rank_counts([[1, 2, 3], [1, 3, 2]])
>>> counts.tolist()
[[2, 0, 0], [0, 1, 1], [0, 1, 1]]
>>> rank_percentiles(counts, [5, 50, 95]).tolist()
[[1.0, 1.0, 1.0], [2.05, 2.5, 2.95], [2.05, 2.5, 2.95]]
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "COUNTING_MAX_ALTERNATIVES",
    "competition_ranks",
    "rank_counts",
    "rank_percentiles",
]

COUNTING_MAX_ALTERNATIVES = 64
"""Up to this many alternatives ranks come from pairwise counting, above it
from a per-row sort plus binary search (the faster of the two on a 2-core AMD
EPYC: about 0.2 us per row for 10 alternatives by counting, 15 us per row for
250 alternatives by sorting, against 44 us by counting)."""

# Same rounding as oicplan.mcda.core.rank_scores, so near-equal scores tie.
_TIE_DECIMALS = 12
# Bound on the (rows, m, m) boolean block of the pairwise comparison.
_BLOCK_ELEMENTS = 1 << 21


def _keys(scores, higher_is_better: bool) -> np.ndarray:
    """Rounded scores turned so that smaller is better, as a 2-D array."""
    x = np.round(np.asarray(scores, dtype=float), _TIE_DECIMALS)
    if x.ndim == 1:
        x = x[None, :]
    return -x if higher_is_better else x


def _ranks_by_pairs(key: np.ndarray, out: np.ndarray) -> None:
    m = key.shape[1]
    step = max(1, _BLOCK_ELEMENTS // (m * m))
    for start in range(0, key.shape[0], step):
        block = key[start : start + step]
        # better[r, i, j]: alternative j beats alternative i in row r
        better = block[:, None, :] < block[:, :, None]
        out[start : start + step] = 1 + better.sum(axis=2, dtype=np.int32)


def _ranks_by_sorting(key: np.ndarray, out: np.ndarray) -> None:
    ordered = np.sort(key, axis=1)
    for row in range(key.shape[0]):
        # position of the first entry equal to key[row, i] = number strictly better
        out[row] = np.searchsorted(ordered[row], key[row], side="left") + 1


def competition_ranks(scores, higher_is_better: bool = True) -> np.ndarray:
    """Rank every row of a score matrix: 1 = best, ties share the smallest rank.

    Equal to ``oicplan.mcda.rank_scores(scores, higher_is_better)`` row by
    row, computed by counting, for each alternative, how many alternatives
    score strictly better.

    Parameters
    ----------
    scores : array_like, shape (k, m) or (m,)
        One row per replication.
    higher_is_better : bool
        ``False`` for VIKOR's ``Q``.

    Returns
    -------
    numpy.ndarray of int32, shape (k, m)
        Always two-dimensional.

    Examples
    --------
    >>> competition_ranks([0.3, 0.1, 0.3], higher_is_better=False).tolist()
    [[2, 1, 2]]
    """
    key = _keys(scores, higher_is_better)
    out = np.empty(key.shape, dtype=np.int32)
    if key.shape[1] <= COUNTING_MAX_ALTERNATIVES:
        _ranks_by_pairs(key, out)
    else:
        _ranks_by_sorting(key, out)
    return out


def rank_counts(ranks, n_alternatives: int | None = None) -> np.ndarray:
    """Histogram of ranks: ``counts[i, r - 1]`` = how often alternative ``i`` got rank ``r``.

    Histograms of separate chunks add up to the histogram of the whole run,
    which makes chunked and distributed runs give identical summaries.

    Parameters
    ----------
    ranks : array_like of int, shape (k, m)
        Ranks from 1 to ``m``.
    n_alternatives : int, optional
        ``m``; taken from ``ranks`` by default.

    Returns
    -------
    numpy.ndarray of int64, shape (m, m)

    Examples
    --------
    >>> rank_counts([[2, 1], [1, 2], [1, 1]]).tolist()
    [[2, 1], [2, 1]]
    """
    r = np.atleast_2d(np.asarray(ranks, dtype=np.int64))
    m = r.shape[1] if n_alternatives is None else int(n_alternatives)
    flat = np.arange(m, dtype=np.int64)[None, :] * m + (r - 1)
    return np.bincount(flat.ravel(), minlength=m * m).reshape(m, m)


def rank_percentiles(counts, q) -> np.ndarray:
    """Percentiles of each alternative's ranks, read off its rank histogram.

    Gives exactly what ``numpy.percentile(ranks[:, i], q)`` (linear
    interpolation, numpy's default) gives on the ranks the histogram counts.

    Parameters
    ----------
    counts : array_like of int, shape (m, n_ranks)
        From :func:`rank_counts`.
    q : float or sequence of float
        Percentiles in [0, 100].

    Returns
    -------
    numpy.ndarray of float, shape (m, len(q))

    Examples
    --------
    >>> rank_percentiles([[0, 3, 1]], [0, 50, 100]).tolist()
    [[2.0, 2.0, 3.0]]
    """
    c = np.atleast_2d(np.asarray(counts, dtype=np.int64))
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    values = np.arange(1, c.shape[1] + 1, dtype=np.int32)
    out = np.empty((c.shape[0], qs.size))
    for i in range(c.shape[0]):
        # The sorted sample is the rank values repeated by their counts; letting
        # numpy interpolate on it keeps its rounding bit for bit.
        out[i] = np.percentile(np.repeat(values, c[i]), qs)
    return out
