"""Corridor closures a user may choose: sea passages, border crossings, rail routes.

A plan, ranking or optimize run can close corridors on top of its scenario's
``transport.avoid`` (as ``oicplan plan --avoid`` and ``oicplan disrupt`` do), read by
the same rule (:func:`check_closures`): a sea passage searoute knows (``suez``,
``hormuz`` ...; the always-closed Northwest Passage is not offered), a border
crossing of the China–Europe trains (``alashankou`` ...), or a rail segment — a
published Yiwu/Jinhua route (``Yiwu–Madrid``) or two network nodes joined by a
dash. The names and their order come from :mod:`oicplan.geo` (one source);
:func:`closure_choices` lists them for the optimizer page's multi-select.

>>> check_closures(["Suez Canal", " altynkol ", "Yiwu-Madrid"])
['suez', 'khorgos', 'Yiwu–Madrid']
>>> check_closures(["atlantis"])
Traceback (most recent call last):
...
oicplan.errors.InputError: field avoid: cannot close 'atlantis': not a sea passage, ...
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["check_closures", "closure_choices"]

_DASHES = re.compile(r"\s*[–—-]\s*")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


# The standard Chinese names of the passages and crossings (as in Chinese atlases
# and the China–Europe train operators' notices); a rail route's is made from its
# cities' names (the sites' and hubs' Chinese names, :mod:`oicplan.data.names_zh`).
_NAMES_ZH = {
    "malacca": "马六甲海峡", "sunda": "巽他海峡", "hormuz": "霍尔木兹海峡",
    "bab-el-mandeb": "曼德海峡", "suez": "苏伊士运河", "bosporus": "博斯普鲁斯海峡",
    "gibraltar": "直布罗陀海峡", "good-hope": "好望角", "panama": "巴拿马运河",
    "cape-horn": "合恩角", "bering": "白令海峡", "northwest": "西北航道",
    "alashankou": "阿拉山口", "khorgos": "霍尔果斯–阿腾科里", "manzhouli": "满洲里",
}


@functools.lru_cache(maxsize=1)
def _city_names_zh() -> dict[str, str]:
    """Plain city name -> Chinese name: the dataset's sites, then the built-in hubs."""
    from oicplan.data.dataset import load_dataset
    from oicplan.data.names_zh import hub_name_zh
    from oicplan.scenario import load_scenario

    sites = load_dataset().sites
    out: dict[str, str] = {}
    for name, zh in zip(sites["name"], sites["name_zh"], strict=True):
        if isinstance(zh, str) and zh:
            out.setdefault(_plain(str(name)), zh)
    for hub in load_scenario("zhejiang").hubs:
        out[_plain(hub.name)] = hub_name_zh(hub.name, hub.lat, hub.lon)[0]
    return out


def _route_zh(route: str) -> str:
    names = _city_names_zh()
    return "–".join(names.get(_plain(part), part) for part in _DASHES.split(route))


@functools.lru_cache(maxsize=1)
def _choices() -> tuple[tuple[str, str, str], ...]:
    from oicplan.geo.rail import BORDER_CROSSINGS, rail_routes
    from oicplan.geo.sea import PASSAGES

    always_closed = {"northwest"}
    out = [("passage", key, spec[1]) for key, spec in PASSAGES.items()
           if key not in always_closed]
    out += [("border", key, str(spec["name"])) for key, spec in BORDER_CROSSINGS.items()]
    out += [("route", str(route), str(route)) for route in rail_routes()["route"]]
    return tuple(out)


def closure_choices() -> list[dict[str, Any]]:
    """Every corridor that can be closed: ``kind`` (passage, border, route), ``key``,
    ``name`` and ``name_zh`` (its Chinese name). ``key`` is what a request's ``avoid`` takes.

    >>> [c["name_zh"] for c in closure_choices() if c["key"] in ("suez", "Yiwu–Madrid")]
    ['苏伊士运河', '义乌–马德里']

    >>> kinds = {c["kind"] for c in closure_choices()}
    >>> sorted(kinds), any(c["key"] == "suez" for c in closure_choices())
    (['border', 'passage', 'route'], True)
    """
    return [
        {"kind": kind, "key": key, "name": name,
         "name_zh": _route_zh(name) if kind == "route" else _NAMES_ZH.get(key, name)}
        for kind, key, name in _choices()
    ]


def check_closures(names: list[str], *, field: str = "avoid") -> list[str]:
    """The closures ``names`` give, as keys (trimmed, duplicates dropped), or InputError.

    The names are read by the one rule of :func:`oicplan.geo.disruption.closure_plan`
    (as ``oicplan plan --avoid`` and ``oicplan disrupt`` read them): a sea passage or
    a border crossing in any spelling :mod:`oicplan.geo` understands, or a rail
    segment ``A-B`` (any dash) — a published route's name is given in its own
    spelling (``Yiwu–Madrid``); two other node names (``Yiwu-Alashankou``) are kept
    as written and checked against the network when the run builds it.
    """
    from oicplan.geo.disruption import closure_plan

    plan = closure_plan(names, field=field)
    routes = {_plain(key): key for kind, key, _ in _choices() if kind == "route"}
    out: list[str] = []
    for key in [*plan["passages"], *plan["borders"]] + [
        routes.get(_plain(segment), segment) for segment in plan["segments"]
    ]:
        if key not in out:
            out.append(key)
    return out
