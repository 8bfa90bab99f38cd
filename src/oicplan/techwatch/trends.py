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


class _Index:
    """The field table grouped once: rows and iso3 x year tables per (source, field)."""

    def __init__(self, values: pd.DataFrame) -> None:
        self.values = values
        self.groups = {
            (str(s), str(f)): rows for (s, f), rows in values.groupby(["source", "field"])
        }
        self.tables: dict[tuple[str, str], pd.DataFrame] = {}
        self.names: dict[str, dict[str, str]] = {}

    def table(self, source: str, field: str) -> pd.DataFrame:
        key = (source, field)
        if key not in self.tables:
            rows = self.groups.get(key)
            if rows is None:
                self.tables[key] = pd.DataFrame(dtype=float)
            else:
                table = rows.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])
                self.tables[key] = table["value"].astype(float).unstack().sort_index(axis=1)
        return self.tables[key]

    def names_of(self, source: str) -> dict[str, str]:
        """iso3 -> economy name of the rows of ``source``."""
        if source not in self.names:
            names: dict[str, str] = {}
            for (s, _), rows in self.groups.items():
                if s == source:
                    pairs = rows[["iso3", "economy"]].drop_duplicates("iso3", keep="last")
                    names.update(zip(pairs["iso3"], pairs["economy"], strict=True))
            self.names[source] = names
        return self.names[source]


_LAST: list[_Index] = []  # the index of the last field table used (one at a time)


def _index(values: pd.DataFrame) -> _Index:
    last = _LAST[0] if _LAST else None
    if last is not None and last.values is values:
        return last
    index = _Index(values)
    _LAST[:] = [index]
    return index


def _pivot(values: pd.DataFrame, source: str, field: str) -> pd.DataFrame:
    return _index(values).table(source, field)


def _totals(values: pd.DataFrame, source: str) -> pd.DataFrame | None:
    """iso3 x year all-fields totals of ``source`` (None where RTA is meaningless)."""
    if source in NO_RTA:
        return None
    total = TOTAL_FIELDS.get(source)
    if total is not None:
        return _pivot(values, source, total)
    fields = [f for (s, f) in _index(values).groups if s == source]
    if len(fields) < 2:
        return None
    return sum((_pivot(values, source, f).fillna(0.0) for f in fields[1:]),
               _pivot(values, source, fields[0]).fillna(0.0))


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


def _measures(
    table: pd.DataFrame, totals: pd.DataFrame | None, source: str, year: int
) -> tuple[pd.Series, pd.Series]:
    """Share and RTA of every economy in ``year`` (NaN where undefined)."""
    column = table[year] if year in table.columns else pd.Series(dtype=float)
    nan = pd.Series(float("nan"), index=table.index)
    if source in NO_SHARE:
        return nan, nan
    world = column.sum(skipna=True)
    share = column / world if world > 0 else nan
    if totals is None or year not in totals.columns:
        return share, nan
    own_total = totals[year].reindex(table.index)
    world_share = world / totals[year].sum(skipna=True)
    rta = (column / own_total) / world_share
    return share, rta.where(own_total > 0)


def _cagr(start: float, end: float, years: int) -> float | None:
    if not (start > 0 and end >= 0 and years > 0):
        return None
    return (end / start) ** (1.0 / years) - 1.0


def _sizes(values: pd.DataFrame, source: str, field: str, table: pd.DataFrame, year: int):
    """What ``min_size`` is compared with: the start value, or articles for top1pct."""
    if source != "top1pct":
        return table[year]
    article_field = field.split(" (")[0]  # "... (journals and conference proceedings)"
    articles = _pivot(values, "articles", article_field)
    if year not in articles.columns:
        return pd.Series(float("nan"), index=table.index)
    return articles[year].reindex(table.index)


def economies_with(values: pd.DataFrame, source: str) -> set[str]:
    """The economies with any row in ``source``.

    >>> "DEU" in economies_with(load_field_values(), "patent_families")
    True
    """
    index = _index(values)
    return set(index.names_of(source))


def _economy_names(values: pd.DataFrame, source: str) -> dict[str, str]:
    return _index(values).names_of(source)


def _row(
    iso3: str, economy: str, source: str, field: str, since: int, until: int,
    table: pd.DataFrame, start: tuple[pd.Series, pd.Series], end: tuple[pd.Series, pd.Series],
) -> dict[str, Any]:
    start_value = float(table.at[iso3, since])
    end_value = float(table.at[iso3, until])
    return {
        "iso3": iso3,
        "economy": economy,
        "field": field,
        "source": source,
        "start_year": since,
        "end_year": until,
        "start_value": start_value,
        "end_value": end_value,
        "cagr": _round(_cagr(start_value, end_value, until - since)),
        "share_start": _round(float(start[0].get(iso3, float("nan")))),
        "share_end": _round(float(end[0].get(iso3, float("nan")))),
        "rta_start": _round(float(start[1].get(iso3, float("nan")))),
        "rta_end": _round(float(end[1].get(iso3, float("nan")))),
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
    table = _pivot(values, source, field)
    since, until = _window(table, source, field, since, until, RISING_SPAN)
    totals = _totals(values, source)
    start, end = _measures(table, totals, source, since), _measures(table, totals, source, until)
    sizes = _sizes(values, source, field, table, since)
    names = _economy_names(values, source)
    rows = []
    for iso3 in table.index:
        start_value, end_value = table.at[iso3, since], table.at[iso3, until]
        if pd.isna(start_value) or pd.isna(end_value) or not start_value > 0:
            continue
        if not sizes.get(iso3, float("nan")) >= size:
            continue
        rows.append(_row(str(iso3), names.get(iso3, iso3), source, field, since, until,
                         table, start, end))
    rows.sort(key=lambda r: (-(r["cagr"] if r["cagr"] is not None else -math.inf), r["iso3"]))
    unit = values.loc[values["source"] == source, "unit"].iloc[0]
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
    totals_of: dict[str, pd.DataFrame | None] = {}
    for source, field in pairs:
        table = _pivot(values, source, field)
        present = [iso3 for iso3 in economies if iso3 in table.index]
        if not present:
            continue
        first, last = _year_bounds(table, source, field)
        end_year = last if until is None else min(int(until), last)
        if source not in totals_of:
            totals_of[source] = _totals(values, source)
        names = _economy_names(values, source)
        measures: dict[int, tuple[pd.Series, pd.Series]] = {}
        for iso3 in present:
            own = table.loc[iso3]
            years = [int(y) for y in own.index
                     if end_year - span <= int(y) <= end_year and pd.notna(own[y])]
            if len(years) < 2:
                continue
            for year in (years[0], years[-1]):
                if year not in measures:
                    measures[year] = _measures(table, totals_of[source], source, year)
            row = _row(iso3, names.get(iso3, iso3), source, field, years[0], years[-1],
                       table, measures[years[0]], measures[years[-1]])
            row["field_zh"] = field_label(field, "zh", source)
            row["series"] = [[y, float(own[y])] for y in years]
            out[iso3].append(row)
    return out
