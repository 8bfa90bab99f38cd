"""What the fact tables do not say stays unsaid: no invented zeros, newest GII edition,
unconfirmed facts left out unless a scenario opts in (issue 11).

Expectations are recomputed from the shipped fact tables with the csv module, not
from oicplan's own readers.
"""

from __future__ import annotations

import csv

import pytest

from oicplan.data.dataset import load_dataset
from oicplan.data.facts import derive_fact_indicators, read_facts
from oicplan.data.paths import SNAPSHOT_DIR

FACTS = SNAPSHOT_DIR / "facts"


def _rows(name: str) -> list[dict[str, str]]:
    with open(FACTS / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def derived():
    facts = read_facts(FACTS)
    economies = ["BRA", "ARM", "USA", "ISR", "SGP", "THA", "IDN", "DEU", "KAZ", "ESP", "JPN"]
    continents = {"BRA": "South America", "ARM": "Asia", "USA": "North America",
                  "ISR": "Asia", "SGP": "Asia", "THA": "Asia", "IDN": "Asia",
                  "DEU": "Europe", "KAZ": "Asia", "ESP": "Europe", "JPN": "Asia"}
    table = derive_fact_indicators(facts, economies, continents)
    return {(r.entity, r.indicator): (r.year, r.value) for r in table.itertuples()}


def test_an_economy_missing_from_the_treaty_list_is_unknown_not_zero(derived):
    listed = {row["iso3"] for row in _rows("china_tax_treaties") if row["iso3"]}
    for iso3 in ("BRA", "ARM", "USA", "ISR", "SGP", "THA", "DEU", "ESP"):
        if iso3 in listed:
            assert derived[(iso3, "OIC.CN_TAX_TREATY")][1] == 1.0
        else:
            assert (iso3, "OIC.CN_TAX_TREATY") not in derived
    assert not any(code == "OIC.CN_TAX_TREATY" and value == 0 for (_, code), (_, value)
                   in derived.items())


def test_centers_count_only_confirmed_rows_and_the_all_variant_counts_every_row(derived):
    rows = _rows("zhejiang_overseas_centers")
    for iso3 in ("USA", "ISR", "SGP", "DEU"):
        mine = [row for row in rows if row["iso3"] == iso3]
        confirmed = [row for row in mine if not row["status_or_batch"].lower().startswith(
            "announced") and "cease operations" not in row["status_or_batch"].lower()]
        if confirmed:
            assert derived[(iso3, "OIC.ZJ_CENTERS")][1] == len(confirmed)
        else:
            assert (iso3, "OIC.ZJ_CENTERS") not in derived  # unknown, not 0
        assert derived[(iso3, "OIC.ZJ_CENTERS_ALL")][1] == len(mine)
    # Singapore's only row is an announced lab: counted only by the opt-in variant.
    assert (("SGP", "OIC.ZJ_CENTERS") not in derived) and derived[("SGP", "OIC.ZJ_CENTERS_ALL")]


def test_zones_whose_level_is_not_confirmed_are_left_out(derived):
    rows = _rows("zhejiang_zones")
    idn = [row for row in rows if row["iso3"] == "IDN"]
    assert idn and all("UNVERIFIED" in row["level"] for row in idn)
    assert ("IDN", "OIC.ZJ_ZONES") not in derived
    assert derived[("IDN", "OIC.ZJ_ZONES_ALL")][1] == len(idn)
    assert derived[("THA", "OIC.ZJ_ZONES")][1] == 1.0


def test_rail_is_zero_only_where_no_train_can_go(derived):
    routes = [row for row in _rows("yixinou_routes") if row["source"]]
    termini = {row["iso3"] for row in routes if not row["notes"].upper().startswith("NOT FOUND")}
    assert derived[("BRA", "OIC.YIWU_RAIL")][1] == 0.0  # South America: no rail link
    assert derived[("JPN", "OIC.YIWU_RAIL")][1] == 0.0  # an island without a rail link
    assert derived[("ESP", "OIC.YIWU_RAIL")][1] == (1.0 if "ESP" in termini else 0.5)
    assert ("ARM", "OIC.YIWU_RAIL") not in derived  # on the landmass, not listed: unknown
    # Warsaw's row says the route was not found: Poland is no terminus.
    assert "POL" not in {row["iso3"] for row in routes
                         if not row["notes"].upper().startswith("NOT FOUND")}


def test_gii_score_is_the_newest_edition_with_a_score_and_keeps_its_year(derived):
    rows = [row for row in _rows("gii_scores") if row["score"].strip()]
    for iso3 in ("USA", "SGP", "THA", "DEU", "KAZ", "ISR"):
        mine = sorted((int(row["edition"]), row) for row in rows if row["iso3"] == iso3)
        edition, row = mine[-1]
        year, value = derived[(iso3, "GII.SCORE")]
        assert year == edition
        assert value == pytest.approx(float(row["score"].split()[0]))
    assert {year for (_, code), (year, _) in derived.items()
            if code == "GII.INSTITUTIONS"} == {2022}


def test_unconfirmed_sites_are_left_out_unless_a_scenario_opts_in():
    from oicplan.ranking import scenario_dataset
    from oicplan.scenario import load_scenario

    dataset = load_dataset()
    shipped = dataset.sites_with_unconfirmed.set_index("site_id")
    flagged = shipped[shipped["unconfirmed_types"].notna()]
    assert "ISR-tel-aviv" in flagged.index  # the DAMO lab was only announced
    default = dataset.sites.set_index("site_id")
    assert "existing_center" not in default.loc["ISR-tel-aviv", "types"]
    assert "IDN-bungku" not in default.index  # a site that was only an unverified zone
    scenario = load_scenario("zhejiang")
    opted = scenario.model_copy(update={"facts": scenario.facts.model_copy(
        update={"include_unconfirmed": True})})
    view = scenario_dataset(dataset, opted)
    assert "existing_center" in view.sites.set_index("site_id").loc["ISR-tel-aviv", "types"]
    counts = view.latest[view.latest["indicator"] == "OIC.ZJ_CENTERS"].set_index("entity")
    assert counts.loc["SGP", "value"] == 1.0
    assert "OIC.ZJ_CENTERS_ALL" not in set(view.latest["indicator"])
