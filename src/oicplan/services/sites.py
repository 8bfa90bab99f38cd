"""Use cases of places: a candidate site's profile, and the list of economies.

:func:`site_profile` composes what the other use cases already give about one
site, so that the profile says what the command line says:

* the site itself (name, economy, coordinates, types) from the dataset;
* its economy's latest values with year and source (:func:`oicplan.services.data.data_show`,
  as ``oicplan data show``), each marked ``stale`` when the scenario's index
  settings set ``max_age`` and the value is older than that (else ``stale`` is None);
* its score, rank, rank interval and pillar scores in the scenario's ranking
  (as :func:`oicplan.services.planning.rank` gives them);
* its strongest and weakest indicators (as :func:`oicplan.services.planning.audit`
  and ``oicplan audit --site`` give them);
* access by mode: for rail, sea and air the lowest-cost route from any of the
  scenario's hubs, with km and days (the routes :func:`oicplan.services.transport.access`
  finds from each hub, computed on the scenario's graph loaded once);
* the industry match with its evidence (:func:`oicplan.services.matching.match`);
* what a center of each mode would cost there (:func:`oicplan.services.finance.cost`
  with its defaults: staff, rent, travel, setup, after tax and its NPV), each with
  the data it used (year and source) and the assumptions it rests on; a cost the
  data cannot give is a gap with its reason;
* the names of the indicators it shows, in English and Chinese (the framework's
  Chinese name, else oicplan's Chinese title of the data's series,
  :mod:`oicplan.data.indicator_titles_zh`).

A site of the dataset that the scenario does not rank (not a candidate, or
screened out) still gets its profile: the sections that need a rank are None
and ``notes`` says why. The scenario is ranked once
(:func:`oicplan.ranking.rank_sites`) for both the rank and the strengths and
weaknesses, rather than once by ``rank`` and again by ``audit``.

:func:`economy_list` lists the economies (ISO3 and names in English and Chinese).

>>> economies = economy_list(EconomyListRequest()).economies
>>> next(e for e in economies if e.iso3 == "KAZ").name_zh
'哈萨克斯坦'
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.plan_document import LocalEvidence, RankInterval
from oicplan.services._base import Request, Result
from oicplan.services.data import EconomyValue

if TYPE_CHECKING:
    from oicplan.scenario import Scenario

__all__ = [
    "EconomyEntry",
    "EconomyListRequest",
    "EconomyListResult",
    "IndustryMatch",
    "ModeAccess",
    "SiteCost",
    "SiteInfo",
    "SiteProfileRequest",
    "SiteProfileResult",
    "SiteRanking",
    "SiteValue",
    "economy_list",
    "site_profile",
]

ACCESS_MODES = ("rail", "sea", "air")
"""The modes a profile gives access by (each with its truck legs and transfers)."""


# ------------------------------------------------------------------------- economies


class EconomyListRequest(Request):
    """Every economy of the embedded dataset (no parameters)."""


class EconomyEntry(Result):
    """An economy: ISO 3166 alpha-3 code, names, and whether it hosts candidate sites."""

    iso3: str
    name_en: str
    name_zh: str | None = None
    candidate: bool = False


class EconomyListResult(Result):
    """The economies, by ISO3 code."""

    economies: tuple[EconomyEntry, ...]


def economy_list(request: EconomyListRequest) -> EconomyListResult:
    """The economies of the dataset's country table, sorted by ISO3 code."""
    from oicplan.data.dataset import load_dataset

    countries = load_dataset().countries.sort_index()
    entries = []
    for code, row in countries.iterrows():
        name_zh = row.get("name_zh")
        entries.append(
            EconomyEntry(
                iso3=str(code),
                name_en=str(row["name_en"]),
                name_zh=None if _missing(name_zh) else str(name_zh),
                candidate=bool(row.get("candidate", False) is True),
            )
        )
    return EconomyListResult(economies=tuple(entries))


# ------------------------------------------------------------------------ the profile


class SiteProfileRequest(Request):
    """One site's profile in a scenario: a built-in name, a YAML path or a stored scenario.

    A stored scenario (``/api/scenarios``) is read from ``database_url`` in its
    latest version, or ``scenario_version``.
    """

    site_id: str = Field(min_length=1, max_length=200)
    scenario: str = "zhejiang"
    scenario_version: int | None = Field(
        None, ge=1, description="version of a stored scenario (default: its latest)"
    )
    database_url: str | None = Field(None, description="database of the stored scenarios")
    preset: str = Field("balanced", description="match preset: near, balanced or far")


