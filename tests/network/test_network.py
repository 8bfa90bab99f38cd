"""Innovation network: measures by hand, suggested links, file checks, synthetic flag, CLI."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from oicplan.errors import InputError
from oicplan.match import load_sample
from oicplan.match.taxonomy import load_taxonomy
from oicplan.network import betweenness, build_network, network_svg, read_edges, read_nodes


def _nodes(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _path_network():
    """a – b – c – d plus an isolated e: all from the user's tables."""
    nodes = _nodes(
        id=["a", "b", "c", "d", "e"],
        kind=["enterprise", "center", "university", "service", "institute"],
        name=["A", "B", "C", "D", "E"],
        service_type=["", "", "", "law", ""],
    )
    edges = _nodes(
        source=["a", "b", "c"], target=["b", "c", "d"], relation=["client", "partner", "client"]
    )
    return build_network(nodes=nodes, edges=edges)


def test_measures_match_hand_computation():
    m = _path_network().measures()
    # 5 nodes, 3 ties: density = 2·3 / (5·4) = 0.3
    assert m["density"] == pytest.approx(0.3)
    assert m["components"] == {"count": 2, "sizes": [4, 1], "largest": 4, "isolated": 1}
    # b lies on a–c, a–d; c on a–d, b–d: 2 pairs each, normalized by (n−1)(n−2)/2 = 6
    assert m["betweenness"]["b"] == pytest.approx(2 / 6)
    assert m["betweenness"]["c"] == pytest.approx(2 / 6)
    assert m["betweenness"]["a"] == 0.0
    assert m["degree"] == {"a": 1, "b": 2, "c": 2, "d": 1, "e": 0}
    assert m["counts"]["service"] == 1 and m["counts"]["industry"] == 0
    # one enterprise, one center, one tie between them
    assert m["bipartite_density"] == 1.0


def test_brokers_break_ties_by_degree_then_id():
    # path p – x – y – q and an isolated a: x and y both lie on 2 pairs, both degree 2;
    # p, q and a have betweenness 0, and a (degree 0) comes last despite its id
    nodes = _nodes(
        id=["x", "y", "p", "q", "a"],
        kind=["center"] * 5,
        name=["X", "Y", "P", "Q", "R"],
    )
    edges = _nodes(source=["p", "x", "y"], target=["x", "y", "q"], relation=["t", "t", "t"])
    net = build_network(nodes=nodes, edges=edges)
    assert [b["id"] for b in net.brokers(5)] == ["x", "y", "p", "q", "a"]
    assert all(isinstance(b["betweenness"], float) for b in net.brokers(3))


def test_fast_betweenness_equals_networkx():
    graph = nx.gnm_random_graph(40, 45, seed=3)
    for i in range(40, 90):  # many leaves, as assigned enterprises are
        graph.add_edge(i, i % 7)
    graph.add_edge(200, 201)  # a lone pair
    expected = nx.betweenness_centrality(graph)
    got = betweenness(graph)
    assert got == pytest.approx(expected)


def test_suggested_links_tiny_case():
    nodes = _nodes(
        id=["c1", "c2", "e1", "e2", "e3"],
        kind=["center", "center", "enterprise", "enterprise", "enterprise"],
        name=["C1", "C2", "E1", "E2", "E3"],
        industries=[
            "information_technology",
            "information_technology;new_materials",
            "information_technology",
            "new_materials",
            "fashion_textiles",
        ],
    )
    edges = _nodes(source=["e1"], target=["c1"], relation=["member"])
    net = build_network(nodes=nodes, edges=edges)
    links = net.suggest_links(None)
    # e2 is tied to no center serving new materials: first; e1 could add c2; e3: no server
    assert [(s["enterprise"], s["center"], s["industry"]) for s in links] == [
        ("e2", "c2", "new_materials"),
        ("e1", "c2", "information_technology"),
    ]
    assert links[0]["covered"] is False and links[1]["covered"] is True
    assert "C2" in links[0]["reason"]
    assert any("fashion_textiles" in gap for gap in net.gaps)


def test_gaps_when_no_partners_given():
    net = build_network(nodes=_nodes(id=["c"], kind=["center"], name=["C"]))
    text = " ".join(net.gaps)
    assert "universities" in text and "service providers" in text and "enterprises" in text
    assert net.counts()["university"] == 0


