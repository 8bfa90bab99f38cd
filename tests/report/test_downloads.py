"""Reports to download: plan.xlsx, plan.docx and plan.pdf beside plan.json (issue 10).

One plan for the module; the Chinese files are written by ``write_plan``, the
English ones by ``oicplan plan --out DIR --lang en --pdf`` (the command line).
Each file is opened with an independent reader (openpyxl, python-docx, pypdf
when installed) and compared with plan.json and the plan itself.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.plan import make_plan
from oicplan.report.messages import pillar_name, text
from oicplan.report.render import write_plan
from oicplan.scenario import load_scenario

CJK = re.compile(r"[\u4e00-\u9fff]")
FILES = ("plan.json", "report.html", "report.md", "plan.xlsx", "plan.docx", "plan.pdf")


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


@pytest.fixture(scope="module")
def zh_dir(plan, tmp_path_factory):
    return write_plan(plan, tmp_path_factory.mktemp("zh"), "zh", pdf=True)


@pytest.fixture(scope="module")
def en_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("en") / "plan"
    result = CliRunner().invoke(
        app, ["plan", "--out", str(out), "--lang", "en", "--pdf"], catch_exceptions=False
    )
    return out, result


def _document(folder) -> dict:
    return json.loads((folder / "plan.json").read_text(encoding="utf-8"))


def _workbook(folder):
    from openpyxl import load_workbook

    return load_workbook(folder / "plan.xlsx")


def _sheet_rows(sheet) -> tuple[list, list[list]]:
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    # The table ends at the first empty row (a note may follow it).
    end = next((i for i, row in enumerate(body) if all(v is None for v in row)), len(body))
    return header, body[:end]


def test_the_command_line_writes_xlsx_docx_and_pdf_beside_plan_json(en_run):
    out, result = en_run
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert "plan.xlsx" in result.output and "plan.docx" in result.output
    assert "plan.pdf" in result.output
    for name in ("plan.xlsx", "plan.docx"):
        assert zipfile.is_zipfile(out / name)


def test_write_plan_writes_a_pdf_only_on_request(plan, zh_dir, tmp_path):
    assert (zh_dir / "plan.pdf").is_file()
    write_plan(plan, tmp_path, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES[:-1])


def test_workbook_has_a_sheet_per_table_in_the_report_language(zh_dir, en_run):
    zh = _workbook(zh_dir).sheetnames
    en = _workbook(en_run[0]).sheetnames
    for key in ("chosen_sites", "ranked_candidates", "sources"):
        assert text(key, "zh") in zh and text(key, "en") in en
    for key in (
        "summary",
        "pillars",
        "portfolio",
        "phasing",
        "frontier_cost",
        "frontier_risk",
        "match",
        "modes",
        "network",
        "indicators",
        "gaps",
        "screened",
    ):
        assert text(f"download_sheet_{key}", "zh") in zh
        assert text(f"download_sheet_{key}", "en") in en
    assert len(zh) == len(en) == len(set(zh)) >= 14
    assert all(len(name) <= 31 for name in zh + en)


def test_chosen_sites_sheet_equals_plan_json(zh_dir, plan):
    document = _document(zh_dir)
    sheet = _workbook(zh_dir)[text("chosen_sites", "zh")]
    header, rows = _sheet_rows(sheet)
    ids = [row[header.index(text("download_site_id", "zh"))] for row in rows]
    scores = [row[header.index(text("score", "zh"))] for row in rows]
    assert ids == [site["site_id"] for site in document["sites"]]
    assert scores == [site["score"] for site in document["sites"]]
    assert ids == list(plan.chosen["site_id"])
    # Numbers are numbers, pillars in their own columns, unrounded.
    assert all(isinstance(score, float) for score in scores)
    innovation = header.index(pillar_name("innovation", "zh"))
    assert [row[innovation] for row in rows] == [
        site["pillars"]["innovation"] for site in document["sites"]
    ]
    setup = header.index(text("setup_cost", "zh"))
    assert sum(row[setup] for row in rows) == pytest.approx(
        sum(site["setup_cost"] for site in document["sites"])
    )
    # Site names and words are Chinese where the report's are.
    assert any(CJK.search(str(row[header.index(text("mode", "zh"))])) for row in rows)


def test_sheets_have_a_frozen_bold_header_and_fitting_widths(zh_dir):
    workbook = _workbook(zh_dir)
    chosen = workbook[text("chosen_sites", "zh")]
    assert chosen.freeze_panes == "D2"  # header row and id, rank, name stay in view
    assert all(cell.font.bold for cell in chosen[1])
    indicators = workbook[text("download_sheet_indicators", "zh")]
    assert indicators.freeze_panes == "A2"
    widths = {col: dim.width for col, dim in indicators.column_dimensions.items()}
    assert widths["C"] > widths["B"] > 8  # the indicator's title is the widest column
    assert chosen.auto_filter.ref is not None


def test_ranked_and_frontier_sheets_hold_numbers(zh_dir, plan):
    workbook = _workbook(zh_dir)
    header, rows = _sheet_rows(workbook[text("ranked_candidates", "zh")])
    scores = [row[header.index(text("score", "zh"))] for row in rows]
    expected = plan.ranked.table["score"].head(len(rows)).round(3).tolist()
    assert scores == pytest.approx(expected, abs=1e-9)
    header, rows = _sheet_rows(workbook[text("download_sheet_frontier_cost", "zh")])
    benefits = [row[header.index(text("pareto_benefit", "zh"))] for row in rows]
    assert benefits == pytest.approx([p["benefit"] for p in _document(zh_dir)["pareto"]], abs=5e-4)
    header, rows = _sheet_rows(workbook[text("download_sheet_pillars", "zh")])
    assert sum(row[1] for row in rows) == pytest.approx(1.0, abs=0.01)  # the weights


def test_indicator_and_source_sheets_name_years_and_sources(zh_dir, plan):
    workbook = _workbook(zh_dir)
    header, rows = _sheet_rows(workbook[text("download_sheet_indicators", "zh")])
    codes = [row[header.index(text("code", "zh"))] for row in rows]
    assert "GB.XPD.RSDV.GD.ZS" in codes
    years = [row[header.index(text("years", "zh"))] for row in rows]
    assert any(re.fullmatch(r"20\d\d(–20\d\d)?", str(y)) for y in years)
    header, rows = _sheet_rows(workbook[text("sources", "zh")])
    assert {row[0] for row in rows} == {source["id"] for source in plan.dataset.sources}
    header, rows = _sheet_rows(workbook[text("download_sheet_gaps", "zh")])
    assert len(rows) == len(plan.dataset.manifest.get("gaps", []))  # each gap, translated


def _docx(folder):
    import docx

    return docx.Document(str(folder / "plan.docx"))


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_word_document_has_the_reports_headings_in_chinese(zh_dir):
    document = _docx(zh_dir)
    headings = _headings(document)
    for key in ("report_title", "summary", "chosen_sites", "portfolio", "map", "sources"):
        assert text(key, "zh") in headings
    assert all(CJK.search(h) for h in headings if h in {text(k, "zh") for k in ("summary", "map")})
    body = "\n".join(p.text for p in document.paragraphs)
    assert CJK.search(body) and "摘要" in headings


def _chosen_rows(folder, lang: str) -> list[list[str]]:
    table = _docx(folder).tables[0]  # the first table is the chosen sites'
    header = [cell.text for cell in table.rows[0].cells]
    assert header[:2] == [text("rank", lang), text("site", lang)]
    assert header[6] == text("score", lang)
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_word_chosen_sites_table_rows_equal_the_plans_sites(zh_dir, en_run, plan):
    for folder, lang in ((zh_dir, "zh"), (en_run[0], "en")):
        rows = _chosen_rows(folder, lang)
        assert [int(row[0]) for row in rows] == [int(r) for r in plan.chosen["rank"]]
        assert [row[6] for row in rows] == [f"{s:.3f}" for s in plan.chosen["score"]]
    assert [row[1] for row in _chosen_rows(en_run[0], "en")] == list(plan.chosen["name"])
    # In Chinese the names are the report's (the same as the workbook's).
    header, sheet = _sheet_rows(_workbook(zh_dir)[text("chosen_sites", "zh")])
    names = [row[header.index(text("site", "zh"))] for row in sheet]
    assert [row[1] for row in _chosen_rows(zh_dir, "zh")] == names


def test_word_styles_name_an_east_asian_font(zh_dir):
    from docx.oxml.ns import qn

    document = _docx(zh_dir)
    for name in ("Normal", "Heading 1"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("SimSun", "SimHei", "Microsoft YaHei")
        language = document.styles[name].element.rPr.find(qn("w:lang"))
        assert language.get(qn("w:eastAsia")) == "zh-CN"


def test_word_document_in_english(en_run):
    document = _docx(en_run[0])
    headings = _headings(document)
    assert text("chosen_sites", "en") in headings and text("sources", "en") in headings
    assert not any(CJK.search(h) for h in headings)


def test_word_document_has_the_charts_as_pictures(zh_dir):
    pytest.importorskip("resvg_py", reason="resvg-py draws the charts as pictures")
    document = _docx(zh_dir)
    assert len(document.inline_shapes) >= 6  # frontiers, network, map, profiles, ranks, ...
    with zipfile.ZipFile(zh_dir / "plan.docx") as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert all(archive.read(n).startswith(b"\x89PNG") for n in pictures)


def test_pdf_is_a_pdf_with_pages(zh_dir, en_run):
    for folder in (zh_dir, en_run[0]):
        data = (folder / "plan.pdf").read_bytes()
        assert data.startswith(b"%PDF-")
        assert len(re.findall(rb"/Type /Page\b", data)) >= 3
    assert b"STSong-Light" in (zh_dir / "plan.pdf").read_bytes()  # the Chinese CID font


def test_pdf_text_is_the_reports(zh_dir, en_run, plan):
    pypdf = pytest.importorskip("pypdf", reason="pypdf extracts the PDF's text")
    zh = "\n".join(page.extract_text() for page in pypdf.PdfReader(zh_dir / "plan.pdf").pages)
    en = "\n".join(page.extract_text() for page in pypdf.PdfReader(en_run[0] / "plan.pdf").pages)
    for key in ("report_title", "chosen_sites", "sources"):
        assert text(key, "zh") in zh and text(key, "en") in en
    for name in plan.chosen["name"]:
        assert name in en


def test_text_from_a_users_file_stays_text_in_every_format(tmp_path):
    """A formula-like or control-character name is text in Excel, Word and PDF, never an error."""
    import docx
    from openpyxl import Workbook, load_workbook
    from reportlab.platypus import Paragraph

    from oicplan.report.pdf import markup
    from oicplan.report.tables import Table
    from oicplan.report.word import _table
    from oicplan.report.xlsx import _write_sheet

    hostile = ['=HYPERLINK("http://x","y")', "Vienna\x0b<b>&", "@SUM(A1)"]
    workbook = Workbook()
    _write_sheet(workbook, Table("t", "Sheet: [x]", "t", ["name"], [[v] for v in hostile]), set())
    workbook.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["Sheet   x"]
    cells = [sheet.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == [hostile[0], "Vienna<b>&", hostile[2]]
    assert all(c.data_type == "s" for c in cells)  # no formula

    document = docx.Document()
    _table(document, ["name"], [[v] for v in hostile])
    document.save(tmp_path / "t.docx")
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    assert table.rows[2].cells[0].text == "Vienna<b>&"

    paragraph = Paragraph(markup(hostile[1]), _pdf_style())
    assert paragraph.getPlainText() == "Vienna<b>&"


def _pdf_style():
    from reportlab.lib.styles import getSampleStyleSheet

    return getSampleStyleSheet()["Normal"]


def test_a_table_row_taller_than_a_page_is_split_not_an_error():
    """A long text from a user's file in a PDF table cell flows on to the next page."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from oicplan.report.pdf import _Builder, _register_fonts

    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    builder = _Builder({"lang": "zh", "t": lambda key, **v: text(key, "zh", **v)}, {}, 400)
    builder.table(["a", "b"], [["x", "很长的说明 long note " * 2000]])
    document.build(builder.story)
    assert buffer.getvalue().startswith(b"%PDF") and document.page > 2


