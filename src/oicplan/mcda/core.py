"""Validated entry point: :class:`DecisionMatrix`, :func:`rank` and :class:`MCDAResult`.

This is the only layer that checks input. The kernels in
:mod:`oicplan.mcda.methods` trust what they are given; everything a user can
get wrong (a NaN, a constant column, a weight too many, a negative threshold)
is caught here and raised as :class:`oicplan.errors.InputError` naming the
file, the spreadsheet row (header = row 1, first alternative = row 2) and the
criterion.

Examples
--------
>>> res = rank([[250, 16, 12], [200, 16, 8], [300, 32, 16]], [0.4, 0.3, 0.3],
...            ["min", "max", "max"], method="wsm",
...            alternatives=["A", "B", "C"], criteria=["price", "ram", "disk"])
>>> res.ranks.tolist()
[3, 2, 1]
>>> res.to_dict()["alternatives"]
['A', 'B', 'C']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError, spreadsheet_row
from .methods import (
    DEFAULT_NORMALIZATION,
    METHODS,
    PREFERENCE_FUNCTIONS,
    promethee2_kernel,
    topsis_kernel,
    vikor_kernel,
    wpm_kernel,
    wsm_kernel,
)
from .normalization import NORMALIZATIONS, benefit_mask

__all__ = ["DecisionMatrix", "MCDAResult", "rank", "rank_scores", "validate_weights"]

# Scores closer than this are treated as a tie when ranking, so that two
# identical alternatives never get different ranks because of rounding.
_TIE_DECIMALS = 12

_METHOD_PARAMS = {
    "topsis": (),
    "wsm": (),
    "wpm": (),
    "vikor": ("v",),
    "promethee2": ("preference", "q", "p", "s"),
}


def _default_names(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i + 1}" for i in range(count))


class DecisionMatrix:
    """A checked decision matrix: alternatives in rows, criteria in columns.

    Parameters
    ----------
    values : array_like, shape (n_alternatives, n_criteria)
        Finite numbers.
    types : sequence
        One entry per criterion: ``"max"``/``1``/``True`` for benefit,
        ``"min"``/``-1``/``False`` for cost.
    alternatives, criteria : sequence of str, optional
        Names; default ``A1, A2, ...`` and ``C1, C2, ...``.
    file : str, optional
        Where the data came from, quoted in error messages.

    Raises
    ------
    InputError
        Fewer than two alternatives, a non-finite entry (names its row and
        criterion), a constant column (names its criterion), duplicate names,
        or a type vector of the wrong length.

    Examples
    --------
    >>> dm = DecisionMatrix([[1, 2], [3, 4]], ["max", "min"], alternatives=["x", "y"])
    >>> dm.criteria, dm.types.tolist()
    (('C1', 'C2'), [True, False])
    >>> DecisionMatrix([[1, 2], [1, 4]], ["max", "min"], file="m.csv")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: m.csv, field C1: every alternative has the same value ...
    """

    def __init__(
        self,
        values: Any,
        types: ArrayLike,
        *,
        alternatives: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
        file: str | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        try:
            raw = np.asarray(values, dtype=object)
        except ValueError as exc:  # ragged rows
            raise InputError(f"rows have different lengths ({exc})", file=self.file) from None
        if raw.ndim != 2 or raw.shape[0] == 0 or raw.shape[1] == 0:
            raise InputError(
                "the decision matrix must be a non-empty table "
                "(alternatives in rows, criteria in columns)",
                file=self.file,
            )
        n_alt, n_crit = raw.shape
        self.criteria = tuple(
            str(c) for c in (criteria if criteria is not None else _default_names("C", n_crit))
        )
        self.alternatives = tuple(
            str(a)
            for a in (alternatives if alternatives is not None else _default_names("A", n_alt))
        )
        if len(self.criteria) != n_crit:
            raise InputError(
                f"{len(self.criteria)} criterion names for {n_crit} columns", file=self.file, row=1
            )
        if len(self.alternatives) != n_alt:
            raise InputError(
                f"{len(self.alternatives)} alternative names for {n_alt} rows", file=self.file
            )
        self._check_unique()
        self.values = self._to_float(raw)
        if n_alt < 2:
            raise InputError("at least two alternatives are needed to rank", file=self.file)
        try:
            self.types = benefit_mask(types, n_crit)
        except ValueError as exc:
            raise InputError(str(exc), file=self.file, field="types") from None
        constant = np.flatnonzero(self.values.max(axis=0) == self.values.min(axis=0))
        if constant.size:
            raise InputError(
                "every alternative has the same value for this criterion, so it cannot "
                "tell them apart; remove the column",
                file=self.file,
                field=self.criteria[constant[0]],
            )

    def _check_unique(self) -> None:
        seen: dict[str, int] = {}
        for j, name in enumerate(self.criteria):
            if name in seen:
                raise InputError(
                    f"criterion name appears twice (columns {seen[name] + 1} and {j + 1})",
                    file=self.file, row=1, field=name,
                )
            seen[name] = j
        rows: dict[str, int] = {}
        for i, name in enumerate(self.alternatives):
            if name in rows:
                raise InputError(
                    f"alternative {name!r} appears twice (also row {spreadsheet_row(rows[name])})",
                    file=self.file, row=spreadsheet_row(i),
                )
            rows[name] = i

    def _to_float(self, raw: np.ndarray) -> np.ndarray:
        try:
            fast = raw.astype(float)
        except (TypeError, ValueError):
            fast = None
        if fast is not None and np.all(np.isfinite(fast)):
            return fast
        # Slow path only to find and name the first bad cell.
        out = np.empty(raw.shape, dtype=float)
        for (i, j), item in np.ndenumerate(raw):
            try:
                x = float(item)
            except (TypeError, ValueError):
                x = None
            if x is None or not np.isfinite(x):
                raise InputError(
                    f"{item!r} is not a finite number",
                    file=self.file, row=spreadsheet_row(i), field=self.criteria[j],
                )
            out[i, j] = x
        return out

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_alternatives, n_criteria)``."""
        return self.values.shape

    def __repr__(self) -> str:
        return (
            f"DecisionMatrix({self.shape[0]} alternatives x {self.shape[1]} criteria"
            + (f", file={self.file!r}" if self.file else "")
            + ")"
        )


