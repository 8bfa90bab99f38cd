"""Fast construction heuristics that give HiGHS a good first incumbent.

They only need to be feasible; the MIP proves (or fails to prove) optimality.
Each works on facility indices and keeps the forced (predefined) ones open.

>>> import numpy as np
>>> d = np.array([[0.0, 5.0, 9.0], [5.0, 0.0, 4.0], [9.0, 4.0, 0.0]])
>>> sorted(greedy_swap_median(d, np.ones(3), p=1, forced=np.array([], int)).tolist())
[1]
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "farthest_first",
    "greedy_cover",
    "greedy_max_cover",
    "greedy_swap_median",
]


def _median_cost(d: np.ndarray, w: np.ndarray, open_idx: np.ndarray) -> float:
    return float(w @ d[:, open_idx].min(axis=1))


def greedy_swap_median(
    d: np.ndarray, w: np.ndarray, p: int, forced: np.ndarray, max_rounds: int = 50
) -> np.ndarray:
    """Greedy-add then first-improvement vertex swaps (Teitz & Bart 1968) for the p-median.

    Returns the indices of ``p`` open facilities.
    """
    n, m = d.shape
    is_open = np.zeros(m, bool)
    is_open[forced] = True
    best = d[:, forced].min(axis=1) if forced.size else np.full(n, np.inf)
    while is_open.sum() < p:
        # Weighted cost of each candidate if it were added to the open set.
        with np.errstate(invalid="ignore"):
            gain = w @ np.minimum(best[:, None], d)
        gain[is_open] = np.inf
        j = int(np.argmin(gain))
        is_open[j] = True
        best = np.minimum(best, d[:, j])
    free = np.setdiff1d(np.arange(m), forced)
    current = _median_cost(d, w, np.flatnonzero(is_open))
    for _ in range(max_rounds):
        improved = False
        for j_out in np.flatnonzero(is_open & np.isin(np.arange(m), free)):
            others = np.flatnonzero(is_open)
            others = others[others != j_out]
            base = d[:, others].min(axis=1) if others.size else np.full(n, np.inf)
            cand = np.flatnonzero(~is_open)
            if not cand.size:
                break
            costs = w @ np.minimum(base[:, None], d[:, cand])
            k = int(np.argmin(costs))
            if costs[k] < current - 1e-9 * max(1.0, abs(current)):
                is_open[j_out] = False
                is_open[cand[k]] = True
                current = float(costs[k])
                improved = True
        if not improved:
            break
    return np.flatnonzero(is_open)


def greedy_max_cover(cover: np.ndarray, w: np.ndarray, p: int, forced: np.ndarray) -> np.ndarray:
    """Greedy maximal covering: repeatedly open the facility adding most covered weight.

    ``cover`` is a boolean (demand, facility) matrix.
    """
    m = cover.shape[1]
    is_open = np.zeros(m, bool)
    is_open[forced] = True
    covered = cover[:, forced].any(axis=1)
    while is_open.sum() < p:
        gain = (w * ~covered) @ cover
        gain = gain.astype(float)
        gain[is_open] = -np.inf
        j = int(np.argmax(gain))
        is_open[j] = True
        covered |= cover[:, j]
    return np.flatnonzero(is_open)


def greedy_cover(cover: np.ndarray, forced: np.ndarray) -> np.ndarray:
    """Greedy set cover (Chvatal 1979): open the facility covering most uncovered demands.

    Every demand must be coverable by some facility.
    """
    m = cover.shape[1]
    is_open = np.zeros(m, bool)
    is_open[forced] = True
    covered = cover[:, forced].any(axis=1)
    while not covered.all():
        gain = (~covered).astype(np.int64) @ cover
        gain[is_open] = -1
        j = int(np.argmax(gain))
        is_open[j] = True
        covered |= cover[:, j]
    return np.flatnonzero(is_open)


def farthest_first(d: np.ndarray, w: np.ndarray, p: int, forced: np.ndarray) -> np.ndarray:
    """Greedy p-center: open the facility nearest to the worst-served demand, p times.

    A variant of Gonzalez (1985) for separate demand and facility sets.
    """
    n, m = d.shape
    is_open = np.zeros(m, bool)
    is_open[forced] = True
    best = d[:, forced].min(axis=1) if forced.size else np.full(n, np.inf)
    while is_open.sum() < p:
        if not np.isfinite(best).any():
            # Nothing open yet: the facility with the smallest weighted worst distance.
            j = int(np.argmin((w[:, None] * d).max(axis=0)))
        else:
            worst = int(np.argmax(w * best))
            order = np.argsort(d[worst], kind="stable")
            j = int(next(k for k in order if not is_open[k]))
        is_open[j] = True
        best = np.minimum(best, d[:, j])
    return np.flatnonzero(is_open)
