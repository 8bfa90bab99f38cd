"""Nothing lost (issue 11): a registry write or an enterprise import killed at any point.

Each test runs the real command in a child process (``python -m oicplan ...``) and
kills it with SIGKILL after a delay; the delays are spread over the command's
measured run time (seeded), from start-up to the end. After every kill the store
must open and hold exactly the state before the command, or exactly the state the
complete command leaves; never part of an import. Registry tests run on SQLite and
on PostgreSQL (``OICPLAN_TEST_POSTGRES_URL``; skipped without it, unless
``OICPLAN_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oicplan.match.enterprises import load_stored
from oicplan.monitor.kpis import KPIS
from oicplan.services.matching import EnterprisesSampleRequest, enterprises_sample
from oicplan.store.registry import Registry
from tests.conftest import empty_postgres_url

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

KILLS = 4
"""Killed runs per test (each at a different point of the run)."""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("OICPLAN_DATABASE_URL", None)
    env.update(extra)
    return env


def _oicplan(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "oicplan", *args],
        env=env or _env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _run_whole(*args: str, env: dict[str, str] | None = None) -> float:
    """Run a command to its end; its wall time in seconds."""
    started = time.monotonic()
    child = _oicplan(*args, env=env)
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err.decode(errors="replace")
    return time.monotonic() - started


def _run_killed(*args: str, delay: float, env: dict[str, str] | None = None) -> bool:
    """Start a command and SIGKILL it after ``delay`` s; whether it was still running."""
    child = _oicplan(*args, env=env)
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        return True
    finally:
        if child.stderr is not None:
            child.stderr.close()
    return False


def _delays(total: float, seed: int, n: int = KILLS) -> list[float]:
    """``n`` delays spread over ``[0, 1.05 * total]``, one in each equal slice, seeded."""
    rng = random.Random(seed)
    return [1.05 * total * (k + rng.uniform(0.1, 0.9)) / n for k in range(n)]


class _KillSchedule:
    """Kill points for a run timed at ``total`` s: one in each of KILLS slices, in order.

    ``for delay in schedule: ...; schedule.landed(delay, killed)``. A run that ends
    before its kill shows that runs now take less than that delay (the timed run was
    slower: another process's load went away, a cache got warm), so the schedule
    shrinks to it and tries the same slice again, at most 3 x KILLS runs in all:
    the kills still spread over the whole run, the first one early.
    """

    def __init__(self, total: float, seed: int) -> None:
        self.scale, self.slice, self.runs = total, 0, 0
        self.rng = random.Random(seed)

    def __iter__(self):
        while self.slice < KILLS and self.runs < 3 * KILLS:
            self.runs += 1
            yield 1.05 * self.scale * (self.slice + self.rng.uniform(0.1, 0.9)) / KILLS

    def landed(self, delay: float, killed: bool) -> bool:
        if killed:
            self.slice += 1
        else:
            self.scale = min(self.scale, 0.9 * delay)
        return killed


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return "sqlite:///" + (tmp_path / "registry.sqlite").as_posix()
    return empty_postgres_url()


def _state(url: str) -> tuple:
    """Everything the registry holds, read in a fresh process's way (a new engine)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    registry = Registry(url)
    try:
        return (
            tuple(tuple(sorted(c.items())) for c in registry.list_centers()),
            tuple(tuple(sorted(v.items())) for v in registry.kpi_values()),
            tuple(tuple(sorted(t.items())) for t in registry.targets()),
        )
    finally:
        registry.dispose()


def _kpi_file(path: Path, centers: list[str], value: int) -> Path:
    lines = ["center_id,year,kpi,value,unit"]
    for center in centers:
        for year in range(2016, 2025):
            lines += [f"{center},{year},{kpi},{value}," for kpi in KPIS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_kpi_import_killed_anywhere_keeps_the_old_or_the_whole_new_values(store_url, tmp_path):
    registry = Registry(store_url)
    try:
        centers = sorted(
            c["id"]
            for c in registry.list_centers()
            if not c["opening_year"] or c["opening_year"] <= 2016
        )
        registry.set_target(centers[0], "patents", 3)
    finally:
        registry.dispose()
    first = _kpi_file(tmp_path / "first.csv", centers, 5)
    second = _kpi_file(tmp_path / "second.csv", centers, 7)
    # The first import, run whole, gives the previous state and the run time.
    took = _run_whole("centers", "--database-url", store_url, "import-kpis", str(first))
    old = _state(store_url)
    assert len(old[1]) == len(centers) * 9 * len(KPIS)
    seen, killed = [], 0
    schedule = _KillSchedule(took, seed=11)
    for delay in schedule:
        killed += schedule.landed(delay, _run_killed(
            "centers", "--database-url", store_url, "import-kpis", str(second), delay=delay
        ))
        seen.append(_state(store_url))
    _run_whole("centers", "--database-url", store_url, "import-kpis", str(second))
    new = _state(store_url)
    assert new != old and {v["value"] for v in map(dict, new[1])} == {7.0}
    assert killed >= KILLS // 2, "the delays should stop most runs before their end"
    for number, state in enumerate(seen):
        assert state in (old, new), f"kill {number}: a partial import"
    assert old in seen, "no kill left the previous state: the delays are too long"


def test_center_add_killed_anywhere_adds_the_whole_center_or_nothing(store_url):
    took = _run_whole(
        "centers",
        "--database-url",
        store_url,
        "add",
        "--id",
        "timed",
        "--name",
        "Timed",
        "--iso3",
        "HUN",
        "--mode",
        "joint_lab",
    )
    before = {dict(c)["id"]: dict(c) for c in _state(store_url)[0]}
    fields = [
        "--name",
        "Killed lab",
        "--name-zh",
        "实验室",
        "--iso3",
        "DEU",
        "--mode",
        "offshore_rd_center",
        "--host-city",
        "Raunheim",
        "--site-id",
        "DEU-raunheim",
        "--opening-year",
        "2021",
        "--operator",
        "Somebody",
        "--source",
        "https://example.org/x",
    ]
    killed = 0
    schedule = _KillSchedule(took, seed=12)
    for number, delay in enumerate(schedule):
        killed += schedule.landed(delay, _run_killed(
            "centers",
            "--database-url",
            store_url,
            "add",
            "--id",
            f"killed-{number}",
            *fields,
            delay=delay,
        ))
        now = {dict(c)["id"]: dict(c) for c in _state(store_url)[0]}
        assert {k: v for k, v in now.items() if not k.startswith("killed-")} == before
        for center_id, center in now.items():
            if center_id.startswith("killed-"):
                assert (
                    center["name"],
                    center["name_zh"],
                    center["host_city"],
                    center["site_id"],
                    center["opening_year"],
                    center["source"],
                ) == (
                    "Killed lab",
                    "实验室",
                    "Raunheim",
                    "DEU-raunheim",
                    2021,
                    "https://example.org/x",
                ), center_id
    assert killed >= KILLS // 2


def test_first_use_killed_anywhere_leaves_a_store_that_opens(tmp_path):
    """The first command on a new store migrates and seeds it; killed, it must not break it.

    Before the migrations ran in one transaction, a SQLite store killed half-way
    kept some tables without the revision and every later command failed with
    'table centers already exists'.
    """
    reference = "sqlite:///" + (tmp_path / "reference.sqlite").as_posix()
    took = _run_whole("centers", "--database-url", reference, "list", "--json")
    seeded = _state(reference)
    assert seeded[0], "a new store is seeded with the sourced centers"
    for number, delay in enumerate(_delays(took, seed=13)):
        url = "sqlite:///" + (tmp_path / f"new-{number}.sqlite").as_posix()
        _run_killed("centers", "--database-url", url, "list", "--json", delay=delay)
        assert _state(url) == seeded, f"kill {number} at {delay:.2f} s"


def test_first_use_killed_anywhere_on_postgresql():
    url = empty_postgres_url()
    took = _run_whole("centers", "--database-url", url, "list", "--json")
    seeded = _state(url)
    for number, delay in enumerate(_delays(took, seed=14, n=4)):
        url = empty_postgres_url()
        _run_killed("centers", "--database-url", url, "list", "--json", delay=delay)
        assert _state(url) == seeded, f"kill {number} at {delay:.2f} s"


def test_enterprise_import_killed_anywhere_keeps_the_old_or_the_whole_new_list(tmp_path):
    sample = tmp_path / "sample.csv"
    enterprises_sample(EnterprisesSampleRequest(out=sample))
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    small = tmp_path / "small.csv"
    small.write_text("".join(lines[:51]), encoding="utf-8")
    scratch = _env(OICPLAN_DATA_DIR=str(tmp_path / "scratch"))
    took = _run_whole("enterprises", "import", str(sample), env=scratch)
    new = (tmp_path / "scratch" / "enterprises.csv").read_bytes()
    env = _env(OICPLAN_DATA_DIR=str(tmp_path / "data"))
    _run_whole("enterprises", "import", str(small), env=env)
    stored = tmp_path / "data" / "enterprises.csv"
    old = stored.read_bytes()
    assert old != new
    seen, killed = [], 0
    schedule = _KillSchedule(took, seed=15)
    for delay in schedule:
        killed += schedule.landed(
            delay, _run_killed("enterprises", "import", str(sample), delay=delay, env=env))
        seen.append(stored.read_bytes())
        assert len(load_stored(stored)) in (50, len(lines) - 1)
    assert killed >= KILLS // 2
    assert all(content in (old, new) for content in seen)
    assert old in seen
    _run_whole("enterprises", "import", str(small), env=env)
    assert stored.read_bytes() == old
    leftovers = [p.name for p in stored.parent.iterdir() if p.name != stored.name]
    assert leftovers == [], "the next import removes the killed imports' temporary files"


_APPENDER = """
import sys, time
from pathlib import Path
from oicplan.services.matching import EnterprisesImportRequest, enterprises_import
from oicplan.match.enterprises import read_enterprises

file, go = Path(sys.argv[1]), Path(sys.argv[2])
read_enterprises(file)  # the taxonomy and dataset loaded before the start
while not go.exists():
    time.sleep(0.005)
enterprises_import(EnterprisesImportRequest(file=file, append=True))
"""


def test_enterprise_appends_at_the_same_time_lose_nothing(tmp_path):
    sample = tmp_path / "sample.csv"
    enterprises_sample(EnterprisesSampleRequest(out=sample))
    header, *rows = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    env = _env(OICPLAN_DATA_DIR=str(tmp_path / "data"))
    parts = []
    for k in range(4):
        part = tmp_path / f"part-{k}.csv"
        part.write_text(header + "".join(rows[k * 40 : (k + 1) * 40]), encoding="utf-8")
        parts.append(part)
    _run_whole("enterprises", "import", str(parts[0]), env=env)
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _APPENDER, str(part), str(go)], env=env, stderr=subprocess.PIPE
        )
        for part in parts[1:]
    ]
    time.sleep(1.0)  # the workers import oicplan, then wait for the go file
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode(errors="replace")
    stored = load_stored(tmp_path / "data" / "enterprises.csv")
    assert sorted(stored["name"]) == sorted(row.split(",", 1)[0] for row in rows[:160])
