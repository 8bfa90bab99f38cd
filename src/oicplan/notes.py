"""Notes in English and Chinese: the optimizer's assumptions and constraints, gaps, network notes.

The code below the report (the data build, the ranking, the plan, the layout
model, the innovation network) writes its notes for people as English sentences
— in ``plan.json``, ``--json`` outputs and the API — and a Chinese reader sees
the same notes in Chinese. One catalog, :data:`NOTES`, holds each note's English
and Chinese wording under a key. A producer writes ``note(key, **params)``, the
English sentence; :func:`note_text` turns an English sentence back into
``lang``: it finds the catalog entry whose English wording the sentence has
(every ``{param}`` matches any text) and fills the Chinese wording with the same
parameters. So a note stored as English (the snapshot's manifest, a saved
``plan.json``, a run in the database) is translated as well, and a sentence of
no known form stays as it is.

A parameter is translated too when its value is a known term: a center mode,
layout strategy (:mod:`oicplan.domain`) or region name, a fixed phrase of :data:`PHRASES`,
another note, or a term of the ``vocabulary`` the caller gives (industry names,
the dataset's Chinese names of zones and centers, site names); a list (items
separated by ``, `` or ``; ``, one of them a known term) item by item.

>>> note("max_centers", k=14)
'max 14 centers'
>>> note_text("max 14 centers", "zh")
'最多14个中心'
>>> note_text("at least 1 in Along the international rail lines", "zh")
'“沿国际班列通道布局”至少1个'
>>> note_text("something no catalog entry says", "zh")
'something no catalog entry says'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

__all__ = [
    "NOTES",
    "PHRASES",
    "note",
    "note_key",
    "note_text",
    "notes_text",
]

#: key -> (English, Chinese). Placeholders are ``{name}``; one key, one wording each.
#: Entries that share a beginning go from the more to the less specific.
NOTES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------ layout model: constraints held
    "max_centers": ("max {k} centers", "最多{k}个中心"),
    "min_centers": ("at least {k} centers", "至少{k}个中心"),
    "year_budget": ("budget {budget} in year {year}", "{year}年预算{budget}"),
    "budget": ("budget {budget}", "预算{budget}"),
    "per_country_over": (
        "at most {n} per country ({over})",
        "每个经济体最多{n}个（{over}）",
    ),
    "per_country": ("at most {n} per country", "每个经济体最多{n}个"),
    "per_country_existing": ("{iso3}: its {k} existing", "{iso3}：已有{k}个"),
    "group_range": ("{min} to {max} in {group}", "“{group}”{min}至{max}个"),
    "group_min": ("at least {need} in {group}", "“{group}”至少{need}个"),
    "group_max": ("at most {max} in {group}", "“{group}”最多{max}个"),
    "total_risk": ("total risk <= {cap}", "总风险 ≤ {cap}"),
    "mean_risk": ("mean risk <= {cap}", "平均风险 ≤ {cap}"),
    "existing_open": ("existing center {site} stays open", "已有中心 {site} 保持开设"),
    # ------------------------------------------------------- layout model: assumptions
    "site_quality": (
        "site quality = ranking score ({method}) in the mode the rules give, x {other} in "
        "the other admissible modes, x (1 - {fit} + {fit} x the mode's fit from "
        "oicplan.match.modes)",
        "站点质量 = 规则给出的模式下取排名得分（{method}），其他可行模式下乘以{other}，"
        "再乘以（1 − {fit} + {fit} × oicplan.match.modes 给出的该模式契合度）",
    ),
    "diminishing_return": (
        "diminishing return: the k-th center of an economy counts {delta}^(k-1) of its "
        "site quality (the second {delta}); a city region across a border (sites within "
        "{km} km) counts with its most populous site's economy{crossing}",
        "递减收益：经济体中第k个中心按其站点质量的{delta}^(k-1)计（第二个计{delta}）；"
        "跨境城市区域（相距{km}公里以内的站点）计入其人口最多站点所在的经济体{crossing}",
    ),
    "pair_kept": (
        "{second} beside {first} in {economy} ({km} km apart): its site quality counts "
        "x {factor}",
        "{second}与{first}同在{economy}（相距{km}公里）：其站点质量按×{factor}计",
    ),
    "pair_kept_region": (
        "{second} beside {first} in {economy} ({km} km apart, one city region): its site "
        "quality counts x {factor}",
        "{second}与{first}同在{economy}（相距{km}公里，同一城市区域）：其站点质量按×{factor}计",
    ),
    "pair_mode": (
        "adds another mode: {mode} beside {other}", "增加不同模式：{mode}（另一处为{other}）"
    ),
    "pair_industries": ("serves best: {industries}", "为以下产业提供最佳服务：{industries}"),
    "pair_pillars": ("stronger than {first} in: {pillars}", "以下支柱强于{first}：{pillars}"),
    "pair_corridor": ("on another corridor: {corridors}", "位于另一通道：{corridors}"),
    "pair_adds_little": (
        "adds no other mode, industry, pillar strength or corridor: kept for its discounted "
        "site quality",
        "未增加不同的模式、产业、支柱优势或通道：仅因其折减后的站点质量入选",
    ),
    "match_used_fields": (
        "match: oicplan.match, preset '{preset}'; host strengths come from the most specific "
        "NCSES field data each host has (35 WIPO fields, 5 WIPO areas or publications by "
        "discipline), else proxies from aggregate indicators; gaps count as 0",
        "产业匹配：oicplan.match，预设“{preset}”；东道国技术实力取其现有最细的NCSES分领域数据"
        "（WIPO 35个技术领域、5大技术部门或分学科论文），无分领域数据时由总体指标近似估计；"
        "数据缺口按0计",
    ),
    "match_field_map": (
        "the industry -> field map (match/field_map.yaml) is an assumption of oicplan, not "
        "data; see docs/match.md",
        "产业与技术领域的对应关系（match/field_map.yaml）是oicplan的假设，不是数据；"
        "见 docs/match.md",
    ),
    "match_used": (
        "match: oicplan.match, preset '{preset}'; host strengths are proxies from aggregate "
        "indicators unless field data are given; gaps count as 0",
        "产业匹配：oicplan.match，预设“{preset}”；未提供分领域数据时，东道国技术实力由总体指标"
        "近似估计；数据缺口按0计",
    ),
    "match_placeholder": (
        "PLACEHOLDER match: every home industry has match = site quality at every site; "
        "industries: {industries}",
        "占位匹配（PLACEHOLDER）：每个本省产业在每个站点的匹配度均取站点质量；产业：{industries}",
    ),
    "demand": (
        "demand: {enterprises} enterprises in {classes} classes of equal utility "
        "({industries} industries){synthetic}; utility = match with technology needs and "
        "presence{access}; priority = share of enterprises x number of industries",
        "需求：{enterprises}家企业，分为{classes}个效用相同的类别（{industries}个产业）{synthetic}；"
        "效用 = 与技术需求和布局的匹配{access}；优先级 = 企业占比 × 产业数",
    ),
    "model_costs": (
        "costs: oicplan cost model, {currency} million of {year} (salaries scaled from real "
        "productivity and price-level data; role costs, rents and set-up are stated "
        "assumptions, docs/cost.md); options whose cost is a gap are not offered",
        "成本：oicplan 成本模型，{year}年价格，百万{currency}（薪酬按真实的劳动生产率和价格水平"
        "数据折算；岗位成本、租金和设立费用为明示的假设，见 docs/cost.md）；成本为数据缺口的选项"
        "不参与选择",
    ),
    "placeholder_costs": (
        "PLACEHOLDER costs (million, set-up / annual) for options without a given cost: {costs}",
        "占位成本（PLACEHOLDER，百万，设立/每年）用于未给出成本的选项：{costs}",
    ),
    "placeholder_capacity": (
        "PLACEHOLDER capacity (industries per center): {capacity}",
        "占位容量（PLACEHOLDER，每个中心服务的产业数）：{capacity}",
    ),
    "capacity_all": (
        "capacity ({unit} per center, given): {n} in every mode",
        "容量（每个中心的{unit}数，给定）：每种模式均为{n}",
    ),
    "capacity": (
        "capacity ({unit} per center, given): {capacity}",
        "容量（每个中心的{unit}数，给定）：{capacity}",
    ),
    "region_gap": (
        "region rule '{region}' ({kind}): {missing} of {total} candidate sites are in "
        "economies without a World Bank region in the snapshot (it has them for Belt and "
        "Road partners only) and count as outside it",
        "区域规则“{region}”（{kind}）：{total}个候选站点中有{missing}个所在经济体在内置数据中"
        "没有世界银行区域（仅“一带一路”合作伙伴有），按不在该区域计",
    ),
    # ------------------------------------------------------------- ranking and plan
    "home_facts_off_pillars": (
        "Zhejiang's zones, existing centers and Yiwu rail routes not credited (home_facts "
        "null); pillar(s) {pillars} left out",
        "未计入浙江的境外合作区、已有海外中心和义乌班列线路（home_facts 为 null）；"
        "支柱 {pillars} 未参与",
    ),
    "home_facts_off": (
        "Zhejiang's zones, existing centers and Yiwu rail routes not credited (home_facts null)",
        "未计入浙江的境外合作区、已有海外中心和义乌班列线路（home_facts 为 null）",
    ),
    "corridors_closed": (
        "corridors closed: {corridors}; each site's access recomputed on the disrupted "
        "transport graph",
        "关闭的通道：{corridors}；各站点的可达性在中断后的运输网络上重新计算",
    ),
    "center_feedback": (
        "established centers' performance fed back: {site} × {factor}",
        "已建中心的绩效反馈：{site} × {factor}",
    ),
    "pillar_constant": (
        "pillar '{pillar}' has the same score at every candidate and is not used",
        "支柱“{pillar}”在所有候选站点得分相同，未参与排名",
    ),
    "sites_screened": (
        "{n} site(s) screened out for lack of data",
        "{n}个站点因数据不足被剔除",
    ),
    "no_pillar_data": ("no data for pillar(s) {pillars}", "支柱 {pillars} 无数据"),
    "low_coverage": (
        "indicator coverage {coverage} < {minimum}",
        "指标覆盖率 {coverage} < {minimum}",
    ),
    "strategy_full": (
        "no place left for strategy '{strategy}'",
        "布局路径“{strategy}”已无名额",
    ),
    "strategy_empty": (
        "no eligible candidate for strategy '{strategy}'",
        "布局路径“{strategy}”没有符合条件的候选站点",
    ),
    "skipped_both": (
        "Pareto frontiers and robustness re-solves ({n} draws)",
        "帕累托前沿和稳健性重解（{n}次抽样）",
    ),
    "skipped_pareto": ("Pareto frontiers", "帕累托前沿"),
    "skipped_robustness": ("robustness re-solves ({n} draws)", "稳健性重解（{n}次抽样）"),
    "not_computed": (
        "{what} not computed in this run (frontiers off: a quick re-plan); plan again with "
        "frontiers to get them",
        "本次运行未计算{what}（未开启前沿计算：快速重新规划）；开启前沿计算重新规划即可得到",
    ),
    # ------------------------------------------------------------ innovation network
    "synthetic_enterprises": (
        "SYNTHETIC illustrative enterprises (not real companies): counts follow the paper "
        "(146 backbone, 3,973 high-tech); industries, cities and sizes are drawn from "
        "assumed uniform shares",
        "合成的示意企业（SYNTHETIC，并非真实企业）：数量依论文（146家骨干企业、3973家高新技术"
        "企业）；产业、城市和规模按假定的均匀比例抽取",
    ),
    "synthetic_assigned": (
        "SYNTHETIC illustrative enterprises, not real companies",
        "合成的示意企业，并非真实企业",
    ),
    "synthetic_served": (
        "the enterprises this plan serves (selection.enterprises) are the labelled SYNTHETIC "
        "sample, not real companies",
        "本方案服务的企业（selection.enterprises）为带标记的合成样本，并非真实企业",
    ),
    "synthetic_served_rows": (
        "{n} of the {total} enterprises this plan serves (selection.enterprises) are flagged "
        "synthetic in their file",
        "本方案服务的{total}家企业（selection.enterprises）中有{n}家在文件中标记为合成数据",
    ),
    "synthetic_network": (
        "the innovation network of the report links the chosen centers with the SYNTHETIC "
        "enterprise sample (the scenario names no enterprises of its own)",
        "报告中的创新网络以合成企业样本连接所选中心（情景未指定自有企业名单）",
    ),
    "enterprises_none": (
        "enterprises: none given (import a file, or use the SYNTHETIC sample)",
        "企业：未提供（可导入文件，或使用合成样本）",
    ),
    "enterprises_gap": ("enterprises: {detail}", "企业：{detail}"),
    "centers_none": (
        "centers: none given (use the registry and/or a plan)",
        "中心：未提供（可使用中心登记库和/或方案）",
    ),
    "nodes_none": (
        "{what}: none given; there is no public list of them and oicplan does not invent "
        "them. Add them with a nodes file (kind {kinds}), see docs/network.md",
        "{what}：未提供；没有公开名录，oicplan 不虚构。可用节点文件添加（kind 为 {kinds}），"
        "见 docs/network.md",
    ),
    "services_lacking": (
        "service providers: none of type {types} given",
        "中介服务机构：未提供 {types} 类型",
    ),
    "no_operator": (
        "{n} registry center(s) name no operator, so no operator tie: {centers}",
        "登记库中{n}个中心未写明运营单位，无法建立运营联系：{centers}",
    ),
    "centers_no_match": (
        "{n} center(s) have no match data (no economy, or a gap) and serve no industry: {centers}",
        "{n}个中心没有匹配数据（无所在经济体或数据缺口），不服务任何产业：{centers}",
    ),
    "industries_unserved": (
        "industries of the enterprises that no center serves: {industries}",
        "没有中心服务的企业产业：{industries}",
    ),
    "no_plan_edges": (
        "no plan: enterprises are tied to centers only by your edges file (see the suggested "
        "links)",
        "无方案：企业只通过您的连边文件与中心相连（见建议的联系）",
    ),
    "nodes_from": ("{n} node(s) from {file}", "{n}个节点来自 {file}"),
    "hosts_from_ror": (
        "{n} host tie(s) to universities and research institutes from the Research "
        "Organization Registry (ROR, CC0): the {per_site} main ones within 50 km of each "
        "chosen site, real names with their ror_id",
        "{n}条与高校和科研院所的东道联系来自科研组织注册库（ROR，CC0）：每个所选站点50公里内"
        "的{per_site}家主要机构，名称真实并附 ror_id",
    ),
    "unassigned": (
        "{n} enterprise(s) unassigned: capacity {capacity} < {total}",
        "{n}家企业未分配：容量{capacity} < {total}",
    ),
    "no_access_table": (
        "no access table: access time not used",
        "无可达性表：未使用到达时间",
    ),
    "match_gap_cells": (
        "{n} match cell(s) of these sites are gaps and count as 0",
        "这些站点有{n}个匹配单元为数据缺口，按0计",
    ),
    # ---------------------------------------------------------- data build: data gaps
    "gap_not_in_geonames": (
        "{site_type} '{place}' ({iso3}): not found in GeoNames",
        "{site_type}“{place}”（{iso3}）：GeoNames 中未找到",
    ),
    "gap_cluster_city": (
        "st_cluster '{city}' ({iso3}): not found",
        "科技集群城市“{city}”（{iso3}）：未找到",
    ),
    "gap_zone_place": (
        "zone '{zone}': the source names no place",
        "境外经贸合作区“{zone}”：来源未写明地点",
    ),
    "gap_center_city": (
        "center '{center}': host city not stated in the source",
        "海外中心“{center}”：来源未写明所在城市",
    ),
    "gap_rail_route": ("rail route {route}: no source", "班列线路 {route}：无来源"),
    "gap_unconfirmed_center": (
        "center '{center}': {status}; left out unless a scenario counts unconfirmed facts",
        "海外中心“{center}”：{status}；除非情景选择计入未确认事实，否则不计入",
    ),
    "gap_unconfirmed_zone": (
        "zone '{zone}': level not confirmed ({level}); left out unless a scenario counts "
        "unconfirmed facts",
        "境外经贸合作区“{zone}”：级别未确认（{level}）；除非情景选择计入未确认事实，否则不计入",
    ),
    "gap_unlisted_facts": (
        "{what}: the list is incomplete, so an economy it does not name has no value "
        "(unknown, not 0)",
        "{what}：名单不完整，未列出的经济体无数值（未知，而非0）",
    ),
    # ------------------------------------------- centers registry: alerts (oicplan.monitor)
    "alert_below_target": (
        "{kpi} below target for {run} consecutive years (latest {year}: {value} < {target})",
        "{kpi}连续{run}年低于目标（最新{year}年：{value} < {target}）",
    ),
    "alert_cost_overrun": (
        "cost {actual} over budget {budget} by {overrun} in {year}",
        "{year}年成本{actual}超出预算{budget}，超支{overrun}",
    ),
    "alert_risk_rising": (
        "{iso3} risk score rose from {first} ({first_year}) to {last} ({last_year})",
        "{iso3}风险评分从{first}（{first_year}年）升至{last}（{last_year}年）",
    ),
    "alert_no_kpi": ("no KPI values reported", "尚未报送 KPI 数据"),
    "alert_site_moved": (
        "site {site} moved between data vintages from rank {old_rank} (score {old_score}) "
        "to rank {new_rank} (score {new_score})",
        "站点{site}在两个数据版本之间从第{old_rank}名（得分{old_score}）变为第{new_rank}名"
        "（得分{new_score}）",
    ),
}

#: Fixed phrases that a note takes as a parameter, in English and Chinese.
PHRASES: dict[str, str] = {
    "; SYNTHETIC illustrative sample": "；合成的示意样本",
    " minus 0.3 x best-mode access days / max": "减去 0.3 × 最佳方式到达天数/最大值",
    "host universities and research institutes": "东道国高校和科研院所",
    "service providers (law, IP, finance, incubators)": (
        "中介服务机构（法律、知识产权、金融、孵化器）"
    ),
    "USD": "美元",
    "enterprises": "企业",
    "industries": "产业",
    "continent": "大洲",
    "World Bank region": "世界银行区域",
    "Africa": "非洲",
    "Asia": "亚洲",
    "Europe": "欧洲",
    "North America": "北美洲",
    "Oceania": "大洋洲",
    "South America": "南美洲",
    "East Asia & Pacific": "东亚与太平洋",
    "Europe & Central Asia": "欧洲与中亚",
    "Latin America & Caribbean": "拉丁美洲与加勒比",
    "Middle East & North Africa": "中东与北非",
    "South Asia": "南亚",
    "Sub-Saharan Africa": "撒哈拉以南非洲",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_LIST_SEPARATORS = ("; ", ", ")


def note(key: str, **params: object) -> str:
    """The English note ``key`` with ``params`` filled in.

    >>> note("sites_screened", n=7)
    '7 site(s) screened out for lack of data'
    """
    return NOTES[key][0].format(**params)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for key, (english, _) in NOTES.items():
        parts, seen, last = [], set(), 0
        for found in _PLACEHOLDER.finditer(english):
            parts.append(re.escape(english[last : found.start()]))
            name = found.group(1)
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
            last = found.end()
        parts.append(re.escape(english[last:]))
        out.append((key, re.compile("".join(parts), re.DOTALL)))
    return out


def note_key(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalog key and parameters of an English note, or None for a note of no known form.

    >>> note_key("at most 2 per country")
    ('per_country', {'n': '2'})
    """
    for key, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            return key, found.groupdict()
    return None


