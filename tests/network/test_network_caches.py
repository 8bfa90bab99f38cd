"""The network's kept results: the enterprise assignment and the city data.

Each is kept (in the process and on disk) under a key of everything it reads, so a
kept result is the computed one, a change of any input computes it again, and a
caller that changes its copy changes nothing kept.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from oicplan.assumptions import applied
from oicplan.data import cities
from oicplan.data.dataset import load_dataset
from oicplan.match import assign as assign_module
from oicplan.match import load_sample
from oicplan.match.matrix import match_matrix
from oicplan.network import build as network_build
from oicplan.network import build_network
from oicplan.pipeline_cache import caching, clear_caches
from oicplan.ranking import candidate_sites
from oicplan.scenario import load_scenario


@pytest.fixture(scope="module")
def small_plan():
    """A stand-in for a plan: three chosen sites with their match."""
    scenario = load_scenario("zhejiang")
    dataset = load_dataset()
    candidates = candidate_sites(dataset, scenario)
    chosen = candidates.drop_duplicates("iso3").head(3).reset_index(drop=True)
    chosen["mode"] = "research"
    match = match_matrix(scenario, scenario.match.preset, dataset=dataset, sites=chosen)
    return SimpleNamespace(
        scenario=scenario, dataset=dataset, chosen=chosen, ranked=SimpleNamespace(match=match)
    )


@pytest.fixture
def counted_solves(monkeypatch, tmp_path):
    """Count the assignment solves; a fresh disk cache and empty process caches."""
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    clear_caches()
    calls = []
    solve = assign_module.assign_enterprises

    def counting(*args, **kwargs):
        calls.append(1)
        return solve(*args, **kwargs)

    monkeypatch.setattr(assign_module, "assign_enterprises", counting)
    yield calls
    clear_caches()


def _assigned(network) -> list[tuple[str, str]]:
    return sorted(
        (u, v) for u, v, d in network.graph.edges(data=True) if d["relation"] == "assigned"
    )


def test_the_kept_assignment_is_the_computed_one(small_plan, counted_solves):
    enterprises = load_sample().head(300)
    with caching(False):
        fresh = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    first = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    again = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 2  # the uncached build and the first cached one
    assert _assigned(fresh) == _assigned(first) == _assigned(again)
    assert _assigned(fresh)
    clear_caches()  # a new process: read back from disk
    from_disk = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 2
    assert _assigned(from_disk) == _assigned(fresh)
    assert from_disk.measures() == fresh.measures()


def test_any_input_of_the_assignment_computes_it_again(small_plan, counted_solves):
    enterprises = load_sample().head(300)
    build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 1
    build_network(enterprises=enterprises.head(299), plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 2  # other enterprises
    build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0, capacity=50)
    assert len(counted_solves) == 3  # other capacities
    with applied({"assign.presence_bonus": 0.3}):
        build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 4  # another weight in force
    fewer = SimpleNamespace(**{**vars(small_plan), "chosen": small_plan.chosen.head(2)})
    build_network(enterprises=enterprises, plan=fewer, hosts_per_site=0)
    assert len(counted_solves) == 5  # other sites
    build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=0)
    assert len(counted_solves) == 5  # the first inputs again: kept


def test_a_changed_copy_leaves_the_kept_assignment_alone(small_plan, counted_solves):
    enterprises = load_sample().head(200)
    match, sites = small_plan.ranked.match, list(small_plan.chosen["site_id"])
    first = network_build._assignment(enterprises, match, sites, None)
    expected = {site: list(names) for site, names in first.by_site.items()}
    first.by_site[sites[0]].append("someone else")
    first.table.loc[0, "site_id"] = "elsewhere"
    second = network_build._assignment(enterprises, match, sites, None)
    assert len(counted_solves) == 1
    assert second.by_site == expected
    assert second.table.loc[0, "site_id"] != "elsewhere"


def test_unhashable_enterprise_cells_are_computed_not_kept(small_plan, counted_solves):
    enterprises = load_sample().head(50).copy()
    enterprises["tags"] = [["x"]] * len(enterprises)
    match, sites = small_plan.ranked.match, list(small_plan.chosen["site_id"])
    assert network_build._assignment_key(enterprises, match, sites, None) is None
    network_build._assignment(enterprises, match, sites, None)
    network_build._assignment(enterprises, match, sites, None)
    assert len(counted_solves) == 2


def test_city_data_read_back_from_disk_equals_the_files(monkeypatch, tmp_path):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    clear_caches()
    cities._load.cache_clear()
    read = cities._data(None)  # computed and written
    assert list((tmp_path / "stages").glob("city-data-*.pickle"))
    clear_caches()
    cities._load.cache_clear()
    kept = cities._data(None)  # read back from the disk cache
    assert kept is not read
    pd.testing.assert_frame_equal(kept.ror, read.ror)
    assert (kept.main_rank == read.main_rank).all()
    near = cities.nearby_institutions(48.20849, 16.37208, limit=5)
    cities._load.cache_clear()
    with caching(False):
        assert cities.nearby_institutions(48.20849, 16.37208, limit=5).equals(near)
    cities._load.cache_clear()


def test_a_network_laid_out_beforehand_gives_the_same_picture(small_plan):
    from oicplan.network import network_svg
    from oicplan.network.picture import network_layout

    enterprises = load_sample().head(120)
    fresh = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=2)
    warmed = build_network(enterprises=enterprises, plan=small_plan, hosts_per_site=2)
    layout = network_layout(warmed)
    assert network_layout(warmed) is layout  # laid out once
    for lang in ("en", "zh"):
        assert network_svg(warmed, lang=lang) == network_svg(fresh, lang=lang)
    assert network_layout(warmed) is layout
