"""Build a composite index step by step, keep every stage, rebuild after a change.

:func:`build_index` runs the steps of the OECD/JRC handbook as COINr
arranges them, each reading only its own settings and keeping its own table:

==============  ===========================================  =============================
step            what it does                                 settings it reads
==============  ===========================================  =============================
``raw``         values as given, with each value's age       ``max_age``, ``reference_year``
``denominated`` ``transform(value / denominator * scale)``   (the framework)
``screened``    drop units and indicators short of data      ``min_coverage``,
                                                             ``require_every_pillar``,
                                                             ``min_indicator_coverage``
``imputed``     none, or the mean/median of the unit's group  ``imputation``,
                                                             ``imputation_group``
``treated``     none, or the GII outlier rule                ``treatment``,
                                                             ``winsor_max_points``,
                                                             ``skew_threshold``,
                                                             ``kurtosis_threshold``
``normalized``  one of :data:`~oicplan.indicators.steps.NORMALIZERS`  ``normalization``,
                                                             ``normalization_range``
``aggregated``  weights, then the tree bottom-up             ``weighting``, ``weights``,
                                                             ``pairwise``, ``aggregation``
==============  ===========================================  =============================

The result, :class:`CompositeIndex`, is immutable. ``index.rebuild(x=...)``
re-runs only the steps from the first one that reads ``x`` and reuses the
earlier tables as they are; :func:`compare` lines up the ranks of two builds.

Orientation: every normalized indicator is "larger = more of its node's
concept" (cost indicators are turned round by the normalizer). A node with
``direction: min`` keeps its own orientation in ``aggregated`` (the default
framework's ``risk`` pillar: larger = more risk) and is reflected on its
scale (``lo + hi - x``; ``-x`` for z-scores) when its parent aggregates it.

Geometric and harmonic means need positive values. Nothing is shifted
silently: choose a positive scale such as ``normalization_range=(1, 100)``
(what COINr's documentation recommends before a geometric mean), or the build
stops with an error that says so.

Examples
--------
>>> import pandas as pd
>>> from oicplan.indicators.framework import Framework
>>> fw = Framework.model_validate({"name": "toy", "pillars": [
...     {"id": "p", "indicators": [{"code": "x"}, {"code": "y", "direction": "min"}]},
...     {"id": "q", "indicators": [{"code": "z"}]}]})
>>> raw = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [3.0, 2.0, 1.0], "z": [0.0, 1.0, 0.5]},
...                    index=["A", "B", "C"])
>>> index = build_index(fw, raw)
>>> index.scores.round(3).to_dict()
{'A': 0.0, 'B': 0.75, 'C': 0.75}
>>> index.rebuild(normalization="rank").ranks.to_dict()
{'A': 3, 'B': 1, 'C': 1}
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from oicplan.errors import InputError
from oicplan.indicators.framework import Framework, IndicatorSpec, Node
from oicplan.indicators.steps import (
    AGGREGATORS,
    NORMALIZER_BOUNDS,
    NORMALIZERS,
    gii_outlier_treatment,
    impute_by_group,
    reflect,
)
from oicplan.mcda.core import DecisionMatrix
from oicplan.mcda.weights import (
    AHPConsistencyWarning,
    ahp_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    group_ahp_weights,
    std_weights,
)

__all__ = [
    "IMPUTATIONS",
    "STEP_NAMES",
    "TREATMENTS",
    "BuildSettings",
    "CompositeIndex",
    "StepRecord",
    "build_index",
    "compare",
]

IMPUTATIONS = ("none", "group_mean", "group_median")
TREATMENTS = ("none", "gii")
_WEIGHTINGS = ("manual", "equal", "ahp", "group_ahp", "entropy", "critic", "std")

STEP_NAMES = ("raw", "denominated", "screened", "imputed", "treated", "normalized", "aggregated")
"""The steps in the order they run; each keeps a table of the same name."""

_STEP_SETTINGS: dict[str, frozenset[str]] = {
    "raw": frozenset({"max_age", "reference_year"}),
    "denominated": frozenset(),
    "screened": frozenset({"min_coverage", "require_every_pillar", "min_indicator_coverage"}),
    "imputed": frozenset({"imputation", "imputation_group"}),
    "treated": frozenset(
        {"treatment", "winsor_max_points", "skew_threshold", "kurtosis_threshold"}
    ),
    "normalized": frozenset({"normalization", "normalization_range", "reference_screened_out"}),
    "aggregated": frozenset({"weighting", "weights", "pairwise", "aggregation"}),
}


@dataclass(frozen=True)
class BuildSettings:
    """Every choice of a build; the defaults reproduce oicplan's original pillar scores.

    Attributes
    ----------
    max_age : int, optional
        Values older than this (years behind ``reference_year``) count as missing.
    reference_year : int, optional
        Year ages are counted from; default: each indicator's latest year.
    min_coverage : float
        A unit whose mean pillar coverage (share of indicator weight with data)
        is below this is screened out.
    require_every_pillar : bool
        Screen out a unit that has no data at all for some pillar.
    min_indicator_coverage : float
        An indicator with data for a smaller share of units is dropped.
    imputation : {"none", "group_mean", "group_median"}
    imputation_group : str
        Column of the ``groups`` table (``wb_region``, ``continent``, ``income_group``).
    treatment : {"none", "gii"}
    winsor_max_points, skew_threshold, kurtosis_threshold
        Parameters of the GII outlier rule (5, 2.0, 3.5).
    normalization : str
        A key of :data:`~oicplan.indicators.steps.NORMALIZERS`.
    normalization_range : (float, float)
        Output range of ``minmax``, ``goalposts`` and ``target``.
    reference_screened_out : bool
        Let the screened-out units' (denominated) values take part in the
        normalization as reference points (the min and max of min-max, ...),
        as oicplan always did; ``False`` normalizes over the kept units only,
        in COINr's order. Their values never get a score either way.
    weighting : str or mapping, optional
        One method for every node, or ``{node id or depth: method}``; overrides
        the framework (``manual``, ``equal``, ``ahp``, ``group_ahp``,
        ``entropy``, ``critic``, ``std``).
    weights : mapping, optional
        ``{node id: {child id: weight}}`` replacing the framework's manual weights.
    pairwise : mapping, optional
        ``{node id: matrix}`` (AHP) or ``{node id: [matrix, ...]}`` (group AHP).
    aggregation : str or mapping, optional
        One of ``arithmetic``, ``geometric``, ``harmonic`` for every node, or
        ``{node id or depth: name}`` (depth 0 = the index, 1 = pillars, ...).
    """

    max_age: int | None = None
    reference_year: int | None = None
    min_coverage: float = 0.5
    require_every_pillar: bool = True
    min_indicator_coverage: float = 0.0
    imputation: str = "none"
    imputation_group: str = "wb_region"
    treatment: str = "none"
    winsor_max_points: int = 5
    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    normalization: str = "minmax"
    normalization_range: tuple[float, float] = (0.0, 1.0)
    reference_screened_out: bool = True
    weighting: str | Mapping[Any, str] | None = None
    weights: Mapping[str, Mapping[str, float]] | None = None
    pairwise: Mapping[str, Any] | None = None
    aggregation: str | Mapping[Any, str] | None = None

    def __post_init__(self) -> None:
        checks = {
            "imputation": (self.imputation, IMPUTATIONS),
            "treatment": (self.treatment, TREATMENTS),
            "normalization": (self.normalization, tuple(NORMALIZERS)),
        }
        for name, (value, choices) in checks.items():
            if value not in choices:
                raise InputError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}",
                                 field=name)
        for name in ("aggregation", "weighting"):
            value = getattr(self, name)
            choices = tuple(AGGREGATORS) if name == "aggregation" else tuple(_WEIGHTINGS)
            values = value.values() if isinstance(value, Mapping) else [value]
            for item in values:
                if item is not None and item not in choices:
                    raise InputError(
                        f"unknown {name} {item!r}; choose one of {', '.join(choices)}",
                        field=name,
                    )
        low, high = self.normalization_range
        if not low < high:
            raise InputError("normalization_range must be (low, high) with low < high",
                             field="normalization_range")
        for name in ("min_coverage", "min_indicator_coverage"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise InputError(f"{name} must be between 0 and 1", field=name)

    def to_dict(self) -> dict:
        """The settings as plain data (for reports and step records)."""
        return {key: _plain(value) for key, value in dataclasses.asdict(self).items()}


@dataclass(frozen=True)
class StepRecord:
    """One step of a build: its name, the parameters it used, and what it noticed."""

    name: str
    params: Mapping[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Inputs:
    raw: pd.DataFrame
    years: pd.DataFrame
    groups: pd.DataFrame
    sources: Mapping[str, str]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _override(value: Any, node_id: str, depth: int) -> Any:
    if value is None or isinstance(value, str):
        return value
    if node_id in value:
        return value[node_id]
    return value.get(depth)


def _walk(framework: Framework) -> list[tuple[Node, int]]:
    """Every node with its depth (index = 0), children before parents."""
    order: list[tuple[Node, int]] = []

    def visit(node: Node, depth: int) -> None:
        for child in node.children:
            visit(child, depth + 1)
        order.append((node, depth))

    visit(framework.root, 0)
    return order


def _leaf_weights(node: Node) -> dict[str, float]:
    """Each indicator's share of ``node`` under the framework's declared weights."""
    total = sum(item.weight for item in node.items)
    shares: dict[str, float] = {}
    for item in node.items:
        share = item.weight / total
        if isinstance(item, IndicatorSpec):
            shares[item.code] = share
        else:
            shares.update({code: share * w for code, w in _leaf_weights(item).items()})
    return shares


# --------------------------------------------------------------------------- steps


def _step_raw(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    raw = inputs.raw.copy()
    years = inputs.years.reindex(index=raw.index, columns=raw.columns)
    anchor = (pd.Series(float(s.reference_year), index=raw.columns)
              if s.reference_year is not None else years.max())
    ages = anchor - years
    notes = []
    if s.reference_year is not None:
        future = years > s.reference_year
        if future.any().any():
            notes.append(f"{int(future.sum().sum())} value(s) later than {s.reference_year} "
                         "ignored")
        raw = raw.where(~future)
    if s.max_age is not None:
        old = ages > s.max_age
        if old.any().any():
            notes.append(f"{int(old.sum().sum())} value(s) older than {s.max_age} years ignored")
        raw = raw.where(~old)
    ages = ages.where(raw.notna())
    params = {"max_age": s.max_age, "reference_year": s.reference_year}
    return {"raw": raw, "ages": ages, "_record": StepRecord("raw", params, tuple(notes))}


def _step_denominated(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    raw = state["raw"]
    table = pd.DataFrame(index=raw.index)
    for spec in fw.indicators():
        for code in (spec.code, spec.denominator):
            if code and code not in raw.columns:
                raise InputError(f"no data column for indicator {code!r}", field=code)
        column = raw[spec.code].astype(float)
        if spec.denominator:
            divisor = raw[spec.denominator].astype(float)
            column = column / divisor.where(divisor > 0)
        column = column * spec.scale
        if spec.transform == "log":
            column = np.log10(column.where(column > 0))
        elif spec.transform == "log1p":
            column = np.log1p(column.clip(lower=0))
        table[spec.code] = column
    params = {spec.code: {"denominator": spec.denominator, "scale": spec.scale,
                          "transform": spec.transform}
              for spec in fw.indicators() if spec.denominator or spec.transform != "none"
              or spec.scale != 1.0}
    return {"denominated": table, "_record": StepRecord("denominated", params)}


def _step_screened(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    data = state["denominated"]
    n_units = len(data.index)
    dropped: dict[str, str] = {}
    for code in data.columns:
        present = data[code].dropna()
        share = len(present) / n_units if n_units else 0.0
        if share < s.min_indicator_coverage:
            dropped[code] = (f"data for {share:.0%} of units < "
                             f"{s.min_indicator_coverage:.0%}")
        elif present.nunique() < 2:
            dropped[code] = "no variation across units"
    usable = data.drop(columns=list(dropped)).notna()
    coverage = pd.DataFrame(index=data.index)
    for pillar in fw.pillars:
        shares = _leaf_weights(pillar)
        coverage[pillar.id] = sum(
            (usable[code] * share if code in usable else 0.0) for code, share in shares.items()
        )
    coverage = coverage.astype(float)
    units_out: dict[str, str] = {}
    overall = coverage.mean(axis=1)
    for unit in data.index:
        empty = [p for p in fw.pillar_ids if coverage.at[unit, p] == 0]
        if s.require_every_pillar and empty:
            units_out[unit] = f"no data for pillar(s) {', '.join(empty)}"
        elif overall[unit] < s.min_coverage:
            units_out[unit] = f"indicator coverage {overall[unit]:.0%} < {s.min_coverage:.0%}"
    keep = [unit for unit in data.index if unit not in units_out]
    kept = [code for code in data.columns if code not in dropped]
    notes = [f"indicator {code} dropped: {why}" for code, why in dropped.items()]
    if units_out:
        notes.append(f"{len(units_out)} unit(s) screened out")
    params = {"min_coverage": s.min_coverage, "require_every_pillar": s.require_every_pillar,
              "min_indicator_coverage": s.min_indicator_coverage}
    return {
        "screened": data.loc[keep, kept],
        "coverage": coverage.loc[keep],
        "screened_out": units_out,
        "dropped_indicators": dropped,
        "_record": StepRecord("screened", params, tuple(notes)),
    }


def _step_imputed(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    data = state["screened"]
    params = {"imputation": s.imputation}
    if s.imputation == "none":
        imputed, mask = data.copy(), pd.DataFrame(False, index=data.index, columns=data.columns)
    else:
        if s.imputation_group not in inputs.groups.columns:
            raise InputError(
                f"no group column {s.imputation_group!r} to impute by "
                f"(have: {', '.join(inputs.groups.columns) or 'none'})",
                field="imputation_group",
            )
        groups = inputs.groups[s.imputation_group].reindex(data.index)
        imputed, mask = impute_by_group(data, groups, s.imputation.removeprefix("group_"))
        params["imputation_group"] = s.imputation_group
    notes = (f"{int(mask.sum().sum())} value(s) imputed",) if mask.any().any() else ()
    return {"imputed": imputed, "imputed_mask": mask,
            "_record": StepRecord("imputed", params, notes)}


def _step_treated(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    data = state["imputed"]
    params: dict[str, Any] = {"treatment": s.treatment}
    rows = []
    treated = data.copy()
    if s.treatment == "gii":
        params.update(winsor_max_points=s.winsor_max_points, skew_threshold=s.skew_threshold,
                      kurtosis_threshold=s.kurtosis_threshold)
        for code in data.columns:
            column = data[code]
            present = column.dropna()
            result = gii_outlier_treatment(present.to_numpy(), s.winsor_max_points,
                                           s.skew_threshold, s.kurtosis_threshold)
            treated.loc[present.index, code] = result.values
            rows.append({
                "indicator": code, "action": result.action,
                "winsorised": ", ".join(str(present.index[i]) for i in result.winsorised),
                "skew_before": result.skew_before, "kurtosis_before": result.kurtosis_before,
                "skew_after": result.skew_after, "kurtosis_after": result.kurtosis_after,
            })
    table = pd.DataFrame(rows, columns=["indicator", "action", "winsorised", "skew_before",
                                        "kurtosis_before", "skew_after", "kurtosis_after"])
    table = table.set_index("indicator")
    notes = tuple(f"{code}: {row.action}" for code, row in table.iterrows()
                  if row.action != "none")
    return {"treated": treated, "treatment": table,
            "_record": StepRecord("treated", params, notes)}


def _step_normalized(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    data = state["treated"]
    kept = data.index
    outside = [unit for unit in state["screened_out"]]
    if s.reference_screened_out and outside:
        reference = state["denominated"].loc[outside, list(data.columns)]
        data = pd.concat([data, reference])
    normalize = NORMALIZERS[s.normalization]
    low, high = (float(v) for v in s.normalization_range)
    table = pd.DataFrame(index=data.index)
    for spec in fw.indicators():
        if spec.code not in data.columns:
            continue
        try:
            values = normalize(data[spec.code].to_numpy(), spec.direction, low=low, high=high,
                               goalposts=spec.goalposts, target=spec.target)
        except ValueError as error:
            raise InputError(f"{error} (indicator {spec.code})",
                             field=f"indicators[{spec.code}]") from None
        table[spec.code] = values
    bounds = NORMALIZER_BOUNDS[s.normalization](len(data.index), low, high)
    params = {"normalization": s.normalization, "normalization_range": [low, high],
              "reference_screened_out": s.reference_screened_out}
    return {"normalized": table.loc[kept], "bounds": bounds,
            "_record": StepRecord("normalized", params)}


def _objective_weights(method: str, node: Node, children: pd.DataFrame) -> np.ndarray:
    complete = children.dropna()
    try:
        matrix = DecisionMatrix(complete.to_numpy(), ["max"] * children.shape[1],
                                alternatives=[str(u) for u in complete.index],
                                criteria=list(children.columns))
    except InputError as error:
        raise InputError(f"{method} weights of node {node.id!r}: {error.message}",
                         field=f"weighting.{node.id}") from None
    function = {"entropy": entropy_weights, "critic": critic_weights, "std": std_weights}[method]
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            weights = np.asarray(function(matrix), dtype=float)
    except InputError as error:
        raise InputError(f"{method} weights of node {node.id!r}: {error.message}",
                         field=f"weighting.{node.id}") from None
    if not np.all(np.isfinite(weights)):
        raise InputError(f"{method} weights of node {node.id!r} are undefined for these data",
                         field=f"weighting.{node.id}")
    return weights


def _node_weights(node: Node, depth: int, s: BuildSettings, children: pd.DataFrame,
                  notes: list[str]) -> tuple[np.ndarray, dict]:
    ids = node.child_ids
    manual = (s.weights or {}).get(node.id)
    method = _override(s.weighting, node.id, depth) or ("manual" if manual else None)
    method = method or node.weighting or "manual"
    detail: dict[str, Any] = {"method": method}
    if len(ids) == 1:
        w = np.ones(1)
    elif method == "manual":
        declared = {cid: item.weight for cid, item in zip(ids, node.items, strict=True)}
        if manual:
            unknown = sorted(set(manual) - set(ids))
            if unknown:
                raise InputError(f"weights for unknown child(ren) {', '.join(unknown)} of "
                                 f"{node.id!r}", field=f"weights.{node.id}")
            declared.update({k: float(v) for k, v in manual.items()})
        w = np.array([declared[cid] for cid in ids], dtype=float)
        if np.any(w < 0) or w.sum() <= 0:
            raise InputError(f"weights of {node.id!r} must be >= 0 with a positive sum",
                             field=f"weights.{node.id}")
        w = w / w.sum()
    elif method == "equal":
        w = equal_weights(len(ids))
    elif method in ("ahp", "group_ahp"):
        given = (s.pairwise or {}).get(node.id)
        if given is None:
            given = node.pairwise if method == "ahp" else node.pairwise_group
        if given is None:
            raise InputError(f"{method} weighting of {node.id!r} needs pairwise comparisons "
                             f"('{'pairwise' if method == 'ahp' else 'pairwise_group'}')",
                             field=f"pairwise.{node.id}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AHPConsistencyWarning)
            if method == "ahp":
                result = ahp_weights(given, ids, warn=False)
            else:
                result = group_ahp_weights(given, ids, warn=False)
        w = np.asarray(result.weights, dtype=float)
        detail.update(lambda_max=result.lambda_max, ci=result.ci, cr=result.cr,
                      consistent=result.consistent)
        if not result.consistent:
            message = (f"AHP weights of {node.id!r}: consistency ratio {result.cr:.3f} "
                       "exceeds 0.10; revisit the comparisons")
            notes.append(message)
            warnings.warn(message, AHPConsistencyWarning, stacklevel=4)
    else:
        w = _objective_weights(method, node, children)
    return w, detail


def _children_table(node: Node, normalized: pd.DataFrame, scores: pd.DataFrame,
                    bounds: tuple[float, float] | None) -> pd.DataFrame:
    columns = {}
    for item in node.items:
        if isinstance(item, IndicatorSpec):
            columns[item.code] = (normalized[item.code] if item.code in normalized
                                  else pd.Series(np.nan, index=normalized.index))
        else:
            values = scores[item.id].to_numpy()
            columns[item.id] = pd.Series(
                reflect(values, bounds) if item.direction == "min" else values,
                index=normalized.index,
            )
    return pd.DataFrame(columns, index=normalized.index)


def _step_aggregated(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    normalized = state["normalized"]
    bounds = state["bounds"]
    scores = pd.DataFrame(index=normalized.index)
    weights: dict[str, dict[str, float]] = {}
    details: dict[str, dict] = {}
    methods: dict[str, str] = {}
    notes: list[str] = []
    for node, depth in _walk(fw):
        children = _children_table(node, normalized, scores, bounds)
        w, detail = _node_weights(node, depth, s, children, notes)
        name = (_override(s.aggregation, node.id, depth) or
                (fw.aggregation if depth == 0 else node.aggregation) or fw.default_aggregation)
        try:
            scores[node.id] = AGGREGATORS[name](children.to_numpy(), w)
        except ValueError as error:
            raise InputError(
                f"node {node.id!r}: {error}; normalize to a positive scale first, e.g. "
                "normalization='minmax' with normalization_range=(1, 100)",
                field=f"aggregation.{node.id}",
            ) from None
        weights[node.id] = {cid: float(v) for cid, v in zip(children.columns, w, strict=True)}
        details[node.id] = detail
        methods[node.id] = name
    order = [fw.id] + [node.id for node in fw.nodes()]
    params = {"aggregation": methods, "weighting": {k: v["method"] for k, v in details.items()}}
    return {"aggregated": scores[order], "weights": weights, "weight_details": details,
            "_record": StepRecord("aggregated", params, tuple(notes))}


_STEPS: dict[str, Callable[..., dict]] = {
    "raw": _step_raw,
    "denominated": _step_denominated,
    "screened": _step_screened,
    "imputed": _step_imputed,
    "treated": _step_treated,
    "normalized": _step_normalized,
    "aggregated": _step_aggregated,
}


def _run(inputs: _Inputs, fw: Framework, settings: BuildSettings,
         previous: Mapping[str, dict] | None = None, start: int = 0) -> dict[str, dict]:
    outputs: dict[str, dict] = {}
    state: dict[str, Any] = {}
    for position, name in enumerate(STEP_NAMES):
        if previous is not None and position < start:
            outputs[name] = previous[name]
        else:
            outputs[name] = _STEPS[name](inputs, fw, settings, state)
        state.update(outputs[name])
    return outputs


def _rank(values: pd.Series) -> pd.Series:
    out = pd.Series(pd.NA, index=values.index, dtype="Int64")
    present = values.dropna()
    if not present.empty:
        ranks = rankdata(-np.round(present.to_numpy(dtype=float), 12), method="min")
        out.loc[present.index] = ranks.astype(int)
    return out


# --------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class CompositeIndex:
    """A built index: the framework, the settings, every step's table and record.

    Do not modify the tables in place; use :meth:`rebuild`.

    Attributes
    ----------
    framework : Framework
    settings : BuildSettings
    steps : tuple of StepRecord
        One per entry of :data:`STEP_NAMES`, with the parameters used.
    """

    framework: Framework
    settings: BuildSettings
    steps: tuple[StepRecord, ...]
    _inputs: _Inputs = field(repr=False)
    _outputs: Mapping[str, dict] = field(repr=False)

    def data(self, name: str) -> pd.DataFrame:
        """The table of step ``name`` (one of :data:`STEP_NAMES`, or ``ages``).

        Rows are units; columns are indicator codes (``raw`` also holds
        denominators; ``aggregated`` holds node ids, the index first).
        """
        if name == "ages":
            return self._outputs["raw"]["ages"]
        if name not in STEP_NAMES:
            raise InputError(f"unknown data set {name!r}; choose one of "
                             f"{', '.join(STEP_NAMES)}", field="dataset")
        return self._outputs[name][name]

    def _get(self, key: str) -> Any:
        for outputs in self._outputs.values():
            if key in outputs:
                return outputs[key]
        raise KeyError(key)

    @property
    def raw(self) -> pd.DataFrame:
        return self.data("raw")

    @property
    def ages(self) -> pd.DataFrame:
        """Years between each raw value and the reference year (NaN where no value)."""
        return self.data("ages")

    @property
    def denominated(self) -> pd.DataFrame:
        return self.data("denominated")

    @property
    def screened(self) -> pd.DataFrame:
        return self.data("screened")

    @property
    def imputed(self) -> pd.DataFrame:
        return self.data("imputed")

    @property
    def imputed_mask(self) -> pd.DataFrame:
        """True where the imputation step filled a value."""
        return self._get("imputed_mask")

    @property
    def treated(self) -> pd.DataFrame:
        return self.data("treated")

    @property
    def treatment(self) -> pd.DataFrame:
        """Per treated indicator: action, winsorised units, skew and kurtosis before/after."""
        return self._get("treatment")

    @property
    def normalized(self) -> pd.DataFrame:
        return self.data("normalized")

    @property
    def aggregated(self) -> pd.DataFrame:
        return self.data("aggregated")

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The scale of normalized and aggregated scores (None for z-scores)."""
        return self._get("bounds")

    @property
    def coverage(self) -> pd.DataFrame:
        """Units × pillars: share of each pillar's indicator weight with usable data."""
        return self._get("coverage")

    @property
    def screened_out(self) -> dict[str, str]:
        """Units dropped by screening, with the reason."""
        return dict(self._get("screened_out"))

    @property
    def dropped_indicators(self) -> dict[str, str]:
        """Indicators dropped by screening, with the reason."""
        return dict(self._get("dropped_indicators"))

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        """``{node id: {child id: weight}}`` as used (each node's weights sum to 1)."""
        return {key: dict(value) for key, value in self._get("weights").items()}

    @property
    def weight_details(self) -> dict[str, dict]:
        """``{node id: {"method": ..., and for AHP "lambda_max", "ci", "cr", "consistent"}}``."""
        return {key: dict(value) for key, value in self._get("weight_details").items()}

    @property
    def units(self) -> list[str]:
        """The units kept after screening."""
        return list(self.aggregated.index)

    @property
    def scores(self) -> pd.Series:
        """The index score of every kept unit."""
        return self.aggregated[self.framework.id]

    @property
    def ranks(self) -> pd.Series:
        """Rank of every kept unit on the index (1 = best; ties share the better rank)."""
        return _rank(self.scores)

    @property
    def pillars(self) -> pd.DataFrame:
        """Units × pillars, each in its own orientation."""
        return self.aggregated[self.framework.pillar_ids]

    @property
    def notes(self) -> list[str]:
        """Every step's notes, prefixed with the step name."""
        return [f"{step.name}: {note}" for step in self.steps for note in step.notes]

    def step(self, name: str) -> StepRecord:
        """The record of step ``name``."""
        for record in self.steps:
            if record.name == name:
                return record
        raise InputError(f"unknown step {name!r}", field="step")

    def level(self, depth: int) -> pd.DataFrame:
        """Aggregated scores of the nodes at ``depth`` (0 = index, 1 = pillars, ...).

        Examples
        --------
        >>> import pandas as pd
        >>> from oicplan.indicators.framework import Framework
        >>> fw = Framework.model_validate({"name": "t", "pillars": [
        ...     {"id": "p", "indicators": [{"code": "x"}]}]})
        >>> build_index(fw, pd.DataFrame({"x": [1.0, 2.0]})).level(1).columns.tolist()
        ['p']
        """
        ids = [node.id for node, d in _walk(self.framework) if d == depth]
        return self.aggregated[[i for i in self.aggregated.columns if i in ids]]

    def children(self, node_id: str) -> pd.DataFrame:
        """Units × the children of ``node_id``, oriented as the node aggregates them.

        Indicators are their normalized values; child nodes are their scores,
        reflected when the child's direction is ``min``.
        """
        node = self.framework.node(node_id)
        return _children_table(node, self.normalized, self.aggregated, self.bounds)

    def rebuild(self, **changed_settings: Any) -> CompositeIndex:
        """A new index with some settings changed; steps before the first affected one are reused.

        Raises
        ------
        InputError
            On an unknown setting name or value.
        """
        known = {f.name for f in dataclasses.fields(BuildSettings)}
        unknown = sorted(set(changed_settings) - known)
        if unknown:
            raise InputError(f"unknown setting(s) {', '.join(unknown)}", field=unknown[0])
        settings = dataclasses.replace(self.settings, **changed_settings)
        changed = {k for k in changed_settings if getattr(self.settings, k) != getattr(settings, k)}
        start = next((i for i, name in enumerate(STEP_NAMES) if _STEP_SETTINGS[name] & changed),
                     len(STEP_NAMES))
        return _make(self._inputs, self.framework, settings, self._outputs, start)


