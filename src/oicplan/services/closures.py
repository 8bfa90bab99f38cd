"""Corridor closures a user may choose: sea passages, border crossings, rail routes.

A plan, ranking or optimize run can close corridors on top of its scenario's
``transport.avoid`` (as ``oicplan plan --avoid`` and ``oicplan disrupt`` do). Over the
network only known names are accepted (:func:`check_closures`): a sea passage
searoute knows (``suez``, ``hormuz`` ...; the always-closed Northwest Passage is
not offered), a border crossing of the China–Europe trains (``alashankou`` ...),
or a published Yiwu/Jinhua rail route (``Yiwu–Madrid``). The names and their
order come from :mod:`oicplan.geo` (one source); :func:`closure_choices` lists
them for the optimizer page's multi-select.

>>> check_closures(["Suez Canal", " altynkol ", "Yiwu-Madrid"])
['suez', 'khorgos', 'Yiwu–Madrid']
>>> check_closures(["atlantis"])
Traceback (most recent call last):
...
oicplan.errors.InputError: field avoid: cannot close 'atlantis': not a known sea passage, ...
"""

from __future__ import annotations

import functools
import re
from typing import Any

from oicplan.errors import InputError

__all__ = ["check_closures", "closure_choices"]

_DASHES = re.compile(r"\s*[–—-]\s*")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


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
    """Every corridor that can be closed: ``kind`` (passage, border, route), ``key``, ``name``.

    ``key`` is what a request's ``avoid`` takes.

    >>> kinds = {c["kind"] for c in closure_choices()}
    >>> sorted(kinds), any(c["key"] == "suez" for c in closure_choices())
    (['border', 'passage', 'route'], True)
    """
    return [{"kind": kind, "key": key, "name": name} for kind, key, name in _choices()]


def check_closures(names: list[str], *, field: str = "avoid") -> list[str]:
    """The closures ``names`` give, as keys (trimmed, duplicates dropped), or InputError.

    A name is a sea passage or a border crossing (any spelling :mod:`oicplan.geo`
    understands) or a published rail route (``Yiwu-Madrid``, any dash).
    """
    from oicplan.geo.rail import border_id
    from oicplan.geo.sea import passage_key

    routes = {_plain(key): key for kind, key, _ in _choices() if kind == "route"}
    offered = {key for _, key, _ in _choices()}
    out: list[str] = []
    for raw in names:
        name = str(raw).strip()
        if not name:
            continue
        key: str | None
        if _DASHES.search(name) and len(_DASHES.split(name)) == 2:
            key = routes.get(_plain(name))
        else:
            key = passage_key(name) or border_id(name)
        if key is None or key not in offered:
            known = ", ".join(key for _, key, _ in _choices())
            raise InputError(
                f"cannot close {name[:80]!r}: not a known sea passage, border crossing or "
                f"rail route; known: {known}",
                field=field,
            )
        if key not in out:
            out.append(key)
    return out
