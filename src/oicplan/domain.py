"""The planning vocabulary: center modes, layout strategies, site types and their rules.

Everything that names a center mode, a layout strategy or a site type imports it
from here, and the one table of center-mode rules (:data:`MODE_RULES`, with its
thresholds and reasons) and of strategy eligibility (:func:`eligible_strategies`)
lives here: the plan's mode (:func:`assign_mode`), the mode scores of
:mod:`oicplan.match.modes` and the modes the layout model admits at a site
(:func:`admissible_modes`) all read the same rules, so they cannot disagree.

Center mode rules (first that applies; paper 2.1 and 3.1–3.4):

1. a cooperation zone is at the site → ``zone_upgrade`` (industrial → sci-tech zone);
2. a Yiwu/Jinhua train ends at the site → ``corridor_hub`` (with an overseas warehouse);
3. a GII S&T cluster city, or innovation pillar ≥ 0.5 → ``offshore_rd_center``;
4. talent pillar ≥ 0.5 → ``joint_lab`` with host universities;
5. otherwise → ``offshore_incubator`` ("incubate abroad, industrialize at home").

0.5 is ``mode.pillar_threshold`` and the "top quarter" below is
``strategy.top_quarter``: stated numbers of :mod:`oicplan.assumptions`, with their
reasons, that a scenario may change.

A site admits the incubator (always) and the mode of every rule that holds there.

Strategy eligibility (each a fact about the site or its economy):

==================== ===============================================================
zone_upgrade         a Zhejiang overseas cooperation zone is at the site
rail_corridor        a Yiwu/Jinhua train ends at the site, or runs through its economy
backbone_enterprises the economy hosts a Zhejiang center, or the site is in the top
                     quarter of candidates on the market pillar
st_leader            the city is in a GII S&T cluster, or the site is in the top
                     quarter on the innovation pillar
standards_policy     the economy is a Belt and Road partner and has a tax treaty with China
==================== ===============================================================

>>> assign_mode({"types": "capital;rail_node", "pillar_innovation": 0.7})
('corridor_hub', 'rail')
>>> sorted(admissible_modes({"types": "capital;rail_node", "pillar_innovation": 0.7}))
['corridor_hub', 'offshore_incubator', 'offshore_rd_center']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from oicplan.assumptions import default, value

if TYPE_CHECKING:  # pandas is loaded only by eligible_strategies: `oicplan --help` stays fast
    import pandas as pd

__all__ = [
    "CENTER_MODES",
    "DEFAULT_MODE",
    "MODE_KEYS",
    "MODE_REASONS",
    "MODE_RULES",
    "PILLAR_THRESHOLD",
    "SITE_TYPES",
    "STRATEGIES",
    "STRATEGY_KEYS",
    "TOP_QUARTER",
    "TRANSPORT_MODES",
    "ModeRule",
    "SiteType",
    "admissible_modes",
    "assign_mode",
    "eligible_strategies",
    "holding_rules",
    "site_types",
]

#: The five center modes (paper 2.1, 3.1–3.4): key → (English, Chinese).
CENTER_MODES: dict[str, tuple[str, str]] = {
    "offshore_rd_center": ("Offshore R&D center (wholly owned / JV)", "海外研发中心（独资／合资）"),
    "offshore_incubator": ("Offshore innovation incubator", "离岸创新孵化中心"),
    "joint_lab": ("Joint lab with host universities", "联合实验室"),
    "zone_upgrade": ("Cooperation-zone upgrade to a sci-tech zone", "合作区向科创园区转型升级"),
    "corridor_hub": ("Corridor hub with an overseas warehouse", "通道枢纽／海外仓"),
}
MODE_KEYS: tuple[str, ...] = tuple(CENTER_MODES)

#: The five layout strategies of the paper's section 3 (布局路径): key → (English,
#: Chinese, section of the paper).
STRATEGIES: dict[str, tuple[str, str, str]] = {
    "zone_upgrade": ("Cooperation-zone upgrade", "依托境外经贸合作区转型升级", "3.1"),
    "rail_corridor": ("Along the international rail lines", "沿国际班列通道布局", "3.2"),
    "backbone_enterprises": ("Leading enterprises as the backbone", "以龙头企业为骨干", "3.3"),
    "st_leader": ("S&T-leader destinations", "以科技领先国家为目的地", "3.4"),
    "standards_policy": ("International standards and policy", "对接国际标准与政策体系", "3.5"),
}
STRATEGY_KEYS: tuple[str, ...] = tuple(STRATEGIES)

#: Kinds of candidate site (a site may be several, ``;``-separated in ``types``).
SiteType = Literal["capital", "major_city", "st_cluster", "zone", "existing_center", "rail_node"]
SITE_TYPES: tuple[str, ...] = get_args(SiteType)

#: The main-haul transport modes a home hub can serve and a site be reached by.
TRANSPORT_MODES: tuple[str, ...] = ("rail", "sea", "air")

#: A pillar score at or above this makes the innovation and talent rules hold: the
#: stated default of ``mode.pillar_threshold`` in :mod:`oicplan.assumptions` (the rules
#: read the value in force there, so a scenario's override reaches them).
PILLAR_THRESHOLD = default("mode.pillar_threshold")

#: Share of candidates below the "top quarter" cut of strategy eligibility: the stated
#: default of ``strategy.top_quarter`` (:mod:`oicplan.assumptions`).
TOP_QUARTER = default("strategy.top_quarter")

#: The mode when no rule holds ("incubate abroad, industrialize at home").
DEFAULT_MODE = "offshore_incubator"

class _ModeReasons(Mapping[str, tuple[str, str]]):
    """The reasons' wording with the pillar threshold in force (``{threshold}`` filled in)."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = table

    def __getitem__(self, key: str) -> tuple[str, str]:
        english, chinese = self._table[key]
        threshold = f"{value('mode.pillar_threshold'):g}"
        return english.format(threshold=threshold), chinese.format(threshold=threshold)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


