"""Expert-panel use cases (``oicplan.services.panels``) against the store and ``oicplan.mcda``.

Every test runs on SQLite and, with ``OICPLAN_TEST_POSTGRES_URL``, on PostgreSQL.
"""

from __future__ import annotations

import numpy as np
import pydantic
import pytest

from oicplan.errors import ConflictError, InputError
from oicplan.mcda import group_ahp_weights
from oicplan.scenario import load_scenario, scenario_yaml
from oicplan.services.panels import (
    AssessJudgmentRequest,
    CreatePanelRequest,
    ListPanelsRequest,
    PanelWeightsRequest,
    SubmitJudgmentRequest,
    WithdrawJudgmentRequest,
    assess_judgment,
    create_panel,
    list_panels,
    panel_weights,
    submit_judgment,
    withdraw_judgment,
)
from oicplan.services.scenarios import SaveScenarioRequest, save_scenario
from oicplan.store.panels import PanelStore, judgment_consistency
from tests.store.test_panels import LI, PILLARS, WANG, ZHAO
from tests.store.test_scenarios import db_url  # noqa: F401 - the fixture


def _panel(url: str, **kwargs):
    fields = {"name": "pillars", "created_by": "chen", "criteria": PILLARS, **kwargs}
    return create_panel(CreatePanelRequest(database_url=url, **fields)).panel


def test_panel_weights_are_mcda_group_ahp_and_the_stores(db_url):  # noqa: F811
    _panel(db_url, title="2027 weights")
    for expert, matrix in (("li", LI), ("wang", WANG), ("zhao", ZHAO)):
        answer = submit_judgment(SubmitJudgmentRequest(
            database_url=db_url, panel="pillars", expert=expert, matrix=matrix))
        assert answer.judgment.cr == pytest.approx(judgment_consistency(matrix, PILLARS)["cr"])
    result = panel_weights(PanelWeightsRequest(database_url=db_url, panel="pillars"))
    direct = group_ahp_weights([LI, WANG, ZHAO], PILLARS, warn=False)
    assert result.answered == ("li", "wang", "zhao")
    assert result.weights is not None and result.cr is not None
    np.testing.assert_allclose(list(result.weights.values()), direct.weights, rtol=1e-12)
    assert result.cr == pytest.approx(direct.cr, rel=1e-12)
    assert [e.cr for e in result.experts] == pytest.approx(direct.expert_cr, rel=1e-12)
    store = PanelStore(db_url)
    try:
        assert result.model_dump() == {
            **store.results("pillars"), "criteria": tuple(PILLARS),
            "answered": ("li", "wang", "zhao"),
            "experts": tuple(result.model_dump()["experts"]),
        }
        assert [e.model_dump() for e in result.experts] == store.results("pillars")["experts"]
    finally:
        store.dispose()
    listed = list_panels(ListPanelsRequest(database_url=db_url)).panels
    assert [(p.name, p.answered, p.title) for p in listed] == [("pillars", 3, "2027 weights")]
    after = withdraw_judgment(WithdrawJudgmentRequest(database_url=db_url, panel="pillars",
                                                      expert="zhao")).panel
    assert after.answered == 2


def test_criteria_default_to_the_scenarios_pillars_and_must_be_pillars(db_url):  # noqa: F811
    panel = create_panel(CreatePanelRequest(database_url=db_url, name="all", created_by="chen"))
    assert list(panel.panel.criteria) == list(load_scenario("zhejiang").weights)
    with pytest.raises(InputError, match="not a pillar") as caught:
        _panel(db_url, name="bad", criteria=["innovation", "beauty"])
    assert caught.value.field == "criteria"
    with pytest.raises(InputError) as caught:
        _panel(db_url, name="bad", scenario="nowhere")
    assert caught.value.field == "scenario"
    with pytest.raises(ConflictError):
        _panel(db_url, name="all")


def test_a_panel_over_a_stored_scenarios_pillars(db_url):  # noqa: F811
    text = scenario_yaml("zhejiang").replace("  match: 0.10 ", "  skills: 0.10 ")
    save_scenario(SaveScenarioRequest(database_url=db_url, name="coast", yaml_text=text,
                                      author="li"))
    panel = create_panel(CreatePanelRequest(database_url=db_url, name="p", created_by="li",
                                            scenario="coast")).panel
    assert "skills" in panel.criteria and "match" not in panel.criteria


