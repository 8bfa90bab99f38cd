"""The disk cache of the default transport graph: a cache that does not load is rebuilt."""

from __future__ import annotations

import pickle

from oicplan.geo import graph as graph_module


class _NeedsAMissingModule:
    """Pickles as a reference to a module this environment does not have."""

    def __reduce__(self):
        return (__import__, ("oicplan_no_such_module_for_cache_test",))


def _fresh_transport_graph(monkeypatch, tmp_path, built):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(graph_module, "build_graph", lambda **_: built)
    graph_module.transport_graph.cache_clear()


def test_a_cache_written_by_another_environment_is_rebuilt(monkeypatch, tmp_path):
    # The CI failure this guards against: a pickle that needs pyarrow, read where
    # pyarrow is absent, raised ModuleNotFoundError instead of being rebuilt.
    built = {"rebuilt": True}
    _fresh_transport_graph(monkeypatch, tmp_path, built)
    try:
        path = graph_module._cache_file()
        path.write_bytes(pickle.dumps(_NeedsAMissingModule()))
        assert graph_module.transport_graph() == built
        assert pickle.loads(path.read_bytes()) == built
    finally:
        graph_module.transport_graph.cache_clear()


def test_a_truncated_cache_is_rebuilt(monkeypatch, tmp_path):
    built = {"rebuilt": True}
    _fresh_transport_graph(monkeypatch, tmp_path, built)
    try:
        path = graph_module._cache_file()
        path.write_bytes(pickle.dumps({"a": list(range(100))})[:20])
        assert graph_module.transport_graph() == built
    finally:
        graph_module.transport_graph.cache_clear()


def test_a_good_cache_is_loaded_without_building(monkeypatch, tmp_path):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    graph_module.transport_graph.cache_clear()
    try:
        graph_module._cache_file().write_bytes(pickle.dumps({"cached": 1}))

        def no_build(**_):
            raise AssertionError("the cached graph should have been used")

        monkeypatch.setattr(graph_module, "build_graph", no_build)
        assert graph_module.transport_graph() == {"cached": 1}
    finally:
        graph_module.transport_graph.cache_clear()


def test_the_cache_name_depends_on_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OICPLAN_CACHE_DIR", str(tmp_path))
    here = graph_module._cache_file()
    monkeypatch.setattr(graph_module, "_environment_key", lambda: "python 2.7; pandas absent")
    assert graph_module._cache_file() != here
    assert graph_module._cache_file().parent == tmp_path
