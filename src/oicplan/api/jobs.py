"""Background jobs: plan, ranking, sensitivity and optimize runs, in process or on Dask.

:class:`JobRunner` (one per app, ``app.state.jobs``) stores a new run through
:mod:`oicplan.services.runs` and hands its id to a worker:

* **in process** (the default): a standard :class:`concurrent.futures.ThreadPoolExecutor`
  with ``$OICPLAN_JOB_WORKERS`` threads (default 2). Threads share the pipeline's
  caches, so a re-plan after a weight change is quick; the solvers and numpy
  release the GIL while they compute.
* **on a Dask distributed cluster** when ``$OICPLAN_DASK_SCHEDULER`` names its
  scheduler (``tcp://host:8786``): ``distributed.Client(address).submit(execute_run,
  database_url, run_id, data_dir)``. The workers import oicplan, open the database
  themselves from its URL (so it must be PostgreSQL, or a SQLite file they share)
  and write into the same data folder (a shared file system).

:func:`execute_run` is the task either way: it starts the run (unless it was
cancelled while queued: then it never starts), runs the use case in stages and
records progress (0-1 with a message) and a heartbeat (every 30 s while a stage
runs) after each, and finishes the run with its results and report files, or
fails it with one line (an :class:`~oicplan.errors.InputError` names its field; an
unexpected error says so and its traceback goes to the server log, never to the
API). Cancelling is cooperative: between stages (and between Monte Carlo chunks
and optimizer steps) the job reads its run's status and stops when it is no
longer running; a queued in-process job's future is cancelled, and so is a Dask
future. A plan run writes ``plan.json``, ``report.html`` and the other report
files of :func:`oicplan.report.write_plan` into its own folder,
``<data folder>/runs/<run id>/``; the run's ``report_files`` list what is there.

On start (:func:`job_lifespan`) the runner marks the runs of servers that are gone
as failed (:func:`~oicplan.services.runs.recover_stale_runs`), so no run stays
"running" after a restart; on shutdown it cancels the jobs that have not started
and asks running ones to stop at their next stage (they fail with "the server
stopped").

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     url = "sqlite:///" + os.path.join(folder, "db.sqlite")
...     runner = JobRunner(url, folder, workers=1, scheduler="")
...     run = runner.submit(job_inputs({"kind": "ranking", "scenario": "zhejiang"}))
...     done = runner.wait(run.id, timeout=300)
...     runner.shutdown()
>>> done.status, done.results["sites"][0]["rank"]
('done', 1)
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from pydantic import ValidationError

from oicplan.errors import ConflictError, InputError, OicplanError
from oicplan.services.jobs import (
    OptimizeJob,
    PlanJob,
    RankingJob,
    SensitivityJob,
    is_builtin_scenario,
    job_inputs,
    map_document,
    ranking_rows,
)
from oicplan.services.runs import (
    CreateRunRequest,
    FailRunRequest,
    FinishRunRequest,
    GetRunRequest,
    RecoverStaleRunsRequest,
    RunProgressRequest,
    RunRecord,
    RunsResult,
    StartRunRequest,
    create_run,
    fail_run,
    finish_run,
    get_run,
    recover_stale_runs,
    run_progress,
    start_run,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = [
    "DASK_SCHEDULER_ENV",
    "HEARTBEAT_SECONDS",
    "WORKERS_ENV",
    "JobCancelled",
    "JobContext",
    "JobRunner",
    "JobsUnavailable",
    "data_folder",
    "execute_run",
    "job_inputs",
    "job_lifespan",
    "report_files",
    "run_folder",
    "runner_of",
]

DASK_SCHEDULER_ENV = "OICPLAN_DASK_SCHEDULER"
WORKERS_ENV = "OICPLAN_JOB_WORKERS"
HEARTBEAT_SECONDS = 30.0
"""While a stage runs, the run's heartbeat is renewed this often."""
RUNS_FOLDER = "runs"
_RUN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SERVER_STOPPED = "the server stopped while this job ran; start the run again"

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """The job's run is no longer running (cancelled, or failed by a recovery): stop."""


