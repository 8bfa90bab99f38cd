"""Rendering a page: the Jinja2 environment (autoescaped), the page context and headers.

Every template is autoescaped whatever its file name, so a scenario name, a message
or a user name with ``<script>`` in it shows as text. Data for a page's script goes
through the ``tojson`` filter into a ``<script type="application/json">`` block,
which escapes ``<``, ``>`` and ``&`` too. Every page is sent with a Content Security
Policy that lets the browser run only the app's own script files (no inline script,
nothing from another site), and without framing.

>>> environment().autoescape
True
>>> environment().from_string("{{ name }}").render(name="<script>")
'&lt;script&gt;'
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from oicplan.web.messages import DEFAULT_LANGUAGE, pick_language, script_messages, translate
from oicplan.web.session import ensure_csrf, session_user

__all__ = [
    "SECURITY_HEADERS",
    "STATIC_DIR",
    "TEMPLATE_DIR",
    "environment",
    "note",
    "note_vocabulary",
    "number",
    "page_language",
    "render",
    "site_name",
]

TEMPLATE_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
"""Headers of every page (``style-src 'unsafe-inline'``: ECharts styles its tooltips inline)."""

_COMMON_SCRIPT_KEYS = ("common.", "mode.")


def number(value: Any, language: str, digits: int = 2) -> str:
    """A number as a reader of ``language`` reads it (CLDR grouping, Babel); a gap is "–".

    >>> number(1234567.891, "en"), number(0.5, "zh", 3), number(None, "en")
    ('1,234,567.89', '0.5', '–')
    """
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern, locale="zh_CN" if language == "zh" else "en"))


@functools.cache
def note_vocabulary() -> dict[str, str]:
    """English terms notes name -> Chinese: sites, zones, centers (the dataset's names)."""
    from oicplan.data.dataset import load_dataset
    from oicplan.data.names_zh import note_vocabulary as vocabulary

    return vocabulary(load_dataset())


def note(text: str, language: str) -> str:
    """A note written in English by the code below, in ``language`` (:mod:`oicplan.notes`).

    >>> note("max 14 centers", "zh"), note("max 14 centers", "en")
    ('最多14个中心', 'max 14 centers')
    """
    from oicplan.notes import note_text

    return note_text(text, language, note_vocabulary()) if language != "en" else text


def site_name(row: Any, language: str) -> str:
    """A site's name in ``language``: the Chinese name where the data has one (``name_zh``).

    >>> site_name({"name": "Seoul", "name_zh": "首尔"}, "zh"), site_name({"name": "Seoul"}, "zh")
    ('首尔', 'Seoul')
    >>> site_name({"name": "Seoul", "name_zh": "首尔"}, "en")
    'Seoul'
    """
    get = row.get if isinstance(row, dict) else lambda key, default=None: getattr(
        row, key, default
    )
    name = str(get("name", "") or "")
    chinese = get("name_zh", None)
    return str(chinese) if language == "zh" and chinese else name


@functools.cache
def environment() -> jinja2.Environment:
    """The pages' Jinja2 environment: the package's templates, autoescaped, strict."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["site_name"] = site_name
    env.globals["number"] = number
    env.globals["note"] = note
    return env


def page_language(request: Request) -> str:
    """The page's language: ``?lang=`` (then remembered in the session), the session's, or zh."""
    session = request.scope.get("session")
    asked = request.query_params.get("lang")
    if asked is not None:
        language = pick_language(asked)
        if session is not None and session.get("lang") != language:
            session["lang"] = language
        return language
    if session is not None and session.get("lang") is not None:
        return pick_language(session.get("lang"))
    return DEFAULT_LANGUAGE


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    script_keys: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page: ``template`` with the common context and the security headers.

    The context has ``t`` (the catalog in the page's language), ``lang``, ``user``
    (the signed-in :class:`~oicplan.web.session.SessionUser` or None),
    ``csrf_token``, ``path`` and ``script_messages`` (the catalog entries under
    ``script_keys`` and the common ones, for the page's script), and ``context``.
    """
    language = page_language(request)
    session = request.scope.get("session")
    csrf = ensure_csrf(session) if session is not None else ""

    def t(key: str, **values: Any) -> str:
        return translate(language, key, **values)

    page = environment().get_template(template).render(
        request=request,
        t=t,
        lang=language,
        html_lang="zh-CN" if language == "zh" else language,
        user=session_user(request.scope),
        csrf_token=csrf,
        path=request.url.path,
        script_messages=script_messages(language, _COMMON_SCRIPT_KEYS + script_keys),
        **context,
    )
    return HTMLResponse(
        page, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )
