"""The plan document: the pydantic model behind ``plan.json`` and every JSON plan output.

:meth:`oicplan.plan.Plan.to_dict` builds the document through
:class:`PlanDocument`, so ``plan.json``, ``oicplan ... --json`` plan outputs and
the REST API share one schema. The schema is published as
``docs/plan.schema.json`` (:func:`plan_json_schema`; a test keeps the file in
step with the model and validates every built-in scenario's plan against it).

Keys are those of ``plan.json`` since it was first written; new keys are only
added. Sections whose rows are tables of the optimizer (``pareto``,
``pareto_risk``, ``robustness.sites``) keep their columns open (extra keys
allowed), with the columns every row has declared.

>>> schema = plan_json_schema()
>>> schema["title"], "sites" in schema["required"]
('PlanDocument', True)
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AssumptionUsed",
    "SyntheticInput",
    "DatasetInfo",
    "ExistingCenter",
    "FrontierPoint",
    "LocalAirports",
    "LocalEvidence",
    "LocalInstitution",
    "MethodInfo",
    "ModeScore",
    "OptimizerSummary",
    "ParkView",
    "PlanDocument",
    "PlanSite",
    "RankInterval",
    "Robustness",
    "RobustnessSite",
    "SameEconomyPair",
    "SolveCount",
    "SolveStatuses",
    "TechnologyWatch",
    "WatchEconomy",
    "WatchField",
    "plan_json_schema",
]


class _Closed(BaseModel):
    """A section whose keys are all declared (an unknown key is a bug, not data)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    """A table row whose declared columns are always there; further columns are kept."""

    model_config = ConfigDict(extra="allow", frozen=True)


class RankInterval(_Closed):
    """Median rank, 5-95 % interval and top-K frequency from the Monte Carlo."""

    median: float
    p5: float
    p95: float
    top_k_frequency: float


class ModeScore(_Closed):
    """One center mode's score at a site: 0.7 x rule + 0.3 x fit, with reasons."""

    mode: str
    score: float | None
    reasons: list[str]
    rule: bool = Field(description="True for the mode the stated mode rules give")
    fit: float | None


class ParkView(_Closed):
    """Third-generation park view: percentiles of the site's economy, None for a gap."""

    talent: float | None
    community: float | None
    knowledge_ecology: float | None
    park_score: float | None
    evidence: list[str]


class LocalAirports(_Closed):
    """Large airports with scheduled service near a site (OurAirports)."""

    radius_km: float = Field(description="the radius the airports are counted in")
    count: int = Field(description="large airports with scheduled service within radius_km")
    iata: list[str] = Field(description="their IATA codes (ident where none), nearest first")
    nearest_km: float | None = Field(description="the nearest large airport, at any distance")


class LocalInstitution(_Closed):
    """A research organization near a site (ROR, top-level education or facility)."""

    ror_id: str = Field(description="ROR id; the record is https://ror.org/<ror_id>")
    name: str
    types: list[str]
    city: str | None
    km: float


class LocalEvidence(_Closed):
    """City-level evidence around a site (oicplan.data.cities; docs/indicators.md)."""

    radius_km: float = Field(description="the radius research_orgs and hosts are counted in")
    research_orgs: dict[str, int] = Field(
        description="active ROR organizations within radius_km (any economy), by ROR type; "
        "a record with two types counts under both"
    )
    research_orgs_total: int = Field(description="the same organizations, each counted once")
    hosts: dict[str, int] = Field(
        description="top-level education and facility organizations of the site's economy "
        "within radius_km"
    )
    host_share: dict[str, float | None] = Field(
        description="hosts over the economy's peak (the indicators SITE.ROR_EDUCATION and "
        "SITE.ROR_FACILITY); None where the economy has none in ROR"
    )
    ror_coverage: float | None = Field(
        description="estimated share of the ROR registry present for the economy (all types)"
    )
    large_airports: LocalAirports
    gii_cluster_rank: int | None = Field(description="GII S&T cluster rank, None where none")
    institutions: list[LocalInstitution] = Field(
        description="the main research organizations nearby (those with records filed under "
        "them in ROR first, then the oldest)"
    )
    sources: list[str]


