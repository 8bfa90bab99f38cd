"""What changed between two snapshot builds (data vintages), and the alerts it raises.

:func:`snapshot_changes` compares the values of two snapshot folders, cell by
cell: ``latest.csv`` (one latest value per economy and indicator, keyed by
``entity, indicator``) and ``fields.csv.gz`` (the NCSES field table, keyed by
``source, iso3, field, year``). A value counts as changed when it differs by more
than :data:`TOLERANCE` relative to the larger of the two magnitudes (and 1), or
when its year or source changed; a key in only one build is ``added`` or
``removed``. The ranking moves are the pipeline's business (``oicplan watch
changes`` ranks the candidates on both builds in :mod:`oicplan.services.watch`);
:func:`move_alerts` turns those moves into alerts for watched sites.

>>> from oicplan.data.paths import SNAPSHOT_DIR
>>> counts = snapshot_changes(SNAPSHOT_DIR, SNAPSHOT_DIR)["counts"]
>>> counts["latest"], counts["fields"]["changed"]
({'changed': 0, 'added': 0, 'removed': 0}, 0)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oicplan.data.fields import FIELD_SNAPSHOT_FILE
from oicplan.errors import InputError

__all__ = [
    "FIELD_KEY",
    "LATEST_KEY",
    "TOLERANCE",
    "move_alerts",
    "snapshot_changes",
]

LATEST_KEY = ("entity", "indicator")
FIELD_KEY = ("source", "iso3", "field", "year")

# Relative difference below which two values are the same (CSV round trips).
TOLERANCE = 1e-9

_KINDS = ("changed", "added", "removed")


def _read(folder: Path, name: str, *, required: bool) -> pd.DataFrame | None:
    path = folder / name
    if not path.is_file():
        if required:
            raise InputError(f"not a snapshot folder: {name} is missing", file=str(folder))
        return None
    return pd.read_csv(path, keep_default_na=False, na_values={"value": [""]},
                       dtype={"flag": str, "wipo_area": str, "edition": str, "source": str})


def _native(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and np.isnan(value):
            return None
    return value


def _compare(
    old: pd.DataFrame, new: pd.DataFrame, key: tuple[str, ...], also: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Rows of the keys whose value (or one of ``also``) differs, or that one side lacks."""
    keep = [*key, "value", *also]
    merged = old[keep].merge(new[keep], on=list(key), how="outer", suffixes=("_old", "_new"),
                             indicator=True)
    a = pd.to_numeric(merged["value_old"], errors="coerce")
    b = pd.to_numeric(merged["value_new"], errors="coerce")
    scale = np.maximum(1.0, np.maximum(a.abs().fillna(0), b.abs().fillna(0)))
    value_differs = ((a - b).abs() > TOLERANCE * scale) | (a.isna() != b.isna())
    differs = value_differs.fillna(False)
    for column in also:
        differs |= merged[f"{column}_old"].astype(str) != merged[f"{column}_new"].astype(str)
    kind = np.select(
        [merged["_merge"] == "left_only", merged["_merge"] == "right_only", differs],
        ["removed", "added", "changed"], default="",
    )
    merged = merged.assign(kind=kind)
    merged = merged[merged["kind"] != ""]
    rows = []
    for record in merged.to_dict("records"):
        row = {column: _native(record[column]) for column in key}
        row["kind"] = record["kind"]
        row["old_value"] = _native(record["value_old"])
        row["new_value"] = _native(record["value_new"])
        for column in also:
            row[f"old_{column}"] = _native(record[f"{column}_old"])
            row[f"new_{column}"] = _native(record[f"{column}_new"])
        rows.append(row)
    return rows


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {kind: sum(1 for r in rows if r["kind"] == kind) for kind in _KINDS}


