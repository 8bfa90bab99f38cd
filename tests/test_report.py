"""Reports: self-contained HTML in Chinese and English, Markdown, and a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from oicplan.data.geography import great_circle_km
from oicplan.errors import InputError
from oicplan.plan import CENTER_MODES, make_plan
from oicplan.plan_map import rail_route_lines, sea_lane_lines
from oicplan.report import render_html, render_markdown
from oicplan.report.messages import mode_name, pillar_name
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
    for name, name_zh in zip(plan.chosen["name"], plan.chosen["name_zh"], strict=True):
        assert name_zh in html_zh and name in html_en


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
    assert "满足的约束" in html_zh and "<li>每个经济体最多2个</li>" in html_zh
    assert "at most 2 per country" not in html_zh
    markdown = render_markdown(plan, "en")
    assert "Constraints held:" in markdown
    assert all(f"- {label}" in markdown for label in held)


@pytest.fixture(scope="module")
def html_en(plan):
    return render_html(plan, "en")


def _svg_texts(html: str) -> set[str]:
    """Every text drawn in the inline charts (matplotlib keeps text as <text>)."""
    return {t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", html)}


def test_chinese_report_labels_its_charts_in_chinese(plan, html_zh, html_en):
    texts = _svg_texts(html_zh)
    english = {
        "total cost",
        "benefit",
        "Rank (1 = best)",
        "first order (S1)",
        "total order (ST)",
        "Sobol' index",
        "median",
        "5th-95th percentile",
        "rank with the chosen weights",
        "match",
    }
    assert not english & texts
    assert not any(t.startswith("Innovation network") for t in texts)
    # Pillar names, not ids, label the Sobol chart; "match" is translated everywhere.
    assert not set(plan.ranked.pillar_ids) & texts
    for chinese in (
        "总成本：设立成本 + 一年运行成本（百万美元）",
        "效益",
        "排名（1 = 最好）",
        "一阶指数（S1）",
        "总效应指数（ST）",
        "Sobol敏感性指数",
        "产业技术匹配",  # the framework's name_zh of the match pillar
    ):
        assert chinese in texts, chinese
    assert any(t.startswith("创新网络") for t in texts)
    assert "<th>产业技术匹配</th>" in html_zh and "<th>Pillar</th>" not in html_zh
    assert "技术假设（优化模型生成）" in html_zh and "英文" not in html_zh
    en_texts = _svg_texts(html_en)
    assert {"Rank (1 = best)", "Sobol' index", "Industry match", "Benefit"} <= en_texts
    assert "<th>Industry match</th>" in html_en


def test_map_draws_sea_lanes_to_the_chosen_sites_reached_by_sea(plan, html_zh, html_en):
    from oicplan.geo.graph import SEA_HUB, hub_id, transport_graph
    from oicplan.geo.routing import shortest_route

    graph = transport_graph()
    origin = hub_id(SEA_HUB)
    reached = {}
    for site_id in plan.chosen["site_id"]:
        try:
            route = shortest_route(graph, origin, site_id, mode="sea")
        except InputError:
            continue
        legs = zip(route.nodes, route.nodes[1:], strict=False)
        gate = next(v for u, v in legs if graph.has_edge(u, v, "sea"))
        reached[site_id] = graph.nodes[gate]["site"]
    assert reached, "some chosen site is reached by sea"
    for site_id, port in reached.items():
        assert f'id="sea-lane-{port}"' in html_zh
        assert (f'id="last-leg-{site_id}"' in html_zh) == (port != site_id)
    for site_id in set(plan.chosen["site_id"]) - set(reached):
        assert f'id="last-leg-{site_id}"' not in html_zh
    assert "宁波舟山港出发的海运航线" in _svg_texts(html_zh)
    assert "Sea lane from Ningbo-Zhoushan" in _svg_texts(html_en)
    # The drawn line is the sea path the graph measures: from the hub to the port.
    hub = graph.nodes[origin]
    for lane in sea_lane_lines(plan):
        assert reached[lane["site_id"]] == lane["port_id"]
        points = lane["points"]
        assert great_circle_km(*points[0], hub["lat"], hub["lon"]) < 100
        port = graph.nodes[f"{lane['port_id']}|gate"]
        assert great_circle_km(*points[-1], port["lat"], port["lon"]) < 100
        drawn = sum(great_circle_km(*a, *b) for a, b in zip(points, points[1:], strict=False))
        assert drawn == pytest.approx(lane["km"], rel=0.15)


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


@pytest.mark.parametrize("against", ["cost", "risk"])
def test_pareto_tables_list_the_frontiers(plan, html_zh, against):
    frontier = plan.pareto if against == "cost" else plan.pareto_risk
    assert frontier is not None and len(frontier) >= 2
    assert (frontier["against"] == against).all()
    table = re.search(rf'<table id="pareto-{against}-table">(.*?)</table>', html_zh, re.S)
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.S)
    ]
    assert len(rows) == len(frontier)
    for cells, (_, point) in zip(rows, frontier.iterrows(), strict=True):
        assert _number(cells[0]) == pytest.approx(point["epsilon"], abs=0.006)
        assert _number(cells[1]) == pytest.approx(point["cost"], abs=0.006)
        assert _number(cells[2]) == pytest.approx(point["risk"], abs=0.0006)
        assert _number(cells[3]) == pytest.approx(point["benefit"], abs=0.0006)
        assert int(cells[4]) == point["centers"]
        assert f"（{point['status']}" in cells[5]  # Chinese, with the solver's own word
    # Along the frontier a looser cap never lowers the benefit.
    assert (frontier["benefit"].diff().dropna() >= -1e-9).all()
    cap = "Cost cap (ε)" if against == "cost" else "Risk cap (ε)"
    markdown = render_markdown(plan, "en")
    header = f"| {cap} | Cost | Total risk | Benefit | Centers | Solver status |"
    section = markdown.split(header)[1]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    for line, (_, point) in zip(lines, frontier.iterrows(), strict=False):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert _number(cells[1]) == pytest.approx(point["cost"], abs=0.006)
        assert int(cells[4]) == point["centers"]
    assert len(lines) >= len(frontier)


def test_plan_json_has_both_frontiers(plan):
    document = plan.to_dict()
    assert [row["against"] for row in document["pareto_risk"]] == ["risk"] * len(plan.pareto_risk)
    assert len(document["pareto"]) == len(plan.pareto)


def test_site_profiles_show_mode_scores_reasons_and_park_view(plan, html_zh, html_en):
    from oicplan.match.modes import mode_scores, park_view

    scores = mode_scores(plan.chosen)
    park = park_view(plan.ranked.table, plan.dataset).set_index("site_id")
    blocks = re.findall(r'<div class="site-modes">(.*?)</div>', html_zh, re.S)
    assert len(blocks) == len(plan.chosen)
    for block, site in zip(blocks, plan.chosen.itertuples(), strict=True):
        shown = site.name_zh if site.name_zh == site.name else f"{site.name_zh}（{site.name}）"
        assert f"<h3>{shown}</h3>" in block
        for mode in CENTER_MODES:
            assert mode_name(mode, "zh") in block
        for score in scores.loc[scores["site_id"] == site.site_id, "score"]:
            assert f"{score:.3f}" in block
        assert f"{mode_name(site.mode, 'zh')} ✓" in block
        assert "规则：" in block and "rule:" not in block
        assert f"人才 {park.at[site.site_id, 'talent']:.2f}" in block
        assert f"知识生态 {park.at[site.site_id, 'knowledge_ecology']:.2f}" in block
    assert "rule: " in html_en and "Knowledge ecology" in html_en
    markdown = render_markdown(plan, "zh")
    assert all(f"### {name}" in markdown for name in plan.chosen["name_zh"])
    assert "第三代园区视角" in markdown


def test_shipped_land_grid_is_the_land_mask_sampled_at_half_a_degree():
    """The map's shipped land grid equals global-land-mask sampled at run time."""
    import numpy as np

    from oicplan.report.land import LAND_FILE, compute_land_grid, land_grid

    assert LAND_FILE.is_file()
    shipped = land_grid()
    assert shipped.shape == (360, 720)
    assert not shipped.flags.writeable
    np.testing.assert_array_equal(shipped, compute_land_grid())


