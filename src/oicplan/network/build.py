"""Build the innovation network and measure it (paper sections 2.2 and 2.3).

Nodes and where each comes from (``origin``):

=============== ============================================================ =================
kind            from                                                         id
=============== ============================================================ =================
enterprise      the user's enterprise file, or the SYNTHETIC sample          ``enterprise:<name>``
enterprise      a registry center's named operator (``operator: true``)      ``operator:<name>``
center          the registry of established centers (real, sourced)          ``center:<id>``
center          a plan's chosen sites                                        ``site:<site id>``
university,     ROR: the main top-level education (university) and          ``ror:<ror id>``
institute       facility (institute) records within 50 km of each chosen
                site (real names; each node carries its ``ror_id``)
industry        the taxonomy's priority industries (only those served)       ``industry:<id>``
any of KINDS    the user's ``nodes`` file (universities, institutes,         as given
                services, more enterprises or centers)
=============== ============================================================ =================

Host universities and research institutes near a plan's chosen sites come from the
Research Organization Registry (:func:`oicplan.data.cities.nearby_institutions`: the
:data:`HOSTS_PER_SITE` main ones within 50 km: those with records filed under them in
ROR, then the oldest), each tied to its site (``near``, origin ``ror``). Service
providers, and any further university or institute, come only from the user's file: no
public list of service providers exists, and none is invented. Their absence is
reported as a gap.

Edges (directed ``source → target``, attributes ``relation, weight, year,
source_note, origin``):

* enterprise → planned center, ``assigned``: the capacitated assignment
  (:func:`oicplan.match.assign_enterprises`) of the enterprises to the plan's
  chosen sites. Established registry centers take no assigned enterprises (they
  belong to their operators); they appear in the suggested links instead.
* university or institute → planned center, ``near`` (weight 1): a ROR organization
  within 50 km of the chosen site, a candidate host; ``source_note`` gives its ROR
  record and distance.
* operator → registry center, ``operates``: where the registry names the
  operator. A trailing parenthetical remark is ignored when operators are
  compared, so ``Geely`` and ``Geely (largest institute ...)`` are one node.
* center → industry, ``serves`` (weight = the match score): a center serves an
  industry when the match of its economy for that industry is among the
  center's ``serve_top`` best industries (default 3) or at least
  ``serve_threshold`` (default: not used). Match scores are national
  (:mod:`oicplan.match.matrix`), so they come from the center's ``iso3``. A
  user center that lists ``industries`` serves exactly those.
* anything the user's ``edges`` file says (``origin: user``). A user tie on a
  pair that is already derived replaces the derived attributes and keeps both
  origins.

Measures are taken on the *actor* graph: the nodes other than industries, as an
undirected simple graph (a tie is a tie whichever way it was written).
Industries are a second mode (an affiliation, not an actor); counting them would
make any two centers serving the same industry look two steps apart and would
hand most of the brokerage to the industries. So:

* ``density`` = 2m / (n (n − 1)) of the actor graph;
* ``bipartite_density`` = enterprise–center ties / (#enterprises × #centers),
  the share of possible ties in the two-mode layer where most ties live;
* components are the connected components of the actor graph (the weakly
  connected components of the directed one);
* betweenness is Brandes' unweighted, normalized like networkx
  (``2 / ((n − 1)(n − 2))`` for undirected graphs), computed exactly with
  degree-one nodes folded into their neighbour (they lie on no shortest path
  as an intermediate, and a leaf's paths are its neighbour's paths plus one
  step), which keeps thousands of assigned enterprises fast;
* brokers are the actors with the highest betweenness, ties broken by degree,
  then by id.

>>> import pandas as pd
>>> nodes = pd.DataFrame({
...     "id": ["a", "b", "c", "d"], "kind": ["enterprise", "center", "university", "service"],
...     "name": ["A", "B", "C", "D"], "service_type": ["", "", "", "law"]})
>>> edges = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"],
...                       "relation": ["client", "partner", "client"]})
>>> net = build_network(nodes=nodes, edges=edges)
>>> m = net.measures()
>>> m["density"], m["components"]["sizes"]
(0.5, [4])
>>> [(b["id"], round(b["betweenness"], 3)) for b in net.brokers(2)]
[('b', 0.667), ('c', 0.667)]
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd

from oicplan.errors import InputError
from oicplan.match.enterprises import SYNTHETIC_NOTE
from oicplan.match.taxonomy import Taxonomy, load_taxonomy
from oicplan.network.files import KINDS, SERVICE_TYPES, check_edges, check_nodes
from oicplan.network.measures import InnovationNetwork, betweenness
from oicplan.notes import note
from oicplan.pipeline_cache import StageCache, file_key, frame_key

__all__ = [
    "ACTOR_KINDS",
    "HOSTS_PER_SITE",
    "SERVE_TOP",
    "InnovationNetwork",
    "betweenness",
    "build_network",
]

ACTOR_KINDS = KINDS
"""Kinds measured as actors; ``industry`` nodes are the second mode."""

SERVE_TOP = 3
"""Default number of best-matched industries a center serves."""

HOSTS_PER_SITE = 5
"""Default number of ROR universities and institutes tied to each chosen site."""

_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


# -- private helpers ---------------------------------------------------------
def _serving(scores: pd.Series, top: int, threshold: float | None) -> dict[str, float]:
    """Industries a center serves, with their match: the ``top`` best, or ≥ threshold."""
    scores = scores.dropna().sort_values(ascending=False, kind="stable")
    chosen = {str(k): float(v) for k, v in scores.head(top).items()}
    if threshold is not None:
        chosen.update({str(k): float(v) for k, v in scores.items() if v >= threshold})
    return chosen


# The shipped enterprise sample, read and validated once (kept on disk too: parsing its
# 4,119 rows takes ~0.3 s); keyed by the file (path, time, size).
_SAMPLE_CACHE = StageCache("enterprise sample", maxsize=2, disk=True)


def _as_frame(enterprises) -> pd.DataFrame | None:
    if enterprises is None:
        return None
    if isinstance(enterprises, pd.DataFrame):
        return enterprises
    from oicplan.match.enterprises import SAMPLE_FILE, load_enterprises

    if str(enterprises) == "sample":
        sample = _SAMPLE_CACHE.get(file_key(SAMPLE_FILE), lambda: load_enterprises("sample"))
        return sample.copy()
    return load_enterprises(enterprises)


def _as_centers(centers) -> list[dict]:
    if centers is None:
        return []
    if hasattr(centers, "list_centers"):
        return list(centers.list_centers())
    if isinstance(centers, pd.DataFrame):
        return centers.to_dict("records")
    return [dict(c) for c in centers]


# -- building ----------------------------------------------------------------
class _Builder:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.graph = nx.DiGraph()
        self.taxonomy = taxonomy
        self.gaps: list[str] = []
        self.notes: list[str] = []

    def node(self, node_id: str, **data) -> None:
        self.graph.add_node(node_id, **data)

    def edge(self, source: str, target: str, **data) -> None:
        self.graph.add_edge(source, target, **data)

    def enterprises(self, frame: pd.DataFrame) -> bool:
        # A table without a synthetic column has no synthetic rows (one flag per row:
        # zip stops at the shorter list).
        synthetic_column = (
            frame["synthetic"] if "synthetic" in frame else pd.Series(False, index=frame.index)
        )
        flags = synthetic_column.astype(str).str.lower().isin({"true", "1"})
        cities = frame["home_city"].tolist() if "home_city" in frame else [None] * len(frame)
        # One add_nodes_from over the columns: what add_node per record did, faster.
        self.graph.add_nodes_from(
            (
                f"enterprise:{name}",
                {
                    "kind": "enterprise",
                    "name": str(name),
                    "origin": "enterprises",
                    "industries": [str(industry)],
                    "city": city or None,
                    "synthetic": bool(flag),
                },
            )
            for name, industry, city, flag in zip(
                frame["name"].tolist(),
                frame["industry"].tolist(),
                cities,
                flags.tolist(),
                strict=False,
            )
        )
        return bool(flags.any())

    def registry(self, centers: list[dict]) -> list[str]:
        unnamed = []
        for center in centers:
            node_id = f"center:{center['id']}"
            self.node(
                node_id,
                kind="center",
                name=str(center["name"]),
                origin="registry",
                iso3=center.get("iso3"),
                city=center.get("host_city"),
                mode=center.get("mode"),
                source_note=center.get("source"),
            )
            text = (center.get("operator") or "").strip()
            if not text:
                unnamed.append(str(center["id"]))
                continue
            shown = _PAREN.sub("", text).strip() or text
            operator_id = f"operator:{shown}"
            if operator_id not in self.graph:
                self.node(
                    operator_id,
                    kind="enterprise",
                    name=text,
                    origin="registry",
                    operator=True,
                    industries=[],
                )
            elif len(text) < len(self.graph.nodes[operator_id]["name"]):
                self.graph.nodes[operator_id]["name"] = text
            self.edge(
                operator_id,
                node_id,
                relation="operates",
                weight=1.0,
                year=center.get("opening_year"),
                source_note=center.get("source") or "registry of established centers",
                origin="registry",
            )
        return unnamed

    def plan_sites(self, chosen: pd.DataFrame, hosts: int = 0) -> int:
        """The chosen sites as centers, each with its ``hosts`` main ROR organizations."""
        tied = 0
        for record in chosen.to_dict("records"):
            site = f"site:{record['site_id']}"
            self.node(
                site,
                kind="center",
                name=str(record["name"]),
                origin="plan",
                iso3=record.get("iso3"),
                mode=record.get("mode"),
            )
            if hosts > 0 and pd.notna(record.get("lat")) and pd.notna(record.get("lon")):
                tied += self.ror_hosts(site, float(record["lat"]), float(record["lon"]), hosts)
        return tied

    def ror_hosts(self, site: str, lat: float, lon: float, limit: int) -> int:
        from oicplan.data.cities import RESEARCH_RADIUS_KM, nearby_institutions

        near = nearby_institutions(lat, lon, limit=limit)
        for row in near.itertuples(index=False):
            node_id = f"ror:{row.ror_id}"
            if node_id not in self.graph:
                self.node(
                    node_id,
                    kind="university" if "education" in row.types.split(";") else "institute",
                    name=str(row.name),
                    origin="ror",
                    ror_id=str(row.ror_id),
                    iso3=str(row.iso3),
                    city=None if pd.isna(row.city) else str(row.city),
                    source_note=f"Research Organization Registry, https://ror.org/{row.ror_id} "
                    "(CC0; location GeoNames)",
                )
            self.edge(
                node_id,
                site,
                relation="near",
                weight=1.0,
                year=None,
                source_note=f"ROR record {row.km:g} km from the site (within "
                f"{RESEARCH_RADIUS_KM:g} km)",
                origin="ror",
            )
        return len(near)

    def user_nodes(self, frame: pd.DataFrame) -> None:
        for record in frame.to_dict("records"):
            if record["id"] in self.graph:
                raise InputError(
                    f"id {record['id']!r} is already a node",
                    file=record["file"],
                    row=int(record["row"]),
                    field="id",
                )
            data = {
                "kind": record["kind"],
                "name": record["name"],
                "origin": "user",
                "iso3": record["iso3"],
                "city": record["city"],
                "industries": list(record["industries"]),
                "fields": list(record["fields"]),
                "source_note": record["source_note"],
            }
            if record["kind"] == "service":
                data["service_type"] = record["service_type"]
            if record["kind"] == "center" and record["industries"]:
                data["serves"] = dict.fromkeys(record["industries"])
            self.node(record["id"], **{k: v for k, v in data.items() if v not in (None, [])})

    def user_edges(self, frame: pd.DataFrame) -> None:
        hint = (
            "ids are those of the nodes file, or enterprise:<name>, center:<registry id>, "
            "site:<site id>, operator:<name> for derived nodes"
        )
        for record in frame.to_dict("records"):
            for column in ("source", "target"):
                if record[column] not in self.graph:
                    raise InputError(
                        f"unknown node {record[column]!r}; {hint}",
                        file=record["file"],
                        row=int(record["row"]),
                        field=column,
                    )
            u, v = record["source"], record["target"]
            if (
                self.graph.nodes[u]["kind"] == "industry"
                or self.graph.nodes[v]["kind"] == "industry"
            ):
                raise InputError(
                    "industries are not actors; give the tie to an actor",
                    file=record["file"],
                    row=int(record["row"]),
                    field="target",
                )
            data = {
                "relation": record["relation"],
                "weight": float(record["weight"]),
                "year": None if pd.isna(record["year"]) else int(record["year"]),
                "source_note": record["source_note"],
                "origin": "user",
            }
            if self.graph.has_edge(u, v):
                old = self.graph.edges[u, v]["origin"]
                data["origin"] = old if "user" in old.split("+") else f"{old}+user"
            self.edge(u, v, **data)

    def serves(self, by_economy: pd.DataFrame | None, top: int, threshold: float | None) -> None:
        missing = []
        for v, data in list(self.graph.nodes(data=True)):
            if data["kind"] != "center" or "serves" in data:
                continue
            iso3 = data.get("iso3")
            if by_economy is None or iso3 not in by_economy.columns:
                missing.append(v)
                continue
            served = _serving(by_economy[iso3], top, threshold)
            if not served:
                missing.append(v)
            data["serves"] = served
        for v, data in list(self.graph.nodes(data=True)):
            for industry, score in data.get("serves", {}).items():
                target = f"industry:{industry}"
                if target not in self.graph:
                    self.node(
                        target,
                        kind="industry",
                        name=str(self.taxonomy.industry(industry)["name_en"]),
                        origin="taxonomy",
                    )
                self.edge(
                    v,
                    target,
                    relation="serves",
                    weight=1.0 if score is None else float(score),
                    year=None,
                    source_note="listed by the user"
                    if score is None
                    else f"match of the host economy (top {top}"
                    + ("" if threshold is None else f" or ≥ {threshold}")
                    + ")",
                    origin="user" if score is None else "match",
                )
        if missing:
            self.gaps.append(note(
                "centers_no_match", n=len(missing),
                centers=", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""),
            ))


# The capacitated assignment (a HiGHS solve: ~1 s for the sample's 4,119 enterprises,
# plus ~0.5 s to import scipy.optimize) gives the same result for the same inputs, so
# it is kept, on disk too: keyed by the enterprises, what the utility reads of the match
# (the sites' columns, field strengths and economies), the sites, the capacities and the
# assignment weights in force (``assign.*`` of oicplan.assumptions).
_ASSIGN_CACHE = StageCache("network assignment", maxsize=4, disk=True)


def _assignment_key(frame: pd.DataFrame, match, sites: list[str], capacity) -> tuple | None:
    """Everything :func:`oicplan.match.assign_enterprises` reads here; None if not statable."""
    from oicplan.assumptions import value
    from oicplan.match.assign import match_parts

    try:
        matrix, strengths, economies = match_parts(match)
        parts = (
            frame_key(matrix[sites]),
            None if strengths is None else frame_key(strengths.loc[sites]),
            tuple(str(economies.get(site)) for site in sites),
        )
        enterprises = frame_key(frame)
    except (TypeError, KeyError, AttributeError, ValueError):
        return None  # a cell that does not hash (a list ...): computed, not kept
    if isinstance(capacity, dict):
        capacity = tuple(sorted((str(site), repr(seats)) for site, seats in capacity.items()))
    elif capacity is not None and not isinstance(capacity, int):
        return None
    weights = tuple(
        float(value(name))
        for name in ("assign.needs_weight", "assign.presence_bonus", "assign.access_weight")
    )
    return (enterprises, parts, tuple(sites), capacity, weights)


def _assignment(frame: pd.DataFrame, match, sites: list[str], capacity):
    """The assignment of ``frame`` to ``sites`` (a copy of the cached one when kept)."""
    import copy

    def compute():
        from oicplan.match.assign import assign_enterprises

        return assign_enterprises(frame, match, sites, capacities=capacity)

    return copy.deepcopy(_ASSIGN_CACHE.get(_assignment_key(frame, match, sites, capacity), compute))


def _economy_match(scenario, economies: list[str], dataset, plan=None) -> pd.DataFrame | None:
    """Industries × economies match (national signals), for the scenario's preset.

    Taken from the plan's own match when it has a site in every economy and was
    made from the same dataset (:func:`_plan_economy_match`), else computed.
    """
    if not economies:
        return None
    reused = _plan_economy_match(plan, economies, dataset)
    if reused is not None:
        return reused
    from oicplan.match.matrix import match_matrix
    from oicplan.scenario import Scenario, load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(str(scenario))
    sites = pd.DataFrame({"site_id": economies, "name": economies, "iso3": economies})
    result = match_matrix(
        scenario,
        scenario.match.preset,
        field_data=scenario.match.field_data,
        sites=sites,
        dataset=dataset,
    )
    return result.matrix


def _plan_economy_match(plan, economies: list[str], dataset) -> pd.DataFrame | None:
    """The economies' columns of the plan's match, or None when it cannot stand in.

    Match scores are national and do not depend on which sites are asked for
    (:mod:`oicplan.match.matrix`): with the same scenario (preset, field data,
    candidates as the reference) and the same dataset, a site's column is its
    economy's column, value for value. So when the plan's ranking made a match
    from the dataset the network would use, every economy with a candidate site
    reads its column there instead of computing the match again.
    """
    match = None if plan is None else getattr(plan.ranked, "match", None)
    if match is None or not hasattr(match, "sites") or not hasattr(match, "matrix"):
        return None
    from oicplan.data.dataset import load_dataset

    if plan.dataset is not (dataset if dataset is not None else load_dataset()):
        return None
    if match.preset != plan.scenario.match.preset or match.taxonomy is not load_taxonomy():
        return None
    site_of: dict[str, str] = {}
    for site_id, iso3 in zip(match.sites["site_id"], match.sites["iso3"], strict=True):
        site_of.setdefault(iso3, site_id)
    if any(iso3 not in site_of for iso3 in economies):
        return None
    return pd.DataFrame({iso3: match.matrix[site_of[iso3]] for iso3 in economies})


def build_network(
    enterprises: pd.DataFrame | str | Path | None = None,
    centers=None,
    plan=None,
    nodes: pd.DataFrame | str | Path | None = None,
    edges: pd.DataFrame | str | Path | None = None,
    *,
    scenario="zhejiang",
    capacity: int | dict | None = None,
    serve_top: int = SERVE_TOP,
    serve_threshold: float | None = None,
    match_by_economy: pd.DataFrame | None = None,
    taxonomy: Taxonomy | None = None,
    dataset=None,
    hosts_per_site: int = HOSTS_PER_SITE,
) -> InnovationNetwork:
    """Build the innovation network from enterprises, centers, a plan and the user's files.

    Parameters
    ----------
    enterprises : DataFrame, path or ``"sample"``, optional
        Enterprises as :func:`oicplan.match.read_enterprises` gives them; a path
        is read and validated; ``"sample"`` is the SYNTHETIC sample.
    centers : list of dict, DataFrame or Registry, optional
        Established centers (``id, name, iso3, host_city, mode, operator,
        source``), e.g. ``Registry(url).list_centers()``.
    plan : Plan, optional
        Its chosen sites become planned centers; with enterprises, the
        capacitated assignment ties them to those sites.
    nodes, edges : DataFrame or path, optional
        The user's files (:mod:`oicplan.network.files`).
    scenario : str or Scenario
        Gives the match preset when there is no plan (default ``zhejiang``).
    capacity : int or dict, optional
        Seats per planned center in the assignment (default: enough for all).
    serve_top, serve_threshold : int, float, optional
        A center serves its ``serve_top`` best-matched industries and any with
        a match ≥ ``serve_threshold``.
    match_by_economy : DataFrame, optional
        Industries × ISO3 match to use instead of computing it.
    hosts_per_site : int
        ROR universities and institutes tied to each of the plan's chosen sites
        (the main ones within 50 km; 0: none).

    Raises
    ------
    InputError
        For a bad file (naming file, row and field), an edge to an unknown node,
        or a user id that clashes with another node.
    """
    if serve_top < 0:
        raise InputError(f"serve_top must be 0 or more, got {serve_top}", field="serve_top")
    taxonomy = taxonomy or load_taxonomy()
    build = _Builder(taxonomy)
    frame = _as_frame(enterprises)
    synthetic = False
    if frame is not None and not frame.empty:
        synthetic = build.enterprises(frame)
    registry = _as_centers(centers)
    unnamed = build.registry(registry)
    capacity_left: dict[str, int] = {}
    ror_tied = 0
    if plan is not None:
        ror_tied = build.plan_sites(plan.chosen, hosts_per_site)
        scenario = plan.scenario
    user_nodes = None
    if nodes is not None:
        user_nodes = check_nodes(nodes, taxonomy=taxonomy)
        build.user_nodes(user_nodes)
    # The match by economy: every center with an iso3 and no listed industries.
    economies = sorted(
        {
            d["iso3"]
            for _, d in build.graph.nodes(data=True)
            if d["kind"] == "center" and d.get("iso3") and "serves" not in d
        }
    )
    if match_by_economy is None and economies:
        match_by_economy = _economy_match(scenario, economies, dataset, plan)
    if plan is not None and frame is not None and not frame.empty and not plan.chosen.empty:
        match = plan.ranked.match
        sites = list(plan.chosen["site_id"])
        if match is None:
            match = _economy_match(scenario, sorted(set(plan.chosen["iso3"])), dataset, plan)
            match = pd.DataFrame(
                {s: match[i] for s, i in zip(sites, plan.chosen["iso3"], strict=True)}
            )
        result = _assignment(frame, match, sites, capacity)
        for site, names in result.by_site.items():
            for name in names:
                build.edge(
                    f"enterprise:{name}",
                    f"site:{site}",
                    relation="assigned",
                    weight=1.0,
                    year=None,
                    source_note="capacitated assignment by match (oicplan.match.assign)",
                    origin="assignment",
                )
            capacity_left[f"site:{site}"] = result.capacities[site] - len(names)
        build.notes.extend(n for n in result.notes if "SYNTHETIC" not in n)
    elif frame is not None and not frame.empty:
        build.notes.append(note("no_plan_edges"))
    for site, left in capacity_left.items():
        build.graph.nodes[site]["capacity_left"] = int(left)
    build.serves(match_by_economy, serve_top, serve_threshold)
    if edges is not None:
        build.user_edges(check_edges(edges))

    counts = dict.fromkeys(KINDS, 0)
    for _, kind in build.graph.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    gaps = []
    if frame is None or frame.empty:
        gaps.append(note("enterprises_none"))
    elif synthetic:
        gaps.append(note("enterprises_gap", detail=SYNTHETIC_NOTE))
    if counts["center"] == 0:
        gaps.append(note("centers_none"))
    if counts["university"] + counts["institute"] == 0:
        gaps.append(
            note(
                "nodes_none",
                what="host universities and research institutes",
                kinds="university, institute",
            )
        )
    if counts["service"] == 0:
        gaps.append(
            note(
                "nodes_none",
                what="service providers (law, IP, finance, incubators)",
                kinds="service",
            )
        )
    else:
        given = {d.get("service_type") for _, d in build.graph.nodes(data=True)}
        lacking = [s for s in SERVICE_TYPES if s != "other" and s not in given]
        if lacking:
            gaps.append(note("services_lacking", types=", ".join(lacking)))
    if unnamed:
        gaps.append(note("no_operator", n=len(unnamed), centers=", ".join(unnamed)))
    gaps.extend(build.gaps)
    served = {i for _, d in build.graph.nodes(data=True) for i in d.get("serves", {})}
    wanted = sorted(
        {
            i
            for _, d in build.graph.nodes(data=True)
            if d["kind"] == "enterprise"
            for i in d.get("industries", [])
        }
        - served
    )
    if wanted and counts["center"]:
        gaps.append(note("industries_unserved", industries=", ".join(wanted)))
    notes = list(build.notes)
    if ror_tied:
        notes.append(note("hosts_from_ror", n=ror_tied, per_site=hosts_per_site))
    if user_nodes is not None:
        notes.append(note("nodes_from", n=len(user_nodes), file=user_nodes["file"].iloc[0]))
    return InnovationNetwork(
        graph=build.graph,
        synthetic=synthetic,
        gaps=gaps,
        notes=notes,
        parameters={
            "serve_top": int(serve_top),
            "serve_threshold": serve_threshold,
            "capacity": capacity if not isinstance(capacity, dict) else dict(capacity),
            "hosts_per_site": int(hosts_per_site),
            "measures_on": "actor graph (all kinds but industry), undirected",
        },
    )