def test_a_bad_answer_names_the_comparison(db_url):  # noqa: F811
    _panel(db_url)
    bad = [row[:] for row in LI]
    bad[2][3] = 3.0  # market over risk 3, and risk over market 3
    bad[3][2] = 3.0
    with pytest.raises(InputError) as caught:
        submit_judgment(SubmitJudgmentRequest(database_url=db_url, panel="pillars",
                                              expert="li", matrix=bad))
    assert caught.value.field == "matrix.market.risk"
    with pytest.raises(InputError) as caught:
        panel_weights(PanelWeightsRequest(database_url=db_url, panel="nope"))
    assert caught.value.field == "panel"


def test_assess_judgment_while_answering():
    report = assess_judgment(AssessJudgmentRequest(criteria=PILLARS, matrix=ZHAO))
    assert report.model_dump() == judgment_consistency(ZHAO, PILLARS)
    assert report.worst is not None and report.worst.cr_after < report.cr
    with pytest.raises(InputError) as caught:
        assess_judgment(AssessJudgmentRequest(criteria=["a", "b"], matrix=[[1, 2], [2, 1]]))
    assert caught.value.field == "matrix.a.b"
    with pytest.raises(pydantic.ValidationError):
        AssessJudgmentRequest(criteria=["a"], matrix=[[1]])


# ----------------------------------------------------------- weights into a scenario


def _stored_copy(url: str) -> str:
    text = scenario_yaml("zhejiang")
    save_scenario(SaveScenarioRequest(database_url=url, name="coast", yaml_text=text,
                                      author="li"))
    return text


def test_panel_weights_are_saved_into_a_stored_scenario(db_url):  # noqa: F811
    from oicplan.services.panels import SavePanelWeightsRequest, save_panel_weights
    from oicplan.services.scenarios import load_stored_scenario

    text = _stored_copy(db_url)
    pillars = list(load_scenario("zhejiang").weights)
    create_panel(CreatePanelRequest(database_url=db_url, name="all", created_by="chen"))
    w = list(range(len(pillars), 0, -1))
    for expert, weights in (("li", w), ("wang", w[::-1])):
        submit_judgment(SubmitJudgmentRequest(
            database_url=db_url, panel="all", expert=expert,
            matrix=[[a / b for b in weights] for a in weights]))
    group = panel_weights(PanelWeightsRequest(database_url=db_url, panel="all")).weights
    saved = save_panel_weights(SavePanelWeightsRequest(
        database_url=db_url, panel="all", scenario="coast", base_version=1, author="chen"))
    assert saved.version.version == 2 and saved.version.message.startswith(
        "weights of expert panel all (2 experts, CR 0.000)"
    )
    stored = load_stored_scenario("coast", database_url=db_url)
    assert stored.weights == pytest.approx({p: round(group[p], 4) for p in pillars})
    before, after = text.splitlines(), saved.version.yaml_text.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == len(pillars)  # the weight lines only, comments kept
    assert all(a.split(":")[0] == b.split(":")[0] for a, b in changed)
    assert "# industry–technology match (oicplan match)" in saved.version.yaml_text


def test_a_panel_over_some_pillars_shares_their_weight(db_url):  # noqa: F811
    from oicplan.services.panels import SavePanelWeightsRequest, save_panel_weights
    from oicplan.services.scenarios import load_stored_scenario

    _stored_copy(db_url)
    old = load_scenario("zhejiang").weights
    _panel(db_url, name="two", criteria=["talent", "market"])
    request = SavePanelWeightsRequest(database_url=db_url, panel="two", scenario="coast",
                                      base_version=1, author="chen")
    with pytest.raises(InputError, match="nobody has answered") as caught:
        save_panel_weights(request)
    assert caught.value.field == "panel"
    submit_judgment(SubmitJudgmentRequest(database_url=db_url, panel="two", expert="li",
                                          matrix=[[1, 2], [1 / 2, 1]]))
    save_panel_weights(request)
    new = load_stored_scenario("coast", database_url=db_url).weights
    total = old["talent"] + old["market"]
    assert new["talent"] == pytest.approx(round(total * 2 / 3, 4))
    assert new["market"] == pytest.approx(round(total / 3, 4))
    assert {p: v for p, v in new.items() if p not in ("talent", "market")} == {
        p: v for p, v in old.items() if p not in ("talent", "market")
    }
    with pytest.raises(ConflictError):  # version 1 is no longer the latest
        save_panel_weights(request)
