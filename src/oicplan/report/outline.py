"""The plan as a document outline: the Word and the PDF downloads walk the same one.

:func:`document_outline` turns the report context (the one the HTML report is
made from) into a list of blocks in reading order: headings, paragraphs, notes,
tables, charts and bullet lists. :mod:`oicplan.report.word` and
:mod:`oicplan.report.pdf` only draw blocks, so the two documents say the same in
the same order, and a section added here appears in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oicplan.report.tables import direction_text, summary_rows

__all__ = ["Block", "document_outline"]


@dataclass(frozen=True)
class Block:
    """One block of the document.

    ``kind`` is ``heading`` (``level`` 0 is the title), ``text``, ``note``
    (small print under a table or chart), ``table`` (``headers``, ``rows`` and
    relative column ``widths``), ``chart`` (``key`` of
    :func:`oicplan.report.images.chart_pictures`) or ``bullets`` (``items``).
    """

    kind: str
    text: str = ""
    level: int = 1
    headers: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    key: str = ""
    items: list[str] = field(default_factory=list)


def _heading(text: str, level: int = 1) -> Block:
    return Block("heading", text=text, level=level)


def _text(text: str) -> Block:
    return Block("text", text=text)


def _note(text: str) -> Block:
    return Block("note", text=text)


def _table(headers: list[str], rows: list[list[object]], widths: list[float] | None = None):
    return Block("table", headers=headers, rows=rows, widths=widths or [1.0] * len(headers))


def _chosen(context: dict) -> list[Block]:
    t = context["t"]
    blocks = [
        _heading(t("chosen_sites")),
        _table(
            [
                t("rank"),
                t("site"),
                t("country"),
                t("site_type"),
                t("strategy"),
                t("mode"),
                t("score"),
                t("rank_interval"),
            ],
            [
                [
                    s["rank"],
                    s["name"],
                    s["country"],
                    s["site_type"],
                    s["strategy"],
                    s["mode"],
                    s["score"],
                    s["interval"],
                ]
                for s in context["chosen"]
            ],
            [0.7, 1.4, 1.3, 1.2, 1.5, 1.6, 0.8, 1.0],
        ),
        _note(context["selection_rule"]),
    ]
    portfolio = context.get("portfolio")
    if portfolio:
        # The opening years are in the phasing table (by year) further on.
        blocks += [
            _heading(t("download_costs"), 2),
            _table(
                [t("site"), t("robust"), t("setup_cost"), t("annual_cost")],
                [
                    [s["name"], s["robust"], s["setup_cost"], s["annual_cost"]]
                    for s in context["chosen"]
                ],
            ),
        ]
        if portfolio.get("robustness_samples"):
            blocks.append(_note(t("robust_note", samples=portfolio["robustness_samples"])))
    blocks += [
        _heading(t("why_mode"), 2),
        _table(
            [t("site"), t("mode"), t("why_mode")],
            [[s["name"], s["mode"], s["mode_reason"]] for s in context["chosen"]],
            [1.2, 1.6, 3],
        ),
    ]
    return blocks


def _portfolio(context: dict) -> list[Block]:
    t = context["t"]
    portfolio = context.get("portfolio")
    if not portfolio:
        return []
    blocks = [
        _heading(t("portfolio")),
        _text(
            t(
                "portfolio_text",
                status=portfolio["status"],
                setup=portfolio["setup"],
                annual=portfolio["annual"],
            )
        ),
        _heading(t("timeline"), 2),
    ]
    if portfolio["timeline"]:
        blocks.append(
            _table(
                [t("year"), t("site")],
                [[step["year"], step["sites"]] for step in portfolio["timeline"]],
                [1, 6],
            )
        )
    else:
        blocks.append(_note(t("download_no_phasing")))
    for frontier in portfolio["frontiers"]:
        blocks += [
            _heading(frontier["title"], 2),
            Block("chart", key=f"frontier_{frontier['against']}"),
            _table(
                [
                    frontier["cap"],
                    t("pareto_cost"),
                    t("pareto_risk"),
                    t("pareto_benefit"),
                    t("pareto_centers"),
                    t("status"),
                ],
                [
                    [r["cap"], r["cost"], r["risk"], r["benefit"], r["centers"], r["status"]]
                    for r in frontier["rows"]
                ],
            ),
            _note(frontier["note"]),
        ]
    if portfolio["constraints"]:
        blocks.append(_note(f"{t('constraints_technical')}: {'; '.join(portfolio['constraints'])}"))
    blocks.append(_note(f"{t('assumptions_technical')}: {'; '.join(portfolio['assumptions'])}"))
    return blocks


def _analysis(context: dict) -> list[Block]:
    """Network, match, map, pillar profiles, modes, uncertainty and sensitivity."""
    t = context["t"]
    blocks: list[Block] = []
    network = context.get("network")
    if network:
        blocks += [
            _heading(t("network")),
            _text(
                t(
                    "network_text",
                    nodes=network["nodes"],
                    edges=network["edges"],
                    density=network["density"],
                    components=network["components"],
                    brokers=network["brokers"],
                )
            ),
            Block("chart", key="network"),
            Block("bullets", items=list(network["gaps"])),
        ]
    if context["match_rows"]:
        blocks += [
            _heading(t("match_title")),
            _table(
                [t("site"), t("match_industries"), t("match_evidence")],
                [[r["site"], r["industries"], r["evidence"]] for r in context["match_rows"]],
                [1, 2, 3],
            ),
            _note(t("match_note", preset=context["match_preset"])),
        ]
    blocks += [
        _heading(t("map")),
        Block("chart", key="map"),
        _note(context["map_note"]),
        _heading(t("pillar_profiles")),
        Block("chart", key="profiles"),
        _note(t("risk_note")),
    ]
    profiles = context["mode_profiles"]
    if profiles:
        park_names = [name for name, _ in profiles[0]["park"]]
        blocks += [
            _heading(t("modes_title")),
            _table(
                [t("site"), t("mode"), t("mode_score"), t("reasons")],
                [
                    [
                        site["site"],
                        m["mode"] + (" ✓" if m["planned"] else ""),
                        m["score"],
                        m["reasons"],
                    ]
                    for site in profiles
                    for m in site["modes"]
                ],
                [1.2, 1.8, 0.8, 4],
            ),
            _heading(t("park_view"), 2),
            _table(
                [t("site"), *park_names],
                [[site["site"], *[value for _, value in site["park"]]] for site in profiles],
                [2] + [1] * len(park_names),
            ),
            _note(t("modes_note")),
        ]
    local = context.get("local")
    if local:
        blocks += [
            _heading(t("local_title")),
            _table(
                local["headers"],
                [[r["site"], r["orgs"], r["airports"], r["cluster"], r["hosts"], r["coverage"]]
                 for r in local["rows"]],
                [1.2, 2.6, 1.2, 0.8, 3, 0.8],
            ),
            _note(local["note"]),
        ]
    if context.get("intervals_svg"):
        blocks += [
            _heading(t("uncertainty")),
            Block("chart", key="intervals"),
            _note(context["uncertainty_note"]),
        ]
    blocks += [
        _heading(t("sensitivity")),
        Block("chart", key="sobol"),
        Block("chart", key="correlation"),
        _note(t("sensitivity_note")),
    ]
    return blocks


def _method_and_data(context: dict) -> list[Block]:
    t = context["t"]
    blocks = [
        _heading(t("ranked_candidates")),
        _table(
            [
                t("rank"),
                t("site"),
                t("country"),
                t("site_type"),
                t("score"),
                t("rank_interval"),
                t("download_chosen"),
            ],
            [
                [
                    r["rank"],
                    r["name"],
                    r["country"],
                    r["site_type"],
                    r["score"],
                    r["interval"],
                    "✓" if r["chosen"] else "",
                ]
                for r in context["ranked"]
            ],
            [0.75, 1.5, 1.3, 1.3, 0.8, 1.1, 0.7],
        ),
        _heading(t("method")),
        _text(context["method"]),
        _table([t("pillar"), t("weights")], [list(pair) for pair in context["weights"]], [3, 1]),
    ]
    if context["notes"]:
        blocks.append(_note(f"{t('notes')}: {'; '.join(context['notes'])}"))
    if context["screened"]:
        screened = "; ".join(f"{site} ({why})" for site, why in context["screened"].items())
        blocks.append(_note(f"{t('screened')}: {screened}"))
    if context.get("assumption_rows"):
        blocks += [
            _heading(t("assumptions_title"), 2),
            _table(
                [t("assumption"), t("assumption_value"), t("assumption_unit"),
                 t("assumption_reason")],
                [[r["name"], r["value"], r["unit"], r["reason"]]
                 for r in context["assumption_rows"]],
                [1.8, 0.6, 1.2, 4],
            ),
            _note(t("assumptions_text")),
        ]
    blocks += [
        _heading(t("indicators")),
        _table(
            [
                t("pillar"),
                t("code"),
                t("indicator"),
                t("download_direction"),
                t("source"),
                t("years"),
            ],
            [
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
            [1.1, 1.6, 3, 1, 1, 0.9],
        ),
        _heading(t("sources")),
        _table(
            ["id", t("source"), t("licence"), t("as_of")],
            [
                [s.get("id", ""), s.get("title", ""), s.get("licence", ""), s.get("as_of", "")]
                for s in context["sources"]
            ],
            [0.8, 3, 1, 2],
        ),
    ]
    if context["gaps"]:
        blocks += [_heading(t("gaps"), 2), Block("bullets", items=list(context["gaps"]))]
    return blocks


def document_outline(context: dict, *, charts: bool = True) -> list[Block]:
    """The blocks of the Word and PDF documents, in reading order.

    ``context`` is :func:`oicplan.report.render.report_context`; without
    ``charts`` (no pictures could be drawn) a note under the summary says that
    ``report.html`` has them.
    """
    t = context["t"]
    facts = " · ".join(f"{label}: {value}" for label, value in summary_rows(context)[1:4])
    blocks = [
        _heading(t("report_title"), 0),
        _text(context["title"]),
        _note(facts),  # scenario, dataset version, time
        _heading(t("summary")),
        _text(context["summary"]),
    ]
    if context.get("synthetic_inputs"):
        blocks += [_note(t("synthetic_inputs")),
                   Block("bullets", items=list(context["synthetic_inputs"]))]
    if not charts:
        blocks.append(_note(t("download_charts_missing")))
    return (
        blocks
        + _chosen(context)
        + _portfolio(context)
        + _analysis(context)
        + _method_and_data(context)
    )
