"""Bad input becomes a 4xx answer with a message, never a 500.

=====================================================  ======  ===================
raised                                                 status  body
=====================================================  ======  ===================
:class:`~oicplan.store.users.UserExistsError`          409     ``detail``, ``field``
:class:`~oicplan.errors.NotFoundError`                 404     ``detail``, ``field``
:class:`~oicplan.errors.InputError`                    400     ``detail``, ``field``
:class:`~oicplan.errors.ConflictError`                 409     ``detail``
:class:`~oicplan.errors.InfeasibleError`               422     ``detail``
a database that cannot be reached or opened              503     ``detail``, ``field``
a request FastAPI cannot parse (malformed JSON, types)  422     ``detail``: a list
a pydantic ``ValidationError`` inside a use case       400     ``detail``: a list
=====================================================  ======  ===================

A database that cannot be reached is the store's ``DatabaseUnavailableError`` (or a
raw SQLAlchemy ``OperationalError``): one line naming the URL without its password.

A list ``detail`` has one ``{"loc", "msg", "type"}`` entry per problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError

from oicplan.errors import (
    ConflictError,
    InfeasibleError,
    InputError,
    NotFoundError,
    OicplanError,
)
from oicplan.store.db import DatabaseUnavailableError
from oicplan.store.users import UserExistsError

__all__ = ["install_error_handlers", "problems"]


def problems(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors as plain JSON: location, message and type (no input echoed back).

    >>> problems([{"loc": ("query", "top"), "msg": "bad", "type": "int_parsing", "input": b"x"}])
    [{'loc': ['query', 'top'], 'msg': 'bad', 'type': 'int_parsing'}]
    """
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def _input_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InputError)
    if isinstance(error, UserExistsError):
        code = status.HTTP_409_CONFLICT
    elif isinstance(error, NotFoundError):
        code = status.HTTP_404_NOT_FOUND
    else:
        code = status.HTTP_400_BAD_REQUEST
    return JSONResponse({"detail": str(error), "field": error.field}, status_code=code)


def _oicplan_error(_request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, ConflictError):
        code = status.HTTP_409_CONFLICT
    elif isinstance(error, InfeasibleError):
        code = 422
    else:
        code = status.HTTP_400_BAD_REQUEST
    return JSONResponse({"detail": str(error)}, status_code=code)


def _database_unavailable(_request: Request, error: Exception) -> JSONResponse:
    if not isinstance(error, DatabaseUnavailableError):  # a raw driver error: one line too
        error = DatabaseUnavailableError(str(getattr(error, "orig", None) or error))
    return JSONResponse(
        {"detail": str(error), "field": error.field},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "30"},
    )


def _request_invalid(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"detail": problems(error.errors())}, status_code=422)


def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValidationError)
    return JSONResponse({"detail": problems(error.errors())}, status_code=400)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of the table above on ``app``."""
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(OicplanError, _oicplan_error)
    app.add_exception_handler(DatabaseUnavailableError, _database_unavailable)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(ValidationError, _validation_error)
