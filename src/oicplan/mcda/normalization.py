"""Column normalizations for decision matrices.

Every function here takes a decision matrix (alternatives in rows, criteria in
columns) and a criterion-type vector, and returns a matrix of the same shape in
which **larger is better in every column**. Cost criteria are therefore turned
around during normalization, so the ranking kernels in
:mod:`oicplan.mcda.methods` never need to look at the types again.

How each scheme turns a cost criterion around follows the table of
normalization techniques in Jahan & Edwards (2015), which is also what pymcdm
implements (and the test-suite checks against it):

==========  ==========================  ===============================
name        benefit column              cost column
==========  ==========================  ===============================
minmax      (x - min) / (max - min)     (max - x) / (max - min)
vector      x / ||x||_2                 1 - x / ||x||_2
sum         x / sum(x)                  (1/x) / sum(1/x)
max         x / max                     1 - x / max
zscore      (x - mean) / sd             (mean - x) / sd
none        x                           -x
==========  ==========================  ===============================

``zscore`` uses the population standard deviation (``ddof=0``); ``none`` only
flips the sign of cost columns, which keeps their units (PROMETHEE thresholds
and VIKOR's own linear scaling rely on that).

The two "1 - ..." forms are a reflection plus a shift of the benefit form.
Methods that measure distances to the best and worst value of each column
(TOPSIS, VIKOR) give the same result as with the textbook treatment of Hwang &
Yoon (1981), which leaves cost columns as they are and takes the column minimum
as their ideal.

References
----------
Jahan, A., & Edwards, K. L. (2015). A state-of-the-art survey on the influence
of normalization techniques in ranking: Improving the materials selection
process in engineering design. *Materials & Design*, 65, 335-342.

Hwang, C. L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods
and Applications*. Springer.

Examples
--------
>>> import numpy as np
>>> m = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]])
>>> minmax_normalization(m, [1, -1])
array([[0. , 1. ],
       [1. , 0. ],
       [0.5, 0.5]])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "NORMALIZATIONS",
    "benefit_mask",
    "get_normalization",
    "max_normalization",
    "minmax_normalization",
    "no_normalization",
    "sum_normalization",
    "vector_normalization",
    "zscore_normalization",
]


def benefit_mask(types: ArrayLike, n_criteria: int | None = None) -> np.ndarray:
    """Turn a criterion-type vector into a boolean mask (``True`` = benefit).

    Parameters
    ----------
    types : sequence of bool, int or str
        ``True``/``1``/``"max"`` mark a benefit criterion (more is better),
        ``False``/``-1``/``"min"`` a cost criterion (less is better).
    n_criteria : int, optional
        If given, the number of entries ``types`` must have.

    Returns
    -------
    numpy.ndarray
        Boolean vector, ``True`` for benefit criteria.

    Raises
    ------
    ValueError
        On an unknown type label or a wrong length.

    Examples
    --------
    >>> benefit_mask(["max", "min", 1, -1, True]).tolist()
    [True, False, True, False, True]
    """
    out = []
    for t in np.asarray(types, dtype=object).ravel():
        if isinstance(t, str):
            label = t.strip().lower()
            if label in ("max", "benefit", "profit", "+", "1", "+1"):
                out.append(True)
            elif label in ("min", "cost", "-", "-1"):
                out.append(False)
            else:
                raise ValueError(f"unknown criterion type {t!r}; use 'max' or 'min'")
        elif isinstance(t, bool | np.bool_):
            out.append(bool(t))
        elif t in (1, -1):
            out.append(t == 1)
        else:
            raise ValueError(f"unknown criterion type {t!r}; use 1 (max) or -1 (min)")
    mask = np.array(out, dtype=bool)
    if n_criteria is not None and mask.size != n_criteria:
        raise ValueError(f"{mask.size} criterion types given for {n_criteria} criteria")
    return mask


def _split(matrix: ArrayLike, types: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(matrix, dtype=float)
    return x, benefit_mask(types, x.shape[1])


def minmax_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Linear min-max scaling to [0, 1]; cost columns become ``(max - x) / (max - min)``.

    Parameters
    ----------
    matrix : array_like, shape (n_alternatives, n_criteria)
    types : sequence
        Criterion types, see :func:`benefit_mask`.

    Returns
    -------
    numpy.ndarray
        Normalized matrix, larger is better in every column.

    Examples
    --------
    >>> minmax_normalization([[0.0], [5.0], [10.0]], ["min"]).ravel().tolist()
    [1.0, 0.5, 0.0]
    """
    x, benefit = _split(matrix, types)
    lo: np.ndarray = x.min(axis=0)
    hi: np.ndarray = x.max(axis=0)
    span = hi - lo
    scaled: np.ndarray = np.where(benefit, x - lo, hi - x) / span
    return scaled