@dataclass
class MCDAResult:
    """Outcome of :func:`rank`.

    Attributes
    ----------
    method, normalization : str
    alternatives, criteria : tuple of str
    weights : numpy.ndarray
        The weights used, normalized to sum to 1 (one row per weight vector).
    scores : numpy.ndarray
        The method's score (TOPSIS closeness, WSM/WPM value, PROMETHEE net
        flow, VIKOR ``Q``), shape ``(m,)`` or ``(k, m)``.
    ranks : numpy.ndarray of int
        1 = best; tied alternatives share the smallest rank.
    higher_is_better : bool
        ``False`` only for VIKOR, where lower ``Q`` is better.
    extras : dict
        VIKOR: ``S``, ``R``, ``Q``, ``compromise`` (names),
        ``acceptable_advantage``, ``acceptable_stability``;
        PROMETHEE II: ``positive_flow``, ``negative_flow``, ``net_flow``.
    """

    method: str
    normalization: str
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    higher_is_better: bool = True
    extras: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python (JSON-ready) view: native floats, ints, lists and bools.

        Examples
        --------
        >>> d = rank([[1, 2], [2, 1], [3, 3]], [0.5, 0.5], [1, 1]).to_dict()
        >>> d["method"], d["ranks"], type(d["scores"][0]).__name__
        ('topsis', [2, 2, 1], 'float')
        """
        out = {
            "method": self.method,
            "normalization": self.normalization,
            "alternatives": list(self.alternatives),
            "scores": self.scores.tolist(),
            "ranks": self.ranks.tolist(),
        }
        for key, value in self.extras.items():
            if isinstance(value, np.ndarray | np.generic):
                value = value.tolist()  # also turns numpy scalars into Python ones
            out[key] = value
        return out


def rank_scores(scores: ArrayLike, higher_is_better: bool = True) -> np.ndarray:
    """Competition ranks (1 = best, ties share the smallest rank) along the last axis.

    Examples
    --------
    >>> rank_scores([0.2, 0.9, 0.9, 0.1]).tolist()
    [3, 1, 1, 4]
    >>> rank_scores([0.2, 0.9, 0.1], higher_is_better=False).tolist()
    [2, 3, 1]
    """
    x = np.round(np.asarray(scores, dtype=float), _TIE_DECIMALS)
    key = -x if higher_is_better else x
    return _min_ranks(key)


def _min_ranks(key: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis: 1 + the number of strictly smaller keys.

    The same as ``scipy.stats.rankdata(key, method="min", axis=-1)`` for finite keys,
    without importing scipy.stats (about 0.4 s at start-up).
    """
    if key.ndim == 1:
        return np.searchsorted(np.sort(key), key, side="left").astype(int) + 1
    flat = key.reshape(-1, key.shape[-1])
    ranks = np.empty(flat.shape, dtype=int)
    for row, values in enumerate(flat):
        ranks[row] = np.searchsorted(np.sort(values), values, side="left") + 1
    return ranks.reshape(key.shape)


