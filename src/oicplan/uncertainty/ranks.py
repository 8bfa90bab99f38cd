"""Competition ranks for many score vectors at once, and statistics of rank samples.

A Monte Carlo run produces one score vector per replication. Only the rank of
each alternative matters, and only through its distribution, so this module
turns score blocks into ranks without one Python-level ranking call per
replication, and summarizes ranks through a per-alternative histogram (which
adds up exactly across chunks and workers).

The rank of an alternative is one plus the number of alternatives with a
strictly better score, so ties share the smallest rank, exactly as
:func:`oicplan.mcda.rank_scores` does (scores are rounded to the same 12
decimals first). Rows are ranked in blocks that fit in the CPU caches:

* every row is sorted once, by one vectorized ``numpy.sort`` per block, with
  the alternative's index packed into the lowest mantissa bits of its score
  (so the sort carries the permutation along and no argsort is needed). The
  packed order is the exact order whenever no two scores of the row share
  their remaining high bits, which a pass over neighbours checks. Distinct
  scores rounded to 12 decimals differ by about 1e-12, more than the packing
  step (2**b units in the last place, b = bits of m - 1) for scores below 32
  in magnitude with up to 256 alternatives (below 8 with 1,024), so the check
  passes for every row without a tie there (TOPSIS closeness, VIKOR Q and
  PROMETHEE flows lie in [-1, 1]);
* rows that fail the check (a tie, or two scores closer than the packing
  resolution) are ranked exactly: ``argsort``, then ties take the position
  where their run of equal values starts (``maximum.accumulate``);
* rows with a NaN are ranked as before this scheme existed (pairwise counting
  up to :data:`COUNTING_MAX_ALTERNATIVES` alternatives, a per-row binary
  search above), so every result is unchanged.

:func:`rank_histogram` goes straight from scores to the rank histogram (one
``numpy.bincount`` per block) without building the ranks in alternatives'
order, which is all :func:`oicplan.uncertainty.monte_carlo` needs.

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
    "rank_histogram",
    "rank_percentiles",
]

COUNTING_MAX_ALTERNATIVES = 64
"""Rows with a NaN score are ranked the original way: up to this many
alternatives by pairwise counting, above it by a per-row sort plus binary
search (other rows go through the packed sort, see the module notes)."""

# Same rounding as oicplan.mcda.core.rank_scores, so near-equal scores tie.
_TIE_DECIMALS = 12
# Bound on the (rows, m, m) boolean block of the pairwise comparison.
_BLOCK_ELEMENTS = 1 << 21
# Scores per block of rows in the sort-based ranking (2 MiB of float64: the
# block and its few temporaries stay in the caches).
_SORT_BLOCK_ELEMENTS = 1 << 18


def _keys(scores, higher_is_better: bool, out: np.ndarray | None = None) -> np.ndarray:
    """Rounded scores turned so that smaller is better, as a 2-D array.

    Zeros come out as ``+0.0`` (never ``-0.0``), which the packed sort needs:
    ``0.0 - x`` and ``x + 0.0`` turn either zero into ``+0.0``.
    """
    x = _as_rows(scores)
    x = np.round(x, _TIE_DECIMALS, out=None if out is None else out[: x.shape[0]])
    if higher_is_better:
        np.subtract(0.0, x, out=x)
    else:
        x += 0.0
    return x


def _as_rows(scores) -> np.ndarray:
    x = np.asarray(scores, dtype=float)
    return x[None, :] if x.ndim == 1 else x


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


def _ranks_legacy(key: np.ndarray) -> np.ndarray:
    """The original ranking (kept for rows with a NaN, whose ranks it defines)."""
    out = np.empty(key.shape, dtype=np.int32)
    if key.shape[1] <= COUNTING_MAX_ALTERNATIVES:
        _ranks_by_pairs(key, out)
    else:
        _ranks_by_sorting(key, out)
    return out


class _Workspace:
    """Buffers reused from block to block (fresh temporaries cost page faults)."""

    def __init__(self, rows: int, m: int) -> None:
        self.key = np.empty((rows, m))
        self.packed = np.empty((rows, m), dtype=np.int64)
        self.same = np.empty((rows, max(m - 1, 0)), dtype=np.int64)
        self.index = np.arange(m, dtype=np.int64)
        self.low = (1 << max(1, (m - 1).bit_length())) - 1


def _packed_sort(key: np.ndarray, ws: _Workspace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort each row of ``key`` carrying the alternatives' indices in the low bits.

    Returns ``(alt, suspect, nan)``: ``alt[r, j]`` is the alternative at sorted
    position ``j`` of row ``r`` (a view of ``ws.packed``), exact for rows
    where ``suspect`` is False; ``suspect`` marks rows where two neighbours
    share their high bits (a tie, or scores closer than the packing
    resolution) or that hold a NaN, and ``nan`` the rows with a NaN.

    Why the order is exact elsewhere: clearing the ``b`` lowest bits of a
    finite double keeps its sign and moves it towards zero, never past another
    double whose high bits differ, so two keys with different high bits
    compare the same way after packing. ``np.sort`` puts NaN last, and an
    infinity with a nonzero index packed in becomes a NaN, so a row with a NaN
    (or two infinities) ends in a NaN; a single infinity packed with index 0
    stays itself and sorts correctly. Zeros are all ``+0.0`` (see :func:`_keys`)
    and equal zeros share their high bits (zero), so they count as a tie.
    """
    k, m = key.shape
    low = ws.low
    packed = np.bitwise_and(key.view(np.int64), ~low, out=ws.packed[:k])
    packed |= ws.index
    as_float = packed.view(np.float64)
    as_float.sort(axis=1)
    nan = np.isnan(as_float[:, -1])
    if m > 1:
        same = np.bitwise_xor(packed[:, 1:], packed[:, :-1], out=ws.same[:k])
        # equal high bits <=> the xor of neighbours is below 2**b (as unsigned)
        suspect = same.view(np.uint64).min(axis=1) <= low
        suspect |= nan
    else:
        suspect = nan.copy()
    packed &= low
    return packed, suspect, nan


