"""The cost model's input and assumption names in Chinese, for pages and reports.

:func:`oicplan.finance.estimate` names the data values a cost uses
(``"<WDI code> <ISO3>"``, with a unit) and the assumptions it rests on
(``"base cost researcher"``, ``"rent USA"``, ``"setup cost offshore_rd_center"``)
in English; :func:`cost_term` and :func:`cost_unit` give a Chinese reader the
same names, from the one catalog below. A name of no known form stays as it is.
Role and mode ids, and economies, are named through ``terms`` (the caller passes
the Chinese names of the center modes and economies it shows).

>>> cost_term("base cost researcher", "zh")
'研究人员基准人力成本'
>>> cost_term("rent USA", "zh", {"USA": "美国"})
'办公租金（美国）'
>>> cost_term("PA.NUS.FCRF KOR", "zh", {"KOR": "韩国"})
'官方汇率（韩国）'
>>> cost_term("rent USA", "en")
'rent USA'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["ASSUMPTION_NAMES", "INPUT_NAMES", "ROLE_NAMES", "UNIT_NAMES", "cost_term",
           "cost_unit"]

#: English form (``{x}``: a role, mode or ISO3 code) -> Chinese.
ASSUMPTION_NAMES: dict[str, str] = {
    "base cost {x}": "{x}基准人力成本",
    "area per head {x}": "人均办公面积（{x}）",
    "rent {x}": "办公租金（{x}）",
    "travel per head": "人均差旅费",
    "currency conversion share": "需换汇的成本占比",
    "setup cost {x}": "设立成本（{x}）",
    "setup local share": "设立成本中的本地份额",
    "R&D share {x}": "研发支出占比（{x}）",
    "discount rate": "贴现率",
    "horizon": "测算年限",
    "salary elasticity": "薪酬弹性",
}

#: The WDI series the cost model reads (``"<code> <ISO3>"`` inputs).
INPUT_NAMES: dict[str, str] = {
    "SL.GDP.PCAP.EM.KD": "就业人员人均GDP",
    "PA.NUS.PPP": "购买力平价换算因子",
    "PA.NUS.FCRF": "官方汇率",
    "NY.GDP.PCAP.CD": "人均GDP（现价美元）",
    "NY.GDP.PCAP.PP.CD": "人均GDP（现价购买力平价美元）",
}

ROLE_NAMES: dict[str, str] = {
    "admin": "行政人员",
    "engineer": "工程师",
    "expatriate": "外派人员",
    "manager": "管理人员",
    "researcher": "研究人员",
}

UNIT_NAMES: dict[str, str] = {
    "constant 2021 PPP $ per person employed": "2021年不变价购买力平价美元/就业人员",
    "LCU per international $": "本币/国际元",
    "LCU per US$": "本币/美元",
    "current US$ per person (cross-check)": "现价美元/人（交叉核对）",
    "current PPP $ per person (cross-check)": "现价购买力平价美元/人（交叉核对）",
}


def _patterns() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(re.escape(english).replace(r"\{x\}", r"(?P<x>\S+)")), chinese)
        for english, chinese in ASSUMPTION_NAMES.items()
    ]


def cost_term(name: str, lang: str, terms: Mapping[str, str] | None = None) -> str:
    """An input or assumption name of the cost model in ``lang`` (see the module)."""
    if lang != "zh":
        return name
    terms = {**ROLE_NAMES, **(terms or {})}
    for pattern, chinese in _patterns():
        found = pattern.fullmatch(name)
        if found is not None:
            x = found.groupdict().get("x")
            return chinese.format(x=terms.get(x, x)) if x is not None else chinese
    code, _, iso3 = name.partition(" ")
    if code in INPUT_NAMES:
        return f"{INPUT_NAMES[code]}（{terms.get(iso3, iso3)}）" if iso3 else INPUT_NAMES[code]
    return name


def cost_unit(unit: str | None, lang: str) -> str:
    """A cost input's unit in ``lang``; an unknown unit as it is.

    >>> cost_unit("LCU per US$", "zh"), cost_unit("LCU per US$", "en")
    ('本币/美元', 'LCU per US$')
    """
    if not unit:
        return ""
    return UNIT_NAMES.get(unit, unit) if lang == "zh" else unit
