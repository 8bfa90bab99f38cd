"""The expert panel page in Chromium: an AHP questionnaire answered with the sliders.

The consistency ratio shown while the expert answers must be the one the panels
service gives for the same judgments; an intransitive answer is flagged, with
the judgment that hurts consistency most marked; a submitted answer is listed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from oicplan.services.panels import AssessJudgmentRequest, assess_judgment
from oicplan.web.messages import translate
from tests.browser.conftest import sign_in

PANEL = "browser_panel"


def slider_value(position: int) -> float:
    """A slider's position (-8..8) as Saaty's value: left means the row matters more."""
    return 1.0 - position if position <= 0 else 1.0 / (1 + position)


def page_matrix(page) -> tuple[list[str], list[list[float]]]:
    """The criteria and the comparison matrix the page's sliders stand for."""
    criteria = page.evaluate(
        "() => JSON.parse(document.getElementById('experts-data').textContent)"
        ".criteria.map(c => c.id)")
    pairs = page.eval_on_selector_all(
        "#questionnaire .pair",
        "ps => ps.map(p => [Number(p.dataset.row), Number(p.dataset.column),"
        " Number(p.querySelector('input').value)])")
    n = len(criteria)
    matrix = [[1.0] * n for _ in range(n)]
    for row, column, position in pairs:
        matrix[row][column] = slider_value(position)
        matrix[column][row] = 1.0 / slider_value(position)
    return criteria, matrix


def question(page, row: int, column: int):
    return page.locator(f"#questionnaire .pair[data-row='{row}'][data-column='{column}']")


def wait_cr(page, text: str) -> None:
    page.wait_for_function("t => document.getElementById('cr-value').textContent === t", arg=text)


def test_ahp_questionnaire_shows_the_consistency_ratio(page):
    sign_in(page, "editor", "/experts")
    page.fill("#new-panel-name", PANEL)
    page.fill("#new-panel-title", "浙江专家组 <b>test</b>")
    with page.expect_navigation():
        page.click("#new-panel-submit")
    assert urlsplit(page.url).query == f"panel={PANEL}"
    pairs = page.locator("#questionnaire .pair")
    n = len(page_matrix(page)[0])
    assert pairs.count() == n * (n - 1) // 2  # every pair of pillars once

    # No answer yet: every pair equal, a perfectly consistent matrix.
    wait_cr(page, translate("zh", "experts.cr_value", cr="0.000"))
    assert page.inner_text("#cr-verdict") == translate("zh", "experts.consistent")

    # An intransitive answer: 0 >> 1, 1 >> 2, but 2 >> 0.
    for row, column, key in ((0, 1, "Home"), (1, 2, "Home"), (0, 2, "End")):
        question(page, row, column).locator("input").focus()
        page.keyboard.press(key)
    criteria, matrix = page_matrix(page)
    assert matrix[0][1] == 9 and matrix[1][2] == 9 and matrix[0][2] == 1 / 9
    expected = assess_judgment(AssessJudgmentRequest(criteria=criteria, matrix=matrix))
    assert not expected.consistent
    wait_cr(page, translate("zh", "experts.cr_value", cr=f"{expected.cr:.3f}"))
    assert page.inner_text("#cr-verdict") == translate("zh", "experts.inconsistent")
    assert page.inner_text("#worst").strip()
    marked = page.eval_on_selector_all(
        "#questionnaire .pair.worst", "ps => ps.map(p => [Number(p.dataset.row),"
        " Number(p.dataset.column)])")
    worst = {criteria.index(expected.worst.row), criteria.index(expected.worst.column)}
    assert [set(pair) for pair in marked] == [worst]

    # Consistent again when the odd judgment is undone.
    question(page, 0, 2).locator("input").focus()
    page.keyboard.press("Home")
    criteria, matrix = page_matrix(page)
    repaired = assess_judgment(AssessJudgmentRequest(criteria=criteria, matrix=matrix))
    wait_cr(page, translate("zh", "experts.cr_value", cr=f"{repaired.cr:.3f}"))
    assert repaired.cr < expected.cr

    # Submitted: the page lists the answer with its consistency ratio.
    page.click("#submit-judgment")
    page.wait_for_selector("[data-testid=answers]", timeout=30_000)
    rows = page.eval_on_selector_all(
        "[data-testid=answers] tbody tr",
        "rs => rs.map(r => Array.from(r.cells, c => c.textContent))")
    assert len(rows) == 1
    assert rows[0][0] == "editor1" and rows[0][-1] == f"{repaired.cr:.3f}"
    # The title a user typed is shown as text, never as markup.
    assert "浙江专家组 <b>test</b>" in page.inner_text("#questionnaire h2")
    assert page.locator("#questionnaire h2 b").count() == 0
