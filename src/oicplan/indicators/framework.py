"""The indicator framework: a tree of any depth (indicator → sub-pillar → pillar → index).

A framework is a YAML file validated by pydantic. The root holds the index
settings and a list of ``pillars``; every node (pillar, sub-pillar, ...) has
**either** ``indicators`` (the leaves) **or** ``children`` (more nodes). Each
node may choose how its children are weighted (``weighting``) and aggregated
(``aggregation``); each indicator has a direction, unit, optional source,
denominator, scale and transform, and optional goalposts/target for the
normalizations that need them. How the tree is built into scores is in
:mod:`oicplan.indicators.engine`; the site scoring used by the ranking is in
:mod:`oicplan.indicators.sites`.

Directions are relative to the parent: an indicator with ``direction: min``
lowers its node's score; a node with ``direction: min`` (the default
framework's ``risk`` pillar) is reflected when its parent aggregates it.

Site-level indicators come from the site table, not from the economy:

``SITE.GII_CLUSTER`` 101 − the best GII cluster rank listed for the city (0 if none listed),
``SITE.ZONE``, ``SITE.CENTER``, ``SITE.RAIL_NODE`` (1/0), ``SITE.POPULATION`` (GeoNames);
``SITE.ROR_EDUCATION``, ``SITE.ROR_FACILITY`` (top-level ROR organizations of the site's
economy within 50 km, as a share of the economy's peak) and ``SITE.LARGE_AIRPORTS`` (large
airports with scheduled service within 100 km), from :mod:`oicplan.data.cities`.

>>> framework = load_framework("default")
>>> [pillar.id for pillar in framework.pillars][:3]
['innovation', 'talent', 'market']
>>> framework.pillar("risk").direction, framework.depth
('min', 2)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oicplan.data.cities import LOCAL_INDICATORS
from oicplan.data.dataset import Dataset
from oicplan.errors import InputError
from oicplan.textfile import read_text

__all__ = [
    "AGGREGATION_NAMES",
    "SITE_INDICATORS",
    "WEIGHTING_NAMES",
    "Framework",
    "IndicatorSpec",
    "Node",
    "PillarSpec",
    "load_framework",
]

_FRAMEWORK_DIR = Path(__file__).parent

AGGREGATION_NAMES = ("arithmetic", "geometric", "harmonic")
"""Aggregations a node may choose (see :data:`oicplan.indicators.steps.AGGREGATORS`)."""

WEIGHTING_NAMES = ("manual", "equal", "ahp", "group_ahp", "entropy", "critic", "std")
"""Weighting methods a node may choose (see :mod:`oicplan.indicators.engine`)."""

SITE_INDICATORS = {
    "SITE.GII_CLUSTER": (
        "101 minus the GII cluster rank of the city (0 if not listed)",
        "facts/gii_clusters",
    ),
    "SITE.ZONE": (
        "A Zhejiang overseas cooperation zone is at this site (1/0)",
        "facts/zhejiang_zones",
    ),
    "SITE.CENTER": (
        "A Zhejiang overseas center is at this site (1/0)",
        "facts/zhejiang_overseas_centers",
    ),
    "SITE.RAIL_NODE": (
        "A Yiwu/Jinhua China–Europe train ends at this site (1/0)",
        "facts/yixinou_routes",
    ),
    "SITE.POPULATION": ("City population", "geonames"),
    "SITE.ACCESS_COST": (
        "Generalized cost of the best route from Zhejiang's hubs (rail, sea, air; cost index)",
        "geo/transport",
    ),
    "SITE.MATCH": (
        "Industry–technology match with Zhejiang's priority industries (mean over industries)",
        "match/taxonomy",
    ),
    # City-level evidence (oicplan.data.cities; docs/indicators.md, "Local evidence").
    "SITE.ROR_EDUCATION": (LOCAL_INDICATORS["SITE.ROR_EDUCATION"][1], "ror"),
    "SITE.ROR_FACILITY": (LOCAL_INDICATORS["SITE.ROR_FACILITY"][1], "ror"),
    "SITE.LARGE_AIRPORTS": (LOCAL_INDICATORS["SITE.LARGE_AIRPORTS"][1], "ourairports"),
}

Aggregation = Literal["arithmetic", "geometric", "harmonic"]
Weighting = Literal["manual", "equal", "ahp", "group_ahp", "entropy", "critic", "std"]


class _TreeError(ValueError):
    """A structural problem; ``suffix`` is the field below the failing location."""

    def __init__(self, message: str, suffix: str = "") -> None:
        super().__init__(message)
        self.suffix = suffix


class IndicatorSpec(BaseModel):
    """One indicator (a leaf of the tree).

    ``value = transform(raw / denominator * scale)``; ``goalposts`` (low, high)
    and ``target`` are read only by the normalizations of the same name.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str = ""
    name_zh: str = ""  # its name in Chinese (the report's indicator table in zh)
    direction: Literal["max", "min"] = "max"
    weight: float = Field(1.0, gt=0)
    unit: str = ""
    source: str = ""
    denominator: str | None = None
    scale: float = 1.0
    transform: Literal["none", "log", "log1p"] = "none"
    goalposts: tuple[float, float] | None = None
    target: float | None = None
    # Oldest value used, in years before the indicator's newest value (None: the
    # framework's ``max_age``); older values are treated as missing.
    max_age: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _check_goalposts(self) -> IndicatorSpec:
        if self.goalposts is not None and self.goalposts[0] >= self.goalposts[1]:
            raise _TreeError(
                f"goalposts must be (low, high) with low < high, got {list(self.goalposts)}",
                "goalposts",
            )
        return self


