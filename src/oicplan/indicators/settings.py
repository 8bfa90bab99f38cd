"""The settings of a composite-index build and the record each step keeps.

:class:`BuildSettings` holds every choice of a build (validated on creation);
:data:`STEP_NAMES` lists the steps in the order they run and
``_STEP_SETTINGS`` which settings each step reads, so a rebuild re-runs only
the steps from the first affected one (:mod:`oicplan.indicators.engine`).

>>> BuildSettings(normalization="rank").to_dict()["normalization"]
'rank'
>>> BuildSettings(imputation="median")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
oicplan.errors.InputError: field imputation: unknown imputation 'median'; choose one of ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from oicplan.errors import InputError
from oicplan.indicators.steps import AGGREGATORS, NORMALIZERS

__all__ = ["IMPUTATIONS", "STEP_NAMES", "TREATMENTS", "BuildSettings", "StepRecord"]


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


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