def _make(inputs: _Inputs, fw: Framework, settings: BuildSettings,
          previous: Mapping[str, dict] | None = None, start: int = 0) -> CompositeIndex:
    outputs = _run(inputs, fw, settings, previous, start)
    steps = tuple(outputs[name]["_record"] for name in STEP_NAMES)
    return CompositeIndex(fw, settings, steps, inputs, outputs)


def build_index(
    framework: Framework,
    raw: pd.DataFrame,
    *,
    years: pd.DataFrame | None = None,
    groups: pd.DataFrame | None = None,
    sources: Mapping[str, str] | None = None,
    settings: BuildSettings | None = None,
    **changed_settings: Any,
) -> CompositeIndex:
    """Build a composite index of the units in ``raw`` on ``framework``.

    Parameters
    ----------
    framework : Framework
    raw : DataFrame
        Units in rows, indicator codes (and denominators) in columns.
    years : DataFrame, optional
        Year of each value (same shape); gives the ``ages`` table and makes
        ``max_age``/``reference_year`` usable.
    groups : DataFrame, optional
        Units × grouping columns (e.g. ``wb_region``, ``continent``,
        ``income_group``) for group imputation.
    sources : mapping, optional
        Indicator code -> source, kept for reports.
    settings : BuildSettings, optional
    **changed_settings
        Fields of :class:`BuildSettings` to change from ``settings``.

    Returns
    -------
    CompositeIndex

    Examples
    --------
    >>> import pandas as pd
    >>> from oicplan.indicators.framework import Framework
    >>> fw = Framework.model_validate({"name": "t", "pillars": [
    ...     {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}]}]})
    >>> raw = pd.DataFrame({"x": [1.0, 3.0, None], "y": [2.0, 4.0, 4.0]}, index=list("abc"))
    >>> build_index(fw, raw).aggregated["p"].tolist()
    [0.0, 1.0, 1.0]
    """
    try:
        settings = dataclasses.replace(settings or BuildSettings(), **changed_settings)
    except TypeError as error:
        raise InputError(f"bad setting ({error})", field="settings") from None
    if raw.index.has_duplicates:
        raise InputError("unit names must be unique", field="units")
    raw = raw.astype(float)
    years = (years if years is not None else pd.DataFrame(index=raw.index)).reindex(
        index=raw.index, columns=raw.columns).astype(float)
    groups = (groups if groups is not None else pd.DataFrame(index=raw.index)).reindex(raw.index)
    inputs = _Inputs(raw, years, groups, dict(sources or {}))
    return _make(inputs, framework, settings)


