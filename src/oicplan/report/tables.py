"""The report's tables, once, for the downloads: Excel (one sheet each), Word and PDF.

Every table is built from the same two things the HTML report is built from:
the report context (:func:`oicplan.report.render.report_context`, wording already
in the report's language) and the plan document (:meth:`oicplan.plan.Plan.to_dict`,
the content of ``plan.json``). Words come from the context; where the context
holds a number formatted for reading (``"0.578"``, ``"1,234.00"``, ``"100%"``) a
cell holds the number itself (:func:`cell_value`), and the chosen sites' numbers
(score, pillars, rank interval, costs) are those of the plan document, unrounded,
so a spreadsheet of the chosen sites equals ``plan.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from oicplan.report.messages import pillar_name, text

__all__ = [
    "Table",
    "cell_value",
    "clean_text",
    "chosen_table",
    "direction_text",
    "report_tables",
    "summary_rows",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


@dataclass(frozen=True)
class Table:
    """One table of the report: a stable ``key``, its sheet name, heading, header and rows.

    ``percent`` names the columns (by index) whose numbers are shares (0..1).
    """

    key: str
    sheet: str
    title: str
    headers: list[str]
    rows: list[list[object]]
    note: str = ""
    percent: frozenset[int] = field(default_factory=frozenset)


def clean_text(value: object) -> str:
    """``value`` as text without the control characters that XML (xlsx, docx) refuses.

    A name or title from a user's file may hold one; it is dropped, not an error.

    >>> clean_text("Vienna\x0b"), clean_text(None), clean_text(3)
    ('Vienna', '', '3')
    """
    return "" if value is None else _CONTROL.sub("", str(value))


def cell_value(value: object) -> object:
    """The value a spreadsheet cell holds: numbers as numbers, a gap (``—``) as empty.

    >>> cell_value("1,234.50"), cell_value("0.578"), cell_value("12"), cell_value("85%")
    (1234.5, 0.578, 12, 0.85)
    >>> cell_value("—") is None, cell_value("3 [3–5]"), cell_value(True)
    (True, '3 [3–5]', True)
    """
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if stripped in ("", "—", "-"):
        return None
    if _NUMBER.match(stripped):
        plain = stripped.replace(",", "")
        return float(plain) if "." in plain else int(plain)
    if _PERCENT.match(stripped):
        return round(float(stripped[:-1]) / 100, 10)
    return value


def _t(context: dict, key: str, **values: object) -> str:
    return text(key, context["lang"], **values)


def direction_text(context: dict, direction: str) -> str:
    """An indicator's direction in words (``max``: higher is better)."""
    if direction in ("max", "min"):
        return _t(context, f"download_direction_{direction}")
    return direction


def summary_rows(context: dict) -> list[list[object]]:
    """Label and value of the plan's facts: title, scenario, dataset, summary, method."""
    rows: list[list[object]] = [
        [_t(context, "report_title"), context["title"]],
        [_t(context, "scenario"), context["scenario"]],
        [_t(context, "dataset_version"), context["dataset_version"]],
        [_t(context, "created"), context["created"]],
        [_t(context, "summary"), context["summary"]],
        [_t(context, "method"), context["method"]],
        [_t(context, "download_selection_rule"), context["selection_rule"]],
        [_t(context, "uncertainty"), context["uncertainty_note"]],
    ]
    if context.get("notes"):
        rows.append([_t(context, "notes"), "; ".join(context["notes"])])
    return rows


def chosen_table(context: dict, document: dict) -> Table:
    """The chosen sites: words from the context, numbers from the plan document.

    Both list the plan's chosen sites in the same order (the plan's own); a
    mismatch is a programming error and raises ``ValueError``.
    """
    sites = document["sites"]
    rows_ctx = context["chosen"]
    if [row["rank"] for row in rows_ctx] != [site["rank"] for site in sites]:
        raise ValueError("the report context and the plan document list different sites")
    lang = context["lang"]
    pillars = list(sites[0]["pillars"]) if sites else []
    headers = [
        _t(context, "download_site_id"),
        _t(context, "rank"),
        _t(context, "site"),
        _t(context, "country"),
        "ISO3",
        _t(context, "site_type"),
        _t(context, "strategy"),
        _t(context, "mode"),
        _t(context, "score"),
        _t(context, "download_median_rank"),
        _t(context, "download_rank_p5"),
        _t(context, "download_rank_p95"),
        *[pillar_name(p, lang) for p in pillars],
        _t(context, "robust"),
        _t(context, "setup_cost"),
        _t(context, "annual_cost"),
        _t(context, "year"),
        _t(context, "why_mode"),
    ]
    rows = []
    for words, site in zip(rows_ctx, sites, strict=True):
        interval = site.get("rank_interval") or {}
        rows.append(
            [
                site["site_id"],
                site["rank"],
                words["name"],
                words["country"],
                site["iso3"],
                words["site_type"],
                words["strategy"],
                words["mode"],
                site["score"],
                interval.get("median"),
                interval.get("p5"),
                interval.get("p95"),
                *[site["pillars"].get(p) for p in pillars],
                site.get("robustness_share"),
                site.get("setup_cost"),
                site.get("annual_cost"),
                site.get("year"),
                words["mode_reason"],
            ]
        )
    robust_column = headers.index(_t(context, "robust"))
    return Table(
        key="chosen",
        sheet=_t(context, "chosen_sites"),
        title=_t(context, "chosen_sites"),
        headers=headers,
        rows=rows,
        note=context["selection_rule"],
        percent=frozenset({robust_column}),
    )


