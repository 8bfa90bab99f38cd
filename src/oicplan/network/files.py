"""The user's network files: extra nodes (universities, institutes, services, ...) and ties.

There is no public list of the universities and institutes that host Zhejiang's
overseas centers, nor of the law, IP, finance and incubation firms that serve
them. Such actors therefore enter the network only from the user's own files:

``nodes`` (CSV or XLSX), one actor per row
    ``id, kind, name`` are required; ``iso3``, ``city``, ``industries``,
    ``fields``, ``service_type`` and ``source_note`` are optional.
    ``kind`` is one of :data:`KINDS`; ``industries`` are priority-industry ids or
    names and ``fields`` technology-field ids, WIPO numbers or names (both
    ``;``-separated); ``service_type`` (one of :data:`SERVICE_TYPES`) is required
    for a ``service`` and must stay blank for the other kinds.
``edges`` (CSV or XLSX), one tie per row
    ``source, target, relation`` are required; ``weight`` (a number > 0,
    default 1), ``year`` (a whole year from 1900 to this year) and
    ``source_note`` (where the tie is documented) are optional.

A file is read whole or not at all: the first problem raises
:class:`~oicplan.errors.InputError` naming the file, the row as a spreadsheet
shows it (header = row 1) and the field. Whether an edge's ends exist is checked
when the network is built (:func:`oicplan.network.build_network`), since edges
may name derived nodes too (``enterprise:<name>``, ``center:<registry id>``,
``site:<site id>``, ``operator:<name>``).

>>> import pandas as pd
>>> nodes = check_nodes(pd.DataFrame({
...     "id": ["tum"], "kind": ["University"], "name": ["A host university"],
...     "iso3": ["deu"], "industries": ["information_technology"]}))
>>> record = nodes.iloc[0]
>>> record["id"], record["kind"], record["iso3"], record["industries"], int(record["row"])
('tum', 'university', 'DEU', ['information_technology'], 2)
"""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path

import pandas as pd

from oicplan.errors import InputError
from oicplan.match.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "DERIVED_PREFIXES",
    "EDGE_COLUMNS",
    "KINDS",
    "NODE_COLUMNS",
    "SERVICE_TYPES",
    "check_edges",
    "check_nodes",
    "read_edges",
    "read_nodes",
]

KINDS = ("enterprise", "center", "university", "institute", "service")
"""Node kinds a user file may give."""

SERVICE_TYPES = ("law", "ip", "finance", "incubator", "other")
"""What a ``service`` node provides (paper section 2.3: intermediary services)."""

NODE_REQUIRED = ("id", "kind", "name")
NODE_COLUMNS = (
    *NODE_REQUIRED,
    "iso3",
    "city",
    "industries",
    "fields",
    "service_type",
    "source_note",
)
EDGE_REQUIRED = ("source", "target", "relation")
EDGE_COLUMNS = (*EDGE_REQUIRED, "weight", "year", "source_note")

DERIVED_PREFIXES = ("enterprise:", "center:", "site:", "operator:", "industry:")
"""Id prefixes of the nodes oicplan derives; user ids may not start with them."""

_FIRST_YEAR = 1900
_TABLE = "<table>"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _records(source: str | Path | pd.DataFrame, required: tuple[str, ...], columns: tuple):
    """``(file label, [(spreadsheet row, {column: text})])`` of a file or a table."""
    if isinstance(source, pd.DataFrame):
        file = _TABLE
        header = [" ".join(str(c).strip().lower().split()) for c in source.columns]
        rows = [
            (number + 2, dict(zip(header, map(_cell, values), strict=True)))
            for number, values in enumerate(source.itertuples(index=False, name=None))
        ]
    else:
        from oicplan.monitor.kpis import read_rows

        file = str(source)
        rows = [
            (number, {k: _cell(v) for k, v in record.items()})
            for number, record in read_rows(source, required)
        ]
        header = list(rows[0][1]) if rows else list(required)
    for column in required:
        if column not in header:
            raise InputError(
                f"required column {column!r} is missing", file=file, row=1, field=column
            )
    for column in header:
        if column and column not in columns:
            raise InputError(
                f"unknown column {column!r}; columns are {', '.join(columns)}",
                file=file,
                row=1,
                field=column,
            )
    rows = [(n, r) for n, r in rows if any(r.values())]
    if not rows:
        raise InputError("the file has a header but no rows", file=file)
    return file, rows


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _known_iso3() -> set[str]:
    from oicplan.data.dataset import load_dataset

    return set(load_dataset().countries.index)


