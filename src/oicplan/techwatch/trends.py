"""Growth, world shares and revealed technological advantage by field (``oicplan watch``).

Every number here is computed from the snapshot's NCSES field table
(:func:`oicplan.data.fields.load_field_values`); nothing is estimated.

Definitions (one economy *i*, one field *f* of one source, one year *t*):

* ``value``: the number NCSES prints (a count, US$ million, or a percent);
* ``cagr``: compound annual growth of the value from the start year *s* to the end
  year *e*, ``(value_e / value_s) ** (1 / (e - s)) - 1``;
* ``share``: ``value_if / sum_j value_jf``, the sum over every economy of the
  source with a value for *f* in that year;
* ``rta`` (revealed technological advantage, Balassa's index):
  ``(value_if / total_i) / (sum_j value_jf / sum_j total_j)`` where ``total`` is
  the economy's **all-fields total**. For every source that publishes one, the
  total is the source's own total row (:data:`TOTAL_FIELDS`: "All technologies",
  "All S&E fields", "All environmental sustainability technologies", "All KTI
  industries"); a source without a total row and with several fields would use
  the sum of its fields (no current source does). The sums run over every economy
  with a value in that year.

Where these figures mean nothing they are ``None`` (:data:`NO_SHARE`,
:data:`NO_RTA`): ``top1pct`` is a percent of the economy's own articles (a sum
of percents over economies is no world total, so neither shares nor RTA exist);
``ai_articles`` has one field and no total, so its RTA would be 1 by
construction. The uspto_env sub-areas overlap (they sum to 100-111 % of the
total), so their RTA is against the published total, not the sum of parts.

Rows of :func:`rising` are economies whose start value is at least ``min_size``
(:data:`DEFAULT_MIN_SIZE` per source, in the source's unit; for ``top1pct`` the
size is the economy's fractional article count in the same field and start year,
because the README of the data warns that the share is very noisy for small
producers). Default window: the last year with data for the field and
:data:`RISING_SPAN` years before it.

>>> values = load_field_values()
>>> result = rising(values, "semiconductors", source="uspto", since=2010, until=2020, top=3)
>>> result["field"], result["source"], len(result["rows"])
('Semiconductors', 'uspto', 3)
>>> resolve_field(values, "ALL TECHNOLOGIES", source="pct")
('pct', 'All technologies')
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from oicplan.data.fields import FIELD_SOURCES, field_name, field_names, load_field_values
from oicplan.errors import InputError

__all__ = [
    "DEFAULT_MIN_SIZE",
    "economies_with",
    "NO_RTA",
    "NO_SHARE",
    "RISING_SPAN",
    "SOURCE_ORDER",
    "TOTAL_FIELDS",
    "field_label",
    "field_trends",
    "load_field_values",
    "resolve_field",
    "rising",
    "source_fields",
]

# When a field name occurs in several sources and none is named: the first that has it
# (technology before science, the 35 WIPO fields before the 5 areas).
SOURCE_ORDER = (
    "patent_families",
    "uspto",
    "pct",
    "uspto_areas",
    "uspto_env",
    "articles",
    "ai_articles",
    "kti",
    "articles_whole",
    "top1pct",
)

# Each source's own all-fields row (the denominator of RTA).
TOTAL_FIELDS = {
    "articles": "All S&E fields",
    "articles_whole": "All S&E fields",
    "top1pct": "All S&E fields",
    "pct": "All technologies",
    "patent_families": "All technologies",
    "uspto": "All technologies",
    "uspto_areas": "All technologies",
    "uspto_env": "All environmental sustainability technologies",
    "kti": "All KTI industries",
}

# Sources whose shares (and so RTA) are meaningless, and those whose RTA alone is.
NO_SHARE = {"top1pct": "a percent of the economy's own articles; percents do not add up"}
NO_RTA = {
    **NO_SHARE,
    "ai_articles": "one field and no all-fields total: the RTA would be 1 by construction",
}

# Smallest start value for a row of ``rising``, in the source's unit (documented in
# docs/watch.md): below it growth rates are noise (a few articles or patents).
DEFAULT_MIN_SIZE = {
    "articles": 100.0,  # fractional articles
    "articles_whole": 100.0,  # articles
    "top1pct": 500.0,  # fractional articles in the field (the README's own filter)
    "ai_articles": 100.0,  # articles
    "pct": 50.0,  # applications
    "patent_families": 50.0,  # fractional families
    "uspto": 20.0,  # fractional patents
    "uspto_areas": 20.0,  # fractional patents
    "uspto_env": 10.0,  # fractional patents
    "kti": 100.0,  # US$ million
}

# Default window of ``rising``: the last year with data and this many years before it.
RISING_SPAN = 5

_DIGITS = 8


def _round(value: float | None, digits: int = _DIGITS) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(round(value, digits))


def field_label(field: str, lang: str = "en", source: str | None = None) -> str:
    """The field's name in ``lang`` (:func:`oicplan.data.fields.field_name`).

    >>> field_label("Semiconductors"), field_label("Semiconductors", "zh")
    ('Semiconductors', '半导体')
    """
    return field_name(field, lang, source=source) if lang == "zh" else field


def source_fields(values: pd.DataFrame) -> dict[str, list[str]]:
    """Every source's fields (sorted), from the field table.

    >>> source_fields(load_field_values())["ai_articles"]
    ['Artificial intelligence']
    """
    pairs = values[["source", "field"]].drop_duplicates()
    return {
        str(source): sorted(str(f) for f in group["field"])
        for source, group in pairs.groupby("source", sort=True)
    }


def resolve_field(
    values: pd.DataFrame, name: str, *, source: str | None = None
) -> tuple[str, str]:
    """``(source, field)`` for a field named in English or Chinese, any case.

    Without ``source`` the first source of :data:`SOURCE_ORDER` that has the field is
    used. An unknown name raises :class:`InputError` (field ``field``) listing close
    matches; a field the named source lacks names the sources that have it.

    >>> values = load_field_values()
    >>> resolve_field(values, "computer technology")
    ('patent_families', 'Computer technology')
    >>> resolve_field(values, "chemistry", source="articles")
    ('articles', 'Chemistry')
    """
    if source is not None and source not in FIELD_SOURCES:
        raise InputError(
            f"unknown source {source!r}; one of {', '.join(SOURCE_ORDER)}", field="source"
        )
    catalog = source_fields(values)
    query = " ".join(str(name).split()).casefold()
    if not query:
        raise InputError("a field name is required", field="field")
    names: dict[str, tuple[str, set[str] | None]] = {}  # folded name -> field, sources
    for fields in catalog.values():
        for field in fields:
            names.setdefault(field.casefold(), (field, None))
    for row in field_names().itertuples(index=False):  # the Chinese names, by source
        folded = str(row.name_zh).casefold()
        if folded not in names:
            names[folded] = (str(row.field), set())
        known = names[folded][1]
        if known is not None:
            known.add(str(row.source))
    found = names.get(query)
    if found is None:
        close = difflib.get_close_matches(query, list(names), n=5, cutoff=0.6)
        close += [n for n in names if query in n and n not in close]
        shown = sorted({names[n][0] for n in close})[:6]
        hint = (
            "close matches: " + "; ".join(shown)
            if shown
            else "see 'oicplan watch fields' for every field"
        )
        raise InputError(f"unknown field {name!r}; {hint}", field="field")
    field, named_in = found
    having = [s for s in SOURCE_ORDER if field in catalog.get(s, [])
              and (not named_in or s in named_in)]
    if source is None:
        return having[0], field
    if source not in having:
        raise InputError(
            f"field {field!r} is not in source {source!r}; it is in {', '.join(having)}",
            field="field",
        )
    return source, field


class _Source:
    """One source as field x economy x year matrices: values, world shares and RTA.

    Computed once per source (vectorized over every field and year), then read.
    """

    def __init__(self, rows: pd.DataFrame, source: str) -> None:
        rows = rows.drop_duplicates(["field", "iso3", "year"])
        table = rows.set_index(["field", "iso3", "year"])["value"].astype(float)
        table = table.unstack("year").sort_index(axis=1)
        self.table = table
        pairs = rows[["iso3", "economy"]].drop_duplicates("iso3", keep="last")
        self.names = dict(zip(pairs["iso3"], pairs["economy"], strict=True))
        fields = table.index.get_level_values("field")
        nan = pd.DataFrame(float("nan"), index=table.index, columns=table.columns)
        if source in NO_SHARE:
            self.share = self.rta = nan
            return
        world = table.groupby(level="field").sum(min_count=1)  # field x year
        world_of_row = world.reindex(fields).to_numpy()
        self.share = (table / world_of_row).where(world_of_row > 0)
        totals = self._totals(table, source)
        if totals is None:
            self.rta = nan
            return
        own_total = totals.reindex(table.index.get_level_values("iso3")).to_numpy()
        world_share = world_of_row / totals.sum(axis=0, min_count=1).to_numpy()
        self.rta = ((table / own_total) / world_share).where(own_total > 0)

    @staticmethod
    def _totals(table: pd.DataFrame, source: str) -> pd.DataFrame | None:
        """iso3 x year all-fields totals (None where RTA is meaningless)."""
        if source in NO_RTA:
            return None
        fields = table.index.get_level_values("field").unique()
        total = TOTAL_FIELDS.get(source)
        if total is not None:
            return table.loc[total] if total in fields else None
        if len(fields) < 2:
            return None
        return table.groupby(level="iso3").sum(min_count=1)

    def field(self, field: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """iso3 x year values, shares and RTA of one field (empty frames if unknown)."""
        if not hasattr(self, "_fields"):
            self._fields: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = {}
        if field not in self._fields:
            if field not in self.table.index.get_level_values("field"):
                empty = pd.DataFrame(dtype=float)
                self._fields[field] = (empty, empty, empty)
            else:
                self._fields[field] = (self.table.loc[field], self.share.loc[field],
                                       self.rta.loc[field])
        return self._fields[field]


class _Index:
    """The field table grouped by source once (per frame), each source built on first use."""

    def __init__(self, values: pd.DataFrame) -> None:
        self.values = values
        self.rows = {str(s): rows for s, rows in values.groupby("source", sort=False)}
        self.sources: dict[str, _Source] = {}

    def source(self, source: str) -> _Source:
        if source not in self.sources:
            rows = self.rows.get(source)
            if rows is None:
                rows = self.values.iloc[0:0]
            self.sources[source] = _Source(rows, source)
        return self.sources[source]


_LAST: list[_Index] = []  # the index of the last field table used (one at a time)


def _index(values: pd.DataFrame) -> _Index:
    last = _LAST[0] if _LAST else None
    if last is not None and last.values is values:
        return last
    index = _Index(values)
    _LAST[:] = [index]
    return index


def _field(values: pd.DataFrame, source: str, field: str):
    return _index(values).source(source).field(field)


def _year_bounds(table: pd.DataFrame, source: str, field: str) -> tuple[int, int]:
    filled = table.notna().any(axis=0)
    years = [int(y) for y, has in filled.items() if has]
    if not years:
        raise InputError(f"no values for {field!r} in source {source!r}", field="field")
    return min(years), max(years)


def _window(
    table: pd.DataFrame, source: str, field: str, since: int | None, until: int | None,
    span: int,
) -> tuple[int, int]:
    first, last = _year_bounds(table, source, field)
    until = last if until is None else int(until)
    if not first < until <= last:
        raise InputError(
            f"{until} is outside {source}'s years for {field!r} ({first + 1}-{last})",
            field="until",
        )
    since = max(first, until - span) if since is None else int(since)
    if not first <= since < until:
        raise InputError(
            f"{since} must be from {first} and before the end year {until}", field="since"
        )
    return since, until


def _cagr(start: float, end: float, years: int) -> float | None:
    if not (start > 0 and end >= 0 and years > 0):
        return None
    return (end / start) ** (1.0 / years) - 1.0


def _sizes(values: pd.DataFrame, source: str, field: str, table: pd.DataFrame, year: int):
    """What ``min_size`` is compared with: the start value, or articles for top1pct."""
    if source != "top1pct":
        return table[year]
    article_field = field.split(" (")[0]  # "... (journals and conference proceedings)"
    articles = _field(values, "articles", article_field)[0]
    if year not in articles.columns:
        return pd.Series(float("nan"), index=table.index)
    return articles[year].reindex(table.index)


def economies_with(values: pd.DataFrame, source: str) -> set[str]:
    """The economies with any row in ``source``.

    >>> "DEU" in economies_with(load_field_values(), "patent_families")
    True
    """
    return set(_index(values).source(source).names)


def _economy_names(values: pd.DataFrame, source: str) -> dict[str, str]:
    return _index(values).source(source).names


def _get(frame: pd.DataFrame, iso3: str, year: int) -> float:
    try:
        return float(frame.at[iso3, year])
    except KeyError:
        return float("nan")


def _row(
    iso3: str, economy: str, source: str, field: str, years: tuple[int, int],
    values: tuple[float, float], shares: tuple[float, float], rtas: tuple[float, float],
) -> dict[str, Any]:
    since, until = years
    return {
        "iso3": iso3,
        "economy": economy,
        "field": field,
        "source": source,
        "start_year": int(since),
        "end_year": int(until),
        "start_value": float(values[0]),
        "end_value": float(values[1]),
        "cagr": _round(_cagr(float(values[0]), float(values[1]), int(until) - int(since))),
        "share_start": _round(float(shares[0])),
        "share_end": _round(float(shares[1])),
        "rta_start": _round(float(rtas[0])),
        "rta_end": _round(float(rtas[1])),
    }


def rising(
    values: pd.DataFrame,
    field: str,
    *,
    source: str | None = None,
    since: int | None = None,
    until: int | None = None,
    min_size: float | None = None,
    top: int | None = None,
) -> dict[str, Any]:
    """The economies whose value in ``field`` grew fastest from ``since`` to ``until``.

    Returns the object ``oicplan watch rising --json`` prints: ``field``, ``field_zh``,
    ``source``, ``unit``, ``since``, ``until``, ``min_size``, ``eligible`` (economies
    that passed the size filter), ``rows`` ranked by ``cagr`` (largest first, ties by
    iso3), at most ``top``. See the module docstring for the definitions.

    >>> out = rising(load_field_values(), "Artificial intelligence", since=2012, until=2022)
    >>> out["rows"][0]["rta_end"] is None, out["min_size"]
    (True, 100.0)
    """
    source, field = resolve_field(values, field, source=source)
    if top is not None and int(top) < 1:
        raise InputError(f"must be at least 1, got {top}", field="top")
    size = DEFAULT_MIN_SIZE[source] if min_size is None else float(min_size)
    if not size >= 0:
        raise InputError(f"must be 0 or more, got {min_size}", field="min_size")
    matrices = _field(values, source, field)
    table = matrices[0]
    since, until = _window(table, source, field, since, until, RISING_SPAN)
    sizes = _sizes(values, source, field, table, since)
    names = _economy_names(values, source)
    rows = []
    for iso3 in table.index:
        start_value, end_value = table.at[iso3, since], table.at[iso3, until]
        if pd.isna(start_value) or pd.isna(end_value) or not start_value > 0:
            continue
        if not sizes.get(iso3, float("nan")) >= size:
            continue
        share, rta = matrices[1], matrices[2]
        rows.append(_row(
            str(iso3), names.get(iso3, iso3), source, field, (since, until),
            (start_value, end_value), (_get(share, iso3, since), _get(share, iso3, until)),
            (_get(rta, iso3, since), _get(rta, iso3, until))))
    rows.sort(key=lambda r: (-(r["cagr"] if r["cagr"] is not None else -math.inf), r["iso3"]))
    unit = _index(values).rows[source]["unit"].iloc[0]
    return {
        "field": field,
        "field_zh": field_label(field, "zh", source),
        "source": source,
        "unit": str(unit),
        "since": since,
        "until": until,
        "min_size": size,
        "eligible": len(rows),
        "rows": rows[: int(top)] if top is not None else rows,
    }


def field_trends(
    values: pd.DataFrame,
    economies: Iterable[str],
    pairs: Iterable[tuple[str, str]],
    *,
    span: int = 10,
    until: int | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Each economy's trend in each ``(source, field)``: the :func:`rising` row and its series.

    The window ends at the last year the field has data (or ``until``) and starts
    ``span`` years before (not before the first year with a value). ``series`` lists
    ``[year, value]`` of every year of the window with a value (the sparkline); a
    pair without two values for an economy is left out of its list.

    >>> trends = field_trends(load_field_values(), ["KOR"], [("pct", "Chemistry")])
    >>> row = trends["KOR"][0]
    >>> row["start_year"], row["end_year"], len(row["series"]), row["economy"]
    (2012, 2022, 11, 'South Korea')
    """
    economies = [str(e) for e in economies]
    out: dict[str, list[dict[str, Any]]] = {iso3: [] for iso3 in economies}
    for source, field in pairs:
        matrices = _field(values, source, field)
        table = matrices[0]
        present = [iso3 for iso3 in economies if iso3 in table.index]
        if not present:
            continue
        first, last = _year_bounds(table, source, field)
        end_year = last if until is None else min(int(until), last)
        names = _economy_names(values, source)
        window = [y for y in table.columns if end_year - span <= int(y) <= end_year]
        numbers, shares, rtas = (m.reindex(index=present, columns=window).to_numpy()
                                 for m in matrices)
        years = np.asarray(window, dtype=int)
        for i, iso3 in enumerate(present):
            filled = np.flatnonzero(~np.isnan(numbers[i]))
            if len(filled) < 2:
                continue
            a, b = filled[0], filled[-1]
            row = _row(iso3, names.get(iso3, iso3), source, field, (years[a], years[b]),
                       (numbers[i, a], numbers[i, b]), (shares[i, a], shares[i, b]),
                       (rtas[i, a], rtas[i, b]))
            row["field_zh"] = field_label(field, "zh", source)
            row["series"] = [[int(years[j]), float(numbers[i, j])] for j in filled]
            out[iso3].append(row)
    return out
