"""Transport assumptions: speeds, detours, handling times and the cost index.

Everything the transport graph needs that the data do not give is here, with
its value and where it comes from. A value marked *assumption* is a modelling
choice, not a measured fact: change it through :class:`Assumptions` and
rebuild the graph.

The rail circuity factor and the rail speed are **not** here: they are derived
from the published Yiwu/Jinhua routes (see :func:`oicplan.geo.rail.rail_estimates`).

>>> a = Assumptions()
>>> round(a.sea_km_per_day, 1)  # 14 knots x 1.852 km per nautical mile x 24 h
622.3
>>> a.cost_index("rail", km=1000, days=10)
700.0
>>> Assumptions(cost_per_km={"sea": 0.2}).cost_index("sea", km=1000, days=0)
200.0

The cost index (``transport.cost_per_km.*``, ``transport.cost_per_day``,
``transport.transfer_cost`` of :mod:`oicplan.assumptions`) can move a plan: it
decides each site's best route, hence ``access_cost`` (the indicator
``SITE.ACCESS_COST`` of the connectivity pillar), ``access_mode``, ``access_days``
and the rail corridor. A scenario may set it; :func:`in_force` gives the
assumptions with the values in force (:func:`oicplan.assumptions.applied`), and
:func:`oicplan.geo.transport_graph` costs its graph with them.

>>> from oicplan.assumptions import applied
>>> with applied({"transport.cost_per_km.rail": 0.6}):
...     in_force().cost_per_km["rail"], costs_overridden()
(0.6, True)
>>> in_force() == Assumptions(), costs_overridden()
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from oicplan.assumptions import default, value
from oicplan.domain import TRANSPORT_MODES
from oicplan.errors import InputError

__all__ = [
    "AIR_DETOUR",
    "AIR_HANDLING_DAYS",
    "AIR_KM_PER_HOUR",
    "COAST_KM",
    "COST_ASSUMPTIONS",
    "COST_PER_DAY",
    "COST_PER_KM",
    "EDGE_MODES",
    "KM_PER_NAUTICAL_MILE",
    "LAST_LEG_MAX_KM",
    "MODES",
    "ROAD_CIRCUITY",
    "SEA_PORT_DAYS",
    "SEA_SPEED_KNOTS",
    "TRANSFER_COST",
    "TRANSFER_DAYS",
    "TRUCK_KM_PER_DAY",
    "TRUCK_MAX_SEA_KM",
    "TRUCK_SEA_DETOUR",
    "WATER_GAP_KM",
    "Assumptions",
    "cost_key",
    "costs_overridden",
    "in_force",
]

# Main-haul modes a site can be reached by; "truck" (feeder and last leg) and
# "transfer" (changing mode at a place) are helper modes of the graph, and "local"
# (from a terminal or port into its city) carries no km, time or cost.
MODES = TRANSPORT_MODES  # ("rail", "sea", "air"), the vocabulary of oicplan.domain
EDGE_MODES = ("rail", "sea", "air", "truck", "transfer", "local")

# 1 international nautical mile = 1,852 m exactly (International Hydrographic
# Conference 1929; BIPM SI brochure, table 8).
KM_PER_NAUTICAL_MILE = 1.852

# Assumption: container ships in slow-steaming service sail at about 14-18 knots;
# the low end is taken. 14 kn x 1.852 x 24 h = 622.3 km/day.
SEA_SPEED_KNOTS = 14.0

# Assumption: days in port at both ends together (berthing, loading, customs).
SEA_PORT_DAYS = 4.0

# Assumption: an airliner's great-circle track is lengthened by airways, holding and
# approach; 5 % is taken for long-haul flights (a modelling choice, not a measurement).
AIR_DETOUR = 1.05

# Assumption: average block speed of a long-haul freighter, take-off to landing.
AIR_KM_PER_HOUR = 800.0

# Assumption: fixed handling time of an air shipment, acceptance to delivery
# (booking, screening, customs at both ends): 2 days.
AIR_HANDLING_DAYS = 2.0

# Assumption: road distance / great-circle distance. Published road circuity factors
# for countries lie mostly between 1.1 and 1.4 (Ballou, Rahardja & Sakai 2002,
# Transportation Research A 36: 843-848); 1.3 is taken for mixed terrain.
ROAD_CIRCUITY = 1.3

# Assumption: one driver's day: 9 h of driving (EU Regulation 561/2006, art. 6)
# x about 55 km/h average = 495 km, rounded to 500 km/day.
TRUCK_KM_PER_DAY = 500.0

# Assumption: a last-leg truck serves sites up to 1,500 km (great circle) from the
# rail terminal or sea port; farther sites have no rail or sea access in the graph.
LAST_LEG_MAX_KM = 1500.0

# Assumption: a truck leg links two places on the same landmass, where straits up to
# about 40 km wide count as bridged (tunnel, bridge or short ferry: the Dover Strait
# is 33 km wide). Fixed by the grid in ``oicplan.geo.sea.landmass``; shown here. It is
# only a quick first filter: each leg is then read on the land mask along its own
# great circle (TRUCK_MAX_SEA_KM, TRUCK_SEA_DETOUR below).
WATER_GAP_KM = 40.0

# Assumption: a truck crosses water at most 40 km wide (a bridge, tunnel or short
# ferry); wider water on a leg's great circle must be driven round (TRUCK_SEA_DETOUR),
# or the leg crosses open sea and is not in the graph. Widths read on the land mask
# (global-land-mask, 1 km): the Dover Strait 33 km (the Channel Tunnel), North
# Channel 20, Great Belt 12, Gibraltar 13, Oresund 8, Bosporus 2; still closed at
# 40: Hormuz 48, the Korea Strait 49 (Busan-Tsushima). Measured on the default
# graph (docs/transport.md): 35 also closes Bioko and the Comoros, 50 opens Hormuz
# (Dubai-Mashhad) and the Korea Strait (Kobe-Busan).
# See ``oicplan.geo.sea.crosses_open_sea``.
TRUCK_MAX_SEA_KM = 40.0

# Assumption: how far a truck may go round wider water: land (water up to
# TRUCK_MAX_SEA_KM counted as land) must join the two shores inside the ellipse of
# points whose distances to them add up to at most 3 times the water crossed (and
# inside the leg's own ellipse of ROAD_CIRCUITY times its great circle); a way round
# longer than 1.5 times the water is measured, and the leg's land route must then be
# at most ROAD_CIRCUITY times its great circle (the road km the leg is given). Measured
# on the default graph: 2 also rejects drivable legs (Prague-Malmo over the Oresund
# bridge, London-Madrid through the Channel Tunnel, Rome-Marseille along the coast);
# 4 lets the Gulf, the Irish Sea and the Baltic through (Tehran-Doha, Liege-Dublin,
# Minsk-Stockholm).
TRUCK_SEA_DETOUR = 3.0

# Assumption: a site is a sea port if open sea (global-land-mask, 1 km grid) lies
# within 50 km of it (London on the Thames estuary, Antwerp on the Scheldt, Port
# Klang for Kuala Lumpur); inland cities get a truck leg from the nearest such port.
COAST_KM = 50.0

# Assumption: one change of mode (rail or sea to truck, truck to rail, sea or air):
# one day and a fixed cost of 100 index points.
TRANSFER_DAYS = 1.0
TRANSFER_COST = default("transport.transfer_cost")

# The modes with a cost per km, and those that pay the cost per day in transit.
_KM_MODES = ("rail", "sea", "air", "truck")
_DAY_MODES = ("rail", "sea", "air", "truck", "transfer")

#: The stated numbers of oicplan.assumptions behind the cost index (a scenario may set them).
COST_ASSUMPTIONS = (
    *(f"transport.cost_per_km.{mode}" for mode in _KM_MODES),
    "transport.cost_per_day",
    "transport.transfer_cost",
)

# Assumption: cost index per km of one container-load, in index points. Only the
# ratios matter: sea is the cheapest per km, rail about 5x sea, trucking about 2x
# rail, air about 40x sea. These ratios are modelling choices, to be replaced by
# the planner's own freight quotes. The values, with their reasons, are in the one
# table of stated numbers, oicplan.assumptions (transport.cost_per_km.*).
COST_PER_KM = {
    **{mode: default(f"transport.cost_per_km.{mode}") for mode in _KM_MODES},
    "transfer": 0.0,
    "local": 0.0,
}

# Assumption: cost index per day in transit (the time value of the goods and the
# capital tied up in them), the same for every mode by default (transport.cost_per_day
# of oicplan.assumptions).
COST_PER_DAY = {
    **{mode: default("transport.cost_per_day") for mode in _DAY_MODES},
    "local": 0.0,
}


@dataclass(frozen=True)
class Assumptions:
    """The transport assumptions as one value; every field defaults to the module constant.

    ``cost_per_km`` and ``cost_per_day`` may name only the modes to change; the
    others keep their defaults.
    """

    sea_speed_knots: float = SEA_SPEED_KNOTS
    sea_port_days: float = SEA_PORT_DAYS
    air_detour: float = AIR_DETOUR
    air_km_per_hour: float = AIR_KM_PER_HOUR
    air_handling_days: float = AIR_HANDLING_DAYS
    road_circuity: float = ROAD_CIRCUITY
    truck_km_per_day: float = TRUCK_KM_PER_DAY
    last_leg_max_km: float = LAST_LEG_MAX_KM
    truck_max_sea_km: float = TRUCK_MAX_SEA_KM
    truck_sea_detour: float = TRUCK_SEA_DETOUR
    coast_km: float = COAST_KM
    transfer_days: float = TRANSFER_DAYS
    transfer_cost: float = TRANSFER_COST
    cost_per_km: dict[str, float] = field(default_factory=dict)
    cost_per_day: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("cost_per_km", "cost_per_day"):
            given = getattr(self, name)
            unknown = sorted(set(given) - set(EDGE_MODES))
            if unknown:
                raise InputError(
                    f"unknown mode {unknown[0]!r}; use one of {', '.join(EDGE_MODES)}",
                    field=name,
                )
            base = COST_PER_KM if name == "cost_per_km" else COST_PER_DAY
            object.__setattr__(self, name, {**base, **{k: float(v) for k, v in given.items()}})
        positive = (
            "sea_speed_knots",
            "air_detour",
            "air_km_per_hour",
            "road_circuity",
            "truck_km_per_day",
        )
        for name in positive:
            if not getattr(self, name) > 0:
                raise InputError(f"must be positive, got {getattr(self, name)}", field=name)
        if not self.truck_max_sea_km >= 0:
            raise InputError(f"must be 0 or more, got {self.truck_max_sea_km}",
                             field="truck_max_sea_km")
        if not self.truck_sea_detour >= 1:
            raise InputError(f"must be 1 or more, got {self.truck_sea_detour}",
                             field="truck_sea_detour")

    @property
    def sea_km_per_day(self) -> float:
        """Sea speed in km per day."""
        return float(self.sea_speed_knots * KM_PER_NAUTICAL_MILE * 24)

    def cost_index(self, mode: str, *, km: float, days: float) -> float:
        """Generalized cost of ``km`` and ``days`` by ``mode`` (index points)."""
        return float(km * self.cost_per_km[mode] + days * self.cost_per_day[mode])

    def with_costs(self, other: Assumptions) -> Assumptions:
        """These assumptions with ``other``'s cost index (cost per km, per day, per transfer)."""
        return replace(self, cost_per_km=dict(other.cost_per_km),
                       cost_per_day=dict(other.cost_per_day), transfer_cost=other.transfer_cost)

    def cost_key(self) -> tuple:
        """The cost index as a hashable value (part of a cached graph's key).

        >>> Assumptions().cost_key() == Assumptions(cost_per_km={"rail": 0.5}).cost_key()
        True
        """
        return (tuple(sorted(self.cost_per_km.items())),
                tuple(sorted(self.cost_per_day.items())), float(self.transfer_cost))

    def as_dict(self) -> dict:
        """Every assumption as plain values (for reports and ``--json``)."""
        return {
            name: (dict(value) if isinstance(value, dict) else float(value))
            for name, value in self.__dict__.items()
        }


def in_force(base: Assumptions | None = None) -> Assumptions:
    """``base`` (default: the stated assumptions) with the cost index in force.

    The cost per km of each mode, the cost per day and the transfer cost are read
    with :func:`oicplan.assumptions.value`: a scenario's overrides while its plan
    is made (:func:`oicplan.assumptions.applied`), else the stated values.
    """
    per_day = value("transport.cost_per_day")
    costs = Assumptions(
        cost_per_km={mode: value(f"transport.cost_per_km.{mode}") for mode in _KM_MODES},
        cost_per_day={mode: per_day for mode in _DAY_MODES},
        transfer_cost=value("transport.transfer_cost"),
    )
    return (base or Assumptions()).with_costs(costs)


def cost_key() -> tuple[tuple[str, float], ...]:
    """The cost numbers in force, by name (see :data:`COST_ASSUMPTIONS`).

    >>> cost_key()[0]
    ('transport.cost_per_km.rail', 0.5)
    """
    return tuple((name, float(value(name))) for name in COST_ASSUMPTIONS)


def costs_overridden() -> bool:
    """True when a cost number in force differs from its stated value."""
    return any(number != default(name) for name, number in cost_key())