@cache
def _domain_terms() -> dict[str, str]:
    """English (and id) → Chinese of the vocabulary of :mod:`oicplan.domain`."""
    from oicplan.domain import CENTER_MODES, STRATEGIES

    terms: dict[str, str] = {}
    # An id that is both a strategy and a mode (zone_upgrade) is the mode here; a
    # parameter named ``strategy`` reads the strategies first (_term).
    for table in (STRATEGIES, CENTER_MODES):
        for key, names in table.items():
            terms[key] = names[1]
            terms[names[0]] = names[1]
    return terms


@cache
def _strategy_terms() -> dict[str, str]:
    from oicplan.domain import STRATEGIES

    return {key: names[1] for key, names in STRATEGIES.items()}


def _term(
    value: str, lang: str, vocabulary: Mapping[str, str], depth: int, name: str = ""
) -> str:
    """``value`` (the parameter ``name`` of a note) in ``lang``; unknown text stays as it is."""
    if lang == "en" or not value:
        return value
    first = _strategy_terms() if name == "strategy" else {}
    for table in (first, vocabulary, PHRASES, _domain_terms()):
        if value in table:
            return table[value]
    if depth < 2 and note_key(value) is not None:
        return note_text(value, lang, vocabulary, _depth=depth + 1)
    for separator in _LIST_SEPARATORS:
        if separator in value:
            items = value.split(separator)
            words = [_term(item, lang, vocabulary, depth + 1) for item in items]
            # A list when one of its items is a known term, else one name with a comma.
            if words != items:
                return ("；" if separator == "; " else "、").join(words)
    head, space, rest = value.partition(" ")
    if space and head in _domain_terms():
        return f"{_domain_terms()[head]} {rest}"
    return value


