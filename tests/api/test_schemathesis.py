"""Schemathesis over ``/api/openapi.json``: no operation answers 5xx or off its schema.

The app runs in process (ASGI transport) on a fresh SQLite database, signed in as
an admin with a bearer header, so every operation is reached past its role check.
Each operation gets :data:`MAX_EXAMPLES` generated requests (valid and invalid
by the schema, schemathesis's positive and negative modes), which keeps the run well under two
minutes on two cores. The operations that start long jobs (``POST /api/runs``,
``POST /api/plans``) are left out: a generated request could start a plan; they
have their own tests. Checks: ``not_a_server_error`` and
``response_schema_conformance`` (a documented answer matches its schema).
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from tests.api.conftest import SECRET  # noqa: E402

MAX_EXAMPLES = {"positive": 6, "negative": 4}
"""Generated requests per operation: valid by the schema, and invalid by it."""
LONG_JOBS = {("POST", "/api/runs"), ("POST", "/api/plans")}


def _run(operation, mode, headers) -> None:
    from hypothesis import given

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES[mode.value], deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance])

    run()


def test_no_server_error_and_answers_match_the_schema(app):
    from oicplan.api.security import issue_token

    headers = {"Authorization": f"Bearer {issue_token('admin1', 'admin', SECRET, minutes=30)}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in LONG_JOBS:
            continue
        tested += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation, mode, headers)
            except Unsatisfiable:  # nothing to make invalid (an operation without inputs)
                if mode is GenerationMode.POSITIVE:
                    raise
            # Every operation is tried and all failures are reported (schemathesis raises
            # a FailureGroup, a BaseExceptionGroup).
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): "
                                f"{type(error).__name__}: {str(error)[:1500]}")
    assert tested >= 30
    assert not failures, "\n\n".join(failures)


def test_the_run_catches_a_server_error_and_an_answer_off_its_schema():
    # The same run over a small app with one broken and one lying route must fail.
    from fastapi import FastAPI

    toy = FastAPI(openapi_url="/api/openapi.json")

    @toy.get("/api/broken/{n}", operation_id="broken")
    def broken(n: int):
        raise RuntimeError("boom")

    @toy.get("/api/lying", operation_id="lying", responses={
        200: {"content": {"application/json": {"schema": {"type": "integer"}}}}})
    def lying():
        from fastapi.responses import JSONResponse

        return JSONResponse({"not": "an integer"})

    schema = schemathesis.openapi.from_asgi("/api/openapi.json", toy)
    operations = {op.ok().path: op.ok() for op in schema.get_all_operations()}
    for path in ("/api/broken/{n}", "/api/lying"):
        with pytest.raises((Exception, BaseExceptionGroup)):  # schemathesis's failure types
            _run(operations[path], GenerationMode.POSITIVE, {})
