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

from oicplan import assumptions
from oicplan.errors import InputError, NotFoundError
from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.store.registry import Registry

__all__ = [
    "AddCenterRequest",
    "AlertRecord",
    "CenterDetailResult",
    "CenterAlertsRequest",
    "CenterAlertsResult",
    "CenterLight",
    "CenterRecord",
    "CenterResult",
    "CentersResult",
    "GetCenterRequest",
    "ImportKpisRequest",
    "ImportKpisResult",
    "ImportKpisUploadRequest",
    "KpiTargetRecord",
    "KpiValueRecord",
    "ListCentersRequest",
    "NewCenter",
    "NewTarget",
    "RegistryRequest",
    "SetSiteRequest",
    "SetTargetRequest",
    "TargetResult",
    "add_center",
    "center_alerts",
    "get_center",
    "import_kpis",
    "import_kpis_upload",
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


class KpiValueRecord(Result):
    """A KPI value a center reported for a year, in the KPI's unit."""

    year: int
    kpi: str
    value: float
    unit: str


class KpiTargetRecord(Result):
    """A KPI target of a center, for one year or (``year`` None) every year."""

    kpi: str
    year: int | None = None
    target: float


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


class NewCenter(Request):
    """A center to add (the body of ``POST /api/centers``), checked by ``Registry.add_center``."""

    name: str = Field(max_length=300, description="the center's name")
    iso3: str = Field(max_length=3, description="host country, ISO 3166 alpha-3")
    mode: str = Field(max_length=40, description="center mode, e.g. joint_lab")
    id: str | None = Field(
        None, max_length=80, description="lower-case letters, digits and -; a slug of the name"
    )
    name_zh: str | None = Field(None, max_length=300)
    host_city: str | None = Field(None, max_length=200)
    operator: str | None = Field(None, max_length=300)
    opening_year: int | None = Field(None, ge=1900, le=2100)
    partners: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=1000)
    site_id: str | None = Field(None, max_length=200, description="a candidate site in iso3")


class AddCenterRequest(RegistryRequest, NewCenter):
    """A new center; ``id`` defaults to a slug of the name (see :meth:`Registry.add_center`)."""


class GetCenterRequest(RegistryRequest):
    """One center with its KPI values and targets."""

    center_id: str


class ImportKpisRequest(RegistryRequest):
    """A CSV or XLSX file of yearly KPI values: ``center_id, year, kpi, value, unit``."""

    file: Path


class ImportKpisUploadRequest(RegistryRequest):
    """An uploaded KPI file: its bytes and the name it had on the user's computer.

    The suffix of ``file_name`` says CSV (``.csv``, ``.txt``) or Excel
    (``.xlsx``, ``.xlsm``); errors name ``file_name`` (without its folders).
    """

    content: bytes
    file_name: str = Field(max_length=255)


class SetSiteRequest(RegistryRequest):
    """Link a center to a candidate site; ``site_id`` None removes the link."""

    center_id: str
    site_id: str | None = None


class NewTarget(Request):
    """A KPI target (the body of ``PUT /api/centers/{center_id}/targets``)."""

    kpi: str = Field(max_length=80, description="a KPI name, e.g. patents")
    target: float = Field(allow_inf_nan=False, description="in the KPI's unit, zero or more")
    year: int | None = Field(None, description="this year only; every year if None")


class SetTargetRequest(RegistryRequest, NewTarget):
    """The target of a KPI for a center, for one year or (``year`` None) every year."""

    center_id: str


class CenterAlertsRequest(RegistryRequest):
    """Traffic lights of every center.

    ``costs_file`` (``center_id, year, budget, actual``) adds cost-overrun alerts;
    ``risk_file`` (``iso3, year, score``) replaces the embedded governance data
    (WGI) for the host-risk alerts. ``previous_snapshot`` (an older snapshot build)
    adds the technology watch's alerts: a center whose site moved in the ranking
    beyond ``watch.rank_move`` / ``watch.score_move`` between that build and the
    current one (:func:`oicplan.services.watch.center_site_alerts`).
    """

    years: int = Field(default=int(assumptions.default("alerts.below_target_years")), ge=1)
    costs_file: Path | None = None
    risk_file: Path | None = None
    min_rise: float = Field(default=assumptions.default("alerts.risk_min_rise"), ge=0)
    previous_snapshot: Path | None = None


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


