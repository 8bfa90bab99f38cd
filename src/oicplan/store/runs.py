"""Runs: the web app's jobs (plan, ranking, sensitivity, optimize) and their state.

A run is created ``queued`` with its inputs (JSON) and the dataset version, is
``running`` from :meth:`RunStore.start`, reports progress (a fraction 0-1 and a
message) and ends ``done`` (results as JSON and report files), ``failed`` (an
error message) or ``cancelled``. Each change of status is one conditional
``UPDATE`` (``... WHERE status IN (...)``), so a cancel and a finish that race
cannot both win. A run records the server process that owns it and its last sign
of life (``owner``, ``heartbeat_at``); :meth:`RunStore.recover_stale_runs` marks the
runs of a server that is gone as failed, so after a restart no job stays
"running" for ever. docs/store.md explains the states.

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     runs = RunStore("sqlite:///" + os.path.join(d, "r.sqlite"))
...     run = runs.create("plan", {"scenario": "zhejiang"}, dataset_version="2026.11")
...     _ = runs.start(run["id"])
...     _ = runs.progress(run["id"], 0.5, "solving the layout model")
...     done = runs.finish(run["id"], {"centers": 12}, report_files=["plan.html"])
...     runs.dispose()
>>> run["status"], done["status"], done["progress"], done["results"]
('queued', 'done', 1.0, {'centers': 12})
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import socket
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from oicplan.errors import ConflictError, InputError, NotFoundError
from oicplan.store.models import Run
from oicplan.store.scenarios import StoreBase, as_utc, utc_now

__all__ = [
    "ACTIVE",
    "FINAL",
    "KINDS",
    "STATUSES",
    "RunStore",
    "owner_alive",
    "process_owner",
]

KINDS = ("plan", "ranking", "sensitivity", "optimize")
"""What a run computes."""
STATUSES = ("queued", "running", "done", "failed", "cancelled")
"""A run's states: queued -> running -> done | failed | cancelled (queued may also end)."""
ACTIVE = ("queued", "running")
"""States in which a run can still change."""
FINAL = ("done", "failed", "cancelled")
"""States a run never leaves."""

_PROCESS_TOKEN = uuid.uuid4().hex[:12]


def process_owner() -> str:
    """This server process as a run's owner: ``host:pid:token``.

    The random token (one per process) tells a restarted server from the old one
    even when it gets the same process id (pid 1 in a container, say).

    >>> host, pid, token = process_owner().rsplit(":", 2)
    >>> int(pid) == os.getpid()
    True
    """
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_TOKEN}"


def owner_alive(owner: str | None) -> bool | None:
    """Whether the process ``owner`` (see :func:`process_owner`) still runs, if this host can tell.

    True for this very process; False for a process of this host that has gone
    (or an earlier process with this process id); None when the owner is on
    another host or unknown (then only the heartbeat can tell).

    >>> owner_alive(process_owner()), owner_alive(None)
    (True, None)
    """
    if not owner:
        return None
    if owner == process_owner():
        return True
    try:
        host, pid_text, _token = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if pid == os.getpid():
        return False  # same pid, other token: this server was restarted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user has the id: cannot tell, assume alive
    except OSError:
        return None
    return True


