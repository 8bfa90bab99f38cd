"""KPI files (CSV and XLSX): any file gives rows or one InputError; a failed import stores nothing.

Readers: :func:`oicplan.monitor.kpis.read_rows` and
:func:`oicplan.monitor.kpis.import_kpis` into a registry (SQLite), and the
alerts' cost and risk tables (:mod:`oicplan.monitor.alerts`), which share the
row reader.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from oicplan.errors import InputError
from tests.properties._files import (
    SETTINGS,
    any_bytes,
    check_reader,
    table_bytes,
    workbook_bytes,
)

CENTER = "alibaba-damo-academy-lab-moscow"
VALID = [
    ["center_id", "year", "kpi", "value", "unit"],
    [CENTER, "2024", "patents", "12", ""],
    [CENTER, "2023", "patents", "9", "patents"],
    [CENTER, "2024", "talents_introduced", "3", "persons"],
]
COSTS = [["center_id", "year", "budget", "actual"], [CENTER, "2023", "100", "120"],
         [CENTER, "2024", "1,000", "900"]]
RISK = [["iso3", "year", "score"], ["RUS", "2021", "0.5"], ["RUS", "2022", "0.9"]]


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    from oicplan.store import Registry

    folder = tmp_path_factory.mktemp("kpi-registry")
    store = Registry(f"sqlite:///{folder / 'registry.sqlite'}")
    yield store
    store.dispose()


def _state(registry) -> list:
    return sorted(
        (v["center_id"], v["year"], v["kpi"], v["value"], v["unit"])
        for v in registry.kpi_values()
    )


def _import(registry):
    from oicplan.monitor.kpis import import_kpis

    def read(path):
        before = _state(registry)
        try:
            return import_kpis(registry, path)
        except InputError:
            assert _state(registry) == before, "a failed import changed the registry"
            raise

    return read


def _rows(path):
    from oicplan.monitor.kpis import KPI_COLUMNS, read_rows

    return list(read_rows(path, KPI_COLUMNS))


@SETTINGS
@given(raw=any_bytes(table_bytes(VALID)))
def test_kpi_csv_rows(raw, tmp_path):
    check_reader(_rows, tmp_path / "kpis.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(VALID)))
def test_kpi_xlsx_rows(raw, tmp_path):
    check_reader(_rows, tmp_path / "kpis.xlsx", raw)


@SETTINGS
@given(raw=any_bytes(table_bytes(VALID)))
def test_kpi_csv_import_all_or_nothing(raw, tmp_path, registry):
    check_reader(_import(registry), tmp_path / "kpis.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(VALID)))
def test_kpi_xlsx_import_all_or_nothing(raw, tmp_path, registry):
    check_reader(_import(registry), tmp_path / "kpis.xlsx", raw)


def test_a_valid_import_is_stored(tmp_path, registry):
    """The property above is not vacuous: the valid file imports and changes the store."""
    path = tmp_path / "kpis.csv"
    path.write_text("\n".join(",".join(row) for row in VALID) + "\n", encoding="utf-8")
    result = _import(registry)(path)
    assert result["rows"] == 3
    assert (CENTER, 2024, "patents", 12.0, "patents") in _state(registry)


@SETTINGS
@given(raw=any_bytes(table_bytes(COSTS)))
def test_alert_cost_table(raw, tmp_path):
    from oicplan.monitor.alerts import read_costs

    check_reader(read_costs, tmp_path / "costs.csv", raw)


@SETTINGS
@given(raw=any_bytes(workbook_bytes(RISK)))
def test_alert_risk_table(raw, tmp_path):
    from oicplan.monitor.alerts import read_risk

    check_reader(read_risk, tmp_path / "risk.xlsx", raw)
