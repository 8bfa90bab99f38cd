"""Reports: self-contained HTML in Chinese and English, Markdown, and a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from oicplan.plan import make_plan
from oicplan.report import render_html, render_markdown
from oicplan.report.render import rail_route_lines
from oicplan.scenario import load_scenario
from tests.conftest import require_service


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


@pytest.fixture(scope="module")
def html_zh(plan):
    return render_html(plan, "zh")


def test_html_is_self_contained(html_zh):
    assert "<script" not in html_zh
    assert "<link" not in html_zh
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html_zh)
    assert html_zh.count("<svg") >= 2  # map and pillar charts inline


def test_chinese_and_english_reports(plan, html_zh):
    html_en = render_html(plan, "en")
    assert "海外创新中心布局方案" in html_zh and "数据来源" in html_zh
    assert "Layout plan of overseas innovation centers" in html_en and "Data sources" in html_en
    for name in plan.chosen["name"]:
        assert name in html_zh and name in html_en


def test_report_lists_sources_with_years(html_zh):
    assert "World Bank, World Development Indicators" in html_zh
    assert "CC BY 4.0" in html_zh
    assert re.search(r"<td>20\d\d(–20\d\d)?</td>", html_zh)


def test_markdown_report_has_the_chosen_table(plan):
    markdown = render_markdown(plan, "en")
    assert markdown.startswith("# Layout plan")
    assert markdown.count("\n| ") >= len(plan.chosen) + 10


def test_rail_routes_start_at_a_home_hub(plan):
    lines = rail_route_lines(plan)
    hubs = {(hub.lat, hub.lon) for hub in plan.scenario.hubs}
    assert len(lines) >= 10
    assert all(line[0] in hubs for line in lines)


def test_report_renders_in_a_real_browser(plan, tmp_path, html_zh):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    require_service("Chromium", browser is not None, "no chromium on PATH")
    page = tmp_path / "report.html"
    page.write_text(html_zh, encoding="utf-8")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "海外创新中心布局方案" in result.stdout
    assert result.stdout.count("<svg") >= 2


def test_report_shows_rank_intervals(plan, html_zh):
    assert "排名区间" in html_zh
    first = plan.chosen.iloc[0]
    expected = f"{first['median_rank']:.0f} [{first['rank_p5']:.0f}–{first['rank_p95']:.0f}]"
    assert expected in html_zh


def test_report_states_the_constraints_the_portfolio_met(plan, html_zh):
    held = plan.layout.to_dict()["constraints"]
    assert "at most 2 per country" in held
    assert "满足的约束" in html_zh and "at most 2 per country" in html_zh
    markdown = render_markdown(plan, "en")
    assert "Constraints held: " in markdown
    assert all(label in markdown for label in held)
