"""The report's indicator table names, in Chinese, an indicator the framework does not name in
Chinese: the data's Chinese title (oicplan.data.indicator_titles_zh), not its English one."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

from oicplan.data import load_dataset
from oicplan.indicators import load_framework
from oicplan.report.render import _indicator_rows

CJK = re.compile(r"[\u4e00-\u9fff]")


def _plan(strip_zh: bool):
    framework = load_framework()
    pillars = []
    for pillar in framework.pillars:
        leaves = [spec.model_copy(update={"name_zh": ""}) if strip_zh else spec
                  for spec in pillar.leaves()]
        pillars.append(SimpleNamespace(id=pillar.id, leaves=lambda leaves=leaves: leaves))
    scores = SimpleNamespace(
        framework=SimpleNamespace(pillars=pillars, max_age_for=lambda code: None),
        years=pd.DataFrame(), sources={}, index=None,
    )
    return SimpleNamespace(ranked=SimpleNamespace(scores=scores), dataset=load_dataset())


def test_without_framework_names_the_data_titles_are_chinese():
    titles = load_dataset().indicators["title"]
    rows = _indicator_rows(_plan(strip_zh=True), "zh")
    assert rows
    for row in rows:
        assert CJK.search(row["title"]), row
        if row["code"] in titles.index:
            assert row["title"] != titles[row["code"]]
    by_code = {row["code"]: row["title"] for row in rows}
    assert by_code["GB.XPD.RSDV.GD.ZS"] == "研发支出（占GDP的百分比）"


def test_framework_names_first_and_english_in_english():
    framework = {spec.code: spec.name_zh for p in load_framework().pillars for spec in p.leaves()}
    zh = _indicator_rows(_plan(strip_zh=False), "zh")
    assert all(row["title"] == framework[row["code"]] for row in zh)
    titles = load_dataset().indicators["title"]
    en = {row["code"]: row["title"] for row in _indicator_rows(_plan(strip_zh=False), "en")}
    assert en["GB.XPD.RSDV.GD.ZS"] == titles["GB.XPD.RSDV.GD.ZS"]
