"""Reports: plan.json, HTML and Markdown reports, and Excel, Word and PDF downloads, in zh or en.

The exports load on first use, so ``oicplan.report.messages`` (the report's wording,
used by the terminal summaries) imports without matplotlib, jinja2 or the plan.
"""

from __future__ import annotations

from oicplan._lazy import lazy_exports

_EXPORTS = {
    "PreparedReport": "oicplan.report.render",
    "ReportAhead": "oicplan.report.render",
    "chart_pictures": "oicplan.report.images",
    "prepare_report": "oicplan.report.render",
    "render_docx": "oicplan.report.word",
    "render_html": "oicplan.report.render",
    "render_pdf": "oicplan.report.pdf",
    "render_xlsx": "oicplan.report.xlsx",
    "render_markdown": "oicplan.report.render",
    "write_plan": "oicplan.report.render",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
