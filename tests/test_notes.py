"""The notes catalog (oicplan.notes): every note in both languages, and English read back.

A note is written in English by the code that makes it and shown in Chinese by
parsing it back against the catalog; these tests check that each English wording
reads back to its own key with the parameters it was written with, that the
Chinese wording uses exactly the same parameters, and that the producers write
the catalog's wording (the sentences they make read back to a key).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from oicplan.notes import NOTES, PHRASES, note, note_key, note_text

SRC = Path(__file__).resolve().parents[1] / "src" / "oicplan"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(NOTES))
def test_each_note_has_both_languages_with_the_same_parameters(key):
    english, chinese = NOTES[key]
    assert english and chinese
    assert _fields(english) == _fields(chinese)
    assert _CJK.search(chinese), f"{key}: the Chinese wording has no Chinese"
    assert not _CJK.search(english)


@pytest.mark.parametrize("key", sorted(NOTES))
def test_each_note_reads_back_to_its_key_and_parameters(key):
    params = {name: f"P{i}x" for i, name in enumerate(sorted(_fields(NOTES[key][0])))}
    text = note(key, **params)
    assert note_key(text) == (key, params)
    chinese = note_text(text, "zh")
    assert chinese == NOTES[key][1].format(**params)
    assert note_text(text, "en") == text


def test_parameters_that_are_known_terms_are_translated():
    assert note_text(note("group_min", need=1, group="Cooperation-zone upgrade"), "zh") == (
        "“依托境外经贸合作区转型升级”至少1个"
    )
    assert note_text(note("strategy_empty", strategy="rail_corridor"), "zh") == (
        "布局路径“沿国际班列通道布局”没有符合条件的候选站点"
    )
    costs = note("placeholder_costs", costs="joint_lab 1/2; zone_upgrade 3/4")
    assert note_text(costs, "zh").endswith("联合实验室 1/2；合作区向科创园区转型升级 3/4")
    nested = note("enterprises_gap", detail=note("synthetic_enterprises"))
    assert note_text(nested, "zh") == "企业：" + NOTES["synthetic_enterprises"][1]
    assert note_text(note("region_gap", region="Asia", kind="World Bank region", missing=3,
                          total=9), "zh").startswith("区域规则“亚洲”（世界银行区域）")


def test_a_vocabulary_translates_ids_and_names():
    text = note("industries_unserved", industries="digital_economy, new_materials")
    vocabulary = {"digital_economy": "数字经济", "new_materials": "新材料"}
    assert note_text(text, "zh", vocabulary) == "没有中心服务的企业产业：数字经济、新材料"


def test_an_unknown_sentence_and_language():
    assert note_text("not a note of the catalog", "zh") == "not a note of the catalog"
    from oicplan.errors import InputError

    with pytest.raises(InputError):
        note_text("max 3 centers", "fr")


def test_phrases_are_chinese():
    assert all(_CJK.search(zh) for zh in PHRASES.values())


def _note_keys_used() -> set[str]:
    """Keys of every note("key", ...) call in the package."""
    used = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "note"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
    return used


def test_every_key_the_code_uses_is_in_the_catalog():
    used = _note_keys_used()
    assert used, "no producer writes notes through oicplan.notes.note"
    assert used <= set(NOTES), sorted(used - set(NOTES))


def test_the_shipped_data_gaps_read_back_to_the_catalog():
    from oicplan.data import load_dataset

    gaps = load_dataset().manifest.get("gaps", [])
    assert gaps
    for gap in gaps:
        assert note_key(gap) is not None, gap
        assert _CJK.search(note_text(gap, "zh")), gap


def test_the_report_catalog_is_complete_in_both_languages():
    """report.messages: every message in zh and en with the same placeholders, zh in Chinese."""
    from oicplan.report.messages import LANGUAGES, MESSAGES

    for key, wording in MESSAGES.items():
        assert set(wording) == set(LANGUAGES), key
        assert _fields(wording["zh"]) == _fields(wording["en"]), key
        assert _CJK.search(wording["zh"]), key
