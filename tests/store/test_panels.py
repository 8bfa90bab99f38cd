"""Expert panels (migration 0006, :class:`oicplan.store.panels.PanelStore`), SQLite and PostgreSQL.

The group weights are checked against :func:`oicplan.mcda.group_ahp_weights` called
directly and against the published group-judgment example of
``tests/mcda/test_mcda_published.py`` (Aczél & Saaty 1983, as in Decision Lens 2007).
"""

from __future__ import annotations

import numpy as np
import pytest

from oicplan.errors import ConflictError, InputError
from oicplan.mcda import ahp_weights, group_ahp_weights
from oicplan.store.panels import PanelStore, check_matrix, judgment_consistency
from tests.store.test_scenarios import db_url  # noqa: F401 - the fixture

PILLARS = ["innovation", "talent", "market", "risk"]


def _consistent(weights):
    return [[wi / wj for wj in weights] for wi in weights]


# Saaty-scale answers of three experts over PILLARS.
LI = [[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]]
WANG = [[1, 1, 3, 3], [1, 1, 3, 3], [1 / 3, 1 / 3, 1, 1], [1 / 3, 1 / 3, 1, 1]]
ZHAO = [[1, 1 / 2, 4, 1 / 3], [2, 1, 6, 1], [1 / 4, 1 / 6, 1, 1 / 5], [3, 1, 5, 1]]


@pytest.fixture()
def panels(db_url):  # noqa: F811
    store = PanelStore(db_url)
    yield store
    store.dispose()


def test_group_weights_are_those_of_mcda_group_ahp(panels):
    panels.create("pillars", PILLARS, created_by="chen", title="Pillar weights 2027")
    for expert, matrix in (("wang", WANG), ("li", LI), ("zhao", ZHAO)):
        panels.submit("pillars", expert, matrix)
    result = panels.results("pillars")
    direct = group_ahp_weights([LI, WANG, ZHAO], PILLARS, warn=False)
    assert result["answered"] == ["li", "wang", "zhao"]
    assert list(result["weights"]) == PILLARS
    np.testing.assert_allclose(list(result["weights"].values()), direct.weights, rtol=1e-12)
    assert result["cr"] == pytest.approx(direct.cr, rel=1e-12)
    assert result["lambda_max"] == pytest.approx(direct.lambda_max, rel=1e-12)
    assert result["consistent"] == direct.consistent
    np.testing.assert_allclose(result["aggregated"], direct.aggregated, rtol=1e-12)
    # each expert's own CR is mcda's (experts listed by name, as expert_cr here)
    assert [e["cr"] for e in result["experts"]] == pytest.approx(direct.expert_cr, rel=1e-12)
    for expert, matrix in zip(result["experts"], (LI, WANG, ZHAO), strict=True):
        own = ahp_weights(matrix, PILLARS, warn=False)
        np.testing.assert_allclose(list(expert["weights"].values()), own.weights, rtol=1e-12)
        assert expert["consistent"] == own.consistent


def test_published_group_judgment_example(panels):
    """Decision Lens (2007) after Aczél & Saaty (1983): judgments 2, 3 and 4 give 24^(1/3)."""
    panels.create("fruit", ["apple", "orange"], created_by="chen")
    for expert, k in (("a", 2), ("b", 3), ("c", 4)):
        panels.submit("fruit", expert, [[1, k], [1 / k, 1]])
    result = panels.results("fruit")
    g = 24 ** (1 / 3)
    np.testing.assert_allclose(result["aggregated"], [[1, g], [1 / g, 1]], rtol=1e-12)
    assert result["weights"]["apple"] == pytest.approx(g / (1 + g), rel=1e-12)
    assert result["weights"]["orange"] == pytest.approx(1 / (1 + g), rel=1e-12)
    assert result["cr"] == 0.0 and [e["cr"] for e in result["experts"]] == [0.0, 0.0, 0.0]
    assert all(e["worst"] is None for e in result["experts"])


def test_who_has_answered_and_a_new_answer_replaces_the_old(panels):
    panels.create("pillars", PILLARS, created_by="chen")
    assert panels.results("pillars")["answered"] == []
    assert panels.results("pillars")["weights"] is None
    panels.submit("pillars", "li", LI)
    panels.submit("pillars", "wang", WANG, author="chen")  # typed in from a paper form
    panels.submit("pillars", "li", _consistent([4, 3, 2, 1]))
    panel = panels.get("pillars")
    assert sorted((j["expert"], j["author"]) for j in panel["judgments"]) == [
        ("li", "li"), ("wang", "chen")
    ]
    li = next(j for j in panel["judgments"] if j["expert"] == "li")
    np.testing.assert_allclose(li["matrix"], _consistent([4, 3, 2, 1]))
    assert [p["answered"] for p in panels.list_panels()] == [2]
    panels.withdraw("pillars", "wang")
    assert panels.results("pillars")["answered"] == ["li"]
    with pytest.raises(InputError) as caught:
        panels.withdraw("pillars", "wang")
    assert caught.value.field == "expert"


