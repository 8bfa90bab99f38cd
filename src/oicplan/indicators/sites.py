"""Pillar scores of candidate sites, computed by the composite-indicator engine.

:func:`score_sites` turns the dataset's latest values (and the site-level
indicators of :data:`~oicplan.indicators.framework.SITE_INDICATORS`) into a
units × indicators table with one row per site, runs
:func:`~oicplan.indicators.engine.build_index` on it, and returns
:class:`SiteScores`, the table set the ranking and the report read. With the
default settings this is the original computation: min-max to [0, 1],
available-case weighted arithmetic mean within each pillar, and screening by
``min_coverage``.

>>> from oicplan.data.dataset import load_dataset
>>> from oicplan.indicators.framework import load_framework
>>> dataset = load_dataset()
>>> sites = dataset.sites[dataset.sites["iso3"].isin(["DEU", "FRA", "ITA"])]
>>> match = pd.DataFrame({"SITE.MATCH": range(len(sites))}, index=sites["site_id"])
>>> scores = score_sites(dataset, sites, load_framework(), site_values=match)
>>> scores.pillar_matrix().shape[1], bool(scores.pillars["innovation"].between(0, 1).all())
(9, True)
>>> len(scores.sites) == len(sites)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from oicplan.data.cities import site_indicators
from oicplan.data.dataset import Dataset
from oicplan.errors import InputError
from oicplan.indicators.engine import CompositeIndex, build_index
from oicplan.indicators.framework import SITE_INDICATORS, Framework

__all__ = ["SiteScores", "score_sites", "site_inputs"]

_GROUP_COLUMNS = ("wb_region", "continent", "income_group")


@dataclass
class SiteScores:
    """Every stage of scoring a set of sites; rows are site ids (kept sites only).

    ``transformed`` is the engine's ``denominated`` table (ratio, scale and
    declared transform applied); ``normalized`` and ``pillars`` come from the
    engine; ``index`` is the full :class:`~oicplan.indicators.engine.CompositeIndex`
    (every step, weights, audit-ready).
    """

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
    index: CompositeIndex | None = None

    def pillar_matrix(self) -> pd.DataFrame:
        return self.pillars.loc[:, self.framework.pillar_ids]


def _site_level_values(
    sites: pd.DataFrame, extra: pd.DataFrame | None = None, folder: Any = None
) -> pd.DataFrame:
    """Site-level indicators from the site table, plus ``extra`` columns given by the caller.

    ``SITE.ACCESS_COST`` comes from the snapshot's routes (a gap where none was
    computed); ``SITE.MATCH`` depends on the scenario, so the caller passes it in ``extra``.
    The city-level ones (``SITE.ROR_EDUCATION``, ``SITE.ROR_FACILITY``,
    ``SITE.LARGE_AIRPORTS``) are computed from each site's coordinates and economy with
    the snapshot's ROR and airport files in ``folder``
    (:func:`oicplan.data.cities.site_indicators`).
    """
    types = sites["types"].fillna("")
    rank = pd.to_numeric(sites["gii_cluster_rank"], errors="coerce")
    access = (
        pd.to_numeric(sites["access_cost"], errors="coerce")
        if "access_cost" in sites
        else pd.Series(np.nan, index=sites.index)
    )
    if extra is not None and "SITE.ACCESS_COST" in extra:
        # Access recomputed on a disrupted transport graph (scenario transport.avoid).
        access = extra["SITE.ACCESS_COST"].reindex(sites.index)
    match = pd.Series(np.nan, index=sites.index)
    if extra is not None and "SITE.MATCH" in extra:
        match = extra["SITE.MATCH"].reindex(sites.index)
    center = types.str.contains("existing_center").astype(float)
    if extra is not None and "SITE.CENTER" in extra:
        # Established centers' performance (oicplan.monitor.feedback) scales the fact.
        factor = extra["SITE.CENTER"].reindex(sites.index)
        center = center.where(factor.isna(), center * factor)
    local = site_indicators(sites, snapshot_dir=folder)
    return pd.DataFrame(
        {
            "SITE.GII_CLUSTER": np.where(rank.notna(), 101 - rank, 0.0),
            "SITE.ZONE": types.str.contains("zone").astype(float),
            "SITE.CENTER": center,
            "SITE.RAIL_NODE": types.str.contains("rail_node").astype(float),
            "SITE.POPULATION": sites["population"].astype(float).where(sites["population"] > 0),
            "SITE.ACCESS_COST": access.to_numpy(),
            "SITE.MATCH": match.to_numpy(),
            **{code: local[code].to_numpy() for code in local.columns},
        },
        index=sites.index,
    )


def site_inputs(
    dataset: Dataset,
    sites: pd.DataFrame,
    framework: Framework,
    site_values: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The engine's inputs for ``sites``: raw values, their years, groups and sources.

    Rows are site ids. Economy-level values are the dataset's latest (so each
    is carried forward from its own year, kept in ``years``); site-level
    indicators have no year. Groups are the site's economy's ``wb_region``,
    ``continent`` and ``income_group``.
    """
    framework.check_codes(dataset)
    sites = sites.set_index("site_id", drop=False)
    codes = [code for code in framework.indicator_codes() if code not in SITE_INDICATORS]
    values, years = dataset.latest_matrix(codes)
    raw = values.reindex(sites["iso3"]).set_index(sites.index)
    year_table = years.reindex(sites["iso3"]).set_index(sites.index)
    folder = getattr(dataset, "folder", None)
    raw = pd.concat([raw, _site_level_values(sites, site_values, folder)], axis=1)
    for code in SITE_INDICATORS:
        year_table[code] = np.nan
    countries = dataset.countries
    groups = pd.DataFrame(
        {column: sites["iso3"].map(countries[column]) for column in _GROUP_COLUMNS},
        index=sites.index,
    )
    sources = {code: str(dataset.indicators.loc[code, "source"]) for code in codes}
    sources.update({code: source for code, (_, source) in SITE_INDICATORS.items()})
    sources.update({spec.code: spec.source for spec in framework.indicators() if spec.source})
    return raw, year_table, groups, sources