class PlanSite(_Closed):
    """One chosen site: where, which strategy and mode, why, how sure, at what cost."""

    site_id: str
    name: str
    name_zh: str | None = Field(
        None,
        description="the standard Chinese name (Unicode CLDR or GeoNames), else the original "
        "name (oicplan.data.names_zh)",
    )
    name_zh_source: str | None = Field(None, description="cldr, geonames or none")
    iso3: str
    country_en: str
    country_zh: str
    lat: float
    lon: float
    site_type: str
    types: list[str]
    mode: str
    strategy: str
    strategies_eligible: list[str]
    score: float
    rank: int
    pillars: dict[str, float]
    rank_interval: RankInterval | None
    robustness_share: float | None
    mode_reason: str
    mode_reason_zh: str
    year: int | None = Field(description="opening year (with a horizon), else None")
    setup_cost: float | None = Field(description="US$ million of the cost model's price year")
    annual_cost: float | None = Field(description="US$ million per year")
    mode_scores: list[ModeScore]
    park_view: ParkView
    local: LocalEvidence | None = Field(
        None, description="city-level evidence around the site (None without the city files)"
    )


class DatasetInfo(_Closed):
    """The embedded dataset the plan was made from."""

    version: str
    built: str | None
    sources: list[str]


class MethodInfo(_Closed):
    """How the sites were ranked and chosen."""

    ranking: str
    normalization: str
    weights: dict[str, float]
    selection: str
    per_country_cap: int
    uncertainty: dict[str, Any]
    transport: dict[str, Any]


class WatchField(_Closed):
    """One field's trend in a watched economy (oicplan.techwatch; docs/watch.md)."""

    source: str = Field(description="NCSES source key (patent_families, pct, articles ...)")
    field: str
    field_zh: str
    start_year: int
    end_year: int
    start_value: float
    end_value: float
    cagr: float | None = Field(description="compound annual growth from start to end year")
    share_start: float | None = Field(description="share of all economies of the source")
    share_end: float | None
    rta_start: float | None = Field(description="revealed technological advantage (Balassa)")
    rta_end: float | None
    industries: list[str] = Field(description="the priority industries that need the field")
    series: list[tuple[int, float]] = Field(description="[year, value] of the window")


class WatchEconomy(_Closed):
    """An economy hosting chosen sites or existing centers, and its field trends."""

    iso3: str
    economy: str | None
    sites: list[str]
    roles: list[str] = Field(description="chosen and/or existing_center")
    tier: str | None = Field(description="technology data used: patent_families, pct or none")
    tier_reason: str | None
    fields: list[WatchField]


class TechnologyWatch(_Closed):
    """The plan's technology watch (issue 12): field trends of its sites' economies."""

    span: int = Field(description="years of each trend window")
    economies: list[WatchEconomy]
    notes: list[str]


class ExistingCenter(_Closed):
    """A Zhejiang center that already exists at a candidate site."""

    site_id: str
    name: str
    name_zh: str | None = Field(None, description="Chinese name, else the original name")
    iso3: str
    center: str | None


class OptimizerSummary(_Open):
    """The main solve of the layout model (``selection.method: optimize``)."""

    status: str
    objective: float | None = None
    gap: float | None = None
    solve_seconds: float | None = None
    benefit: dict[str, float | None] | None = None
    cost: float | None = None
    total_risk: float | None = None
    horizon: int | None = None
    assumptions: list[str] = []
    assumptions_zh: list[str] = Field([], description="the assumptions in Chinese")
    constraints: list[str] = Field([], description="the constraint groups the solution holds")
    constraints_zh: list[str] = Field([], description="the constraints in Chinese")


class FrontierPoint(_Open):
    """One ε-constraint point of a Pareto frontier, with the status of its solve."""

    against: str
    epsilon: float | None
    benefit: float | None
    cost: float | None
    risk: float | None
    centers: int | None
    sites: str | None
    status: str = Field(description="optimal only when every solve behind the point is")
    gap: float | None
    benefit_status: str | None = Field(None, description="the benefit solve at the cap")
    metric_status: str | None = Field(None, description="the least cost (or risk) at it")
    polish_status: str | None = Field(None, description="the assignment's polish solve")


class RobustnessSite(_Open):
    """How often a site is chosen when the pillar weights are drawn at random."""

    site_id: str
    times_chosen: int
    share: float
    modes: dict[str, int]


class Robustness(_Open):
    """Re-solves of the layout model under weight draws."""

    samples: int
    sites: list[RobustnessSite]
    statuses: dict[str, int] = Field(default_factory=dict, description="status -> draws")
    draw_statuses: list[str] = Field(default_factory=list, description="each draw's status")
    max_gap: float | None = None