def _pillars_table(context: dict) -> Table:
    """Each pillar's weight, and each chosen site's score on it (the pillar profiles)."""
    sites = context["chosen"]
    rows = [
        [name, cell_value(weight), *[cell_value(site["pillars"][i]) for site in sites]]
        for i, (name, weight) in enumerate(context["weights"])
    ]
    return Table(
        key="pillars",
        sheet=_t(context, "download_sheet_pillars"),
        title=_t(context, "pillar_profiles"),
        headers=[_t(context, "pillar"), _t(context, "weights"), *[s["name"] for s in sites]],
        rows=rows,
        note=_t(context, "risk_note"),
    )


def _portfolio_tables(context: dict) -> list[Table]:
    portfolio = context.get("portfolio")
    if not portfolio:
        return []
    rows: list[list[object]] = [
        [_t(context, "status"), portfolio["status"]],
        [_t(context, "setup_cost"), cell_value(portfolio["setup"])],
        [_t(context, "annual_cost"), cell_value(portfolio["annual"])],
    ]
    if portfolio.get("gap") is not None:
        rows.append([_t(context, "download_gap"), portfolio["gap"]])
    rows += [[_t(context, "constraints_technical"), item] for item in portfolio["constraints"]]
    rows += [[_t(context, "assumptions_technical"), item] for item in portfolio["assumptions"]]
    tables = [
        Table(
            key="portfolio",
            sheet=_t(context, "download_sheet_portfolio"),
            title=_t(context, "portfolio"),
            headers=[_t(context, "download_item"), _t(context, "download_value")],
            rows=rows,
            note=_t(
                context,
                "portfolio_text",
                status=portfolio["status"],
                setup=portfolio["setup"],
                annual=portfolio["annual"],
            ),
        ),
        Table(
            key="phasing",
            sheet=_t(context, "download_sheet_phasing"),
            title=_t(context, "timeline"),
            headers=[_t(context, "year"), _t(context, "site")],
            rows=[[step["year"], step["sites"]] for step in portfolio["timeline"]],
            note="" if portfolio["timeline"] else _t(context, "download_no_phasing"),
        ),
    ]
    for frontier in portfolio["frontiers"]:
        tables.append(
            Table(
                key=f"frontier_{frontier['against']}",
                sheet=_t(context, f"download_sheet_frontier_{frontier['against']}"),
                title=frontier["title"],
                headers=[
                    frontier["cap"],
                    _t(context, "pareto_cost"),
                    _t(context, "pareto_risk"),
                    _t(context, "pareto_benefit"),
                    _t(context, "pareto_centers"),
                    _t(context, "status"),
                ],
                rows=[
                    [
                        cell_value(row["cap"]),
                        cell_value(row["cost"]),
                        cell_value(row["risk"]),
                        cell_value(row["benefit"]),
                        row["centers"],
                        row["status"],
                    ]
                    for row in frontier["rows"]
                ],
                note=frontier["note"],
            )
        )
    return tables


def _network_table(context: dict) -> list[Table]:
    network = context.get("network")
    if not network:
        return []
    rows: list[list[object]] = [
        [_t(context, "download_nodes"), network["nodes"]],
        [_t(context, "download_edges"), network["edges"]],
        [_t(context, "download_density"), cell_value(network["density"])],
        [_t(context, "download_components"), network["components"]],
        [_t(context, "download_brokers"), network["brokers"]],
    ]
    rows += [[_t(context, "gaps"), gap] for gap in network["gaps"]]
    return [
        Table(
            key="network",
            sheet=_t(context, "download_sheet_network"),
            title=_t(context, "network"),
            headers=[_t(context, "download_item"), _t(context, "download_value")],
            rows=rows,
            note=_t(
                context,
                "network_text",
                nodes=network["nodes"],
                edges=network["edges"],
                density=network["density"],
                components=network["components"],
                brokers=network["brokers"],
            ),
        )
    ]


