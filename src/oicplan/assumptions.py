"""The stated numbers that drive a plan's choices, in one table with their reasons.

Every number the planner chose (rather than read from data) and that moves a plan
or a monitoring verdict lives in :data:`ASSUMPTIONS`: its value, unit, reason (the
paper section in ``../shared/seed/`` whose idea it makes operational, or the
reasoning), the code that uses it and the range a scenario may set it to. The
modules that use a number read it from here (:func:`value`); none restates it
(``tests/test_assumptions.py`` greps for the literals). ``oicplan assumptions``
prints the table; ``plan.json`` records the values a plan used (``assumptions``);
``oicplan sensitivity --assumptions`` sweeps those that can move a plan.

The seed paper (Zhejiang's overseas innovation centers, sections 2.1-3.5) names the
center modes and layout strategies but states no threshold: every number here is a
modelling choice, made explicit so that it can be questioned, changed in a scenario
(``assumptions: {mode.pillar_threshold: 0.6}``) and tested for its effect.

A scenario's values apply while its plan is made: :func:`applied` sets them for the
running context (a :class:`contextvars.ContextVar`, so concurrent plans in other
threads keep their own), and :func:`value` reads the value in force.

>>> value("mode.pillar_threshold")
0.5
>>> with applied({"mode.pillar_threshold": 0.6}):
...     value("mode.pillar_threshold")
0.6
>>> value("mode.pillar_threshold")
0.5
>>> ASSUMPTIONS["layout.other_mode_factor"].unit
'share of the site score'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from oicplan.errors import InputError

__all__ = [
    "ASSUMPTIONS",
    "Assumption",
    "applied",
    "check_overrides",
    "current",
    "default",
    "fingerprint",
    "overrides",
    "plan_assumptions",
    "records",
    "value",
]


@dataclass(frozen=True)
class Assumption:
    """One stated number: what it is, why, where it is used and what it may be set to.

    ``plan`` is True for the numbers a scenario may set and that can move a plan
    (they are recorded in ``plan.json`` and swept by the sensitivity analysis);
    the others are read by their commands (monitoring alerts).
    ``low``/``high`` bound the values a scenario or a sweep may use (inclusive).
    """

    name: str
    value: float
    unit: str
    unit_zh: str
    reason: str
    reason_zh: str
    source: str
    used_by: tuple[str, ...]
    low: float
    high: float
    plan: bool = True
    integer: bool = False

    def record(self, used: float | None = None) -> dict[str, Any]:
        """The assumption as plain values, with ``used`` (default: its own value)."""
        number = self.value if used is None else used
        return {
            "name": self.name,
            "value": _native(number, self.integer),
            "default": _native(self.value, self.integer),
            "unit": self.unit,
            "unit_zh": self.unit_zh,
            "reason": self.reason,
            "reason_zh": self.reason_zh,
            "source": self.source,
            "used_by": list(self.used_by),
            "plan": self.plan,
            "overridden": number != self.value,
        }


def _native(number: float, integer: bool) -> float | int:
    return int(number) if integer else float(number)


# Why the cost index moves a plan (docs/transport.md, "What the cost index moves").
_MOVES = ("It picks each site's best route from the hubs, so it moves the connectivity "
          "indicator SITE.ACCESS_COST and the access mode and days.")
_MOVES_ZH = "它决定各站点自枢纽出发的最佳路线，从而影响连通性指标SITE.ACCESS_COST及最佳方式与天数。"
_TRANSPORT_USED_BY = (
    "oicplan.geo.assumptions.in_force", "oicplan.geo.graph.transport_graph",
    "oicplan.ranking.scenario_dataset (access_cost: SITE.ACCESS_COST, access_mode, access_days)",
)


def _cost_per_km(mode: str, number: float, reason: str, reason_zh: str,
                 source: str) -> Assumption:
    """The transport graph's cost index per km of one mode (``geo.assumptions.COST_PER_KM``)."""
    names_zh = {"rail": "铁路", "sea": "海运", "air": "空运", "truck": "公路"}
    return Assumption(
        f"transport.cost_per_km.{mode}", number, "cost index points per km", "成本指数点/公里",
        f"Cost index of one container-load per km by {mode}: {reason} {_MOVES}",
        f"{names_zh[mode]}每箱每公里成本指数：{reason_zh}{_MOVES_ZH}",
        source, ("oicplan.geo.assumptions.COST_PER_KM", *_TRANSPORT_USED_BY), 0.0, 1000.0,
    )


