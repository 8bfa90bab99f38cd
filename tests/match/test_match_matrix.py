"""Match matrix: range, orders, explanations, presets and user field data."""

from __future__ import annotations

import math

import pytest

from oicplan.errors import InputError
from oicplan.match.matrix import match_matrix
from oicplan.match.taxonomy import load_taxonomy


def test_matrix_in_unit_interval_with_listed_orders(balanced, candidates):
    taxonomy = load_taxonomy()
    assert balanced.industries == taxonomy.industry_ids
    assert balanced.site_ids == list(candidates["site_id"])
    values = balanced.matrix.stack()
    assert len(values) > 0.9 * balanced.matrix.size
    assert values.min() >= 0.0 and values.max() <= 1.0
    document = balanced.to_dict()
    assert len(document["matrix"]) == len(document["industries"])
    assert all(len(row) == len(document["sites"]) for row in document["matrix"])
    assert (
        document["matrix"][0][0] == pytest.approx(balanced.matrix.iloc[0, 0], abs=1e-6, nan_ok=True)
        or document["matrix"][0][0] is None
    )


def test_every_cell_explained_with_years_and_sources(balanced):
    for industry in balanced.industries:
        for site_id in balanced.site_ids:
            cell = balanced.explanations[industry][site_id]
            score = balanced.matrix.at[industry, site_id]
            if math.isnan(score):
                assert cell["score"] is None
                continue
            assert cell["score"] == pytest.approx(score, abs=1e-6)
            if cell["tier"] not in ("proxy", "user"):  # field data: evidence of every field
                assert cell["tier"] == balanced.tiers[cell["economy"]]["tier"]
                for entry in cell["fields"]:
                    assert entry["source"] == cell["tier"]
                    if entry["basis"] == "field_data":
                        first, last = entry["years"]
                        assert 1998 <= first <= last <= 2022
                        assert entry["source_table"] and entry["edition"].startswith("SEI ")
                continue
            assert cell["signals"], (industry, site_id)
            for detail in cell["signals"].values():
                assert isinstance(detail["year"], int) and 1960 <= detail["year"] <= 2030
                assert detail["source"]
                assert detail["inputs"]
            for entry in cell["fields"]:
                assert entry["basis"] in ("proxy", "gap")


def test_unknown_preset_is_an_error():
    with pytest.raises(InputError) as error:
        match_matrix("zhejiang", "sideways")
    assert error.value.field == "preset"


def test_presets_move_in_the_documented_direction_on_real_data(dataset):
    near = match_matrix("zhejiang", "near", dataset=dataset)
    far = match_matrix("zhejiang", "far", dataset=dataset)
    industry = "biotech_new_medicine"
    fields = load_taxonomy().industry_fields(industry)
    relative = {f: near.home[f]["relative"] for f in fields}
    strong, weak = max(relative, key=relative.get), min(relative, key=relative.get)
    assert relative[strong] > relative[weak]
    hosts = near.site_field_strength()
    # The sites whose cells use the taxonomy's fields (no NCSES field data); the field
    # tiers are checked in tests/match/test_field_strength.py.
    proxied = near.sites.loc[near.sites["iso3"].map(
        lambda c: near.tiers[c]["tier"] == "proxy"), "site_id"]
    hosts = hosts.reindex(proxied)
    lean = (hosts[weak] - hosts[strong]).dropna()
    gain = (far.matrix.loc[industry] - near.matrix.loc[industry]).reindex(lean.index).dropna()
    # Far gains where the host leans to Zhejiang's weak field, near where it leans to the strong.
    assert gain.corr(lean.reindex(gain.index), method="spearman") > 0.5


def _two_hosts(candidates):
    economies = list(dict.fromkeys(candidates["iso3"]))
    return economies[0], economies[1]


def test_presets_reverse_a_controlled_case(tmp_path, dataset, candidates):
    x, y = _two_hosts(candidates)
    path = tmp_path / "fields.csv"
    path.write_text(
        "iso3,field,value,year,source\n"
        f"{x},computer_technology,4,2022,test\n{x},it_methods_management,0.25,2022,test\n"
        f"{y},computer_technology,0.25,2022,test\n{y},it_methods_management,4,2022,test\n"
        "CN-ZJ,computer_technology,4,2022,test\nCN-ZJ,it_methods_management,0.25,2022,test\n",
        encoding="utf-8",
    )
    scores = {}
    for preset in ("near", "balanced", "far"):
        result = match_matrix(
            "zhejiang", preset, dataset=dataset, field_data=path, field_data_kind="index"
        )
        row = result.matrix.loc["software_information_services"]
        site_x = candidates.loc[candidates["iso3"] == x, "site_id"].iloc[0]
        site_y = candidates.loc[candidates["iso3"] == y, "site_id"].iloc[0]
        scores[preset] = (row[site_x], row[site_y])
        assert result.home["computer_technology"]["economy"] == "CN-ZJ"
    assert scores["near"][0] > scores["near"][1]  # x is strong where Zhejiang is strong
    assert scores["far"][0] < scores["far"][1]  # y is strong where Zhejiang is weak
    assert scores["balanced"][0] == pytest.approx(scores["balanced"][1])


def test_user_field_data_replace_the_proxy(tmp_path, dataset, candidates, balanced):
    x, _ = _two_hosts(candidates)
    site = candidates.loc[candidates["iso3"] == x, "site_id"].iloc[0]
    path = tmp_path / "fields.csv"
    path.write_text(
        f"iso3,field,value,year,source\n{x},semiconductors,3,2021,my patent counts\n",
        encoding="utf-8",
    )
    result = match_matrix(
        "zhejiang", "balanced", dataset=dataset, field_data=path, field_data_kind="index"
    )
    cell = result.explanations["information_technology"][site]
    entry = next(f for f in cell["fields"] if f["field"] == "semiconductors")
    assert entry["basis"] == "user"
    assert entry["strength"] == pytest.approx(0.75)
    assert entry["user_data"] == {
        "value": 3.0,
        "index": 3.0,
        "year": 2021,
        "source": "my patent counts",
        "file": str(path),
        "row": 2,
    }
    assert balanced.strengths.basis.at[x, "semiconductors"] != "user"
    assert cell["tier"] == "user" and result.tiers[x]["tier"] == "user"
    others = [f for f in cell["fields"] if f["field"] != "semiconductors"]
    assert all(f["basis"] != "user" for f in others)
