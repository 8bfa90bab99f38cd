"""The assumptions behind every center cost: defaults, YAML overrides, validation.

Every number here is a planning placeholder chosen for this tool, **not a sourced
figure** (see :mod:`oicplan.finance.cost`). :class:`CostAssumptions` is the one
table; :func:`load_assumptions` and :func:`assumptions_from_dict` override it from
a YAML file or a mapping. The file's layout is checked by pydantic models
(:class:`AssumptionsFile`, :class:`RoleOverride`, :class:`ModeOverride`); their
errors become one :class:`~oicplan.errors.InputError` naming the file and the
field in plain words. Mode keys are those of :data:`oicplan.domain.MODE_KEYS`.

>>> a = assumptions_from_dict({"modes": {"joint_lab": {"setup_cost": 1000}}})
>>> a.modes["joint_lab"].setup_cost, a.modes["joint_lab"].headcount
(1000.0, 10)
>>> assumptions_from_dict({"modes": {"moon_base": {"setup_cost": 1}}})
Traceback (most recent call last):
...
oicplan.errors.InputError: field modes.moon_base: unknown mode 'moon_base'; choose from \
offshore_rd_center, offshore_incubator, joint_lab, zone_upgrade, corridor_hub
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from oicplan.domain import MODE_KEYS
from oicplan.errors import InputError
from oicplan.textfile import read_text

__all__ = [
    "AssumptionsFile",
    "CostAssumptions",
    "ModeOverride",
    "ModeProfile",
    "Role",
    "RoleOverride",
    "assumptions_from_dict",
    "default_assumptions",
    "load_assumptions",
    "parse_assumptions_file",
]


# ---------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Role:
    """One staff role: yearly employer cost per head in the reference economy.

    ``base_cost`` is in US$ of the assumptions' price year and includes salary
    and employer on-costs. ``scaled`` False keeps the cost as it is in every
    host (staff seconded from Zhejiang, paid home salary plus allowances).
    """

    base_cost: float
    scaled: bool = True
    label: str = ""


@dataclass(frozen=True)
class ModeProfile:
    """Default make-up of a center mode (all assumptions).

    ``staff`` maps role to headcount; ``area_per_head`` is office floor area
    in m² per person; ``setup_cost`` the one-off cost in the reference
    economy (US$); ``rd_share`` the share of the yearly cost that is R&D and
    eligible for China's super-deduction.
    """

    staff: dict[str, int]
    area_per_head: float
    setup_cost: float
    rd_share: float
    label: str = ""

    @property
    def headcount(self) -> int:
        """Total default headcount."""
        return int(sum(self.staff.values()))


def _default_roles() -> dict[str, Role]:
    # ASSUMPTIONS: round planning placeholders for the yearly employer cost per
    # head in the reference economy (United States), US$ of 2024. Not sourced.
    return {
        "manager": Role(200_000.0, True, "center director, lab or program manager"),
        "researcher": Role(160_000.0, True, "researcher / scientist"),
        "engineer": Role(140_000.0, True, "development or application engineer"),
        "business_developer": Role(120_000.0, True, "partnerships, incubation, market"),
        "admin": Role(75_000.0, True, "administration, finance, HR, logistics"),
        "expatriate": Role(120_000.0, False, "staff seconded from Zhejiang (not scaled)"),
    }


def _default_modes() -> dict[str, ModeProfile]:
    # ASSUMPTIONS: default headcount mix, office area per head (m²), one-off
    # setup cost (US$ of 2024, reference economy) and R&D share per mode.
    # Sized so that an R&D center is the largest and an incubator the smallest.
    # One profile per key of oicplan.domain.MODE_KEYS (a test checks it).
    return {
        "offshore_rd_center": ModeProfile(
            {"manager": 2, "researcher": 10, "engineer": 8, "admin": 2, "expatriate": 3},
            12.0,
            1_500_000.0,
            0.9,
            "Offshore R&D center (wholly owned / JV)",
        ),
        "offshore_incubator": ModeProfile(
            {"manager": 1, "business_developer": 2, "engineer": 1, "admin": 1, "expatriate": 1},
            15.0,
            300_000.0,
            0.3,
            "Offshore innovation incubator (area includes shared desks for startups)",
        ),
        "joint_lab": ModeProfile(
            {"manager": 1, "researcher": 5, "engineer": 2, "admin": 1, "expatriate": 1},
            8.0,
            800_000.0,
            0.9,
            "Joint lab with host universities (partly on campus; lab equipment in setup)",
        ),
        "zone_upgrade": ModeProfile(
            {"manager": 2, "engineer": 4, "business_developer": 3, "admin": 3, "expatriate": 2},
            12.0,
            2_000_000.0,
            0.4,
            "Cooperation-zone upgrade to a sci-tech zone (zone infrastructure excluded)",
        ),
        "corridor_hub": ModeProfile(
            {"manager": 1, "business_developer": 3, "engineer": 1, "admin": 2, "expatriate": 1},
            10.0,
            500_000.0,
            0.1,
            "Corridor hub (office only; the overseas warehouse is excluded)",
        ),
    }


@dataclass(frozen=True)
class CostAssumptions:
    """The one table of assumptions behind every cost: **not data**, all overridable.

    Every number here is a planning placeholder chosen for this tool, not a
    sourced figure. Change any of them with a YAML file (:func:`load_assumptions`,
    ``oicplan cost --assumptions FILE``); ``oicplan cost --show-assumptions``
    prints this table as YAML to start from.

    Attributes
    ----------
    price_year : int
        Price year of all US$ amounts (2024).
    reference_iso3 : str
        Economy whose costs the role and rent figures describe ("USA").
    salary_elasticity : float
        Exponent on the productivity ratio (1.0: proportional). Below 1 makes
        pay vary less across economies than productivity does.
    roles : dict of Role
        Yearly employer cost per head in the reference economy.
    modes : dict of ModeProfile
        Headcount mix, m² per head, setup cost and R&D share per mode (one per
        key of :data:`oicplan.domain.MODE_KEYS`).
    rent_per_m2_year : float
        Office rent in the reference economy, US$ per m² and year (500).
    setup_local_share : float
        Share of the setup cost spent locally and scaled by the price level (0.5);
        the rest (equipment) is priced the same everywhere.
    travel_per_head : float
        Travel and exchange between Zhejiang and the host, US$ per head and year (8000).
    fx_cost_share : float
        Currency conversion and hedging, share of salaries and rent (0.01).
    discount_rate : float
        Real discount rate for the NPV (0.06).
    horizon_years : int
        Years of operation in the NPV (10).
    city_rents : dict
        ``site_id -> rent`` (US$ per m² and year) that replaces the scaled rent.
    origin : str
        Where the table came from (built-in defaults or a file).
    """

    price_year: int = 2024
    reference_iso3: str = "USA"
    salary_elasticity: float = 1.0
    roles: dict[str, Role] = field(default_factory=_default_roles)
    modes: dict[str, ModeProfile] = field(default_factory=_default_modes)
    rent_per_m2_year: float = 500.0
    setup_local_share: float = 0.5
    travel_per_head: float = 8_000.0
    fx_cost_share: float = 0.01
    discount_rate: float = 0.06
    horizon_years: int = 10
    city_rents: dict[str, float] = field(default_factory=dict)
    origin: str = "built-in defaults"

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary in the YAML layout that :func:`assumptions_from_dict` reads."""
        out = asdict(self)
        out.pop("origin")
        return out

    def to_yaml(self) -> str:
        """The table as commented YAML, ready to copy and edit."""
        header = (
            "# oicplan cost assumptions: planning placeholders, NOT sourced figures.\n"
            "# Money in US$ of price_year; roles and rent describe reference_iso3.\n"
            "# Keep only the keys you change; the rest stay at their defaults.\n"
        )
        return header + yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def default_assumptions() -> CostAssumptions:
    """The built-in assumptions table (placeholders, not data).

    Examples
    --------
    >>> a = default_assumptions()
    >>> a.reference_iso3, a.price_year, a.modes["offshore_rd_center"].headcount
    ('USA', 2024, 25)
    """
    return CostAssumptions()