# Why each mode wants the pillars its fit weighs (paper section and idea).
_MODE_FIT_WHY = {
    "offshore_rd_center": (
        "an offshore R&D center goes where science is strong: the innovation pillar, the "
        "talent it hires and a GII science-and-technology cluster in the city",
        "离岸研发中心设在科技实力强处：创新支柱、可聘人才及城市所在的全球科技集群",
        "paper 2.1, 3.4",
    ),
    "offshore_incubator": (
        "an offshore incubator needs business services, a market for its start-ups and "
        "innovation to draw on",
        "离岸孵化器需要商务服务、初创企业的市场及可依托的创新",
        "paper 2.1, 3.5",
    ),
    "joint_lab": (
        "a joint lab rests on talent (researchers and universities) and innovation",
        "联合实验室依托人才（研究人员与高校）及创新",
        "paper 2.1, 1.3",
    ),
    "zone_upgrade": (
        "a zone upgrade builds on cooperation with China (zones, agreements), a market and "
        "a supporting policy",
        "园区升级依托对华合作（园区、协定）、市场及政策支持",
        "paper 2.1, 3.1",
    ),
    "corridor_hub": (
        "a corridor hub lives on connectivity (routes from the hubs) and the market it "
        "reaches",
        "通道枢纽依托连通性（自枢纽出发的线路）及所辐射的市场",
        "paper 2.1, 3.2",
    ),
}


def _mode_fit(mode: str, part: str, number: float) -> Assumption:
    """One pillar weight of a center mode's fit (``oicplan.match.modes.fit_weights``)."""
    why, why_zh, paper = _MODE_FIT_WHY[mode]
    what = ("its GII S&T cluster score (1 - (rank - 1) / 100 in the top 100, else 0)"
            if part == "cluster" else f"the {part} pillar")
    what_zh = "全球科技集群得分（前100名为1-(名次-1)/100，否则为0）" if part == "cluster" \
        else f"{part}支柱"
    return Assumption(
        f"mode_fit.{mode}.{part}", number, "weight in the mode's fit (0-1)",
        "模式契合度中的权重（0-1）",
        f"Weight of {what} in the fit of the {mode} mode: {why}. A mode's weights are "
        "used as shares of their sum (a sweep that raises one lowers the others' shares), "
        "so the fit stays in [0, 1]. The fit orders a site's modes (mode score) and weighs "
        "a site-mode option in the layout model (layout.mode_fit_weight).",
        f"{what_zh}在{mode}模式契合度中的权重：{why_zh}。同一模式的各权重按其和归一后使用"
        "（敏感性分析提高其一即降低其余份额），使契合度保持在[0,1]。契合度为地点的各模式排序"
        "（模式得分），并在布局模型中加权地点-模式方案（layout.mode_fit_weight）。",
        f"{paper}; modelling choice",
        ("oicplan.match.modes.fit_weights", "oicplan.match.modes.mode_scores",
         "oicplan.optimize.layout_scenario.mode_fit_table"),
        0.0, 1.0,
    )


