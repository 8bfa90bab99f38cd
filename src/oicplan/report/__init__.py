"""Reports: plan.json, a self-contained HTML report and a Markdown report, in zh or en."""

from oicplan.report.render import render_html, render_markdown, write_plan

__all__ = ["render_html", "render_markdown", "write_plan"]