class Node(BaseModel):
    """A node of the tree: a pillar, sub-pillar, ... with indicators or children."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name_en: str = ""
    name_zh: str = ""
    paper: str = ""
    direction: Literal["max", "min"] = "max"
    weight: float = Field(1.0, gt=0)
    aggregation: Aggregation | None = None
    weighting: Weighting | None = None
    pairwise: list[list[float]] | None = None
    pairwise_group: list[list[list[float]]] | None = None
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    children: list[Node] = Field(default_factory=list)

    @model_validator(mode="after")
    def _leaves_or_children(self) -> Node:
        if bool(self.indicators) == bool(self.children):
            which = "both" if self.indicators else "neither"
            raise _TreeError(
                f"node {self.id!r} must have either 'indicators' or 'children' (has {which})",
                "indicators",
            )
        return self

    @property
    def items(self) -> list[IndicatorSpec] | list[Node]:
        """The direct children: indicator specs or nodes."""
        return self.indicators if self.indicators else self.children

    @property
    def child_ids(self) -> list[str]:
        """Codes of the indicators or ids of the child nodes, in order."""
        return [item.code if isinstance(item, IndicatorSpec) else item.id for item in self.items]

    def leaves(self) -> list[IndicatorSpec]:
        """Every indicator below this node, depth first."""
        if self.indicators:
            return list(self.indicators)
        return [spec for child in self.children for spec in child.leaves()]

    def nodes(self) -> Iterator[Node]:
        """This node and every node below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.nodes()


PillarSpec = Node
"""Former name of :class:`Node` (a pillar is a node one level below the index)."""