_TABLE: tuple[Assumption, ...] = (
    Assumption(
        "mode.pillar_threshold", 0.5, "pillar score (0-1)", "支柱得分（0-1）",
        "The innovation and talent rules of the center modes hold at a pillar score at or "
        "above this: the middle of the pillar's [0, 1] scale, i.e. better than the midpoint "
        "of the candidates' range. The paper sends R&D centers to economies strong in "
        "science and technology and joint labs to talent hubs but gives no cut.",
        "创新能力、人才集聚支柱得分达到或超过该值时，相应中心模式规则成立：取支柱[0,1]"
        "量表的中点。论文主张研发中心设在科技强国、联合实验室依托人才高地，但未给出门槛。",
        "paper 2.1, 1.3, 3.4; modelling choice",
        ("oicplan.domain.MODE_RULES", "oicplan.domain.assign_mode",
         "oicplan.domain.admissible_modes"),
        0.0, 1.0,
    ),
    Assumption(
        "strategy.top_quarter", 0.75, "quantile of the candidates", "候选地分位数",
        "A site is eligible for the backbone-enterprises strategy when its market pillar, "
        "and for the S&T-leader strategy when its innovation pillar, is at or above this "
        "quantile of the candidates (the top quarter), besides the facts that make a site "
        "eligible (a Zhejiang center, a GII cluster).",
        "市场支柱（骨干企业路径）或创新支柱（科技领先路径）达到候选地该分位数（前四分之一）"
        "即具备资格，此外还有浙江已有中心、全球科技集群等事实条件。",
        "paper 3.3, 3.4; modelling choice",
        ("oicplan.domain.eligible_strategies",),
        0.0, 1.0,
    ),
    Assumption(
        "mode_score.rule_weight", 0.7, "share of the mode score", "模式得分中的份额",
        "A mode's score is this share times its rule (1, 0.5 or 0) plus the rest (0.3) "
        "times its pillar fit: the stated rule decides and the fit orders the "
        "alternatives. Above 2/3 the rule's mode always scores highest.",
        "模式得分 = 该份额 × 规则分（1、0.5或0）+ 其余份额（0.3）× 支柱契合度：规则决定模式，"
        "契合度为备选模式排序。该值大于2/3时规则给出的模式得分始终最高。",
        "paper 2.1, 3.1-3.4; modelling choice",
        ("oicplan.match.modes.mode_scores",),
        0.0, 1.0,
    ),
    Assumption(
        "mode_score.preempted_rule", 0.5, "rule credit (0-1)", "规则分（0-1）",
        "Rule credit of a mode whose rule also holds at the site but comes later in the "
        "rule order (e.g. a rail node that also hosts a cooperation zone: corridor hub): "
        "half of the first rule's.",
        "某模式的规则在该地也成立、但排在更前的规则之后时（如既有合作区又是班列节点的"
        "通道枢纽）所得的规则分：首条规则的一半。",
        "modelling choice",
        ("oicplan.match.modes.mode_scores",),
        0.0, 1.0,
    ),
    Assumption(
        "layout.other_mode_factor", 0.9, "share of the site score", "地点得分中的份额",
        "Quality of a site in an admissible mode other than its rule mode, as a share of "
        "the site's score: the layout model may choose another mode that serves the "
        "industries better, at a 10 % discount on the stated rule's mode.",
        "地点采用规则模式以外的可行模式时，其质量为地点得分乘以该系数：布局模型可选择更能"
        "服务产业的其他模式，但相对规则模式打九折。",
        "modelling choice",
        ("oicplan.optimize.layout_scenario.from_ranking",),
        0.0, 1.0,
    ),
    Assumption(
        "layout.mode_fit_weight", 0.2, "weight (0-1)", "权重（0-1）",
        "Weight of a mode's pillar fit in the quality of a site-mode option: quality = "
        "score x rule factor x (1 - w + w x fit), so among a site's admissible modes the "
        "one whose pillars fit best earns most.",
        "模式支柱契合度在地点-模式方案质量中的权重：质量 = 得分 × 规则系数 × (1 - w + w × "
        "契合度)，使可行模式中契合度最高者收益最大。",
        "modelling choice",
        ("oicplan.optimize.layout_scenario.from_ranking",),
        0.0, 1.0,
    ),
    *(
        _mode_fit(mode, part, number)
        for mode, parts in (
            ("offshore_rd_center", (("innovation", 0.5), ("talent", 0.25), ("cluster", 0.25))),
            ("offshore_incubator", (("services", 0.4), ("market", 0.3), ("innovation", 0.3))),
            ("joint_lab", (("talent", 0.6), ("innovation", 0.4))),
            ("zone_upgrade", (("cooperation", 0.5), ("market", 0.25), ("policy", 0.25))),
            ("corridor_hub", (("connectivity", 0.6), ("market", 0.4))),
        )
        for part, number in parts
    ),
    Assumption(
        "layout.diminishing_return", 0.5, "share of the quality term (δ)", "质量项份额（δ）",
        "A second center in one economy shares the national evidence of the first (98 % "
        "of the variance of site scores lies between economies, issue 13): the k-th "
        "center of an economy counts δ^(k-1) of its site quality, so the second counts "
        "half. Half keeps a clearly better second site (a distinct mode, other "
        "industries served, a score gap) while a near-copy loses to a comparable site "
        "elsewhere; 1 switches the rule off. A planning judgement, not data.",
        "同一经济体的第二个中心与第一个共享国家层面的证据（站点得分方差的98%来自经济体之间，"
        "见议题13）：经济体中第k个中心按其地点质量的δ^(k-1)计，第二个计一半。取一半既保留"
        "明显更好的第二个地点（不同模式、服务其他产业、得分差距），又使近乎重复的地点让位于"
        "别处相当的地点；取1即不启用。属规划判断，非数据。",
        "paper 3.1-3.5 (a layout spread over strategies and regions); issue 13; "
        "modelling choice",
        ("oicplan.optimize.layout_scenario.from_ranking",
         "oicplan.optimize.layout_diversify"),
        0.01, 1.0,
    ),
    Assumption(
        "layout.city_region_km", 50.0, "km", "公里",
        "Sites within this distance of each other (chained) form one city region; a city "
        "region across a border (Johor Bahru beside Singapore, Brazzaville beside "
        "Kinshasa) counts with the economy of its most populous site for the diminishing "
        "return. 50 km is about the radius of a metropolitan commuting area.",
        "彼此相距不超过该距离（可传递）的地点构成一个城市区域；跨境城市区域（如新加坡旁的"
        "新山、金沙萨旁的布拉柴维尔）在递减收益中计入其人口最多地点所在的经济体。50公里约为"
        "大都市通勤圈半径。",
        "modelling choice",
        ("oicplan.optimize.layout_scenario.from_ranking",
         "oicplan.optimize.layout_diversify.diversity_groups"),
        0.0, 500.0,
    ),
    Assumption(
        "assign.needs_weight", 0.5, "weight β (0-1)", "权重β（0-1）",
        "Weight of an enterprise's own technology needs against its industry's match in "
        "the utility of a center for it: u = (1 - β) x industry match + β x needs match.",
        "企业自身技术需求相对其所属产业匹配度的权重：效用 = (1 - β) × 产业匹配 + β × 需求匹配。",
        "paper 3.3; modelling choice",
        ("oicplan.match.assign.utility_matrix", "oicplan.match.assign.enterprise_demands"),
        0.0, 1.0,
    ),
    Assumption(
        "assign.presence_bonus", 0.1, "utility points (γ)", "效用分（γ）",
        "Bonus utility when the enterprise already operates in the site's economy "
        "(its overseas presence makes a center there easier to use).",
        "企业已在该地所在经济体经营时加的效用分（已有海外布局便于利用该中心）。",
        "paper 3.3; modelling choice",
        ("oicplan.match.assign.utility_matrix", "oicplan.match.assign.enterprise_demands"),
        0.0, 1.0,
    ),
    Assumption(
        "assign.access_weight", 0.3, "utility points per max access time (α)",
        "效用分/最长通达时间（α）",
        "Utility lost per unit of access time from Zhejiang (days / the longest): far "
        "centers serve an enterprise less.",
        "按自浙江通达时间（天数 / 最长天数）扣减的效用：越远的中心对企业的服务越弱。",
        "paper 3.2; modelling choice",
        ("oicplan.match.assign.utility_matrix", "oicplan.match.assign.enterprise_demands"),
        0.0, 1.0,
    ),
    Assumption(
        "alerts.below_target_years", 2, "years in a row", "连续年数",
        "A KPI below its target this many reported years in a row gives a red alert: one "
        "bad year can be noise, two is a trend.",
        "关键绩效指标连续该年数低于目标即红色预警：一年可能是波动，两年即成趋势。",
        "paper 2.4; modelling choice",
        ("oicplan.monitor.alerts.below_target_alerts", "oicplan.monitor.alerts.overview",
         "oicplan.monitor.feedback.center_site_performance",
         "oicplan.services.registry.CenterAlertsRequest", "oicplan centers alerts --years"),
        1, 20, plan=False, integer=True,
    ),
    Assumption(
        "alerts.cost_overrun_tolerance", 0.0, "share over budget", "超预算比例",
        "A cost above budget by more than this share gives an alert (none tolerated).",
        "实际成本超出预算该比例以上即预警（默认不容忍超支）。",
        "paper 2.4; modelling choice",
        ("oicplan.monitor.alerts.cost_overrun_alerts",),
        0.0, 1.0, plan=False,
    ),
    Assumption(
        "alerts.cost_overrun_red", 0.2, "share over budget", "超预算比例",
        "A cost overrun above this share is red, a smaller one amber.",
        "超支超过该比例为红色，较小的超支为黄色。",
        "paper 2.4; modelling choice",
        ("oicplan.monitor.alerts.cost_overrun_alerts",),
        0.0, 5.0, plan=False,
    ),
    Assumption(
        "feedback.amber_factor", 0.5, "share of the site's center indicator",
        "站点中心指标的份额",
        "With --feedback, a host site whose center is amber for a real reason (cost overrun, "
        "rising host risk) keeps this share of its 'a Zhejiang center is here' indicator: "
        "halfway between green (1) and red (0), a warning rather than a verdict.",
        "使用 --feedback 时，中心因实际原因（成本超支、东道国风险上升）呈黄色的站点，其"
        "“此处有浙江中心”指标按该份额计：介于绿色（1）与红色（0）之间，是警示而非定论。",
        "paper 2.5; modelling choice",
        ("oicplan.monitor.feedback.FACTORS", "oicplan rank --feedback", "oicplan plan --feedback"),
        0.0, 1.0, plan=False,
    ),
    Assumption(
        "alerts.risk_window", 3, "observations", "观测次数",
        "The host-risk alert compares the risk score over this many latest observations.",
        "东道国风险预警比较最近该次数观测的风险得分。",
        "paper 2.4; modelling choice",
        ("oicplan.monitor.alerts.host_risk_alerts", "oicplan.monitor.alerts.overview",
         "oicplan.monitor.risk"),
        2, 20, plan=False, integer=True,
    ),
    Assumption(
        "alerts.risk_min_rise", 0.15, "WGI units", "WGI单位",
        "The host-risk alert fires when the risk score rose by more than this over the "
        "window: below the Worldwide Governance Indicators' own standard errors (about "
        "0.2), so a rise is flagged early, to be checked.",
        "风险得分在观测窗口内上升超过该值即预警：低于全球治理指标自身的标准误（约0.2），"
        "以便尽早提示、再行核查。",
        "paper 2.4; WGI standard errors",
        ("oicplan.services.registry.CenterAlertsRequest", "oicplan centers alerts --min-rise",
         "GET /api/centers/alerts"),
        0.0, 5.0, plan=False,
    ),
    Assumption(
        "watch.rank_move", 5, "rank places", "名次",
        "oicplan watch changes alerts a chosen site or a host of an existing center whose "
        "rank moved by this many places or more between two data vintages: smaller moves "
        "are common when a few values are revised.",
        "数据版本之间，已选站点或现有中心所在站点的排名变动达到该名次数即预警："
        "少数数值修订时较小的变动很常见。",
        "paper 1.1-1.2 (follow where science and technology move); modelling choice",
        ("oicplan.techwatch.vintage.move_alerts", "oicplan.services.watch.watch_changes",
         "oicplan watch changes --rank-move", "oicplan centers alerts"),
        1, 100, plan=False, integer=True,
    ),
    Assumption(
        "watch.score_move", 0.05, "score units (0-1)", "得分单位（0-1）",
        "oicplan watch changes also alerts a watched site whose composite score moved by "
        "this much or more, even when its rank held.",
        "即使排名未变，被关注站点的综合得分变动达到该值也预警。",
        "paper 1.1-1.2; modelling choice",
        ("oicplan.techwatch.vintage.move_alerts", "oicplan.services.watch.watch_changes",
         "oicplan watch changes --score-move", "oicplan centers alerts"),
        0.0, 1.0, plan=False,
    ),
    *(
        _cost_per_km(mode, number, reason, reason_zh, source)
        for mode, number, reason, reason_zh, source in (
            ("rail", 0.5, "about 5x sea, half of trucking (only the ratios matter; replace "
             "with the planner's freight quotes).",
             "约为海运5倍、公路一半（只有比值有意义，可换成实际运价）。",
             "paper 3.2; modelling choice"),
            ("sea", 0.1, "the cheapest per km.", "单位里程最便宜。", "modelling choice"),
            ("air", 4.0, "about 40x sea.", "约为海运40倍。", "modelling choice"),
            ("truck", 1.0, "about 2x rail.", "约为铁路2倍。", "modelling choice"),
        )
    ),
    Assumption(
        "transport.cost_per_day", 20.0, "cost index points per day", "成本指数点/天",
        "Cost index per day in transit (time value of the goods and capital tied up), the "
        f"same for every mode. {_MOVES}",
        f"在途每天成本指数（货物时间价值与占用资金），各方式相同。{_MOVES_ZH}",
        "modelling choice",
        ("oicplan.geo.assumptions.COST_PER_DAY", *_TRANSPORT_USED_BY), 0.0, 10000.0,
    ),
    Assumption(
        "transport.transfer_cost", 100.0, "cost index points per change", "成本指数点/次",
        f"Fixed cost of one change of mode (rail or sea to truck and so on), with one day. "
        f"{_MOVES}",
        f"每次换装（铁路或海运转公路等）的固定成本，另计一天。{_MOVES_ZH}",
        "modelling choice",
        ("oicplan.geo.assumptions.TRANSFER_COST", *_TRANSPORT_USED_BY), 0.0, 100000.0,
    ),
)

