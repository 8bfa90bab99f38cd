"""The plan as an editable Word document (``plan.docx``), written with python-docx.

Planners draft their own documents in Word, so this is the report as Word
content, not a picture of it: real headings (the navigation pane lists them),
paragraphs, tables with a repeated header row and the charts as pictures
(:mod:`oicplan.report.images`). Everything comes from the report context (the
same as the HTML report) and the report's tables (:mod:`oicplan.report.tables`).

Chinese text: every style names an East Asian font (``w:eastAsia``: 宋体 SimSun
for text, 黑体 SimHei for headings, present on every Chinese Windows; Word and
LibreOffice fall back to another CJK font where they are missing) and the
document's East Asian language is zh-CN; in English the Latin font is Calibri.
"""

from __future__ import annotations

import io

from oicplan.report.images import Picture
from oicplan.report.tables import clean_text, direction_text, summary_rows

__all__ = ["render_docx"]

_TEXT_WIDTH_INCHES = 6.3  # A4 with 2.5 cm margins left and right: 16 cm
_FONTS = {  # style -> (Latin font, East Asian font)
    "Normal": ("Calibri", "SimSun"),
    "Title": ("Calibri Light", "SimHei"),
    "Heading 1": ("Calibri Light", "SimHei"),
    "Heading 2": ("Calibri Light", "SimHei"),
    "Heading 3": ("Calibri Light", "SimHei"),
    "Caption": ("Calibri", "SimSun"),
    "List Bullet": ("Calibri", "SimSun"),
}