def report_tables(context: dict, document: dict) -> list[Table]:
    """Every table of the report, in the report's order (one sheet each in the workbook).

    ``context`` is :func:`oicplan.report.render.report_context`; ``document`` is
    the plan document (``plan.to_dict()``).
    """
    pillar_names = context["pillar_names"]
    tables = [
        Table(
            key="summary",
            sheet=_t(context, "download_sheet_summary"),
            title=_t(context, "summary"),
            headers=[_t(context, "download_item"), _t(context, "download_value")],
            rows=summary_rows(context),
        ),
        chosen_table(context, document),
        _pillars_table(context),
        *_portfolio_tables(context),
        Table(
            key="match",
            sheet=_t(context, "download_sheet_match"),
            title=_t(context, "match_title"),
            headers=[
                _t(context, "site"),
                _t(context, "match_industries"),
                _t(context, "match_evidence"),
            ],
            rows=[[r["site"], r["industries"], r["evidence"]] for r in context["match_rows"]],
            note=_t(context, "match_note", preset=context["match_preset"]),
        ),
        Table(
            key="modes",
            sheet=_t(context, "download_sheet_modes"),
            title=_t(context, "modes_title"),
            headers=[
                _t(context, "site"),
                _t(context, "mode"),
                _t(context, "mode_score"),
                _t(context, "download_planned"),
                _t(context, "reasons"),
            ],
            rows=[
                [
                    site["site"],
                    m["mode"],
                    cell_value(m["score"]),
                    "✓" if m["planned"] else "",
                    m["reasons"],
                ]
                for site in context["mode_profiles"]
                for m in site["modes"]
            ]
            + [
                [site["site"], f"{_t(context, 'park_view')}: {name}", cell_value(value), "", ""]
                for site in context["mode_profiles"]
                for name, value in site["park"]
            ],
            note=_t(context, "modes_note"),
        ),
        *_network_table(context),
        Table(
            key="ranked",
            sheet=_t(context, "ranked_candidates"),
            title=_t(context, "ranked_candidates"),
            headers=[
                _t(context, "rank"),
                _t(context, "site"),
                _t(context, "country"),
                _t(context, "site_type"),
                _t(context, "score"),
                _t(context, "rank_interval"),
                *pillar_names,
                _t(context, "download_chosen"),
            ],
            rows=[
                [
                    row["rank"],
                    row["name"],
                    row["country"],
                    row["site_type"],
                    cell_value(row["score"]),
                    row["interval"],
                    *[cell_value(v) for v in row["pillars"]],
                    "✓" if row["chosen"] else "",
                ]
                for row in context["ranked"]
            ],
            note=_t(context, "risk_note"),
        ),
        Table(
            key="indicators",
            sheet=_t(context, "download_sheet_indicators"),
            title=_t(context, "indicators"),
            headers=[
                _t(context, "pillar"),
                _t(context, "code"),
                _t(context, "indicator"),
                _t(context, "download_direction"),
                _t(context, "source"),
                _t(context, "years"),
            ],
            rows=[
                [
                    r["pillar"],
                    r["code"],
                    r["title"],
                    direction_text(context, r["direction"]),
                    r["source"],
                    r["years"],
                ]
                for r in context["indicators"]
            ],
        ),
        Table(
            key="sources",
            sheet=_t(context, "sources"),
            title=_t(context, "sources"),
            headers=[
                "id",
                _t(context, "source"),
                _t(context, "licence"),
                _t(context, "as_of"),
                _t(context, "download_citation"),
            ],
            rows=[
                [
                    s.get("id", ""),
                    s.get("title", ""),
                    s.get("licence", ""),
                    s.get("as_of", ""),
                    s.get("citation", ""),
                ]
                for s in context["sources"]
            ],
        ),
        Table(
            key="gaps",
            sheet=_t(context, "download_sheet_gaps"),
            title=_t(context, "gaps"),
            headers=[_t(context, "download_gap_item")],
            rows=[[gap] for gap in context["gaps"]],
        ),
        Table(
            key="screened",
            sheet=_t(context, "download_sheet_screened"),
            title=_t(context, "screened"),
            headers=[_t(context, "site"), _t(context, "reasons")],
            rows=[[site, why] for site, why in context["screened"].items()],
        ),
    ]
    return tables