class Framework(BaseModel):
    """An indicator framework: the index (root) and its pillars.

    The root's ``aggregation``/``weighting``/``pairwise`` say how pillars form
    the index; ``default_aggregation`` applies to nodes that choose none.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int = 1
    id: str = "index"
    name_en: str = ""
    name_zh: str = ""
    aggregation: Aggregation | None = None
    default_aggregation: Aggregation = "arithmetic"
    weighting: Weighting | None = None
    pairwise: list[list[float]] | None = None
    pairwise_group: list[list[list[float]]] | None = None
    # Default maximum age of a value, in years before its indicator's newest value
    # (an indicator's own ``max_age`` wins; None: no limit).
    max_age: int | None = Field(None, ge=0)
    pillars: list[Node] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        seen: dict[str, str] = {self.id: self.id}

        def visit(node: Node, path: str) -> None:
            if node.id in seen:
                raise _TreeError(
                    f"duplicate id {node.id!r} (also at {seen[node.id]})", f"{path}.id"
                )
            seen[node.id] = path
            for child in node.children:
                visit(child, f"{path}.children[{child.id}]")
            for spec in node.indicators:
                where = f"{path}.indicators[{spec.code}]"
                if spec.code in seen:
                    raise _TreeError(
                        f"duplicate id {spec.code!r} (also at {seen[spec.code]})", f"{where}.code"
                    )
                seen[spec.code] = where

        for pillar in self.pillars:
            visit(pillar, f"pillars[{pillar.id}]")
        return self

    def max_age_for(self, code: str) -> int | None:
        """The maximum age of ``code``'s values: its own ``max_age``, else the framework's.

        >>> framework = load_framework()
        >>> framework.max_age_for("GII.SCORE"), framework.max_age_for("NY.GDP.MKTP.CD")
        (5, 10)
        """
        for spec in self.indicators():
            if spec.code == code and spec.max_age is not None:
                return spec.max_age
        return self.max_age

    @property
    def pillar_ids(self) -> list[str]:
        return [pillar.id for pillar in self.pillars]

    @property
    def root(self) -> Node:
        """The index as a node whose children are the pillars."""
        return Node(
            id=self.id,
            name_en=self.name_en or self.name,
            name_zh=self.name_zh,
            aggregation=self.aggregation,
            weighting=self.weighting,
            pairwise=self.pairwise,
            pairwise_group=self.pairwise_group,
            children=list(self.pillars),
        )

    @property
    def depth(self) -> int:
        """Levels of the tree counting the indicators (2 = pillars of indicators)."""

        def height(node: Node) -> int:
            return 1 if node.indicators else 1 + max(height(child) for child in node.children)

        return max(height(pillar) for pillar in self.pillars) + 1

    def pillar(self, pillar_id: str) -> Node:
        for pillar in self.pillars:
            if pillar.id == pillar_id:
                return pillar
        raise InputError(f"unknown pillar {pillar_id!r}", field="pillar")

    def node(self, node_id: str) -> Node:
        """Any node of the tree by id (the index itself included)."""
        root = self.root
        for node in root.nodes():
            if node.id == node_id:
                return node
        raise InputError(f"unknown node {node_id!r}", field="node")

    def nodes(self) -> list[Node]:
        """Every node below the index, parents before children."""
        return [node for pillar in self.pillars for node in pillar.nodes()]

    def indicators(self) -> list[IndicatorSpec]:
        """Every indicator spec, in framework order."""
        return [spec for pillar in self.pillars for spec in pillar.leaves()]

    def indicator_codes(self) -> list[str]:
        """Every code the framework reads, denominators included, without repeats."""
        codes: list[str] = []
        for spec in self.indicators():
            for code in (spec.code, spec.denominator):
                if code and code not in codes:
                    codes.append(code)
        return codes

    def check_codes(self, dataset: Dataset) -> None:
        """Every indicator must exist in the dataset (or be a site-level indicator)."""
        known = set(dataset.indicators.index) | set(SITE_INDICATORS)
        for pillar in self.pillars:
            for spec in pillar.leaves():
                for code in (spec.code, spec.denominator):
                    if code and code not in known:
                        raise InputError(
                            f"unknown indicator {code!r} in pillar {pillar.id!r}",
                            field="framework.indicators.code",
                        )


def _readable_location(raw: Any, loc: tuple) -> str:
    """Turn pydantic's ``('pillars', 2, 'aggregation')`` into ``pillars[talent].aggregation``."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and parts:
            item = node[part] if part < len(node) else None
            label = part
            if isinstance(item, dict):
                label = item.get("id", item.get("code", part))
            parts[-1] += f"[{label}]"
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def load_framework(name_or_path: str | Path = "default") -> Framework:
    """Load a framework by name (``default``) or from a YAML file.

    Raises
    ------
    InputError
        Naming the file and the field (``pillars[talent].aggregation``) of the
        first problem: unknown keys or options, a node with neither indicators
        nor children, duplicate ids, bad goalposts.

    Examples
    --------
    >>> load_framework("default").pillar("talent").aggregation is None
    True
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = _FRAMEWORK_DIR / f"{name_or_path}_framework.yaml"
    if not path.is_file():
        raise InputError("framework file not found", file=str(name_or_path), field="framework")
    try:
        raw = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML ({error})", file=str(path)) from None
    if not isinstance(raw, dict):
        raise InputError("a framework must be a YAML mapping", file=str(path))
    try:
        return Framework.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = _readable_location(raw, tuple(first["loc"]))
        cause = (first.get("ctx") or {}).get("error")
        message = first["msg"]
        if isinstance(cause, _TreeError):
            message = str(cause)
            where = ".".join(part for part in (where, cause.suffix) if part)
        raise InputError(message, file=str(path), field=where or None) from None
