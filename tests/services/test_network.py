"""The network service gives what build_network gives; bad input names fields."""

from __future__ import annotations

from types import SimpleNamespace

import pydantic
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.errors import InputError
from oicplan.match.enterprises import load_sample
from oicplan.match.matrix import match_matrix
from oicplan.network import build_network
from oicplan.ranking import candidate_sites
from oicplan.scenario import load_scenario
from oicplan.services.network import NetworkRequest, network
from oicplan.store.registry import Registry


@pytest.fixture()
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'registry.sqlite'}"


def test_network_is_build_network_on_the_same_inputs(database_url):
    request = NetworkRequest(
        sample=True, limit=40, use_plan=False, database_url=database_url, top=5
    )
    result = network(request)
    registry = Registry(database_url)
    try:
        centers = registry.list_centers()
    finally:
        registry.dispose()
    direct = build_network(load_sample().head(40), centers=centers)
    assert result.document == direct.to_dict(5)
    assert result.synthetic is True and result.svg is None
    assert "network" not in result.model_dump()
    with pytest.raises(pydantic.ValidationError):
        result.synthetic = False  # frozen


def test_network_with_a_plan_assigns_to_its_sites(monkeypatch, tmp_path):
    import oicplan.plan

    scenario = load_scenario("zhejiang")
    dataset = load_dataset()
    chosen = candidate_sites(dataset, scenario).drop_duplicates("iso3").head(3)
    chosen = chosen.reset_index(drop=True).assign(mode="research")
    match = match_matrix(scenario, scenario.match.preset, dataset=dataset, sites=chosen)
    plan = SimpleNamespace(
        scenario=scenario, dataset=dataset, chosen=chosen, ranked=SimpleNamespace(match=match)
    )
    monkeypatch.setattr(oicplan.plan, "make_plan", lambda scenario: plan)
    picture = tmp_path / "pictures" / "net.svg"
    request = NetworkRequest(
        sample=True, limit=60, use_registry=False, capacity=25, svg=picture, top=3
    )
    result = network(request)
    direct = build_network(load_sample().head(60), plan=plan, capacity=25)
    assert result.document == direct.to_dict(3)
    assigned = [e for e in result.document["edges"] if e["relation"] == "assigned"]
    assert len(assigned) == 60
    assert result.svg == str(picture) and picture.read_text(encoding="utf-8").startswith("<svg")


def test_network_errors_name_fields(tmp_path):
    with pytest.raises(InputError) as error:
        network(NetworkRequest(sample=True, limit=0))
    assert error.value.field == "limit"
    with pytest.raises(InputError) as error:
        network(NetworkRequest(sample=True, enterprises=tmp_path / "firms.csv"))
    assert error.value.field == "enterprises"
    bad = tmp_path / "edges.csv"
    bad.write_text("source,target,relation,weight\na,b,client,-1\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        network(NetworkRequest(sample=True, limit=5, use_plan=False, use_registry=False,
                               edges=bad))
    assert (error.value.row, error.value.field) == (2, "weight")
    with pytest.raises(pydantic.ValidationError):
        NetworkRequest(colour="red")