def test_report_package_imports_without_matplotlib():
    """The report's wording (terminal summaries) loads without matplotlib or the plan."""
    script = (
        "import sys, oicplan.report, oicplan.report.messages; "
        "print(sorted(m for m in ('matplotlib', 'pandas', 'oicplan.plan') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_report_draws_the_network_and_map_layers_it_is_given(plan, monkeypatch):
    """Given by the pipeline, the network and the map's transport layers are not rebuilt."""
    from oicplan.plan_map import map_layers
    from oicplan.plan_network import plan_network
    from oicplan.report.render import report_context

    network, layers = plan_network(plan), map_layers(plan)

    def computed_again(*args, **kwargs):
        raise AssertionError("the report computed what it was given")

    monkeypatch.setattr("oicplan.network.build_network", computed_again)
    monkeypatch.setattr("oicplan.plan_map.map_layers", computed_again)
    context = report_context(plan, "en", network=network, layers=layers)
    assert context["network"]["nodes"] == network.measures()["nodes"]
    assert all(
        f'id="sea-lane-{lane["port_id"]}"' in context["map_svg"] for lane in layers.sea_lanes
    )


def test_charts_keep_every_label_and_map_names_do_not_overlap(plan, html_zh):
    from oicplan.report.charts import _LABEL_SIZE, _label_offsets, text_inches

    texts = _svg_texts(html_zh)
    assert set(plan.chosen["name_zh"]) <= texts  # the Chinese report labels in Chinese
    assert {pillar_name(p, "zh") for p in plan.ranked.pillar_ids} <= texts
    assert "bbox_inches" not in html_zh and html_zh.count("<svg") >= 7
    chosen = list(zip(plan.chosen["lat"], plan.chosen["lon"], plan.chosen["name_zh"], strict=True))
    scale = 11 * 72 / 360
    boxes = []
    for (lat, lon, name), (dx, dy, align) in zip(
        chosen, _label_offsets(chosen, scale), strict=True
    ):
        width = text_inches(name, _LABEL_SIZE) * 72
        left = lon * scale + dx - (width if align == "right" else 0)
        boxes.append((left, lat * scale + dy, left + width, lat * scale + dy + _LABEL_SIZE))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_chart_svg_has_no_date_and_is_the_same_each_time():
    from matplotlib.figure import Figure

    from oicplan.report import charts

    def drawn() -> str:
        figure = Figure(figsize=(3, 2))
        figure.add_subplot().plot([1, 2, 3], [2, 1, 3])
        return charts.figure_svg(figure)

    first = drawn()
    assert "<dc:date>" not in first
    assert first == drawn()
