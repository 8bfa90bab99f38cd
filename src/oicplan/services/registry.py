"""Use cases of the registry of established centers: list, add, KPIs, site links, alerts.

What ``oicplan centers list|add|import-kpis|set-site|set-target|alerts`` do, for
the command line, the REST API and notebooks alike. Every request names the
registry database (``database_url``; None means ``$OICPLAN_DATABASE_URL`` or the
SQLite file under the user's data directory, as :func:`oicplan.store.resolve_database_url`
says); each call opens it (migrating a new database to the latest schema and
seeding it), does its work in its own transactions and closes it again.

Results carry JSON-ready records; ``result.document()`` is the document the
command's ``--json`` option prints.

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "registry.sqlite")
...     added = add_center(AddCenterRequest(
...         database_url=url, name="Zhejiang-Hungary Joint Lab", iso3="hun", mode="joint_lab"))
...     listed = list_centers(ListCentersRequest(database_url=url, iso3="HUN"))
>>> added.center.id, [c.id for c in listed.centers]
('zhejiang-hungary-joint-lab', ['zhejiang-hungary-joint-lab'])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from oicplan.errors import InputError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.store.registry import Registry

__all__ = [
    "AddCenterRequest",
    "AlertRecord",
    "CenterAlertsRequest",
    "CenterAlertsResult",
    "CenterLight",
    "CenterRecord",
    "CenterResult",
    "CentersResult",
    "ImportKpisRequest",
    "ImportKpisResult",
    "ListCentersRequest",
    "RegistryRequest",
    "SetSiteRequest",
    "SetTargetRequest",
    "TargetResult",
    "add_center",
    "center_alerts",
    "import_kpis",
    "list_centers",
    "set_site",
    "set_target",
]


# --------------------------------------------------------------------------- records


class CenterRecord(Result):
    """One center of the registry, fields in :data:`oicplan.store.models.CENTER_COLUMNS` order."""

    id: str
    name: str
    name_zh: str | None = None
    host_city: str | None = None
    iso3: str
    mode: str
    operator: str | None = None
    opening_year: int | None = None
    opening_year_text: str | None = None
    partners: str | None = None
    type_text: str | None = None
    status: str | None = None
    source: str | None = None
    as_of: str | None = None
    site_id: str | None = None


class AlertRecord(Result):
    """One finding about a center (see :class:`oicplan.monitor.alerts.Alert`)."""

    center_id: str
    kind: str
    severity: str
    message: str
    kpi: str | None = None
    year: int | None = None


class CenterLight(Result):
    """A center's traffic light (green, amber or red) with the alerts behind it."""

    center_id: str
    name: str
    iso3: str
    mode: str
    site_id: str | None = None
    light: str
    alerts: tuple[AlertRecord, ...] = ()


# --------------------------------------------------------------------------- requests


