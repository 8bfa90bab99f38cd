"""Framework YAML: the default loads, trees of any depth, and bad files name file and field."""

from __future__ import annotations

import textwrap

import pytest

from oicplan.errors import InputError
from oicplan.indicators import load_framework

PILLARS = ["innovation", "talent", "market", "cooperation", "connectivity", "services", "risk",
           "policy", "match"]

DEEP = """
name: deep
aggregation: geometric
pillars:
  - id: A
    children:
      - id: A1
        aggregation: harmonic
        indicators: [{code: a}, {code: b}]
      - id: A2
        indicators: [{code: c}]
  - id: B
    direction: min
    indicators: [{code: d}]
"""


def _write(tmp_path, text: str):
    path = tmp_path / "fw.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_framework_keeps_its_pillars():
    framework = load_framework("default")
    assert framework.pillar_ids == PILLARS
    assert framework.pillar("risk").direction == "min"
    assert framework.depth == 2
    assert all(pillar.indicators for pillar in framework.pillars)
    assert len(framework.indicators()) == len(set(s.code for s in framework.indicators()))


def test_tree_of_depth_three(tmp_path):
    framework = load_framework(_write(tmp_path, DEEP))
    assert framework.depth == 3
    assert framework.pillar_ids == ["A", "B"]
    assert [spec.code for spec in framework.pillar("A").leaves()] == ["a", "b", "c"]
    assert framework.node("A1").aggregation == "harmonic"
    assert framework.root.aggregation == "geometric"
    assert [node.id for node in framework.nodes()] == ["A", "A1", "A2", "B"]


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (DEEP.replace("aggregation: harmonic", "aggregation: median"),
         "pillars[A].children[A1].aggregation", "arithmetic"),
        (DEEP.replace("id: A2", "id: A1"), "pillars[A].children[A1].id", "duplicate id 'A1'"),
        (DEEP.replace("{code: c}", "{code: a}"), "pillars[A].children[A2].indicators[a].code",
         "duplicate id 'a'"),
        (DEEP.replace("    indicators: [{code: d}]\n", ""), "pillars[B].indicators", "neither"),
        (DEEP.replace("direction: min", "direction: down"), "pillars[B].direction", "max"),
        (DEEP.replace("{code: d}", "{code: d, goalposts: [5, 1]}"),
         "pillars[B].indicators[d].goalposts", "low < high"),
        (DEEP.replace("{code: d}", "{code: d, colour: red}"),
         "pillars[B].indicators[d].colour", "not permitted"),
    ],
)
def test_bad_framework_names_file_and_field(tmp_path, text, field, words):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_framework(path)
    assert caught.value.file == str(path)
    assert caught.value.field == field
    assert words in caught.value.message


def test_not_yaml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="not valid YAML"):
        load_framework(_write(tmp_path, "pillars: [\n"))
    with pytest.raises(InputError, match="not found"):
        load_framework(tmp_path / "absent.yaml")
