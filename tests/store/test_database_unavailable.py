"""A database URL whose server cannot be reached, or whose SQLite file cannot be made.

Every command that opens the store prints one line and exits with code 2
(issue 11); the password in the URL is never printed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

UNREACHABLE = "postgresql+psycopg://oic:secret-pw@127.0.0.1:1/oicplan"


def _run(args: list[str], url: str, tmp_path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, OICPLAN_DATABASE_URL=url, OICPLAN_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run(
        [sys.executable, "-m", "oicplan", *args],
        env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def _assert_one_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "secret-pw" not in result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.mark.parametrize(
    "args",
    [["centers", "list"], ["users", "list"], ["serve", "--port", "1"]],
    ids=["centers", "users", "serve"],
)
def test_unreachable_server_is_one_line_exit_2(args, tmp_path):
    result = _run(args, UNREACHABLE, tmp_path)
    _assert_one_line(result, "cannot use the database", "127.0.0.1:1", "refused")


def test_database_url_option_too(tmp_path):
    env_url = f"sqlite:///{tmp_path / 'fine.sqlite'}"
    result = _run(["centers", "--database-url", UNREACHABLE, "list"], env_url, tmp_path)
    _assert_one_line(result, "cannot use the database")


def test_sqlite_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker / 'sub' / 'oicplan.sqlite'}"
    _assert_one_line(_run(["centers", "list"], url, tmp_path), "cannot create the folder")


def test_sqlite_file_that_cannot_be_opened(tmp_path):
    folder = tmp_path / "oicplan.sqlite"
    folder.mkdir()  # a folder where the database file should be
    result = _run(["users", "list"], f"sqlite:///{folder}", tmp_path)
    _assert_one_line(result, "cannot use the database", "unable to open database file")


def test_store_classes_raise_the_one_error(tmp_path):
    from oicplan.store import DatabaseUnavailableError, Registry
    from oicplan.store.scenarios import ScenarioStore
    from oicplan.store.users import UserStore

    for store in (Registry, ScenarioStore, UserStore):
        with pytest.raises(DatabaseUnavailableError) as caught:
            store(UNREACHABLE)
        assert caught.value.exit_code == 2 and "secret-pw" not in str(caught.value)


def test_lost_connection_after_opening(tmp_path):
    """A server that goes away after the store was opened: the same one-line error."""
    from oicplan.store import DatabaseUnavailableError, Registry
    from oicplan.store.db import make_engine

    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    assert registry.list_centers()  # readable while the database answers
    registry.engine.dispose()
    registry.engine = make_engine(UNREACHABLE)  # the connection now goes nowhere
    with pytest.raises(DatabaseUnavailableError) as caught:
        registry.list_centers()
    assert "\n" not in str(caught.value) and "secret-pw" not in str(caught.value)