class RegistryRequest(Request):
    """What every registry request names: the database."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the registry; None: $OICPLAN_DATABASE_URL or the "
        "SQLite file in the user's data directory.",
    )


class ListCentersRequest(RegistryRequest):
    """List the centers, optionally only one mode or one host country."""

    mode: str | None = None
    iso3: str | None = None


class AddCenterRequest(RegistryRequest):
    """A new center; ``id`` defaults to a slug of the name (see :meth:`Registry.add_center`)."""

    name: str
    iso3: str
    mode: str
    id: str | None = None
    name_zh: str | None = None
    host_city: str | None = None
    operator: str | None = None
    opening_year: int | None = None
    partners: str | None = None
    source: str | None = None
    site_id: str | None = None


class ImportKpisRequest(RegistryRequest):
    """A CSV or XLSX file of yearly KPI values: ``center_id, year, kpi, value, unit``."""

    file: Path


class SetSiteRequest(RegistryRequest):
    """Link a center to a candidate site; ``site_id`` None removes the link."""

    center_id: str
    site_id: str | None = None


class SetTargetRequest(RegistryRequest):
    """The target of a KPI for a center, for one year or (``year`` None) every year."""

    center_id: str
    kpi: str
    target: float
    year: int | None = None


class CenterAlertsRequest(RegistryRequest):
    """Traffic lights of every center.

    ``costs_file`` (``center_id, year, budget, actual``) adds cost-overrun alerts;
    ``risk_file`` (``iso3, year, score``) replaces the embedded governance data
    (WGI) for the host-risk alerts.
    """

    years: int = Field(default=2, ge=1)
    costs_file: Path | None = None
    risk_file: Path | None = None
    min_rise: float = Field(default=0.15, ge=0)


# --------------------------------------------------------------------------- results


class CentersResult(Result):
    """Centers sorted by id."""

    centers: tuple[CenterRecord, ...]

    def document(self) -> list[dict[str, Any]]:
        """The centers as ``centers list --json`` prints them."""
        return [center.model_dump(mode="json") for center in self.centers]


class CenterResult(Result):
    """One stored center."""

    center: CenterRecord

    def document(self) -> dict[str, Any]:
        """The center as ``centers add|set-site --json`` print it."""
        return self.center.model_dump(mode="json")


class ImportKpisResult(Result):
    """What an import stored: the file, the number of values and the centers touched."""

    file: str
    rows: int
    centers: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """The summary ``centers import-kpis --json`` prints."""
        return self.model_dump(mode="json")


class TargetResult(Result):
    """A stored KPI target; ``unit`` (the KPI's unit) is not part of the document."""

    center_id: str
    kpi: str
    year: int | None
    target: float
    unit: str = Field(exclude=True)

    def document(self) -> dict[str, Any]:
        """The target as ``centers set-target --json`` prints it."""
        return self.model_dump(mode="json")


class CenterAlertsResult(Result):
    """Every center's light and alerts, red first, then amber, then green."""

    centers: tuple[CenterLight, ...]

    def document(self) -> list[dict[str, Any]]:
        """The lights as ``centers alerts --json`` prints them."""
        return [center.model_dump(mode="json") for center in self.centers]


# --------------------------------------------------------------------------- use cases


@contextmanager
def _opened(database_url: str | None) -> Iterator[Registry]:
    """The registry at ``database_url``, its connections closed afterwards."""
    from oicplan.store.registry import Registry

    registry = Registry(database_url)
    try:
        yield registry
    finally:
        registry.dispose()


def list_centers(request: ListCentersRequest) -> CentersResult:
    """The registry's centers, sorted by id, optionally filtered by mode and host country.

    Parameters
    ----------
    request : ListCentersRequest

    Returns
    -------
    CentersResult
    """
    with _opened(request.database_url) as registry:
        rows = registry.list_centers(mode=request.mode, iso3=request.iso3)
    return CentersResult(centers=tuple(CenterRecord.model_validate(row) for row in rows))


def add_center(request: AddCenterRequest) -> CenterResult:
    """Validate and store a new center.

    Raises
    ------
    InputError
        Naming the field (``name``, ``id``, ``iso3``, ``mode``, ``opening_year``,
        ``site_id``); nothing is stored.
    """
    fields = request.model_dump(exclude={"database_url"})
    with _opened(request.database_url) as registry:
        center = registry.add_center(**fields)
    return CenterResult(center=CenterRecord.model_validate(center))


def import_kpis(request: ImportKpisRequest) -> ImportKpisResult:
    """Store the KPI values of a CSV or XLSX file, all or nothing.

    Raises
    ------
    InputError
        For the first bad row (an unknown center, KPI or unit, a value that is
        not a number of zero or more, a year out of range ...), naming file, row
        and field; nothing is stored.
    """
    from oicplan.monitor.kpis import import_kpis as store_kpis

    with _opened(request.database_url) as registry:
        summary = store_kpis(registry, request.file)
    return ImportKpisResult(
        file=str(summary["file"]), rows=int(summary["rows"]), centers=tuple(summary["centers"])
    )


def set_site(request: SetSiteRequest) -> CenterResult:
    """Link a center to a candidate site in its country, or remove the link.

    Raises
    ------
    InputError
        Unknown center (field ``center_id``); unknown site or a site in another
        country (field ``site_id``).
    """
    with _opened(request.database_url) as registry:
        center = registry.set_site(request.center_id, request.site_id)
    return CenterResult(center=CenterRecord.model_validate(center))


def set_target(request: SetTargetRequest) -> TargetResult:
    """Set (or replace) the target of a KPI for a center.

    Raises
    ------
    InputError
        Unknown KPI (field ``kpi``), unknown center (``center_id``), a negative
        target (``target``) or a year out of range or before the center's opening
        year (``year``).
    """
    from oicplan.monitor.kpis import KPIS

    if request.kpi not in KPIS:
        raise InputError(
            f"unknown KPI {request.kpi!r}; use one of {', '.join(KPIS)}", field="kpi"
        )
    with _opened(request.database_url) as registry:
        stored = registry.set_target(
            request.center_id, request.kpi, request.target, year=request.year
        )
    return TargetResult(**stored, unit=KPIS[request.kpi].unit)


def _embedded_risk(registry: Registry) -> dict[str, list[tuple[int, float]]]:
    """Host-economy risk series (minus the mean WGI estimate) from the embedded dataset."""
    from oicplan.data.dataset import load_dataset
    from oicplan.monitor.risk import host_risk_series

    codes = sorted({center["iso3"] for center in registry.list_centers()})
    return host_risk_series(load_dataset(), codes)


def center_alerts(request: CenterAlertsRequest) -> CenterAlertsResult:
    """Traffic light per center with the reasons.

    Red: a KPI below target for ``years`` consecutive years, or cost more than
    20 % over budget. Amber: a smaller cost overrun, host-country risk rising by
    more than ``min_rise`` over the last 3 observations, or no KPI values yet.

    Raises
    ------
    InputError
        A costs or risk file row that cannot be read, naming file, row and field.
    """
    from oicplan.monitor.alerts import overview, read_costs, read_risk

    with _opened(request.database_url) as registry:
        costs: Mapping[str, Sequence[tuple[int, float, float]]] | None = (
            read_costs(request.costs_file) if request.costs_file else None
        )
        risk = read_risk(request.risk_file) if request.risk_file else _embedded_risk(registry)
        rows = overview(
            registry,
            years=request.years,
            costs=costs,
            risk_by_iso3=risk,
            risk_min_rise=request.min_rise,
        )
    return CenterAlertsResult(centers=tuple(CenterLight.model_validate(row) for row in rows))
