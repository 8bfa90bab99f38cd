"""The report's same-economy pairs (plan.json's ``same_economy_pairs``), in one language.

An optimized plan counts the k-th center of an economy at ``delta^(k-1)`` of its
site quality (``layout.diminishing_return``, issue 13); the report says which
pairs of centers in one economy the layout still keeps and what the second adds,
or that it keeps none. The reasons come from the plan document in both
languages; the wording around them from :mod:`oicplan.report.messages`.

>>> document = {"optimizer": {"status": "optimal"},
...     "assumptions": [{"name": "layout.diminishing_return", "value": 0.5}],
...     "same_economy_pairs": [{"reasons": ["b beside a", "serves best: x"],
...                             "reasons_zh": ["乙与甲", "为以下产业提供最佳服务：x"]}]}
>>> section = pair_section(document, "en")
>>> section["rows"], section["note"][:40]
(['b beside a; serves best: x'], 'The k-th center of an economy counts 0.5')
>>> pair_section({**document, "same_economy_pairs": []}, "zh")["rows"]
[]
>>> pair_section({**document, "optimizer": None}, "en") is None
True
"""

from __future__ import annotations

from typing import Any

from oicplan.report.messages import text

__all__ = ["pair_section"]


def pair_section(document: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """Rows (one per pair: its reasons joined) and the note; None for a greedy plan."""
    if not document.get("optimizer"):
        return None
    delta = next((item["value"] for item in document.get("assumptions", [])
                  if item["name"] == "layout.diminishing_return"), None)
    key = "reasons_zh" if lang == "zh" else "reasons"
    joiner = "；" if lang == "zh" else "; "
    rows = [joiner.join(pair[key]) for pair in document.get("same_economy_pairs", [])]
    note = text("pairs_text", lang, delta=f"{delta:g}") if delta is not None else ""
    if not rows:
        note = " ".join(part for part in (note, text("pairs_none", lang)) if part)
    return {"rows": rows, "note": note}
