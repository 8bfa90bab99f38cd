"""Technology watch (project issue 12): who is rising in a field, and how the data moved.

* :mod:`~oicplan.techwatch.trends` — growth, world shares and revealed technological
  advantage by field from the NCSES field table of the snapshot;
* :mod:`~oicplan.techwatch.fieldmap` — each economy's trends in the fields of Zhejiang's
  priority industries (the match's field map and tiers);
* :mod:`~oicplan.techwatch.section` — the plan's ``technology_watch``;
* :mod:`~oicplan.techwatch.vintage` — what changed between two snapshot builds, and
  the technology alerts it raises.

docs/watch.md describes the method. Names are imported on first use.
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

# Public name -> module that defines it.
_EXPORTS = {
    "DEFAULT_MIN_SIZE": "oicplan.techwatch.trends",
    "field_trends": "oicplan.techwatch.trends",
    "resolve_field": "oicplan.techwatch.trends",
    "rising": "oicplan.techwatch.trends",
    "priority_fields": "oicplan.techwatch.fieldmap",
    "economy_watch": "oicplan.techwatch.fieldmap",
    "snapshot_changes": "oicplan.techwatch.vintage",
    "technology_watch": "oicplan.techwatch.section",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
