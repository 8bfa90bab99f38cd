"""Statistical audit of a composite index: correlations, Cronbach's alpha, PCA, profiles.

The checks follow the JRC's audits of composite indicators (as in COINr's
``get_corr``, ``get_cronbach`` and ``get_PCA``):

* **correlations** within each node (its children and itself) and across the
  pillars; each indicator's correlation with its parent and with the index.
  A child that correlates weakly or negatively with its parent deserves a look;
* **Cronbach's alpha** of each node's children,
  ``alpha = k / (k - 1) * (1 - sum var(x_i) / var(sum x_i))`` on complete rows
  (sample variances); about 0.7 or more is read as internal consistency;
* **PCA** of each node's children (standardized, by SVD): the share of
  variance the first component explains; one dominant component supports a
  single aggregate;
* each unit's **strengths and weaknesses**: its best and worst indicators by
  normalized score, with its rank among units on each.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
*Psychometrika*, 16(3), 297-334.

OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, step 4
(multivariate analysis).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.0, 6.0, 8.0]})
>>> cronbach_alpha(frame)
0.8888888888888888
>>> pca(frame).explained_variance_ratio
[1.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oicplan.errors import InputError
from oicplan.indicators.engine import CompositeIndex
from oicplan.indicators.framework import IndicatorSpec

__all__ = [
    "Audit",
    "PCAResult",
    "audit",
    "correlations",
    "cronbach_alpha",
    "pca",
    "strengths_weaknesses",
]


@dataclass(frozen=True)
class PCAResult:
    """Principal components of standardized columns.

    Attributes
    ----------
    explained_variance_ratio : list of float
        Share of total variance of each component, largest first.
    eigenvalues : list of float
        Variances of the components (of the correlation matrix).
    loadings : DataFrame
        Columns × components: eigenvectors (sign chosen so the largest entry
        of each is positive).
    n_units : int
        Complete rows used.
    """

    explained_variance_ratio: list[float]
    eigenvalues: list[float]
    loadings: pd.DataFrame
    n_units: int


@dataclass(frozen=True)
class Audit:
    """The audit of one :class:`~oicplan.indicators.engine.CompositeIndex`.

    Attributes
    ----------
    alpha : dict
        Node id -> Cronbach's alpha of its children (NaN with fewer than two).
    pca : dict
        Node id -> :class:`PCAResult` of its children.
    within : dict
        Node id -> correlation matrix of its children and the node itself.
    across : DataFrame
        Correlations between the pillars (each in its own orientation) and the index.
    indicators : DataFrame
        One row per indicator: parent node, correlation with the parent and
        with the index.
    """

    alpha: dict[str, float]
    pca: dict[str, PCAResult]
    within: dict[str, pd.DataFrame]
    across: pd.DataFrame
    indicators: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Per node: number of children, alpha and the first component's share."""
        rows = [
            {"node": node, "children": len(self.within[node].columns) - 1,
             "alpha": self.alpha[node],
             "pc1_share": (self.pca[node].explained_variance_ratio or [np.nan])[0]}
            for node in self.alpha
        ]
        return pd.DataFrame(rows).set_index("node")


