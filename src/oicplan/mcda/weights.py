"""Criterion weights: equal, AHP (single and group), entropy, CRITIC and standard deviation.

Subjective weights come from pairwise comparison matrices (AHP); objective
weights come from the decision matrix itself (entropy, CRITIC, standard
deviation). Every function returns weights that sum to 1.

References
----------
Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.

Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
*International Journal of Services Sciences*, 1(1), 83-98.

Aczél, J., & Saaty, T. L. (1983). Procedures for synthesizing ratio
judgements. *Journal of Mathematical Psychology*, 27(1), 93-102.

Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective
weights in multiple criteria problems: The CRITIC method. *Computers &
Operations Research*, 22(7), 763-770.

Zeleny, M. (1982). *Multiple Criteria Decision Making*. McGraw-Hill (entropy
weights; also Hwang & Yoon, 1981, ch. 4).

Examples
--------
>>> import numpy as np
>>> res = ahp_weights([[1, 3], [1/3, 1]], criteria=["cost", "talent"])
>>> [round(w, 2) for w in res.weights.tolist()], res.cr
([0.75, 0.25], 0.0)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError, spreadsheet_row
from .core import DecisionMatrix
from .normalization import minmax_normalization, no_normalization

__all__ = [
    "AHPConsistencyWarning",
    "AHPResult",
    "CR_THRESHOLD",
    "GroupAHPResult",
    "SAATY_RANDOM_INDEX",
    "ahp_weights",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "group_ahp_weights",
    "std_weights",
    "validate_pairwise",
]

SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
    9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}
"""Saaty's random consistency index RI by matrix order n.

n = 1..10 from Saaty (1980), *The Analytic Hierarchy Process*; n = 11..15 from
Saaty's later extension of the same table (as reproduced, e.g., in Bernardus et
al. 2012, p. 268). A matrix is acceptably consistent when CR = CI / RI <= 0.10.
"""

CR_THRESHOLD = 0.10
"""Saaty's (1980) upper bound for an acceptable consistency ratio."""

# Users type 0.33 for 1/3; 3 * 0.33 = 0.99, so reciprocity is checked with a
# relative tolerance of 2 %.
_RECIPROCAL_RTOL = 0.02


class AHPConsistencyWarning(UserWarning):
    """A pairwise comparison matrix has CR above 0.10."""


@dataclass
class AHPResult:
    """AHP priorities of one pairwise comparison matrix.

    Attributes
    ----------
    criteria : tuple of str
    weights : numpy.ndarray
        Principal right eigenvector, scaled to sum to 1.
    lambda_max, ci, cr : float
        Principal eigenvalue, consistency index ``(lambda_max - n) / (n - 1)``
        and consistency ratio ``CI / RI`` (0 for n <= 2).
    consistent : bool
        ``cr <= 0.10``.
    """

    criteria: tuple[str, ...]
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    consistent: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary.

        >>> ahp_weights([[1, 1], [1, 1]]).to_dict()["weights"]
        [0.5, 0.5]
        """
        return {
            "criteria": list(self.criteria),
            "weights": self.weights.tolist(),
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "consistent": self.consistent,
        }


@dataclass
class GroupAHPResult(AHPResult):
    """AHP on the element-wise geometric mean of several experts' matrices.

    Attributes
    ----------
    expert_cr : list of float
        Each expert's own consistency ratio, in input order.
    aggregated : numpy.ndarray
        The geometric-mean pairwise matrix the weights come from.
    """

    expert_cr: list[float] = field(default_factory=list)
    aggregated: np.ndarray | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary, adding ``expert_cr``."""
        out = super().to_dict()
        out["expert_cr"] = list(self.expert_cr)
        return out


def _names(criteria: Sequence[Any] | None, n: int) -> tuple[str, ...]:
    if criteria is None:
        return tuple(f"C{i + 1}" for i in range(n))
    names = tuple(str(c) for c in criteria)
    if len(names) != n:
        raise InputError(f"{len(names)} criterion names for a {n} x {n} matrix", row=1)
    return names


