"""The registry use cases (``oicplan.services.registry``) against the store and monitor calls.

Every test runs on SQLite and, with ``OICPLAN_TEST_POSTGRES_URL``, on PostgreSQL
(the fixtures of ``tests/monitor/conftest.py``).
"""

from __future__ import annotations

import pydantic
import pytest

from oicplan.errors import InputError
from oicplan.monitor.alerts import overview, read_costs, read_risk
from oicplan.monitor.kpis import KPIS
from oicplan.services.registry import (
    AddCenterRequest,
    CenterAlertsRequest,
    CenterRecord,
    ImportKpisRequest,
    ListCentersRequest,
    SetSiteRequest,
    SetTargetRequest,
    add_center,
    center_alerts,
    import_kpis,
    list_centers,
    set_site,
    set_target,
)
from oicplan.store import Registry
from oicplan.store.models import CENTER_COLUMNS
from oicplan.store.seed import snapshot_centers
from tests.monitor.conftest import BACKENDS, fresh_database_url

TLV = "alibaba-damo-academy-lab-tel-aviv"
MOSCOW = "alibaba-damo-academy-lab-moscow"


@pytest.fixture(autouse=True)
def _no_user_database(monkeypatch, tmp_path):
    # Never touch the developer's real registry from a test.
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "data-dir"))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, empty registry database on SQLite and (when configured) PostgreSQL."""
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture()
def registry(db_url):
    """The same database through the store, to check the services against."""
    reg = Registry(db_url)
    yield reg
    reg.dispose()


def test_center_record_has_every_column_in_order():
    assert tuple(CenterRecord.model_fields) == CENTER_COLUMNS


def test_list_centers_is_the_registry_list(db_url, registry):
    assert list_centers(ListCentersRequest(database_url=db_url)).document() == (
        registry.list_centers()
    )
    result = list_centers(ListCentersRequest(database_url=db_url, mode="joint_lab", iso3="usa"))
    assert result.document() == registry.list_centers(mode="joint_lab", iso3="USA")


def test_add_center_stores_and_returns_the_center(db_url, registry):
    request = AddCenterRequest(
        database_url=db_url, name="Zhejiang Hungary Lab", iso3="HUN", mode="joint_lab",
        site_id="hun-budapest", opening_year=2023,
    )  # fmt: skip
    result = add_center(request)
    assert result.center.id == "zhejiang-hungary-lab"
    assert result.document() == registry.get_center("zhejiang-hungary-lab")
    assert result.center.site_id == "HUN-budapest"
    with pytest.raises(pydantic.ValidationError):  # results are immutable
        result.center.site_id = None  # type: ignore[misc]


def test_add_center_errors_name_the_field(db_url):
    with pytest.raises(InputError) as error:
        add_center(AddCenterRequest(database_url=db_url, name="x", iso3="ZZZ", mode="joint_lab"))
    assert error.value.field == "iso3"


def test_requests_refuse_unknown_fields():
    with pytest.raises(pydantic.ValidationError):
        ListCentersRequest(database_url=None, country="USA")  # type: ignore[call-arg]


def test_import_kpis_as_the_monitor_does(db_url, registry, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        f"center_id,year,kpi,value,unit\n{TLV},2022,patents,1,\n{TLV},2023,patents,2,\n"
    )
    result = import_kpis(ImportKpisRequest(database_url=db_url, file=path))
    assert result.document() == {"file": str(path), "rows": 2, "centers": [TLV]}
    assert [v["value"] for v in registry.kpi_values(TLV)] == [1.0, 2.0]


@pytest.mark.parametrize(
    "row, field",
    [
        ("nope,2022,patents,1,", "center_id"),
        (f"{TLV},2022,patents,-1,", "value"),
        (f"{TLV},2022,citations,1,", "kpi"),
    ],
)
def test_a_bad_kpi_row_names_file_row_and_field_and_stores_nothing(
    db_url, registry, tmp_path, row, field
):
    path = tmp_path / "k.csv"
    path.write_text(f"center_id,year,kpi,value,unit\n{TLV},2021,patents,1,\n{row}\n")
    with pytest.raises(InputError) as error:
        import_kpis(ImportKpisRequest(database_url=db_url, file=path))
    assert (error.value.file, error.value.row, error.value.field) == (str(path), 3, field)
    assert registry.kpi_values() == []


def test_set_site_links_clears_and_names_an_unknown_center(db_url, registry):
    linked = set_site(SetSiteRequest(database_url=db_url, center_id=MOSCOW, site_id="rus-moscow"))
    assert linked.document() == registry.get_center(MOSCOW)
    assert linked.center.site_id == "RUS-moscow"
    cleared = set_site(SetSiteRequest(database_url=db_url, center_id=MOSCOW))
    assert cleared.center.site_id is None
    with pytest.raises(InputError) as error:
        set_site(SetSiteRequest(database_url=db_url, center_id="nope", site_id="RUS-moscow"))
    assert error.value.field == "center_id"


def test_set_target_as_the_registry_stores_it(db_url, registry):
    result = set_target(
        SetTargetRequest(database_url=db_url, center_id=TLV, kpi="patents", target=5, year=2024)
    )
    assert result.document() == {"center_id": TLV, "kpi": "patents", "year": 2024, "target": 5.0}
    assert result.unit == KPIS["patents"].unit
    assert registry.targets(TLV) == [result.document()]


@pytest.mark.parametrize(
    "center_id, kpi, field", [("nope", "patents", "center_id"), (TLV, "citations", "kpi")]
)
def test_set_target_errors_name_the_field(db_url, center_id, kpi, field):
    request = SetTargetRequest(database_url=db_url, center_id=center_id, kpi=kpi, target=1)
    with pytest.raises(InputError) as error:
        set_target(request)
    assert error.value.field == field


def test_alerts_are_the_monitor_overview(db_url, registry, tmp_path):
    registry.replace_kpi_values(
        [
            {"center_id": TLV, "year": y, "kpi": "patents", "value": 1.0, "unit": "patents"}
            for y in (2022, 2023)
        ]
    )
    registry.set_target(TLV, "patents", 5)
    costs = tmp_path / "costs.csv"
    costs.write_text(f"center_id,year,budget,actual\n{TLV},2023,100,150\n")
    risk = tmp_path / "risk.csv"
    risk.write_text("iso3,year,score\nSGP,2022,1\nSGP,2023,2\n")
    request = CenterAlertsRequest(
        database_url=db_url, years=2, costs_file=costs, risk_file=risk, min_rise=0.15
    )
    expected = overview(
        registry, years=2, costs=read_costs(costs), risk_by_iso3=read_risk(risk),
        risk_min_rise=0.15,
    )  # fmt: skip
    result = center_alerts(request)
    assert result.document() == expected
    assert result.centers[0].light == "red"


def test_alerts_from_the_embedded_governance_data(db_url):
    rows = center_alerts(CenterAlertsRequest(database_url=db_url)).centers
    assert len(rows) == len(snapshot_centers())
    assert {alert.kind for row in rows for alert in row.alerts} >= {"no_kpi_data"}


def test_a_bad_costs_row_names_file_row_and_field(db_url, tmp_path):
    costs = tmp_path / "costs.csv"
    costs.write_text(f"center_id,year,budget,actual\n{TLV},2023,100,lots\n")
    with pytest.raises(InputError) as error:
        center_alerts(CenterAlertsRequest(database_url=db_url, costs_file=costs))
    assert (error.value.file, error.value.row, error.value.field) == (str(costs), 2, "actual")


def test_alerts_request_checks_its_numbers():
    with pytest.raises(pydantic.ValidationError):
        CenterAlertsRequest(years=0)
