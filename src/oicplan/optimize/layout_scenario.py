"""The scenario adapter of the layout model: a ranked scenario as model inputs.

:func:`from_ranking` (behind :meth:`Layout.from_ranking
<oicplan.optimize.layout.Layout.from_ranking>`) turns the ranking of a
scenario's candidate sites into the arrays of the model: admissible modes and
rule modes from :mod:`oicplan.domain`, site quality from the score and the
modes' fit, demands (industries or enterprise classes) and their match, costs
from the cost model or a cost file, strategy and region minimums. The ranked
object is taken as it comes (duck-typed: ``scenario``, ``table``, ``method``,
``notes`` and, optionally, ``match``), so this layer does not import the pipeline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from oicplan.assumptions import default, value
from oicplan.domain import (
    CENTER_MODES,
    STRATEGIES,
    admissible_modes,
    assign_mode,
    eligible_strategies,
)
from oicplan.errors import InputError
from oicplan.notes import note
from oicplan.optimize.layout_inputs import GroupRule

__all__ = [
    "MODE_FIT_WEIGHT",
    "OTHER_MODE_FACTOR",
    "PLACEHOLDER_CAPACITY",
    "PLACEHOLDER_COSTS",
    "PLACEHOLDER_INDUSTRIES",
    "from_ranking",
    "mode_fit_key",
    "mode_fit_table",
    "region_members",
]

#: Illustrative cost of a center by mode, (set-up, annual running), in millions of
#: whatever unit the other costs of the model use: round assumptions, not data.
#: ``from_ranking`` uses them only with ``model_costs=False`` for options the user's
#: cost table leaves out (the cost model, in US$ million, is the default), and
#: its ``assumptions`` say so.
PLACEHOLDER_COSTS: dict[str, tuple[float, float]] = {
    "offshore_rd_center": (50.0, 20.0),
    "offshore_incubator": (8.0, 4.0),
    "joint_lab": (12.0, 6.0),
    "zone_upgrade": (30.0, 8.0),
    "corridor_hub": (25.0, 7.0),
}

#: Assumed number of home industries a center of each mode can serve (placeholder).
PLACEHOLDER_CAPACITY: dict[str, int] = {
    "offshore_rd_center": 3,
    "offshore_incubator": 2,
    "joint_lab": 2,
    "zone_upgrade": 4,
    "corridor_hub": 4,
}

#: Home industries used as demands by :meth:`Layout.from_ranking` until the
#: industry-technology matching exists (all with priority 1; placeholder).
PLACEHOLDER_INDUSTRIES = (
    "digital_economy",
    "high_end_equipment",
    "new_materials",
    "life_sciences",
    "new_energy_vehicles",
    "modern_consumer_goods",
)

#: Share of the site score that a mode other than the rule mode of
#: :func:`oicplan.domain.assign_mode` gets as quality: the stated default of
#: ``layout.other_mode_factor`` (:mod:`oicplan.assumptions`, with its reason; the
#: model reads the value in force there, so a scenario's override reaches it).
OTHER_MODE_FACTOR = default("layout.other_mode_factor")

#: Weight of a mode's fit at a site (:func:`oicplan.match.modes.mode_scores`, the
#: mode's pillar profile, 0-1) in the quality of that option: quality = score x
#: rule factor x (1 - w + w x fit), so among the modes a site admits the one whose
#: pillars fit it best earns most. The stated default of ``layout.mode_fit_weight``.
MODE_FIT_WEIGHT = default("layout.mode_fit_weight")


def _model_costs(
    dataset: Any, table: pd.DataFrame, modes: list[str], table_costs: pd.DataFrame | None = None
):
    """Set-up and annual cost per site and mode from the cost model, in US$ million.

    ``table_costs``: the cost model's table for these sites and modes, when the
    caller has it (:func:`oicplan.finance.cost.site_mode_costs`); else it is computed.
    """
    from oicplan.finance.cost import site_mode_costs

    if table_costs is None:
        costs = site_mode_costs(dataset, table[["site_id", "iso3", "name"]], modes)
    else:
        wanted = table_costs["site_id"].isin(table["site_id"]) & table_costs["mode"].isin(modes)
        costs = table_costs[wanted]
    costs = costs[["site_id", "mode", "setup_cost", "annual_cost", "currency", "price_year"]]
    costs = costs.assign(
        setup_cost=costs["setup_cost"] / 1e6, annual_cost=costs["annual_cost"] / 1e6
    )
    currency = costs["currency"].dropna().iloc[0] if costs["currency"].notna().any() else "USD"
    year = int(costs["price_year"].dropna().iloc[0]) if costs["price_year"].notna().any() else None
    return costs, note("model_costs", currency=currency, year=year)


def region_members(iso3: Sequence[str], region: str, dataset: Any = None):
    """Which sites (by their economy's ISO3 code) lie in ``region``, and a note on gaps.

    ``region`` is a continent as GeoNames gives it (``Africa``, ``Asia``,
    ``Europe``, ``North America``, ``Oceania``, ``South America``) or a World
    Bank region (``East Asia & Pacific``, ``Europe & Central Asia``, ``Latin
    America & Caribbean``, ``Middle East & North Africa``, ``South Asia``,
    ``Sub-Saharan Africa``); case is ignored. The snapshot has World Bank regions
    only for Belt and Road partners (the GFDC list), so for a World Bank region
    the note says how many of the sites have none; an unknown name raises
    :class:`InputError` listing the names that exist.

    >>> mask, gap = region_members(["DEU", "KAZ", "EGY"], "europe")
    >>> mask.tolist(), gap
    ([True, False, False], None)
    >>> region_members(["DEU", "KAZ"], "Europe & Central Asia")[0].tolist()
    [False, True]
    """
    from oicplan.data.dataset import load_dataset

    countries = (dataset or load_dataset()).countries.set_index("iso3")
    codes = pd.Series(list(iso3), dtype=object)
    wanted = region.strip().casefold()
    for column, kind in (("continent", "continent"), ("wb_region", "World Bank region")):
        names = countries[column].dropna()
        if wanted in set(names.str.casefold()):
            of_site = codes.map(countries[column])
            mask = (of_site.fillna("").str.casefold() == wanted).to_numpy(bool)
            missing = int(of_site.isna().sum())
            gap = None
            if column == "wb_region" and missing:
                gap = note("region_gap", region=region, kind=kind, missing=missing,
                           total=len(codes))
            return mask, gap
    known = sorted(set(countries["continent"].dropna()) | set(countries["wb_region"].dropna()))
    raise InputError(
        f"unknown region {region!r}; use a continent or World Bank region: {', '.join(known)}",
        field="min_per_region",
    )


def mode_fit_table(table: pd.DataFrame) -> pd.DataFrame:
    """Fit (0-1) of every center mode at every site of a ranked table, site_id x mode.

    From :func:`oicplan.match.modes.mode_scores`, which reads each site's own row
    (types, cluster rank, pillar scores), not the ranking score.
    """
    from oicplan.match.modes import mode_scores

    return mode_scores(table).pivot(index="site_id", columns="mode", values="fit")


def mode_fit_key() -> tuple:
    """What :func:`mode_fit_table` reads besides the table: the fit weights in force.

    >>> mode_fit_key()[0]
    ('offshore_rd_center', (('innovation', 0.5), ('talent', 0.25), ('cluster', 0.25)))
    """
    from oicplan.match.modes import fit_weights

    return tuple((mode, tuple(parts.items())) for mode, parts in fit_weights().items())


def _mode_fit(
    table: pd.DataFrame, modes: list[str], fit: pd.DataFrame | None = None
) -> np.ndarray:
    """Fit (0-1) of every mode at every site of a ranked table, sites x modes."""
    if fit is None:
        fit = mode_fit_table(table)
    return fit.reindex(index=table["site_id"], columns=modes).fillna(0.0).to_numpy(float)


def _enterprise_demand(enterprises, match, dataset, site_ids, n_modes):
    """Demand classes of enterprises for :meth:`Layout.from_ranking` (see there)."""
    from oicplan.match.assign import enterprise_demands

    sites = dataset.sites.set_index("site_id")
    days = sites["access_days"].reindex(site_ids) if "access_days" in sites else None
    access = None if days is None or days.isna().any() else days
    demands = enterprise_demands(enterprises, match, site_ids, access)
    classes = demands.classes
    utility = demands.utility.reindex(columns=site_ids).to_numpy(float)
    match_array = np.broadcast_to(
        np.clip(utility, 0.0, None)[:, :, None], (*utility.shape, n_modes)
    )
    counts = classes["enterprises"].to_numpy(float)
    industries = classes["industry"].nunique()
    priority = counts / counts.sum() * industries
    text = note(
        "demand", enterprises=int(counts.sum()), classes=len(classes), industries=industries,
        synthetic="; SYNTHETIC illustrative sample" if demands.synthetic else "",
        access="" if access is None
        else f" minus {value('assign.access_weight'):g} x best-mode access days / max",
    )
    return classes["demand"].tolist(), match_array, priority, counts, text


def _capacity_of(capacity, of_enterprises: bool, modes: list[str], assumptions: list[str]):
    """The capacity argument of :meth:`Layout.from_arrays` for ``from_ranking``.

    A mapping may leave modes out: they have no capacity limit.
    """
    if capacity is False or capacity is None:
        return None
    if capacity is True:
        return PLACEHOLDER_CAPACITY
    unit = "enterprises" if of_enterprises else "industries"
    if isinstance(capacity, Mapping):
        unknown = sorted(set(capacity) - set(modes))
        if unknown:
            raise InputError(
                f"capacity for unknown mode {unknown[0]!r}; modes: {', '.join(modes)}",
                field="capacity",
            )
        text = note("capacity", unit=unit, capacity=", ".join(
            f"{mode} {value}" for mode, value in capacity.items()))
        capacity = {mode: capacity.get(mode, math.inf) for mode in modes}
    else:
        text = note("capacity_all", unit=unit, n=capacity)
    assumptions.append(text)
    return capacity


def _diversity(table: pd.DataFrame, dataset: Any, assumptions: list[str]):
    """The diminishing return and each site's diversity group (economy or cross-border region).

    ``layout.diminishing_return`` and ``layout.city_region_km`` from
    :mod:`oicplan.assumptions` (a scenario may set them); the note goes to ``assumptions``.
    """
    from oicplan.optimize.layout_diversify import diversity_groups

    delta = value("layout.diminishing_return")
    if delta >= 1:
        return None, None
    km = value("layout.city_region_km")
    sites = dataset.sites.set_index("site_id")
    where = sites.reindex(table["site_id"])
    lat = table["lat"] if "lat" in table else where["lat"]
    lon = table["lon"] if "lon" in table else where["lon"]
    population = where.get("population")
    groups, crossing = diversity_groups(table["iso3"].tolist(), lat.to_numpy(float),
                                        lon.to_numpy(float), population, km)
    ids = table["site_id"].tolist()
    across = "".join(
        f"; {' + '.join(ids[i] for i in region['sites'])} -> {region['economy']}"
        for region in crossing)
    assumptions.append(note("diminishing_return", delta=f"{delta:g}", km=f"{km:g}",
                            crossing=across))
    return delta, groups


def from_ranking(
    layout_class: Any,
    ranked: Any,
    *,
    dataset: Any = None,
    max_centers: int | None = None,
    budget: float | None = None,
    horizon: int | None = None,
    annual_budget: Any = None,
    costs: pd.DataFrame | None = None,
    min_per_strategy: int | Mapping[str, int] | None = 1,
    min_per_region: Mapping[str, int] | None = None,
    per_country_cap: int | None = None,
    include_existing: bool = True,
    quality_weight: float = 1.0,
    max_mean_risk: float | None = None,
    max_total_risk: float | None = None,
    capacity: bool | int | Mapping[str, int] = False,
    first_year: int | None = None,
    model_costs: bool = True,
    enterprises: pd.DataFrame | None = None,
    eligible: pd.Series | None = None,
    site_costs: pd.DataFrame | None = None,
    mode_fit: pd.DataFrame | None = None,
) -> Any:
    """Build the model for a scenario from its ranked candidate sites.

    The site quality is the ranking score in the mode the rules give, times
    :data:`OTHER_MODE_FACTOR` in the other admissible modes, times
    ``1 - MODE_FIT_WEIGHT + MODE_FIT_WEIGHT x fit`` with the mode's fit at the
    site from :func:`oicplan.match.modes.mode_scores`. The demands are
    Zhejiang's priority industries with their match to each site from
    ``ranked.match`` (:mod:`oicplan.match`; without it, a placeholder
    match = quality for :data:`PLACEHOLDER_INDUSTRIES`, said in
    ``assumptions``). Costs come from ``costs`` (columns site_id, mode,
    setup_cost, annual_cost; see :func:`read_layout_costs`), else from the
    cost model :func:`oicplan.finance.cost.site_mode_costs` in US$ million
    (``model_costs``; a site and mode whose cost is a gap is not offered),
    else from :data:`PLACEHOLDER_COSTS`.

    A site may take every mode whose rule in :func:`oicplan.domain.assign_mode`
    applies to it, plus ``offshore_incubator`` everywhere. Risk is the risk
    pillar score (higher is riskier). Strategy groups come from
    :func:`oicplan.domain.eligible_strategies`: at least ``min_per_strategy``
    open centers eligible for each of the scenario's strategies (for
    ``zone_upgrade`` only centers in that mode count). Existing
    centers stay open in their rule mode at no cost; they count toward the
    per-country cap, and ``max_centers`` (default: the scenario's
    ``centers``) counts new centers only.

    Parameters
    ----------
    ranked : oicplan.ranking.RankedSites
        The ranking of the scenario's candidates.
    dataset : oicplan.data.dataset.Dataset, optional
        For strategy eligibility (default: the embedded dataset).
    max_centers, budget, horizon, annual_budget
        As in :meth:`from_arrays` (``max_centers`` counts new centers).
    costs : pandas.DataFrame, optional
        Costs per (site, mode) overriding the placeholders.
    min_per_strategy : int or dict, optional
        At least this many per strategy (a dict per strategy; ``None`` none).
    min_per_region : dict, optional
        At least this many open centers in a region, keyed by continent
        (GeoNames: ``Africa``, ``Asia``, ``Europe``, ``North America``,
        ``Oceania``, ``South America``) or World Bank region (``Europe &
        Central Asia``, ...); see :func:`region_members`.
    per_country_cap : int, optional
        Default: the scenario's ``per_country_cap``.
    include_existing : bool
        Keep existing centers open (otherwise they are not candidates).
    quality_weight : float
        Weight of the ranking score term.
    max_mean_risk : float, optional
        Cap on the mean risk pillar score of the open centers.
    max_total_risk : float, optional
        Cap on the summed risk pillar score of the open centers.
    enterprises : pandas.DataFrame, optional
        Serve enterprises instead of industries (as
        :func:`oicplan.match.enterprises.load_enterprises` gives them):
        enterprises with equal utility are merged into demand classes
        (:func:`oicplan.match.enterprise_demands`), a class's match at a site
        is its utility there (match, technology needs, presence, minus the
        access penalty from the snapshot's best-mode days; at most 0 means it
        cannot be served) and its priority is its share of the enterprises
        times the number of industries they cover, so the demand term keeps
        the weight it has against site quality with industries as demands.
    capacity : bool, int or dict by mode
        ``True``: the placeholder :data:`PLACEHOLDER_CAPACITY` (industries per
        center). A number (or one per mode): how many demands a center can
        serve, in enterprises when ``enterprises`` are given (a class may
        then be split among centers), else in industries.
    first_year : int, optional
        Calendar year of plan year 1 (labels only).
    eligible : pandas.Series, optional
        The strategies each site can serve, by site_id, as
        :func:`oicplan.domain.eligible_strategies` gives them for ``ranked.table``
        (a caller that keeps them passes them; used with ``include_existing``).
    site_costs : pandas.DataFrame, optional
        The cost model's table (:func:`oicplan.finance.cost.site_mode_costs`) for
        the ranked sites and the center modes, when the caller keeps it.
    mode_fit : pandas.DataFrame, optional
        :func:`mode_fit_table` of ``ranked.table``, when the caller keeps it.
    """
    from oicplan.data.dataset import load_dataset

    scenario = ranked.scenario
    dataset = dataset or load_dataset()
    table = ranked.table.reset_index(drop=True)
    is_existing = table["types"].fillna("").str.contains("existing_center").to_numpy()
    if not include_existing:
        table = table[~is_existing].reset_index(drop=True)
        is_existing = np.zeros(len(table), bool)
    modes = list(CENTER_MODES)
    n_s = len(table)
    avail = np.zeros((n_s, len(modes)), bool)
    rule_mode = []
    for i, (_, row) in enumerate(table.iterrows()):
        ok = admissible_modes(row)
        avail[i] = [m in ok for m in modes]
        rule_mode.append(assign_mode(row)[0])
    site_ids = table["site_id"].tolist()
    score = table["score"].to_numpy(float)
    is_rule = np.array([[m == rm for m in modes] for rm in rule_mode], bool)
    fit = _mode_fit(table, modes, mode_fit)
    other, weight = value("layout.other_mode_factor"), value("layout.mode_fit_weight")
    quality = score[:, None] * np.where(is_rule, 1.0, other) * (1.0 - weight + weight * fit)

    assumptions = [
        note("site_quality", method=ranked.method, other=f"{other:g}", fit=f"{weight:g}"),
    ]
    priority = sizes = None
    match = getattr(ranked, "match", None)
    if match is not None:
        # Real industry-technology match (oicplan.match): industries x sites, the same
        # in every mode; a gap (no data for the host) counts as no match.
        demand_ids = list(match.matrix.index)
        match_array = (
            match.matrix.reindex(columns=site_ids).fillna(0.0).to_numpy(float)[:, :, None]
        )
        match_array = np.broadcast_to(match_array, (len(demand_ids), n_s, len(modes)))
        assumptions.append(note("match_used_fields", preset=match.preset))
        placeholder_match = False
        if enterprises is not None:
            demand_ids, match_array, priority, sizes, demand = _enterprise_demand(
                enterprises, match, dataset, site_ids, len(modes)
            )
            assumptions.append(demand)
    else:
        demand_ids = list(PLACEHOLDER_INDUSTRIES)
        match_array = np.broadcast_to(quality, (len(demand_ids), n_s, len(modes)))
        assumptions.append(
            note("match_placeholder", industries=", ".join(PLACEHOLDER_INDUSTRIES))
        )
        placeholder_match = True
    setup = np.array([[PLACEHOLDER_COSTS[m][0] for m in modes]] * n_s)
    annual = np.array([[PLACEHOLDER_COSTS[m][1] for m in modes]] * n_s)
    given = np.zeros((n_s, len(modes)), bool)
    if model_costs:
        model, cost_note = _model_costs(dataset, table, modes, site_costs)
        assumptions.append(cost_note)
        user = (
            set()
            if costs is None
            else set(zip(costs["site_id"], costs["mode"], strict=True))
        )
        gaps = model[model["setup_cost"].isna() | model["annual_cost"].isna()]
        blocked = {(row.site_id, row.mode) for row in gaps.itertuples(index=False)} - user
        for k, site in enumerate(site_ids):
            for m, mode in enumerate(modes):
                if (site, mode) in blocked and not is_existing[k]:
                    avail[k, m] = False
        model = model.dropna(subset=["setup_cost", "annual_cost"])
        # The user's costs override the model's for the rows they give.
        columns = ["site_id", "mode", "setup_cost", "annual_cost"]
        costs = model[columns] if costs is None else pd.concat(
            [model[columns], costs[columns]]
        ).drop_duplicates(["site_id", "mode"], keep="last")
    if costs is not None:
        s_of = {s: k for k, s in enumerate(site_ids)}
        m_of = {m: k for k, m in enumerate(modes)}
        for row in costs.itertuples(index=False):
            if row.site_id in s_of and row.mode in m_of:
                k, m = s_of[row.site_id], m_of[row.mode]
                setup[k, m], annual[k, m] = row.setup_cost, row.annual_cost
                given[k, m] = True
    if not (given | ~avail | is_existing[:, None]).all():
        assumptions.append(note("placeholder_costs", costs="; ".join(
            f"{m} {s:g}/{a:g}" for m, (s, a) in PLACEHOLDER_COSTS.items())))
    if capacity is True:
        assumptions.append(note("placeholder_capacity", capacity=", ".join(
            f"{m} {c}" for m, c in PLACEHOLDER_CAPACITY.items())))

    if eligible is None or not include_existing:
        eligible = eligible_strategies(table, dataset)
    else:
        eligible = pd.Series(
            eligible.reindex(table["site_id"]).to_list(), index=table.index, dtype=object
        )
    groups = []
    if min_per_strategy is not None:
        for strategy in scenario.strategies:
            need = (min_per_strategy.get(strategy) if isinstance(min_per_strategy, Mapping)
                    else min_per_strategy)
            if not need:
                continue
            mask = eligible.map(lambda found, s=strategy: s in found).to_numpy(bool)
            if strategy == "zone_upgrade":  # the strategy is the mode itself
                mask = mask[:, None] & np.array([m == "zone_upgrade" for m in modes])
            groups.append(GroupRule(strategy, mask, min=int(need), label=note(
                "group_min", need=need, group=STRATEGIES[strategy][0])))
    for region, need in (min_per_region or {}).items():
        if not need:
            continue
        mask, gap = region_members(table["iso3"], region, dataset)
        if gap:
            assumptions.append(gap)
        groups.append(GroupRule(region, mask, min=int(need),
                                label=note("group_min", need=need, group=region)))

    if enterprises is not None and placeholder_match:
        raise InputError(
            "serving enterprises needs the ranking's industry match (rank with the "
            "match step)", field="enterprises"
        )
    delta, groups_of = _diversity(table, dataset, assumptions)
    n_existing = int(is_existing.sum())
    k_new = scenario.centers if max_centers is None else max_centers
    existing = {site_ids[i]: rule_mode[i] for i in np.flatnonzero(is_existing)}
    years = None
    if horizon is not None and first_year is not None:
        years = list(range(first_year, first_year + horizon))
    return layout_class.from_arrays(
        match_array,
        quality,
        priority=priority,
        quality_weight=quality_weight,
        site_ids=site_ids,
        modes=modes,
        demand_ids=demand_ids,
        available=avail,
        max_centers=k_new + n_existing,
        setup_cost=setup,
        annual_cost=annual,
        budget=budget,
        country=table["iso3"].tolist(),
        max_per_country=scenario.per_country_cap if per_country_cap is None
        else per_country_cap,
        groups=groups,
        risk=table["pillar_risk"].to_numpy(float) if "pillar_risk" in table else None,
        max_mean_risk=max_mean_risk,
        max_total_risk=max_total_risk,
        existing=existing if include_existing else None,
        capacity=_capacity_of(capacity, enterprises is not None, modes, assumptions),
        demand_size=sizes,
        split_demand=enterprises is not None,
        horizon=horizon,
        annual_budget=annual_budget,
        years=years,
        notes=list(ranked.notes),
        assumptions=assumptions,
        diminishing_return=delta,
        diversity_group=groups_of,
    )._with(match_placeholder=placeholder_match)
