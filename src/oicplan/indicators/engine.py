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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from oicplan.errors import InputError
from oicplan.indicators.framework import Framework
from oicplan.indicators.settings import (
    _STEP_SETTINGS,
    IMPUTATIONS,
    STEP_NAMES,
    TREATMENTS,
    BuildSettings,
    StepRecord,
)
from oicplan.indicators.stages import _children_table, _Inputs, _run, _walk
from oicplan.indicators.steps import rankdata

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
