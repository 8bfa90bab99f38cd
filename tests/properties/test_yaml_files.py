"""YAML files a user writes: scenarios, indicator frameworks and cost assumptions.

Readers: :func:`oicplan.scenario.load_scenario`,
:func:`oicplan.indicators.framework.load_framework` and
:func:`oicplan.finance.assumptions.load_assumptions`. Each starts from the shipped
file (the ``zhejiang`` scenario, the default framework, the default assumptions)
broken at random places: a result or one InputError naming the file.
"""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.properties._files import NASTY, SETTINGS, any_bytes, check_reader, text_bytes


def _scenario_text() -> str:
    from oicplan.scenario import scenario_yaml

    return scenario_yaml("zhejiang")


def _framework_text() -> str:
    from oicplan.indicators.framework import _FRAMEWORK_DIR

    return (_FRAMEWORK_DIR / "default_framework.yaml").read_text(encoding="utf-8")


def _assumptions_text() -> str:
    from oicplan.finance.assumptions import default_assumptions

    return default_assumptions().to_yaml()


SCENARIO, FRAMEWORK, ASSUMPTIONS = _scenario_text(), _framework_text(), _assumptions_text()


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path


@st.composite
def edited(draw, text: str) -> bytes:
    """``text`` parsed, some values replaced (wrong types, NaN, huge numbers), dumped again."""
    data = yaml.safe_load(text)
    paths = list(_leaves(data))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = draw(st.sampled_from(
            [*NASTY, None, [], {}, [1, 2], {"a": 1}, True, -1, 0, 1e308, float("nan"),
             float("inf"), -float("inf"), 10**40, -(10**40), 0.5, "max", "min"]
        ))
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def _files(text: str):
    return any_bytes(st.one_of(text_bytes(text), edited(text)))


def test_the_shipped_files_read(tmp_path):
    from oicplan.finance.assumptions import load_assumptions
    from oicplan.indicators.framework import load_framework
    from oicplan.scenario import load_scenario

    for name, text, read in (("s.yaml", SCENARIO, load_scenario),
                             ("f.yaml", FRAMEWORK, load_framework),
                             ("a.yaml", ASSUMPTIONS, load_assumptions)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert read(path) is not None


@SETTINGS
@given(raw=_files(SCENARIO))
def test_scenario_files(raw, tmp_path):
    from oicplan.scenario import load_scenario

    check_reader(load_scenario, tmp_path / "my.yaml", raw)


@SETTINGS
@given(raw=_files(FRAMEWORK))
def test_framework_files(raw, tmp_path):
    from oicplan.indicators.framework import load_framework

    check_reader(load_framework, tmp_path / "framework.yaml", raw)


@SETTINGS
@given(raw=_files(ASSUMPTIONS))
def test_cost_assumption_files(raw, tmp_path):
    from oicplan.finance.assumptions import load_assumptions

    check_reader(load_assumptions, tmp_path / "my-costs.yaml", raw)
