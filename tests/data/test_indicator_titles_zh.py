"""Every indicator of the snapshot has a Chinese title (oicplan.data.indicator_titles_zh)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import oicplan.data
from oicplan.data.indicator_titles_zh import (
    INDICATOR_TITLES_FILE,
    indicator_title,
    indicator_titles_zh,
)

SNAPSHOT_INDICATORS = Path(oicplan.data.__file__).parent / "snapshot" / "indicators.csv"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _snapshot() -> dict[str, str]:
    with SNAPSHOT_INDICATORS.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["title"] for row in csv.DictReader(handle)}


def test_every_snapshot_indicator_has_a_chinese_title() -> None:
    snapshot = _snapshot()
    assert len(snapshot) >= 70
    titles = indicator_titles_zh()
    missing = sorted(set(snapshot) - set(titles))
    assert not missing, f"no Chinese title for {missing}"
    for code, english in snapshot.items():
        chinese = indicator_title(code, "zh", english)
        assert chinese != english, code
        assert CJK.search(chinese), (code, chinese)


def test_the_table_names_only_snapshot_and_site_codes_once() -> None:
    from oicplan.indicators.framework import SITE_INDICATORS

    with INDICATOR_TITLES_FILE.open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(_snapshot()) | set(SITE_INDICATORS)
    # The planner's site-level indicators are named too (a framework without name_zh).
    for code, (english, _source) in SITE_INDICATORS.items():
        assert CJK.search(indicator_title(code, "zh", english)), code


def test_units_are_kept() -> None:
    assert "现价美元" in indicator_title("NY.GDP.MKTP.CD", "zh")
    assert "占GDP的百分比" in indicator_title("GB.XPD.RSDV.GD.ZS", "zh")
    assert "每百万人" in indicator_title("SP.POP.SCIE.RD.P6", "zh")


def test_framework_name_first_and_english_kept() -> None:
    chosen = indicator_title("WGI.RL", "zh", "Rule of Law", framework_zh="法治（框架）")
    assert chosen == "法治（框架）"
    assert indicator_title("WGI.RL", "en", "Rule of Law") == "Rule of Law"
    assert indicator_title("NOT.A.CODE", "zh", "Something") == "Something"
    assert indicator_title("NOT.A.CODE", "zh") == "NOT.A.CODE"