def validate_weights(
    weights: ArrayLike, criteria: Sequence[str], *, file: str | None = None
) -> np.ndarray:
    """Check weights and scale each vector to sum to 1.

    Parameters
    ----------
    weights : array_like, shape (n,) or (k, n)
    criteria : sequence of str
        Criterion names, used for the count and in messages.

    Returns
    -------
    numpy.ndarray
        Same shape, each row summing to 1.

    Raises
    ------
    InputError
        Wrong count, a non-finite or negative weight (names the criterion),
        or a vector summing to zero.

    Examples
    --------
    >>> validate_weights([1, 3], ["a", "b"]).tolist()
    [0.25, 0.75]
    >>> validate_weights([1, -3], ["a", "b"])
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field b: weight -3.0 is negative; weights must be >= 0
    """
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"weights must be numbers, got {weights!r}", file=file, field="weights"
        ) from None
    n = len(criteria)
    if w.ndim not in (1, 2) or w.shape[-1] != n:
        got = w.shape[-1] if w.ndim else 1
        raise InputError(
            f"{got} weights given for {n} criteria ({', '.join(criteria)})",
            file=file, field="weights",
        )
    w2 = np.atleast_2d(w)
    bad = ~np.isfinite(w2) | (w2 < 0)
    if bad.any():
        k, j = _first_bad(bad)
        x = w2[k, j]
        where = f" (weight vector {k + 1})" if w.ndim == 2 else ""
        problem = "is not finite" if not np.isfinite(x) else "is negative; weights must be >= 0"
        raise InputError(f"weight {x} {problem}{where}", file=file, field=criteria[j])
    total = w2.sum(axis=1, keepdims=True)
    if np.any(total <= 0):
        k = int(np.flatnonzero(total[:, 0] <= 0)[0])
        where = f" (weight vector {k + 1})" if w.ndim == 2 else ""
        raise InputError(f"weights sum to zero{where}", file=file, field="weights")
    out: np.ndarray = w2 / total
    return out[0] if w.ndim == 1 else out


def _first_bad(mask: np.ndarray) -> tuple[int, int]:
    i, j = np.argwhere(mask)[0]
    return int(i), int(j)


def _check_domain(dm: DecisionMatrix, normalization: str) -> None:
    """Reject data a ratio-scale normalization cannot handle, naming the cell."""
    x = dm.values
    if normalization == "sum" and np.any(x <= 0):
        i, j = _first_bad(x <= 0)
        raise InputError(
            f"value {x[i, j]:g} is not > 0; sum normalization needs strictly positive data "
            "(use the minmax normalization)",
            file=dm.file, row=spreadsheet_row(i), field=dm.criteria[j],
        )
    if normalization == "max" and np.any(x < 0):
        i, j = _first_bad(x < 0)
        raise InputError(
            f"value {x[i, j]:g} is negative; max normalization needs data >= 0 "
            "(use the minmax normalization)",
            file=dm.file, row=spreadsheet_row(i), field=dm.criteria[j],
        )


