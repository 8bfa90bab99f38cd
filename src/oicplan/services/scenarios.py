"""Use cases of stored scenarios: save a version, list, history, one version, diff.

Stored scenarios live in the database (:mod:`oicplan.store.scenarios`): every
save adds a version and keeps the earlier ones; a save names the version the
editor started from (``base_version``) and is refused with
:class:`~oicplan.errors.ConflictError` (the API's 409) when someone saved in
between. Every request names the database (``database_url``; None means
``$OICPLAN_DATABASE_URL`` or the SQLite file under the user's data directory);
each call opens it, does its work and closes it again.
:func:`load_stored_scenario` gives the :class:`~oicplan.scenario.Scenario` of a
stored version, to rank or plan it.

>>> import os, tempfile
>>> from oicplan.scenario import scenario_yaml
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "oicplan.sqlite")
...     saved = save_scenario(SaveScenarioRequest(
...         database_url=url, name="coast", yaml_text=scenario_yaml("zhejiang"), author="li"))
...     history = scenario_history(ScenarioHistoryRequest(database_url=url, name="coast"))
...     scenario = load_stored_scenario("coast", database_url=url)
>>> saved.version.version, [v.author for v in history.versions], scenario.name, scenario.centers
(1, ['li'], 'coast', 12)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from oicplan.services._base import Request, Result

if TYPE_CHECKING:
    from oicplan.scenario import Scenario
    from oicplan.store.scenarios import ScenarioStore

__all__ = [
    "FieldChange",
    "GetScenarioVersionRequest",
    "ListStoredScenariosRequest",
    "SaveScenarioRequest",
    "ScenarioDiffRequest",
    "ScenarioDiffResult",
    "ScenarioHistoryRequest",
    "ScenarioHistoryResult",
    "ScenarioStoreRequest",
    "ScenarioVersionRecord",
    "ScenarioVersionResult",
    "StoredScenarioRecord",
    "StoredScenariosResult",
    "get_scenario_version",
    "list_stored_scenarios",
    "load_stored_scenario",
    "save_scenario",
    "scenario_diff",
    "scenario_history",
]


# --------------------------------------------------------------------------- records


class ScenarioVersionRecord(Result):
    """One version of a stored scenario; ``yaml_text`` is None in a history listing."""

    name: str
    version: int
    author: str
    created_at: _dt.datetime
    message: str | None = None
    yaml_text: str | None = None


class StoredScenarioRecord(Result):
    """A stored scenario: who created it, its latest version and who saved that."""

    name: str
    created_by: str
    created_at: _dt.datetime
    latest_version: int
    updated_by: str
    updated_at: _dt.datetime


class FieldChange(Result):
    """A field that differs between two versions (dotted path, e.g. ``weights.talent``)."""

    path: str
    kind: Literal["changed", "added", "removed"]
    old: Any = None
    new: Any = None


# --------------------------------------------------------------------------- requests


class ScenarioStoreRequest(Request):
    """What every stored-scenario request names: the database."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; None: $OICPLAN_DATABASE_URL or the "
        "SQLite file in the user's data directory.",
    )


class SaveScenarioRequest(ScenarioStoreRequest):
    """Save YAML text as the next version of a stored scenario (or create it)."""

    name: str = Field(description="the stored scenario's name (letters, digits, - and _)")
    yaml_text: str = Field(description="the scenario's YAML, as oicplan scenario show prints it")
    author: str = Field(description="who saves (a user name)")
    base_version: int | None = Field(
        None, ge=0,
        description="the version the editor started from; None to create the scenario",
    )
    message: str | None = Field(None, description="what changed, in the author's words")


class ListStoredScenariosRequest(ScenarioStoreRequest):
    """List the stored scenarios."""


class ScenarioHistoryRequest(ScenarioStoreRequest):
    """The versions of one stored scenario."""

    name: str


class GetScenarioVersionRequest(ScenarioStoreRequest):
    """One version of a stored scenario with its text; the latest when ``version`` is None."""

    name: str
    version: int | None = Field(None, ge=1)


class ScenarioDiffRequest(ScenarioStoreRequest):
    """The difference between two versions of a stored scenario."""

    name: str
    old: int = Field(ge=1)
    new: int = Field(ge=1)


