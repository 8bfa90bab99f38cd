"""The centers page shows alert details in Chinese (oicplan.notes), English unchanged."""

from __future__ import annotations

import html
import re

from oicplan.monitor.alerts import below_target_alerts, cost_overrun_alerts, host_risk_alerts

_LATIN = re.compile(r"[A-Za-z]{2,}")


def _alerts():
    values = [{"center_id": "c1", "year": y, "kpi": "patents", "value": v}
              for y, v in [(2022, 3), (2023, 4)]]
    targets = [{"center_id": "c1", "kpi": "patents", "year": None, "target": 5}]
    costs = {"c1": [(2023, 100, 150)]}
    risk = {"RUS": [(2020, 0.2), (2021, 0.5), (2022, 0.9)]}
    return [*below_target_alerts(values, targets), *cost_overrun_alerts(costs),
            *host_risk_alerts({"c1": "RUS"}, risk)]


def _fake_lights(monkeypatch):
    from oicplan.services import registry

    alerts = tuple(registry.AlertRecord(**alert.to_dict()) for alert in _alerts())
    assert {a.kind for a in alerts} == {"below_target", "cost_overrun", "host_risk_rising"}
    light = registry.CenterLight(center_id="c1", name="C1", iso3="RUS", mode="hub",
                                 light="red", alerts=alerts)

    class Answer:
        centers = (light,)

    monkeypatch.setattr(registry, "center_alerts", lambda request: Answer())
    return alerts


def _messages(page: str) -> list[str]:
    return [html.unescape(text)
            for text in re.findall(r'<div class="muted">([^<]*)</div>', page)]


def test_alert_details_are_chinese_on_the_chinese_page(client, signed_in, monkeypatch):
    alerts = _fake_lights(monkeypatch)
    signed_in("viewer")
    page = client.get("/centers").text
    shown = _messages(page)
    assert len(shown) == len(alerts)
    for text in shown:
        assert not _LATIN.search(text), text
    assert "专利数连续2年低于目标（最新2023年：4 < 5）" in shown
    assert any("俄罗斯风险评分从0.2（2020年）升至0.9（2022年）" in text for text in shown)


def test_alert_details_stay_english_on_the_english_page(client, signed_in, monkeypatch):
    alerts = _fake_lights(monkeypatch)
    signed_in("viewer")
    client.cookies.set("lang", "en")
    page = client.get("/centers", params={"lang": "en"}).text
    for alert in alerts:
        assert alert.message.replace("<", "&lt;") in page