def _threshold(name: str, value: Any, dm: DecisionMatrix) -> np.ndarray:
    try:
        t = np.broadcast_to(np.asarray(value, dtype=float), (dm.shape[1],)).copy()
    except (TypeError, ValueError):
        raise InputError(
            f"threshold {name} must be one number or one per criterion "
            f"({dm.shape[1]}), got {value!r}",
            field=name,
        ) from None
    for j, x in enumerate(t):
        if not np.isfinite(x) or x < 0:
            raise InputError(
                f"threshold {name}={x} must be a finite number >= 0 (criterion {dm.criteria[j]})",
                field=name,
            )
    return t


def _promethee_params(dm: DecisionMatrix, params: dict[str, Any]) -> dict[str, Any]:
    preference = params.get("preference") or "usual"
    if preference not in PREFERENCE_FUNCTIONS:
        raise InputError(
            f"unknown preference function {preference!r}; "
            f"choose one of {', '.join(PREFERENCE_FUNCTIONS)}",
            field="preference",
        )
    needed = PREFERENCE_FUNCTIONS[preference]
    out: dict[str, Any] = {"preference": preference, "q": 0.0, "p": 0.0, "s": 1.0}
    for name in needed:
        if params.get(name) is None:
            raise InputError(
                f"preference function {preference!r} needs threshold {name} "
                "(in the units of the normalized matrix)",
                field=name,
            )
        out[name] = _threshold(name, params[name], dm)
    for name in ("q", "p", "s"):
        if name not in needed and params.get(name) is not None:
            raise InputError(
                f"preference function {preference!r} does not use threshold {name}", field=name
            )
    if preference in ("vshape",) and np.any(out["p"] <= 0):
        raise InputError("threshold p must be > 0 for 'vshape'", field="p")
    if preference == "gaussian" and np.any(out["s"] <= 0):
        raise InputError("threshold s must be > 0 for 'gaussian'", field="s")
    if preference in ("level", "linear") and np.any(out["p"] <= out["q"]):
        j = int(np.flatnonzero(out["p"] <= out["q"])[0])
        raise InputError(
            f"threshold p must be larger than q for {preference!r} "
            f"(criterion {dm.criteria[j]}: q={out['q'][j]:g}, p={out['p'][j]:g})",
            field="p",
        )
    return out