def cronbach_alpha(frame: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``frame`` (rows with a gap are left out).

    Returns NaN with fewer than two columns or two complete rows, or when the
    total has no variance.

    Examples
    --------
    >>> cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]}))
    -inf
    """
    data = frame.dropna().to_numpy(dtype=float)
    n, k = data.shape
    if k < 2 or n < 2:
        return float("nan")
    item_var = data.var(axis=0, ddof=1).sum()
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("-inf") if item_var > 0 else float("nan")
    return float(k / (k - 1) * (1.0 - item_var / total_var))


def pca(frame: pd.DataFrame) -> PCAResult:
    """PCA of the standardized columns of ``frame`` by singular value decomposition.

    Constant columns are left out (they have no variance to explain).

    Examples
    --------
    >>> result = pca(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]}))
    >>> [round(v, 3) for v in result.explained_variance_ratio]
    [0.75, 0.25]
    """
    data = frame.dropna()
    data = data.loc[:, data.std(ddof=1) > 0]
    n, k = data.shape
    if n < 2 or k == 0:
        return PCAResult([], [], pd.DataFrame(index=list(data.columns)), n)
    z = ((data - data.mean()) / data.std(ddof=1)).to_numpy(dtype=float)
    _, singular, vt = np.linalg.svd(z, full_matrices=False)
    variance = singular ** 2 / (n - 1)
    ratio = variance / variance.sum()
    vectors = vt.T
    signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(vectors.shape[1])])
    vectors = vectors * np.where(signs == 0, 1.0, signs)
    names = [f"PC{i + 1}" for i in range(vectors.shape[1])]
    loadings = pd.DataFrame(vectors, index=list(data.columns), columns=names)
    return PCAResult([float(round(v, 12)) for v in ratio], [float(v) for v in variance],
                     loadings, int(n))


def correlations(index: CompositeIndex, node_id: str | None = None,
                 method: str = "pearson") -> pd.DataFrame:
    """Correlation matrix of a node's children (oriented as aggregated) and the node.

    Without ``node_id``: the pillars and the index.
    """
    node_id = node_id or index.framework.id
    table = index.children(node_id)
    table[node_id] = index.aggregated[node_id]
    return table.corr(method=method)


def strengths_weaknesses(index: CompositeIndex, unit: str, n: int = 3) -> dict[str, pd.DataFrame]:
    """A unit's ``n`` best and worst indicators by normalized score.

    Returns
    -------
    dict
        ``{"strengths": DataFrame, "weaknesses": DataFrame}``, each with the
        indicator code as index and columns ``parent``, ``score`` (normalized)
        and ``rank`` (among the units with a value; 1 = best).

    Examples
    --------
    >>> from oicplan.indicators.framework import Framework
    >>> from oicplan.indicators.engine import build_index
    >>> fw = Framework.model_validate({"name": "t", "pillars": [
    ...     {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}, {"code": "z"}]}]})
    >>> raw = pd.DataFrame({"x": [1.0, 2.0], "y": [5.0, 1.0], "z": [0.0, 9.0]}, index=["a", "b"])
    >>> strengths_weaknesses(build_index(fw, raw), "a", n=1)["strengths"].index.tolist()
    ['y']
    """
    normalized = index.normalized
    if unit not in normalized.index:
        raise InputError(f"unknown or screened-out unit {unit!r}", field="unit")
    parents = {spec.code: node.id for node in index.framework.nodes()
               for spec in node.indicators}
    row = normalized.loc[unit].dropna()
    ranks = normalized.rank(ascending=False, method="min")
    table = pd.DataFrame({
        "parent": [parents[code] for code in row.index],
        "score": row.to_numpy(dtype=float),
        "rank": [int(ranks.at[unit, code]) for code in row.index],
    }, index=row.index)
    ordered = table.sort_values(["score", "rank"], ascending=[False, True], kind="stable")
    return {"strengths": ordered.head(n), "weaknesses": ordered.iloc[::-1].head(n)}


def audit(index: CompositeIndex) -> Audit:
    """Run every check on ``index``.

    Examples
    --------
    >>> from oicplan.indicators.framework import Framework
    >>> from oicplan.indicators.engine import build_index
    >>> fw = Framework.model_validate({"name": "t", "pillars": [
    ...     {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}]},
    ...     {"id": "q", "indicators": [{"code": "z"}]}]})
    >>> raw = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, 4.0, 3.0],
    ...                     "z": [4.0, 1.0, 2.0, 3.0]})
    >>> round(audit(build_index(fw, raw)).alpha["p"], 3)
    0.889
    """
    alpha: dict[str, float] = {}
    components: dict[str, PCAResult] = {}
    within: dict[str, pd.DataFrame] = {}
    root = index.framework.root
    for node in root.nodes():
        children = index.children(node.id)
        alpha[node.id] = cronbach_alpha(children)
        components[node.id] = pca(children)
        within[node.id] = correlations(index, node.id)
    across = within[index.framework.id]
    score = index.scores
    rows = []
    for node in index.framework.nodes():
        for item in node.items:
            if not isinstance(item, IndicatorSpec) or item.code not in index.normalized:
                continue
            values = index.normalized[item.code]
            rows.append({
                "indicator": item.code, "parent": node.id,
                "corr_parent": float(values.corr(index.aggregated[node.id])),
                "corr_index": float(values.corr(score)),
            })
    indicators = pd.DataFrame(rows, columns=["indicator", "parent", "corr_parent", "corr_index"])
    return Audit(alpha, components, within, across, indicators.set_index("indicator"))