def test_list_panels(panels):
    panels.create("b-panel", ["x", "y"], created_by="chen")
    panels.create("a-panel", PILLARS, created_by="li")
    panels.submit("b-panel", "li", [[1, 2], [0.5, 1]])
    listed = panels.list_panels()
    assert [(p["name"], p["criteria"], p["answered"]) for p in listed] == [
        ("a-panel", PILLARS, 0), ("b-panel", ["x", "y"], 1)
    ]
    assert listed[0]["created_at"].tzinfo is not None


def test_a_panel_name_is_taken_once(panels):
    panels.create("pillars", PILLARS, created_by="chen")
    with pytest.raises(ConflictError):
        panels.create("pillars", ["x", "y"], created_by="li")
    assert panels.get("pillars")["criteria"] == PILLARS


@pytest.mark.parametrize(
    ("criteria", "message"),
    [(["a"], "2 to 15"), (["a", "a"], "twice"), ([f"c{i}" for i in range(16)], "2 to 15"),
     (["a", ""], "1-80")],
)
def test_bad_criteria(panels, criteria, message):
    with pytest.raises(InputError, match=message) as caught:
        panels.create("p", criteria, created_by="chen")
    assert caught.value.field == "criteria"


@pytest.mark.parametrize(
    ("matrix", "field", "message"),
    [
        ([[1, 3], [1 / 3, 1]], "matrix", "must be 4 x 4"),
        ("not a matrix", "matrix", "numbers only"),
        ([[1, 3, 5, 7], [3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]],
         "matrix.innovation.talent", "not reciprocal"),
        ([[1, 3, 5, 7], [1 / 3, 2, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]],
         "matrix.talent.talent", "diagonal"),
        ([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, -3], [1 / 7, 1 / 5, 1 / 3, 1]],
         "matrix.market.risk", "positive"),
    ],
)
def test_bad_matrices_are_refused_naming_the_comparison(panels, matrix, field, message):
    panels.create("pillars", PILLARS, created_by="chen")
    with pytest.raises(InputError, match=message) as caught:
        panels.submit("pillars", "li", matrix)
    assert caught.value.field == field
    assert panels.results("pillars")["answered"] == []


def test_unknown_panel_and_bad_names(panels):
    for call in (lambda: panels.get("nope"), lambda: panels.submit("nope", "li", LI),
                 lambda: panels.results("nope")):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == "panel"
    panels.create("pillars", PILLARS, created_by="chen")
    with pytest.raises(InputError) as caught:
        panels.submit("pillars", "", LI)
    assert caught.value.field == "expert"
    with pytest.raises(InputError) as caught:
        panels.create("a/b", PILLARS, created_by="chen")
    assert caught.value.field == "name"


# ------------------------------------------------------------- worst comparison


def test_the_worst_comparison_is_the_one_turned_round():
    """A consistent 5 x 5 matrix with one comparison reversed: that one is the worst."""
    names = list("abcde")
    weights = [16, 8, 4, 2, 1]
    for i, j in [(0, 4), (1, 3), (2, 4), (0, 2)]:
        matrix = np.array(_consistent(weights))
        matrix[i, j], matrix[j, i] = 1 / matrix[i, j], matrix[i, j]
        report = judgment_consistency(matrix, names)
        assert not report["consistent"]
        assert (report["worst"]["row"], report["worst"]["column"]) == (names[i], names[j])
        assert report["worst"]["value"] == pytest.approx(matrix[i, j])
        assert report["worst"]["cr_after"] < report["cr"]


def test_the_worst_comparison_follows_the_documented_rule():
    """Brute force: no other single replacement by w_i / w_j lowers CR more."""
    names = PILLARS
    report = judgment_consistency(ZHAO, names)
    base = ahp_weights(ZHAO, names, warn=False)
    assert report["cr"] == pytest.approx(base.cr)
    worst = report["worst"]
    best = []
    for i in range(4):
        for j in range(i + 1, 4):
            trial = np.array(ZHAO, dtype=float)
            trial[i, j] = base.weights[i] / base.weights[j]
            trial[j, i] = 1 / trial[i, j]
            best.append((ahp_weights(trial, names, warn=False).cr, names[i], names[j]))
    cr_after, row, column = min(best)
    assert (worst["row"], worst["column"]) == (row, column)
    assert worst["cr_after"] == pytest.approx(cr_after)
    assert worst["suggested"] == pytest.approx(
        base.weights[names.index(row)] / base.weights[names.index(column)]
    )


def test_a_consistent_matrix_has_no_worst_comparison():
    report = judgment_consistency(_consistent([5, 3, 1]), ["a", "b", "c"])
    assert report["cr"] == pytest.approx(0.0, abs=1e-12) and report["worst"] is None
    assert judgment_consistency([[1, 9], [1 / 9, 1]], ["a", "b"])["worst"] is None


def test_check_matrix_accepts_what_validate_pairwise_accepts():
    # users type 0.33 for 1/3; mcda allows 2 % off reciprocity
    assert check_matrix([[1, 3], [0.33, 1]], ["a", "b"])[1, 0] == 0.33