# ------------------------------------------------------------ the file's layout


def _refuse_bool(value: Any) -> Any:
    """YAML ``true``/``false`` is not a number (pydantic would read it as 1 or 0)."""
    if isinstance(value, bool):
        raise ValueError("bool")
    return value


def _text(value: Any) -> str:
    return str(value)


def _iso3(value: Any) -> str:
    return str(value).strip().upper()


_Number = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_refuse_bool)]
Amount = Annotated[_Number, Field(ge=0)]
"""A finite number, zero or more (US$, m², a rate of growth ...)."""
Share = Annotated[_Number, Field(ge=0, le=1)]
"""A share between 0 and 1."""
_Whole = Annotated[int, BeforeValidator(_refuse_bool)]
Count = Annotated[_Whole, Field(ge=0)]
"""A whole number of people, zero or more."""
ModeKey = Literal[MODE_KEYS]  # type: ignore[valid-type]
"""A center mode key of :data:`oicplan.domain.MODE_KEYS`."""


class RoleOverride(BaseModel):
    """A role in the file: the fields it names replace the defaults' (a bare number is the cost)."""

    model_config = ConfigDict(extra="forbid")

    base_cost: Amount = None  # type: ignore[assignment]
    scaled: bool = None  # type: ignore[assignment]
    label: Annotated[str, BeforeValidator(_text)] = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _bare_cost(cls, data: Any) -> Any:
        return data if isinstance(data, Mapping) else {"base_cost": data}


