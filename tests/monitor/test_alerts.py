"""Alerts and traffic lights."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.monitor import (
    below_target_alerts,
    cost_overrun_alerts,
    host_risk_alerts,
    import_kpis,
    overview,
    traffic_lights,
)
from oicplan.store.seed import snapshot_centers


def _values(series, center="a", kpi="patents"):
    return [{"center_id": center, "year": y, "kpi": kpi, "value": v} for y, v in series]


STANDING = [{"center_id": "a", "kpi": "patents", "year": None, "target": 5}]


@pytest.mark.parametrize(
    ("series", "years", "expected"),
    [
        ([(2022, 1), (2023, 1)], 2, 1),
        ([(2023, 1)], 2, 0),
        ([(2021, 1), (2022, 1), (2023, 9)], 2, 0),  # recovered
        ([(2021, 1), (2023, 1)], 2, 0),  # gap breaks the run
        ([(2021, 1), (2022, 1), (2023, 1)], 3, 1),
        ([(2022, 1), (2023, 1)], 3, 0),
        ([(2022, 5), (2023, 5)], 1, 0),  # meeting the target is fine
    ],
)
def test_below_target_consecutive(series, years, expected):
    assert len(below_target_alerts(_values(series), STANDING, years=years)) == expected


def test_year_specific_target_wins():
    targets = [*STANDING, {"center_id": "a", "kpi": "patents", "year": 2023, "target": 1}]
    assert below_target_alerts(_values([(2022, 1), (2023, 1)]), targets) == []
    assert below_target_alerts(_values([(2022, 1), (2023, 1)], kpi="revenue"), STANDING) == []


def test_years_must_be_positive():
    with pytest.raises(InputError):
        below_target_alerts([], [], years=0)


def test_cost_overrun():
    alerts = cost_overrun_alerts(
        {"a": [(2023, 100, 110)], "b": [(2023, 100, 121)], "c": [(2023, 100, 100)]}
    )
    assert [(a.center_id, a.severity) for a in alerts] == [("a", "amber"), ("b", "red")]
    assert cost_overrun_alerts({"a": [(2023, 100, 110)]}, tolerance=0.1) == []


def test_host_risk_hook():
    risk = {"ISR": [(2020, 3), (2021, 1), (2022, 2), (2023, 3)], "USA": [(2022, 2), (2023, 1)]}
    alerts = host_risk_alerts({"a": "ISR", "b": "USA", "c": "FRA"}, risk)
    assert [a.center_id for a in alerts] == ["a"]
    assert host_risk_alerts({"a": "ISR"}, risk, window=4) == []  # 3 -> 3 is not a rise


def test_traffic_lights_worst_wins():
    alerts = cost_overrun_alerts({"a": [(2023, 100, 110)], "b": [(2023, 100, 200)]})
    alerts += host_risk_alerts({"b": "X"}, {"X": [(2022, 1), (2023, 2)]})
    assert traffic_lights(["a", "b", "c"], alerts) == {"a": "amber", "b": "red", "c": "green"}


def test_overview_on_registry(registry, tmp_path):
    tlv = "alibaba-damo-academy-lab-tel-aviv"
    path = tmp_path / "k.csv"
    path.write_text(
        f"center_id,year,kpi,value,unit\n{tlv},2022,patents,1,\n{tlv},2023,patents,2,\n"
    )
    import_kpis(registry, path)
    registry.set_target(tlv, "patents", 5)
    rows = overview(registry, risk_by_iso3={"RUS": [(2022, 1.0), (2023, 2.0)]})
    assert len(rows) == len(snapshot_centers())
    first = rows[0]
    assert first["center_id"] == tlv and first["light"] == "red"
    assert first["alerts"][0]["kind"] == "below_target"
    moscow = next(r for r in rows if r["iso3"] == "RUS")
    assert {a["kind"] for a in moscow["alerts"]} == {"no_kpi_data", "host_risk_rising"}
    lights = {r["center_id"]: r["light"] for r in overview(registry, years=3)}
    assert lights[tlv] == "green"  # two years below target is not three
