"""The report's technology watch (plan.json's ``technology_watch``), in one language.

For each economy hosting a chosen site or an existing center: its strongest fields
of Zhejiang's priority industries (by revealed technological advantage at the end
of the window) in its technology data (patent families or PCT areas) and in
publications, each with its growth, RTA at both ends and a small trend chart. The
numbers come from the plan document (:mod:`oicplan.techwatch.section`); the wording
from :mod:`oicplan.report.messages`.

The trend charts are sparklines written directly as a few SVG elements (a
polyline scaled to the series' own range, the last point marked) rather than
matplotlib figures: a plan shows up to ~100 of them, and a matplotlib figure
costs 30-60 ms to save, seconds in all, while the plan must stay quick. The
Markdown report draws the same series with Unicode block characters.

>>> section = watch_section({"sites": [], "existing_centers": [], "technology_watch": {
...     "span": 10, "notes": [], "economies": [{"iso3": "KOR", "economy": "South Korea",
...     "sites": ["KOR-seoul"], "roles": ["chosen"], "tier": "pct", "tier_reason": "x",
...     "fields": [{"source": "pct", "field": "Chemistry", "field_zh": "化学",
...                 "start_year": 2012, "end_year": 2022, "start_value": 10.0,
...                 "end_value": 20.0, "cagr": 0.0718, "share_start": 0.1, "share_end": 0.2,
...                 "rta_start": 0.9, "rta_end": 1.2, "industries": [],
...                 "series": [[2012, 10.0], [2017, 12.0], [2022, 20.0]]}]}]}},
...     "en", {"KOR": "South Korea"})
>>> row = section["economies"][0]["rows"][0]
>>> row["field"], row["growth"], row["rta"], row["spark_text"]
('Chemistry', '+7.2%', '0.90 → 1.20', '▁▂█')
>>> row["spark_svg"].startswith("<svg")
True
"""

from __future__ import annotations

from html import escape
from typing import Any

from oicplan.report.messages import text

__all__ = ["SCIENCE_ROWS", "TECH_ROWS", "sparkline_svg", "sparkline_text", "watch_section"]

TECH_ROWS = 6
"""How many technology fields (patent families or PCT areas) an economy shows."""
SCIENCE_ROWS = 3
"""How many publication disciplines an economy shows."""

_BLOCKS = "▁▂▃▄▅▆▇█"
_WIDTH, _HEIGHT, _PAD = 84.0, 20.0, 2.5
_LINE = "#1f6feb"
_LAST = "#c0392b"


def _scaled(series: list[list[float]]) -> list[float]:
    values = [float(v) for _, v in series]
    low, high = min(values), max(values)
    span = high - low
    return [0.5 if span == 0 else (v - low) / span for v in values]


def sparkline_svg(series: list[list[float]], label: str = "") -> str:
    """A small trend chart of ``[[year, value], ...]`` as inline SVG (empty under 2 points).

    >>> sparkline_svg([[2020, 1.0], [2021, 3.0]], "x").count("<polyline")
    1
    """
    if len(series) < 2:
        return ""
    years = [float(y) for y, _ in series]
    first, last = years[0], years[-1]
    width = _WIDTH - 2 * _PAD
    height = _HEIGHT - 2 * _PAD
    points = [
        (_PAD + width * (y - first) / (last - first if last > first else 1.0),
         _PAD + height * (1.0 - s))
        for y, s in zip(years, _scaled(series), strict=True)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    x, y = points[-1]
    return (
        f'<svg class="spark" width="{_WIDTH:g}" height="{_HEIGHT:g}" '
        f'viewBox="0 0 {_WIDTH:g} {_HEIGHT:g}" role="img" aria-label="{escape(label)}">'
        f'<polyline fill="none" stroke="{_LINE}" stroke-width="1.3" points="{path}"/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{_LAST}"/></svg>'
    )


def sparkline_text(series: list[list[float]]) -> str:
    """The series as Unicode blocks, one per year with a value.

    >>> sparkline_text([[2020, 1.0], [2021, 2.0], [2022, 3.0]])
    '▁▅█'
    """
    if len(series) < 2:
        return ""
    return "".join(_BLOCKS[min(len(_BLOCKS) - 1, int(s * (len(_BLOCKS) - 1) + 0.5))]
                   for s in _scaled(series))


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _row(field: dict[str, Any], lang: str, industries: dict[str, str]) -> dict[str, Any]:
    name = field["field_zh"] if lang == "zh" else field["field"]
    rta = ""
    if field["rta_start"] is not None and field["rta_end"] is not None:
        rta = f"{field['rta_start']:.2f} → {field['rta_end']:.2f}"
    growth = "" if field["cagr"] is None else f"{field['cagr'] * 100:+.1f}%"
    sep = "、" if lang == "zh" else ", "
    return {
        "field": name,
        "source": text(f"watch_source_{field['source']}", lang),
        "years": f"{field['start_year']}–{field['end_year']}",
        "values": f"{_number(field['start_value'])} → {_number(field['end_value'])}",
        "growth": growth,
        "rta": rta,
        "industries": sep.join(industries.get(i, i) for i in field["industries"]),
        "spark_svg": sparkline_svg(field["series"], name),
        "spark_text": sparkline_text(field["series"]),
    }


def _strongest(fields: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return sorted(fields, key=lambda f: -(f["rta_end"] if f["rta_end"] is not None else -1.0))[
        :count]


def _industry_names(lang: str) -> dict[str, str]:
    from oicplan.match.taxonomy import load_taxonomy

    key = "name_zh" if lang == "zh" else "name_en"
    return {item["id"]: item[key] for item in load_taxonomy().industries}


def watch_section(
    document: dict[str, Any], lang: str, countries: dict[str, str]
) -> dict[str, Any] | None:
    """Per economy: heading, data note and rows of its strongest fields; None without a watch.

    ``countries`` maps iso3 to the country's name in ``lang``.
    """
    watch = document.get("technology_watch")
    if not watch or not watch.get("economies"):
        return None
    site_names: dict[str, str] = {}
    for site in [*document.get("sites", []), *document.get("existing_centers", [])]:
        site_names[site["site_id"]] = (site.get("name_zh") if lang == "zh" else None) or site[
            "name"]
    industries = _industry_names(lang)
    sep = "、" if lang == "zh" else ", "
    economies = []
    for economy in watch["economies"]:
        tech = [f for f in economy["fields"] if f["source"] != "articles"]
        science = [f for f in economy["fields"] if f["source"] == "articles"]
        rows = [_row(f, lang, industries)
                for f in _strongest(tech, TECH_ROWS) + _strongest(science, SCIENCE_ROWS)]
        roles = sep.join(text(f"watch_role_{role}", lang) for role in economy["roles"])
        tier = economy["tier"] or "none"
        economies.append({
            "iso3": economy["iso3"],
            "name": countries.get(economy["iso3"]) or economy["economy"] or economy["iso3"],
            "sites": sep.join(site_names.get(s, s) for s in economy["sites"]),
            "roles": roles,
            "data": text(f"watch_tier_{tier}", lang),
            "rows": rows,
            "empty": text("watch_no_data", lang) if not rows else "",
        })
    return {
        "economies": economies,
        "intro": text("watch_intro", lang, span=watch["span"], tech=TECH_ROWS,
                      science=SCIENCE_ROWS),
        "headers": [text(key, lang) for key in (
            "watch_field", "watch_data", "watch_years", "watch_values", "watch_growth",
            "watch_rta", "watch_trend", "watch_industries")],
    }