class JobsUnavailable(OicplanError):
    """The job could not be handed to a worker (the Dask scheduler is unreachable)."""


# ------------------------------------------------------------------------- folders


def data_folder(environ: dict[str, str] | None = None) -> Path:
    """The data folder: ``$OICPLAN_DATA_DIR``, else ``~/.local/share/oicplan``.

    >>> data_folder({"OICPLAN_DATA_DIR": "/srv/oic"}).as_posix()
    '/srv/oic'
    """
    from oicplan.store.db import default_database_path

    return default_database_path(environ).parent


def run_folder(data_dir: str | Path, run_id: str) -> Path:
    """The folder of one run's files: ``<data_dir>/runs/<run_id>``.

    >>> run_folder("/srv/oic", "1f2e").as_posix()
    '/srv/oic/runs/1f2e'
    >>> run_folder("/srv/oic", "../x")
    Traceback (most recent call last):
    ...
    oicplan.errors.InputError: field run_id: not a run id: '../x'
    """
    if not _RUN_ID.fullmatch(run_id):
        raise InputError(f"not a run id: {run_id!r}", field="run_id")
    return Path(data_dir) / RUNS_FOLDER / run_id


def report_files(folder: Path) -> list[str]:
    """The files a job left in its folder (names, sorted; hidden files left out)."""
    if not folder.is_dir():
        return []
    return sorted(
        path.name for path in folder.iterdir()
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    )


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- stages


class JobContext:
    """What a running job reports through: stages, progress, heartbeat, its folder."""

    def __init__(
        self, database_url: str, run_id: str, folder: Path,
        stop: threading.Event | None = None,
    ) -> None:
        self.database_url = database_url
        self.run_id = run_id
        self.folder = folder
        self.fraction = 0.0
        self.message: str | None = None
        self.stop = stop
        self._lock = threading.Lock()

    def stage(self, fraction: float, message: str | None) -> None:
        """Record progress and stop (:class:`JobCancelled`) if the run is no longer running."""
        with self._lock:
            self.fraction = max(self.fraction, min(1.0, float(fraction)))
            self.message = None if message is None else message[:500]
            record = run_progress(RunProgressRequest(
                database_url=self.database_url, run_id=self.run_id,
                progress=self.fraction, message=self.message,
            )).run
        if record.status != "running":
            raise JobCancelled(record.status)
        if self.stop is not None and self.stop.is_set():
            raise JobCancelled("server stopped")

    def beat(self) -> None:
        """Renew the heartbeat (the same progress and message); never raises."""
        try:
            with self._lock:
                run_progress(RunProgressRequest(
                    database_url=self.database_url, run_id=self.run_id,
                    progress=self.fraction, message=self.message,
                ))
        except Exception:  # a heartbeat that fails must not stop the job
            log.warning("heartbeat of run %s failed", self.run_id, exc_info=True)


@contextlib.contextmanager
def _heartbeat(context: JobContext, seconds: float | None = None) -> Iterator[None]:
    seconds = seconds or HEARTBEAT_SECONDS
    done = threading.Event()

    def beat() -> None:
        while not done.wait(seconds):
            context.beat()

    thread = threading.Thread(target=beat, name=f"oicplan-heartbeat-{context.run_id}",
                              daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)


def _scenario_file(context: JobContext, job: SensitivityJob | OptimizeJob) -> Path | None:
    """A stored scenario written into the run's folder (the services read files); None: built-in."""
    if is_builtin_scenario(job.scenario):
        return None
    from oicplan.errors import NotFoundError
    from oicplan.services.scenarios import GetScenarioVersionRequest, get_scenario_version

    try:
        version = get_scenario_version(GetScenarioVersionRequest(
            database_url=context.database_url, name=job.scenario, version=job.scenario_version,
        )).version
    except NotFoundError as error:
        field = "scenario_version" if error.field == "version" else "scenario"
        raise InputError(error.message, field=field) from None
    context.folder.mkdir(parents=True, exist_ok=True)
    path = context.folder / "scenario.yaml"
    from oicplan.wholefile import write_whole

    return write_whole(path, version.yaml_text or "")


