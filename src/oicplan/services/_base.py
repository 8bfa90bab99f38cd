"""Base classes of the service layer: typed requests and immutable results.

A use case is one function ``name(request: NameRequest) -> NameResult``. Requests
and results are pydantic models, so the command line, the REST API and notebooks
validate and serialize them the same way; results are frozen (``model_config``
``frozen=True``) and carry plain JSON-ready data (``model_dump(mode="json")``),
plus, where an adapter needs it, the library object behind them in a field
excluded from serialization (a :class:`~oicplan.plan.Plan` for the report, say).

>>> class EchoRequest(Request):
...     text: str
>>> class EchoResult(Result):
...     text: str
>>> EchoResult(text=EchoRequest(text="hi").text).model_dump()
{'text': 'hi'}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Request", "Result"]


class Request(BaseModel):
    """A use case's input: validated, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Result(BaseModel):
    """A use case's output: immutable once made; library objects allowed but not dumped."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
