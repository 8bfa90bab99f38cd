"""The plan as a PDF (``plan.pdf``), written with reportlab (pure Python, offline).

The same content as the Word document: both draw the outline of
:mod:`oicplan.report.outline` (summary, chosen sites, costs and phasing, the
frontiers, the charts of :mod:`oicplan.report.images`, the method, indicators,
data sources and gaps), made from the report context the HTML report uses.

Fonts, with no font file to install: Chinese characters are set in reportlab's
built-in CID font STSong-Light (Adobe's Song typeface that every PDF reader
supplies for Chinese), everything else in DejaVu Sans, which matplotlib ships
(it covers the accents of site names such as Mỹ Tho, ε, –, ✓ and ×, which the
PDF standard fonts do not). Each run of text is set in the font that has its
characters (:func:`markup`), so mixed Chinese and Latin text reads right.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from oicplan.report.images import Picture
from oicplan.report.outline import Block, document_outline
from oicplan.report.tables import clean_text

__all__ = ["markup", "render_pdf"]

_CJK_FONT = "STSong-Light"
_LATIN_FONT = "DejaVuSans"
_LATIN_BOLD = "DejaVuSans-Bold"


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def markup(text: object) -> str:
    """``text`` as reportlab paragraph markup, Chinese runs in the CID font.

    >>> markup("首尔 Seoul <1>")
    '<font name="STSong-Light">首尔</font> Seoul &lt;1&gt;'
    """
    value = clean_text(text)
    parts: list[str] = []
    run = ""
    wide = False
    for character in value:
        if _wide(character) != wide and run:
            parts.append(f'<font name="{_CJK_FONT}">{escape(run)}</font>' if wide else escape(run))
            run = ""
        wide = _wide(character)
        run += character
    if run:
        parts.append(f'<font name="{_CJK_FONT}">{escape(run)}</font>' if wide else escape(run))
    return "".join(parts)


def _register_fonts() -> None:
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if _CJK_FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))
    if _LATIN_FONT not in registered:
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(_LATIN_FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(_LATIN_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
        addMapping(_LATIN_FONT, 0, 0, _LATIN_FONT)
        addMapping(_LATIN_FONT, 1, 0, _LATIN_BOLD)
        addMapping(_LATIN_FONT, 0, 1, _LATIN_FONT)
        addMapping(_LATIN_FONT, 1, 1, _LATIN_BOLD)


def _styles() -> dict:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=_LATIN_FONT, fontSize=9.5, leading=14, spaceAfter=4)
    # keepWithNext: a heading never ends a page without the table or chart below it
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontName=_LATIN_BOLD, fontSize=18, leading=24, spaceAfter=8
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=_LATIN_BOLD,
            fontSize=13.5,
            leading=18,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=_LATIN_BOLD,
            fontSize=11,
            leading=15,
            spaceBefore=6,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": body,
        "note": ParagraphStyle(
            "note", parent=body, fontSize=8, leading=11, textColor=colors.HexColor("#555f6d")
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.5, spaceAfter=0),
        "head": ParagraphStyle(
            "head", parent=body, fontName=_LATIN_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0
        ),
        "bullet": ParagraphStyle(
            "bullet", parent=body, fontSize=8.5, leading=12, leftIndent=10, bulletIndent=0
        ),
    }


class _Builder:
    """Collects the flowables of the document, in reading order."""

    def __init__(self, context: dict, pictures: dict[str, Picture], width: float) -> None:
        self.context = context
        self.pictures = pictures
        self.width = width
        self.styles = _styles()
        self.story: list = []

    def paragraph(self, text: object, style: str = "body") -> None:
        from reportlab.platypus import Paragraph

        if text:
            self.story.append(Paragraph(markup(text), self.styles[style]))

    def bullets(self, items: list[str]) -> None:
        from reportlab.platypus import Paragraph

        for item in items:
            self.story.append(Paragraph(markup(item), self.styles["bullet"], bulletText="•"))

    def table(
        self, headers: list[str], rows: list[list[object]], weights: list[float] | None = None
    ) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        weights = weights or [1.0] * len(headers)
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        data = [[Paragraph(markup(h), self.styles["head"]) for h in headers]]
        data += [[Paragraph(markup(v), self.styles["cell"]) for v in row] for row in rows]
        # splitInRow: a row taller than a page (a long text from a user's file) is split too
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c2cc")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        self.story.append(table)
        self.story.append(_space(4))

    def picture(self, key: str) -> None:
        from reportlab.platypus import Image

        picture = self.pictures.get(key)
        if picture is None:
            return
        scale = min(1.0, self.width / (picture.width * 72))
        self.story.append(
            Image(
                io.BytesIO(picture.png),
                width=picture.width * 72 * scale,
                height=picture.height * 72 * scale,
            )
        )  # no caption: the chart sits under its section's heading and carries its own title


def _space(points: float):
    from reportlab.platypus import Spacer

    return Spacer(1, points)


def _draw(b: _Builder, block: Block) -> None:
    """Add one block of the outline to the story."""
    if block.kind == "heading":
        b.paragraph(block.text, "title" if block.level == 0 else f"h{min(block.level, 2)}")
    elif block.kind in ("text", "note"):
        b.paragraph(block.text, "body" if block.kind == "text" else "note")
    elif block.kind == "table":
        b.table(block.headers, block.rows, block.widths)
    elif block.kind == "chart":
        b.picture(block.key)
    elif block.kind == "bullets":
        b.bullets(block.items)


def render_pdf(context: dict, pictures: dict[str, Picture]) -> bytes:
    """The PDF as bytes (A4).

    ``context`` is :func:`oicplan.report.render.report_context` (its language is
    the document's); ``pictures`` are its charts
    (:func:`oicplan.report.images.chart_pictures`).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=clean_text(context["title"]),
        author="oicplan",
        lang="zh-CN" if context["lang"] == "zh" else "en",
    )
    builder = _Builder(context, pictures, document.width)
    for block in document_outline(context, charts=bool(pictures)):
        _draw(builder, block)
    footer = context["t"](
        "download_footer",
        scenario=context["scenario"],
        version=context["dataset_version"],
        created=context["created"],
    )

    def _page(canvas, doc) -> None:
        from reportlab.platypus import Paragraph

        canvas.saveState()
        line = Paragraph(markup(f"{footer} · {doc.page}"), builder.styles["note"])
        _, height = line.wrap(doc.width, 2 * cm)
        line.drawOn(canvas, doc.leftMargin, 1.2 * cm - height / 2)
        canvas.restoreState()

    document.build(builder.story, onFirstPage=_page, onLaterPages=_page)
    return buffer.getvalue()
