"""The disk layer of the stage caches (oicplan.pipeline_cache, ``disk=True``).

A fresh process is simulated by emptying the in-process caches (``clear_caches``)
or by a second ``StageCache`` of the same name; the disk folder is a temporary
``OICPLAN_CACHE_DIR``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import oicplan.pipeline_cache as pipeline_cache
from oicplan.pipeline_cache import StageCache, caching, clear_caches, code_version


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(folder))
    return folder


class _Counter:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_disk_stage_is_read_back_by_a_fresh_cache_without_computing(cache_dir):
    first = _Counter({"rows": [1, 2, 3]})
    assert StageCache("demo stage", disk=True).get(("a", 1), first) == {"rows": [1, 2, 3]}
    assert first.calls == 1
    files = list((cache_dir / "stages").glob("demo-stage-*.pickle"))
    assert len(files) == 1

    again = _Counter("not this")
    assert StageCache("demo stage", disk=True).get(("a", 1), again) == {"rows": [1, 2, 3]}
    assert again.calls == 0


def test_another_key_stage_or_code_version_is_a_miss(cache_dir, monkeypatch):
    StageCache("demo stage", disk=True).get(("a", 1), _Counter(1))
    for name, key in (("demo stage", ("a", 2)), ("other stage", ("a", 1))):
        counter = _Counter(2)
        assert StageCache(name, disk=True).get(key, counter) == 2
        assert counter.calls == 1
    monkeypatch.setattr(pipeline_cache, "_CODE_VERSION", ["another build of oicplan"])
    counter = _Counter(3)
    assert StageCache("demo stage", disk=True).get(("a", 1), counter) == 3
    assert counter.calls == 1


def test_a_broken_cache_file_is_computed_and_written_again(cache_dir):
    StageCache("demo stage", disk=True).get(("a", 1), _Counter(1))
    (path,) = (cache_dir / "stages").glob("demo-stage-*.pickle")
    path.write_bytes(b"not a pickle")
    counter = _Counter(5)
    assert StageCache("demo stage", disk=True).get(("a", 1), counter) == 5
    assert counter.calls == 1
    assert StageCache("demo stage", disk=True).get(("a", 1), _Counter(6)) == 5


def test_a_stage_keeps_only_its_newest_files(cache_dir):
    cache = StageCache("demo stage", maxsize=1, disk=True)
    for key in range(6):
        cache.get(("a", key), _Counter(key))
    other = StageCache("other stage", maxsize=1, disk=True)
    other.get(("a", 0), _Counter(0))
    assert len(list((cache_dir / "stages").glob("demo-stage-*.pickle"))) == 4
    assert len(list((cache_dir / "stages").glob("other-stage-*.pickle"))) == 1
    counter = _Counter("again")
    assert StageCache("demo stage", maxsize=1, disk=True).get(("a", 5), counter) == 5
    assert counter.calls == 0


def test_caching_off_neither_reads_nor_writes_the_disk(cache_dir):
    with caching(False):
        assert StageCache("demo stage", disk=True).get(("a", 1), _Counter(1)) == 1
    assert not (cache_dir / "stages").exists()
    StageCache("demo stage", disk=True).get(("a", 1), _Counter(2))
    with caching(False):
        counter = _Counter(3)
        assert StageCache("demo stage", disk=True).get(("a", 1), counter) == 3
        assert counter.calls == 1


def test_an_unwritable_cache_folder_only_means_no_disk_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would go")
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(blocker))
    counter = _Counter(7)
    assert StageCache("demo stage", disk=True).get(("a", 1), counter) == 7
    assert counter.calls == 1


def test_the_code_version_hashes_the_package_files():
    version = code_version()
    assert len(version) == 64 and version == code_version()


def test_saltelli_points_are_salibs_bit_for_bit_also_from_disk(cache_dir):
    from SALib.sample import sobol as sobol_sampler

    from oicplan.uncertainty.sobol import saltelli_points

    problem = {"num_vars": 5, "names": list("abcde"), "bounds": [[0.0, 1.0]] * 5}
    direct = sobol_sampler.sample(problem, 64, calc_second_order=False, scramble=True, seed=7)
    computed = saltelli_points(5, 64, 7)
    clear_caches()
    from_disk = saltelli_points(5, 64, 7)
    assert computed.tobytes() == direct.tobytes()
    assert from_disk.tobytes() == direct.tobytes()
    from_disk[0, 0] = -1.0  # the caller's copy: the cache keeps its points
    assert saltelli_points(5, 64, 7).tobytes() == direct.tobytes()


def _document(plan) -> dict:
    document = plan.to_dict()
    document.pop("created")
    if document["optimizer"] is not None:
        document["optimizer"].pop("solve_seconds")
    return document


def test_a_plan_from_the_disk_cache_is_the_plan_computed_afresh(cache_dir):
    """Every weight-free stage read from disk in a 'fresh process': the same plan.json,
    map layers and park view as with every stage computed."""
    from oicplan.plan import make_plan
    from oicplan.plan_map import map_layers
    from oicplan.scenario import load_scenario

    scenario = load_scenario("zhejiang")
    with caching(False):
        fresh = make_plan(scenario, frontiers=False)
        fresh_layers = map_layers(fresh)
    clear_caches()
    filled = make_plan(scenario, frontiers=False)  # fills the disk cache
    filled.to_dict(), filled.ranked.sobol  # the park view; the Saltelli points
    map_layers(fresh)
    stages = {path.name.rsplit("-", 1)[0] for path in (cache_dir / "stages").iterdir()}
    assert {
        "match-matrix", "indicator-build", "saltelli-points", "cost-model-table",
        "eligible-strategies", "mode-fit", "park-view", "sea-lane",
    } <= stages
    clear_caches()
    from_disk = make_plan(scenario, frontiers=False)
    assert _document(from_disk) == _document(fresh)
    pd.testing.assert_frame_equal(from_disk.ranked.table, fresh.ranked.table)
    assert map_layers(from_disk) == fresh_layers
    assert (from_disk.ranked.sobol.total_order == fresh.ranked.sobol.total_order).all()
    assert from_disk.ranked.match.taxonomy is fresh.ranked.match.taxonomy  # the shipped one


def test_the_kept_park_view_is_the_direct_one_whatever_the_order(cache_dir):
    """The park view is kept per set of sites in site order; the percentiles do not
    depend on the order of the ranked table."""
    from oicplan.data import load_dataset
    from oicplan.match.modes import park_view
    from oicplan.plan import _park_view
    from oicplan.ranking import rank_sites
    from oicplan.scenario import load_scenario

    dataset = load_dataset()
    ranked = rank_sites(load_scenario("zhejiang"), dataset)
    direct = park_view(ranked.table, dataset).drop_duplicates("site_id").set_index("site_id")
    for _ in range(2):  # computed, then from the cache
        kept = _park_view(ranked.table, dataset)
        pd.testing.assert_frame_equal(kept.loc[direct.index], direct)
    clear_caches()
    pd.testing.assert_frame_equal(_park_view(ranked.table, dataset).loc[direct.index], direct)


def test_sea_lanes_from_disk_need_no_transport_graph(cache_dir, monkeypatch):
    from oicplan import plan_map
    from oicplan.plan import make_plan
    from oicplan.scenario import load_scenario

    plan = make_plan(load_scenario("zhejiang"), frontiers=False)
    with caching(False):
        fresh = plan_map.sea_lane_lines(plan)
    assert fresh, "the zhejiang plan reaches some sites by sea"
    assert plan_map.sea_lane_lines(plan) == fresh  # computed and kept
    clear_caches()

    def no_graph(plan):
        raise AssertionError("the transport graph was built or loaded")

    monkeypatch.setattr(plan_map, "_sea_routing", no_graph)
    lanes = plan_map.sea_lane_lines(plan)
    assert lanes == fresh
    lanes[0]["points"].append((0.0, 0.0))  # the caller's copy
    assert plan_map.sea_lane_lines(plan) == fresh
    assert all(isinstance(lane["points"][0], tuple) for lane in lanes)
    assert np.isfinite([lane["km"] for lane in lanes]).all()


def test_a_lookup_finds_a_disk_stage_and_computes_nothing(cache_dir):
    """``lookup`` reads what ``get`` kept, from disk in a fresh cache; a miss stays a miss."""
    StageCache("lookup stage", disk=True).get(("k",), lambda: {"kept": 1})
    fresh = StageCache("lookup stage", disk=True)
    assert fresh.lookup(("k",)) == (True, {"kept": 1})
    assert fresh.lookup(("other",)) == (False, None)
    assert len(list((cache_dir / "stages").glob("lookup-stage-*.pickle"))) == 1
    with caching(False):
        assert fresh.lookup(("k",)) == (False, None)
