"""The indicator framework (indicator → pillar → index) and the pillar scores of sites.

A framework is a YAML tree validated by pydantic. Scoring a set of sites runs
named steps, each keeping its own table so reports can show every stage
(COINr's habit): ``raw`` (latest values, with ``years``), ``denominated``,
``transformed``, ``normalized`` (min-max to [0, 1], oriented so 1 = more of the
pillar's concept), and ``pillars`` (weighted arithmetic mean of the available
indicators, with ``coverage``). A later engine replaces the normalization and
aggregation steps; the contract (sites in, pillar table out) stays.

Site-level indicators come from the site table, not from the economy:

``SITE.GII_CLUSTER`` 101 − the best GII cluster rank listed for the city (0 if none listed),
``SITE.ZONE``, ``SITE.CENTER``, ``SITE.RAIL_NODE`` (1/0), ``SITE.POPULATION`` (GeoNames).

>>> framework = load_framework("default")
>>> [pillar.id for pillar in framework.pillars][:3]
['innovation', 'talent', 'market']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oicplan.data.dataset import Dataset
from oicplan.errors import InputError

__all__ = [
    "SITE_INDICATORS",
    "Framework",
    "IndicatorSpec",
    "PillarSpec",
    "SiteScores",
    "load_framework",
    "score_sites",
]

_FRAMEWORK_DIR = Path(__file__).parent

SITE_INDICATORS = {
    "SITE.GII_CLUSTER": ("101 minus the GII cluster rank of the city (0 if not listed)",
                         "facts/gii_clusters"),
    "SITE.ZONE": ("A Zhejiang overseas cooperation zone is at this site (1/0)",
                  "facts/zhejiang_zones"),
    "SITE.CENTER": ("A Zhejiang overseas center is at this site (1/0)",
                    "facts/zhejiang_overseas_centers"),
    "SITE.RAIL_NODE": ("A Yiwu/Jinhua China–Europe train ends at this site (1/0)",
                       "facts/yixinou_routes"),
    "SITE.POPULATION": ("City population", "geonames"),
}


class IndicatorSpec(BaseModel):
    """One indicator: its code, direction within its pillar, unit and transform."""

    model_config = ConfigDict(extra="forbid")

    code: str
    direction: Literal["max", "min"] = "max"
    weight: float = Field(1.0, gt=0)
    unit: str = ""
    denominator: str | None = None
    scale: float = 1.0
    transform: Literal["none", "log", "log1p"] = "none"


class PillarSpec(BaseModel):
    """A pillar: indicators (or, for deeper trees, sub-pillars) and how it is read."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name_en: str
    name_zh: str
    paper: str = ""
    direction: Literal["max", "min"] = "max"
    indicators: list[IndicatorSpec] = Field(min_length=1)


class Framework(BaseModel):
    """An indicator framework: named pillars of indicators."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: int = 1
    pillars: list[PillarSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        ids = [pillar.id for pillar in self.pillars]
        if len(ids) != len(set(ids)):
            raise ValueError(f"pillar ids must be unique, got {ids}")
        return self

    @property
    def pillar_ids(self) -> list[str]:
        return [pillar.id for pillar in self.pillars]

    def pillar(self, pillar_id: str) -> PillarSpec:
        for pillar in self.pillars:
            if pillar.id == pillar_id:
                return pillar
        raise InputError(f"unknown pillar {pillar_id!r}", field="pillar")

    def indicator_codes(self) -> list[str]:
        """Every code the framework reads, denominators included, without repeats."""
        codes: list[str] = []
        for pillar in self.pillars:
            for spec in pillar.indicators:
                for code in (spec.code, spec.denominator):
                    if code and code not in codes:
                        codes.append(code)
        return codes

    def check_codes(self, dataset: Dataset) -> None:
        """Every indicator must exist in the dataset (or be a site-level indicator)."""
        for pillar in self.pillars:
            for spec in pillar.indicators:
                for code in (spec.code, spec.denominator):
                    if code and code not in SITE_INDICATORS and code not in dataset.indicators.index:
                        raise InputError(
                            f"unknown indicator {code!r} in pillar {pillar.id!r}",
                            field="framework.indicators.code",
                        )


def load_framework(name_or_path: str | Path = "default") -> Framework:
    """Load a framework by name (``default``) or from a YAML file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = _FRAMEWORK_DIR / f"{name_or_path}_framework.yaml"
    if not path.is_file():
        raise InputError("framework file not found", file=str(name_or_path), field="framework")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Framework.model_validate(raw)
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML ({error})", file=str(path)) from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(first["msg"], file=str(path), field=where) from None


