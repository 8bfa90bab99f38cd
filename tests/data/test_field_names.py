"""Chinese and English names of every field of every NCSES source (issue 12)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from oicplan.data.fields import FIELD_SOURCES, field_name, field_names, load_field_values

TAXONOMY = Path(__file__).resolve().parents[2] / "src" / "oicplan" / "match" / "taxonomy.yaml"


def test_every_field_of_every_source_has_both_names():
    values = load_field_values()
    have = set(zip(values["source"], values["field"], strict=True))
    names = field_names()
    named = set(zip(names["source"], names["field"], strict=True))
    assert have == named
    assert (names["name_zh"].str.len() > 0).all() and (names["basis"].str.len() > 0).all()
    assert (names["name_en"] == names["field"]).all()
    assert not names.duplicated(["source", "field"]).any()


def test_names_file_is_plain_utf8_csv():
    path = Path(__file__).resolve().parents[2] / "src/oicplan/data/names/field_names_zh.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["source"] for row in rows} == set(FIELD_SOURCES)
    for row in rows:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in row["name_zh"]), row


def test_wipo_field_names_agree_with_the_taxonomy():
    """One wording: the 35 WIPO fields read the same here and in match/taxonomy.yaml."""
    taxonomy = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    by_wipo_number = {spec["wipo"]: spec["name_zh"] for spec in taxonomy["fields"].values()}
    names = field_names()
    wipo = names[(names["source"] == "patent_families")
                  & ~names["field"].isin(["All technologies", "Unassigned (no WIPO field)"])]
    assert len(wipo) == 35
    assert set(wipo["name_zh"]) == set(by_wipo_number.values())


def test_standard_terms_and_areas():
    assert field_name("Computer technology") == "计算机技术"
    assert field_name("Digital communication") == "数字通信"
    assert field_name("Semiconductors", source="patent_families") == "半导体"
    assert field_name("Biotechnology") == "生物技术"
    assert field_name("Pharmaceuticals", source="uspto") == "药品"
    assert field_name("Medical technology") == "医疗技术"
    areas = {field_name(area, source="pct") for area in
             ("Electrical engineering", "Instruments", "Chemistry", "Mechanical engineering",
              "Other fields")}
    assert areas == {"电气工程", "仪器", "化学", "机械工程", "其他领域"}
    assert field_name("Pharmaceuticals", source="kti") == "医药制品"
    assert field_name("Computer technology", "en") == "Computer technology"
