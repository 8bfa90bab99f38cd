"""Location models on network costs: shortest paths over a graph instead of great circles."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from oicplan.errors import InputError
from oicplan.optimize import PMedian, haversine_km, network_costs


def _road_network(seed: int = 3, n: int = 40) -> nx.Graph:
    """A connected random network whose edges cost their great-circle km times a detour."""
    rng = np.random.default_rng(seed)
    coords = np.column_stack([rng.uniform(40, 50, n), rng.uniform(0, 15, n)])
    G = nx.Graph()
    for k, (lat, lon) in enumerate(coords):
        G.add_node(f"n{k}", lat=float(lat), lon=float(lon))
    km = haversine_km(coords, coords)
    west_to_east = np.argsort(coords[:, 1])
    pairs = [(k, m) for k in range(n) for m in np.argsort(km[k])[1:4]]  # 3 nearest
    pairs += list(zip(west_to_east[:-1], west_to_east[1:], strict=True))  # one spine
    for k, m in pairs:  # each road a random detour over the straight line
        G.add_edge(f"n{k}", f"n{m}", km=float(km[k, m] * rng.uniform(1.1, 1.6)))
    assert nx.is_connected(G)
    return G


def test_costs_are_shortest_paths_between_the_snapped_nodes():
    G = _road_network()
    coords = {n: (d["lat"], d["lon"]) for n, d in G.nodes(data=True)}
    demand = ["n0", "n5", "n17", "n33"]
    sites = ["n2", "n9", "n21"]
    # Points a little off their node still snap to it.
    jitter = [[coords[n][0] + 0.01, coords[n][1] - 0.01] for n in demand]
    costs = network_costs(G, jitter, [coords[n] for n in sites])
    for (i, d), (j, f) in itertools.product(enumerate(demand), enumerate(sites)):
        assert costs[i, j] == pytest.approx(nx.shortest_path_length(G, f, d, weight="km"))
    # A network path is never shorter than the straight line between its nodes.
    straight = haversine_km([coords[n] for n in demand], [coords[n] for n in sites])
    assert (costs >= straight - 1e-9).all()


def test_pmedian_on_the_network_matches_enumeration():
    G = _road_network(seed=11)
    coords = [(d["lat"], d["lon"]) for _, d in G.nodes(data=True)]
    demand, sites = coords[:25], coords[25:]
    weights = np.arange(1, 26, dtype=float)
    model = PMedian.from_sites(demand, sites, weights, p=2, graph=G).solve()
    costs = network_costs(G, demand, sites)
    best = min(
        (float(weights @ costs[:, list(pair)].min(axis=1)), pair)
        for pair in itertools.combinations(range(len(sites)), 2)
    )
    assert model.status == "optimal"
    assert model.objective == pytest.approx(best[0])
    assert sorted(model.facilities) == sorted(best[1])


def test_directed_costs_run_from_facility_to_demand():
    G = nx.DiGraph()
    G.add_node("a", lat=0.0, lon=0.0)
    G.add_node("b", lat=0.0, lon=1.0)
    G.add_edge("b", "a", days=2.0)
    G.add_edge("a", "b", days=9.0)
    assert network_costs(G, [[0, 0]], [[0, 1]], weight="days").tolist() == [[2.0]]


def test_unreachable_pairs_and_bad_edges_are_named():
    G = nx.Graph()
    G.add_node("a", lat=0.0, lon=0.0)
    G.add_node("b", lat=0.0, lon=1.0)
    G.add_node("island", lat=5.0, lon=5.0)
    G.add_edge("a", "b", km=100.0)
    with pytest.raises(InputError, match="does not reach demand point 1 \\(node 'island'\\)"):
        network_costs(G, [[0, 0], [5, 5]], [[0, 1]])
    G.add_edge("b", "island", km=-1.0)
    with pytest.raises(InputError, match="edge 'b' - 'island' has no valid 'km'"):
        network_costs(G, [[0, 0]], [[0, 1]])
    with pytest.raises(InputError, match="no node with 'lat' and 'lon'"):
        network_costs(nx.path_graph(3), [[0, 0]], [[0, 1]])