# --------------------------------------------------------------------------- results


class ScenarioVersionResult(Result):
    """A saved or fetched version, with its YAML text."""

    version: ScenarioVersionRecord


class StoredScenariosResult(Result):
    """The stored scenarios by name."""

    scenarios: tuple[StoredScenarioRecord, ...]


class ScenarioHistoryResult(Result):
    """A stored scenario's versions, oldest first (without their text)."""

    name: str
    versions: tuple[ScenarioVersionRecord, ...]


class ScenarioDiffResult(Result):
    """What changed from version ``old`` to ``new``: a unified diff and the changed fields."""

    name: str
    old: int
    new: int
    unified: str
    changes: tuple[FieldChange, ...]


# --------------------------------------------------------------------------- use cases


@contextmanager
def _opened(database_url: str | None) -> Iterator[ScenarioStore]:
    from oicplan.store.scenarios import ScenarioStore

    store = ScenarioStore(database_url)
    try:
        yield store
    finally:
        store.dispose()


def save_scenario(request: SaveScenarioRequest) -> ScenarioVersionResult:
    """Validate and store the text as the next version of the scenario.

    Raises
    ------
    ConflictError
        ``base_version`` is not the latest version (someone saved in between),
        or the scenario exists and ``base_version`` is None; nothing is stored
        and every earlier version is intact.
    InputError
        A bad name, author or message, an unknown scenario for ``base_version``,
        or text that is not a valid scenario (the error names its field).
    """
    with _opened(request.database_url) as store:
        record = store.save(
            request.name, request.yaml_text, author=request.author,
            base_version=request.base_version, message=request.message,
        )
    return ScenarioVersionResult(version=ScenarioVersionRecord.model_validate(record))


def list_stored_scenarios(request: ListStoredScenariosRequest) -> StoredScenariosResult:
    """The stored scenarios by name, with their latest version."""
    with _opened(request.database_url) as store:
        rows = store.list_scenarios()
    return StoredScenariosResult(
        scenarios=tuple(StoredScenarioRecord.model_validate(row) for row in rows)
    )


def scenario_history(request: ScenarioHistoryRequest) -> ScenarioHistoryResult:
    """The versions of a stored scenario (number, author, time, message), oldest first.

    Raises
    ------
    InputError
        Unknown scenario (field ``name``).
    """
    with _opened(request.database_url) as store:
        rows = store.versions(request.name)
    return ScenarioHistoryResult(
        name=request.name,
        versions=tuple(ScenarioVersionRecord.model_validate(row) for row in rows),
    )


def get_scenario_version(request: GetScenarioVersionRequest) -> ScenarioVersionResult:
    """One version of a stored scenario with its YAML text (the latest by default).

    Raises
    ------
    InputError
        Unknown scenario (field ``name``) or version (field ``version``).
    """
    with _opened(request.database_url) as store:
        record = store.get(request.name, request.version)
    return ScenarioVersionResult(version=ScenarioVersionRecord.model_validate(record))


def scenario_diff(request: ScenarioDiffRequest) -> ScenarioDiffResult:
    """The unified diff of two versions' YAML and the fields that changed.

    Raises
    ------
    InputError
        Unknown scenario (field ``name``) or version (field ``version``).
    """
    with _opened(request.database_url) as store:
        diff = store.diff(request.name, request.old, request.new)
    return ScenarioDiffResult(
        name=diff["name"], old=diff["old"], new=diff["new"], unified=diff["unified"],
        changes=tuple(FieldChange.model_validate(change) for change in diff["changes"]),
    )


def load_stored_scenario(
    name: str, version: int | None = None, database_url: str | None = None
) -> Scenario:
    """The :class:`~oicplan.scenario.Scenario` of a stored version (the latest by default).

    Its ``name`` is the stored name. Rank or plan it like a built-in scenario
    (:func:`oicplan.ranking.rank_sites`, :func:`oicplan.plan.make_plan`).

    Raises
    ------
    InputError
        Unknown scenario (field ``name``) or version (field ``version``).
    """
    with _opened(database_url) as store:
        return store.scenario(name, version)