@dataclass
class SiteScores:
    """Every stage of scoring a set of sites; rows are site ids."""

    framework: Framework
    sites: pd.DataFrame
    raw: pd.DataFrame
    years: pd.DataFrame
    sources: dict[str, str]
    transformed: pd.DataFrame
    normalized: pd.DataFrame
    pillars: pd.DataFrame
    coverage: pd.DataFrame
    screened_out: dict[str, str] = field(default_factory=dict)

    def pillar_matrix(self) -> pd.DataFrame:
        return self.pillars.loc[:, self.framework.pillar_ids]


def _site_level_values(sites: pd.DataFrame) -> pd.DataFrame:
    types = sites["types"].fillna("")
    rank = pd.to_numeric(sites["gii_cluster_rank"], errors="coerce")
    return pd.DataFrame(
        {
            "SITE.GII_CLUSTER": np.where(rank.notna(), 101 - rank, 0.0),
            "SITE.ZONE": types.str.contains("zone").astype(float),
            "SITE.CENTER": types.str.contains("existing_center").astype(float),
            "SITE.RAIL_NODE": types.str.contains("rail_node").astype(float),
            "SITE.POPULATION": sites["population"].astype(float).where(sites["population"] > 0),
        },
        index=sites.index,
    )


def _transform(values: pd.Series, transform: str) -> pd.Series:
    if transform == "log":
        return np.log10(values.where(values > 0))
    if transform == "log1p":
        return np.log1p(values.clip(lower=0))
    return values


def _minmax(values: pd.Series, direction: str) -> pd.Series:
    low, high = values.min(), values.max()
    if not np.isfinite(low) or high == low:
        # A constant or empty indicator says nothing about the difference between sites.
        return pd.Series(np.nan, index=values.index)
    scaled = (values - low) / (high - low)
    return scaled if direction == "max" else 1.0 - scaled


def score_sites(
    dataset: Dataset,
    sites: pd.DataFrame,
    framework: Framework,
    *,
    min_coverage: float = 0.5,
) -> SiteScores:
    """Score ``sites`` (rows of the dataset's site table) on every pillar of ``framework``.

    Sites whose indicator coverage (share of indicator weight with a value) is
    below ``min_coverage``, or that have a pillar with no value at all, are
    screened out; the reason is kept in ``screened_out``.
    """
    framework.check_codes(dataset)
    sites = sites.set_index("site_id", drop=False)
    codes = [code for code in framework.indicator_codes() if code not in SITE_INDICATORS]
    values, years = dataset.latest_matrix(codes)
    raw = values.reindex(sites["iso3"]).set_index(sites.index)
    year_table = years.reindex(sites["iso3"]).set_index(sites.index)
    site_values = _site_level_values(sites)
    raw = pd.concat([raw, site_values], axis=1)
    for code in SITE_INDICATORS:
        year_table[code] = np.nan
    sources = {code: str(dataset.indicators.loc[code, "source"]) for code in codes}
    sources.update({code: source for code, (_, source) in SITE_INDICATORS.items()})

    transformed = pd.DataFrame(index=sites.index)
    normalized = pd.DataFrame(index=sites.index)
    pillar_scores = pd.DataFrame(index=sites.index)
    coverage = pd.DataFrame(index=sites.index)
    for pillar in framework.pillars:
        weighted = pd.Series(0.0, index=sites.index)
        weight_sum = pd.Series(0.0, index=sites.index)
        total = sum(spec.weight for spec in pillar.indicators)
        for spec in pillar.indicators:
            column = raw[spec.code]
            if spec.denominator:
                column = column / raw[spec.denominator].where(raw[spec.denominator] > 0)
            column = _transform(column * spec.scale, spec.transform)
            key = f"{pillar.id}:{spec.code}"
            transformed[key] = column
            normalized[key] = _minmax(column, spec.direction)
            present = normalized[key].notna()
            weighted += normalized[key].fillna(0.0) * spec.weight
            weight_sum += present * spec.weight
        pillar_scores[pillar.id] = (weighted / weight_sum).where(weight_sum > 0)
        coverage[pillar.id] = weight_sum / total

    screened_out: dict[str, str] = {}
    overall = coverage.mean(axis=1)
    for site in sites.index:
        missing = [pillar for pillar in framework.pillar_ids if pd.isna(pillar_scores.at[site, pillar])]
        if missing:
            screened_out[site] = f"no data for pillar(s) {', '.join(missing)}"
        elif overall[site] < min_coverage:
            screened_out[site] = f"indicator coverage {overall[site]:.0%} < {min_coverage:.0%}"
    keep = [site for site in sites.index if site not in screened_out]
    return SiteScores(
        framework=framework,
        sites=sites.loc[keep],
        raw=raw.loc[keep],
        years=year_table.loc[keep],
        sources=sources,
        transformed=transformed.loc[keep],
        normalized=normalized.loc[keep],
        pillars=pillar_scores.loc[keep],
        coverage=coverage.loc[keep],
        screened_out=screened_out,
    )
