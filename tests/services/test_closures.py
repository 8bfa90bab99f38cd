"""Closures read by one rule: what `plan --avoid` accepts, a run accepts too."""

from __future__ import annotations

import pytest

from oicplan.errors import InputError
from oicplan.geo.disruption import closure_plan
from oicplan.services.closures import check_closures


@pytest.mark.parametrize("name", ["suez", "Bab el Mandeb", "altynkol", "Yiwu-Madrid",
                                  "Yiwu–Alashankou"])
def test_a_run_accepts_what_the_command_line_accepts(name):
    plan = closure_plan([name])
    keys = check_closures([name])
    assert len(keys) == 1
    assert keys[0] in plan["passages"] + plan["borders"] or len(plan["segments"]) == 1


def test_a_published_route_takes_its_own_spelling_and_duplicates_go():
    assert check_closures(["yiwu-madrid", "Yiwu–Madrid", "suez"]) == ["suez", "Yiwu–Madrid"]


@pytest.mark.parametrize("name", ["atlantis", "a-b-c"])
def test_both_refuse_the_same_names(name):
    with pytest.raises(InputError) as cli:
        closure_plan([name])
    with pytest.raises(InputError) as run:
        check_closures([name])
    assert cli.value.field == run.value.field == "avoid"