class SiteInfo(Result):
    """The site as the dataset describes it."""

    site_id: str
    name: str
    name_zh: str | None = Field(None, description="Chinese name (the original where none)")
    name_zh_source: str | None = Field(None, description="cldr, geonames or none")
    iso3: str
    economy_en: str
    economy_zh: str | None = None
    lat: float
    lon: float
    site_type: str
    types: list[str]
    population: float | None = None


class SiteValue(EconomyValue):
    """An economy value with its ``age``; ``stale`` when older than the limit that applies.

    The limit is the scenario's ``index_settings.max_age`` if it sets one, else the
    framework's maximum age for the indicator (``max_age``; None: no limit).
    """


class SiteRanking(Result):
    """The site's place in the scenario's ranking."""

    method: str
    candidates: int
    score: float
    rank: int
    rank_interval: RankInterval | None
    pillars: dict[str, float]


class ModeAccess(Result):
    """The lowest-cost route by one mode from the scenario's hubs (None fields: no route)."""

    mode: str
    origin: str | None = None
    origin_zh: str | None = None
    km: float | None = None
    days: float | None = None
    cost: float | None = None
    estimated: bool | None = None
    rail_route: str | None = None
    sea_lane: str | None = None
    note: str | None = None


class IndustryMatch(Result):
    """One priority industry's match with the site, and the evidence behind the score."""

    industry: str
    name_en: str | None = None
    name_zh: str | None = None
    score: float | None
    evidence: dict[str, Any] | None = None


class SiteCost(Result):
    """What a center of one mode costs at the site (``oicplan cost``'s defaults), in US$.

    ``setup_cost`` once, ``annual_cost`` a year, ``npv`` after China's corporate
    income tax and the R&D super-deduction over ``horizon_years`` (``npv_gross``
    before tax). ``inputs`` are the data values it used (year and source);
    ``assumptions`` the parts of the assumptions table it rests on (planning
    placeholders, not sourced figures). ``gap``: why the data cannot give it.
    """

    mode: str
    headcount: int | None = None
    currency: str | None = None
    price_year: int | None = None
    start_year: int | None = None
    setup_cost: float | None = None
    annual_cost: float | None = None
    npv_gross: float | None = None
    npv: float | None = None
    horizon_years: int | None = None
    discount_rate: float | None = None
    gap: str | None = None
    notes: list[str] = []
    inputs: list[dict[str, Any]] = []
    assumptions: list[str] = []


class SiteProfileResult(Result):
    """A site's profile; sections the scenario cannot give are None, with a note."""

    scenario: str
    dataset: dict[str, str]
    site: SiteInfo
    max_age: int | None = None
    values: tuple[SiteValue, ...]
    ranking: SiteRanking | None = None
    strengths: list[dict[str, Any]] | None = None
    weaknesses: list[dict[str, Any]] | None = None
    access: tuple[ModeAccess, ...]
    match_preset: str | None = None
    match: tuple[IndustryMatch, ...] | None = None
    match_notes: list[str] = []
    match_terms: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="names of the technology fields and signals the match evidence names "
        "(en, and zh where the taxonomy has it)",
    )
    costs: tuple[SiteCost, ...] = ()
    cost_note: str | None = None
    indicator_names: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    local: LocalEvidence | None = Field(
        None,
        description="city-level evidence around the site, as in plan.json: research "
        "organizations by ROR type within radius_km, the main ones by name with their ror_id, "
        "large airports, GII cluster (oicplan.data.cities); None without the city files",
    )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _site_info(site_id: str) -> SiteInfo:
    from oicplan.data.dataset import load_dataset

    dataset = load_dataset()
    sites = dataset.sites
    found = sites[sites["site_id"] == site_id]
    if found.empty:
        raise InputError(f"unknown site {site_id!r} (ids are listed by 'oicplan rank')",
                         field="site_id")
    row = found.iloc[0]
    country = dataset.countries.loc[row["iso3"]]
    types = row.get("types")
    population = row.get("population")
    name_zh = row.get("name_zh")
    name_zh_source = row.get("name_zh_source")
    return SiteInfo(
        site_id=site_id,
        name=str(row["name"]),
        name_zh=None if _missing(name_zh) else str(name_zh),
        name_zh_source=None if _missing(name_zh_source) else str(name_zh_source),
        iso3=str(row["iso3"]),
        economy_en=str(country["name_en"]),
        economy_zh=None if _missing(country.get("name_zh")) else str(country["name_zh"]),
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        site_type=str(row["site_type"]),
        types=[] if _missing(types) else [t for t in str(types).replace(",", ";").split(";") if t],
        population=None if _missing(population) else float(population),
    )