def validate_pairwise(
    matrix: ArrayLike, criteria: Sequence[str] | None = None, *, file: str | None = None,
    rtol: float = _RECIPROCAL_RTOL,
) -> np.ndarray:
    """Check a pairwise comparison matrix: square, positive, unit diagonal, reciprocal.

    Rows are reported as a spreadsheet shows the file (header = row 1, so
    criterion ``i`` is on row ``i + 2``) and columns by criterion name.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        ``a_ij`` = how much more important criterion ``i`` is than ``j``
        (Saaty's 1-9 scale).
    criteria : sequence of str, optional
    file : str, optional
    rtol : float
        Allowed relative deviation of ``a_ij * a_ji`` from 1.

    Returns
    -------
    numpy.ndarray
        The matrix as floats.

    Raises
    ------
    InputError

    Examples
    --------
    >>> validate_pairwise([[1, 3], [0.5, 1]], ["a", "b"])
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: row 2, field b: not reciprocal: a[a,b] = 3 but a[b,a] = 0.5 ...
    """
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise InputError("pairwise matrix must contain numbers only", file=file) from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InputError(
            f"pairwise matrix must be square (n x n), got shape {a.shape}", file=file
        )
    names = _names(criteria, a.shape[0])
    bad = ~np.isfinite(a) | (a <= 0)
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        raise InputError(
            f"comparison {a[i, j]} must be a positive number (Saaty's scale: 1/9 ... 9)",
            file=file, row=spreadsheet_row(i), field=names[j],
        )
    diag = np.flatnonzero(~np.isclose(np.diag(a), 1.0, rtol=0, atol=1e-9))
    if diag.size:
        i = int(diag[0])
        raise InputError(
            f"diagonal entry must be 1 (a criterion compared with itself), got {a[i, i]}",
            file=file, row=spreadsheet_row(i), field=names[i],
        )
    prod = a * a.T
    bad = np.abs(prod - 1.0) > rtol
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        raise InputError(
            f"not reciprocal: a[{names[i]},{names[j]}] = {a[i, j]:g} but "
            f"a[{names[j]},{names[i]}] = {a[j, i]:g} (should be {1 / a[i, j]:.4g})",
            file=file, row=spreadsheet_row(i), field=names[j],
        )
    return a


