"""Scenarios: what a planner asks, as a YAML file validated by pydantic.

A scenario names the home region and its hubs, which economies and site types
are candidates, the indicator framework, the pillar weights, the ranking
method, how many centers to choose and the cap per country. The built-in
``zhejiang`` scenario and one preset per layout strategy of the paper (section 3)
ship with the package; ``oicplan scenario show NAME`` prints one to copy and edit.

>>> scenario = load_scenario("zhejiang")
>>> scenario.centers, scenario.per_country_cap
(12, 2)
>>> sorted(scenario.weights)[:3]
['connectivity', 'cooperation', 'innovation']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from oicplan.assumptions import check_overrides
from oicplan.domain import CENTER_MODES, SITE_TYPES, STRATEGIES, TRANSPORT_MODES, SiteType
from oicplan.errors import InputError
from oicplan.textfile import read_text

__all__ = [
    "BUILTIN_SCENARIOS",
    "STRATEGIES",
    "CandidateFilter",
    "Hub",
    "MatchSettings",
    "Ranking",
    "Scenario",
    "Selection",
    "Transport",
    "Uncertainty",
    "load_scenario",
    "scenario_yaml",
]

_SCENARIO_DIR = Path(__file__).parent / "scenarios"

BUILTIN_SCENARIOS = (
    "zhejiang",
    "balanced",
    "zone_upgrade",
    "rail_corridor",
    "backbone_enterprises",
    "st_leader",
    "standards_policy",
)



class Hub(BaseModel):
    """A home hub (city or port): its coordinates and the transport modes it serves.

    ``modes`` are the main-haul modes that start at the hub (``air``, ``sea``,
    ``rail``; :data:`oicplan.domain.TRANSPORT_MODES`, the modes of
    :mod:`oicplan.geo.assumptions`); an empty list makes a feeder hub (trucks to the
    other hubs only). Left out (a file written before hubs had modes), the hub keeps
    the modes of the built-in ``zhejiang`` hub of the same name, and any other hub
    gets air, sea if it is a sea port and rail if published routes start there
    (:func:`oicplan.geo.graph.hub_modes`). ``role`` is a free description.

    >>> Hub(name="Shenzhen", lat=22.54554, lon=114.0683, modes=["sea", "air"]).modes
    ('sea', 'air')
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    role: str = ""
    modes: tuple[Literal[TRANSPORT_MODES], ...] | None = None  # type: ignore[valid-type]

    @field_validator("modes")
    @classmethod
    def _modes_once(cls, modes: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if modes is not None and len(set(modes)) != len(modes):
            raise ValueError(f"a mode is listed twice: {', '.join(modes)}")
        return modes


class CandidateFilter(BaseModel):
    """Which economies and site types are candidates.

    An economy is a candidate if its Belt and Road status is in ``bri_status``
    (``member``, ``unclear``, ``withdrawn``, ``none`` for not listed), or it is in
    ``include``; economies in ``exclude`` never are.
    """

    model_config = ConfigDict(extra="forbid")

    bri_status: list[Literal["member", "unclear", "withdrawn", "none"]] = ["member", "unclear"]
    include: list[str] = []
    exclude: list[str] = []
    site_types: list[SiteType] = list(SITE_TYPES)  # type: ignore[arg-type]
    min_coverage: float = Field(0.5, ge=0, le=1)

    @field_validator("include", "exclude")
    @classmethod
    def _upper(cls, codes: list[str]) -> list[str]:
        return [code.strip().upper() for code in codes]


class Ranking(BaseModel):
    """The ranking method over pillar scores, and its options."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["topsis", "vikor", "promethee2", "wsm", "wpm"] = "topsis"
    normalization: Literal["minmax", "vector", "sum", "max", "zscore", "none"] | None = None
    params: dict[str, float | str] = {}


class Uncertainty(BaseModel):
    """How sure is a rank: Monte Carlo over the pillar weights (and normalizations).

    Each replication multiplies every weight by ``1 + U(-spread, spread)`` and
    rescales; the report shows each site's median rank and 5–95% rank interval.
    """

    model_config = ConfigDict(extra="forbid")

    samples: int = Field(2000, ge=0, le=1_000_000)
    spread: float = Field(0.2, ge=0, lt=1)
    normalizations: list[Literal["minmax", "vector", "sum", "max", "zscore", "none"]] = []
    top_k: int = Field(12, ge=1)
    seed: int = 20261127
    # Alternative composite-index builds to draw among, each a set of build settings
    # changed from the scenario's (e.g. {imputation: group_mean}, {treatment: gii},
    # {aggregation: geometric, normalization_range: [1, 100]}); the base build is one of them.
    variants: list[dict[str, Any]] = []


class MatchSettings(BaseModel):
    """The industry–technology match behind the ``match`` pillar (docs/match.md)."""

    model_config = ConfigDict(extra="forbid")

    preset: Literal["near", "balanced", "far"] = "balanced"
    field_data: str | None = None


class Selection(BaseModel):
    """How the centers are chosen from the ranked sites.

    ``optimize`` (default) solves the layout model (:class:`oicplan.optimize.Layout`,
    a MILP solved with HiGHS): sites, modes and (with ``horizon``) opening years,
    maximizing the industries' match and the sites' quality under the number of
    centers, the per-country cap, at least ``min_per_strategy`` centers per layout
    strategy (one number for all, or per strategy such as ``{rail_corridor: 2,
    zone_upgrade: 2, st_leader: 3}``; strategies left out need none), at least
    ``min_per_region`` centers per continent or World Bank region (``{Europe: 3,
    Africa: 1}``), and optionally a budget and a risk cap. ``greedy`` is the
    simple rule-based choice (one site per strategy, then by rank).
    """

    model_config = ConfigDict(extra="forbid")

    method: Literal["optimize", "greedy"] = "optimize"
    budget: float | None = Field(None, gt=0)
    horizon: int | None = Field(None, ge=1, le=30)
    first_year: int = Field(2026, ge=2000, le=2100)
    annual_budget: float | None = Field(None, gt=0)
    min_per_strategy: int | dict[str, int] = 1
    min_per_region: dict[str, int] = {}
    max_mean_risk: float | None = Field(None, ge=0, le=1)
    max_total_risk: float | None = Field(None, ge=0)
    # Serve enterprises instead of Zhejiang's industries: "sample" (the labelled
    # synthetic sample), "stored" (the last `oicplan enterprises import`) or a file.
    enterprises: str | None = None
    # Most demands one center can serve: enterprises when `enterprises` is set,
    # else industries; one number, or one per center mode (others unlimited).
    capacity: int | dict[str, int] | None = None
    time_limit: float = Field(60.0, gt=0)
    # Seconds each solve behind the trade-off frontiers and the robustness re-solves may
    # take: they start from a known layout, and one stopped early says so (status
    # feasible, with its gap, in plan.json and the report).
    frontier_time_limit: float = Field(30.0, gt=0)
    pareto: bool = True
    # Re-solve with this many Monte Carlo draws of the pillar weights (the ranking's
    # uncertainty settings) and report how often each site is chosen; 0 = off.
    robustness_samples: int = Field(20, ge=0, le=1000)

    @field_validator("min_per_strategy", mode="before")
    @classmethod
    def _strategy_minimums(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return _minimums(value, known=tuple(STRATEGIES), what="strategy")
        return _count(value)

    @field_validator("min_per_region", mode="before")
    @classmethod
    def _region_minimums(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("give a mapping region: number, such as {Europe: 2, Africa: 1}")
        return _minimums(value, known=None, what="region")

    @field_validator("capacity")
    @classmethod
    def _capacity_modes(cls, value: Any) -> Any:
        if isinstance(value, dict):
            # plan.py imports this module, so the mode names are looked up here.
            unknown = [mode for mode in value if mode not in CENTER_MODES]
            if unknown:
                raise ValueError(
                    f"capacity for unknown center mode {unknown[0]!r}; "
                    f"use one of {', '.join(CENTER_MODES)}"
                )
            negative = {mode: count for mode, count in value.items() if count < 0}
            if negative:
                mode, count = next(iter(negative.items()))
                raise ValueError(f"the capacity of {mode!r} cannot be negative ({count})")
        elif value is not None and value < 1:
            raise ValueError(f"capacity must be at least 1, got {value}")
        return value


def _count(value: Any, name: str = "") -> int:
    """A minimum number of centers: a whole number >= 0 (not a bool)."""
    where = f" for {name!r}" if name else ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"the minimum{where} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"a minimum cannot be negative{where} ({value})")
    return value


def _minimums(value: dict, *, known: tuple[str, ...] | None, what: str) -> dict[str, int]:
    """Check a mapping name -> minimum; names must be in ``known`` when given."""
    out = {}
    for name, count in value.items():
        if known is not None and name not in known:
            raise ValueError(f"unknown {what} {name!r}; use one of {', '.join(known)}")
        out[str(name)] = _count(count, str(name))
    return out


class Facts(BaseModel):
    """Which fact rows a scenario counts.

    ``include_unconfirmed`` (default false): also count centers that were only
    announced or have closed, and zones whose level is not confirmed (the site
    types they give and the ``OIC.ZJ_ZONES``/``OIC.ZJ_CENTERS`` counts). Left out
    by default; the report lists them among the data gaps either way.
    """

    model_config = ConfigDict(extra="forbid")

    include_unconfirmed: bool = False


class Transport(BaseModel):
    """Disruptions of the corridors: closed sea passages, border crossings, rail segments.

    Names as ``oicplan access --avoid`` takes them: ``suez``, ``bab-el-mandeb``,
    ``hormuz``, ``malacca``, ``panama``, ``alashankou``, ``khorgos``, ``manzhouli``,
    or a rail segment such as ``Yiwu-Madrid``. With closures, each site's access
    is recomputed on the disrupted transport graph before ranking.
    """

    model_config = ConfigDict(extra="forbid")

    avoid: list[str] = []


class Scenario(BaseModel):
    """A planning scenario; see the built-in ``zhejiang.yaml`` for every field."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title_en: str = ""
    title_zh: str = ""
    home_region: str = "Zhejiang"
    hubs: list[Hub] = Field(min_length=1)
    # Whose facts the sites are credited with: "zhejiang" (its cooperation zones,
    # existing centers and Yiwu/Jinhua rail routes: site types zone, existing_center,
    # rail_node and OIC.ZJ_ZONES, OIC.ZJ_CENTERS, OIC.YIWU_RAIL) or null (none).
    # Left out: "zhejiang" when home_region is Zhejiang, else null.
    home_facts: Literal["zhejiang"] | None = None
    candidates: CandidateFilter = CandidateFilter()
    framework: str = "default"
    # Composite-indicator build settings (oicplan.indicators.BuildSettings), e.g.
    # {imputation: group_mean, treatment: gii, normalization: zscore}; empty = defaults.
    index_settings: dict[str, Any] = {}
    weights: dict[str, float]
    ranking: Ranking = Ranking()
    uncertainty: Uncertainty = Uncertainty()
    match: MatchSettings = MatchSettings()
    selection: Selection = Selection()
    transport: Transport = Transport()
    facts: Facts = Facts()
    centers: int = Field(12, ge=1, le=500)
    per_country_cap: int = Field(2, ge=1)
    strategies: list[Literal[tuple(STRATEGIES)]] = list(STRATEGIES)  # type: ignore[valid-type]
    # Stated numbers changed for this scenario (oicplan.assumptions; `oicplan assumptions`
    # lists them), e.g. {mode.pillar_threshold: 0.6}; empty = as stated. plan.json
    # records the values used.
    assumptions: dict[str, float] = {}
    # The file the scenario was loaded from (set by load_scenario), for error messages.
    _source: str | None = PrivateAttr(None)

    @property
    def source_file(self) -> str | None:
        """The YAML file this scenario was loaded from, or None if built in code."""
        return self._source

    def __eq__(self, other: object) -> bool:
        """Equal settings make equal scenarios, whichever file they came from."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    @field_validator("assumptions", mode="before")
    @classmethod
    def _known_assumptions(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            raise ValueError("give a mapping name: value, such as {mode.pillar_threshold: 0.6}")
        try:
            return check_overrides(given, plan_only=True)
        except InputError as error:
            raise ValueError(f"{error.field}: {error.message}") from None

    @field_validator("weights")
    @classmethod
    def _weights_valid(cls, weights: dict[str, float]) -> dict[str, float]:
        for pillar, weight in weights.items():
            if weight < 0:
                raise ValueError(f"weight of {pillar!r} is negative ({weight})")
        if sum(weights.values()) <= 0:
            raise ValueError("weights must not all be zero")
        return weights

    @model_validator(mode="before")
    @classmethod
    def _default_home_facts(cls, data: Any) -> Any:
        if isinstance(data, dict) and "home_facts" not in data:
            region = str(data.get("home_region", "Zhejiang")).strip().lower()
            data = {**data, "home_facts": "zhejiang" if region == "zhejiang" else None}
        return data

    @model_validator(mode="after")
    def _minimums_for_own_strategies(self) -> Scenario:
        wanted = self.selection.min_per_strategy
        if isinstance(wanted, dict):
            left_out = [name for name, count in wanted.items() if count and
                        name not in self.strategies]
            if left_out:
                raise ValueError(
                    f"selection.min_per_strategy asks for {', '.join(left_out)}, which is not "
                    f"among this scenario's strategies ({', '.join(self.strategies)})"
                )
        return self


def _resolve(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if text in BUILTIN_SCENARIOS:
        return _SCENARIO_DIR / f"{text}.yaml"
    path = Path(text)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(
            f"unknown scenario {text!r}: use one of {', '.join(BUILTIN_SCENARIOS)} "
            "or a path to a .yaml file",
            field="scenario",
        )
    if not path.is_file():
        raise InputError("scenario file not found", file=text, field="scenario")
    return path


def scenario_yaml(name_or_path: str | Path) -> str:
    """The YAML text of a scenario, as shipped (comments included)."""
    return read_text(_resolve(name_or_path))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a built-in scenario or a YAML file.

    Errors name the file and the field, e.g. ``my.yaml, field centers: ...``.
    """
    path = _resolve(name_or_path)
    try:
        raw = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise InputError(
            f"not valid YAML ({getattr(error, 'problem', error)})", file=str(path), row=row
        ) from None
    if not isinstance(raw, dict):
        raise InputError("a scenario must be a YAML mapping of fields", file=str(path))
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "scenario"
        raise InputError(first["msg"], file=str(path), field=where) from None
    scenario._source = str(path)
    return scenario