def _json_ready(value: Any, field: str) -> Any:
    """``value`` with NaN and infinities as None; refuses what JSON cannot hold."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, dict):
        return {str(key): _json_ready(item, field) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item, field) for item in value]
    raise InputError(f"{type(value).__name__} is not JSON data", field=field)


def _record(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "inputs": run.inputs,
        "scenario": run.scenario,
        "scenario_version": run.scenario_version,
        "dataset_version": run.dataset_version,
        "progress": float(run.progress),
        "message": run.message,
        "results": run.results,
        "report_files": list(run.report_files or []),
        "error": run.error,
        "created_by": run.created_by,
        "owner": run.owner,
        "heartbeat_at": as_utc(run.heartbeat_at),
        "created_at": as_utc(run.created_at),
        "started_at": as_utc(run.started_at),
        "finished_at": as_utc(run.finished_at),
    }


class RunStore(StoreBase):
    """The runs in one database."""

    def _get(self, session: Session, run_id: str) -> Run:
        run = session.get(Run, str(run_id))
        if run is None:
            raise NotFoundError(f"no run {run_id!r}", field="run_id")
        return run

    def create(
        self,
        kind: str,
        inputs: dict[str, Any],
        *,
        dataset_version: str | None = None,
        scenario: str | None = None,
        scenario_version: int | None = None,
        created_by: str | None = None,
        owner: str | None = None,
    ) -> dict[str, Any]:
        """A new ``queued`` run, owned by ``owner`` (this process by default).

        Raises
        ------
        InputError
            Unknown ``kind``, or ``inputs`` that are not JSON data.
        """
        if kind not in KINDS:
            raise InputError(f"unknown run kind {kind!r}; use one of {', '.join(KINDS)}",
                             field="kind")
        if not isinstance(inputs, dict):
            raise InputError("inputs must be a JSON object", field="inputs")
        now = utc_now()
        run = Run(
            id=uuid.uuid4().hex, kind=kind, status="queued", inputs=_json_ready(inputs, "inputs"),
            scenario=scenario, scenario_version=scenario_version,
            dataset_version=dataset_version, progress=0.0, report_files=[],
            created_by=created_by, owner=owner or process_owner(), heartbeat_at=now,
            created_at=now,
        )
        with self.session() as session:
            session.add(run)
            session.flush()
            return _record(run)

    def _transition(
        self, run_id: str, allowed: Sequence[str], values: dict[str, Any], action: str
    ) -> dict[str, Any]:
        """Apply ``values`` if the run's status is in ``allowed``, in one UPDATE."""
        with self.session() as session:
            outcome: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(Run)
                .where(Run.id == str(run_id), Run.status.in_(list(allowed)))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            changed = outcome.rowcount
            run = self._get(session, run_id)
            if not changed:
                raise ConflictError(f"run {run_id} is {run.status}; it cannot be {action}")
            session.refresh(run)
            return _record(run)

    def start(self, run_id: str, *, owner: str | None = None) -> dict[str, Any]:
        """Mark a queued run as running (by ``owner``, this process by default).

        Raises
        ------
        ConflictError
            The run is not queued (already started, or ended).
        """
        now = utc_now()
        values = {"status": "running", "started_at": now, "heartbeat_at": now,
                  "owner": owner or process_owner()}
        return self._transition(run_id, ("queued",), values, "started")

    def progress(self, run_id: str, fraction: float, message: str | None = None) -> dict[str, Any]:
        """Record a running run's progress (0-1) and message; also its heartbeat.

        A run that has ended (cancelled, say) is returned unchanged: the job
        sees ``status`` and stops.

        Raises
        ------
        InputError
            ``fraction`` outside 0-1 (field ``progress``) or a message over 500 characters.
        """
        value = float(fraction)
        if not 0.0 <= value <= 1.0:
            raise InputError(f"progress is a fraction from 0 to 1, got {fraction}",
                             field="progress")
        if message is not None and len(message) > 500:
            raise InputError("a progress message has at most 500 characters", field="message")
        with self.session() as session:
            session.execute(
                update(Run)
                .where(Run.id == str(run_id), Run.status.in_(list(ACTIVE)))
                .values(progress=value, message=message, heartbeat_at=utc_now())
                .execution_options(synchronize_session=False)
            )
            run = self._get(session, run_id)
            session.refresh(run)
            return _record(run)

    def finish(
        self, run_id: str, results: dict[str, Any], report_files: Sequence[str] = ()
    ) -> dict[str, Any]:
        """Mark a run done with its results (JSON; NaN stored as null) and report files.

        Raises
        ------
        ConflictError
            The run has already ended (cancelled while it ran, say); nothing is stored.
        """
        now = utc_now()
        values = {
            "status": "done", "progress": 1.0, "results": _json_ready(results, "results"),
            "report_files": [str(path) for path in report_files], "finished_at": now,
            "heartbeat_at": now,
        }
        return self._transition(run_id, ACTIVE, values, "finished")

    def fail(self, run_id: str, error: str) -> dict[str, Any]:
        """Mark a queued or running run failed with ``error`` (what went wrong, for the user).

        Raises
        ------
        ConflictError
            The run has already ended.
        """
        now = utc_now()
        values = {"status": "failed", "error": str(error), "finished_at": now,
                  "heartbeat_at": now}
        return self._transition(run_id, ACTIVE, values, "failed")

    def cancel(self, run_id: str, reason: str | None = None) -> dict[str, Any]:
        """Cancel a queued or running run; a job that runs sees it at its next progress report.

        Raises
        ------
        ConflictError
            The run has already ended (done, failed or cancelled).
        """
        values = {"status": "cancelled", "finished_at": utc_now(), "error": reason}
        return self._transition(run_id, ACTIVE, values, "cancelled")

    def get(self, run_id: str) -> dict[str, Any]:
        """One run. Raises InputError (field ``run_id``) for an unknown id."""
        with self.session() as session:
            return _record(self._get(session, run_id))

    def list_runs(
        self,
        *,
        kind: str | None = None,
        status: str | None = None,
        scenario: str | None = None,
        created_by: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Runs, newest first, optionally of one kind, status, scenario or user.

        Raises
        ------
        InputError
            An unknown kind or status, or a limit outside 1-1000.
        """
        if kind is not None and kind not in KINDS:
            raise InputError(f"unknown run kind {kind!r}; use one of {', '.join(KINDS)}",
                             field="kind")
        if status is not None and status not in STATUSES:
            raise InputError(
                f"unknown run status {status!r}; use one of {', '.join(STATUSES)}",
                field="status",
            )
        if not 1 <= limit <= 1000:
            raise InputError("limit is from 1 to 1000", field="limit")
        query = select(Run).order_by(Run.created_at.desc(), Run.id).limit(limit).offset(
            max(0, offset)
        )
        if kind is not None:
            query = query.where(Run.kind == kind)
        if status is not None:
            query = query.where(Run.status == status)
        if scenario is not None:
            query = query.where(Run.scenario == scenario)
        if created_by is not None:
            query = query.where(Run.created_by == created_by)
        with self.session() as session:
            return [_record(run) for run in session.scalars(query)]

    def recover_stale_runs(
        self, *, stale_after: float | None = 3600.0, reason: str | None = None,
        now: _dt.datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Mark as failed the queued and running runs whose server is gone.

        A run is stale when its owner (see :func:`process_owner`) is a process of
        this host that no longer runs (:func:`owner_alive` is False: the server
        was restarted), or, when that cannot be told (another host, no owner),
        when its last sign of life (``heartbeat_at``, else ``created_at``) is more
        than ``stale_after`` seconds old (None: never by age). The runs of this
        process are never stale. The server calls this on start.

        Returns
        -------
        list of dict
            The runs marked failed, with ``error`` saying why.
        """
        moment = now or utc_now()
        with self.session() as session:
            active = list(session.scalars(select(Run).where(Run.status.in_(list(ACTIVE)))))
            stale: list[tuple[str, str]] = []
            for run in active:
                alive = owner_alive(run.owner)
                if alive is False:
                    why = reason or (
                        f"the server that ran this job ({run.owner}) stopped before it ended; "
                        "start the run again"
                    )
                    stale.append((run.id, why))
                elif alive is None and stale_after is not None:
                    seen = as_utc(run.heartbeat_at or run.created_at)
                    if seen is not None and (moment - seen).total_seconds() > stale_after:
                        why = reason or (
                            f"no sign of life from the server that ran this job for more "
                            f"than {stale_after:g} s; start the run again"
                        )
                        stale.append((run.id, why))
            recovered = []
            for run_id, why in stale:
                outcome: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                    update(Run)
                    .where(Run.id == run_id, Run.status.in_(list(ACTIVE)))
                    .values(status="failed", error=why, finished_at=moment)
                    .execution_options(synchronize_session=False)
                )
                if outcome.rowcount:
                    recovered.append(run_id)
        if not recovered:
            return []
        with self.session() as session:
            rows = session.scalars(select(Run).where(Run.id.in_(recovered)).order_by(Run.id))
            return [_record(run) for run in rows]
