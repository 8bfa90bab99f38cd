"""A plan run from the reports page in Chromium, and its reports downloaded.

The editor starts a plan run of the built-in scenario, the page follows it until
it is done and offers the report files; each download is checked for what it
claims to be: an HTML page, an Excel workbook and a Word document (zip
packages with their parts, opened by openpyxl and python-docx) and a PDF
(``%PDF-`` ... ``%%EOF``, pages read by pypdf).
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in

PLAN_SECONDS = 600


def check_html(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.match(r"\s*<!doctype html>", text, re.IGNORECASE), text[:80]
    assert "</html>" in text[-200:].lower()
    assert not re.search(r"<script[^>]+src=[\"']?https?://", text), "the report loads a script"


def check_xlsx(path: Path) -> None:
    import openpyxl

    assert path.read_bytes()[:4] == b"PK\x03\x04"
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        names = set(package.namelist())
    assert {"[Content_Types].xml", "xl/workbook.xml"} <= names
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames
    first = workbook[workbook.sheetnames[0]]
    assert any(cell is not None for row in first.iter_rows(max_row=5, values_only=True)
               for cell in row)


def check_docx(path: Path) -> None:
    import docx

    assert path.read_bytes()[:4] == b"PK\x03\x04"
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        assert "word/document.xml" in package.namelist()
    document = docx.Document(str(path))
    assert any(paragraph.text.strip() for paragraph in document.paragraphs)


def check_pdf(path: Path) -> None:
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data[:5] == b"%PDF-"
    assert b"%%EOF" in data[-1024:]
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 1
    assert reader.pages[0].extract_text().strip()


CHECKS = {
    "report.html": check_html,
    "plan.xlsx": check_xlsx,
    "plan.docx": check_docx,
    "plan.pdf": check_pdf,
}


@pytest.mark.slow
def test_plan_run_and_its_report_downloads(page, tmp_path):
    sign_in(page, "editor", "/reports")
    page.select_option("#plan-scenario", "zhejiang")
    started = time.monotonic()
    page.click("#plan-start")
    # The run is under way: the page says so (then follows its progress events).
    page.wait_for_function("() => document.getElementById('plan-status').textContent.trim()")
    # The page follows the run (progress events) and opens the finished run's page.
    page.wait_for_url(re.compile(r"/reports\?run="), timeout=PLAN_SECONDS * 1000)
    took = time.monotonic() - started
    assert page.locator("[data-testid=downloads]").is_visible(), page.inner_text("#run-card")
    for name, check in CHECKS.items():
        link = page.locator(f"[data-testid=download-{name.replace('.', '-')}]")
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename.endswith(name), download.suggested_filename
        saved = tmp_path / name
        download.save_as(saved)
        check(saved)
    print(f"plan run {took:.1f} s")  # the reason this test is marked slow