class ModeOverride(BaseModel):
    """A mode in the file: the fields it names replace the defaults'; ``staff`` replaces the mix."""

    model_config = ConfigDict(extra="forbid")

    staff: dict[str, Count] = None  # type: ignore[assignment]
    area_per_head: Amount = None  # type: ignore[assignment]
    setup_cost: Amount = None  # type: ignore[assignment]
    rd_share: Share = None  # type: ignore[assignment]
    label: Annotated[str, BeforeValidator(_text)] = None  # type: ignore[assignment]


class AssumptionsFile(BaseModel):
    """The layout of an assumptions file: every key optional, unknown keys refused.

    A field left out keeps the value of the table it overrides; the defaults
    here (None) are never used as values. A key given with an empty value
    (``travel_per_head:``) is an error, except ``city_rents``, ``roles`` and
    ``modes``, where it means none.

    >>> AssumptionsFile.model_validate({"horizon_years": 5}).model_fields_set
    {'horizon_years'}
    """

    model_config = ConfigDict(extra="forbid")

    price_year: Annotated[_Whole, Field(ge=1900)] = None  # type: ignore[assignment]
    reference_iso3: Annotated[str, BeforeValidator(_iso3)] = None  # type: ignore[assignment]
    salary_elasticity: Amount = None  # type: ignore[assignment]
    rent_per_m2_year: Amount = None  # type: ignore[assignment]
    travel_per_head: Amount = None  # type: ignore[assignment]
    setup_local_share: Share = None  # type: ignore[assignment]
    fx_cost_share: Share = None  # type: ignore[assignment]
    discount_rate: Annotated[_Number, Field(ge=-0.99)] = None  # type: ignore[assignment]
    horizon_years: Annotated[_Whole, Field(ge=1)] = None  # type: ignore[assignment]
    city_rents: dict[str, Amount] | None = None
    roles: dict[str, RoleOverride] | None = None
    modes: dict[ModeKey, ModeOverride] | None = None


# ------------------------------------------------------- errors in plain words