def _local(site_id: str) -> LocalEvidence | None:
    """The site's local evidence (:func:`oicplan.data.cities.local_objects`)."""
    from oicplan.data.cities import local_objects
    from oicplan.data.dataset import load_dataset

    sites = load_dataset().sites
    value = local_objects(sites[sites["site_id"] == site_id]).get(site_id)
    return None if value is None else LocalEvidence.model_validate(value)


def _values(iso3: str, settings: dict[str, Any]) -> tuple[int | None, tuple[SiteValue, ...]]:
    """The economy's values (``data show``), with ages and the stale mark of the rule in force."""
    from oicplan.services.data import DataShowRequest, data_show

    shown = data_show(DataShowRequest(iso3=iso3))
    max_age = settings.get("max_age")
    if max_age is None:
        return None, tuple(SiteValue(**value.model_dump()) for value in shown.values)
    reference = settings.get("reference_year")
    values = []
    for value in shown.values:
        fields = value.model_dump()
        anchor = None if value.age is None or value.year is None else value.year + value.age
        if reference is not None:
            anchor = reference
        if value.year is not None and anchor is not None:
            stale = bool(float(anchor) - value.year > int(max_age))
            fields.update(max_age=int(max_age), stale=stale)
        values.append(SiteValue(**fields))
    return int(max_age), tuple(values)


def _access(site_id: str, scenario: Scenario) -> tuple[ModeAccess, ...]:
    """Per mode, the lowest-cost route from any hub, as :func:`~oicplan.services.transport.access`.

    The same routes ``access`` finds from each hub, on the same graph (the
    scenario's hubs), but with the scenario and graph loaded once rather than
    once per hub and mode (``access`` takes a scenario name and reads it each time).
    """
    from oicplan.data.names_zh import hub_name_zh
    from oicplan.geo.graph import find_place, scenario_graph
    from oicplan.geo.routing import shortest_route

    graph = scenario_graph(scenario)  # type: ignore[no-untyped-call]
    try:
        target = find_place(graph, site_id, kind="site", field="to")
    except InputError:
        target = None
    hubs = [find_place(graph, hub.name, kind="hub", field="from") for hub in scenario.hubs]
    hubs_zh = {hub.name: hub_name_zh(hub.name, hub.lat, hub.lon)[0] for hub in scenario.hubs}
    modes = []
    for mode in ACCESS_MODES:
        best: dict[str, Any] | None = None
        for hub in hubs if target is not None else []:
            try:
                route = shortest_route(graph, hub, target, mode=mode).as_dict()
            except InputError:  # no route by this mode from this hub
                continue
            if best is None or route["cost"] < best["cost"]:
                best = route
        if best is None:
            modes.append(ModeAccess(mode=mode, note=f"no route by {mode} from the scenario's hubs"))
            continue
        modes.append(ModeAccess(
            mode=mode, origin=best["from"], origin_zh=hubs_zh.get(best["from"]),
            km=best["km"], days=best["days"], cost=best["cost"],
            estimated=best.get("estimated"), rail_route=best.get("rail_route"),
            sea_lane=best.get("sea_lane"),
        ))
    return tuple(modes)


def _match(site_id: str, scenario: str, preset: str) -> tuple[tuple[IndustryMatch, ...], list[str]]:
    from oicplan.services.matching import MatchRequest, match

    result = match(MatchRequest(scenario=scenario, preset=preset, sites=[site_id]))
    document = result.document
    names = document.get("industry_names", {})
    explanations = document.get("explanations", {})
    rows = []
    for industry, scores in zip(result.industries, document["matrix"], strict=True):
        evidence = explanations.get(industry, {}).get(site_id)
        rows.append(IndustryMatch(
            industry=industry,
            name_en=names.get(industry, {}).get("en"),
            name_zh=names.get(industry, {}).get("zh"),
            score=scores[0],
            evidence=evidence,
        ))
    rows.sort(key=lambda row: -1.0 if row.score is None else row.score, reverse=True)
    return tuple(rows), list(document.get("notes", []))



