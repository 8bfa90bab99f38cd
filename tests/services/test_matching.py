"""The matching services give what the library gives, typed and frozen; bad input names fields."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pydantic
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.match import assign_enterprises
from oicplan.match.enterprises import load_sample, load_stored
from oicplan.match.matrix import match_matrix
from oicplan.ranking import candidate_sites
from oicplan.scenario import load_scenario
from oicplan.services import matching
from oicplan.services.matching import (
    AssignRequest,
    EnterprisesImportRequest,
    EnterprisesListRequest,
    EnterprisesSampleRequest,
    MatchRequest,
)

SITES = ["SGP-singapore", "KAZ-almaty"]


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path / "store"))
    return tmp_path


@pytest.fixture(scope="module")
def small_plan():
    """A stand-in for a plan of zhejiang: three chosen sites, with the plan's match and dataset."""
    scenario = load_scenario("zhejiang")
    dataset = load_dataset()
    candidates = candidate_sites(dataset, scenario)
    chosen = candidates.set_index("site_id").loc[[*SITES, "ARE-dubai"]].reset_index()
    match = match_matrix(scenario, scenario.match.preset, dataset=dataset, sites=chosen)
    return SimpleNamespace(
        scenario=scenario, dataset=dataset, chosen=chosen, ranked=SimpleNamespace(match=match)
    )


def test_match_is_the_library_match_of_the_sites_asked_for():
    result = matching.match(MatchRequest(preset="far", sites=SITES))
    scenario = load_scenario("zhejiang")
    restrict = candidate_sites(load_dataset(), scenario).set_index("site_id").loc[SITES]
    direct = match_matrix("zhejiang", "far", sites=restrict.reset_index())
    assert result.document == direct.to_dict()
    assert result.sites == SITES and result.industries == direct.industries
    assert result.preset == "far"
    dumped = result.model_dump(mode="json")
    assert "result" not in dumped and dumped["document"]["sites"] == SITES
    with pytest.raises(pydantic.ValidationError):
        result.preset = "near"  # frozen


def test_match_errors_name_fields():
    with pytest.raises(InputError) as error:
        matching.match(MatchRequest(sites=["XXX-nowhere"]))
    assert error.value.field == "sites" and "XXX-nowhere" in error.value.message
    with pytest.raises(InputError) as error:
        matching.match(MatchRequest(preset="sideways"))
    assert error.value.field == "preset"
    with pytest.raises(pydantic.ValidationError):
        MatchRequest(colour="red")


def test_enterprises_import_stores_and_returns_the_list(data_dir):
    good = data_dir / "good.csv"
    good.write_text(
        "name,industry,size,home_city\nA,new_materials,large,Ningbo\n", encoding="utf-8"
    )
    result = matching.enterprises_import(EnterprisesImportRequest(file=good))
    stored = load_stored()
    assert result.count == len(stored) == 1
    assert result.stored.endswith("enterprises.csv")
    assert [e["name"] for e in result.enterprises] == stored["name"].tolist()
    assert result.document() == {
        "synthetic": False,
        "stored": result.stored,
        "count": 1,
        "enterprises": result.enterprises,
    }
    listed = matching.enterprises_list(EnterprisesListRequest())
    assert listed.enterprises == result.enterprises and listed.path == result.stored


def test_enterprises_import_errors_name_row_and_field(data_dir):
    bad = data_dir / "bad.csv"
    bad.write_text("name,industry,size,home_city\nB,new_materials,large,Paris\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        matching.enterprises_import(EnterprisesImportRequest(file=bad))
    assert (error.value.row, error.value.field) == (2, "home_city")
    assert matching.enterprises_list(EnterprisesListRequest()).count == 0  # nothing stored


def test_enterprises_sample_and_its_csv(data_dir):
    out = data_dir / "sub" / "sample.csv"
    result = matching.enterprises_sample(EnterprisesSampleRequest(out=out))
    sample = load_sample()
    assert result.written == str(out) and result.count == len(sample) == 4119
    assert result.synthetic and "SYNTHETIC" in result.document()["note"]
    written = pd.read_csv(out)
    assert written["name"].tolist() == sample["name"].tolist()
    assert "prefecture" not in written
    listed = matching.enterprises_list(EnterprisesListRequest(sample=True))
    assert listed.count == 4119 and listed.document() == result.document()


def test_enterprises_assign_is_the_library_assignment_to_the_planned_centers(
    small_plan, monkeypatch
):
    import oicplan.plan

    monkeypatch.setattr(oicplan.plan, "make_plan", lambda scenario: small_plan)
    result = matching.enterprises_assign(AssignRequest(sample=True, capacity=400))
    sites = small_plan.dataset.sites.set_index("site_id")
    access = sites.loc[small_plan.chosen["site_id"], "access_days"].dropna()
    direct = assign_enterprises(
        load_sample(), small_plan.ranked.match, list(small_plan.chosen["site_id"]), access, 400
    )
    assert result.document == direct.to_dict()
    assert result.by_site == direct.by_site and result.capacities == direct.capacities
    assert result.synthetic and result.scenario == "zhejiang"
    assert "assignment" not in result.model_dump()


def test_enterprises_assign_errors_name_fields(data_dir):
    with pytest.raises(InputError) as error:
        matching.enterprises_assign(AssignRequest(sample=True, capacity=0))
    assert error.value.field == "capacity"
    with pytest.raises(InputError) as error:  # nothing stored in the empty data folder
        matching.enterprises_assign(AssignRequest())
    assert error.value.field == "enterprises"
