"""What a background job runs: the inputs of plan, ranking, sensitivity and optimize runs.

The web app starts long jobs (:mod:`oicplan.api.jobs` runs them); a job's inputs
are one of the models here, chosen by ``kind`` (:data:`JobInputs`, a tagged
union), and are stored as the run's ``inputs``. They carry only what a user may
choose over the network: a scenario by name (built-in or stored, never a file
path), numbers and switches; files the command-line use cases accept (cost
tables, chart paths, a decision matrix) and a Dask scheduler are not inputs of a
job. Each model turns itself into the request of its use case
(:meth:`PlanJob.request` ...), with the limits a shared server needs (samples,
time limits).

The plan's map layers and ranking are kept with a plan run
(:func:`map_document`, :func:`ranking_rows`), so the map and the comparison of two
runs (:mod:`oicplan.services.plan_compare`) need no re-plan.

>>> job = job_inputs({"kind": "ranking", "scenario": "zhejiang", "method": "topsis"})
>>> job.kind, job.request().method
('ranking', 'topsis')
>>> job_inputs({"kind": "optimize", "avoid": ["Suez Canal"]}).request().avoid
['suez']
>>> job_inputs({"kind": "optimize", "avoid": ["atlantis"]})
Traceback (most recent call last):
...
oicplan.errors.InputError: field avoid: cannot close 'atlantis': not a sea passage, ...
>>> job_inputs({"kind": "plan", "scenario": "../etc/passwd.yaml"})
Traceback (most recent call last):
...
oicplan.errors.InputError: field scenario: a scenario is a built-in name or the name of a ...
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, field_validator

from oicplan.errors import InputError
from oicplan.services._base import Request

if TYPE_CHECKING:
    from oicplan.services.optimize import OptimizeRequest
    from oicplan.services.planning import PlanRequest, PlanResult, RankRequest
    from oicplan.services.sensitivity import SensitivityRequest

__all__ = [
    "JobInputs",
    "OptimizeJob",
    "PlanJob",
    "RankingJob",
    "SensitivityJob",
    "is_builtin_scenario",
    "job_inputs",
    "map_document",
    "ranking_rows",
]

_SCENARIO_NAME = Field(
    "zhejiang",
    min_length=1,
    max_length=120,
    description="a built-in scenario (zhejiang, balanced, ...) or the name of a stored one",
)
_FILE_MARKERS = ("/", "\\", "\x00")


def is_builtin_scenario(name: str) -> bool:
    """Whether ``name`` is a built-in scenario (else it names a stored one).

    >>> is_builtin_scenario("zhejiang"), is_builtin_scenario("coast-2027")
    (True, False)
    """
    from oicplan.scenario import BUILTIN_SCENARIOS

    return name in BUILTIN_SCENARIOS


def _scenario_name(value: str) -> str:
    """A scenario name that cannot reach the server's files."""
    if any(mark in value for mark in _FILE_MARKERS) or value.lower().endswith((".yaml", ".yml")):
        raise InputError(
            "a scenario is a built-in name or the name of a stored scenario, not a file",
            field="scenario",
        )
    return value


class _Job(Request):
    """What every job names: its scenario (and the stored scenario's version)."""

    scenario: str = _SCENARIO_NAME
    scenario_version: int | None = Field(
        None, ge=1, description="version of a stored scenario (default: its latest)"
    )

    @field_validator("scenario")
    @classmethod
    def _no_file(cls, value: str) -> str:
        try:
            return _scenario_name(value)
        except InputError as error:
            raise ValueError(error.message) from None


class _Closures(_Job):
    """A job that may close corridors: known names only (:mod:`oicplan.services.closures`)."""

    avoid: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=50,
        description="corridors to close on top of the scenario's transport.avoid: sea "
        "passages (suez ...), border crossings (alashankou ...), rail routes (Yiwu-Madrid)",
    )

    @field_validator("avoid")
    @classmethod
    def _known_corridors(cls, value: list[str]) -> list[str]:
        from oicplan.services.closures import check_closures

        try:
            return check_closures(value)
        except InputError as error:
            raise ValueError(error.message) from None


class _Reranked(_Closures):
    weights: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = Field(
        None, description="pillar weights replacing the scenario's (pillars not named keep theirs)"
    )
    method: str | None = Field(
        None, max_length=40, description="ranking method replacing the scenario's"
    )


class PlanJob(_Reranked):
    """A plan run: the scenario's next centers, with the report files in the run's folder."""

    kind: Literal["plan"] = "plan"
    centers: int | None = Field(None, ge=1, le=200, description="number of centers (overrides)")
    lang: Literal["zh", "en"] = Field("zh", description="language of the report files")
    frontiers: bool = Field(
        True, description="compute the Pareto frontiers and robustness re-solves (False: quicker)"
    )
    pdf: bool = Field(True, description="also write plan.pdf (a few seconds more)")

    def request(self, database_url: str | None = None) -> PlanRequest:
        """The plan service's request (with the report's map layers and network)."""
        from oicplan.services.planning import PlanRequest

        return PlanRequest(
            scenario=self.scenario, scenario_version=self.scenario_version, avoid=self.avoid,
            weights=self.weights, method=self.method, centers=self.centers,
            frontiers=self.frontiers, report=True, database_url=database_url,
        )


