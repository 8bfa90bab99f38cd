"""Monte Carlo robustness of an MCDA ranking: how stable is each alternative's rank?

Each replication draws

* a weight vector around the chosen weights, either ``w_j (1 + U(-x, x))``
  renormalized to sum to 1 (``spread = x``), or from a Dirichlet
  distribution with mean ``w`` and concentration ``c`` (``alpha = c w``;
  larger ``c`` = tighter around ``w``, each weight has variance
  ``w_j (1 - w_j) / (c + 1)``);
* one normalization from a list of candidates, uniformly;
* one decision matrix from a set of alternatives (for example the same
  sites scored with different aggregation or imputation choices), uniformly.

Replications that share a normalization and a matrix are scored by one call of
the vectorized kernel (weights of shape ``(k, n)``; for TOPSIS the kernel's
arithmetic with its element-wise passes done block by block in cache), and
each chunk goes straight from scores to a rank histogram
(:func:`oicplan.uncertainty.ranks.rank_histogram`: one vectorized sort per
block of rows, one ``bincount``). The run is split into chunks of
``chunk_size`` replications, each with its own random stream spawned from the
seed by :class:`numpy.random.SeedSequence`; chunks only add up integer rank
histograms, so memory stays bounded, the chunks can run on parallel threads
in process (one per CPU, BLAS limited to :data:`BLAS_THREADS`) and a run on a
dask.distributed cluster (``scheduler=``) gives exactly the in-process result
for the same seed and chunk size.

Examples
--------
>>> res = monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
...                   samples=200, spread=0.3, seed=1, top_k=1)
>>> res.median_rank.tolist(), res.top_k_frequency.tolist()
([3.0, 1.0, 2.0], [0.0, 1.0, 0.0])
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..mcda import (
    DEFAULT_NORMALIZATION,
    METHODS,
    NORMALIZATIONS,
    DecisionMatrix,
    promethee2_kernel,
    rank,
    validate_weights,
    vikor_kernel,
    wpm_kernel,
    wsm_kernel,
)
from .ranks import competition_ranks, rank_counts, rank_histogram, rank_percentiles

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONCENTRATION",
    "MonteCarloResult",
    "ScoringSetup",
    "monte_carlo",
    "prepare",
]

DEFAULT_CHUNK_SIZE = 8192
"""Replications per chunk (and per dask task); the result depends on it."""

MAX_LOCAL_THREADS = 8
"""At most this many threads simulate chunks in process (one per CPU)."""

BLAS_THREADS: int | None = 1
"""BLAS threads during an in-process run (through threadpoolctl, when it is
installed); ``None`` leaves BLAS as configured. With one BLAS thread per
chunk the threads over chunks do not oversubscribe the CPUs, and the scores
no longer depend on the machine's core count: OpenBLAS's result for an entry
can differ in the last bit with the number of threads it splits a product
over. dask.distributed worker processes run with one BLAS thread by default
too (``distributed.nanny.pre-spawn-environ``)."""

DEFAULT_CONCENTRATION = 100.0
"""Dirichlet concentration used when none is given (weights within about
+-0.1 * sqrt(w) of their chosen value, two standard deviations)."""


def _check_choice(name: str, value: str, allowed) -> None:
    if value not in allowed:
        raise InputError(
            f"unknown {name} {value!r}; choose one of {', '.join(allowed)}", field=name
        )


def _as_matrix(matrix, types, alternatives, criteria, label: str | None) -> DecisionMatrix:
    if isinstance(matrix, DecisionMatrix):
        if types is None:
            return matrix
        return DecisionMatrix(matrix.values, types, alternatives=matrix.alternatives,
                              criteria=matrix.criteria, file=matrix.file)
    if types is None:
        raise InputError("criterion types are required (one 'max' or 'min' per criterion)",
                         field="types")
    if isinstance(matrix, pd.DataFrame):
        return DecisionMatrix(
            matrix.to_numpy(dtype=object), types,
            alternatives=alternatives if alternatives is not None else list(matrix.index),
            criteria=criteria if criteria is not None else list(matrix.columns),
            file=label,
        )
    return DecisionMatrix(matrix, types, alternatives=alternatives, criteria=criteria,
                          file=label)


def _kernel_params(method: str, params: Mapping) -> dict:
    if method == "vikor":
        v = params.get("v")
        return {"v": 0.5 if v is None else float(v)}
    if method == "promethee2":
        out = {"preference": params.get("preference") or "usual"}
        for name, default in (("q", 0.0), ("p", 0.0), ("s", 1.0)):
            value = params.get(name)
            out[name] = default if value is None else np.asarray(value, dtype=float)
        return out
    return {}


# Rows per block of the element-wise TOPSIS passes (250 alternatives: 2 MiB).
_TOPSIS_BLOCK_ELEMENTS = 1 << 18


def _topsis_blocked(nmatrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``topsis_kernel(nmatrix, w)`` bit for bit, with fewer passes over memory.

    The two matrix products are the kernel's own expressions on all rows at
    once (BLAS results can depend on how many rows one call gets, so they are
    not split); the element-wise steps that follow (clip at 0, square root,
    sum, division, 0.5 where both distances are 0) run in place, block by
    block, while the block is in cache. Each step is one correctly rounded
    IEEE operation per element, as in the kernel, so the result is identical
    (``tests/uncertainty`` checks it against :func:`oicplan.mcda.topsis_kernel`).
    """
    n = np.asarray(nmatrix, dtype=float)
    w2 = w * w
    d_plus = w2 @ ((n - n.max(axis=0)) ** 2).T
    d_minus = w2 @ ((n - n.min(axis=0)) ** 2).T
    step = max(1, _TOPSIS_BLOCK_ELEMENTS // max(n.shape[0], 1))
    for start in range(0, d_plus.shape[0], step):
        total = d_plus[start : start + step]
        close = d_minus[start : start + step]
        np.maximum(total, 0.0, out=total)
        np.sqrt(total, out=total)
        np.maximum(close, 0.0, out=close)
        np.sqrt(close, out=close)
        total += close
        if total.size and total.min() > 0:  # the usual case (min is NaN if one is)
            np.divide(close, total, out=close)
        else:
            positive = total > 0
            np.divide(close, total, out=close, where=positive)
            close[~positive] = 0.5
    return d_minus


@dataclass(frozen=True)
class ScoringSetup:
    """Everything a worker needs to simulate replications (picklable, numpy only).

    Build it with :func:`prepare`; :func:`monte_carlo` and
    :func:`oicplan.uncertainty.sobol_analysis` use it.

    Attributes
    ----------
    method : str
    params : dict
        Keyword arguments of the method's kernel (``v``; ``preference``, ``q``, ...).
    higher_is_better : bool
    alternatives, criteria : tuple of str
    normalizations, matrix_names : tuple of str
        The choices a replication draws from.
    nmatrices : numpy.ndarray, shape (n_normalizations, n_matrices, m, n)
        Each matrix normalized with each normalization.
    base_weights : numpy.ndarray, shape (n,)
        The chosen weights, summing to 1.
    base_ranks : numpy.ndarray, shape (m,)
        Ranks with the chosen weights, the first normalization and the first matrix.
    """

    method: str
    params: dict
    higher_is_better: bool
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    normalizations: tuple[str, ...]
    matrix_names: tuple[str, ...]
    nmatrices: np.ndarray
    base_weights: np.ndarray
    base_ranks: np.ndarray

    def scores(self, weights, normalization_index=None, matrix_index=None) -> np.ndarray:
        """Scores of every weight vector, grouping rows that share their choices.

        Parameters
        ----------
        weights : array_like, shape (k, n)
        normalization_index, matrix_index : array_like of int, shape (k,), optional
            Which normalization and matrix each row uses (default the first).

        Returns
        -------
        numpy.ndarray, shape (k, m)
        """
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        k = w.shape[0]
        ni = np.zeros(k, dtype=np.int64) if normalization_index is None else normalization_index
        mi = np.zeros(k, dtype=np.int64) if matrix_index is None else matrix_index
        n_mat = len(self.matrix_names)
        group = np.asarray(ni, dtype=np.int64) * n_mat + np.asarray(mi, dtype=np.int64)
        codes = np.unique(group)
        if codes.size == 1:
            # one group: score every row in one call, without copying the result
            code = int(codes[0])
            return self._kernel(self.nmatrices[code // n_mat, code % n_mat],
                                np.ascontiguousarray(w))
        out = np.empty((k, len(self.alternatives)))
        for code in codes:
            rows = np.flatnonzero(group == code)
            nmatrix = self.nmatrices[code // n_mat, code % n_mat]
            out[rows] = self._kernel(nmatrix, w[rows])
        return out

    def _kernel(self, nmatrix: np.ndarray, w: np.ndarray) -> np.ndarray:
        if self.method == "topsis":
            return _topsis_blocked(nmatrix, w)
        if self.method == "wsm":
            return wsm_kernel(nmatrix, w)
        if self.method == "wpm":
            return wpm_kernel(nmatrix, w)
        if self.method == "vikor":
            return vikor_kernel(nmatrix, w, **self.params).Q
        return promethee2_kernel(nmatrix, w, **self.params).net_flow

    def ranks(self, weights, normalization_index=None, matrix_index=None) -> np.ndarray:
        """Competition ranks (1 = best) of every weight vector, shape ``(k, m)``."""
        scores = self.scores(weights, normalization_index, matrix_index)
        return competition_ranks(scores, self.higher_is_better)


@dataclass(frozen=True)
class _WeightModel:
    kind: str  # "uniform" or "dirichlet"
    spread: float
    concentration: float

    def draw(self, rng: np.random.Generator, base: np.ndarray, size: int) -> np.ndarray:
        if self.kind == "uniform":
            factor = 1.0 + self.spread * rng.uniform(-1.0, 1.0, size=(size, base.size))
            w = base * factor
            return w / w.sum(axis=1, keepdims=True)
        out = np.zeros((size, base.size))
        positive = base > 0
        out[:, positive] = rng.dirichlet(self.concentration * base[positive], size=size)
        return out


@dataclass
class _Chunk:
    counts: np.ndarray
    weights: np.ndarray | None = None
    normalization_choice: np.ndarray | None = None
    matrix_choice: np.ndarray | None = None
    ranks: np.ndarray | None = None


def _simulate_chunk(
    setup: ScoringSetup, model: _WeightModel, size: int, seed: np.random.SeedSequence,
    keep: bool,
) -> _Chunk:
    rng = np.random.default_rng(seed)
    w = model.draw(rng, setup.base_weights, size)
    n_norm, n_mat = len(setup.normalizations), len(setup.matrix_names)
    ni = rng.integers(n_norm, size=size) if n_norm > 1 else np.zeros(size, dtype=np.int64)
    mi = rng.integers(n_mat, size=size) if n_mat > 1 else np.zeros(size, dtype=np.int64)
    if not keep:
        # only the histogram is needed: skip the ranks in alternatives' order
        return _Chunk(counts=rank_histogram(setup.scores(w, ni, mi), setup.higher_is_better))
    ranks = setup.ranks(w, ni, mi)
    chunk = _Chunk(counts=rank_counts(ranks, len(setup.alternatives)))
    chunk.weights, chunk.normalization_choice, chunk.matrix_choice = w, ni, mi
    chunk.ranks = ranks.astype(np.int32)
    return chunk


@dataclass
class MonteCarloResult:
    """Rank distribution of every alternative over the Monte Carlo replications.

    Attributes
    ----------
    alternatives, criteria : tuple of str
    method : str
    normalizations, matrix_names : tuple of str
        The choices drawn from.
    samples, top_k, chunk_size : int
    seed : int
        The root seed (the drawn entropy when none was given), enough to
        repeat the run.
    weight_model : str
        ``"uniform"`` or ``"dirichlet"``.
    spread, concentration : float
    base_weights : numpy.ndarray, shape (n,)
    base_ranks : numpy.ndarray, shape (m,)
        Deterministic ranks (chosen weights, first normalization and matrix).
    rank_counts : numpy.ndarray, shape (m, m)
        ``rank_counts[i, r - 1]`` = replications in which alternative ``i`` had rank ``r``.
    median_rank, rank_p5, rank_p95, mean_rank : numpy.ndarray, shape (m,)
        ``[rank_p5, rank_p95]`` is the 90 % rank interval.
    top_k_frequency : numpy.ndarray, shape (m,)
        Share of replications with rank <= ``top_k``.
    weights : numpy.ndarray, shape (samples, n), optional
        Sampled weights (only with ``keep_samples=True``), and likewise
        ``normalization_choice`` and ``matrix_choice`` (indices into
        ``normalizations`` and ``matrix_names``) and ``ranks`` (samples, m).
    """

    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    method: str
    normalizations: tuple[str, ...]
    matrix_names: tuple[str, ...]
    samples: int
    top_k: int
    chunk_size: int
    seed: int
    weight_model: str
    spread: float
    concentration: float
    base_weights: np.ndarray
    base_ranks: np.ndarray
    rank_counts: np.ndarray
    median_rank: np.ndarray = field(init=False)
    rank_p5: np.ndarray = field(init=False)
    rank_p95: np.ndarray = field(init=False)
    mean_rank: np.ndarray = field(init=False)
    top_k_frequency: np.ndarray = field(init=False)
    weights: np.ndarray | None = None
    normalization_choice: np.ndarray | None = None
    matrix_choice: np.ndarray | None = None
    ranks: np.ndarray | None = None

    def __post_init__(self) -> None:
        pct = rank_percentiles(self.rank_counts, [5.0, 50.0, 95.0])
        self.rank_p5, self.median_rank, self.rank_p95 = pct[:, 0], pct[:, 1], pct[:, 2]
        values = np.arange(1, self.rank_counts.shape[1] + 1)
        self.mean_rank = self.rank_counts @ values / self.samples
        k = min(self.top_k, self.rank_counts.shape[1])
        self.top_k_frequency = self.rank_counts[:, :k].sum(axis=1) / self.samples

    def to_frame(self) -> pd.DataFrame:
        """One row per alternative, most robust first (median rank, then p95, then name).

        Examples
        --------
        >>> res = monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
        ...                   samples=50, seed=0)
        >>> res.to_frame().index.tolist()
        ['A2', 'A3', 'A1']
        """
        frame = pd.DataFrame(
            {
                "base_rank": self.base_ranks.astype(int),
                "median_rank": self.median_rank,
                "rank_p5": self.rank_p5,
                "rank_p95": self.rank_p95,
                "mean_rank": self.mean_rank,
                "top_k_frequency": self.top_k_frequency,
            },
            index=pd.Index(self.alternatives, name="alternative"),
        )
        frame["_name"] = frame.index
        frame = frame.sort_values(["median_rank", "rank_p95", "_name"])
        return frame.drop(columns="_name")

    def to_dict(self) -> dict:
        """JSON-ready summary: lists in the alternatives' order, native Python numbers.

        Examples
        --------
        >>> res = monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
        ...                   samples=50, seed=0, top_k=2)
        >>> d = res.to_dict()
        >>> d["alternatives"], d["rank_p95"], d["top_k_frequency"]
        (['A1', 'A2', 'A3'], [3.0, 1.0, 2.0], [0.0, 1.0, 1.0])
        """
        return {
            "method": self.method,
            "samples": int(self.samples),
            "seed": int(self.seed),
            "weight_model": self.weight_model,
            "spread": float(self.spread),
            "concentration": float(self.concentration),
            "normalizations": list(self.normalizations),
            "matrices": list(self.matrix_names),
            "top_k": int(self.top_k),
            "criteria": list(self.criteria),
            "base_weights": self.base_weights.tolist(),
            "alternatives": list(self.alternatives),
            "base_rank": self.base_ranks.astype(int).tolist(),
            "median_rank": self.median_rank.tolist(),
            "rank_p5": self.rank_p5.tolist(),
            "rank_p95": self.rank_p95.tolist(),
            "mean_rank": self.mean_rank.tolist(),
            "top_k_frequency": self.top_k_frequency.tolist(),
        }


def prepare(
    matrix,
    weights=None,
    types=None,
    method: str = "topsis",
    *,
    normalizations: Sequence[str] | None = None,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    **params,
) -> ScoringSetup:
    """Validate the inputs once and normalize every matrix with every normalization.

    Parameters
    ----------
    matrix : DecisionMatrix, pandas.DataFrame, array_like, or dict
        The decision matrix, or a dict ``name -> matrix`` of alternative
        matrices (same alternatives and criteria, in the same order) to draw from.
    weights : array_like, shape (n,), optional
        The chosen weights; equal weights by default.
    types : sequence, optional
        ``"max"``/``"min"`` per criterion (not needed for a DecisionMatrix).
    method : {"topsis", "vikor", "promethee2", "wsm", "wpm"}
    normalizations : sequence of str, optional
        Candidate normalizations; default the method's own.
    alternatives, criteria : sequence of str, optional
    **params
        Method parameters, as for :func:`oicplan.mcda.rank`.

    Returns
    -------
    ScoringSetup

    Raises
    ------
    InputError
        Anything :func:`oicplan.mcda.rank` rejects for any of the combinations,
        an unknown method or normalization, or matrices that do not match.

    Examples
    --------
    >>> s = prepare([[1, 5], [3, 1], [2, 2]], None, ["max", "min"], method="wsm",
    ...             normalizations=["minmax", "max"])
    >>> s.nmatrices.shape, s.base_ranks.tolist()
    ((2, 1, 3, 2), [3, 1, 2])
    """
    _check_choice("method", method, METHODS)
    norms = tuple(normalizations) if normalizations else (DEFAULT_NORMALIZATION[method],)
    if len(set(norms)) != len(norms):
        raise InputError(f"a normalization is listed twice in {list(norms)}",
                         field="normalizations")
    for norm in norms:
        _check_choice("normalization", norm, NORMALIZATIONS)
    if isinstance(matrix, Mapping):
        if not matrix:
            raise InputError("the dict of decision matrices is empty", field="matrix")
        named = {str(k): v for k, v in matrix.items()}
    else:
        named = {"base": matrix}
    dms = {
        name: _as_matrix(m, types, alternatives, criteria, None if name == "base" else name)
        for name, m in named.items()
    }
    first_name, first = next(iter(dms.items()))
    for name, dm in dms.items():
        if dm.alternatives != first.alternatives or dm.criteria != first.criteria:
            raise InputError(
                f"matrix {name!r} does not have the same alternatives and criteria, in the "
                f"same order, as matrix {first_name!r}", field="matrix",
            )
        if not np.array_equal(dm.types, first.types):
            raise InputError(f"matrix {name!r} has different criterion types", field="types")
    w = validate_weights([1.0] * first.shape[1] if weights is None else weights, first.criteria)
    if w.ndim != 1:
        raise InputError("give one weight vector (the chosen weights)", field="weights")
    base = None
    nmatrices = np.empty((len(norms), len(dms), *first.shape))
    for a, norm in enumerate(norms):
        for b, dm in enumerate(dms.values()):
            result = rank(dm, w, method=method, normalization=norm, **params)
            if base is None:
                base = result
            nmatrices[a, b] = NORMALIZATIONS[norm](dm.values, dm.types)
    return ScoringSetup(
        method=method,
        params=_kernel_params(method, params),
        higher_is_better=base.higher_is_better,
        alternatives=first.alternatives,
        criteria=first.criteria,
        normalizations=norms,
        matrix_names=tuple(dms),
        nmatrices=nmatrices,
        base_weights=w,
        base_ranks=np.asarray(base.ranks, dtype=np.int64),
    )


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise InputError(f"{name} must be an integer >= {low}, got {value!r}", field=name)
    return int(value)


def _weight_model(spread: float, dirichlet: bool, concentration: float | None) -> _WeightModel:
    if dirichlet or concentration is not None:
        c = DEFAULT_CONCENTRATION if concentration is None else concentration
        if not (isinstance(c, int | float) and math.isfinite(c) and c > 0):
            raise InputError(f"concentration must be a number > 0, got {c!r}",
                             field="concentration")
        return _WeightModel("dirichlet", 0.0, float(c))
    if not (isinstance(spread, int | float) and 0.0 <= float(spread) < 1.0):
        raise InputError(
            f"spread must be at least 0 and below 1 (0.2 = +-20 %), got {spread!r}",
            field="spread",
        )
    return _WeightModel("uniform", float(spread), 0.0)


def _root_seed(seed) -> np.random.SeedSequence:
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed must be an integer >= 0, got {seed!r}", field="seed")
    return np.random.SeedSequence(int(seed))


def _chunk_sizes(samples: int, chunk_size: int) -> list[int]:
    full, rest = divmod(samples, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def _local_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_LOCAL_THREADS))


def _blas_limit():
    if BLAS_THREADS is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - depends on the installation
        return contextlib.nullcontext()
    return threadpool_limits(limits=BLAS_THREADS, user_api="blas")


def _run_local(setup, model, sizes, seeds, keep, progress) -> list[_Chunk]:
    with _blas_limit():
        return _run_chunks(setup, model, sizes, seeds, keep, progress)


def _run_chunks(setup, model, sizes, seeds, keep, progress) -> list[_Chunk]:
    total = sum(sizes)
    workers = min(_local_workers(), len(sizes))
    out = []
    done = 0
    if workers == 1:
        results = (_simulate_chunk(setup, model, size, seed, keep)
                   for size, seed in zip(sizes, seeds, strict=True))
        for size, chunk in zip(sizes, results, strict=True):
            out.append(chunk)
            done += size
            if progress is not None:
                progress(done, total)
        return out
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # chunks in order, each with its own stream; numpy's sort and BLAS release the GIL
        results = pool.map(lambda args: _simulate_chunk(setup, model, *args, keep),
                           zip(sizes, seeds, strict=True))
        for size, chunk in zip(sizes, results, strict=True):
            out.append(chunk)
            done += size
            if progress is not None:
                progress(done, total)
    return out


def _run_dask(scheduler, setup, model, sizes, seeds, keep, progress) -> list[_Chunk]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise InputError(
            "running on a cluster needs dask.distributed: pip install 'dask[distributed]'",
            field="scheduler",
        ) from None
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, set_as_default=False) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot connect to the dask scheduler {scheduler!r} ({exc})",
                         field="scheduler") from None
    try:
        shared = client.scatter(setup, broadcast=True)
        futures = [
            client.submit(_simulate_chunk, shared, model, size, seed, keep, pure=False)
            for size, seed in zip(sizes, seeds, strict=True)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list = [None] * len(futures)
        done = 0
        pending = as_completed(futures, loop=client.loop)
        del futures  # from here on as_completed holds the only references
        for future in pending:
            i = index[future.key]
            out[i] = future.result()
            # Free the finished histogram on its worker now, not when the call returns.
            future.release()
            done += sizes[i]
            if progress is not None:
                progress(done, sum(sizes))
        return out
    finally:
        if own:
            client.close()


def monte_carlo(
    matrix,
    weights=None,
    types=None,
    method: str = "topsis",
    *,
    samples: int = 10_000,
    spread: float = 0.2,
    dirichlet: bool = False,
    concentration: float | None = None,
    normalizations: Sequence[str] | None = None,
    top_k: int = 10,
    seed: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    keep_samples: bool = False,
    scheduler=None,
    progress: Callable[[int, int], None] | None = None,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    **params,
) -> MonteCarloResult:
    """Perturb weights, normalization and data; report each alternative's rank interval.

    Parameters
    ----------
    matrix : DecisionMatrix, pandas.DataFrame, array_like, dict or ScoringSetup
        The decision matrix; a dict ``name -> matrix`` to draw among alternative
        matrices; or a :class:`ScoringSetup` from :func:`prepare` (then
        ``weights``, ``types``, ``method``, ``normalizations`` and ``params``
        are ignored).
    weights : array_like, shape (n,), optional
        The chosen weights (scaled to sum to 1); equal by default.
    types : sequence, optional
        ``"max"``/``"min"`` per criterion.
    method : {"topsis", "vikor", "promethee2", "wsm", "wpm"}
    samples : int
        Number of replications, >= 1.
    spread : float
        Uniform model: each weight is multiplied by ``1 + U(-spread, spread)``
        then all are rescaled to sum to 1; 0 <= spread < 1.
    dirichlet : bool
        Draw weights from ``Dirichlet(concentration * w)`` instead.
    concentration : float, optional
        Dirichlet concentration (> 0; implies ``dirichlet``); default 100.
        Zero weights stay zero.
    normalizations : sequence of str, optional
        Normalizations to draw from (uniformly); default the method's own.
    top_k : int
        Report how often each alternative ranks within the top ``top_k``.
    seed : int, optional
        Root seed; the same seed and ``chunk_size`` give the same result,
        in process or on a cluster.
    chunk_size : int
        Replications per chunk: bounds memory, and is the unit of work on a cluster.
    keep_samples : bool
        Also return the sampled weights, choices and ranks of every replication.
    scheduler : str or distributed.Client, optional
        Address of a dask.distributed scheduler (``"tcp://host:8786"``) or a
        client; the chunks then run on its workers (which need oicplan installed).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk.
    alternatives, criteria : sequence of str, optional
    **params
        Method parameters, as for :func:`oicplan.mcda.rank`.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    InputError
        ``samples < 1``, ``spread`` outside [0, 1), a bad seed, top_k or
        chunk size, and everything :func:`prepare` rejects.

    Examples
    --------
    >>> res = monte_carlo([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"],
    ...                   method="wsm", normalizations=["minmax", "max"],
    ...                   samples=100, seed=3, keep_samples=True)
    >>> res.weights.shape, sorted(set(res.normalization_choice.tolist()))
    ((100, 2), [0, 1])
    >>> monte_carlo([[1, 5], [3, 1]], None, ["max", "min"], samples=0)
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field samples: samples must be an integer >= 1, got 0
    """
    samples = _check_int("samples", samples, 1)
    top_k = _check_int("top_k", top_k, 1)
    chunk_size = _check_int("chunk_size", chunk_size, 1)
    model = _weight_model(spread, dirichlet, concentration)
    root = _root_seed(seed)
    setup = matrix if isinstance(matrix, ScoringSetup) else prepare(
        matrix, weights, types, method, normalizations=normalizations,
        alternatives=alternatives, criteria=criteria, **params,
    )
    sizes = _chunk_sizes(samples, chunk_size)
    seeds = root.spawn(len(sizes))
    keep = bool(keep_samples)
    if scheduler is None:
        chunks = _run_local(setup, model, sizes, seeds, keep, progress)
    else:
        chunks = _run_dask(scheduler, setup, model, sizes, seeds, keep, progress)
    counts = chunks[0].counts.copy()
    for chunk in chunks[1:]:
        counts += chunk.counts

    def stacked(name: str):
        return np.concatenate([getattr(c, name) for c in chunks]) if keep else None

    return MonteCarloResult(
        alternatives=setup.alternatives,
        criteria=setup.criteria,
        method=setup.method,
        normalizations=setup.normalizations,
        matrix_names=setup.matrix_names,
        samples=samples,
        top_k=top_k,
        chunk_size=chunk_size,
        seed=int(root.entropy),
        weight_model=model.kind,
        spread=model.spread,
        concentration=model.concentration,
        base_weights=setup.base_weights,
        base_ranks=setup.base_ranks,
        rank_counts=counts,
        weights=stacked("weights"),
        normalization_choice=stacked("normalization_choice"),
        matrix_choice=stacked("matrix_choice"),
        ranks=stacked("ranks"),
    )
