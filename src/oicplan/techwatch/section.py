"""The plan's technology watch: ``plan.json``'s ``technology_watch`` for its sites' economies.

For every economy that hosts a chosen site or an existing center, the trends of
the fields of Zhejiang's priority industries
(:func:`oicplan.techwatch.fieldmap.economy_watch`) over the last
:data:`~oicplan.techwatch.fieldmap.SITE_SPAN` years of data. It is computed from
the snapshot's field table, read once per process and file (the table is grouped
once and shared), so a plan pays well under a second for it. Each economy's part
reads nothing but that table, the field map and the window, so it is also kept on
disk per economy (:class:`oicplan.pipeline_cache.StageCache`, keyed by the field
file, the economy and the window): a plan whose economies were all seen before reads
them back without loading the table (on the 2-core development machine, December
2026, 0.78 s of the zhejiang plan's main thread, while its solves ran).

>>> section = technology_watch(None, [("KOR-seoul", "KOR", "chosen"),
...                                   ("KOR-busan", "KOR", "chosen")])
>>> economy = section["economies"][0]
>>> economy["iso3"], economy["sites"], economy["roles"], economy["tier"]
('KOR', ['KOR-seoul', 'KOR-busan'], ['chosen'], 'patent_families')
>>> sorted(economy["fields"][0])[:4]
['cagr', 'end_value', 'end_year', 'field']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from oicplan.data.fields import FIELD_SNAPSHOT_FILE, load_field_values
from oicplan.data.paths import SNAPSHOT_DIR
from oicplan.pipeline_cache import StageCache, file_key
from oicplan.techwatch.fieldmap import SITE_SPAN, economy_watch

__all__ = ["FIELD_KEYS", "plan_technology_watch", "shared_values", "technology_watch"]

# The keys of each field row of ``technology_watch`` (plan_document.WatchField).
FIELD_KEYS = (
    "source", "field", "field_zh", "start_year", "end_year", "start_value", "end_value",
    "cagr", "share_start", "share_end", "rta_start", "rta_end", "industries", "series",
)


@lru_cache(maxsize=2)
def _values(path: str, stamp: float) -> pd.DataFrame:
    return load_field_values(Path(path).parent)


def shared_values(folder: str | Path | None = None) -> pd.DataFrame | None:
    """The field table of a snapshot folder, one shared frame per file (read only!).

    None when the folder has no field data.
    """
    path = _field_file(folder)
    if not path.is_file():
        return None
    return _values(str(path), path.stat().st_mtime)


def _field_file(folder: str | Path | None) -> Path:
    return Path(folder or SNAPSHOT_DIR) / FIELD_SNAPSHOT_FILE


def technology_watch(
    folder: str | Path | None, sites: Iterable[tuple[str, str, str]], *, span: int = SITE_SPAN
) -> dict[str, Any]:
    """The technology-watch section of a plan: ``span``, ``economies``, ``notes``.

    ``sites`` are ``(site_id, iso3, role)`` with role ``chosen`` or
    ``existing_center``. Each economy (in the order first met) has ``iso3``,
    ``economy`` (NCSES's name), ``sites``, ``roles``, ``tier``, ``tier_reason`` and ``fields`` (rows
    with the keys :data:`FIELD_KEYS`); an economy without field data keeps an empty
    list and a note says so.
    """
    groups: dict[str, dict[str, Any]] = {}
    for site_id, iso3, role in sites:
        entry = groups.setdefault(iso3, {"iso3": iso3, "economy": None, "sites": [],
                                         "roles": [], "tier": None, "tier_reason": None,
                                         "fields": []})
        if site_id not in entry["sites"]:
            entry["sites"].append(site_id)
        if role not in entry["roles"]:
            entry["roles"].append(role)
    notes: list[str] = []
    path = _field_file(folder)
    if not path.is_file():
        notes.append("this snapshot has no field data (fields.csv.gz); no technology watch")
        return {"span": span, "economies": list(groups.values()), "notes": notes}
    watch = _economies_watch(path, list(groups), span)
    for iso3, entry in groups.items():
        found = watch[iso3]
        entry["economy"] = found["economy"]
        entry["tier"] = found["tier"]
        entry["tier_reason"] = found["tier_reason"]
        entry["fields"] = [{key: row[key] for key in FIELD_KEYS} for row in found["fields"]]
        if not entry["fields"]:
            notes.append(f"{iso3}: no NCSES field data (a gap, not a zero)")
    return {"span": span, "economies": list(groups.values()), "notes": notes}


#: Each economy's part of the watch (``economy_watch``'s entry), kept per field file,
#: economy and window; on disk too (the weights never change it).
_ECONOMY_CACHE = StageCache("technology watch economy", maxsize=256, disk=True)


def _economies_watch(path: Path, economies: list[str], span: int) -> dict[str, dict[str, Any]]:
    """``economy_watch`` of ``economies`` from the field file ``path``, per economy cached.

    The economies the cache lacks are computed together (one pass over the table), so
    a partly new list costs what the new economies cost.
    """
    data = file_key(path)
    found: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for iso3 in economies:
        kept, entry = _ECONOMY_CACHE.lookup((data, iso3, span))
        if kept:
            found[iso3] = entry
        else:
            missing.append(iso3)
    if missing:
        computed = economy_watch(_values(str(path), path.stat().st_mtime), missing, span=span)
        for iso3 in missing:
            found[iso3] = _ECONOMY_CACHE.get((data, iso3, span),
                                             lambda entry=computed[iso3]: entry)
    return found


def plan_technology_watch(plan: Any) -> dict[str, Any]:
    """:func:`technology_watch` of a plan's chosen sites and existing centers.

    ``plan`` is duck-typed (an :class:`oicplan.plan.Plan`): ``chosen`` and
    ``existing`` tables with ``site_id`` and ``iso3``, and ``dataset.folder``.
    """
    sites = [(str(s), str(i), "chosen")
             for s, i in zip(plan.chosen["site_id"], plan.chosen["iso3"], strict=True)]
    sites += [(str(s), str(i), "existing_center")
              for s, i in zip(plan.existing["site_id"], plan.existing["iso3"], strict=True)]
    return technology_watch(getattr(plan.dataset, "folder", None), sites)
