"""Chinese titles of the snapshot's indicators, from one shipped table.

The snapshot's ``indicators.csv`` gives each indicator the English title its
source gives (WDI and WGI series titles, and oicplan's own titles of the
fact-derived ``GII.*`` and ``OIC.*`` series), and the planner's site-level
indicators (``SITE.*``) have English titles of their own. A Chinese reader sees the title of
``names/indicator_titles_zh.csv`` (``code, title_zh``): oicplan's translations
of those titles, worded with the World Bank's Chinese terms (现价美元,
占GDP的百分比 ...) and keeping the units. It is wording, not data: no figure
comes from it.

The default framework's own ``name_zh`` (``oicplan/indicators/*.yaml``) names
what the framework scores (a ratio to GDP, a count per million people) and
comes first where the caller has one; this table names the series as the data
holds it, the fallback for every other indicator. A code the table does not
know keeps its English title (a new series shows in English until its title is
added here; a test checks that every code of the snapshot has one).

>>> indicator_title("NY.GDP.MKTP.CD", "zh")
'GDP（现价美元）'
>>> indicator_title("NY.GDP.MKTP.CD", "en", "GDP (current US$)")
'GDP (current US$)'
>>> indicator_title("XX.UNKNOWN", "zh", "Some title")
'Some title'
>>> indicator_title("GB.XPD.RSDV.GD.ZS", "zh", framework_zh="研发经费支出占GDP比重")
'研发经费支出占GDP比重'
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

__all__ = ["INDICATOR_TITLES_FILE", "indicator_title", "indicator_titles_zh"]

INDICATOR_TITLES_FILE = Path(__file__).with_name("names") / "indicator_titles_zh.csv"


@cache
def _table() -> dict[str, str]:
    with INDICATOR_TITLES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"].strip(): row["title_zh"].strip()
            for row in csv.DictReader(handle)
            if row.get("code") and row.get("title_zh")
        }


def indicator_titles_zh() -> dict[str, str]:
    """Every Chinese title of the table, by indicator code (a copy).

    >>> indicator_titles_zh()["WGI.RL"]
    '法治（估计值，−2.5至2.5）'
    """
    return dict(_table())


def indicator_title(
    code: str, lang: str = "zh", english: str | None = None, framework_zh: str | None = None
) -> str:
    """An indicator's title in ``lang`` (``zh`` or ``en``).

    Parameters
    ----------
    code : str
        The indicator code (``NY.GDP.MKTP.CD``, ``WGI.RL``, ``OIC.ZJ_ZONES``).
    lang : str
        ``zh``: ``framework_zh`` when given, else this table's title, else
        ``english``, else the code. Any other language: ``english``, else the code.
    english : str, optional
        The English title (the snapshot's ``title``, or the framework's name).
    framework_zh : str, optional
        The framework's ``name_zh`` of the indicator, which comes first in Chinese.
    """
    if lang == "zh":
        if framework_zh:
            return framework_zh
        chinese = _table().get(code)
        if chinese:
            return chinese
    return english or code