def _ranks_by_argsort(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``(order, rank0)``: alternative ``order[r, j]`` has rank ``rank0[r, j] + 1``.

    A tie takes the sorted position where its run of equal values starts, the
    number of strictly better alternatives. (No NaN: equal NaNs would not tie.)
    """
    order = np.argsort(key, axis=1)
    ordered = np.take_along_axis(key, order, axis=1)
    rank0 = np.broadcast_to(np.arange(key.shape[1], dtype=np.int64), key.shape).copy()
    rank0[:, 1:][ordered[:, 1:] == ordered[:, :-1]] = 0
    np.maximum.accumulate(rank0, axis=1, out=rank0)
    return order, rank0


def _block_rows(m: int) -> int:
    return max(1, _SORT_BLOCK_ELEMENTS // max(m, 1))


def competition_ranks(scores, higher_is_better: bool = True) -> np.ndarray:
    """Rank every row of a score matrix: 1 = best, ties share the smallest rank.

    Equal to ``oicplan.mcda.rank_scores(scores, higher_is_better)`` row by
    row: for each alternative, one plus the number of alternatives scoring
    strictly better (scores rounded to 12 decimals).

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
    x = _as_rows(scores)
    k, m = x.shape
    out = np.empty((k, m), dtype=np.int32)
    if m == 0:
        return out
    positions = np.arange(1, m + 1, dtype=np.int32)
    step = min(k, _block_rows(m))
    ws = _Workspace(step, m)
    for start in range(0, k, step):
        block = _keys(x[start : start + step], higher_is_better, ws.key)
        dest = out[start : start + step]
        alt, suspect, nan = _packed_sort(block, ws)
        np.put_along_axis(dest, alt, np.broadcast_to(positions, alt.shape), axis=1)
        if suspect.any():
            rows = np.flatnonzero(suspect & ~nan)
            if rows.size:
                order, rank0 = _ranks_by_argsort(block[rows])
                exact = np.empty(order.shape, dtype=np.int32)
                np.put_along_axis(exact, order, rank0 + 1, axis=1)
                dest[rows] = exact
            rows = np.flatnonzero(nan)
            if rows.size:
                dest[rows] = _ranks_legacy(block[rows])
    return out


def rank_histogram(scores, higher_is_better: bool = True) -> np.ndarray:
    """Rank histogram of a score matrix, without materializing the ranks.

    Equal to ``rank_counts(competition_ranks(scores, higher_is_better))``.

    Parameters
    ----------
    scores : array_like, shape (k, m) or (m,)
    higher_is_better : bool

    Returns
    -------
    numpy.ndarray of int64, shape (m, m)
        ``counts[i, r - 1]`` = rows in which alternative ``i`` has rank ``r``.

    Examples
    --------
    >>> rank_histogram([[0.2, 0.9, 0.9], [0.5, 0.4, 0.3]]).tolist()
    [[1, 0, 1], [1, 1, 0], [1, 0, 1]]
    """
    x = _as_rows(scores)
    k, m = x.shape
    # by_rank[r, i]: rows where alternative i has rank r + 1 (transposed at the end)
    by_rank = np.zeros(m * m, dtype=np.int64)
    if m == 0:
        return by_rank.reshape(0, 0)
    offsets = np.arange(0, m * m, m, dtype=np.int64)
    step = min(k, _block_rows(m))
    ws = _Workspace(step, m)
    for start in range(0, k, step):
        # rounding block by block keeps the keys in cache for the passes that follow
        block = _keys(x[start : start + step], higher_is_better, ws.key)
        alt, suspect, nan = _packed_sort(block, ws)
        if suspect.any():
            alt = alt[~suspect]
            rows = np.flatnonzero(suspect & ~nan)
            if rows.size:
                order, rank0 = _ranks_by_argsort(block[rows])
                rank0 *= m
                rank0 += order
                by_rank += np.bincount(rank0.ravel(), minlength=m * m)
            rows = np.flatnonzero(nan)
            if rows.size:
                legacy = _ranks_legacy(block[rows]).astype(np.int64) - 1
                legacy *= m
                legacy += np.arange(m, dtype=np.int64)
                by_rank += np.bincount(legacy.ravel(), minlength=m * m)
        alt += offsets
        by_rank += np.bincount(alt.ravel(), minlength=m * m)
    return np.ascontiguousarray(by_rank.reshape(m, m).T)


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