def _plan_task(context: JobContext, job: PlanJob) -> tuple[dict[str, Any], list[str]]:
    from oicplan.report import ReportAhead, write_plan
    from oicplan.services.planning import load_request_scenario, plan

    request = job.request(context.database_url)
    context.stage(0.02, "checking the scenario")
    load_request_scenario(request)  # a bad scenario, weight or method fails here, at once
    context.stage(0.05, "ranking the candidates and choosing the centers")
    ahead = ReportAhead(job.lang)  # charts drawn while the frontier solves run
    result = plan(request, while_solving=ahead)
    context.stage(0.6, "writing the report files")
    write_plan(result.plan, context.folder, job.lang, network=result.network,
               layers=result.map_layers, pdf=job.pdf,  # the reports page offers plan.pdf
               prepared=ahead.prepared, document=result.document.model_dump(mode="json"))
    context.stage(0.95, "storing the plan")
    results = {
        "plan": result.document.model_dump(mode="json"),
        "map": map_document(result),
        "ranking": ranking_rows(result),
        "lang": job.lang,
    }
    return results, report_files(context.folder)


def _ranking_task(context: JobContext, job: RankingJob) -> tuple[dict[str, Any], list[str]]:
    from oicplan.services.planning import rank

    context.stage(0.05, "ranking the candidates")
    result = rank(job.request(context.database_url))
    context.stage(0.95, "storing the ranking")
    return result.model_dump(mode="json"), []


def _sensitivity_task(
    context: JobContext, job: SensitivityJob
) -> tuple[dict[str, Any], list[str]]:
    from oicplan.services.sensitivity import sensitivity

    path = _scenario_file(context, job)
    context.stage(0.02, "preparing the Monte Carlo")
    last = [0.0]

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if total is None:
            context.stage(context.fraction, stage)
        elif now - last[0] >= 0.5 or done >= total:
            last[0] = now
            context.stage(0.02 + 0.9 * done / max(total, 1), f"{stage}: {done}/{total}")

    result = sensitivity(job.request(path), progress=progress)
    context.stage(0.95, "storing the rank intervals")
    return {"sensitivity": result.document, "labels": result.labels}, report_files(
        context.folder)


def _optimize_task(context: JobContext, job: OptimizeJob) -> tuple[dict[str, Any], list[str]]:
    from oicplan.services.optimize import optimize

    path = _scenario_file(context, job)
    steps = [0]

    @contextlib.contextmanager
    def step(message: str) -> Iterator[None]:
        steps[0] += 1
        context.stage(min(0.9, 0.05 * steps[0]), message)
        yield

    context.stage(0.02, "checking the limits")
    result = optimize(job.request(path), step=step)
    context.stage(0.95, "storing the layout")
    return {"optimize": result.document}, report_files(context.folder)


_TASKS: dict[str, Callable[[JobContext, Any], tuple[dict[str, Any], list[str]]]] = {
    "plan": _plan_task,
    "ranking": _ranking_task,
    "sensitivity": _sensitivity_task,
    "optimize": _optimize_task,
}


