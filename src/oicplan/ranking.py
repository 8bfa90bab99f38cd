"""Rank a scenario's candidate sites on the pillars of its indicator framework.

Data flows one way: dataset + scenario → candidate sites → pillar scores
(:func:`oicplan.indicators.score_sites`) → MCDA ranking over pillars
(:func:`oicplan.mcda.rank`, TOPSIS by default) → :class:`RankedSites`.

>>> from oicplan.scenario import load_scenario
>>> ranked = rank_sites(load_scenario("zhejiang"))
>>> int(ranked.table.iloc[0]["rank"])
1
>>> set(ranked.table["iso3"]) & {"CHN", "HKG"}
set()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from oicplan.data.candidates import candidate_sites
from oicplan.data.dataset import Dataset, load_dataset
from oicplan.errors import InputError
from oicplan.indicators import SiteScores, load_framework, score_sites
from oicplan.mcda import rank as mcda_rank
from oicplan.notes import note
from oicplan.pipeline_cache import (
    StageCache,
    dataset_key,
    file_key,
    frame_key,
    freeze,
    model_key,
)
from oicplan.scenario import Scenario
from oicplan.uncertainty import monte_carlo, sobol_analysis

__all__ = [
    "HOME_FACT_CODES",
    "HOME_SITE_TYPES",
    "RankedSites",
    "candidate_sites",
    "index_variants",
    "rank_sites",
    "scenario_dataset",
]

# Zhejiang's own facts, credited to a scenario only with ``home_facts: zhejiang``: the
# site types of its cooperation zones, existing centers and Yiwu/Jinhua rail
# terminals, the site columns that name them, and the economy facts counting them.
HOME_SITE_TYPES = ("zone", "existing_center", "rail_node")
HOME_SITE_COLUMNS = ("zone_name", "center_name", "rail_route")
HOME_FACT_CODES = ("OIC.ZJ_ZONES", "OIC.ZJ_CENTERS", "OIC.YIWU_RAIL")
# The framework's indicators built on them (a pillar of nothing else is left out).
HOME_INDICATORS = (*HOME_FACT_CODES, "SITE.ZONE", "SITE.CENTER", "SITE.RAIL_NODE")
# The snapshot's access columns (data/build.py) and the access_table column behind each.
_ACCESS_COLUMNS = {
    "access_mode": "best_mode", "access_from": "best_from", "access_km": "best_km",
    "access_days": "best_days", "access_cost": "best_cost",
    "access_estimated": "best_estimated", "rail_days": "rail_days", "sea_days": "sea_days",
    "air_days": "air_days", "rail_corridor": "rail_route", "sea_lane": "sea_lane",
}

# Base sample of the Sobol' sequence (a power of two); the model runs N × (D + 2) times.
_SOBOL_SAMPLES = 256


@dataclass
class RankedSites:
    """Candidate sites ranked by a scenario: one row per site, best first."""

    scenario: Scenario
    dataset_version: str
    method: str
    normalization: str
    weights: dict[str, float]
    table: pd.DataFrame
    scores: SiteScores
    notes: list[str] = field(default_factory=list)
    uncertainty: object | None = None  # MonteCarloResult when samples > 0
    match: object | None = None  # MatchResult behind the match pillar, when it is used
    # The Sobol analysis (see ``sobol``): its result once computed, the call until then.
    _sobol: object | None = field(default=None, repr=False)
    _sobol_job: Callable[[], object] | None = field(default=None, repr=False, compare=False)

    @property
    def pillar_ids(self) -> list[str]:
        return self.scores.framework.pillar_ids

    @property
    def sobol(self) -> object | None:
        """SobolResult of the scores to the weights (when samples > 0), made on first use.

        Only the report draws it; a re-rank or a quick re-plan (the API, the web
        pages) does not pay for the analysis (about half of a re-rank's time).
        """
        if self._sobol is None and self._sobol_job is not None:
            self._sobol = self._sobol_job()
            self._sobol_job = None
        return self._sobol


def _without_home_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Sites without Zhejiang's site types and names; sites left with no type are dropped."""
    from oicplan.data.sites import SITE_TYPE_PRIORITY

    types = sites["types"].fillna("").str.split(";").map(
        lambda found: [t for t in found if t and t not in HOME_SITE_TYPES])
    kept = types.map(bool)
    out = sites[kept].copy()
    out["types"] = types[kept].map(";".join)
    out["site_type"] = types[kept].map(
        lambda found: next(t for t in SITE_TYPE_PRIORITY if t in found))
    for column in HOME_SITE_COLUMNS:
        if column in out:
            out[column] = np.nan
    return out.reset_index(drop=True)


def _hub_access(hubs) -> pd.DataFrame:
    """The snapshot's access columns, computed on the transport graph of ``hubs``."""
    from oicplan.geo import access_table, transport_graph

    table = access_table(transport_graph(hubs)).set_index("site_id")
    return pd.DataFrame({ours: table[theirs] for ours, theirs in _ACCESS_COLUMNS.items()})


def scenario_dataset(dataset: Dataset, scenario: Scenario) -> Dataset:
    """The dataset as ``scenario`` sees it: access from its hubs, home facts if it names them.

    The snapshot's site access (``access_cost``, ``access_days`` ...) is the
    precomputed access from the ``zhejiang`` scenario's hubs; a scenario with other
    hubs (names, places or modes) or its own transport cost index (``transport.*``
    assumptions) gets its own, from its transport graph
    (:func:`oicplan.geo.transport_graph`). Without ``home_facts: zhejiang``,
    Zhejiang's zones, existing centers and rail terminals are not credited: their
    site types and names are removed (a site that was only that is no candidate),
    and the economy facts :data:`HOME_FACT_CODES` are left out (so
    :func:`oicplan.domain.eligible_strategies` finds none; :func:`rank_sites` also
    leaves the indicators built on them out of the framework). Returns ``dataset`` itself
    when nothing changes (every built-in scenario), else a view of it (same version
    and files) whose ``sites`` and ``latest`` are the scenario's.

    >>> from oicplan.scenario import load_scenario
    >>> dataset = load_dataset()
    >>> scenario_dataset(dataset, load_scenario("zhejiang")) is dataset
    True
    """
    import copy

    from oicplan.assumptions import applied
    from oicplan.geo import default_hubs, hub_specs
    from oicplan.geo.assumptions import cost_key, costs_overridden

    own_hubs = hub_specs(scenario.hubs) != default_hubs()
    with applied(scenario.assumptions):  # its transport cost index (transport.*), if it sets one
        own_costs = costs_overridden()
        costs = cost_key() if own_costs else None
    home = scenario.home_facts == "zhejiang"
    unconfirmed = scenario.facts.include_unconfirmed
    key = (hub_specs(scenario.hubs), scenario.home_facts, unconfirmed, costs)
    if (not own_hubs and not own_costs and home and not unconfirmed) or getattr(
        dataset, "_scenario_view", None
    ) == key:
        return dataset
    base = getattr(dataset, "_base_dataset", dataset)
    sites, latest = base.sites, base.latest
    if unconfirmed:
        sites, latest = base.sites_with_unconfirmed, _with_unconfirmed(latest)
    if own_hubs or own_costs:
        with applied(scenario.assumptions):
            access = _hub_access(scenario.hubs)
        sites = sites.drop(columns=[c for c in _ACCESS_COLUMNS if c in sites])
        sites = sites.merge(access, left_on="site_id", right_index=True, how="left")
    if not home:
        sites = _without_home_sites(sites)
        latest = latest[~latest["indicator"].isin(HOME_FACT_CODES)].reset_index(drop=True)
    view = copy.copy(base)
    view.__dict__.update(sites=sites, latest=latest, _scenario_view=key, _base_dataset=base)
    return view


def _with_unconfirmed(latest: pd.DataFrame) -> pd.DataFrame:
    """``latest`` whose zone and center counts include the unconfirmed rows (the ``_ALL`` codes)."""
    from oicplan.data.facts import UNCONFIRMED_VARIANTS

    variants = {full: code for code, full in UNCONFIRMED_VARIANTS.items()}
    kept = latest[~latest["indicator"].isin([*UNCONFIRMED_VARIANTS, *variants])]
    full = latest[latest["indicator"].isin(list(variants))]
    full = full.assign(indicator=full["indicator"].map(variants))
    return pd.concat([kept, full], ignore_index=True)


def _without_home_indicators(framework):
    """The framework without :data:`HOME_INDICATORS`, and the pillars left with none."""
    from oicplan.indicators.framework import Framework

    def prune(node: dict) -> dict | None:
        if node.get("indicators"):
            kept = [spec for spec in node["indicators"] if spec["code"] not in HOME_INDICATORS]
            return {**node, "indicators": kept} if kept else None
        children = [child for child in map(prune, node.get("children", [])) if child]
        return {**node, "children": children} if children else None

    raw = framework.model_dump()
    pillars = [prune(pillar) for pillar in raw["pillars"]]
    gone = [p["id"] for p, kept in zip(raw["pillars"], pillars, strict=True) if kept is None]
    if pillars == raw["pillars"]:
        return framework, gone
    try:
        return Framework.model_validate({**raw, "pillars": [p for p in pillars if p]}), gone
    except ValueError as error:
        raise InputError(
            f"the framework cannot drop Zhejiang's facts ({', '.join(HOME_INDICATORS)}) for a "
            f"scenario without home_facts: {error}; use a framework without them",
            field="framework",
        ) from None


def _pillar_weights(
    scenario: Scenario, pillar_ids: list[str], ignore: list[str] = ()
) -> dict[str, float]:
    """Weights normalized over ``pillar_ids``; weights of the ``ignore`` pillars are dropped."""
    unknown = sorted(set(scenario.weights) - set(pillar_ids) - set(ignore))
    if unknown:
        raise InputError(
            f"weight given for unknown pillar(s) {', '.join(unknown)}; "
            f"the framework's pillars are {', '.join(pillar_ids)}",
            field=f"weights.{unknown[0]}",
        )
    total = sum(scenario.weights.get(pillar, 0.0) for pillar in pillar_ids)
    return {pillar: scenario.weights.get(pillar, 0.0) / total for pillar in pillar_ids}


def index_variants(
    scores: SiteScores, pillars: list[str], variants: list[dict]
) -> dict[str, np.ndarray] | None:
    """Pillar matrices of alternative index builds, for Monte Carlo to draw among.

    Each variant rebuilds the composite index with some settings changed (imputation,
    outlier treatment, normalization, aggregation, ...); sites screened out by any
    build are left out of all of them, so every matrix has the same rows. Returns
    None without variants.
    """
    if not variants:
        return None
    builds = {"base": scores.index}
    for number, changes in enumerate(variants, start=1):
        label = ", ".join(f"{key}={value}" for key, value in changes.items()) or f"v{number}"
        try:
            builds[label] = scores.index.rebuild(**changes)
        except (TypeError, ValueError, InputError) as error:
            raise InputError(
                f"variant {label!r}: {getattr(error, 'message', error)}",
                field="uncertainty.variants",
            ) from None
    sites = list(scores.pillar_matrix().index)
    for build in builds.values():
        sites = [site for site in sites if site in build.pillars.index]
    if len(sites) != len(scores.pillar_matrix()):
        raise InputError(
            "an index variant screens out sites the base build keeps; variants must keep "
            "the same sites",
            field="uncertainty.variants",
        )
    return {
        label: build.pillars.loc[sites, pillars].to_numpy(float)
        for label, build in builds.items()
    }


def _match_values(scenario: Scenario, dataset: Dataset, sites: pd.DataFrame):
    """The match of Zhejiang's industries with each site, and its mean as ``SITE.MATCH``."""
    from oicplan.match import match_matrix

    match = match_matrix(
        scenario,
        preset=scenario.match.preset,
        dataset=dataset,
        field_data=scenario.match.field_data,
        sites=sites,
    )
    # Rows are industries, columns site ids; a gap in a cell stays out of the mean.
    values = pd.DataFrame({"SITE.MATCH": match.matrix.mean(axis=0)})
    return match, values


def _site_values(
    scenario: Scenario, match, center_performance: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The scenario's site-level indicator values: match, disrupted access, centers' feedback."""
    site_values = None
    if match is not None:
        # Rows are industries, columns site ids; a gap in a cell stays out of the mean.
        site_values = pd.DataFrame({"SITE.MATCH": match.matrix.mean(axis=0)})
    if scenario.transport.avoid:
        from oicplan.assumptions import applied

        with applied(scenario.assumptions):  # its cost index, if it sets one
            disrupted = _disrupted_access(scenario.transport.avoid, scenario.hubs)
        site_values = disrupted if site_values is None else site_values.join(disrupted, how="outer")
    if center_performance is not None and len(center_performance):
        feedback = center_performance[["factor"]].rename(columns={"factor": "SITE.CENTER"})
        site_values = feedback if site_values is None else site_values.join(feedback, how="outer")
    return site_values


# Weight-free stages kept between runs of a process and on disk (oicplan.pipeline_cache).
_FRAMEWORK_CACHE = StageCache("framework", maxsize=4, disk=True)
_MATCH_CACHE = StageCache("match matrix", maxsize=4, disk=True)
_SCORES_CACHE = StageCache("indicator build", maxsize=4, disk=True)


def _cached_framework(name_or_path: str):
    """:func:`oicplan.indicators.load_framework`, read once per file (path, time, size)."""
    from pathlib import Path

    # A name (no suffix) is one of the package's own frameworks; a path is the user's file.
    key = (name_or_path, file_key(name_or_path) if Path(name_or_path).suffix else None)
    return _FRAMEWORK_CACHE.get(key, lambda: load_framework(name_or_path)).model_copy(deep=True)


def _match_key(scenario: Scenario, dataset: Dataset) -> tuple | None:
    """What the match matrix reads: the dataset's view, candidates, preset, field data."""
    data = dataset_key(dataset)
    if data is None:
        return None
    return (
        data,
        model_key(scenario.candidates),
        scenario.match.preset,
        file_key(scenario.match.field_data),
    )


def _cached_match(scenario: Scenario, dataset: Dataset, sites: pd.DataFrame):
    """:func:`oicplan.match.match_matrix` of the candidates, computed once per its inputs."""

    from oicplan.match.taxonomy import load_taxonomy

    def build():
        match = _match_values(scenario, dataset, sites)[0]
        # Explanations and home strengths are nested dicts: frozen once, shared after.
        # The match is made with the shipped taxonomy (load_taxonomy(), one object per
        # process, which the network compares by identity): it is put back on reading,
        # so the disk cache does not keep a copy of it.
        return replace(
            match,
            explanations=freeze(match.explanations),
            home=freeze(match.home),
            taxonomy=None if match.taxonomy is load_taxonomy() else match.taxonomy,
        )

    match = _MATCH_CACHE.get(_match_key(scenario, dataset), build)
    return replace(
        match,
        taxonomy=match.taxonomy or load_taxonomy(),
        sites=match.sites.copy(deep=False),
        matrix=match.matrix.copy(deep=False),
        strengths=replace(
            match.strengths,
            strength=match.strengths.strength.copy(deep=False),
            basis=match.strengths.basis.copy(deep=False),
            signals=match.strengths.signals.copy(deep=False),
            user=None if match.strengths.user is None else match.strengths.user.copy(deep=False),
        ),
        notes=list(match.notes),
    )


def _cached_scores(
    scenario: Scenario,
    dataset: Dataset,
    sites: pd.DataFrame,
    framework,
    match,
    center_performance: pd.DataFrame | None,
) -> SiteScores:
    """:func:`oicplan.indicators.score_sites` of the candidates, computed once per its inputs.

    Keyed by the dataset's view, the candidate filter, the framework (after home facts
    are dropped), the index settings, the match inputs, the closed corridors and their
    hubs, and the established centers' performance.
    """
    match_part = None if match is None else _match_key(scenario, dataset)
    data = dataset_key(dataset)
    key = None
    if data is not None and (match is None or match_part is not None):
        key = (
            data,
            model_key(scenario.candidates),
            model_key(framework),
            model_key(scenario.index_settings),
            match_part,
            model_key(scenario.transport.avoid),
            model_key(scenario.hubs) if scenario.transport.avoid else None,
            frame_key(None if center_performance is None else center_performance[["factor"]]),
        )

    def build() -> SiteScores:
        return score_sites(
            dataset,
            sites,
            framework,
            min_coverage=scenario.candidates.min_coverage,
            site_values=_site_values(scenario, match, center_performance),
            **scenario.index_settings,
        )

    scores = _SCORES_CACHE.get(key, build)
    shallow = {
        name: getattr(scores, name).copy(deep=False)
        for name in ("sites", "raw", "years", "transformed", "normalized", "pillars", "coverage")
    }
    return replace(
        scores,
        framework=framework,
        sources=dict(scores.sources),
        screened_out=dict(scores.screened_out),
        **shallow,
    )


def _disrupted_access(avoid: list[str], hubs=None) -> pd.DataFrame:
    """Each site's best-route cost on the transport graph of ``hubs`` with ``avoid`` closed."""
    from oicplan.geo import access_table, close, closure_plan, transport_graph

    graph = close(transport_graph(hubs), **closure_plan(avoid, field="transport.avoid"))
    table = access_table(graph).set_index("site_id")
    return pd.DataFrame({"SITE.ACCESS_COST": table["best_cost"].astype(float)})


def rank_sites(
    scenario: Scenario,
    dataset: Dataset | None = None,
    *,
    center_performance: pd.DataFrame | None = None,
) -> RankedSites:
    """Score and rank the scenario's candidate sites (rank 1 = best).

    ``center_performance`` (from :func:`oicplan.monitor.feedback.center_site_performance`,
    a ``factor`` per site_id) feeds the established centers' KPI performance back
    into the site-level indicator ``SITE.CENTER``.
    """
    dataset = scenario_dataset(dataset or load_dataset(), scenario)
    framework = _cached_framework(scenario.framework)
    notes_home: list[str] = []
    gone: list[str] = []
    if scenario.home_facts != "zhejiang":
        framework, gone = _without_home_indicators(framework)
        notes_home.append(
            note("home_facts_off_pillars", pillars=", ".join(gone))
            if gone
            else note("home_facts_off")
        )
    sites = candidate_sites(dataset, scenario)
    if sites.empty:
        raise InputError("no candidate sites pass the scenario's filter", field="candidates")
    match = None
    if "SITE.MATCH" in framework.indicator_codes():
        match = _cached_match(scenario, dataset, sites)
    notes_transport = []
    if scenario.transport.avoid:
        notes_transport.append(
            note("corridors_closed", corridors=", ".join(scenario.transport.avoid))
        )
    if center_performance is not None and len(center_performance):
        notes_feedback = [
            note("center_feedback", site=site, factor=f"{row.factor:g}")
            for site, row in center_performance.iterrows()
            if row.factor < 1
        ]
    else:
        notes_feedback = []
    scores = _cached_scores(scenario, dataset, sites, framework, match, center_performance)
    if len(scores.sites) < 2:
        raise InputError(
            "fewer than two candidate sites have enough data to rank", field="candidates"
        )
    weights = _pillar_weights(scenario, framework.pillar_ids, ignore=gone)
    notes = notes_home + notes_transport + list(notes_feedback)
    matrix = scores.pillar_matrix()
    used = [p for p in framework.pillar_ids if weights[p] > 0]
    constant = [p for p in used if np.ptp(matrix[p].to_numpy()) == 0]
    for pillar in constant:
        notes.append(note("pillar_constant", pillar=pillar))
    used = [p for p in used if p not in constant]
    types = [framework.pillar(p).direction for p in used]
    result = mcda_rank(
        matrix[used].to_numpy(),
        [weights[p] for p in used],
        types,
        method=scenario.ranking.method,
        normalization=scenario.ranking.normalization,
        alternatives=list(matrix.index),
        criteria=used,
        **scenario.ranking.params,
    )
    table = scores.sites[
        ["site_id", "name", "iso3", "lat", "lon", "site_type", "types", "population"]
        + ["gii_cluster", "gii_cluster_rank", "zone_name", "center_name", "rail_route"]
    ].copy()
    countries = dataset.countries
    table.insert(3, "country_en", table["iso3"].map(countries["name_en"]))
    table.insert(4, "country_zh", table["iso3"].map(countries["name_zh"]))
    # The Chinese name and its source (oicplan.data.names_zh), read from the dataset.
    names_zh = dataset.sites.set_index("site_id")
    for column in ("name_zh", "name_zh_source"):
        if column in names_zh:
            table[column] = table["site_id"].map(names_zh[column])
    table["score"] = np.asarray(result.scores, dtype=float)
    table["rank"] = np.asarray(result.ranks, dtype=int)
    table["coverage"] = scores.coverage.mean(axis=1)
    for pillar in framework.pillar_ids:
        table[f"pillar_{pillar}"] = matrix[pillar]
    uncertainty = sobol_job = None
    settings = scenario.uncertainty
    if settings.samples > 0:
        uncertainty = monte_carlo(
            index_variants(scores, used, settings.variants) or matrix[used].to_numpy(),
            [weights[p] for p in used],
            types,
            method=scenario.ranking.method,
            samples=settings.samples,
            spread=settings.spread,
            normalizations=settings.normalizations or [result.normalization],
            top_k=min(settings.top_k, len(matrix)),
            seed=settings.seed,
            alternatives=list(matrix.index),
            criteria=used,
            **scenario.ranking.params,
        )
        sobol_job = partial(
            sobol_analysis,
            matrix[used].to_numpy(copy=True),  # the inputs as they are now
            [weights[p] for p in used],
            types,
            method=scenario.ranking.method,
            samples=_SOBOL_SAMPLES,
            spread=settings.spread if settings.spread > 0 else 0.2,
            normalizations=settings.normalizations or [result.normalization],
            seed=settings.seed,
            alternatives=list(matrix.index),
            criteria=used,
            **scenario.ranking.params,
        )
        intervals = uncertainty.to_frame()
        for column in ("median_rank", "rank_p5", "rank_p95", "top_k_frequency"):
            table[column] = intervals[column].reindex(table.index).to_numpy()
    table = table.rename_axis(None).sort_values(["rank", "site_id"]).reset_index(drop=True)
    if scores.screened_out:
        notes.append(note("sites_screened", n=len(scores.screened_out)))
    return RankedSites(
        scenario=scenario,
        dataset_version=dataset.version,
        method=result.method,
        normalization=result.normalization,
        weights=weights,
        table=table,
        scores=scores,
        notes=notes,
        uncertainty=uncertainty,
        _sobol_job=sobol_job,
        match=match,
    )