def snapshot_changes(old_dir: str | Path, new_dir: str | Path) -> dict[str, Any]:
    """Every value that differs between the snapshot builds ``old_dir`` and ``new_dir``.

    Returns ``from``, ``to`` (the folders and manifests' versions), ``latest`` (rows
    ``entity, indicator, kind, old_value, new_value, old_year, new_year, old_source,
    new_source``), ``fields`` (rows ``source, iso3, field, year, kind, old_value,
    new_value``), ``counts`` per table and kind, and ``notes`` (a build without
    field data; the other files that differ, such as ``sites.csv`` or a fact table,
    which can move ranks too). Rows are sorted by their key.
    """
    folders = []
    for given, field in ((old_dir, "from"), (new_dir, "to")):
        folder = Path(given)
        if not folder.is_dir():
            raise InputError("folder not found", file=str(folder), field=field)
        folders.append(folder)
    old, new = folders
    latest_old = _read(old, "latest.csv", required=True)
    latest_new = _read(new, "latest.csv", required=True)
    assert latest_old is not None and latest_new is not None
    latest = _compare(latest_old, latest_new, LATEST_KEY, ("year", "source"))
    notes = []
    fields_old = _read(old, FIELD_SNAPSHOT_FILE, required=False)
    fields_new = _read(new, FIELD_SNAPSHOT_FILE, required=False)
    if fields_old is None or fields_new is None:
        missing = [str(f) for f, t in ((old, fields_old), (new, fields_new)) if t is None]
        notes.append(f"no field data ({FIELD_SNAPSHOT_FILE}) in {', '.join(missing)}; "
                     "field values not compared")
        fields: list[dict[str, Any]] = []
    else:
        fields = _compare(fields_old, fields_new, FIELD_KEY, ())
    others = _other_files_differing(old, new)
    if others:
        notes.append("other files of the builds differ (not compared value by value; they "
                     "can move ranks too): " + ", ".join(others))
    latest.sort(key=lambda r: (r["entity"], r["indicator"]))
    fields.sort(key=lambda r: (r["source"], r["iso3"], r["field"], r["year"]))
    return {
        "from": {"folder": str(old), "version": _version(old)},
        "to": {"folder": str(new), "version": _version(new)},
        "latest": latest,
        "fields": fields,
        "counts": {"latest": _counts(latest), "fields": _counts(fields)},
        "notes": notes,
    }


def _other_files_differing(old: Path, new: Path) -> list[str]:
    """Files other than the compared tables and the manifest that differ or exist once."""
    skip = {"latest.csv", FIELD_SNAPSHOT_FILE, "manifest.json"}
    names = {p.relative_to(folder).as_posix() for folder in (old, new)
             for p in folder.rglob("*") if p.is_file()}
    out = []
    for name in sorted(names - skip):
        a, b = old / name, new / name
        if not (a.is_file() and b.is_file()) or a.read_bytes() != b.read_bytes():
            out.append(name)
    return out


def _version(folder: Path) -> str | None:
    import json

    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def move_alerts(
    moves: list[dict[str, Any]],
    watched: dict[str, str],
    *,
    rank_move: int,
    score_move: float,
) -> list[dict[str, Any]]:
    """Alerts for watched sites whose rank or score moved beyond the thresholds.

    ``moves`` are rows ``site_id, iso3, old_rank, new_rank, old_score, new_score``
    (a missing rank: the site was not ranked in that build); ``watched`` maps a
    site_id to why it is watched (``chosen`` or ``existing_center``). A site fires
    when its rank moved by at least ``rank_move`` places, its score by at least
    ``score_move``, or it dropped out of (or entered) the ranking. Severity: amber
    for a fall, green for a rise (worth a look, no harm).

    >>> rows = [{"site_id": "a", "iso3": "X", "old_rank": 3, "new_rank": 9,
    ...          "old_score": 0.7, "new_score": 0.66}]
    >>> [(a["site_id"], a["kind"], a["severity"]) for a in
    ...  move_alerts(rows, {"a": "chosen"}, rank_move=5, score_move=0.05)]
    [('a', 'rank_fell', 'amber')]
    """
    alerts = []
    for row in moves:
        role = watched.get(row["site_id"])
        if role is None:
            continue
        old_rank, new_rank = row.get("old_rank"), row.get("new_rank")
        old_score, new_score = row.get("old_score"), row.get("new_score")
        if old_rank is None or new_rank is None:
            kind = "unranked" if new_rank is None else "newly_ranked"
            severity = "amber" if new_rank is None else "green"
        else:
            places = int(old_rank) - int(new_rank)
            delta = float(new_score) - float(old_score)
            if abs(places) < rank_move and abs(delta) < score_move:
                continue
            fell = places < 0 or (places == 0 and delta < 0)
            kind = "rank_fell" if fell else "rank_rose"
            severity = "amber" if fell else "green"
        alerts.append({
            "site_id": row["site_id"],
            "iso3": row["iso3"],
            "role": role,
            "kind": kind,
            "severity": severity,
            "old_rank": old_rank,
            "new_rank": new_rank,
            "old_score": old_score,
            "new_score": new_score,
        })
    return alerts
