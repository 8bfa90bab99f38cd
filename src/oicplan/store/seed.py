"""Seed rows for the registry, read from the snapshot of Zhejiang's overseas centers.

The snapshot ``data/snapshot/facts/zhejiang_overseas_centers.csv`` lists real
centers with their sources. Each becomes a center with a slug ``id`` made from
its English name, a ``mode`` mapped from the free-text ``type``, and an
``opening_year`` only where the ``year`` text is a plain four-digit year (the text
itself is kept in ``opening_year_text``).

>>> slugify("Alibaba DAMO Academy lab – Tel Aviv")
'alibaba-damo-academy-lab-tel-aviv'
>>> mode_for_type("enterprise overseas R&D lab (Hangzhou-HQ Alibaba)")
'offshore_rd_center'
>>> parse_opening_year("2018 or earlier") is None, parse_opening_year("2019")
(True, 2019)
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from importlib import resources

from oicplan.domain import MODE_KEYS
from oicplan.errors import InputError

__all__ = [
    "MODES",
    "SNAPSHOT_RESOURCE",
    "slugify",
    "mode_for_type",
    "parse_opening_year",
    "seed_site_ids",
    "sites_by_center_name",
    "snapshot_centers",
]

MODES = MODE_KEYS
"""Center modes: how a center works, matching the planning model's modes."""

SNAPSHOT_RESOURCE = "data/snapshot/facts/zhejiang_overseas_centers.csv"

# Exact types found in the snapshot (lower case, parentheses removed). The
# "S&T collaborative innovation centre" is read as an R&D center because its
# type names joint innovation rather than incubating firms; this is a judgement
# on the name alone, to be revised when better information comes.
_TYPE_TO_MODE = {
    "provincial overseas innovation incubation centre": "offshore_incubator",
    "overseas innovation incubation centre": "offshore_incubator",
    "overseas incubator": "offshore_incubator",
    "offshore talent/innovation base": "offshore_incubator",
    "overseas s&t collaborative innovation centre": "offshore_rd_center",
    "enterprise overseas r&d lab": "offshore_rd_center",
    "enterprise overseas r&d centre": "offshore_rd_center",
}
# Fallback for types added to the snapshot later; first match wins.
_KEYWORDS = (
    ("joint lab", "joint_lab"),
    ("joint laborator", "joint_lab"),
    ("incubat", "offshore_incubator"),
    ("corridor", "corridor_hub"),
    ("hub", "corridor_hub"),
    ("zone", "zone_upgrade"),
    ("park", "zone_upgrade"),
    ("r&d", "offshore_rd_center"),
    ("research", "offshore_rd_center"),
)
_NOT_STATED = {"", "not stated", "n/a", "na", "unknown"}


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return None if text.lower() in _NOT_STATED else text


def slugify(name: str, max_length: int = 80) -> str:
    """Stable lower-case id from an English name; parenthesised parts are dropped.

    >>> slugify("Geely R&D centre Raunheim (electric powertrains, ~300 engineers)")
    'geely-rd-centre-raunheim'
    """
    text = re.sub(r"\([^)]*\)", " ", name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", "")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:max_length].rstrip("-")


def mode_for_type(type_text: str) -> str:
    """Center mode for the snapshot's free-text ``type``.

    Raises
    ------
    InputError
        If the text matches no mode (field ``type``).

    >>> mode_for_type("Joint laboratory with a university")
    'joint_lab'
    """
    key = re.sub(r"\([^)]*\)", " ", type_text or "").lower()
    key = " ".join(key.split())
    if key in _TYPE_TO_MODE:
        return _TYPE_TO_MODE[key]
    for word, mode in _KEYWORDS:
        if word in key:
            return mode
    raise InputError(f"cannot map type {type_text!r} to a mode {MODES}", field="type")


def parse_opening_year(text: str | None) -> int | None:
    """The year as an int only when the text is exactly a four-digit year."""
    text = (text or "").strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def snapshot_centers(text: str | None = None) -> list[dict]:
    """Center rows from the snapshot CSV (or from ``text`` in the same format).

    Returns
    -------
    list of dict
        Keys as in :data:`oicplan.store.models.CENTER_COLUMNS`.

    Examples
    --------
    >>> rows = snapshot_centers()
    >>> len(rows), rows[0]["iso3"], rows[0]["mode"]
    (20, 'AUS', 'offshore_incubator')
    >>> len({r["id"] for r in rows})
    20
    """
    if text is None:
        text = resources.files("oicplan").joinpath(SNAPSHOT_RESOURCE).read_text("utf-8")
    rows = []
    for index, raw in enumerate(csv.DictReader(io.StringIO(text))):
        try:
            mode = mode_for_type(raw.get("type", ""))
        except InputError as exc:
            raise InputError(
                exc.message, file=SNAPSHOT_RESOURCE, row=index + 2, field="type"
            ) from None
        year_text = (raw.get("year") or "").strip()
        rows.append(
            {
                "id": slugify(raw["name"]),
                "name": raw["name"].strip(),
                "name_zh": _clean(raw.get("name_zh")),
                "host_city": _clean(raw.get("host_city")),
                "iso3": raw["iso3"].strip().upper(),
                "mode": mode,
                "operator": _clean(raw.get("zhejiang_operator")),
                "opening_year": parse_opening_year(year_text),
                "opening_year_text": year_text or None,
                "partners": None,
                "type_text": _clean(raw.get("type")),
                "status": _clean(raw.get("status_or_batch")),
                "source": _clean(raw.get("source")),
                "as_of": _clean(raw.get("as_of")),
            }
        )
    ids = [str(r["id"]) for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"duplicate center ids: {duplicates}", file=SNAPSHOT_RESOURCE)
    return rows


def sites_by_center_name(sites) -> dict[str, str]:
    """Center name → site id, from the ``center_name`` column of the candidate sites.

    A site hosting several centers lists them separated by ``"; "``.

    >>> import pandas as pd
    >>> sites_by_center_name(pd.DataFrame({"site_id": ["A", "B"],
    ...                                    "center_name": ["Lab 1; Lab 2", None]}))
    {'Lab 1': 'A', 'Lab 2': 'A'}
    """
    links: dict[str, str] = {}
    for site in sites.itertuples():
        if isinstance(site.center_name, str):
            for name in site.center_name.split("; "):
                links[name.strip()] = str(site.site_id)
    return links


def seed_site_ids(dataset=None) -> dict[str, str]:
    """Candidate site of each seeded center, from the sites' ``center_name`` column.

    The snapshot's sites list the Zhejiang centers they host by name (16 of the
    20 seeded centers; four sources name no host city). The registry keeps every
    listed center with its status, so centers only announced or closed are linked
    too (the sites with unconfirmed facts). Returns center id → site id.

    >>> links = seed_site_ids()
    >>> links["alibaba-damo-academy-lab-moscow"], len(links)
    ('RUS-moscow', 16)
    """
    from oicplan.data.dataset import load_dataset

    dataset = dataset or load_dataset()
    sites = getattr(dataset, "sites_with_unconfirmed", dataset.sites)
    by_name = sites_by_center_name(sites)
    return {row["id"]: by_name[row["name"]] for row in snapshot_centers() if row["name"] in by_name}
