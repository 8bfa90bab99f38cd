"""The fast paths of the network give what the straightforward computations give.

* the actor graph: ``nx.Graph(graph.subgraph(actors).to_undirected())`` without deep copies;
* the match by economy: read from the plan's own match instead of computed again;
* the picture's layout: networkx's spring layout with faster array arithmetic.
"""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from oicplan.data.dataset import load_dataset
from oicplan.match import load_sample
from oicplan.match.matrix import match_matrix
from oicplan.network import build_network
from oicplan.network.build import _economy_match
from oicplan.network.measures import actor_graph
from oicplan.network.picture import spring_layout
from oicplan.ranking import candidate_sites
from oicplan.scenario import load_scenario


def _graph_items(graph: nx.Graph) -> tuple:
    """Nodes, edges (with every attribute) and neighbour order: what the measures see."""
    return (
        list(graph.nodes(data=True)),
        list(graph.edges(data=True)),
        {v: list(graph.adj[v]) for v in graph},
    )


@pytest.fixture(scope="module")
def small_plan():
    """A stand-in for a plan: four chosen sites in three economies, with their match."""
    scenario = load_scenario("zhejiang")
    dataset = load_dataset()
    candidates = candidate_sites(dataset, scenario)
    chosen = candidates.drop_duplicates("iso3").head(3)
    extra = candidates[candidates["iso3"] == chosen["iso3"].iloc[0]].iloc[1:2]
    chosen = pd.concat([chosen, extra]).reset_index(drop=True)
    chosen["mode"] = "research"
    # the chosen sites are columns of the match, as in a real plan
    match = match_matrix(
        scenario,
        scenario.match.preset,
        dataset=dataset,
        sites=pd.concat([chosen, candidates.head(60)]).drop_duplicates("site_id"),
    )
    return SimpleNamespace(
        scenario=scenario, dataset=dataset, chosen=chosen, ranked=SimpleNamespace(match=match)
    )


def test_actor_graph_equals_networkx_undirected_copy():
    sample = load_sample().head(40)
    nodes = pd.DataFrame(
        {
            "id": ["u", "i", "s", "c"],
            "kind": ["university", "institute", "service", "center"],
            "name": ["U", "I", "S", "C"],
            "service_type": ["", "", "law", ""],
            "industries": ["", "", "", "information_technology"],
        }
    )
    first = f"enterprise:{sample['name'].iloc[0]}"
    edges = pd.DataFrame(
        {
            "source": ["u", "i", "c", "s", first, "c"],
            "target": ["i", "u", first, "c", "c", "u"],
            "relation": ["partner", "partner", "client", "client", "member", "partner"],
            "weight": [1.0, 2.0, 1.0, 0.5, 3.0, 1.0],
        }
    )
    net = build_network(sample, nodes=nodes, edges=edges)
    graph = net.graph
    keep = [v for v, kind in graph.nodes(data="kind") if kind != "industry"]
    reference = nx.Graph(graph.subgraph(keep).to_undirected())
    fast = actor_graph(graph)
    assert _graph_items(fast) == _graph_items(reference)
    # a tie written both ways is one edge; the later direction's attributes win
    assert fast.edges["u", "i"]["weight"] == reference.edges["u", "i"]["weight"]
    # the copy owns its list attributes
    fast.nodes[first]["industries"].append("x")
    assert graph.nodes[first]["industries"] != fast.nodes[first]["industries"]


def test_economy_match_from_the_plan_equals_the_computed_one(small_plan):
    economies = sorted(set(small_plan.chosen["iso3"]))
    computed = _economy_match(small_plan.scenario, economies, None)
    reused = _economy_match(small_plan.scenario, economies, None, small_plan)
    pd.testing.assert_frame_equal(reused, computed)
    # a plan made from another dataset: computed
    other = SimpleNamespace(**{**vars(small_plan), "dataset": object()})
    pd.testing.assert_frame_equal(
        _economy_match(small_plan.scenario, economies, None, other), computed
    )
    # an economy with no site in the plan's match: computed
    listed = set(small_plan.ranked.match.sites["iso3"])
    outside = sorted(set(candidate_sites(load_dataset(), small_plan.scenario)["iso3"]) - listed)
    wider = [*economies, outside[0]]
    pd.testing.assert_frame_equal(
        _economy_match(small_plan.scenario, wider, None, small_plan),
        _economy_match(small_plan.scenario, wider, None),
    )


def test_network_with_a_plan_is_the_same_as_before(small_plan):
    sample = load_sample().head(120)
    economies = sorted(set(small_plan.chosen["iso3"]))
    before = build_network(
        sample,
        plan=small_plan,
        capacity=30,
        match_by_economy=_economy_match(small_plan.scenario, economies, None),
    )
    after = build_network(sample, plan=small_plan, capacity=30)
    assert _graph_items(after.graph) == _graph_items(before.graph)
    assert after.to_dict() == before.to_dict()


@pytest.mark.parametrize("nodes, edges", [(4, 3), (60, 150), (200, 420)])
def test_spring_layout_equals_networkx(nodes, edges):
    graph = nx.gnm_random_graph(nodes, edges, seed=nodes)
    for u, v in graph.edges:
        graph.edges[u, v]["weight"] = 0.25 + (u + 2 * v) % 4 / 4
    k = 2.0 / nodes**0.5
    fast = spring_layout(graph, k=k, seed=0, iterations=80)
    slow = nx.spring_layout(graph, k=k, seed=0, iterations=80)
    assert list(fast) == list(slow)
    assert all(np.array_equal(fast[v], slow[v]) for v in graph)


def test_a_table_without_a_synthetic_column_keeps_every_enterprise():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "industry": ["new_materials"] * 3})
    net = build_network(frame)
    assert net.counts()["enterprise"] == 3 and net.synthetic is False