def _media(folder) -> list[bytes]:
    with zipfile.ZipFile(folder / "plan.docx") as archive:
        return sorted(archive.read(n) for n in archive.namelist() if n.startswith("word/media/"))


def test_a_report_drawn_while_the_solves_run_is_the_same_report(plan, zh_dir, tmp_path,
                                                               monkeypatch):
    """prepare_report's drawings and pictures are those write_plan makes itself."""
    from oicplan.report import charts, images
    from oicplan.report.render import prepare_report

    prepared = prepare_report(plan, "zh")
    ahead = len(images._AHEAD)
    if images._resvg() is not None:
        assert ahead >= 4  # the network, map, profiles, ... rasterized ahead

    def drawn_again(*args, **kwargs):
        raise AssertionError("write_plan drew a chart it was given")

    monkeypatch.setattr(charts, "map_svg", drawn_again)
    monkeypatch.setattr(charts, "pillar_profiles_svg", drawn_again)
    out = write_plan(plan, tmp_path / "prepared", "zh", prepared=prepared)
    for name in ("plan.json", "report.html", "report.md"):
        assert (out / name).read_bytes() == (zh_dir / name).read_bytes(), name
    assert _media(out) == _media(zh_dir)
    assert len(images._AHEAD) == 0  # each picture rasterized ahead was used, once

    # Prepared in another language, the drawings are not used: drawn again in Chinese.
    monkeypatch.undo()
    english = prepare_report(plan, "en")
    again = write_plan(plan, tmp_path / "other", "zh", prepared=english)
    assert (again / "report.html").read_bytes() == (zh_dir / "report.html").read_bytes()


def test_report_ahead_is_the_hook_that_prepares_the_plans_report():
    """oicplan plan and the web app's runs hand ReportAhead to the plan service."""
    from oicplan.report import ReportAhead
    from oicplan.report.images import _AHEAD
    from oicplan.services.planning import PlanRequest, plan

    ahead = ReportAhead("en")
    result = plan(PlanRequest(report=True, frontiers=False), while_solving=ahead)
    prepared = ahead.prepared
    assert prepared is not None and prepared.plan is result.plan and prepared.lang == "en"
    assert "<svg" in prepared.drawings["map_svg"]
    assert prepared.drawings["network"]["nodes"] == result.network.measures()["nodes"]
    _AHEAD.clear()  # its pictures are not used here
