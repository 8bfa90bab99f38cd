"""Writes from the pages' scripts in Chromium: the session cookie alone is not enough.

A page's ``fetch()`` to the API carries the session cookie; a write also needs the
session's CSRF token (``X-CSRF-Token``, which ``oic.api`` adds from the page's meta
tag), and the role still decides.
"""

from __future__ import annotations

from tests.browser.conftest import sign_in

POST_PANEL = """
async ([name, withToken]) => {
  const headers = { "Content-Type": "application/json" };
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (withToken) headers["X-CSRF-Token"] = meta.content;
  const answer = await fetch("/api/experts/panels", {
    method: "POST", credentials: "same-origin", headers, body: JSON.stringify({ name }) });
  return answer.status;
}
"""


def test_a_write_needs_the_token_and_the_role(new_context):
    editor = new_context().new_page()
    sign_in(editor, "editor")
    assert editor.evaluate(POST_PANEL, ["no_token_panel", False]) == 403
    assert editor.evaluate(POST_PANEL, ["token_panel", True]) == 201
    assert editor.evaluate(POST_PANEL, ["token_panel", True]) == 409  # taken now

    viewer = new_context().new_page()
    sign_in(viewer, "viewer")
    assert viewer.evaluate(POST_PANEL, ["viewer_panel", True]) == 403
    names = [p["name"] for p in viewer.request.get("/api/experts/panels").json()["panels"]]
    assert "token_panel" in names
    assert "no_token_panel" not in names and "viewer_panel" not in names

    # Signed out: the same call is anonymous.
    with viewer.expect_navigation():
        viewer.click("#logout")
    assert viewer.evaluate(POST_PANEL, ["after_logout", True]) == 401
