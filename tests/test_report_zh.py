"""The Chinese report of the default scenario is in Chinese: names, notes, gaps, indicators.

Issue 10: "everything a Chinese reader sees is in Chinese ... the site names, the
optimizer's assumption and constraint notes, the data gaps, the network notes and
the indicator names". Each English sentence the plan produces is looked up in the
notes catalog (oicplan.notes): one that has a translation must not appear in the
Chinese report, and its Chinese must.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from oicplan.indicators import load_framework
from oicplan.notes import note_key, note_text
from oicplan.plan import make_plan
from oicplan.plan_network import plan_network
from oicplan.report import render_html, render_markdown
from oicplan.report.render import note_vocabulary, report_context
from oicplan.scenario import load_scenario

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"))


@pytest.fixture(scope="module")
def network(plan):
    return plan_network(plan)


@pytest.fixture(scope="module")
def html_zh(plan, network):
    return render_html(plan, "zh", report_context(plan, "zh", network=network))


def _section(html: str, element_id: str) -> list[str]:
    """The items (li, or the paragraph) of the element with ``element_id``, as plain text."""
    found = re.search(rf'<(ul|p|table)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, element_id
    items = re.findall(r"<li>(.*?)</li>", found.group(2), re.S) or [found.group(2)]
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def _english_notes(plan, network) -> dict[str, list[str]]:
    layout = plan.layout.to_dict()
    document = plan.to_dict()
    return {
        "constraints": layout["constraints"],
        "assumptions": layout["assumptions"],
        "network-gaps": network.gaps,
        "data-gaps": plan.dataset.manifest["gaps"],
        "notes": document["notes"],
        "screened": list(document["screened_out"].values()),
    }


def test_every_note_of_the_default_plan_has_a_translation(plan, network):
    for section, notes in _english_notes(plan, network).items():
        assert notes or section == "constraints", section
        for text in notes:
            assert note_key(text) is not None, f"{section}: no catalog entry for {text!r}"


def test_no_translated_english_note_is_left_in_the_chinese_report(plan, network, html_zh):
    shown = html_lib.unescape(re.sub(r"<[^>]+>", " ", html_zh))
    vocabulary = note_vocabulary(plan, "zh")
    for section, notes in _english_notes(plan, network).items():
        items = _section(html_zh, section)
        assert items, section
        for text in notes:
            assert text not in shown, f"{section}: English left in the Chinese report: {text!r}"
            chinese = note_text(text, "zh", vocabulary)
            assert _CJK.search(chinese)
            if section != "screened":  # screened: "site（reason）" in one paragraph
                assert chinese in items, (section, chinese)
            else:
                assert chinese in items[0], (section, chinese)
        if section != "screened":
            assert all(_CJK.search(item) for item in items), (section, items)


def test_indicator_names_are_chinese(plan, html_zh):
    framework = load_framework()
    leaves = [spec for pillar in framework.pillars for spec in pillar.leaves()]
    rows = re.findall(r"<tr><td>[^<]*</td><td><code>([^<]+)</code></td><td>([^<]*)</td>",
                      html_zh)
    shown = dict(rows)
    assert set(shown) == {spec.code for spec in leaves}
    titles = plan.dataset.indicators["title"]
    for spec in leaves:
        assert shown[spec.code] == html_lib.escape(spec.name_zh, quote=False)
        if spec.code in titles.index:
            assert html_lib.escape(titles[spec.code], quote=False) not in html_zh


def test_every_indicator_of_the_default_framework_has_a_chinese_name():
    for pillar in load_framework().pillars:
        for spec in pillar.leaves():
            assert _CJK.search(spec.name_zh), spec.code


def test_site_names_are_chinese_with_the_original_in_brackets(plan, html_zh):
    chosen = plan.chosen
    ranked_cells = re.findall(r'<td class="num">\d+</td><td>([^<]*?)(?: ✓)?</td>', html_zh)
    for row in chosen.itertuples():
        if row.name_zh_source == "none":
            assert row.name_zh == row.name
            continue
        assert _CJK.search(row.name_zh)
        assert f"<td>{row.name_zh}（{row.name}）</td>" in html_zh  # the chosen-sites table
        assert f"<h3>{row.name_zh}（{row.name}）</h3>" in html_zh  # the mode profiles
        assert row.name not in ranked_cells
    seoul = chosen.set_index("site_id").loc["KOR-seoul"]
    assert (seoul["name_zh"], seoul["name_zh_source"]) == ("首尔", "cldr")


def test_the_english_report_keeps_the_english(plan, network):
    context = report_context(plan, "en", network=network)
    english = render_html(plan, "en", context)
    assert "at most 2 per country" in english
    assert all(name in english for name in plan.chosen["name"])
    assert "每个经济体" not in english and "首尔" not in english
    assert "Constraints held:" in render_markdown(plan, "en", context)


def test_plan_json_carries_the_chinese_beside_the_english(plan):
    document = plan.to_dict()
    assert document["notes_zh"] == [note_text(n, "zh", plan.note_vocabulary())
                                    for n in document["notes"]]
    optimizer = document["optimizer"]
    assert len(optimizer["constraints_zh"]) == len(optimizer["constraints"]) > 0
    assert "每个经济体最多2个" in optimizer["constraints_zh"]
    assert all(_CJK.search(text) for text in optimizer["assumptions_zh"])
    assert all(site["name_zh"] for site in document["sites"])
    assert set(document["screened_out_zh"]) == set(document["screened_out"])