class CenterDetailResult(Result):
    """One center with its KPI values (by KPI and year) and targets."""

    center: CenterRecord
    kpis: tuple[KpiValueRecord, ...]
    targets: tuple[KpiTargetRecord, ...]


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


def _require_center(registry: Registry, center_id: str) -> dict[str, Any]:
    """The center of that id (:class:`~oicplan.errors.NotFoundError`, field ``center_id``)."""
    center = registry.get_center(center_id)
    if center is None:
        raise NotFoundError(
            f"unknown center id {center_id!r} (see 'oicplan centers list')", field="center_id"
        )
    return center


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


def get_center(request: GetCenterRequest) -> CenterDetailResult:
    """One center with its reported KPI values and its targets.

    Raises
    ------
    NotFoundError
        Unknown center (field ``center_id``).
    """
    with _opened(request.database_url) as registry:
        center = _require_center(registry, request.center_id)
        values = registry.kpi_values(request.center_id)
        targets = registry.targets(request.center_id)
    return CenterDetailResult(
        center=CenterRecord.model_validate(center),
        kpis=tuple(KpiValueRecord.model_validate(value) for value in values),
        targets=tuple(KpiTargetRecord.model_validate(target) for target in targets),
    )


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


def import_kpis_upload(request: ImportKpisUploadRequest) -> ImportKpisResult:
    """Store the KPI values of an uploaded file, with the checks of :func:`import_kpis`.

    The bytes are written to a private temporary folder under a name with the
    upload's suffix and imported from there; every error names ``file_name``
    instead of that folder. CSV text may be UTF-8 (with or without BOM), UTF-16
    or GB18030/GBK (:mod:`oicplan.textfile`).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     url = "sqlite:///" + os.path.join(folder, "registry.sqlite")
    ...     _ = add_center(AddCenterRequest(database_url=url, name="Lab", iso3="HUN",
    ...                                     mode="joint_lab", opening_year=2020))
    ...     done = import_kpis_upload(ImportKpisUploadRequest(
    ...         database_url=url, file_name="C:\\\\data\\\\kpis.csv",
    ...         content="center_id,year,kpi,value,unit\\nlab,2024,patents,3,件\\n".encode("gbk")))
    >>> done.file, done.rows, done.centers
    ('kpis.csv', 1, ('lab',))
    """
    import tempfile

    display = request.file_name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    suffix = Path(display).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise InputError("use a .csv or .xlsx file", file=display)
    with tempfile.TemporaryDirectory(prefix="oicplan-kpis-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(request.content)
        try:
            result = import_kpis(ImportKpisRequest(database_url=request.database_url, file=path))
        except InputError as error:
            if error.file != str(path):
                raise
            renamed = type(error)(error.message, file=display, row=error.row, field=error.field)
            raise renamed from None
    return result.model_copy(update={"file": display})


def set_site(request: SetSiteRequest) -> CenterResult:
    """Link a center to a candidate site in its country, or remove the link.

    Raises
    ------
    NotFoundError
        Unknown center (field ``center_id``).
    InputError
        An unknown site or a site in another country (field ``site_id``).
    """
    with _opened(request.database_url) as registry:
        _require_center(registry, request.center_id)
        center = registry.set_site(request.center_id, request.site_id)
    return CenterResult(center=CenterRecord.model_validate(center))


def set_target(request: SetTargetRequest) -> TargetResult:
    """Set (or replace) the target of a KPI for a center.

    Raises
    ------
    NotFoundError
        Unknown center (field ``center_id``).
    InputError
        Unknown KPI (field ``kpi``), a negative
        target (``target``) or a year out of range or before the center's opening
        year (``year``).
    """
    from oicplan.monitor.kpis import KPIS

    with _opened(request.database_url) as registry:
        _require_center(registry, request.center_id)  # an unknown center first: 404
        if request.kpi not in KPIS:
            raise InputError(
                f"unknown KPI {request.kpi!r}; use one of {', '.join(KPIS)}", field="kpi"
            )
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
        moved: list[Any] = []
        if request.previous_snapshot is not None:
            from oicplan.services.watch import center_site_alerts

            sites = {c["id"]: c["site_id"] for c in registry.list_centers() if c.get("site_id")}
            moved = center_site_alerts(sites, request.previous_snapshot)
        rows = overview(
            registry,
            years=request.years,
            costs=costs,
            risk_by_iso3=risk,
            risk_min_rise=request.min_rise,
            extra_alerts=moved,
        )
    return CenterAlertsResult(centers=tuple(CenterLight.model_validate(row) for row in rows))
