"""The REST API (FastAPI) at the adapter layer, beside the command line.

:func:`create_app` builds the app; ``oicplan serve`` runs it with uvicorn.
Routers, one per resource, are in :mod:`oicplan.api.routers`; each route calls
the same service functions as the command line (:mod:`oicplan.services`), with
their pydantic models as request and response bodies. docs/api.md describes
the endpoints.
"""

from oicplan.api.app import create_app

__all__ = ["create_app"]