def _one_line(text: str, limit: int = 1000) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _validation_line(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid"))
    return f"field {where}: {message}" if where else message


def _status(database_url: str, run_id: str) -> str:
    return get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run.status


def _fail(database_url: str, run_id: str, error: str) -> str:
    try:
        fail_run(FailRunRequest(database_url=database_url, run_id=run_id,
                                error=_one_line(error)))
    except ConflictError:  # cancelled meanwhile: keep its status
        return _status(database_url, run_id)
    return "failed"


def execute_run(
    database_url: str, run_id: str, data_dir: str, stop: threading.Event | None = None
) -> str:
    """Run a stored queued run to its end; the task of a worker (a thread or a Dask worker).

    Opens the database from ``database_url`` itself, so it can run in another
    process. A run that is no longer queued (cancelled before it started) is
    left alone. Returns the run's final status.
    """
    record = get_run(GetRunRequest(database_url=database_url, run_id=run_id)).run
    if record.status != "queued":
        return record.status
    try:
        start_run(StartRunRequest(database_url=database_url, run_id=run_id))
    except ConflictError:  # cancelled between the two reads
        return _status(database_url, run_id)
    folder = run_folder(data_dir, run_id)
    context = JobContext(database_url, run_id, folder, stop)
    try:
        job = job_inputs({**record.inputs, "kind": record.kind})
        with _heartbeat(context):
            results, files = _TASKS[job.kind](context, job)
        finish_run(FinishRunRequest(database_url=database_url, run_id=run_id,
                                    results=results, report_files=files))
        return "done"
    except JobCancelled as why:
        _remove(folder)
        if str(why) == "server stopped":
            return _fail(database_url, run_id, _SERVER_STOPPED)
        return _status(database_url, run_id)
    except ConflictError:  # cancelled after the last stage, before it was stored
        _remove(folder)
        return _status(database_url, run_id)
    except OicplanError as error:
        _remove(folder)
        # A stored scenario written into the run's folder is named by its file name only.
        message = str(error).replace(str(folder) + os.sep, "")
        return _fail(database_url, run_id, message)
    except ValidationError as error:
        _remove(folder)
        return _fail(database_url, run_id, _validation_line(error))
    except Exception as error:
        log.exception("run %s (%s) stopped on an unexpected error", run_id, record.kind)
        _remove(folder)
        return _fail(database_url, run_id, f"the job stopped on an unexpected error "
                     f"({type(error).__name__}); the server log has the details")


# -------------------------------------------------------------------------- runner


def _default_workers() -> int:
    text = os.environ.get(WORKERS_ENV, "").strip()
    if text:
        try:
            workers = int(text)
        except ValueError:
            raise InputError(f"not a whole number: {text!r}", field=WORKERS_ENV) from None
        if workers < 1:
            raise InputError("at least 1 worker", field=WORKERS_ENV)
        return workers
    return 2


@functools.cache
def _dataset_version() -> str | None:
    try:
        from oicplan.data import load_dataset

        return load_dataset().version
    except Exception:  # no snapshot: the run says nothing rather than something false
        return None


class JobRunner:
    """Runs jobs in the background: a thread pool, or a Dask cluster.

    Parameters
    ----------
    database_url : str
        The runs' database (the workers open it themselves).
    data_dir : path, optional
        The data folder whose ``runs/`` holds each run's files (default: the data folder).
    workers : int, optional
        Threads of the in-process pool (default ``$OICPLAN_JOB_WORKERS`` or 2).
    scheduler : str, optional
        A Dask scheduler address; default ``$OICPLAN_DASK_SCHEDULER`` (unset or
        empty: in process).
    connect_timeout : float
        Seconds to wait for the Dask scheduler when the first job is handed over.
    """

    def __init__(
        self, database_url: str, data_dir: str | Path | None = None, *,
        workers: int | None = None, scheduler: str | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        self.database_url = database_url
        self.data_dir = Path(data_dir) if data_dir is not None else data_folder()
        self.workers = workers or _default_workers()
        chosen = os.environ.get(DASK_SCHEDULER_ENV, "") if scheduler is None else scheduler
        self.scheduler = chosen.strip() or None
        self.connect_timeout = connect_timeout
        self._executor: ThreadPoolExecutor | None = None
        self._client: Any = None
        self._futures: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def __repr__(self) -> str:
        where = f"dask {self.scheduler}" if self.scheduler else f"{self.workers} threads"
        return f"JobRunner({where})"

    # -- lifecycle

    def start(self) -> RunsResult:
        """Fail the runs of servers that are gone (call when the server starts)."""
        self._stop.clear()
        return recover_stale_runs(RecoverStaleRunsRequest(database_url=self.database_url))

    def shutdown(self, wait: bool = False) -> None:
        """Cancel jobs not started, ask running ones to stop, close the pool or Dask client."""
        self._stop.set()
        with self._lock:
            futures = dict(self._futures)
        for run_id, future in futures.items():
            if future.cancel():
                _fail(self.database_url, run_id,
                      "the server stopped before this job started; start the run again")
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None

    # -- jobs

    def _stored_version(self, job: PlanJob | RankingJob | SensitivityJob | OptimizeJob
                        ) -> int | None:
        """The stored scenario's version the job will use (its latest if not named)."""
        if job.scenario_version is not None or is_builtin_scenario(job.scenario):
            return job.scenario_version
        from oicplan.services.scenarios import GetScenarioVersionRequest, get_scenario_version

        try:
            return get_scenario_version(GetScenarioVersionRequest(
                database_url=self.database_url, name=job.scenario)).version.version
        except InputError:  # unknown: the job fails and says so
            return None

    def _dispatch(self, run_id: str) -> Any:
        if self.scheduler:
            if self._client is None:
                from distributed import Client

                self._client = Client(self.scheduler, set_as_default=False,
                                      timeout=self.connect_timeout)
            return self._client.submit(
                execute_run, self.database_url, run_id, str(self.data_dir),
                key=f"oicplan-run-{run_id}", pure=False,
            )
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="oicplan-job")
        return self._executor.submit(
            execute_run, self.database_url, run_id, str(self.data_dir), self._stop)

    def submit(
        self, job: PlanJob | RankingJob | SensitivityJob | OptimizeJob,
        created_by: str | None = None,
    ) -> RunRecord:
        """Store the job as a queued run and hand it to a worker; the run as stored.

        Raises
        ------
        JobsUnavailable
            No worker could take it (the Dask scheduler is unreachable); the run
            is marked failed with the reason.
        """
        version = self._stored_version(job)
        inputs = job.model_copy(update={"scenario_version": version}).model_dump(mode="json")
        run = create_run(CreateRunRequest(
            database_url=self.database_url, kind=job.kind, inputs=inputs,
            scenario=job.scenario, scenario_version=version,
            dataset_version=_dataset_version(), created_by=created_by,
        )).run
        try:
            with self._lock:
                future = self._dispatch(run.id)
                self._futures[run.id] = future
        except Exception as error:
            reason = _one_line(f"the job could not be handed to a worker: {error}")
            log.warning("run %s: %s", run.id, reason)
            _fail(self.database_url, run.id, reason)
            raise JobsUnavailable(reason) from None
        future.add_done_callback(functools.partial(self._forget, run.id))
        return get_run(GetRunRequest(database_url=self.database_url, run_id=run.id)).run

    def _forget(self, run_id: str, _future: Any = None) -> None:
        with self._lock:
            self._futures.pop(run_id, None)

    def cancel(self, run_id: str) -> bool:
        """Cancel the job's future (call after cancelling its run); False if it has started.

        A queued in-process job then never starts; a Dask future is cancelled
        on the cluster. A job that runs stops at its next stage either way.
        """
        with self._lock:
            future = self._futures.get(run_id)
        return bool(future is not None and future.cancel())

    def pending(self) -> list[str]:
        """Ids of the runs handed to a worker that have not ended yet."""
        with self._lock:
            return sorted(self._futures)

    def wait(self, run_id: str, timeout: float = 600.0, poll: float = 0.2) -> RunRecord:
        """The run once it has ended (or as it is after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            run = get_run(GetRunRequest(database_url=self.database_url, run_id=run_id)).run
            if run.status in ("done", "failed", "cancelled") or time.monotonic() > deadline:
                return run
            time.sleep(poll)


@contextlib.asynccontextmanager
async def job_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The app's lifespan: recover stale runs on start, stop the job runner on shutdown."""
    recovered = app.state.jobs.start()
    if recovered.runs:
        log.warning("marked %d run(s) of a stopped server as failed", len(recovered.runs))
    try:
        yield
    finally:
        app.state.jobs.shutdown()  # the runner of now (a test may have replaced it)


def runner_of(request: Request) -> JobRunner:
    """The job runner of the app serving ``request`` (a FastAPI dependency)."""
    app = request.app
    runner: JobRunner | None = getattr(app.state, "jobs", None)
    if runner is None:  # an app made without create_app's runner: make one on first use
        runner = JobRunner(app.state.settings.database_url)
        app.state.jobs = runner
    return runner