def _match_terms(rows: tuple[IndustryMatch, ...]) -> dict[str, dict[str, str]]:
    """Names of the fields and signals the evidence of ``rows`` names, from the taxonomy."""
    from oicplan.match.taxonomy import load_taxonomy

    raw = load_taxonomy().raw
    wanted: set[str] = set()
    for row in rows:
        evidence = row.evidence or {}
        wanted |= {str(item.get("field")) for item in evidence.get("fields") or []}
        wanted |= set(evidence.get("signals") or {})
    terms: dict[str, dict[str, str]] = {}
    for table in ("fields", "signals"):
        for term, entry in (raw.get(table) or {}).items():
            if term in wanted and isinstance(entry, dict) and entry.get("name"):
                names = {"en": " ".join(str(entry["name"]).split())}
                if entry.get("name_zh"):
                    names["zh"] = str(entry["name_zh"])
                terms[term] = names
    # NCSES fields of the field-data tiers (oicplan.match.field_strength): their own names.
    for row in rows:
        for item in (row.evidence or {}).get("fields") or []:
            if item.get("source") and item.get("field_zh") and str(item["field"]) not in terms:
                terms[str(item["field"])] = {"en": str(item["field"]), "zh": str(item["field_zh"])}
    return terms


def _costs(site_id: str) -> tuple[tuple[SiteCost, ...], str | None]:
    """A center of every mode at the site, priced by :func:`oicplan.services.finance.cost`."""
    from oicplan.domain import CENTER_MODES
    from oicplan.services.finance import CostRequest, cost

    rows = []
    note = None
    for mode in CENTER_MODES:
        try:
            result = cost(CostRequest(site=site_id, mode=mode))
        except InputError as error:
            rows.append(SiteCost(mode=mode, gap=error.message))
            continue
        estimate = result.estimate
        after_tax = estimate.get("after_tax") or {}
        note = result.assumptions.note
        rows.append(SiteCost(
            mode=mode, headcount=estimate.get("headcount"), currency=estimate.get("currency"),
            price_year=estimate.get("price_year"), start_year=estimate.get("start_year"),
            setup_cost=estimate.get("setup_cost"), annual_cost=estimate.get("annual_cost"),
            npv_gross=estimate.get("npv_gross"), npv=estimate.get("npv"),
            horizon_years=after_tax.get("horizon_years"),
            discount_rate=after_tax.get("discount_rate"),
            gap=estimate.get("gap"), notes=list(estimate.get("notes") or []),
            inputs=[dict(item) for item in estimate.get("inputs") or []
                    if item.get("kind") == "data"],
            assumptions=list(result.assumptions.parts),
        ))
    return tuple(rows), note


def _indicator_names(
    ranked: Any, codes: set[str], titles: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Names of indicator ``codes``: the framework's (English, and Chinese where it has
    one), else the data's title (``titles``, and its Chinese title from
    :func:`oicplan.data.indicator_titles_zh.indicator_title`), else the code; a code that
    neither the framework nor the data names is left out."""
    from oicplan.data.indicator_titles_zh import indicator_title

    names: dict[str, dict[str, str]] = {}
    framework = getattr(getattr(ranked, "scores", None), "framework", None)
    for spec in framework.indicators() if framework is not None else []:
        if spec.code not in codes:
            continue
        english = str(spec.name or titles.get(spec.code) or spec.code)
        chinese = str(getattr(spec, "name_zh", "") or "") or None
        names[spec.code] = {
            "en": english,
            "zh": indicator_title(spec.code, "zh", titles.get(spec.code) or english, chinese),
        }
    for code in codes - set(names):
        if titles.get(code):
            names[code] = {"en": titles[code], "zh": indicator_title(code, "zh", titles[code])}
    return names


def _strengths_weaknesses(
    ranked: Any, site_id: str, notes: list[str]
) -> tuple[list[dict[str, Any]] | None, list[dict[str, Any]] | None]:
    """The site's strongest and weakest indicators, as ``oicplan audit --site`` gives them."""
    import json

    from oicplan.indicators.audit import strengths_weaknesses

    index = ranked.scores.index
    if site_id not in index.units:
        notes.append(f"no strengths and weaknesses: {site_id!r} is screened out of the index")
        return None, None
    parts = {
        name: json.loads(frame.reset_index(names="indicator").to_json(orient="records"))
        for name, frame in strengths_weaknesses(index, site_id).items()
    }
    return parts.get("strengths"), parts.get("weaknesses")