class RankingJob(_Reranked):
    """A ranking run: the scenario's ranked candidates (optionally re-weighted)."""

    kind: Literal["ranking"] = "ranking"

    def request(self, database_url: str | None = None) -> RankRequest:
        """The ranking service's request."""
        from oicplan.services.planning import RankRequest

        return RankRequest(
            scenario=self.scenario, scenario_version=self.scenario_version, avoid=self.avoid,
            weights=self.weights, method=self.method, database_url=database_url,
        )


class SensitivityJob(_Job):
    """A sensitivity run: Monte Carlo rank intervals (and Sobol' indices) of the ranking."""

    kind: Literal["sensitivity"] = "sensitivity"
    samples: int = Field(2000, ge=10, le=100_000, description="Monte Carlo replications")
    seed: int | None = Field(None, ge=0, le=2**32 - 1)
    spread: float = Field(0.2, gt=0, le=1, description="relative spread of the weights")
    dirichlet: bool = False
    concentration: float | None = Field(None, gt=0, le=10_000)
    top_k: int = Field(10, ge=1, le=100)
    sobol: bool = False
    sobol_samples: int = Field(256, ge=16, le=4096)
    variants: list[dict[str, Any]] = Field(
        default_factory=list, max_length=10,
        description="composite-index builds to draw among, e.g. {'imputation': 'group_mean'}",
    )

    def request(self, scenario_file: str | Path | None = None) -> SensitivityRequest:
        """The sensitivity service's request; ``scenario_file``: a stored scenario written out."""
        from oicplan.services.sensitivity import SensitivityRequest

        return SensitivityRequest(
            scenario=str(scenario_file or self.scenario), samples=self.samples, seed=self.seed,
            spread=self.spread, dirichlet=self.dirichlet, concentration=self.concentration,
            top_k=self.top_k, sobol=self.sobol, sobol_samples=self.sobol_samples,
            variants=self.variants,
        )


class OptimizeJob(_Closures):
    """An optimize run: the layout model (and its Pareto frontier) under the given limits."""

    kind: Literal["optimize"] = "optimize"
    max_centers: int | None = Field(None, ge=1, le=200)
    budget: float | None = Field(None, gt=0, allow_inf_nan=False)
    horizon: int | None = Field(None, ge=1, le=30)
    annual_budget: float | None = Field(None, gt=0, allow_inf_nan=False)
    pareto: bool = False
    against: Literal["cost", "risk"] = "cost"
    points: int = Field(7, ge=2, le=25)
    time_limit: float | None = Field(120.0, gt=0, le=1800, description="seconds per solve")
    mip_gap: float | None = Field(None, ge=0, le=1)
    first_year: int | None = Field(None, ge=2000, le=2100)
    min_per_strategy: int | dict[str, int] | None = None
    min_per_region: dict[str, int] | None = None
    per_country_cap: int | None = Field(None, ge=1, le=200)
    max_mean_risk: float | None = Field(None, ge=0, allow_inf_nan=False)
    max_total_risk: float | None = Field(None, ge=0, allow_inf_nan=False)
    enterprises: str | None = Field(None, max_length=80)
    capacity: int | dict[str, int] | None = None

    def request(self, scenario_file: str | Path | None = None) -> OptimizeRequest:
        """The optimize service's request; ``scenario_file``: a stored scenario written out."""
        from oicplan.services.optimize import OptimizeRequest

        values = self.model_dump(exclude={"kind", "scenario", "scenario_version"})
        return OptimizeRequest(scenario=str(scenario_file or self.scenario), **values)


JobInputs = Annotated[
    PlanJob | RankingJob | SensitivityJob | OptimizeJob, Field(discriminator="kind")
]
"""The inputs of a job, by ``kind``."""

_ADAPTER: TypeAdapter[PlanJob | RankingJob | SensitivityJob | OptimizeJob] = TypeAdapter(JobInputs)


