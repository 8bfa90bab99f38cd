"""Every route of the app, found by walking it (new routes are checked without a new test).

For each operation of the OpenAPI schema and each page (routes left out of the
schema), whoever added it:

* anonymous: an ``/api`` operation answers 401 with ``WWW-Authenticate: Bearer``
  (a page does not answer 2xx: it sends the visitor to sign in), except the
  public ones in :data:`PUBLIC`;
* a viewer's write (POST, PUT, PATCH, DELETE under ``/api``) answers 403 with a
  malformed body, so the role is checked before the body is read, except the
  writes any signed-in user may do (:data:`VIEWER_WRITES`);
* an operation with an id in its path answers 404 to an admin for an id that does
  not exist (with a body that is valid by the schema, so validation does not
  answer first);
* nothing answers 5xx.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/token"),
    ("GET", "/api/openapi.json"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
}
"""Routes that need no sign-in (``/static`` files are public too)."""

VIEWER_WRITES = {
    ("POST", "/api/experts/assess"),  # checks a matrix being answered; stores nothing
}
"""Writes a viewer may make (they change nothing stored)."""

VALID_BODIES: dict[tuple[str, str], Any] = {
    # The scenario text is checked before the name is looked up: send a valid one.
    ("POST", "/api/scenarios/{name}/versions"): lambda: {
        "yaml_text": _scenario_text(), "base_version": 1},
}
"""Bodies valid beyond the schema, for writes whose body is checked before the id; other
operations get a body made from their schema (required fields only)."""

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
GARBAGE = b"{not json \x00\xff"


def _scenario_text() -> str:
    from oicplan.scenario import scenario_yaml

    return scenario_yaml("zhejiang")


def _routes(app) -> list[tuple[str, str, bool]]:
    """Every (method, path, in the schema) of the app, mounted routers included."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # an older FastAPI: routers are copied into app.routes
        contexts: Any = app.routes
    else:
        contexts = iter_route_contexts(app.routes)
    found = []
    for route in contexts:
        methods = getattr(route, "methods", None) or set()
        path = getattr(route, "path", "")
        original = getattr(route, "original_route", route)
        in_schema = bool(getattr(original, "include_in_schema", False))
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            found.append((method, path, in_schema))
    return found


def _value(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small value valid by ``schema`` (for required parameters and body fields)."""
    if "$ref" in schema:
        return _value(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _value(options[0], components)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        return {name: _value(props[name], components) for name in required if name in props}
    if kind == "array":
        item = _value(schema.get("items", {}), components)
        return [item] * int(schema.get("minItems", 0))
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), min(2**31 - 2, int(schema.get("maximum",
                                                                              2**31 - 2))))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 24))
    text = "zzno-such-thing-zzzzzzzzz"
    return text[: max(low, min(high, 18))].ljust(low, "z")


def _unknown(parameter: dict[str, Any], components: dict[str, Any]) -> Any:
    schema = parameter.get("schema", {})
    kinds = {s.get("type") for s in schema.get("anyOf", [schema])}
    if "integer" in kinds:
        return 2**31 - 2
    return _value({k: v for k, v in schema.items() if k != "default"}, components)


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values.get(m.group(1), "zzz")), path)


def _operations(client) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/openapi.json").json()
    return [(method.upper(), path, operation)
            for path, item in schema["paths"].items()
            for method, operation in item.items()
            if method.upper() in WRITES | {"GET"}]


@pytest.fixture()
def routes(app):
    found = _routes(app)
    # The walk sees the routes of every router: a few that must be there.
    paths = {(method, path) for method, path, _ in found}
    assert {("GET", "/api/health"), ("POST", "/api/centers/kpis"),
            ("DELETE", "/api/users/{name}"), ("GET", "/api/rankings")} <= paths
    return found


def test_every_operation_has_a_stable_id(client):
    for method, path, operation in _operations(client):
        assert operation.get("operationId"), (method, path)
        assert "_api_" not in operation["operationId"], (method, path)  # not FastAPI's made-up id


def test_anonymous_gets_401_or_is_sent_to_sign_in(client, routes):
    failures = []
    for method, path, _in_schema in routes:
        if (method, path) in PUBLIC or path.startswith("/static"):
            continue
        url = _fill(path, {})
        response = client.request(method, url, content=GARBAGE, follow_redirects=False,
                                  headers={"Content-Type": "application/json"})
        if path.startswith("/api/"):
            if response.status_code != 401 or response.headers.get(
                    "www-authenticate") != "Bearer":
                failures.append(f"{method} {path}: {response.status_code}")
        elif response.status_code < 300 or response.status_code >= 500:
            failures.append(f"{method} {path} (page): {response.status_code}")
    assert not failures, "anonymous requests that were not refused:\n" + "\n".join(failures)


def test_a_viewers_write_gets_403_before_the_body(client, auth, routes):
    failures = []
    checked = 0
    for method, path, _ in routes:
        if method not in WRITES or not path.startswith("/api/"):
            continue
        if (method, path) in PUBLIC | VIEWER_WRITES:
            continue
        checked += 1
        response = client.request(method, _fill(path, {}), content=GARBAGE,
                                  headers={**auth("viewer"), "Content-Type": "application/json"})
        if response.status_code != 403:
            failures.append(f"{method} {path}: {response.status_code} {response.text[:120]}")
    assert checked >= 10
    assert not failures, "viewer writes that were not refused with 403:\n" + "\n".join(failures)


def _body(method: str, path: str, operation: dict[str, Any],
          components: dict[str, Any]) -> dict[str, Any]:
    if (method, path) in VALID_BODIES:
        return {"json": VALID_BODIES[method, path]()}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return {"json": _value(content["application/json"]["schema"], components)}
    if "multipart/form-data" in content:
        return {"files": {"file": ("kpis.csv", b"center_id,year,kpi,value,unit\n", "text/csv")}}
    if "application/x-www-form-urlencoded" in content:
        return {"data": _value(content["application/x-www-form-urlencoded"]["schema"],
                               components)}
    return {}


def test_an_unknown_id_is_404(client, auth):
    schema = client.get("/api/openapi.json").json()
    components = schema.get("components", {}).get("schemas", {})
    failures = []
    checked = 0
    for method, path, operation in _operations(client):
        parameters = operation.get("parameters", [])
        in_path = [p for p in parameters if p["in"] == "path"]
        if not in_path or (method, path) in PUBLIC:
            continue
        checked += 1
        values = {p["name"]: _unknown(p, components) for p in in_path}
        query = {p["name"]: _value(p.get("schema", {}), components)
                 for p in parameters if p["in"] == "query" and p.get("required")}
        body = _body(method, path, operation, components)
        response = client.request(method, _fill(path, values), params=query,
                                  headers=auth("admin"), **body)
        if response.status_code != 404:
            failures.append(f"{method} {_fill(path, values)}: {response.status_code} "
                            f"{response.text[:160]}")
    assert checked >= 10
    assert not failures, "unknown ids that were not 404:\n" + "\n".join(failures)