#: Every stated number by name, in the order of the table.
ASSUMPTIONS: dict[str, Assumption] = {item.name: item for item in _TABLE}

_NONE: Mapping[str, float] = MappingProxyType({})
_OVERRIDES: ContextVar[Mapping[str, float]] = ContextVar("oicplan_assumptions", default=_NONE)


def default(name: str) -> float:
    """The stated value of an assumption (no scenario's override).

    >>> default("layout.mode_fit_weight")
    0.2
    """
    return ASSUMPTIONS[name].value


def value(name: str) -> float:
    """The value in force: the running scenario's override (:func:`applied`), else the default.

    >>> value("assign.access_weight")
    0.3
    """
    given = _OVERRIDES.get()
    return given[name] if name in given else ASSUMPTIONS[name].value


def overrides() -> dict[str, float]:
    """The overrides in force (empty outside :func:`applied`)."""
    return dict(_OVERRIDES.get())


def current() -> dict[str, float]:
    """Every assumption's value in force, by name.

    >>> current()["strategy.top_quarter"]
    0.75
    """
    return {name: value(name) for name in ASSUMPTIONS}


def fingerprint() -> tuple[tuple[str, float], ...]:
    """The overrides in force as a sorted tuple: part of the key of a cached stage they change.

    >>> fingerprint()
    ()
    """
    return tuple(sorted(_OVERRIDES.get().items()))