class SolveCount(_Closed):
    """How many solves a part of the plan took, and their statuses."""

    solves: int
    statuses: dict[str, int]


class SolveStatuses(_Open):
    """The status of every solve behind a plan, beside the main one."""

    main: str
    pareto: SolveCount | None = None
    pareto_risk: SolveCount | None = None
    robustness: SolveCount | None = None


class SyntheticInput(_Closed):
    """An input of the plan that is synthetic (oicplan.plan_selection.synthetic_inputs)."""

    input: str = Field(description="selection.enterprises or network.enterprises")
    description: str
    description_zh: str


class AssumptionUsed(_Closed):
    """A stated number of oicplan.assumptions as this plan used it."""

    name: str
    value: float
    default: float = Field(description="the stated value; differs when the scenario set it")
    unit: str
    unit_zh: str
    reason: str
    reason_zh: str
    source: str = Field(description="the paper section behind it, or 'modelling choice'")
    used_by: list[str]
    plan: bool = Field(description="True: it can move a plan (a scenario may set it)")
    overridden: bool = Field(description="True when the scenario's assumptions set it")


class SameEconomyPair(_Closed):
    """Two open centers in one economy, and what the second adds (issue 13).

    With the diminishing return (``layout.diminishing_return``) the second center of
    an economy counts only part of its site quality; the plan says why it keeps it.
    """

    economy: str = Field(description="the diversity group: an economy (ISO3); a city region "
                         "across a border counts with its most populous site's economy")
    first: str = Field(description="site_id of the center whose quality counts in full")
    second: str = Field(description="site_id of the later center")
    first_existing: bool
    second_existing: bool
    distance_km: float
    same_city_region: bool = Field(description="within layout.city_region_km of each other")
    quality_factor: float = Field(description="the share of its site quality the second earns")
    score_gap: float = Field(description="the second's ranking score minus the first's")
    distinct_mode: bool
    modes: list[str] = Field(description="the modes of the first and the second")
    industries: list[str] = Field(
        description="demands the second serves best in the layout and the first does not")
    pillars: dict[str, float] = Field(
        description="pillars where the second leads the first by at least 0.02, with the lead")
    corridors: list[str] = Field(description="rail corridors or sea lanes only the second is on")
    reasons: list[str]
    reasons_zh: list[str]


class PlanDocument(_Closed):
    """``plan.json``: a scenario's chosen centers with everything to check and reproduce it."""

    synthetic_inputs: list[SyntheticInput] = Field(
        [], description="the plan's inputs that are synthetic, each with a one-line "
        "description; empty when none is"
    )
    scenario: str
    scenario_title: dict[str, str]
    created: str = Field(description="UTC time, ISO 8601")
    oicplan_version: str
    dataset: DatasetInfo
    method: MethodInfo
    assumptions: list[AssumptionUsed] = Field(
        [], description="the stated numbers that can move a plan, with the values used "
        "(the scenario's assumptions applied; oicplan.assumptions)"
    )
    candidates: int
    screened_out: dict[str, str] = Field(description="site_id -> why it was not ranked")
    sites: list[PlanSite]
    existing_centers: list[ExistingCenter]
    notes: list[str]
    notes_zh: list[str] = Field([], description="the notes in Chinese (oicplan.notes)")
    screened_out_zh: dict[str, str] = Field({}, description="screened_out's reasons in Chinese")
    optimizer: OptimizerSummary | None
    pareto: list[FrontierPoint] | None
    pareto_risk: list[FrontierPoint] | None
    robustness: Robustness | None
    solves: SolveStatuses | None = Field(
        None, description="the status of every solve behind the plan (optimize only)"
    )
    same_economy_pairs: list[SameEconomyPair] = Field(
        [], description="every pair of open centers in one economy the layout keeps, with "
        "what the second adds (optimize with a diminishing return; else empty)"
    )
    technology_watch: TechnologyWatch | None = Field(
        None, description="field trends (NCSES) of the economies of the chosen sites and of "
        "the existing centers, in the fields of the priority industries (docs/watch.md)"
    )


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``plan.json`` (draft 2020-12, as pydantic writes it)."""
    schema = PlanDocument.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_plan_schema(path: str) -> None:
    """Write :func:`plan_json_schema` to ``path`` (``docs/plan.schema.json``), whole."""
    from oicplan.wholefile import write_whole

    write_whole(path, json.dumps(plan_json_schema(), ensure_ascii=False, indent=2) + "\n")