def _set_fonts(document) -> None:
    """Name the Latin and East Asian fonts of each style, and the text's languages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for name, (latin, east_asian) in _FONTS.items():
        style = document.styles[name]
        style.font.name = latin  # sets w:ascii and w:hAnsi
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), east_asian)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would override the names
        language = rpr.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            rpr.append(language)
        language.set(qn("w:val"), "en-US")  # Latin text (site names, codes) is English
        language.set(qn("w:eastAsia"), "zh-CN")


def _para(document, text: object, style: str | None = None):
    """A paragraph of ``text`` (control characters that XML refuses dropped)."""
    return document.add_paragraph(clean_text(text), style=style)


def _head(document, text: object, level: int):
    return document.add_heading(clean_text(text), level=level)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _table(document, headers: list[str], rows: list[list[object]], size: float = 8.5) -> None:
    """A table with a bold, repeated header row; cells as the context formats them."""
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(clean_text(header))
        run.bold = True
        run.font.size = Pt(size)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(clean_text(value))
            run.font.size = Pt(size)


def _note(document, text: str) -> None:
    from docx.shared import Pt, RGBColor

    if not text:
        return
    run = document.add_paragraph().add_run(clean_text(text))
    run.italic = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x5F, 0x6D)


def _picture(document, pictures: dict[str, Picture], key: str) -> None:
    from docx.shared import Inches

    picture = pictures.get(key)
    if picture is None:
        return
    # No caption: the chart sits under its section's heading and carries its own title.
    document.add_picture(
        io.BytesIO(picture.png), width=Inches(min(picture.width, _TEXT_WIDTH_INCHES))
    )


def _portfolio(document, context: dict, pictures: dict[str, Picture]) -> None:
    t = context["t"]
    portfolio = context["portfolio"]
    _head(document, t("portfolio"), level=1)
    _para(
        document,
        t(
            "portfolio_text",
            status=portfolio["status"],
            setup=portfolio["setup"],
            annual=portfolio["annual"],
        ),
    )
    _head(document, t("timeline"), level=2)
    if portfolio["timeline"]:
        _table(
            document,
            [t("year"), t("site")],
            [[s["year"], s["sites"]] for s in portfolio["timeline"]],
        )
    else:
        _note(document, t("download_no_phasing"))
    for frontier in portfolio["frontiers"]:
        _head(document, frontier["title"], level=2)
        _picture(document, pictures, f"frontier_{frontier['against']}")
        _table(
            document,
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
        )
        _note(document, frontier["note"])
    if portfolio["constraints"]:
        _note(document, f"{t('constraints_technical')}: {'; '.join(portfolio['constraints'])}")
    _note(document, f"{t('assumptions_technical')}: {'; '.join(portfolio['assumptions'])}")


def _chosen(document, context: dict) -> None:
    t = context["t"]
    _head(document, t("chosen_sites"), level=1)
    _table(
        document,
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
    )
    _note(document, context["selection_rule"])
    portfolio = context.get("portfolio")
    if portfolio:
        _head(document, t("download_costs"), level=2)
        # The opening years are in the phasing table (by year) below.
        headers = [t("site"), t("robust"), t("setup_cost"), t("annual_cost")]
        _table(
            document,
            headers,
            [
                [s["name"], s["robust"], s["setup_cost"], s["annual_cost"]]
                for s in context["chosen"]
            ],
        )
        if portfolio.get("robustness_samples"):
            _note(document, t("robust_note", samples=portfolio["robustness_samples"]))
    _head(document, t("why_mode"), level=2)
    _table(
        document,
        [t("site"), t("mode"), t("why_mode")],
        [[s["name"], s["mode"], s["mode_reason"]] for s in context["chosen"]],
    )


def _analysis(document, context: dict, pictures: dict[str, Picture]) -> None:
    """Network, match, map, pillar profiles, modes, uncertainty and sensitivity."""
    t = context["t"]
    network = context.get("network")
    if network:
        _head(document, t("network"), level=1)
        _para(
            document,
            t(
                "network_text",
                nodes=network["nodes"],
                edges=network["edges"],
                density=network["density"],
                components=network["components"],
                brokers=network["brokers"],
            ),
        )
        _picture(document, pictures, "network")
        for gap in network["gaps"]:
            _para(document, gap, style="List Bullet")
    if context["match_rows"]:
        _head(document, t("match_title"), level=1)
        _table(
            document,
            [t("site"), t("match_industries"), t("match_evidence")],
            [[r["site"], r["industries"], r["evidence"]] for r in context["match_rows"]],
        )
        _note(document, t("match_note", preset=context["match_preset"]))
    _head(document, t("map"), level=1)
    _picture(document, pictures, "map")
    _note(document, context["map_note"])
    _head(document, t("pillar_profiles"), level=1)
    _picture(document, pictures, "profiles")
    _note(document, t("risk_note"))
    if context["mode_profiles"]:
        _head(document, t("modes_title"), level=1)
        for site in context["mode_profiles"]:
            _head(document, site["site"], level=3)
            _table(
                document,
                [t("mode"), t("mode_score"), t("reasons")],
                [
                    [m["mode"] + (" ✓" if m["planned"] else ""), m["score"], m["reasons"]]
                    for m in site["modes"]
                ],
            )
            _para(
                document,
                f"{t('park_view')}: "
                + " · ".join(f"{name} {value}" for name, value in site["park"]),
            )
        _note(document, t("modes_note"))
    if context.get("intervals_svg"):
        _head(document, t("uncertainty"), level=1)
        _picture(document, pictures, "intervals")
        _note(document, context["uncertainty_note"])
    _head(document, t("sensitivity"), level=1)
    _picture(document, pictures, "sobol")
    _picture(document, pictures, "correlation")
    _note(document, t("sensitivity_note"))


def _method_and_data(document, context: dict) -> None:
    t = context["t"]
    _head(document, t("ranked_candidates"), level=1)
    _table(
        document,
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
    )
    _head(document, t("method"), level=1)
    _para(document, context["method"])
    _table(document, [t("pillar"), t("weights")], [list(pair) for pair in context["weights"]])
    if context["notes"]:
        _note(document, f"{t('notes')}: {'; '.join(context['notes'])}")
    if context["screened"]:
        _note(
            document,
            f"{t('screened')}: "
            + "; ".join(f"{s} ({why})" for s, why in context["screened"].items()),
        )
    _head(document, t("indicators"), level=1)
    _table(
        document,
        [t("pillar"), t("code"), t("indicator"), t("download_direction"), t("source"), t("years")],
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
        size=7.5,
    )
    _head(document, t("sources"), level=1)
    _table(
        document,
        ["id", t("source"), t("licence"), t("as_of")],
        [
            [s.get("id", ""), s.get("title", ""), s.get("licence", ""), s.get("as_of", "")]
            for s in context["sources"]
        ],
    )
    if context["gaps"]:
        _head(document, t("gaps"), level=2)
        for gap in context["gaps"]:
            _para(document, gap, style="List Bullet")


def render_docx(context: dict, pictures: dict[str, Picture]) -> bytes:
    """The Word document as bytes.

    ``context`` is :func:`oicplan.report.render.report_context` (its language is
    the document's); ``pictures`` are its charts
    (:func:`oicplan.report.images.chart_pictures`); without them the document
    says that ``report.html`` has the charts.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    t = context["t"]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    _set_fonts(document)
    document.core_properties.title = context["title"]
    document.core_properties.author = "oicplan"
    document.core_properties.language = "zh-CN" if context["lang"] == "zh" else "en"
    footer = section.footer.paragraphs[0]
    footer.text = clean_text(
        t(
            "download_footer",
            scenario=context["scenario"],
            version=context["dataset_version"],
            created=context["created"],
        )
    )
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    _head(document, t("report_title"), level=0)
    _para(document, context["title"])
    facts = summary_rows(context)[1:4]  # scenario, dataset version, created
    _para(document, " · ".join(f"{label}: {value}" for label, value in facts))
    _head(document, t("summary"), level=1)
    _para(document, context["summary"])
    if not pictures:
        _note(document, t("download_charts_missing"))
    _chosen(document, context)
    if context.get("portfolio"):
        _portfolio(document, context, pictures)
    _analysis(document, context, pictures)
    _method_and_data(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