def check_overrides(
    given: Mapping[str, Any] | None, *, field: str = "assumptions", plan_only: bool = False
) -> dict[str, float]:
    """Check a mapping name -> value: known names, numbers in range; the values as floats.

    With ``plan_only`` (a scenario's ``assumptions``) only the numbers that move a plan
    may be named. Raises :class:`~oicplan.errors.InputError` naming ``field.name``.

    >>> check_overrides({"mode.pillar_threshold": "0.6"})
    {'mode.pillar_threshold': 0.6}
    >>> check_overrides({"mode.pilar_threshold": 0.6})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field assumptions: unknown assumption 'mode.pilar_threshold'; ...
    """
    out: dict[str, float] = {}
    for name, raw in (given or {}).items():
        item = ASSUMPTIONS.get(str(name))
        if item is None:
            raise InputError(
                f"unknown assumption {name!r}; use one of {', '.join(ASSUMPTIONS)} "
                "(oicplan assumptions lists them)",
                field=field,
            )
        where = f"{field}.{name}"
        if plan_only and not item.plan:
            raise InputError(
                f"{name!r} does not move a plan (it is read by "
                f"{item.used_by[-1]}); a scenario may set {', '.join(plan_assumptions())}",
                field=where,
            )
        if isinstance(raw, bool):
            raise InputError(f"must be a number, got {raw!r}", field=where)
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise InputError(f"must be a number, got {raw!r}", field=where) from None
        if not item.low <= number <= item.high:
            raise InputError(
                f"must be between {item.low:g} and {item.high:g} ({item.unit}), got {number:g}",
                field=where,
            )
        if item.integer and number != int(number):
            raise InputError(f"must be a whole number, got {number:g}", field=where)
        out[item.name] = number
    return out


