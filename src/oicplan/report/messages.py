"""Report and command-line wording in Chinese and English (terms from the DESIGN glossary).

A message that states a number of :mod:`oicplan.assumptions` names it as a placeholder
(``{mode_threshold}``, ``{rule_weight}``, ``{fit_weight}``, ``{preempted}``), which
:func:`text` fills with the value in force (the plan's, while its report is written).

>>> text("chosen_sites", "zh"), text("chosen_sites", "en")
('选定站点', 'Chosen sites')
"""

from __future__ import annotations

import re
from functools import cache

from oicplan.assumptions import value
from oicplan.errors import InputError

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "mode_name",
    "mode_reason_text",
    "pillar_name",
    "site_type_name",
    "status_name",
    "strategy_name",
    "text",
]

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "report_title": {
        "en": "Layout plan of overseas innovation centers",
        "zh": "海外创新中心布局方案",
    },
    "summary": {"en": "Summary", "zh": "摘要"},
    "summary_text": {
        "en": "{k} new overseas innovation centers chosen from {n} candidate sites in {e} "
        "economies, ranked by {method} over {p} pillars. {existing} sites already host a "
        "Zhejiang center and are shown, not chosen again.",
        "zh": "从{e}个经济体的{n}个候选站点中选定{k}个新的海外创新中心，"
        "采用{method}方法对{p}个支柱（一级指标）综合排名。已有浙江海外中心的{existing}个站点"
        "在图中标出，不再重复选择。",
    },
    "chosen_sites": {"en": "Chosen sites", "zh": "选定站点"},
    "ranked_candidates": {"en": "Ranked candidates", "zh": "候选站点排名"},
    "pillar_profiles": {"en": "Pillar profile of each chosen site", "zh": "选定站点的支柱得分"},
    "map": {
        "en": "Map of candidates, chosen sites, rail routes and sea lanes",
        "zh": "候选站点、选定站点、班列线路与海运航线图",
    },
    "map_note": {
        "en": "Rail routes are drawn schematically through the capitals of their transit "
        "countries. Sea lanes run from Ningbo-Zhoushan to the port of each chosen site that "
        "the transport graph reaches by sea (the shortest sea path of the searoute package, "
        "the route oicplan access --mode sea takes), a dashed line then to the site when the "
        "port is elsewhere; {sea} of {k} chosen sites are reached by sea. Land outline from "
        "the global_land_mask package.",
        "zh": "班列线路按途经国家首都示意绘制。海运航线自宁波舟山港至运输网络中可经海运到达的"
        "各选定站点的港口（searoute 软件包的最短海上航线，即 oicplan access --mode sea 所取路线），"
        "港口不在站点所在地时以虚线连接至站点；{k}个选定站点中有{sea}个可经海运到达。"
        "陆地轮廓来自 global_land_mask 软件包。",
    },
    "sea": {"en": "Sea lane from Ningbo-Zhoushan", "zh": "宁波舟山港出发的海运航线"},
    "last_leg": {"en": "From the port to the site (road)", "zh": "港口至站点（公路）"},
    "pillar": {"en": "Pillar", "zh": "支柱"},
    "code": {"en": "Code", "zh": "代码"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "pareto_risk_axis": {
        "en": "Total risk: sum of the risk pillar scores of the open centers",
        "zh": "总风险：开设中心的风险支柱得分之和",
    },
    "pareto_risk": {"en": "Total risk", "zh": "总风险"},
    "pareto_risk_cap": {"en": "Risk cap (ε)", "zh": "风险上限（ε）"},
    "pareto_risk_title": {
        "en": "Benefit against total risk (ε-constraint)",
        "zh": "效益与总风险的帕累托前沿（ε约束法）",
    },
    "pareto_risk_note": {
        "en": "Each point maximizes the benefit with the total risk held at or below the cap; "
        "existing centers count toward the risk and the center count.",
        "zh": "每个点在总风险不超过上限的条件下使效益最大；已有中心计入风险和中心数。",
    },
    "pareto_cost_axis": {
        "en": "Total cost: set-up + one year's running (US$ million)",
        "zh": "总成本：设立成本 + 一年运行成本（百万美元）",
    },
    "pareto_benefit_axis": {"en": "Benefit", "zh": "效益"},
    "pareto_table": {"en": "Points of the frontier", "zh": "前沿上的各点"},
    "pareto_cost_cap": {"en": "Cost cap (ε)", "zh": "成本上限（ε）"},
    "pareto_cost": {"en": "Cost", "zh": "成本"},
    "pareto_benefit": {"en": "Benefit", "zh": "效益"},
    "pareto_centers": {"en": "Centers", "zh": "中心数"},
    "status": {"en": "Solver status", "zh": "求解状态"},
    "status_optimal": {"en": "optimal", "zh": "最优（optimal）"},
    "status_feasible": {"en": "feasible", "zh": "可行（feasible，未证明最优）"},
    "pareto_cost_note": {
        "en": "Each point maximizes the benefit with the total cost held at or below the cap; "
        "the center count includes the existing centers the layout keeps open.",
        "zh": "每个点在总成本不超过上限的条件下使效益最大；中心数包含布局中保留的已有中心。",
    },
    "assumptions_technical": {
        "en": "Assumptions",
        "zh": "技术假设（优化模型生成）",
    },
    "constraints_technical": {
        "en": "Constraints held",
        "zh": "满足的约束（优化模型生成）",
    },
    "modes_title": {
        "en": "Center modes and third-generation park view of each chosen site",
        "zh": "选定站点的中心模式评分与第三代园区视角",
    },
    "modes_note": {
        "en": "Score = {rule_weight} × rule + {fit_weight} × fit: the rule of the mode rules "
        "above gives 1 ({preempted} when it also holds but an earlier rule decides), the fit "
        "weighs the pillars the mode needs (oicplan.match.modes). ✓ marks the mode of the plan. "
        "Park view: talent, community and knowledge ecology, each the mean percentile of the "
        "site's economy among the ranked economies on real indicators (0 = lowest, 1 = highest).",
        "zh": "得分 = {rule_weight} × 规则 + {fit_weight} × 契合度：符合上述模式规则记1（规则也成立"
        "但被更靠前的规则取代时记{preempted}），契合度按该模式所需的支柱得分加权（oicplan.match.modes）。"
        "✓ 为方案采用的模式。"
        "园区视角：人才、社区、知识生态三个维度，各为站点所在经济体在参与排名经济体中相应真实指标的"
        "平均百分位（0 = 最低，1 = 最高）。",
    },
    "mode_score": {"en": "Mode score", "zh": "模式得分"},
    "reasons": {"en": "Reasons", "zh": "理由"},
    "park_view": {"en": "Third-generation park view", "zh": "第三代园区视角"},
    "park_talent": {"en": "Talent", "zh": "人才"},
    "park_community": {"en": "Community", "zh": "社区"},
    "park_knowledge_ecology": {"en": "Knowledge ecology", "zh": "知识生态"},
    "park_score": {"en": "Overall", "zh": "综合"},
    "method": {"en": "Method", "zh": "方法"},
    "sources": {"en": "Data sources", "zh": "数据来源"},
    "indicators": {"en": "Indicators used", "zh": "所用指标"},
    "rank": {"en": "Rank", "zh": "排名"},
    "site": {"en": "Site", "zh": "站点"},
    "country": {"en": "Economy", "zh": "经济体"},
    "site_type": {"en": "Site type", "zh": "站点类型"},
    "strategy": {"en": "Layout strategy", "zh": "布局路径"},
    "mode": {"en": "Center mode", "zh": "中心模式"},
    "score": {"en": "Score", "zh": "得分"},
    "why_mode": {"en": "Why this mode", "zh": "模式依据"},
    "chosen": {"en": "chosen", "zh": "选定"},
    "existing": {"en": "existing Zhejiang center", "zh": "浙江已有海外中心"},
    "candidate": {"en": "candidate", "zh": "候选"},
    "hub": {"en": "Zhejiang hub", "zh": "浙江枢纽"},
    "rail": {"en": "Yiwu/Jinhua China–Europe rail (schematic)", "zh": "义新欧等中欧班列（示意）"},
    "source": {"en": "Source", "zh": "来源"},
    "licence": {"en": "Licence", "zh": "许可"},
    "as_of": {"en": "As of", "zh": "截至"},
    "years": {"en": "Years of values used", "zh": "数值年份"},
    "max_age": {"en": "Max. age (years)", "zh": "最长可用年数"},
    "stale_values": {"en": "Sites with a value past it", "zh": "数值过旧的站点数"},
    "age_rule": {
        "en": "A value more than its indicator's maximum age older than the indicator's newest "
              "value is treated as missing (framework max_age; the counts are of ranked sites). "
              "An economy missing from an incomplete list (treaties, zones, centers, rail) has "
              "no value: unknown, not 0; its pillar averages the indicators it has.",
        "zh": "数值比该指标最新数值早于最长可用年数者视为缺失（指标框架 max_age；计数为参与排名的"
              "站点）。不完整名单（税收协定、合作区、海外中心、班列）未列出的经济体无数值：视为未知，"
              "而非0；其所在支柱按已有指标取平均。",
    },
    "dataset_version": {"en": "Dataset version", "zh": "数据集版本"},
    "created": {"en": "Created", "zh": "生成时间"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "weights": {"en": "Pillar weights", "zh": "支柱权重"},
    "screened": {"en": "Screened out for lack of data", "zh": "因数据不足被剔除"},
    "notes": {"en": "Notes", "zh": "说明"},
    "risk_note": {
        "en": "Risk is a cost: a lower risk score is better.",
        "zh": "风险为成本型指标：得分越低越好。",
    },
    "selection_rule": {
        "en": "Selection: for each layout strategy the best-ranked eligible site, then the "
        "remaining places by rank, at most {cap} per economy. Mode rules: cooperation zone → "
        "zone upgrade; rail terminus → corridor hub; S&T cluster or innovation ≥ "
        "{mode_threshold} → offshore R&D center; talent ≥ {mode_threshold} → joint lab; "
        "otherwise offshore incubator.",
        "zh": "选址规则：每条布局路径先选排名最高的合格站点，其余名额按排名依次补足，"
        "每个经济体最多{cap}个。模式规则：有境外经贸合作区→合作区转型升级；班列终点→通道枢纽／海外仓；"
        "科技集群城市或创新得分≥{mode_threshold}→海外研发中心；人才得分≥{mode_threshold}→联合实验室；"
        "否则→离岸创新孵化中心。",
    },
    "rank_interval": {"en": "Median rank [5–95%]", "zh": "中位排名 [5–95%]"},
    "rank_interval_title": {
        "en": "Rank intervals of the best 30 candidates",
        "zh": "前30个候选站点的排名区间",
    },
    "uncertainty": {"en": "How sure are the ranks", "zh": "排名的确定性"},
    "uncertainty_note": {
        "en": "Monte Carlo with {samples} replications: each pillar weight varied by ±{spread}% "
        "and rescaled. Bars run from the 5th to the 95th percentile rank, the dot is the median.",
        "zh": "蒙特卡洛模拟{samples}次：每个支柱权重在±{spread}%范围内随机扰动后归一化。"
        "横条为第5至第95百分位排名，圆点为中位排名。",
    },
    "sensitivity": {"en": "What drives the ranks", "zh": "排名的驱动因素"},
    "sobol_title": {
        "en": "Sobol indices of the ranks to each pillar weight (mean over sites)",
        "zh": "排名对各支柱权重的Sobol敏感性指数（站点平均）",
    },
    "correlation_title": {"en": "Correlation between pillars", "zh": "支柱间相关性"},
    "sensitivity_note": {
        "en": "First-order index: the share of a site's rank variance due to one weight alone; "
        "total-order: including its interactions. Strongly correlated pillars count the same "
        "thing twice.",
        "zh": "一阶指数：单个权重单独引起的排名方差占比；总效应指数：含交互作用。"
        "高度相关的支柱会重复计量同一因素。",
    },
    "match_title": {
        "en": "Industry–technology match of the chosen sites",
        "zh": "选定站点的产业技术匹配",
    },
    "match_industries": {"en": "Best-matched industries", "zh": "匹配度最高的产业"},
    "match_evidence": {
        "en": "Evidence (field or signal, year, source)",
        "zh": "依据（技术领域或信号、年份、来源）",
    },
    "match_note": {
        "en": "Preset: {preset}. Host strengths in technology fields come from the most specific "
        "NCSES field data a host has (the 35 WIPO fields of patent families, else the 5 WIPO "
        "areas of PCT applications, else publications by discipline), as revealed technological "
        "advantage and scale over the last 3 years; a host without field data keeps the proxy "
        "from aggregate indicators. The industry–field map is an assumption (docs/match.md).",
        "zh": "匹配预设：{preset}。东道国技术领域实力取其现有最细的NCSES分领域数据（专利族的WIPO"
        "35个技术领域，否则PCT申请的WIPO 5大技术部门，否则分学科论文），按近3年的显示性技术优势"
        "和规模计算；无分领域数据的东道国仍用总体指标近似估计。产业与技术领域的对应关系是一项"
        "假设（见 docs/match.md）。",
    },
    "match_field_item": {
        "en": "{field}: RTA {rta}, {first}–{last} ({tier}; NCSES {edition}, table {table})",
        "zh": "{field}：显示性技术优势 {rta}，{first}–{last}年"
        "（{tier}；NCSES {edition}，表 {table}）",
    },
    "match_tier_patent_families": {"en": "patent families, 35 WIPO fields",
                                   "zh": "专利族，WIPO 35个技术领域"},
    "match_tier_pct": {"en": "PCT applications, 5 WIPO areas", "zh": "PCT申请，WIPO 5大技术部门"},
    "match_tier_articles": {"en": "S&E articles by discipline", "zh": "分学科科技论文"},
    "portfolio": {"en": "Portfolio, costs and trade-off", "zh": "布局组合、成本与权衡"},
    "portfolio_text": {
        "en": "Chosen by the layout model (MILP, HiGHS; status {status}). Set-up cost "
        "{setup}, running cost {annual} per year (US$ million, 2024 prices).",
        "zh": "由布局优化模型（混合整数规划，HiGHS求解；状态：{status}）选定。"
        "设立成本合计{setup}，年运行成本{annual}（百万美元，2024年价格）。",
    },
    "pareto_cost_title": {
        "en": "Benefit against cost (ε-constraint)",
        "zh": "效益与成本的帕累托前沿（ε约束法）",
    },
    "timeline": {"en": "Phasing: opening year", "zh": "分期建设：开设年份"},
    "year": {"en": "Year", "zh": "年份"},
    "setup_cost": {"en": "Set-up (US$ m)", "zh": "设立成本（百万美元）"},
    "annual_cost": {"en": "Per year (US$ m)", "zh": "年运行成本（百万美元）"},
    "assumptions": {"en": "Assumptions", "zh": "假设"},
    "constraints": {"en": "Constraints held", "zh": "满足的约束"},
    "robust": {"en": "Chosen in draws", "zh": "扰动下入选比例"},
    "robust_note": {
        "en": "“Chosen in draws”: the share of {samples} Monte Carlo draws of the pillar weights "
        "in which the layout model also chooses the site.",
        "zh": "“扰动下入选比例”：在{samples}次支柱权重蒙特卡洛抽样中，布局模型仍选中该站点的比例。",
    },
    "selection_rule_optimizer": {
        "en": "Selection: the layout model chooses sites and modes to maximize the match of "
        "Zhejiang's priority industries and the sites' quality, with at most {cap} per economy "
        "(existing centers included) and the minimums listed under the portfolio (by default "
        "one site per layout strategy). Modes follow "
        "the stated rules unless another admissible mode serves the industries better: "
        "cooperation zone → zone upgrade; rail terminus → corridor hub; S&T cluster or "
        "innovation ≥ {mode_threshold} → offshore R&D center; talent ≥ {mode_threshold} → joint "
        "lab; otherwise offshore incubator.",
        "zh": (
            "选址规则：布局优化模型在每个经济体最多{cap}个（含已有中"
            "心）、满足组合一节所列最低数量（默认每条布局路径至少一个站点）的约束下，选择使浙江重点产业匹"
            "配度与站点质量最大的站点和模式。模式一般按规则确定，若其他可"
            "行模式更有利于服务产业则由模型选定：有境外经贸合作区→合作区"
            "转型升级；班列终点→通道枢纽／海外仓；科技集群城市或创新得分"
            "≥{mode_threshold}→海外研发中心；人才得分≥{mode_threshold}→联合实验室；否则→"
            "离岸创新孵化中心。"
        ),
    },
    "network": {
        "en": "Innovation network (illustrative: synthetic enterprises)",
        "zh": "创新网络（示意：企业为合成样本）",
    },
    "network_text": {
        "en": "{nodes} nodes, {edges} ties, density {density}, {components} components; "
        "brokers: {brokers}. The enterprises are a SYNTHETIC sample whose counts follow the "
        "paper (146 backbone, 3,973 high-tech); import real ones with oicplan enterprises "
        "import, and partners with oicplan network --nodes/--edges.",
        "zh": "{nodes}个节点、{edges}条联系，密度{density}，{components}个连通分量；"
        "关键中介节点：{brokers}。"
        "企业为合成样本（数量依论文：146家骨干企业、3973家高新技术企业），"
        "可用 oicplan enterprises import 导入真实企业，"
        "用 oicplan network --nodes/--edges 导入合作伙伴。",
    },
    "gaps": {"en": "Known gaps in the data", "zh": "数据缺口"},
    "synthetic_inputs": {
        "en": "Synthetic inputs (not real data)",
        "zh": "合成输入（非真实数据）",
    },
    "network_own": {"en": "Innovation network", "zh": "创新网络"},
    "network_text_own": {
        "en": "{nodes} nodes, {edges} ties, density {density}, {components} components; "
        "brokers: {brokers}. The enterprises are those the scenario names "
        "(selection.enterprises).",
        "zh": "{nodes}个节点、{edges}条联系，密度{density}，{components}个连通分量；"
        "关键中介节点：{brokers}。企业为情景指定的名单（selection.enterprises）。",
    },
    "assumptions_title": {"en": "Stated assumptions", "zh": "模型假设"},
    "assumptions_text": {
        "en": "These numbers are modelling choices, not data: oicplan assumptions lists them "
        "with their reasons and where they are used; a scenario may set them under "
        "assumptions, and oicplan sensitivity --assumptions shows whether each one moves the "
        "plan. Values this scenario set are marked *.",
        "zh": "以下数值是建模选择而非数据：oicplan assumptions 列出其理由和使用位置；"
        "情景可在 assumptions 下修改，oicplan sensitivity --assumptions 显示各值是否改变方案。"
        "本情景修改过的值标有*。",
    },
    "assumption": {"en": "Assumption", "zh": "假设"},
    "assumption_value": {"en": "Value", "zh": "取值"},
    "assumption_unit": {"en": "Unit", "zh": "单位"},
    "assumption_reason": {"en": "Reason", "zh": "理由"},
    "pairs_title": {"en": "Two centers in one economy", "zh": "同一经济体内的两个中心"},
    "pairs_text": {
        "en": "The k-th center of an economy counts {delta}^(k-1) of its site quality "
        "(layout.diminishing_return): a second center must add something of its own.",
        "zh": "经济体中第k个中心按其站点质量的{delta}^(k-1)计（layout.diminishing_return）："
        "第二个中心须有自身的增益。",
    },
    "pairs_none": {
        "en": "The layout keeps no two centers in one economy.",
        "zh": "本布局未在同一经济体内设两个中心。",
    },
}

# The report's short English pillar labels. The Chinese names are the framework's
# (``name_zh`` in indicators/default_framework.yaml, the one source the pages use too).
_PILLARS = {
    "innovation": "Innovation capacity",
    "talent": "Talent",
    "market": "Market and trade",
    "cooperation": "Cooperation base",
    "connectivity": "Connectivity",
    "services": "Services and finance",
    "risk": "Risk",
    "policy": "Policy alignment",
    "match": "Industry match",
}


@cache
def _pillars_zh() -> dict[str, str]:
    """Pillar id -> its Chinese name in the default framework (``name_zh``)."""
    from oicplan.indicators.framework import load_framework

    return {p.id: p.name_zh for p in load_framework("default").pillars if p.name_zh}

_SITE_TYPES = {
    "capital": ("capital", "首都"),
    "major_city": ("major city", "主要城市"),
    "st_cluster": ("GII S&T cluster", "全球科技集群"),
    "zone": ("cooperation zone", "境外经贸合作区"),
    "existing_center": ("existing center", "已有海外中心"),
    "rail_node": ("rail node", "班列节点"),
}


def _check(lang: str) -> int:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; use zh or en", field="lang")
    return 0 if lang == "en" else 1


def _stated() -> dict[str, str]:
    """The numbers of :mod:`oicplan.assumptions` that messages state, as in force."""
    weight = value("mode_score.rule_weight")
    return {
        "mode_threshold": f"{value('mode.pillar_threshold'):g}",
        "rule_weight": f"{weight:g}",
        "fit_weight": f"{round(1.0 - weight, 6):g}",
        "preempted": f"{value('mode_score.preempted_rule'):g}",
    }


def text(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (``zh`` or ``en``), formatted with ``values``."""
    _check(lang)
    return MESSAGES[key][lang].format(**{**_stated(), **values})


def status_name(status: str, lang: str) -> str:
    """A solver status in ``lang``; an unknown status stays as it is.

    >>> status_name("optimal", "zh"), status_name("stopped", "zh")
    ('最优（optimal）', 'stopped')
    """
    _check(lang)
    key = f"status_{status}"
    return text(key, lang) if key in MESSAGES else status


def pillar_name(pillar: str, lang: str) -> str:
    """A pillar's name: in Chinese the framework's ``name_zh``, in English a short label.

    >>> pillar_name("market", "zh"), pillar_name("market", "en"), pillar_name("x", "zh")
    ('市场与贸易联系', 'Market and trade', 'x')
    """
    if _check(lang) == 1:
        return _pillars_zh().get(pillar, pillar)
    return _PILLARS.get(pillar, pillar)


def site_type_name(site_type: str, lang: str) -> str:
    return _SITE_TYPES.get(site_type, (site_type, site_type))[_check(lang)]


def strategy_name(strategy: str, lang: str) -> str:
    from oicplan.domain import STRATEGIES

    entry = STRATEGIES.get(strategy)
    return strategy if entry is None else entry[_check(lang)]


def mode_name(mode: str, lang: str) -> str:
    from oicplan.domain import CENTER_MODES

    entry = CENTER_MODES.get(mode)
    return mode if entry is None else entry[_check(lang)]


_REASON_PATTERNS = (
    (re.compile(r"^rule: (?P<why>.+) \(plan\.assign_mode\)$"), "rule"),
    (re.compile(r"^also holds: (?P<why>.+), but an earlier rule gives (?P<mode>\w+)$"), "also"),
    (re.compile(r"^GII S&T cluster rank (?P<rank>\d+)$"), "cluster"),
    (re.compile(r"^(?P<pillar>\w+) pillar (?P<value>[-\d.]+)$"), "pillar"),
)


def mode_reason_text(reason: str, lang: str) -> str:
    """One reason of :func:`oicplan.match.modes.mode_scores` in ``lang``.

    The reasons are written in English by the scoring code; in Chinese each known
    form is reworded, and a reason of unknown form is kept as it is.

    >>> mode_reason_text("talent pillar 0.62", "zh")
    '人才集聚 0.62'
    >>> mode_reason_text("talent pillar 0.62", "en")
    'Talent 0.62'
    >>> mode_reason_text("GII S&T cluster rank 12", "zh")
    'GII全球科技集群第12位'
    """
    index = _check(lang)
    from oicplan.domain import MODE_REASONS

    by_english = {pair[0]: pair for pair in MODE_REASONS.values()}
    for pattern, kind in _REASON_PATTERNS:
        found = pattern.match(reason)
        if found is None:
            continue
        if kind == "pillar":
            return f"{pillar_name(found['pillar'], lang)} {found['value']}"
        if kind == "cluster":
            return (
                f"GII S&T cluster rank {found['rank']}"
                if index == 0
                else f"GII全球科技集群第{found['rank']}位"
            )
        why = by_english.get(found["why"])
        if why is None:
            return reason
        if kind == "rule":
            return f"rule: {why[0]}" if index == 0 else f"规则：{why[1]}"
        mode = mode_name(found["mode"], lang)
        return (
            f"also holds: {why[0]}, but an earlier rule gives {mode}"
            if index == 0
            else f"亦满足：{why[1]}，但更靠前的规则给出“{mode}”"
        )
    return reason


# Wording of the downloads (report/tables.py, xlsx.py, word.py, pdf.py): sheet names stay
# within Excel's 31 characters.
MESSAGES.update(
    {
        "download_sheet_summary": {"en": "Summary", "zh": "概要"},
        "download_sheet_pillars": {"en": "Pillars", "zh": "支柱得分"},
        "download_sheet_portfolio": {"en": "Portfolio", "zh": "组合与成本"},
        "download_sheet_phasing": {"en": "Phasing", "zh": "分期建设"},
        "download_sheet_frontier_cost": {"en": "Frontier benefit-cost", "zh": "效益-成本前沿"},
        "download_sheet_frontier_risk": {"en": "Frontier benefit-risk", "zh": "效益-风险前沿"},
        "download_sheet_match": {"en": "Industry match", "zh": "产业匹配"},
        "download_sheet_modes": {"en": "Mode scores", "zh": "模式评分"},
        "download_sheet_network": {"en": "Innovation network", "zh": "创新网络"},
        "download_sheet_indicators": {"en": "Indicators", "zh": "指标"},
        "download_sheet_gaps": {"en": "Data gaps", "zh": "数据缺口"},
        "download_sheet_screened": {"en": "Screened out", "zh": "剔除站点"},
        "download_item": {"en": "Item", "zh": "项目"},
        "download_value": {"en": "Value", "zh": "内容"},
        "download_site_id": {"en": "Site id", "zh": "站点编号"},
        "download_median_rank": {"en": "Median rank", "zh": "中位排名"},
        "download_rank_p5": {"en": "Rank, 5th percentile", "zh": "排名（第5百分位）"},
        "download_rank_p95": {"en": "Rank, 95th percentile", "zh": "排名（第95百分位）"},
        "download_selection_rule": {"en": "Selection rule", "zh": "选址规则"},
        "download_gap": {"en": "Optimality gap", "zh": "最优性差距"},
        "download_no_phasing": {
            "en": "The plan has no phasing (no opening years were asked for).",
            "zh": "本方案未设分期（未要求开设年份）。",
        },
        "download_nodes": {"en": "Nodes", "zh": "节点数"},
        "download_edges": {"en": "Ties", "zh": "联系数"},
        "download_density": {"en": "Density", "zh": "密度"},
        "download_components": {"en": "Components", "zh": "连通分量数"},
        "download_brokers": {"en": "Brokers", "zh": "关键中介节点"},
        "download_planned": {"en": "In the plan", "zh": "方案采用"},
        "download_chosen": {"en": "Chosen", "zh": "选定"},
        "download_direction": {"en": "Direction", "zh": "方向"},
        "download_direction_max": {"en": "higher is better", "zh": "正向（越高越好）"},
        "download_direction_min": {"en": "lower is better", "zh": "负向（越低越好）"},
        "download_citation": {"en": "Citation", "zh": "引用"},
        "download_gap_item": {"en": "Gap", "zh": "缺口"},
        "download_contents": {"en": "Tables", "zh": "表格"},
        "download_charts": {"en": "Charts", "zh": "图表"},
        "download_costs": {"en": "Costs and robustness", "zh": "成本与稳健性"},
        "download_charts_missing": {
            "en": "The charts are not embedded here (the resvg-py package, which draws "
            "them as pictures, is not installed); report.html shows them.",
            "zh": "此处未嵌入图表（未安装将图表转为图片的 resvg-py 软件包），请见 report.html。",
        },
        "download_footer": {
            "en": "oicplan · scenario {scenario} · dataset {version} · {created}",
            "zh": "oicplan · 情景 {scenario} · 数据集 {version} · {created}",
        },
    }
)

# Local evidence of the chosen sites (report/local_rows.py; plan.json's local).
MESSAGES.update(
    {
        "local_title": {"en": "Local evidence around the chosen sites", "zh": "所选站点的周边证据"},
        "local_orgs": {
            "en": "Research organizations within {radius} km (ROR, by type)",
            "zh": "{radius}公里内科研组织（ROR，按类型）",
        },
        "local_orgs_cell": {"en": "{counts} ({total} in all)", "zh": "{counts}（共 {total} 家）"},
        "local_airports": {
            "en": "Large airports within {radius} km",
            "zh": "{radius}公里内大型机场",
        },
        "local_airport_nearest": {"en": "0 (nearest {km} km)", "zh": "0（最近 {km} 公里）"},
        "local_cluster": {"en": "GII S&T cluster rank", "zh": "GII科技集群排名"},
        "local_hosts": {"en": "Main research organizations nearby", "zh": "周边主要科研组织"},
        "local_coverage": {
            "en": "ROR coverage of the economy (est.)",
            "zh": "该经济体ROR收录率（估计）",
        },
        "local_note": {
            "en": "Research organizations: Research Organization Registry (ROR, CC0), a partial "
            "extract whose coverage differs by economy, so counts compare sites of one economy, "
            "not economies; city locations from GeoNames (CC BY 4.0). \"Main\": those with "
            "records filed under them in ROR first, then the oldest. Airports: OurAirports "
            "(public domain), with scheduled service. See docs/indicators.md.",
            "zh": "科研组织：科研组织注册库（ROR，CC0）的部分数据，各经济体收录率不同，"
            "故数量只用于比较同一经济体内的站点，不用于比较经济体；"
            "城市位置来自 GeoNames（CC BY 4.0）。"
            "“主要”指在ROR中有下属记录的机构优先，其次成立最早者。机场：OurAirports（公有领域），"
            "有定期航班者。详见 docs/indicators.md。",
        },
        "ror_type_education": {"en": "education", "zh": "高校"},
        "ror_type_facility": {"en": "facility", "zh": "科研设施"},
        "ror_type_healthcare": {"en": "healthcare", "zh": "医疗"},
        "ror_type_company": {"en": "company", "zh": "企业"},
        "ror_type_government": {"en": "government", "zh": "政府机构"},
        "ror_type_nonprofit": {"en": "nonprofit", "zh": "非营利组织"},
        "ror_type_funder": {"en": "funder", "zh": "资助机构"},
        "ror_type_archive": {"en": "archive", "zh": "档案馆"},
        "ror_type_other": {"en": "other", "zh": "其他"},
    }
)

# Technology watch of the plan's economies (report/watch_rows.py; plan.json's technology_watch).
MESSAGES.update(
    {
        "watch_title": {
            "en": "Technology watch: economies of the chosen sites and existing centers",
            "zh": "技术观察：选定站点与现有中心所在经济体",
        },
        "watch_intro": {
            "en": "For each economy, its strongest fields of Zhejiang's priority industries by "
            "revealed technological advantage (RTA > 1: a larger share of the economy's own "
            "output than of the world's) at the end of the last {span} years of data: up to "
            "{tech} technology fields and {science} publication disciplines, with growth per "
            "year (CAGR) and the trend. Source: NCSES, Science and Engineering Indicators "
            "2022/2024 (patent families, PCT applications, Scopus articles). Every field: "
            "plan.json (technology_watch) and oicplan watch site.",
            "zh": "各经济体在浙江重点产业相关领域中按显示性技术优势（RTA大于1表示该领域在本经济体"
            "产出中的占比高于全球）排在前列的领域，取最近{span}年数据的期末值：最多{tech}个技术领域"
            "和{science}个论文学科，并列出年均增长率（CAGR）与走势。来源：美国国家科学与工程统计中心"
            "（NCSES）《科学与工程指标》2022/2024年版（专利族、PCT申请、Scopus论文）。"
            "全部领域见 plan.json（technology_watch）与 oicplan watch site。",
        },
        "watch_field": {"en": "Field", "zh": "领域"},
        "watch_data": {"en": "Data", "zh": "数据"},
        "watch_years": {"en": "Years", "zh": "年份"},
        "watch_values": {"en": "Start → end", "zh": "期初 → 期末"},
        "watch_growth": {"en": "Growth per year", "zh": "年均增长"},
        "watch_rta": {"en": "RTA start → end", "zh": "显示性技术优势（期初 → 期末）"},
        "watch_trend": {"en": "Trend", "zh": "走势"},
        "watch_industries": {"en": "Priority industries", "zh": "相关重点产业"},
        "watch_role_chosen": {"en": "chosen site", "zh": "选定站点"},
        "watch_role_existing_center": {"en": "existing center", "zh": "现有中心"},
        "watch_tier_patent_families": {
            "en": "technology: granted patent families by the 35 WIPO fields",
            "zh": "技术：按WIPO 35个技术领域的授权专利族",
        },
        "watch_tier_pct": {
            "en": "technology: PCT applications by the 5 WIPO areas",
            "zh": "技术：按WIPO 5个技术大类的PCT申请",
        },
        "watch_tier_none": {
            "en": "no usable patent data by field: publications only",
            "zh": "无可用的分领域专利数据：仅论文",
        },
        "watch_source_patent_families": {"en": "patent families", "zh": "专利族"},
        "watch_source_pct": {"en": "PCT applications", "zh": "PCT申请"},
        "watch_source_articles": {"en": "articles", "zh": "论文"},
        "watch_source_uspto": {"en": "USPTO patents", "zh": "美国专利"},
        "watch_no_data": {
            "en": "No NCSES field data for this economy: a gap, not a zero.",
            "zh": "该经济体无NCSES分领域数据：是数据缺口，不是零。",
        },
    }
)