def _as_number(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return repr(value)


def _plain(error: ErrorDetails) -> tuple[str, str | None]:
    """One pydantic error as (message, field) in the words of the old validator."""
    loc = [str(part) for part in error["loc"]]
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}", ".".join(loc[:-1]) or None
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        if loc[0] == "modes":
            choices = ", ".join(MODE_KEYS)
            return f"unknown mode {loc[-1]!r}; choose from {choices}", ".".join(loc)
        return f"not a valid name: {loc[-1]!r}", ".".join(loc)
    if loc[0] == "roles" and len(loc) == 3 and loc[2] == "base_cost":
        loc = loc[:2]  # a role's cost is named by the role (it may be a bare number)
    where = ".".join(loc) or None
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        expected = {
            "city_rents": "expected site_id: rent pairs",
            "staff": "expected role: headcount pairs",
        }.get(loc[-1] if loc else "", "expected a mapping")
        return expected, where
    if kind == "finite_number":
        return f"must be a finite number, got {value!r}", where
    if kind in ("int_from_float", "int_parsing") and _is_fraction(value):
        return f"must be a whole number, got {value!r}", where
    if kind == "greater_than_equal":
        floor = float(ctx["ge"])
        word = "negative" if floor == 0 else f"below {floor:g}"
        return f"must not be {word}, got {_as_number(value)}", where
    if kind == "less_than_equal":
        return f"must be a share between 0 and 1, got {_as_number(value)}", where
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {value!r}", where
    if kind in ("string_type",):
        return f"expected text, got {value!r}", where
    return f"not a number: {value!r}", where


