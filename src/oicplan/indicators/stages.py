"""The steps of a composite-index build, each a function of the inputs, settings and state.

Each ``_step_<name>`` reads the inputs, the framework, the settings and the
tables of the steps before it, and returns its own tables with a
:class:`~oicplan.indicators.settings.StepRecord`; ``_run`` strings them together
in the order of :data:`~oicplan.indicators.settings.STEP_NAMES`, reusing the
outputs of a previous build before ``start``. :mod:`oicplan.indicators.engine`
wraps the result in a :class:`~oicplan.indicators.engine.CompositeIndex`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InputError
from oicplan.indicators.framework import Framework, IndicatorSpec, Node
from oicplan.indicators.settings import STEP_NAMES, BuildSettings, StepRecord
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
from oicplan.notes import note


@dataclass(frozen=True)
class _Inputs:
    raw: pd.DataFrame
    years: pd.DataFrame
    groups: pd.DataFrame
    sources: Mapping[str, str]


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


def _age_limits(fw: Framework, s: BuildSettings, columns: pd.Index) -> pd.Series:
    """Per indicator, the oldest age kept: the settings' ``max_age``, else the framework's."""
    if s.max_age is not None:
        return pd.Series(float(s.max_age), index=columns)
    limits = {code: fw.max_age_for(code) for code in columns}
    return pd.Series({code: np.nan if limit is None else float(limit)
                      for code, limit in limits.items()}, index=columns, dtype=float)


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
    limits = _age_limits(fw, s, raw.columns)
    old = ages.gt(limits, axis="columns")
    if old.any().any():
        rule = (f"older than {s.max_age} years" if s.max_age is not None
                else "older than their indicator's maximum age")
        notes.append(f"{int(old.sum().sum())} value(s) {rule} ignored")
    raw = raw.where(~old)
    ages = ages.where(raw.notna())
    params = {"max_age": s.max_age, "reference_year": s.reference_year,
              "max_age_by_indicator": {code: int(v) for code, v in limits.dropna().items()}}
    return {"raw": raw, "ages": ages, "_record": StepRecord("raw", params, tuple(notes))}


def _columns(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each column of a float table as a numpy vector (one conversion for the whole table)."""
    values = table.to_numpy(dtype=float)
    return {code: values[:, position] for position, code in enumerate(table.columns)}


def _denominate(raw: dict[str, np.ndarray], spec: IndicatorSpec) -> np.ndarray:
    """``transform(value / denominator * scale)`` of one indicator (NaN where undefined)."""
    column = raw[spec.code]
    with np.errstate(all="ignore"):
        if spec.denominator:
            divisor = raw[spec.denominator]
            column = column / np.where(divisor > 0, divisor, np.nan)
        column = column * spec.scale
        if spec.transform == "log":
            column = np.log10(np.where(column > 0, column, np.nan))
        elif spec.transform == "log1p":
            column = np.log1p(np.clip(column, 0, None))
    return column


def _step_denominated(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    raw = state["raw"]
    vectors = _columns(raw)
    columns: dict[str, np.ndarray] = {}
    for spec in fw.indicators():
        for code in (spec.code, spec.denominator):
            if code and code not in vectors:
                raise InputError(f"no data column for indicator {code!r}", field=code)
        columns[spec.code] = _denominate(vectors, spec)
    table = pd.DataFrame(columns, index=raw.index) if columns else pd.DataFrame(index=raw.index)
    params = {spec.code: {"denominator": spec.denominator, "scale": spec.scale,
                          "transform": spec.transform}
              for spec in fw.indicators() if spec.denominator or spec.transform != "none"
              or spec.scale != 1.0}
    return {"denominated": table, "_record": StepRecord("denominated", params)}


def _step_screened(inputs: _Inputs, fw: Framework, s: BuildSettings, state: dict) -> dict:
    data = state["denominated"]
    n_units = len(data.index)
    dropped: dict[str, str] = {}
    vectors = _columns(data)
    for code, column in vectors.items():
        present = column[~np.isnan(column)]
        share = len(present) / n_units if n_units else 0.0
        if share < s.min_indicator_coverage:
            dropped[code] = (f"data for {share:.0%} of units < "
                             f"{s.min_indicator_coverage:.0%}")
        elif present.size == 0 or present.min() == present.max():  # fewer than 2 values
            dropped[code] = "no variation across units"
    # 1.0 where a kept indicator has a value (the old ``notna()`` table, as numbers)
    present = {code: (~np.isnan(column)).astype(float) for code, column in vectors.items()
               if code not in dropped}
    shares_of: dict[str, np.ndarray] = {}
    for pillar in fw.pillars:
        total: Any = 0
        for code, share in _leaf_weights(pillar).items():
            total = total + (present[code] * share if code in present else 0.0)
        shares_of[pillar.id] = (total if isinstance(total, np.ndarray)
                                else np.full(n_units, float(total)))
    coverage = pd.DataFrame(shares_of, index=data.index, dtype=float)
    units_out: dict[str, str] = {}
    overall = coverage.mean(axis=1).to_numpy()
    pillar_ids = list(fw.pillar_ids)
    empty_cells = coverage[pillar_ids].to_numpy() == 0
    for position, unit in enumerate(data.index):
        empty = [p for p, none in zip(pillar_ids, empty_cells[position], strict=True) if none]
        if s.require_every_pillar and empty:
            units_out[unit] = note("no_pillar_data", pillars=", ".join(empty))
        elif overall[position] < s.min_coverage:
            units_out[unit] = note("low_coverage", coverage=f"{overall[position]:.0%}",
                                   minimum=f"{s.min_coverage:.0%}")
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
            action = result.action
            if np.unique(result.values).size < 2 <= np.unique(present.to_numpy()).size:
                # A rare dummy (4 zone sites in 350) winsorised to one value would vanish
                # from the index: treatment tames outliers, it must not erase an indicator.
                result = dataclasses.replace(result, values=present.to_numpy(), winsorised=())
                action = "none (winsorising would leave a single value)"
            treated.loc[present.index, code] = result.values
            rows.append({
                "indicator": code, "action": action,
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
    vectors = _columns(data)
    columns: dict[str, np.ndarray] = {}
    for spec in fw.indicators():
        if spec.code not in vectors:
            continue
        try:
            columns[spec.code] = normalize(vectors[spec.code], spec.direction, low=low,
                                           high=high, goalposts=spec.goalposts,
                                           target=spec.target)
        except ValueError as error:
            raise InputError(f"{error} (indicator {spec.code})",
                             field=f"indicators[{spec.code}]") from None
    table = pd.DataFrame(columns, index=data.index) if columns else pd.DataFrame(index=data.index)
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