def _eigen(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Perron eigenvector (sum 1) and eigenvalue of a positive matrix."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def _consistency(lambda_max: float, n: int) -> tuple[float, float]:
    if n <= 2:
        return 0.0, 0.0
    if n not in SAATY_RANDOM_INDEX:
        raise InputError(
            f"Saaty's random index is tabulated only up to n = {max(SAATY_RANDOM_INDEX)}; "
            f"got {n} criteria (split them into a hierarchy)"
        )
    # A consistent matrix has lambda_max = n exactly; clip rounding noise below 0.
    ci = max(0.0, (lambda_max - n) / (n - 1))
    return float(ci), float(ci / SAATY_RANDOM_INDEX[n])


def ahp_weights(
    pairwise: ArrayLike, criteria: Sequence[str] | None = None, *, file: str | None = None,
    warn: bool = True,
) -> AHPResult:
    """AHP weights from one pairwise comparison matrix (Saaty, 1980).

    The weights are the principal right eigenvector; ``lambda_max`` its
    eigenvalue; ``CI = (lambda_max - n) / (n - 1)``; ``CR = CI / RI(n)`` with
    :data:`SAATY_RANDOM_INDEX`. When ``CR > 0.10`` an
    :class:`AHPConsistencyWarning` is issued (unless ``warn=False``) and
    ``consistent`` is ``False``.

    Parameters
    ----------
    pairwise : array_like, shape (n, n)
    criteria : sequence of str, optional
    file : str, optional
        For error messages.
    warn : bool
        Emit the consistency warning.

    Returns
    -------
    AHPResult

    Examples
    --------
    >>> r = ahp_weights([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]])
    >>> [round(w, 4) for w in r.weights.tolist()], round(r.cr, 6)
    ([0.5714, 0.2857, 0.1429], 0.0)
    """
    a = validate_pairwise(pairwise, criteria, file=file)
    names = _names(criteria, a.shape[0])
    w, lam = _eigen(a)
    ci, cr = _consistency(lam, a.shape[0])
    consistent = cr <= CR_THRESHOLD
    if warn and not consistent:
        where = f"{file}: " if file else ""
        warnings.warn(
            f"{where}consistency ratio {cr:.3f} exceeds {CR_THRESHOLD}; "
            "revisit the comparisons",
            AHPConsistencyWarning,
            stacklevel=2,
        )
    return AHPResult(names, w, lam, ci, cr, consistent)


def group_ahp_weights(
    matrices: Sequence[ArrayLike], criteria: Sequence[str] | None = None, *,
    files: Sequence[str | None] | None = None, warn: bool = True,
) -> GroupAHPResult:
    """Group AHP: aggregate individual judgements by their geometric mean.

    The element-wise geometric mean of reciprocal matrices is reciprocal, and
    is the aggregation that respects the reciprocal property (Aczél & Saaty,
    1983). The weights and consistency figures are those of the aggregated
    matrix; ``expert_cr`` lists each expert's own CR.

    Examples
    --------
    >>> r = group_ahp_weights([[[1, 4], [1/4, 1]], [[1, 1], [1, 1]]])
    >>> r.aggregated.tolist(), [round(w, 4) for w in r.weights.tolist()]
    ([[1.0, 2.0], [0.5, 1.0]], [0.6667, 0.3333])
    """
    if len(matrices) == 0:
        raise InputError("group AHP needs at least one pairwise matrix")
    files = list(files) if files is not None else [None] * len(matrices)
    checked = [
        validate_pairwise(m, criteria, file=f) for m, f in zip(matrices, files, strict=True)
    ]
    shape = checked[0].shape
    for a, f in zip(checked, files, strict=True):
        if a.shape != shape:
            raise InputError(
                f"all experts must compare the same criteria: shape {a.shape} vs {shape}",
                file=f,
            )
    experts = []
    for a, f in zip(checked, files, strict=True):
        res = ahp_weights(a, criteria, file=f, warn=warn)
        experts.append(res.cr)
    aggregated = np.exp(np.mean(np.log(np.stack(checked)), axis=0))
    group = ahp_weights(aggregated, criteria, warn=warn)
    return GroupAHPResult(
        group.criteria, group.weights, group.lambda_max, group.ci, group.cr,
        group.consistent, expert_cr=experts, aggregated=aggregated,
    )


def equal_weights(n_criteria: int) -> np.ndarray:
    """``n_criteria`` equal weights.

    >>> equal_weights(4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    if int(n_criteria) < 1:
        raise InputError("need at least one criterion", field="criteria")
    return np.full(int(n_criteria), 1.0 / int(n_criteria))


def _decision_matrix(matrix: Any, types: ArrayLike | None) -> DecisionMatrix:
    if isinstance(matrix, DecisionMatrix):
        return matrix
    x = np.asarray(matrix, dtype=object)
    n = x.shape[1] if x.ndim == 2 else 0
    return DecisionMatrix(matrix, types if types is not None else ["max"] * n)


def entropy_weights(matrix: Any, types: ArrayLike | None = None) -> np.ndarray:
    """Shannon-entropy weights: criteria whose values differ more weigh more.

    ``p_ij = x_ij / sum_i x_ij``, ``E_j = -sum_i p_ij ln p_ij / ln m`` (with
    ``0 ln 0 = 0``), ``w_j = (1 - E_j) / sum_k (1 - E_k)``. Entropy measures
    dispersion, not direction, so ``types`` is accepted but not used. Needs
    non-negative data.

    Examples
    --------
    >>> [round(w, 4) for w in entropy_weights([[1, 10], [2, 10.5], [3, 11]]).tolist()]
    [0.9914, 0.0086]
    """
    dm = _decision_matrix(matrix, types)
    x = dm.values
    if np.any(x < 0):
        i, j = (int(v) for v in np.argwhere(x < 0)[0])
        raise InputError(
            f"value {x[i, j]:g} is negative; entropy weights need data >= 0",
            file=dm.file, row=spreadsheet_row(i), field=dm.criteria[j],
        )
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(x.shape[0])
    diversity: np.ndarray = 1.0 - entropy
    weights: np.ndarray = diversity / diversity.sum()
    return weights


def critic_weights(matrix: Any, types: ArrayLike | None = None) -> np.ndarray:
    """CRITIC weights (Diakoulaki et al., 1995): contrast times conflict.

    Columns are min-max normalized in the direction of their type; then
    ``C_j = sigma_j * sum_k (1 - r_jk)`` with ``sigma_j`` the standard
    deviation and ``r_jk`` Pearson's correlation of normalized columns, and
    ``w_j = C_j / sum_k C_k``. Because the normalization follows the types, a
    cost criterion that rises with a benefit criterion counts as conflicting.

    Examples
    --------
    >>> w = critic_weights([[1, 2, 9], [2, 4, 1], [3, 5, 4]], ["max", "max", "max"])
    >>> [round(v, 4) for v in w.tolist()]
    [0.2388, 0.2636, 0.4975]
    """
    dm = _decision_matrix(matrix, types)
    r = minmax_normalization(dm.values, dm.types)
    sigma = r.std(axis=0, ddof=1)
    corr = np.corrcoef(r, rowvar=False)
    c: np.ndarray = sigma * np.sum(1.0 - corr, axis=0)
    weights: np.ndarray = c / c.sum()
    return weights


def std_weights(
    matrix: Any, types: ArrayLike | None = None, normalization: str = "minmax"
) -> np.ndarray:
    """Standard-deviation weights: ``w_j = sigma_j / sum_k sigma_k``.

    ``normalization="minmax"`` (default) makes the spreads comparable across
    units; ``"none"`` uses the raw standard deviations (only meaningful when
    all criteria share a unit).

    Examples
    --------
    >>> [round(v, 4) for v in std_weights([[0, 0], [1, 2], [2, 1]]).tolist()]
    [0.5, 0.5]
    >>> w = std_weights([[0, 0], [1, 20], [2, 10]], normalization="none")
    >>> [round(v, 4) for v in w.tolist()]
    [0.0909, 0.9091]
    """
    dm = _decision_matrix(matrix, types)
    if normalization == "minmax":
        x = minmax_normalization(dm.values, dm.types)
    elif normalization == "none":
        x = no_normalization(dm.values, dm.types)
    else:
        raise InputError(
            f"std weights support normalization 'minmax' or 'none', not {normalization!r}",
            field="normalization",
        )
    sigma: np.ndarray = x.std(axis=0, ddof=1)
    weights: np.ndarray = sigma / sigma.sum()
    return weights
