"""The plan as an editable Word document (``plan.docx``), written with python-docx.

Planners draft their own documents in Word, so this is the report as Word
content, not a picture of it: real headings (the navigation pane lists them),
paragraphs, tables with a repeated header row and the charts as pictures
(:mod:`oicplan.report.images`), drawn from the outline of
:mod:`oicplan.report.outline` (which the PDF draws too), made from the report
context the HTML report uses.

Chinese text: every style names an East Asian font (``w:eastAsia``: 宋体 SimSun
for text, 黑体 SimHei for headings, present on every Chinese Windows; Word and
LibreOffice fall back to another CJK font where they are missing) and the
document's East Asian language is zh-CN; in English the Latin font is Calibri.
"""

from __future__ import annotations

import io

from oicplan.report.images import Picture
from oicplan.report.outline import Block, document_outline
from oicplan.report.tables import clean_text

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


def _draw(document, block: Block, pictures: dict[str, Picture]) -> None:
    """Add one block of the outline to the document."""
    if block.kind == "heading":
        _head(document, block.text, level=min(block.level, 3))
    elif block.kind == "text":
        _para(document, block.text)
    elif block.kind == "note":
        _note(document, block.text)
    elif block.kind == "table":
        _table(document, block.headers, block.rows)
    elif block.kind == "chart":
        _picture(document, pictures, block.key)
    elif block.kind == "bullets":
        for item in block.items:
            _para(document, item, style="List Bullet")


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
    document.core_properties.title = clean_text(context["title"])
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

    for block in document_outline(context, charts=bool(pictures)):
        _draw(document, block, pictures)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
