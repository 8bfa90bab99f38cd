"""The transport services: access, corridors and disruption, on typed requests."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from oicplan.errors import InputError
from oicplan.services import transport
from tests.geo.conftest import SITES


@pytest.fixture()
def small(monkeypatch):
    from oicplan.geo import build_graph

    graph = build_graph(sites=SITES)
    monkeypatch.setattr(transport, "scenario_graph", lambda scenario="zhejiang": graph)
    return graph


def test_access_gives_the_published_route_and_json_document(small):
    result = transport.access(transport.AccessRequest(origin="Yiwu", to="Madrid", mode="rail"))
    assert (result.route["km"], result.route["days"]) == (13052.0, 21.0)
    assert result.route["avoid"] == []
    assert result.route_object.rail_route == "Yiwu–Madrid"
    assert "route_object" not in result.model_dump()
    with pytest.raises(ValidationError):
        result.route = {}  # frozen


def test_access_errors_name_fields(small):
    with pytest.raises(InputError) as error:
        transport.access(transport.AccessRequest(origin="Yiwu", to="Madrid", mode="ship"))
    assert error.value.field == "mode"
    with pytest.raises(InputError) as error:
        transport.access(transport.AccessRequest(origin="Lhasa", to="Madrid"))
    assert error.value.field == "from"
    with pytest.raises(ValidationError):
        transport.AccessRequest(origin="Yiwu", to="Madrid", colour="red")


def test_corridors_with_a_closure(small):
    result = transport.corridors(transport.CorridorsRequest(avoid=["alashankou"]))
    rail = {c["corridor"]: c for c in result.corridors if c["mode"] == "rail"}
    assert "Yiwu–Madrid" not in rail  # its rail runs through Alashankou
    assert result.home_region == "Zhejiang"
