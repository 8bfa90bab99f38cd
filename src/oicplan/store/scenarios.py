"""Stored scenarios: every save adds a version; a save from an old version is refused.

A stored scenario has a unique name and versions 1, 2, ... Each version holds the
YAML text (validated by :class:`oicplan.scenario.Scenario` exactly as
:func:`oicplan.scenario.load_scenario` validates a file), its author, the time
and an optional message; versions never change and are never deleted. A save
names the version the editor started from (``base_version``, None for a new
scenario); if that is not the latest version any more the save raises
:class:`~oicplan.errors.ConflictError` and nothing is written, so two people
editing the same version cannot overwrite each other. docs/store.md explains it.

>>> import os, tempfile
>>> from oicplan.scenario import scenario_yaml
>>> text = scenario_yaml("zhejiang")
>>> with tempfile.TemporaryDirectory() as d:
...     store = ScenarioStore("sqlite:///" + os.path.join(d, "s.sqlite"))
...     first = store.save("coast", text, author="li", base_version=None)
...     second = store.save("coast", text.replace("centers: 12", "centers: 10"),
...                         author="wang", base_version=1)
...     try:
...         store.save("coast", text, author="li", base_version=1)
...     except ConflictError as error:
...         refused = str(error).split(";")[0]
...     changes = store.diff("coast", 1, 2)["changes"]
...     store.dispose()
>>> first["version"], second["version"], refused
(1, 2, "scenario 'coast' was saved as version 2 since version 1 was opened")
>>> changes
[{'path': 'centers', 'kind': 'changed', 'old': 12, 'new': 10}]
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.store.db import database_errors, open_engine, resolve_database_url
from oicplan.store.models import ScenarioVersion, StoredScenario

if TYPE_CHECKING:
    from oicplan.scenario import Scenario

__all__ = [
    "MAX_YAML_CHARS",
    "NAME_PATTERN",
    "ScenarioStore",
    "replace_weights",
    "changed_fields",
    "check_person",
    "scenario_from_text",
    "server_files",
    "utc_now",
]

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$")
"""Names of stored scenarios and panels: letters, digits, ``-`` and ``_`` (no dots or slashes,
so a name is never taken for a file path)."""

MAX_YAML_CHARS = 200_000
"""Longest scenario text accepted (the built-in ones are about 8,000 characters)."""


def utc_now() -> _dt.datetime:
    """The current time in UTC, timezone-aware."""
    return _dt.datetime.now(_dt.UTC)


def as_utc(value: _dt.datetime | None) -> _dt.datetime | None:
    """A stored time as timezone-aware UTC (SQLite gives it back without a zone).

    >>> as_utc(_dt.datetime(2026, 1, 2, 3, 4)).isoformat()
    '2026-01-02T03:04:00+00:00'
    """
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.UTC)
    return value.astimezone(_dt.UTC)


def check_name(name: str, field: str = "name", what: str = "scenario") -> str:
    """A stored scenario's (or panel's) name, checked against :data:`NAME_PATTERN`."""
    text = str(name).strip()
    if not NAME_PATTERN.match(text):
        raise InputError(
            f"{what} name {text!r} must be 1-120 letters, digits, '-' or '_', "
            "starting with a letter or digit",
            field=field,
        )
    return text


def check_person(name: str | None, field: str) -> str:
    """A user name (author, expert): non-empty, at most 80 characters."""
    text = "" if name is None else str(name).strip()
    if not text:
        raise InputError("a user name is required", field=field)
    if len(text) > 80:
        raise InputError("a user name has at most 80 characters", field=field)
    return text


def scenario_from_text(text: str, source: str | None = None) -> Scenario:
    """Validate scenario YAML text as :func:`oicplan.scenario.load_scenario` validates a file.

    Parameters
    ----------
    text : str
        The YAML of a scenario.
    source : str, optional
        Shown as the "file" of error messages (e.g. ``coast v3``).

    Raises
    ------
    InputError
        Not YAML (with the line as ``row``), not a mapping, or a field that fails
        the scenario's checks (``field`` is its dotted path, e.g. ``selection.budget``).

    >>> scenario_from_text("name: x\\nhubs: [{name: H, lat: 0, lon: 0}]\\nweights: {a: 1}").name
    'x'
    >>> try:
    ...     scenario_from_text("name: x\\nhubs: [{name: H, lat: 0, lon: 0}]\\nweights: {}")
    ... except InputError as error:
    ...     print(error)
    field weights: Value error, weights must not all be zero
    """
    from oicplan.scenario import Scenario

    if len(text) > MAX_YAML_CHARS:
        raise InputError(
            f"scenario text is {len(text)} characters; at most {MAX_YAML_CHARS}",
            file=source, field="yaml_text",
        )
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = None if mark is None else mark.line + 1
        raise InputError(
            f"not valid YAML ({getattr(error, 'problem', error)})", file=source, row=row,
            field="yaml_text",
        ) from None
    if not isinstance(raw, dict):
        raise InputError("a scenario must be a YAML mapping of fields", file=source,
                         field="yaml_text")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "scenario"
        raise InputError(first["msg"], file=source, field=where) from None


def server_files(scenario: Scenario) -> list[tuple[str, str]]:
    """The fields of ``scenario`` that name files on the machine that runs it, with their values.

    ``framework`` (other than ``default``), ``match.field_data`` and
    ``selection.enterprises`` (other than ``sample`` and ``stored``). A scenario
    saved through the web app must not make the server read its files.

    >>> from oicplan.scenario import load_scenario
    >>> server_files(load_scenario("zhejiang"))
    []
    """
    found = []
    if scenario.framework != "default":
        found.append(("framework", scenario.framework))
    if scenario.match.field_data is not None:
        found.append(("match.field_data", scenario.match.field_data))
    if scenario.selection.enterprises not in (None, "sample", "stored"):
        found.append(("selection.enterprises", str(scenario.selection.enterprises)))
    return found


def replace_weights(text: str, weights: dict[str, float], digits: int = 4) -> str:
    """The scenario text with the given pillar weights replaced in place, comments kept.

    Only the numbers of the ``weights`` mapping change; every other line of the
    text stays as written.

    Raises
    ------
    InputError
        The text has no ``weights`` mapping, or a pillar of ``weights`` is not in
        it (field ``weights``).

    >>> replace_weights("weights:\\n  a: 0.5  # note\\n  b: 0.5\\n", {"a": 0.25, "b": 0.75})
    'weights:\\n  a: 0.25  # note\\n  b: 0.75\\n'
    """
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        raise InputError("the scenario text is not valid YAML", field="yaml_text") from None
    node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == "weights"), None)
    if not isinstance(node, yaml.MappingNode):
        raise InputError("the scenario has no weights mapping", field="weights")
    spans = {k.value: (v.start_mark.index, v.end_mark.index) for k, v in node.value}
    missing = [pillar for pillar in weights if pillar not in spans]
    if missing:
        raise InputError(
            f"pillar {missing[0]!r} is not among the scenario's weights ({', '.join(spans)})",
            field="weights",
        )
    out = text
    for pillar in sorted(weights, key=lambda p: spans[p][0], reverse=True):
        start, end = spans[pillar]
        out = out[:start] + repr(round(float(weights[pillar]), digits)) + out[end:]
    return out


def _compare(old: Any, new: Any, path: str, out: list[dict[str, Any]]) -> None:
    """Append the differences of ``old`` and ``new`` under ``path`` to ``out``."""

    def at(key: object) -> str:
        return f"{path}.{key}" if path else str(key)

    def structured(items: Any) -> bool:
        return isinstance(items, list) and any(isinstance(i, dict | list) for i in items)

    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in new:
                out.append({"path": at(key), "kind": "removed", "old": old[key], "new": None})
            elif key not in old:
                out.append({"path": at(key), "kind": "added", "old": None, "new": new[key]})
            else:
                _compare(old[key], new[key], at(key), out)
    elif isinstance(old, list) and isinstance(new, list) and (structured(old) or structured(new)):
        for index in range(max(len(old), len(new))):
            if index >= len(new):
                out.append({"path": at(index), "kind": "removed", "old": old[index], "new": None})
            elif index >= len(old):
                out.append({"path": at(index), "kind": "added", "old": None, "new": new[index]})
            else:
                _compare(old[index], new[index], at(index), out)
    elif old != new:
        out.append({"path": path, "kind": "changed", "old": old, "new": new})


def changed_fields(old: Scenario, new: Scenario) -> list[dict[str, Any]]:
    """The fields that differ between two scenarios, as dotted paths with old and new values.

    Both scenarios are compared as validated (defaults filled in), so a field
    written out with its default value is no change. Mappings are compared key
    by key (``weights.talent``; ``kind`` ``added`` or ``removed`` for a key only
    one side has, the other value None), lists of mappings item by item
    (``hubs.0.lat``), and other lists as one value (``candidates.include``).

    >>> from oicplan.scenario import load_scenario
    >>> base = load_scenario("zhejiang")
    >>> edited = base.model_copy(update={"weights": {**base.weights, "talent": 0.2}})
    >>> changed_fields(base, edited)
    [{'path': 'weights.talent', 'kind': 'changed', 'old': 0.15, 'new': 0.2}]
    """
    changes: list[dict[str, Any]] = []
    _compare(old.model_dump(mode="json"), new.model_dump(mode="json"), "", changes)
    return changes


class StoreBase:
    """One database of the store: its URL, an engine with the schema migrated, sessions.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; ``$OICPLAN_DATABASE_URL`` or the default SQLite file when
        omitted (see :func:`oicplan.store.resolve_database_url`).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_database_url(url)
        self.engine: Engine = open_engine(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with database_errors(self.engine.url), Session(self.engine) as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close the engine's connections."""
        self.engine.dispose()


def _version_record(name: str, row: ScenarioVersion, text: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": name,
        "version": row.version,
        "author": row.author,
        "created_at": as_utc(row.created_at),
        "message": row.message,
    }
    if text:
        record["yaml_text"] = row.yaml_text
    return record


class ScenarioStore(StoreBase):
    """Stored scenarios and their versions in one database."""

    def _scenario(self, session: Session, name: str) -> StoredScenario:
        row = session.scalar(select(StoredScenario).where(StoredScenario.name == name))
        if row is None:
            raise NotFoundError(f"no stored scenario {name!r}", field="name")
        return row

    def save(
        self,
        name: str,
        yaml_text: str,
        *,
        author: str,
        base_version: int | None,
        message: str | None = None,
        allow_files: bool = False,
    ) -> dict[str, Any]:
        """Validate ``yaml_text`` and store it as the next version of scenario ``name``.

        Parameters
        ----------
        name : str
            The stored scenario (see :data:`NAME_PATTERN`; built-in names are refused).
        yaml_text : str
            The scenario's YAML, kept as written (comments included).
        author : str
            Who saves (a user name).
        base_version : int or None
            The version the editor started from; None (or 0) creates the scenario.
        message : str, optional
            What changed, in the author's words (at most 500 characters).
        allow_files : bool
            Accept a scenario that names files on this machine (see
            :func:`server_files`); False by default, since stored scenarios are
            edited by web users and run by the server.

        Returns
        -------
        dict
            The new version: ``name, version, author, created_at, message, yaml_text``.

        Raises
        ------
        ConflictError
            ``base_version`` is not the latest version (someone saved in between),
            or the scenario exists and ``base_version`` is None; nothing is written.
        InputError
            A bad name (field ``name``), author (``author``), message (``message``),
            unknown scenario for a ``base_version`` (``name``), a negative
            ``base_version``, text that is not a valid scenario (its field), or
            that names a file on this machine (the field, unless ``allow_files``).
        """
        from oicplan.scenario import BUILTIN_SCENARIOS

        name = check_name(name)
        if name.lower() in BUILTIN_SCENARIOS:
            raise InputError(
                f"{name!r} is a built-in scenario; save your copy under another name",
                field="name",
            )
        author = check_person(author, "author")
        if message is not None and len(message) > 500:
            raise InputError("a message has at most 500 characters", field="message")
        if base_version is not None and base_version < 0:
            raise InputError("a version is 1 or more", field="base_version")
        scenario = scenario_from_text(yaml_text, source=name)
        files = [] if allow_files else server_files(scenario)
        if files:
            field, value = files[0]
            raise InputError(
                f"a stored scenario cannot name a file on the server ({value!r}); "
                "use the built-in choices",
                field=field,
            )
        base = base_version or 0
        now = utc_now()
        try:
            with self.session() as session:
                row = session.scalar(select(StoredScenario).where(StoredScenario.name == name))
                if row is None and base:
                    raise NotFoundError(
                        f"no stored scenario {name!r} to save version {base + 1} of; "
                        "leave base_version empty to create it",
                        field="name",
                    )
                if row is None:
                    row = StoredScenario(name=name, created_by=author, created_at=now)
                    session.add(row)
                    session.flush()
                latest = session.scalar(
                    select(func.max(ScenarioVersion.version)).where(
                        ScenarioVersion.scenario_id == row.id
                    )
                ) or 0
                if latest != base:
                    raise _conflict(name, base, latest)
                version = ScenarioVersion(
                    scenario_id=row.id, version=base + 1, yaml_text=yaml_text, author=author,
                    created_at=now, message=message,
                )
                session.add(version)
                session.flush()
                record = _version_record(name, version, text=True)
        except IntegrityError:
            # Another save from the same base committed between our check and insert
            # (the unique (scenario, version) or scenario name refused ours).
            raise _conflict(name, base, self._latest(name)) from None
        return record

    def _latest(self, name: str) -> int:
        with self.session() as session:
            row = session.scalar(select(StoredScenario).where(StoredScenario.name == name))
            if row is None:
                return 0
            return int(
                session.scalar(
                    select(func.max(ScenarioVersion.version)).where(
                        ScenarioVersion.scenario_id == row.id
                    )
                ) or 0
            )

    def list_scenarios(self) -> list[dict[str, Any]]:
        """Stored scenarios by name: creator, latest version, its author and time."""
        latest = (
            select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.version).label("v"))
            .group_by(ScenarioVersion.scenario_id)
            .subquery()
        )
        query = (
            select(StoredScenario, ScenarioVersion)
            .join(latest, latest.c.scenario_id == StoredScenario.id)
            .join(
                ScenarioVersion,
                (ScenarioVersion.scenario_id == StoredScenario.id)
                & (ScenarioVersion.version == latest.c.v),
            )
            .order_by(StoredScenario.name)
        )
        with self.session() as session:
            return [
                {
                    "name": scenario.name,
                    "created_by": scenario.created_by,
                    "created_at": as_utc(scenario.created_at),
                    "latest_version": version.version,
                    "updated_by": version.author,
                    "updated_at": as_utc(version.created_at),
                }
                for scenario, version in session.execute(query)
            ]

    def versions(self, name: str) -> list[dict[str, Any]]:
        """The versions of scenario ``name``, oldest first, without their text."""
        with self.session() as session:
            row = self._scenario(session, name)
            rows = session.scalars(
                select(ScenarioVersion)
                .where(ScenarioVersion.scenario_id == row.id)
                .order_by(ScenarioVersion.version)
            )
            return [_version_record(name, version, text=False) for version in rows]

    def get(self, name: str, version: int | None = None) -> dict[str, Any]:
        """One version of scenario ``name`` with its YAML text (the latest if ``version`` is None).

        Raises
        ------
        InputError
            Unknown scenario (field ``name``) or version (field ``version``).
        """
        with self.session() as session:
            row = self._scenario(session, name)
            query = select(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id)
            if version is None:
                query = query.order_by(ScenarioVersion.version.desc()).limit(1)
            else:
                query = query.where(ScenarioVersion.version == version)
            found = session.scalar(query)
            if found is None:
                raise NotFoundError(f"scenario {name!r} has no version {version}", field="version")
            return _version_record(name, found, text=True)

    def scenario(self, name: str, version: int | None = None) -> Scenario:
        """The :class:`~oicplan.scenario.Scenario` of a stored version, named ``name``.

        The scenario's ``name`` is the stored name (whatever the YAML's ``name``
        says), so rankings and plans made from it say which stored scenario they
        come from.
        """
        record = self.get(name, version)
        scenario = scenario_from_text(record["yaml_text"], f"{name} v{record['version']}")
        return scenario.model_copy(update={"name": name})

    def diff(self, name: str, old: int, new: int) -> dict[str, Any]:
        """What changed from version ``old`` to version ``new`` of scenario ``name``.

        Returns
        -------
        dict
            ``name, old, new``; ``unified``: a unified diff of the YAML texts;
            ``changes``: the changed fields (see :func:`changed_fields`).
        """
        before, after = self.get(name, old), self.get(name, new)
        unified = "".join(
            difflib.unified_diff(
                before["yaml_text"].splitlines(keepends=True),
                after["yaml_text"].splitlines(keepends=True),
                fromfile=f"{name} v{old}",
                tofile=f"{name} v{new}",
            )
        )
        changes = changed_fields(
            scenario_from_text(before["yaml_text"], f"{name} v{old}"),
            scenario_from_text(after["yaml_text"], f"{name} v{new}"),
        )
        return {"name": name, "old": old, "new": new, "unified": unified, "changes": changes}


def _conflict(name: str, base: int, latest: int) -> ConflictError:
    if base == 0:
        return ConflictError(
            f"a scenario {name!r} already exists (version {latest}); open it and save "
            "from its latest version, or choose another name"
        )
    return ConflictError(
        f"scenario {name!r} was saved as version {latest} since version {base} was opened; "
        "reload it, redo the change and save again"
    )
