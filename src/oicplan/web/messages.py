"""The wording of the web pages, in Chinese (the default) and English.

One catalog: every key has a Chinese and an English text (a test checks that both
languages have the same keys and the same ``{placeholders}``). Templates call
``t("key")``; the pages' scripts get the keys they need as JSON
(:func:`script_messages`). Report wording stays in :mod:`oicplan.report.messages`.

>>> translate("zh", "nav.dashboard"), translate("en", "nav.dashboard")
('排名总览', 'Dashboard')
>>> translate("en", "login.too_many", seconds=30)
'Too many failed sign-ins; try again in 30 s.'
>>> pick_language("fr"), pick_language("EN")
('zh', 'en')
"""

from __future__ import annotations

from typing import Any

from oicplan.web.messages_work import WORK_MESSAGES

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "MESSAGES", "pick_language", "script_messages",
           "translate"]

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "app.title": "浙江海外创新中心布局规划",
        "app.short": "海外创新中心规划",
        "nav.dashboard": "排名总览",
        "nav.map": "地图",
        "nav.logout": "退出登录",
        "nav.language": "语言",
        "nav.signed_in_as": "{name}（{role}）",
        "role.viewer": "查看者",
        "role.editor": "编辑者",
        "role.admin": "管理员",
        "login.title": "登录",
        "login.username": "用户名",
        "login.password": "密码",
        "login.submit": "登录",
        "login.failed": "用户名或密码错误。",
        "login.too_many": "登录失败次数过多，请在 {seconds} 秒后重试。",
        "login.csrf": "页面已过期，请重新登录。",
        "login.signed_out": "您已退出登录。",
        "error.title": "出错了",
        "error.not_found": "找不到该页面。",
        "error.site_not_found": "找不到候选地 {site_id}。",
        "error.forbidden": "请求被拒绝：缺少或错误的安全令牌，请刷新页面后重试。",
        "error.back": "返回排名总览",
        "common.loading": "加载中…",
        "common.none": "无",
        "common.gap": "数据缺失",
        "common.source": "来源",
        "common.year": "年份",
        "common.value": "数值",
        "common.error": "请求失败：{detail}",
        "dashboard.title": "候选地排名",
        "dashboard.scenario": "情景",
        "dashboard.method": "排名方法",
        "dashboard.weights": "支柱权重",
        "dashboard.reset": "恢复情景权重",
        "dashboard.rank": "排名",
        "dashboard.site": "候选地",
        "dashboard.economy": "经济体",
        "dashboard.score": "得分",
        "dashboard.interval": "排名区间",
        "dashboard.pillars": "各支柱贡献",
        "dashboard.candidates": "共 {count} 个候选地",
        "dashboard.updated": "已更新（{ms} 毫秒）",
        "dashboard.pillars_help": "前 20 名候选地各支柱的加权得分（权重占比 × 支柱得分）。"
        "TOPSIS、VIKOR 等方法的总得分并非其简单相加。",
        "dashboard.show": "显示",
        "dashboard.all": "全部",
        "dashboard.top_k": "前 {k} 频率",
        "dashboard.top_k_help": "蒙特卡罗模拟（{samples} 次，权重浮动 ±{spread}%）中"
        "进入前 {k} 名的比例",
        "dashboard.interval_help": "蒙特卡罗模拟（{samples} 次，权重浮动 ±{spread}%）中"
        "排名的 5%–95% 区间",
        "dashboard.all_zero": "权重不能全部为零。",
        "method.topsis": "TOPSIS（逼近理想解排序）",
        "method.vikor": "VIKOR（折衷排序）",
        "method.promethee2": "PROMETHEE II（偏好排序）",
        "method.wsm": "加权和法（WSM）",
        "method.wpm": "加权积法（WPM）",
        "dashboard.method_unavailable": "本情景的支柱得分含零或负值，该方法默认的 {normalization} "
        "标准化要求严格为正的数据，因此无法用它排名。",
        "dashboard.method_unavailable_short": "不适用于本情景",
        "dashboard.method_unavailable_other": "无法用该方法为本情景排名：{reason}",
        "map.title": "布局地图",
        "map.candidates": "候选地",
        "map.chosen": "入选站点",
        "map.rail": "铁路线路",
        "map.sea": "海运航线",
        "map.zones": "合作园区",
        "map.centers": "现有中心",
        "map.hint": "点击站点查看档案。",
        "map.hubs": "浙江枢纽",
        "map.rank": "排名第 {rank}",
        "map.counts": "{candidates} 个候选地，{chosen} 个入选站点",
        "map.no_assets": "地图脚本未安装（请运行 make install）。",
        "map.source_run": "来自规划运行 {run_id}",
        "map.source_plan": "来自情景“{scenario}”的规划",
        "site.title": "候选地档案",
        "site.values": "指标数值",
        "site.indicator": "指标",
        "site.stale": "已过时",
        "site.age": "数据年龄（年）",
        "site.max_age": "最长可用 {n} 年，超过则视为缺失",
        "site.ranking": "排名",
        "site.rank_of": "第 {rank} 名（共 {count} 个）",
        "site.strengths": "优势（相对其他候选地）",
        "site.weaknesses": "劣势（相对其他候选地）",
        "site.access": "各方式可达性",
        "site.mode": "方式",
        "site.origin": "出发枢纽",
        "site.km": "距离（公里）",
        "site.days": "时间（天）",
        "site.cost": "成本指数",
        "site.match": "产业匹配",
        "site.industry": "产业",
        "site.evidence": "依据",
        "site.costs": "成本",
        "site.notes": "说明",
        "site.not_ranked": "该地在本情景中未参与排名。",
        "site.population": "人口",
        "site.types": "类型",
        "site.interval": "排名区间 {p5}–{p95}（中位 {median}），进入前 {k} 名的频率 {freq}%",
        "site.direct": "直达",
        "site.pillar": "支柱",
        "site.pillar_score": "支柱得分",
        "site.normalized": "标准化得分",
        "site.rank_among": "候选地中排名",
        "site.route": "线路",
        "site.no_route": "从本情景的枢纽出发无{mode}线路",
        "site.estimated": "估算",
        "site.access_help": "从本情景的浙江枢纽出发的最低成本线路（含短驳与中转）；"
        "成本为模型的综合成本指数。",
        "site.local": "周边科研组织与机场",
        "site.local_orgs": "{radius}公里内科研组织（ROR）共 {total} 家：",
        "site.local_airports": "{radius}公里内有定期航班的大型机场：{count} 个",
        "site.local_nearest": "（最近的大型机场 {km} 公里）",
        "site.local_cluster": "GII科技集群排名：{rank}",
        "site.local_no_cluster": "不在GII科技集群之列",
        "site.local_main": "周边主要科研组织",
        "site.local_type": "类型",
        "site.local_city": "城市",
        "site.local_help": "科研组织来自科研组织注册库（ROR，CC0）的部分数据，各经济体收录率不同"
        "（本经济体估计 {coverage}），故只宜比较同一经济体内的站点；城市位置来自 GeoNames"
        "（CC BY 4.0）。“主要”：在ROR中有下属记录者优先，其次成立最早者。机场：OurAirports。",
        "ror.education": "高校",
        "ror.facility": "科研设施",
        "ror.healthcare": "医疗",
        "ror.company": "企业",
        "ror.government": "政府机构",
        "ror.nonprofit": "非营利组织",
        "ror.funder": "资助机构",
        "ror.archive": "档案馆",
        "ror.other": "其他",
        "site.match_score": "匹配度",
        "site.evidence_fields": "{n} 个技术领域",
        "site.field": "技术领域",
        "site.weight": "权重",
        "site.strength": "强度",
        "site.basis": "依据类型",
        "site.signal": "信号",
        "site.inputs": "原始数据",
        "site.no_match": "无产业匹配结果。",
        "site.center_mode": "中心模式",
        "site.headcount": "人数",
        "site.setup_cost": "一次性投入",
        "site.annual_cost": "年度成本",
        "site.npv": "税后净现值",
        "site.cost_help": "金额单位：{currency}（{year} 年价格）；净现值期限 {horizon} 年，"
        "折现率 {rate}%，已计企业所得税及研发费用加计扣除。岗位成本、面积、租金、开办费等"
        "为规划假设，并非统计数据。",
        "site.cost_inputs": "所用数据（年份与来源）",
        "site.unit": "单位",
        "site.assumptions": "所依据的假设：",
        "site.code": "代码",
        "site.dataset": "数据集版本 {version}",
        "basis.proxy": "代理指标",
        "basis.user": "用户数据",
        "basis.gap": "数据缺失",
        "mode.rail": "铁路",
        "mode.sea": "海运",
        "mode.air": "航空",
    },
    "en": {
        "app.title": "Zhejiang Overseas Innovation Center Planning",
        "app.short": "Overseas center planning",
        "nav.dashboard": "Dashboard",
        "nav.map": "Map",
        "nav.logout": "Sign out",
        "nav.language": "Language",
        "nav.signed_in_as": "{name} ({role})",
        "role.viewer": "viewer",
        "role.editor": "editor",
        "role.admin": "admin",
        "login.title": "Sign in",
        "login.username": "User name",
        "login.password": "Password",
        "login.submit": "Sign in",
        "login.failed": "Wrong user name or password.",
        "login.too_many": "Too many failed sign-ins; try again in {seconds} s.",
        "login.csrf": "The page had expired; please sign in again.",
        "login.signed_out": "You have signed out.",
        "error.title": "Something went wrong",
        "error.not_found": "This page does not exist.",
        "error.site_not_found": "There is no candidate site {site_id}.",
        "error.forbidden": "Refused: the security token is missing or wrong; reload the page "
        "and try again.",
        "error.back": "Back to the dashboard",
        "common.loading": "Loading…",
        "common.none": "none",
        "common.gap": "no data",
        "common.source": "Source",
        "common.year": "Year",
        "common.value": "Value",
        "common.error": "The request failed: {detail}",
        "dashboard.title": "Ranking of candidate sites",
        "dashboard.scenario": "Scenario",
        "dashboard.method": "Method",
        "dashboard.weights": "Pillar weights",
        "dashboard.reset": "Back to the scenario's weights",
        "dashboard.rank": "Rank",
        "dashboard.site": "Site",
        "dashboard.economy": "Economy",
        "dashboard.score": "Score",
        "dashboard.interval": "Rank interval",
        "dashboard.pillars": "Pillar contributions",
        "dashboard.candidates": "{count} candidate sites",
        "dashboard.updated": "Updated ({ms} ms)",
        "dashboard.pillars_help": "Weighted pillar scores (weight share × pillar score) of the "
        "best 20 sites. The total score of TOPSIS, VIKOR and the other methods is not their "
        "plain sum.",
        "dashboard.show": "Show",
        "dashboard.all": "all",
        "dashboard.top_k": "Top-{k} frequency",
        "dashboard.top_k_help": "Share of the Monte Carlo draws ({samples}, weights varied by "
        "±{spread}%) that put the site in the best {k}",
        "dashboard.interval_help": "5%–95% interval of the rank over the Monte Carlo draws "
        "({samples}, weights varied by ±{spread}%)",
        "dashboard.all_zero": "The weights must not all be zero.",
        "method.topsis": "TOPSIS (closeness to the ideal)",
        "method.vikor": "VIKOR (compromise ranking)",
        "method.promethee2": "PROMETHEE II (outranking flows)",
        "method.wsm": "Weighted sum (WSM)",
        "method.wpm": "Weighted product (WPM)",
        "dashboard.method_unavailable": "Cannot rank this scenario: the {normalization} "
        "normalization this method uses needs strictly positive data, and the scenario's "
        "pillar scores have zeros or negative values.",
        "dashboard.method_unavailable_short": "not for this scenario",
        "dashboard.method_unavailable_other": "Cannot rank this scenario: {reason}",
        "map.title": "Layout map",
        "map.candidates": "Candidate sites",
        "map.chosen": "Chosen sites",
        "map.rail": "Rail routes",
        "map.sea": "Sea lanes",
        "map.zones": "Cooperation zones",
        "map.centers": "Existing centers",
        "map.hint": "Click a site to open its profile.",
        "map.hubs": "Zhejiang hubs",
        "map.rank": "rank {rank}",
        "map.counts": "{candidates} candidate sites, {chosen} chosen",
        "map.no_assets": "The map scripts are not installed (run make install).",
        "map.source_run": "From plan run {run_id}",
        "map.source_plan": "From the plan of scenario “{scenario}”",
        "site.title": "Site profile",
        "site.values": "Values",
        "site.indicator": "Indicator",
        "site.stale": "stale",
        "site.age": "Age (years)",
        "site.max_age": "Used up to {n} years old; older counts as missing",
        "site.ranking": "Ranking",
        "site.rank_of": "Rank {rank} of {count}",
        "site.strengths": "Strengths (against the other candidates)",
        "site.weaknesses": "Weaknesses (against the other candidates)",
        "site.access": "Access by mode",
        "site.mode": "Mode",
        "site.origin": "From hub",
        "site.km": "Distance (km)",
        "site.days": "Time (days)",
        "site.cost": "Cost index",
        "site.match": "Industry match",
        "site.industry": "Industry",
        "site.evidence": "Evidence",
        "site.costs": "Costs",
        "site.notes": "Notes",
        "site.not_ranked": "The site is not ranked in this scenario.",
        "site.population": "population",
        "site.types": "types",
        "site.interval": "Rank interval {p5}–{p95} (median {median}); in the best {k} in "
        "{freq}% of the draws",
        "site.direct": "direct",
        "site.pillar": "Pillar",
        "site.pillar_score": "Pillar score",
        "site.normalized": "Normalized score",
        "site.rank_among": "Rank among candidates",
        "site.route": "Route",
        "site.no_route": "No {mode} route from the scenario's hubs",
        "site.estimated": "estimated",
        "site.access_help": "The lowest-cost route from the scenario's Zhejiang hubs (with truck "
        "legs and transfers); the cost is the model's generalized cost index.",
        "site.local": "Research organizations and airports nearby",
        "site.local_orgs": "Research organizations within {radius} km (ROR), {total} in all: ",
        "site.local_airports": "Large airports with scheduled service within {radius} km: {count}",
        "site.local_nearest": " (nearest large airport {km} km)",
        "site.local_cluster": "GII S&T cluster rank: {rank}",
        "site.local_no_cluster": "not a GII S&T cluster",
        "site.local_main": "Main research organizations nearby",
        "site.local_type": "Type",
        "site.local_city": "City",
        "site.local_help": "Research organizations from the Research Organization Registry "
        "(ROR, CC0), a partial extract whose coverage differs by economy (estimated "
        "{coverage} here), so compare sites of one economy only; city locations from GeoNames "
        "(CC BY 4.0). Main: those with records filed under them in ROR first, then the oldest. "
        "Airports: OurAirports.",
        "ror.education": "education",
        "ror.facility": "facility",
        "ror.healthcare": "healthcare",
        "ror.company": "company",
        "ror.government": "government",
        "ror.nonprofit": "nonprofit",
        "ror.funder": "funder",
        "ror.archive": "archive",
        "ror.other": "other",
        "site.match_score": "Match",
        "site.evidence_fields": "{n} technology fields",
        "site.field": "Field",
        "site.weight": "Weight",
        "site.strength": "Strength",
        "site.basis": "Basis",
        "site.signal": "Signal",
        "site.inputs": "Data used",
        "site.no_match": "No industry match.",
        "site.center_mode": "Center mode",
        "site.headcount": "Staff",
        "site.setup_cost": "Setup (once)",
        "site.annual_cost": "Annual cost",
        "site.npv": "NPV after tax",
        "site.cost_help": "Amounts in {currency} of {year}; NPV over {horizon} years at "
        "{rate}%, after corporate income tax and the R&D super-deduction. Role costs, areas, "
        "rent and setup are planning assumptions, not statistics.",
        "site.cost_inputs": "Data used (year and source)",
        "site.unit": "Unit",
        "site.assumptions": "Assumptions it rests on:",
        "site.code": "Code",
        "site.dataset": "Dataset version {version}",
        "basis.proxy": "proxy",
        "basis.user": "user data",
        "basis.gap": "gap",
        "mode.rail": "Rail",
        "mode.sea": "Sea",
        "mode.air": "Air",
    },
}

for _language, _texts in WORK_MESSAGES.items():  # the working pages' block
    MESSAGES[_language].update(_texts)


def pick_language(value: str | None) -> str:
    """A supported language code for ``value`` (case-insensitive); the default otherwise."""
    code = (value or "").strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def translate(language: str, key: str, **values: Any) -> str:
    """The text of ``key`` in ``language``, with ``{placeholders}`` filled.

    An unknown key gives the key itself (a test checks that the templates use
    none), so a page never fails on a missing text.
    """
    catalog = MESSAGES.get(language, MESSAGES[DEFAULT_LANGUAGE])
    text = catalog.get(key, key)
    return text.format(**values) if values else text


def script_messages(language: str, prefixes: tuple[str, ...]) -> dict[str, str]:
    """The texts whose keys start with one of ``prefixes``, for a page's script.

    >>> script_messages("en", ("mode.",))["mode.sea"]
    'Sea'
    """
    catalog = MESSAGES.get(language, MESSAGES[DEFAULT_LANGUAGE])
    return {key: text for key, text in catalog.items() if key.startswith(prefixes)}