def rank(
    matrix: Any,
    weights: ArrayLike,
    types: ArrayLike | None = None,
    method: str = "topsis",
    normalization: str | None = None,
    *,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    file: str | None = None,
    **params: Any,
) -> MCDAResult:
    """Validate the input, normalize, run one MCDA method and rank the alternatives.

    Parameters
    ----------
    matrix : DecisionMatrix, pandas.DataFrame or array_like
        Alternatives in rows, criteria in columns. A DataFrame supplies the
        names from its index and columns.
    weights : array_like, shape (n_criteria,) or (n_weight_vectors, n_criteria)
        Non-negative; each vector is scaled to sum to 1. A stack of vectors
        is evaluated in one go (scores and ranks then have a leading axis).
    types : sequence, optional
        ``"max"``/``"min"`` (or ``1``/``-1``, ``True``/``False``) per criterion.
        Required unless ``matrix`` is a :class:`DecisionMatrix`.
    method : {"topsis", "vikor", "promethee2", "wsm", "wpm"}
    normalization : {"minmax", "vector", "sum", "max", "zscore", "none"}, optional
        Defaults to the method's own (see
        :data:`oicplan.mcda.methods.DEFAULT_NORMALIZATION`).
    alternatives, criteria : sequence of str, optional
        Names, when ``matrix`` does not carry them.
    file : str, optional
        Source file name for error messages.
    **params
        ``v`` (VIKOR, default 0.5); ``preference`` (PROMETHEE II, default
        ``"usual"``) and its thresholds ``q``, ``p``, ``s``, each a number or
        one per criterion.

    Returns
    -------
    MCDAResult

    Raises
    ------
    InputError
        See :class:`DecisionMatrix` and :func:`validate_weights`; also an
        unknown method, normalization or parameter, and data outside what the
        normalization or method accepts.

    Examples
    --------
    >>> r = rank([[1, 5], [3, 1], [2, 2]], [0.5, 0.5], ["max", "min"], method="vikor")
    >>> r.extras["Q"].tolist(), r.ranks.tolist()
    ([1.0, 0.0, 0.4375], [3, 1, 2])
    >>> rank([[1, 5], [3, 1]], [1, 1, 1], ["max", "min"])
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field weights: 3 weights given for 2 criteria (C1, C2)
    """
    if method not in METHODS:
        raise InputError(
            f"unknown method {method!r}; choose one of {', '.join(METHODS)}", field="method"
        )
    dm = _as_decision_matrix(matrix, types, alternatives, criteria, file)
    norm = normalization or DEFAULT_NORMALIZATION[method]
    if norm not in NORMALIZATIONS:
        raise InputError(
            f"unknown normalization {norm!r}; choose one of {', '.join(NORMALIZATIONS)}",
            field="normalization",
        )
    unknown = sorted(set(params) - set(_METHOD_PARAMS[method]))
    if unknown:
        allowed = ", ".join(_METHOD_PARAMS[method]) or "none"
        raise InputError(
            f"method {method!r} does not take parameter {unknown[0]!r} (it takes: {allowed})",
            field=unknown[0],
        )
    w = validate_weights(weights, dm.criteria, file=None)
    _check_domain(dm, norm)
    nmatrix = NORMALIZATIONS[norm](dm.values, dm.types)

    extras: dict[str, Any] = {}
    higher = True
    if method == "topsis":
        scores = topsis_kernel(nmatrix, w)
    elif method == "wsm":
        scores = wsm_kernel(nmatrix, w)
    elif method == "wpm":
        if np.any(nmatrix <= 0):
            i, j = _first_bad(nmatrix <= 0)
            raise InputError(
                f"WPM needs strictly positive normalized values, but {norm} normalization "
                f"maps {dm.values[i, j]:g} to {nmatrix[i, j]:g}; use 'sum' (positive data) "
                "or 'max' (positive benefit data)",
                file=dm.file, row=spreadsheet_row(i), field=dm.criteria[j],
            )
        scores = wpm_kernel(nmatrix, w)
    elif method == "vikor":
        v = params.get("v")
        v = 0.5 if v is None else v
        if not (isinstance(v, int | float) and 0.0 <= float(v) <= 1.0):
            raise InputError(f"v must be a number in [0, 1], got {v!r}", field="v")
        res = vikor_kernel(nmatrix, w, float(v))
        scores, higher = res.Q, False
        names = np.array(dm.alternatives, dtype=object)
        compromise = (
            [names[mask].tolist() for mask in res.compromise]
            if res.compromise.ndim == 2
            else names[res.compromise].tolist()
        )
        extras = {
            "S": res.S,
            "R": res.R,
            "Q": res.Q,
            "compromise": compromise,
            "acceptable_advantage": res.acceptable_advantage,
            "acceptable_stability": res.acceptable_stability,
        }
    else:  # promethee2
        pp = _promethee_params(dm, params)
        flows = promethee2_kernel(nmatrix, w, **pp)
        scores = flows.net_flow
        extras = {
            "positive_flow": flows.positive_flow,
            "negative_flow": flows.negative_flow,
            "net_flow": flows.net_flow,
        }
    return MCDAResult(
        method=method,
        normalization=norm,
        alternatives=dm.alternatives,
        criteria=dm.criteria,
        weights=w,
        scores=scores,
        ranks=rank_scores(scores, higher),
        higher_is_better=higher,
        extras=extras,
    )


def _as_decision_matrix(
    matrix: Any, types: ArrayLike | None, alternatives: Sequence[str] | None,
    criteria: Sequence[str] | None, file: str | None,
) -> DecisionMatrix:
    if isinstance(matrix, DecisionMatrix):
        if types is None:
            return matrix
        return DecisionMatrix(
            matrix.values, types, alternatives=matrix.alternatives,
            criteria=matrix.criteria, file=matrix.file,
        )
    if types is None:
        raise InputError("criterion types are required (one 'max' or 'min' per criterion)",
                         field="types")
    if hasattr(matrix, "columns") and hasattr(matrix, "index"):  # pandas DataFrame
        return DecisionMatrix(
            matrix.to_numpy(dtype=object),
            types,
            alternatives=alternatives if alternatives is not None else list(matrix.index),
            criteria=criteria if criteria is not None else list(matrix.columns),
            file=file,
        )
    return DecisionMatrix(matrix, types, alternatives=alternatives, criteria=criteria, file=file)