@contextmanager
def applied(given: Mapping[str, Any] | None) -> Iterator[dict[str, float]]:
    """Run the block with these assumptions set (checked first); yields the values in force.

    Nested blocks add to the outer one's values; leaving a block restores them.

    >>> with applied({"layout.other_mode_factor": 0.8}) as values:
    ...     values["layout.other_mode_factor"], value("layout.mode_fit_weight")
    (0.8, 0.2)
    """
    checked = check_overrides(given)
    token = _OVERRIDES.set({**_OVERRIDES.get(), **checked})
    try:
        yield current()
    finally:
        _OVERRIDES.reset(token)


def records(
    given: Mapping[str, Any] | None = None, *, plan_only: bool = False
) -> list[dict[str, Any]]:
    """Every assumption as a plain record with the value used.

    ``given``: the overrides to record (a scenario's ``assumptions``); None records the
    values in force (:func:`applied`). ``plan_only`` keeps the numbers that move a plan.

    >>> [r["value"] for r in records({"mode.pillar_threshold": 0.6}) if r["overridden"]]
    [0.6]
    """
    used = dict(_OVERRIDES.get()) if given is None else check_overrides(given)
    return [
        item.record(used.get(item.name))
        for item in _TABLE
        if item.plan or not plan_only
    ]


def plan_assumptions() -> tuple[str, ...]:
    """The names of the assumptions that can move a plan (a scenario may set them).

    >>> plan_assumptions()[:2]
    ('mode.pillar_threshold', 'strategy.top_quarter')
    """
    return tuple(item.name for item in _TABLE if item.plan)
