"""The report's rows of a plan's stated assumptions and its synthetic inputs, in one language.

Both come from the plan document (``assumptions`` and ``synthetic_inputs`` of
``plan.json``, :mod:`oicplan.assumptions` and
:func:`oicplan.plan_selection.synthetic_inputs`), which carries the English and
Chinese wording; this module only picks the language and marks the values the
scenario set. :func:`with_plan_assumptions` makes a report function run with the plan's
assumptions in force, so the wording that states a number (mode rules, the mode score)
states the value the plan used.

>>> document = {"assumptions": [{"name": "mode.pillar_threshold", "value": 0.6,
...     "unit": "pillar score (0-1)", "unit_zh": "支柱得分（0-1）", "reason": "why",
...     "reason_zh": "理由", "overridden": True}],
...     "synthetic_inputs": [{"input": "network.enterprises", "description": "sample",
...     "description_zh": "样本"}]}
>>> assumption_rows(document, "zh")[0]["value"], synthetic_lines(document, "en")
('0.6*', ['sample'])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from oicplan.assumptions import applied

__all__ = ["assumption_rows", "synthetic_lines", "with_plan_assumptions"]

_F = TypeVar("_F", bound=Callable[..., Any])


def assumption_rows(document: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """One row per assumption: name, value (``*`` when the scenario set it), unit, reason."""
    zh = lang == "zh"
    return [
        {
            "name": item["name"],
            "value": f"{item['value']:g}" + ("*" if item.get("overridden") else ""),
            "unit": item["unit_zh"] if zh else item["unit"],
            "reason": item["reason_zh"] if zh else item["reason"],
        }
        for item in document.get("assumptions", [])
    ]


def synthetic_lines(document: dict[str, Any], lang: str) -> list[str]:
    """The plan's synthetic inputs, one line each (empty when none)."""
    key = "description_zh" if lang == "zh" else "description"
    return [item[key] for item in document.get("synthetic_inputs", [])]


def with_plan_assumptions(function: _F) -> _F:
    """``function(plan, ...)`` run with the plan's scenario ``assumptions`` in force."""

    @functools.wraps(function)
    def run(plan: Any, *args: Any, **kwargs: Any) -> Any:
        scenario = getattr(plan, "scenario", None)
        with applied(getattr(scenario, "assumptions", None)):
            return function(plan, *args, **kwargs)

    return run  # type: ignore[return-value]