def job_inputs(data: dict[str, Any]) -> PlanJob | RankingJob | SensitivityJob | OptimizeJob:
    """The job a JSON object describes (``kind`` and its inputs).

    Raises
    ------
    InputError
        The first problem, naming its field (``scenario``, ``samples`` ...).

    >>> job_inputs({"kind": "sensitivity", "samples": 5})
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field samples: Input should be greater than or equal to 10
    """
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        if str(first.get("type", "")).startswith("union_tag"):
            kinds = "plan, ranking, sensitivity, optimize"
            raise InputError(f"kind is one of {kinds}", field="kind") from None
        where = [str(part) for part in first.get("loc", ()) if str(part) != data.get("kind")]
        message = str(first.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        raise InputError(message, field=".".join(where) or "inputs") from None


def _number(value: Any, digits: int = 6) -> float | None:
    if value is None:
        return None
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def _types(value: Any) -> list[str]:
    return [part for part in str(value or "").split(";") if part]


def _name_zh(row: Any) -> str:
    """A site's Chinese name (the ranking's ``name_zh``), else its original name."""
    name = row.get("name_zh")
    return str(name) if isinstance(name, str) and name else str(row["name"])


def ranking_rows(result: PlanResult) -> list[dict[str, Any]]:
    """Every ranked candidate of a plan: id, name, rank, score, pillar scores (JSON-ready).

    Kept with a plan run so that two runs can be compared on the sites neither chose.
    """
    ranked = result.plan.ranked
    pillars = list(ranked.pillar_ids)
    return [
        {
            "site_id": str(row["site_id"]),
            "name": str(row["name"]),
            "name_zh": _name_zh(row),
            "iso3": str(row["iso3"]),
            "rank": int(row["rank"]),
            "score": _number(row["score"]),
            "pillars": {p: _number(row[f"pillar_{p}"], 4) for p in pillars},
        }
        for _, row in ranked.table.iterrows()
    ]


def map_document(result: PlanResult) -> dict[str, Any]:
    """The map of a plan as JSON: candidates, chosen sites by mode, zones, hubs, routes.

    Every site has ``site_id``, ``name``, ``name_zh`` (the Chinese name, else the
    original), ``iso3``, ``lat`` and ``lon``. ``candidates`` (every ranked site,
    with ``chosen``, ``existing`` and ``zone`` flags), ``chosen`` (mode, strategy,
    opening year), ``existing_centers``, ``zones`` (candidates where a Zhejiang
    cooperation zone is), ``hubs`` (with ``name_zh``: :func:`oicplan.data.names_zh.hub_name_zh`),
    ``rail_lines`` (lists of ``[lat, lon]``) and ``sea_lanes`` (as
    :func:`oicplan.plan_map.sea_lane_lines` gives them, with ``hub_zh`` and ``port_zh``).
    ``result`` is a plan made with ``report=True`` (the map layers computed).
    """
    made = result.plan
    table = made.ranked.table
    chosen_ids = {str(site) for site in made.chosen["site_id"]}
    existing_ids = {str(site) for site in made.existing["site_id"]}

    def point(row: Any) -> dict[str, Any]:
        return {
            "site_id": str(row["site_id"]), "name": str(row["name"]),
            "name_zh": _name_zh(row), "iso3": str(row["iso3"]),
            "lat": _number(row["lat"]), "lon": _number(row["lon"]),
        }

    candidates = [
        {
            **point(row), "rank": int(row["rank"]), "score": _number(row["score"]),
            "site_type": str(row["site_type"]), "types": _types(row["types"]),
            "chosen": str(row["site_id"]) in chosen_ids,
            "existing": str(row["site_id"]) in existing_ids,
            "zone": "zone" in _types(row["types"]),
        }
        for _, row in table.iterrows()
    ]
    from oicplan.data.names_zh import hub_name_zh

    hubs_zh = {hub.name: hub_name_zh(hub.name, hub.lat, hub.lon)[0] for hub in made.scenario.hubs}
    ports_zh = {str(row["site_id"]): _name_zh(row) for _, row in table.iterrows()}
    layers = result.map_layers
    return {
        "scenario": made.scenario.name,
        "candidates": candidates,
        "chosen": [
            {**point(row), "rank": int(row["rank"]), "mode": str(row["mode"]),
             "strategy": str(row["strategy"]),
             "year": None if row.get("year") is None or _number(row.get("year")) is None
             else int(row["year"])}
            for _, row in made.chosen.iterrows()
        ],
        "existing_centers": [
            {**point(row), "center": None if not isinstance(row.get("center_name"), str)
             else row["center_name"]}
            for _, row in made.existing.iterrows()
        ],
        "zones": [
            {**point(row), "zone": None if not isinstance(row.get("zone_name"), str)
             else row["zone_name"]}
            for _, row in table.iterrows() if "zone" in _types(row["types"])
        ],
        "hubs": [
            {"name": hub.name, "name_zh": hubs_zh[hub.name],
             "lat": hub.lat, "lon": hub.lon, "modes": list(hub.modes or ())}
            for hub in made.scenario.hubs
        ],
        "rail_lines": [] if layers is None
        else [[[_number(lat), _number(lon)] for lat, lon in line] for line in layers.rail_lines],
        "sea_lanes": [] if layers is None else [
            {**lane, "points": [[_number(lat), _number(lon)] for lat, lon in lane["points"]],
             "hub_zh": hubs_zh.get(str(lane.get("hub"))),
             "port_zh": ports_zh.get(str(lane.get("port_id")))}
            for lane in layers.sea_lanes
        ],
    }