def score_sites(
    dataset: Dataset,
    sites: pd.DataFrame,
    framework: Framework,
    *,
    min_coverage: float = 0.5,
    site_values: pd.DataFrame | None = None,
    **settings: Any,
) -> SiteScores:
    """Score ``sites`` (rows of the dataset's site table) on every pillar of ``framework``.

    Sites whose indicator coverage (mean over pillars of the share of
    indicator weight with a value) is below ``min_coverage``, or that have a
    pillar with no value at all, are screened out; the reason is kept in
    ``screened_out``. ``site_values`` (rows = site ids) supplies site-level
    indicators that depend on the scenario, such as ``SITE.MATCH``. Further keyword arguments are
    :class:`~oicplan.indicators.engine.BuildSettings` fields (``imputation``,
    ``normalization``, ``aggregation``, ...).
    """
    sites = sites.set_index("site_id", drop=False)
    if "SITE.MATCH" in framework.indicator_codes() and (
        site_values is None or "SITE.MATCH" not in site_values
    ):
        raise InputError(
            "the framework uses SITE.MATCH: pass the match values as site_values "
            "(oicplan.rank_sites does this from the scenario's match settings)",
            field="site_values",
        )
    raw, years, groups, sources = site_inputs(dataset, sites, framework, site_values)
    index = build_index(
        framework,
        raw,
        years=years,
        groups=groups,
        sources=sources,
        min_coverage=min_coverage,
        **settings,
    )
    keep = index.units
    return SiteScores(
        framework=framework,
        sites=sites.loc[keep],
        raw=raw.loc[keep],
        years=years.loc[keep],
        sources=sources,
        transformed=index.denominated.loc[keep],
        normalized=index.normalized,
        pillars=index.pillars,
        coverage=index.coverage,
        screened_out=index.screened_out,
        index=index,
    )