def site_profile(request: SiteProfileRequest) -> SiteProfileResult:
    """A site's values, ranking, strengths and weaknesses, access by mode, match and costs.

    Raises
    ------
    InputError
        Field ``site_id``: no such site in the dataset; ``scenario``: an unknown
        scenario; ``preset``: an unknown match preset.

    Examples
    --------
    >>> profile = site_profile(SiteProfileRequest(site_id="KAZ-almaty"))  # doctest: +SKIP
    >>> profile.site.iso3, [a.mode for a in profile.access]  # doctest: +SKIP
    ('KAZ', ['rail', 'sea', 'air'])
    """
    info = _site_info(request.site_id)
    with _scenario_source(request) as (scenario, scenario_file):
        return _profile(request, info, scenario, scenario_file)


@contextlib.contextmanager
def _scenario_source(request: SiteProfileRequest) -> Iterator[tuple[Scenario, str]]:
    """The request's scenario, and a name or file the match use case can read it from.

    A stored scenario is loaded from the database (as :mod:`oicplan.services.planning`
    loads it, errors naming ``scenario`` or ``scenario_version``) and its YAML
    written to a temporary file for the match, which reads scenarios by name or path.
    """
    from oicplan.scenario import load_scenario
    from oicplan.services.planning import RankRequest, load_request_scenario
    from oicplan.services.scenarios import GetScenarioVersionRequest, get_scenario_version

    builtin_or_file = request.scenario in _builtin_names() or request.scenario.lower().endswith(
        (".yaml", ".yml"))
    if builtin_or_file:
        yield load_scenario(request.scenario), request.scenario
        return
    scenario = load_request_scenario(RankRequest(
        scenario=request.scenario, scenario_version=request.scenario_version,
        database_url=request.database_url))
    text = get_scenario_version(GetScenarioVersionRequest(
        database_url=request.database_url, name=request.scenario,
        version=request.scenario_version)).version.yaml_text or ""
    with tempfile.TemporaryDirectory(prefix="oicplan-site-") as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        yield scenario, str(path)


def _builtin_names() -> tuple[str, ...]:
    from oicplan.scenario import BUILTIN_SCENARIOS

    return tuple(BUILTIN_SCENARIOS)


def _profile(request: SiteProfileRequest, info: SiteInfo, scenario: Scenario,
             scenario_file: str) -> SiteProfileResult:
    from oicplan.ranking import rank_sites
    from oicplan.services.planning import rank_result

    max_age, values = _values(info.iso3, dict(scenario.index_settings))
    # One ranking serves the rank (as services.planning.rank gives it) and the
    # strengths and weaknesses (as services.planning.audit gives them for a site).
    ranked_sites = rank_sites(scenario)
    ranked = rank_result(ranked_sites)
    notes: list[str] = []
    ranking = strengths = weaknesses = None
    row = next((site for site in ranked.sites if site.site_id == request.site_id), None)
    if row is None:
        notes.append(f"{info.name} is not ranked in scenario {ranked.scenario!r} "
                     "(not a candidate, or screened out): no rank, strengths or match")
    else:
        ranking = SiteRanking(
            method=ranked.method, candidates=ranked.candidates, score=row.score, rank=row.rank,
            rank_interval=row.rank_interval, pillars=row.pillars,
        )
        strengths, weaknesses = _strengths_weaknesses(ranked_sites, request.site_id, notes)
    matched = None
    match_notes: list[str] = []
    if row is not None:
        try:
            matched, match_notes = _match(request.site_id, scenario_file, request.preset)
        except InputError as error:
            if error.field == "preset":
                raise
            notes.append(f"no industry match: {error.message}")
    costs, cost_note = _costs(request.site_id)
    codes = {value.indicator for value in values}
    for part in (strengths or []) + (weaknesses or []):
        codes.add(str(part.get("indicator")))
    return SiteProfileResult(
        scenario=ranked.scenario,
        dataset=ranked.dataset,
        site=info,
        max_age=max_age,
        values=values,
        ranking=ranking,
        strengths=strengths,
        weaknesses=weaknesses,
        access=_access(request.site_id, scenario),
        match_preset=request.preset if matched is not None else None,
        match=matched,
        match_notes=match_notes,
        match_terms=_match_terms(matched) if matched else {},
        costs=costs,
        cost_note=cost_note,
        indicator_names=_indicator_names(
            ranked_sites, codes, {v.indicator: v.title for v in values if v.title}
        ),
        notes=notes,
        local=_local(request.site_id),
    )
