"""The optimizer page's closures: a multi-select of corridors, and a run's closures shown."""

from __future__ import annotations

import re

from tests.web.test_pages_work import _run


def _options(page: str) -> dict[str, str]:
    select = re.search(r'<select id="opt-avoid".*?</select>', page, re.S)
    assert select, "the corridors multi-select"
    return dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', select.group(0)))


def test_the_optimizer_form_offers_the_known_corridors(client, signed_in):
    from oicplan.services.closures import closure_choices

    signed_in("editor")
    zh = _options(client.get("/optimizer").text)
    en = _options(client.get("/optimizer", params={"lang": "en"}).text)
    choices = closure_choices()
    assert list(zh) == [c["key"] for c in choices] == list(en)
    assert zh["suez"] == "苏伊士运河" and en["suez"] == "Suez Canal"
    assert zh["alashankou"] == "阿拉山口" and zh["Yiwu–Madrid"] == "义乌–马德里"
    assert "northwest" not in zh  # always closed: not a choice


def test_a_run_with_closures_names_them(client, signed_in, database_url):
    # A run without the Pareto frontier or phasing (no such keys) is shown too.
    document = {
        "status": "optimal", "benefit": {"total": 3.5}, "cost": 42.0, "total_risk": 1.25,
        "scenario": "zhejiang", "avoid": ["suez", "Yiwu–Madrid"], "chosen": [],
        "constraints": [], "assumptions": [], "notes": [],
    }
    run_id = _run(database_url, "optimize",
                  {"kind": "optimize", "scenario": "zhejiang", "avoid": ["suez", "Yiwu–Madrid"]},
                  {"optimize": document})
    signed_in("viewer")
    page = client.get("/optimizer", params={"run": run_id}).text
    assert "本次运行未绘制帕累托前沿" in page
    assert re.search(r'data-testid="run-closures">关闭的通道：苏伊士运河、义乌–马德里<', page)
    english = client.get("/optimizer", params={"run": run_id, "lang": "en"}).text
    assert "Corridors closed: Suez Canal, Yiwu–Madrid" in english