def note_text(
    text: str,
    lang: str,
    vocabulary: Mapping[str, str] | None = None,
    *,
    _depth: int = 0,
) -> str:
    """An English note in ``lang`` (``zh`` or ``en``); a note of no known form as it is.

    ``vocabulary`` maps further English terms (or ids) to Chinese for the
    parameters: industry ids, zone and center names, site names.

    >>> note_text("7 site(s) screened out for lack of data", "zh")
    '7个站点因数据不足被剔除'
    >>> note_text("industries of the enterprises that no center serves: a, b", "zh",
    ...           {"a": "数字经济"})
    '没有中心服务的企业产业：数字经济、b'
    """
    if lang not in ("zh", "en"):
        from oicplan.errors import InputError

        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    if lang == "en":
        return text
    found = note_key(text)
    if found is None:
        return text
    key, params = found
    terms = vocabulary or {}
    values = {name: _term(value, lang, terms, _depth, name) for name, value in params.items()}
    return NOTES[key][1].format(**values)


def notes_text(
    texts: Iterable[str], lang: str, vocabulary: Mapping[str, str] | None = None
) -> list[str]:
    """:func:`note_text` of each note.

    >>> notes_text(["max 3 centers", "budget 12.5"], "zh")
    ['最多3个中心', '预算12.5']
    """
    return [note_text(text, lang, vocabulary) for text in texts]
