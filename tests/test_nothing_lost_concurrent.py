"""Nothing lost (issue 11): several processes writing to the registry at the same time.

Three worker processes start together (a file barrier after their imports) and
each adds centers and imports KPI values through the services, interleaved, and
all of them replace the same shared KPI keys too. Afterwards every write of every
worker is there exactly once, and each shared key holds one worker's whole value.
On SQLite and PostgreSQL (``OICPLAN_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from oicplan.store.registry import Registry
from tests.conftest import empty_postgres_url

WORKERS = 3
WRITES = 6
"""Centers each worker adds, and KPI files it imports (one after each center)."""
YEARS = range(2016, 2025)

_WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from oicplan.services.registry import (
        AddCenterRequest, ImportKpisRequest, add_center, import_kpis)

    url, tag, folder, writes = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    (folder / f"ready-{tag}").touch()
    while not (folder / "go").exists():
        time.sleep(0.01)
    for i in range(writes):
        center = f"w{tag}-{i}"
        add_center(AddCenterRequest(database_url=url, id=center, name=f"Worker {tag} {i}",
                                    iso3="HUN", mode="joint_lab"))
        import_kpis(ImportKpisRequest(database_url=url, file=folder / f"{center}.csv"))
        import_kpis(ImportKpisRequest(database_url=url, file=folder / f"shared-{tag}.csv"))
    """
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return "sqlite:///" + (tmp_path / "registry.sqlite").as_posix()
    return empty_postgres_url()


def _kpi_file(path: Path, center: str, value: int) -> None:
    rows = [f"{center},{year},patents,{value}," for year in YEARS]
    path.write_text("center_id,year,kpi,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")


def test_concurrent_center_adds_and_kpi_imports_lose_nothing(store_url, tmp_path):
    registry = Registry(store_url)
    try:
        seeded = {c["id"] for c in registry.list_centers()}
        shared = sorted(
            c["id"]
            for c in registry.list_centers()
            if not c["opening_year"] or c["opening_year"] <= YEARS[0]
        )[0]
        values_before = len(registry.kpi_values())
    finally:
        registry.dispose()
    for tag in range(WORKERS):
        for i in range(WRITES):
            _kpi_file(tmp_path / f"w{tag}-{i}.csv", f"w{tag}-{i}", 10 * tag + i)
        _kpi_file(tmp_path / f"shared-{tag}.csv", shared, 100 + tag)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, store_url, str(tag), str(tmp_path), str(WRITES)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in range(WORKERS)
    ]
    deadline = time.monotonic() + 120
    while sum((tmp_path / f"ready-{tag}").exists() for tag in range(WORKERS)) < WORKERS:
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(w.poll() is None for w in workers), [w.communicate()[1] for w in workers]
        time.sleep(0.05)
    (tmp_path / "go").touch()
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err

    registry = Registry(store_url)
    try:
        centers = {c["id"] for c in registry.list_centers()}
        values = registry.kpi_values()
    finally:
        registry.dispose()
    added = {f"w{tag}-{i}" for tag in range(WORKERS) for i in range(WRITES)}
    assert centers == seeded | added
    assert len(values) == values_before + len(added) * len(YEARS) + len(YEARS)
    for center in added:
        tag, i = map(int, center[1:].split("-"))
        own = sorted((v["year"], v["value"]) for v in values if v["center_id"] == center)
        assert own == [(year, float(10 * tag + i)) for year in YEARS]
    shared_values = {v["value"] for v in values if v["center_id"] == shared}
    # Each import replaces the key set whole: one worker's value, never a mixture.
    assert len(shared_values) == 1 and shared_values <= {100.0 + t for t in range(WORKERS)}