#: Why a site got its mode, in English and Chinese: one entry per rule key, plus
#: ``default`` (no rule holds) and ``optimizer`` (the layout model chose another
#: admissible mode). The pillar rules state the threshold in force (a scenario's
#: ``mode.pillar_threshold`` while its plan is made or reported).
MODE_REASONS: Mapping[str, tuple[str, str]] = _ModeReasons({
    "zone": ("a Zhejiang cooperation zone is here", "此处有浙江境外经贸合作区"),
    "rail": ("a Yiwu/Jinhua China–Europe train ends here", "义乌／金华中欧班列终点"),
    "cluster": ("the city is in a GII science and technology cluster", "城市属于全球科技集群"),
    "innovation": ("innovation pillar score ≥ {threshold}", "创新能力得分≥{threshold}"),
    "talent": ("talent pillar score ≥ {threshold}", "人才集聚得分≥{threshold}"),
    "default": (
        "no stronger rule applies: incubate abroad, industrialize at home",
        "无更强规则适用：海外孵化、浙江产业化",
    ),
    "optimizer": (
        "chosen by the layout model: this mode serves the industries best under the constraints",
        "布局优化模型选定：在约束条件下该模式对产业的服务效益最佳",
    ),
})


@dataclass(frozen=True)
class ModeRule:
    """One center-mode rule: its key (in :data:`MODE_REASONS`), its mode and its test."""

    key: str
    mode: str
    holds: Callable[[list[str], Mapping[str, Any]], bool]