def _is_fraction(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number != int(number)


def _first_error(exc: ValidationError) -> tuple[str, str | None]:
    """The error to report: unknown top-level keys first (all of them), else the first."""
    errors = exc.errors()
    unknown = sorted(
        str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1
    )
    if unknown:
        known = sorted(AssumptionsFile.model_fields)
        return f"unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}", unknown[0]
    return _plain(errors[0])


def parse_assumptions_file(data: Mapping[str, Any], *, file: str | None = None) -> AssumptionsFile:
    """``data`` checked against :class:`AssumptionsFile`, or an InputError naming the field.

    >>> parse_assumptions_file({"fx_cost_share": 1.5})
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field fx_cost_share: must be a share between 0 and 1, got 1.5
    """
    try:
        return AssumptionsFile.model_validate(dict(data))
    except ValidationError as exc:
        message, where = _first_error(exc)
        raise InputError(message, file=file, field=where) from None


# ------------------------------------------------------------------ merging


def _merge_roles(base: Mapping[str, Role], given: Mapping[str, RoleOverride], file: str | None):
    roles = dict(base)
    for name, spec in given.items():
        old = roles.get(name)
        if old is None and spec.base_cost is None:
            raise InputError("a new role needs base_cost", file=file, field=f"roles.{name}")
        old = old or Role(0.0)
        roles[name] = Role(
            base_cost=float(old.base_cost if spec.base_cost is None else spec.base_cost),
            scaled=bool(old.scaled if spec.scaled is None else spec.scaled),
            label=str(old.label if spec.label is None else spec.label),
        )
    return roles


def _merge_modes(base: Mapping[str, ModeProfile], given: Mapping[str, ModeOverride], file):
    modes = dict(base)
    needed = ("staff", "area_per_head", "setup_cost", "rd_share")
    for name, spec in given.items():
        old = modes.get(name)
        if old is None and any(getattr(spec, key) is None for key in needed):
            raise InputError(
                "a new mode needs staff, area_per_head, setup_cost and rd_share",
                file=file,
                field=f"modes.{name}",
            )
        staff = old.staff if spec.staff is None else spec.staff
        modes[name] = ModeProfile(
            staff={str(role): int(count) for role, count in staff.items()},
            area_per_head=float(
                old.area_per_head if spec.area_per_head is None else spec.area_per_head
            ),
            setup_cost=float(old.setup_cost if spec.setup_cost is None else spec.setup_cost),
            rd_share=float(old.rd_share if spec.rd_share is None else spec.rd_share),
            label=str(old.label if spec.label is None else spec.label),
        )
    return modes


def _check_staff(roles: Mapping[str, Role], modes: Mapping[str, ModeProfile], file) -> None:
    for name, profile in modes.items():
        if profile.headcount < 1:
            raise InputError("needs at least one person", file=file, field=f"modes.{name}.staff")
        for role in profile.staff:
            if role not in roles:
                raise InputError(
                    f"role {role!r} has no entry under roles", file=file, field=f"modes.{name}"
                )


_SCALARS = (
    "price_year",
    "reference_iso3",
    "salary_elasticity",
    "rent_per_m2_year",
    "travel_per_head",
    "setup_local_share",
    "fx_cost_share",
    "discount_rate",
    "horizon_years",
)


def assumptions_from_dict(
    data: Mapping[str, Any] | None,
    base: CostAssumptions | None = None,
    *,
    file: str | None = None,
) -> CostAssumptions:
    """Override ``base`` (the defaults) with the keys present in ``data``.

    Roles and modes merge key by key: a role or mode given in ``data`` replaces
    only the fields it names, and new roles may be added (modes are the keys of
    :data:`oicplan.domain.MODE_KEYS`). A mode's ``staff`` given in ``data``
    replaces the whole mix.

    Parameters
    ----------
    data : mapping or None
        Parsed YAML (see :meth:`CostAssumptions.to_dict` for the layout and
        :class:`AssumptionsFile` for the checks).
    base : CostAssumptions, optional
        Table to start from; the defaults if omitted.
    file : str, optional
        File name for error messages.

    Returns
    -------
    CostAssumptions

    Raises
    ------
    InputError
        Naming the field for an unknown key or mode, a negative amount, a share
        above 1, a staff role without a cost, or a mode without staff.

    Examples
    --------
    >>> a = assumptions_from_dict({"rent_per_m2_year": 300, "roles": {"admin": {"base_cost": 5e4}}})
    >>> a.rent_per_m2_year, a.roles["admin"].base_cost, a.roles["admin"].scaled
    (300.0, 50000.0, True)
    >>> assumptions_from_dict({"horizon_years": -1})
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field horizon_years: must not be below 1, got -1
    """
    base = base or default_assumptions()
    if data is None:
        return base
    if not isinstance(data, Mapping):
        raise InputError("expected a mapping of assumption names to values", file=file)
    parsed = parse_assumptions_file(data, file=file)
    given = parsed.model_fields_set
    changes: dict[str, Any] = {name: getattr(parsed, name) for name in _SCALARS if name in given}
    for name in ("salary_elasticity", "rent_per_m2_year", "travel_per_head"):
        if name in changes:
            changes[name] = float(changes[name])
    if parsed.city_rents is not None or "city_rents" in given:
        changes["city_rents"] = {**base.city_rents, **(parsed.city_rents or {})}
    roles = _merge_roles(base.roles, parsed.roles or {}, file)
    modes = _merge_modes(base.modes, parsed.modes or {}, file)
    _check_staff(roles, modes, file)
    changes["roles"] = roles
    changes["modes"] = modes
    if file:
        changes["origin"] = f"{file} over {base.origin}"
    return replace(base, **changes)


def load_assumptions(path: str | Path, base: CostAssumptions | None = None) -> CostAssumptions:
    """Read a YAML file of assumption overrides (see :func:`assumptions_from_dict`).

    Parameters
    ----------
    path : str or Path
        YAML file; keys not in it keep their default.
    base : CostAssumptions, optional

    Returns
    -------
    CostAssumptions

    Raises
    ------
    InputError
        For an unreadable file, bad YAML or a bad value, naming the file and field.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "a.yaml")
    ...     _ = open(p, "w").write("travel_per_head: 5000\\ncity_rents:\\n  ESP-madrid: 320\\n")
    ...     a = load_assumptions(p)
    >>> a.travel_per_head, a.city_rents["ESP-madrid"]
    (5000.0, 320.0)
    """
    path = Path(path)
    text = read_text(path)  # UTF-8, UTF-16 or GB18030/GBK; errors name the file
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from None
    return assumptions_from_dict(data or {}, base, file=str(path))