def test_node_file_errors_name_row_and_field(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text("id,kind,name\nu1,university,U\nx,factory,X\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_nodes(path)
    assert (error.value.row, error.value.field) == (3, "kind")
    assert error.value.file == str(path)
    path.write_text("id,kind,name,service_type\ns1,service,S,\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_nodes(path)
    assert (error.value.row, error.value.field) == (2, "service_type")
    path.write_text("id,kind,name,colour\nu,university,U,red\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_nodes(path)
    assert (error.value.row, error.value.field) == (1, "colour")


def test_edge_file_errors_name_row_and_field(tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id,kind,name\nu1,university,U\nc1,center,C\n", encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "source,target,relation,year\nu1,c1,partner,2019\nu1,c1,hosts,19x9\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as error:
        read_edges(edges)
    assert (error.value.row, error.value.field) == (3, "year")
    edges.write_text("source,target,relation\nu1,c1,partner\nu1,ghost,partner\n", encoding="utf-8")
    assert len(read_edges(edges)) == 2  # the ends are checked when the network is built
    with pytest.raises(InputError) as error:
        build_network(nodes=nodes, edges=edges)
    assert (error.value.file, error.value.row, error.value.field) == (str(edges), 3, "target")
    assert "ghost" in str(error.value)


def test_synthetic_flag_propagates():
    sample = load_sample().head(5)
    nodes = _nodes(id=["c"], kind=["center"], name=["C"], industries=[sample["industry"][0]])
    net = build_network(sample, nodes=nodes)
    doc = net.to_dict()
    assert net.synthetic is True and doc["synthetic"] is True
    assert "SYNTHETIC" in doc["synthetic_note"]
    assert "SYNTHETIC" in net.svg()
    real = sample.assign(synthetic=False)
    assert build_network(real, nodes=nodes).to_dict()["synthetic"] is False


def _app() -> typer.Typer:
    """The real command line, so the command's registration and error handling are tested."""
    from oicplan.cli import app

    return app


def test_cli_json_and_errors(tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(
        "id,kind,name,iso3,service_type\nuni,university,A university,DEU,\n"
        "ipf,service,An IP firm,,ip\n",
        encoding="utf-8",
    )
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "source,target,relation,year,source_note\n"
        "uni,center:geely-research-centre-coventry,partner,2020,user note\n"
        "ipf,operator:Geely,client,,\n",
        encoding="utf-8",
    )
    env = {"OICPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite'}"}
    picture = tmp_path / "net.svg"
    args = ["network", "--no-plan", "--sample", "--limit", "20", "--nodes", str(nodes)]
    result = CliRunner().invoke(
        _app(), [*args, "--edges", str(edges), "--svg", str(picture), "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= {
        "synthetic",
        "nodes",
        "edges",
        "density",
        "components",
        "brokers",
        "suggested_links",
        "gaps",
    }
    assert doc["synthetic"] is True
    assert picture.read_text(encoding="utf-8").startswith("<svg")
    assert any(e["origin"] == "user" and e["year"] == 2020 for e in doc["edges"])
    assert any(e["relation"] == "operates" for e in doc["edges"])
    # Alibaba Group operates 5 registry centers (10 pairs through it); Geely 3 centers,
    # plus the IP firm and the university's tie to Coventry (6 + 3 = 9 pairs)
    assert [b["id"] for b in doc["brokers"][:2]] == ["operator:Alibaba Group", "operator:Geely"]
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,relation,weight\nuni,ipf,client,-1\n", encoding="utf-8")
    result = CliRunner().invoke(_app(), [*args, "--edges", str(bad), "--no-registry"], env=env)
    assert result.exit_code == 2
    assert "row 2, field weight" in result.output
    table = CliRunner().invoke(_app(), [*args, "--no-registry"], env=env)
    assert table.exit_code == 0 and "Gap:" in table.output and "SYNTHETIC" in table.output


def test_end_to_end_with_plan_on_a_sample_subset(tmp_path):
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario
    from oicplan.store.registry import Registry

    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    try:
        centers = registry.list_centers()
    finally:
        registry.dispose()
    plan = make_plan(load_scenario("zhejiang"))
    sample = load_sample().head(240)
    net = build_network(sample, centers=centers, plan=plan, capacity=25)
    kinds = nx.get_node_attributes(net.graph, "kind")
    assigned = [(u, v) for u, v, r in net.graph.edges(data="relation") if r == "assigned"]
    sites = len(plan.chosen)
    assert len(assigned) == min(240, 25 * sites)
    assert all(kinds[u] == "enterprise" and kinds[v] == "center" for u, v in assigned)
    assert all(v.startswith("site:") for _, v in assigned)
    assert {"center:" + c["id"] for c in centers} <= set(net.graph)
    doc = net.to_dict(top=5)
    assert doc["synthetic"] is True and len(doc["brokers"]) == 5
    assert doc["brokers"][0]["kind"] in {"center", "enterprise"}
    json.dumps(doc)  # native types only
    assert doc["suggested_links"] and all(s["reason"] for s in doc["suggested_links"])
    # Host universities and institutes near each chosen site come from ROR (issue 13).
    assert not any("universities" in gap for gap in doc["gaps"])
    hosts = [(u, v) for u, v, r in net.graph.edges(data="relation") if r == "near"]
    assert hosts and {v for _, v in hosts} == {f"site:{s}" for s in plan.chosen["site_id"]}
    for u, _ in hosts:
        data = net.graph.nodes[u]
        assert data["origin"] == "ror" and u == f"ror:{data['ror_id']}"
        assert data["kind"] in {"university", "institute"}
    m = net.measures()
    assert 0 < m["density"] < 1 and m["components"]["count"] >= 1


def test_picture_in_chinese_names_kinds_and_industries():
    sample = load_sample().head(40)
    industry = sample["industry"].iloc[0]
    nodes = _nodes(id=["c"], kind=["center"], name=["C"], industries=[industry])
    net = build_network(sample, nodes=nodes)
    assert f"industry:{industry}" in net.graph
    entry = load_taxonomy().industry(industry)
    zh = network_svg(net, lang="zh")
    assert "创新网络" in zh and "Innovation network" not in zh
    assert "海外创新中心 (1)" in zh and "center (1)" not in zh
    assert entry["name_zh"] in zh and entry["name_en"] not in zh
    en = net.svg()
    assert "Innovation network" in en and "center (1)" in en and entry["name_en"] in en
    with pytest.raises(InputError):
        network_svg(net, lang="fr")


def test_plan_sites_get_their_main_ror_institutions_and_user_nodes_still_add():
    """Each chosen site is tied to the main ROR organizations near it; a user file adds more."""
    from oicplan.data.cities import nearby_institutions

    chosen = pd.DataFrame({"site_id": ["AUT-vienna", "AUT-graz"], "name": ["Vienna", "Graz"],
                           "iso3": ["AUT", "AUT"], "lat": [48.20849, 47.06667],
                           "lon": [16.37208, 15.45], "mode": ["joint_lab", "joint_lab"]})

    class _Plan:  # the parts of a Plan the builder reads
        def __init__(self):
            self.chosen = chosen
            self.scenario = "zhejiang"
            self.ranked = type("R", (), {"match": None})()

    user = pd.DataFrame({"id": ["u1"], "kind": ["university"], "name": ["My partner university"],
                         "iso3": ["AUT"]})
    net = build_network(plan=_Plan(), nodes=user, serve_top=0, hosts_per_site=3,
                        match_by_economy=pd.DataFrame())
    for site_id, lat, lon in zip(chosen["site_id"], chosen["lat"], chosen["lon"], strict=True):
        want = [f"ror:{i}" for i in nearby_institutions(lat, lon, limit=3)["ror_id"]]
        got = sorted(u for u, v, r in net.graph.edges(data="relation")
                     if v == f"site:{site_id}" and r == "near")
        assert got == sorted(want) and len(want) == 3
    names = {d["name"] for _, d in net.graph.nodes(data=True) if d["origin"] == "ror"}
    assert "University of Vienna" in names and "University of Graz" in names
    assert net.graph.nodes["u1"]["origin"] == "user"
    assert any("ROR" in n for n in net.notes)