def _number(value: object) -> float:
    """A float, with missing or unreadable values as 0 (a site without the pillar)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if number != number else number


def _pillar_at_least(pillar: str) -> Callable[[list[str], Mapping[str, Any]], bool]:
    def holds(types: list[str], site: Mapping[str, Any]) -> bool:
        return _number(site.get(f"pillar_{pillar}")) >= value("mode.pillar_threshold")

    return holds


def _has_type(site_type: str) -> Callable[[list[str], Mapping[str, Any]], bool]:
    def holds(types: list[str], site: Mapping[str, Any]) -> bool:
        return site_type in types

    return holds


#: The center-mode rules in order: the first that holds gives the site's mode.
MODE_RULES: tuple[ModeRule, ...] = (
    ModeRule("zone", "zone_upgrade", _has_type("zone")),
    ModeRule("rail", "corridor_hub", _has_type("rail_node")),
    ModeRule("cluster", "offshore_rd_center", _has_type("st_cluster")),
    ModeRule("innovation", "offshore_rd_center", _pillar_at_least("innovation")),
    ModeRule("talent", "joint_lab", _pillar_at_least("talent")),
)


def site_types(site: Mapping[str, Any]) -> list[str]:
    """The site types of a ranked row (``types`` is ``;``-separated).

    >>> site_types({"types": "capital;zone"})
    ['capital', 'zone']
    >>> site_types({"types": None})
    []
    """
    text = site.get("types")
    if text is None or (isinstance(text, float) and text != text):
        return []
    return [part for part in str(text).split(";") if part]


def holding_rules(site: Mapping[str, Any]) -> list[ModeRule]:
    """The mode rules that hold at a site, in rule order.

    >>> [rule.key for rule in holding_rules({"types": "zone;rail_node"})]
    ['zone', 'rail']
    """
    types = site_types(site)
    return [rule for rule in MODE_RULES if rule.holds(types, site)]


def assign_mode(site: Mapping[str, Any]) -> tuple[str, str]:
    """The center mode for one ranked site and the key of the rule that gave it.

    The key indexes :data:`MODE_REASONS` (English and Chinese wording).

    >>> assign_mode({"types": "zone", "pillar_innovation": 0.1, "pillar_talent": 0.2})
    ('zone_upgrade', 'zone')
    >>> assign_mode({"types": "capital", "pillar_innovation": 0.1, "pillar_talent": 0.6})
    ('joint_lab', 'talent')
    >>> assign_mode({"types": "capital"})
    ('offshore_incubator', 'default')
    """
    rules = holding_rules(site)
    if rules:
        return rules[0].mode, rules[0].key
    return DEFAULT_MODE, "default"


def admissible_modes(site: Mapping[str, Any]) -> set[str]:
    """The modes a site may take: the incubator and the mode of every rule that holds.

    >>> sorted(admissible_modes({"types": "capital", "pillar_talent": 0.9}))
    ['joint_lab', 'offshore_incubator']
    """
    return {DEFAULT_MODE} | {rule.mode for rule in holding_rules(site)}


def _upper_quartile(series: pd.Series) -> pd.Series:
    return series >= series.quantile(value("strategy.top_quarter"))


def eligible_strategies(table: pd.DataFrame, dataset: Any) -> pd.Series:
    """For each ranked site, the layout strategies it can serve (see the module docstring).

    ``dataset`` is an :class:`oicplan.data.Dataset` (its ``latest`` values give the
    economy facts: ``OIC.YIWU_RAIL``, ``OIC.ZJ_CENTERS``, ``OIC.BRI_PARTNER``,
    ``OIC.CN_TAX_TREATY``). Returns a tuple of strategy keys per row, in the order
    of :data:`STRATEGIES`.
    """
    import pandas as pd

    latest = dataset.latest

    def economy_value(code: str) -> pd.Series:
        values = latest[latest["indicator"] == code].set_index("entity")["value"]
        return table["iso3"].map(values).fillna(0.0)

    types = table["types"].fillna("")
    rail_economy = economy_value("OIC.YIWU_RAIL") > 0
    centers_economy = economy_value("OIC.ZJ_CENTERS") > 0
    partner = economy_value("OIC.BRI_PARTNER") >= 1
    treaty = economy_value("OIC.CN_TAX_TREATY") >= 1
    rules = {
        "zone_upgrade": types.str.contains("zone"),
        "rail_corridor": types.str.contains("rail_node") | rail_economy,
        "backbone_enterprises": centers_economy | _upper_quartile(table["pillar_market"]),
        "st_leader": types.str.contains("st_cluster") | _upper_quartile(table["pillar_innovation"]),
        "standards_policy": partner & treaty,
    }
    return pd.Series(
        [tuple(s for s in STRATEGIES if rules[s].iloc[i]) for i in range(len(table))],
        index=table.index,
        dtype=object,
    )
