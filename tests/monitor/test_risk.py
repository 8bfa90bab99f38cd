"""Tests for the WGI host-risk series that feeds the rising-risk alerts."""

from __future__ import annotations

import pandas as pd
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.monitor.alerts import host_risk_alerts
from oicplan.monitor.risk import (
    RISK_INDICATORS,
    host_risk_alerts_from_dataset,
    host_risk_series,
    host_risk_table,
)


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def _raw(ds, iso3, year):
    s = ds.series
    rows = s[(s["entity"] == iso3) & (s["year"] == year) & s["indicator"].isin(RISK_INDICATORS)]
    return dict(zip(rows["indicator"], rows["value"], strict=True)), set(rows["source"])


@pytest.mark.parametrize("iso3", ["CHN", "DEU", "KAZ", "HUN"])
def test_scores_equal_minus_mean_of_raw_estimates(ds, iso3):
    series = host_risk_series(ds, [iso3])[iso3]
    assert len(series) >= 10
    assert [y for y, _ in series] == sorted(y for y, _ in series)
    for year, score in series:
        raw, sources = _raw(ds, iso3, year)
        assert set(raw) == set(RISK_INDICATORS)
        assert score == pytest.approx(-sum(raw.values()) / 5, abs=1e-12)
        assert sources == {"wgi"}
        assert isinstance(year, int) and isinstance(score, float)


def test_known_ordering(ds):
    # Real values: Germany's governance estimates are well above Kazakhstan's.
    risk = host_risk_series(ds, ["DEU", "KAZ"])
    deu, kaz = dict(risk["DEU"]), dict(risk["KAZ"])
    assert deu[2023] < 0 < kaz[2023]


def test_table_columns_and_source(ds):
    table = host_risk_table(ds, "CHN")
    assert list(table.columns) == ["iso3", "year", *RISK_INDICATORS, "risk", "source"]
    assert (table["source"] == "wgi").all()
    last = table.iloc[-1]
    raw, _ = _raw(ds, "CHN", int(last["year"]))
    assert last["WGI.PV"] == raw["WGI.PV"]


class FakeDataset:
    """A tidy series with a gap: KAZ lacks WGI.CC in 2022."""

    def __init__(self):
        rows = []
        for year, base in ((2020, 0.5), (2021, 0.3), (2022, 0.1), (2023, -0.2)):
            for code in RISK_INDICATORS:
                if year == 2022 and code == "WGI.CC":
                    continue
                rows.append(("KAZ", code, year, base, "wgi"))
        rows.append(("KAZ", "WGI.VA", 2023, 9.0, "wgi"))  # not in the score
        self.series = pd.DataFrame(rows, columns=["entity", "indicator", "year", "value", "source"])


def test_incomplete_years_are_skipped():
    series = host_risk_series(FakeDataset(), ["KAZ", "DEU"])
    assert series["KAZ"] == [(2020, -0.5), (2021, -0.3), (2023, 0.2)]
    assert series["DEU"] == []  # requested but no data: an empty list, not a made-up score


def test_rising_risk_raises_an_alert():
    alerts = host_risk_alerts_from_dataset({"c1": "KAZ"}, FakeDataset())
    assert [a.kind for a in alerts] == ["host_risk_rising"]
    assert "2023" in alerts[0].message


def test_feeds_the_alert_hook_on_real_data(ds):
    risk = host_risk_series(ds, ["RUS", "DEU"])
    direct = host_risk_alerts({"a": "RUS", "b": "DEU"}, risk, min_rise=0.2)
    wired = host_risk_alerts_from_dataset({"a": "RUS", "b": "DEU"}, ds, min_rise=0.2)
    assert direct == wired
    # Shipped WGI data, 2021 to 2023: Russia rose by about 0.4, Germany by about 0.1.
    assert [a.center_id for a in wired] == ["a"]


def test_unknown_code_and_indicator(ds):
    with pytest.raises(InputError) as err:
        host_risk_series(ds, ["XXX"])
    assert err.value.field == "iso3"
    with pytest.raises(InputError) as err:
        host_risk_series(ds, ["DEU"], indicators=["WGI.NOPE"])
    assert err.value.field == "indicators"


def test_other_indicator_set(ds):
    only_pv = host_risk_series(ds, ["DEU"], indicators=["WGI.PV"])["DEU"]
    year, score = only_pv[-1]
    raw, _ = _raw(ds, "DEU", year)
    assert score == pytest.approx(-raw["WGI.PV"])