def compare(a: CompositeIndex, b: CompositeIndex, node: str | None = None) -> pd.DataFrame:
    """Line up two builds: score and rank in each, and the rank change per unit.

    ``rank_change = rank_a - rank_b``: positive means the unit ranks better in
    ``b``. Units present in only one build have missing values on the other side.

    Examples
    --------
    >>> import pandas as pd
    >>> from oicplan.indicators.framework import Framework
    >>> fw = Framework.model_validate({"name": "t", "pillars": [
    ...     {"id": "p", "indicators": [{"code": "x"}, {"code": "y"}]}]})
    >>> raw = pd.DataFrame({"x": [0.0, 5.0, 10.0], "y": [10.0, 4.0, 0.0]}, index=list("abc"))
    >>> a = build_index(fw, raw)
    >>> b = a.rebuild(weights={"p": {"x": 3, "y": 1}})
    >>> compare(a, b)["rank_change"].to_dict()
    {'c': 0, 'b': 1, 'a': -2}
    """
    target = node or a.framework.id
    score_a, score_b = a.aggregated[target], b.aggregated[target]
    table = pd.DataFrame({
        "score_a": score_a, "rank_a": _rank(score_a),
    }).join(pd.DataFrame({"score_b": score_b, "rank_b": _rank(score_b)}), how="outer")
    table["rank_change"] = (table["rank_a"] - table["rank_b"]).astype("Int64")
    return table.sort_values(["rank_b", "rank_a"], na_position="last")