def check_nodes(
    source: str | Path | pd.DataFrame,
    *,
    taxonomy: Taxonomy | None = None,
    economies: set[str] | None = None,
) -> pd.DataFrame:
    """Validate node rows (a file or a table with the file's columns).

    Parameters
    ----------
    source : path or DataFrame
        The ``nodes`` file (module docstring) or a table with its columns.
    taxonomy : Taxonomy, optional
        Resolves industries and fields (default: the shipped taxonomy).
    economies : set of str, optional
        Known ISO3 codes (default: the economies of the embedded dataset).

    Returns
    -------
    DataFrame
        ``id, kind, name, iso3, city, industries (list), fields (list),
        service_type, source_note, file, row`` (blank text as ``None``).
    """
    taxonomy = taxonomy or load_taxonomy()
    file, rows = _records(source, NODE_REQUIRED, NODE_COLUMNS)
    economies = economies if economies is not None else _known_iso3()
    out, seen = [], {}
    for row, record in rows:

        def fail(message: str, column: str, row: int = row) -> InputError:
            return InputError(message, file=file, row=row, field=column)

        node_id = record.get("id", "")
        if not node_id:
            raise fail("an id is required", "id")
        if node_id.lower().startswith(DERIVED_PREFIXES):
            raise fail(
                f"id {node_id!r} uses a prefix kept for derived nodes "
                f"({', '.join(DERIVED_PREFIXES)}); choose another id",
                "id",
            )
        if node_id.casefold() in seen:
            raise fail(f"id {node_id!r} already given in row {seen[node_id.casefold()]}", "id")
        seen[node_id.casefold()] = row
        kind = record.get("kind", "").lower()
        if kind not in KINDS:
            raise fail(
                f"unknown kind {record.get('kind', '')!r}; use one of {', '.join(KINDS)}", "kind"
            )
        name = record.get("name", "")
        if not name:
            raise fail("a name is required", "name")
        iso3 = record.get("iso3", "").upper() or None
        if iso3 is not None and iso3 not in economies:
            raise fail(f"unknown economy code {record['iso3']!r} (use ISO 3166 alpha-3)", "iso3")
        industries = []
        for part in _split(record.get("industries", "")):
            industry = taxonomy.resolve_industry(part)
            if industry is None:
                raise fail(
                    f"unknown industry {part!r}; use one of {', '.join(taxonomy.industry_ids)}",
                    "industries",
                )
            industries.append(industry)
        fields = []
        for part in _split(record.get("fields", "")):
            field_id = taxonomy.resolve_field(part)
            if field_id is None:
                raise fail(
                    f"unknown technology field {part!r} (a field id, WIPO number or name)",
                    "fields",
                )
            fields.append(field_id)
        service = record.get("service_type", "").lower() or None
        if kind == "service" and service is None:
            raise fail(
                f"a service needs a service_type: one of {', '.join(SERVICE_TYPES)}",
                "service_type",
            )
        if service is not None and kind != "service":
            raise fail(f"service_type is only for kind service, not {kind}", "service_type")
        if service is not None and service not in SERVICE_TYPES:
            raise fail(
                f"unknown service_type {service!r}; use one of {', '.join(SERVICE_TYPES)}",
                "service_type",
            )
        out.append(
            {
                "id": node_id,
                "kind": kind,
                "name": name,
                "iso3": iso3,
                "city": record.get("city") or None,
                "industries": list(dict.fromkeys(industries)),
                "fields": list(dict.fromkeys(fields)),
                "service_type": service,
                "source_note": record.get("source_note") or None,
                "file": file,
                "row": row,
            }
        )
    return pd.DataFrame(out, columns=[*NODE_COLUMNS, "file", "row"])


def check_edges(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Validate edge rows (a file or a table with the file's columns).

    Returns
    -------
    DataFrame
        ``source, target, relation, weight (float), year (int or None),
        source_note, file, row``. The ends are checked later, against the
        network's nodes.
    """
    file, rows = _records(source, EDGE_REQUIRED, EDGE_COLUMNS)
    last_year = _dt.date.today().year
    out, seen = [], {}
    for row, record in rows:

        def fail(message: str, column: str, row: int = row) -> InputError:
            return InputError(message, file=file, row=row, field=column)

        ends = []
        for column in ("source", "target"):
            if not record.get(column):
                raise fail(f"a {column} node id is required", column)
            ends.append(record[column])
        if ends[0] == ends[1]:
            raise fail(f"a node cannot be tied to itself ({ends[0]!r})", "target")
        relation = " ".join(record.get("relation", "").lower().split())
        if not relation:
            raise fail("a relation is required (e.g. partner, client, funds, licenses)", "relation")
        key = (ends[0], ends[1], relation)
        if key in seen:
            raise fail(f"the same tie is already given in row {seen[key]}", "relation")
        seen[key] = row
        weight = 1.0
        if record.get("weight"):
            try:
                weight = float(record["weight"].replace(",", ""))
            except ValueError:
                raise fail(f"weight must be a number, got {record['weight']!r}", "weight") from None
            if not (math.isfinite(weight) and weight > 0):
                raise fail(f"weight must be greater than 0, got {record['weight']!r}", "weight")
        year = None
        if record.get("year"):
            text = record["year"]
            if not text.isdigit() or not _FIRST_YEAR <= int(text) <= last_year:
                raise fail(
                    f"year must be a whole year from {_FIRST_YEAR} to {last_year}, got {text!r}",
                    "year",
                )
            year = int(text)
        out.append(
            {
                "source": ends[0],
                "target": ends[1],
                "relation": relation,
                "weight": weight,
                "year": year,
                "source_note": record.get("source_note") or None,
                "file": file,
                "row": row,
            }
        )
    frame = pd.DataFrame(out, columns=[*EDGE_COLUMNS, "file", "row"])
    frame["year"] = frame["year"].astype(object)
    return frame


def read_nodes(path: str | Path, *, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Read and validate a ``nodes`` file (CSV or XLSX); see :func:`check_nodes`.

    >>> read_nodes("missing.csv")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: missing.csv: no such file
    """
    return check_nodes(Path(path), taxonomy=taxonomy)


def read_edges(path: str | Path) -> pd.DataFrame:
    """Read and validate an ``edges`` file (CSV or XLSX); see :func:`check_edges`.

    >>> read_edges("missing.csv")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: missing.csv: no such file
    """
    return check_edges(Path(path))