def vector_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Divide by the column's Euclidean norm; cost columns become ``1 - x / ||x||``.

    Examples
    --------
    >>> vector_normalization([[3.0], [4.0]], ["max"]).ravel().tolist()
    [0.6, 0.8]
    """
    x, benefit = _split(matrix, types)
    r: np.ndarray = x / np.sqrt(np.sum(x * x, axis=0))
    return np.where(benefit, r, 1.0 - r)


def sum_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Divide by the column sum; cost columns use reciprocals, ``(1/x) / sum(1/x)``.

    Needs strictly positive values (a ratio scale).

    Examples
    --------
    >>> sum_normalization([[1.0], [3.0]], ["max"]).ravel().tolist()
    [0.25, 0.75]
    >>> sum_normalization([[1.0], [3.0]], ["min"]).ravel().tolist()
    [0.75, 0.25]
    """
    x, benefit = _split(matrix, types)
    with np.errstate(divide="ignore"):
        inv = 1.0 / x
    ben: np.ndarray = x / np.sum(x, axis=0)
    cost: np.ndarray = inv / np.sum(inv, axis=0)
    return np.where(benefit, ben, cost)


def max_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Divide by the column maximum; cost columns become ``1 - x / max``.

    Examples
    --------
    >>> max_normalization([[2.0], [4.0]], ["min"]).ravel().tolist()
    [0.5, 0.0]
    """
    x, benefit = _split(matrix, types)
    r: np.ndarray = x / x.max(axis=0)
    return np.where(benefit, r, 1.0 - r)


def zscore_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Standard scores with the population standard deviation; cost columns are negated.

    Examples
    --------
    >>> zscore_normalization([[1.0], [3.0]], ["min"]).ravel().tolist()
    [1.0, -1.0]
    """
    x, benefit = _split(matrix, types)
    z: np.ndarray = (x - x.mean(axis=0)) / x.std(axis=0)
    return np.where(benefit, z, -z)


def no_normalization(matrix: ArrayLike, types: ArrayLike) -> np.ndarray:
    """Keep the units; only flip the sign of cost columns so larger is better.

    Examples
    --------
    >>> no_normalization([[1.0, 2.0]], ["max", "min"]).tolist()
    [[1.0, -2.0]]
    """
    x, benefit = _split(matrix, types)
    return np.where(benefit, x, -x)


NORMALIZATIONS: dict[str, Callable[..., np.ndarray]] = {
    "minmax": minmax_normalization,
    "vector": vector_normalization,
    "sum": sum_normalization,
    "max": max_normalization,
    "zscore": zscore_normalization,
    "none": no_normalization,
}
"""Registry: normalization name -> function ``f(matrix, types) -> matrix``."""


def get_normalization(name: str) -> Callable[..., np.ndarray]:
    """Look up a normalization by name.

    Raises
    ------
    KeyError
        If ``name`` is not in :data:`NORMALIZATIONS`.

    Examples
    --------
    >>> get_normalization("vector") is vector_normalization
    True
    """
    try:
        return NORMALIZATIONS[name]
    except KeyError:
        known = ", ".join(NORMALIZATIONS)
        raise KeyError(f"unknown normalization {name!r}; choose one of {known}") from None
