"""``oicplan users add|list``: the password from standard input, one-line errors, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OICPLAN = Path(sys.executable).parent / "oicplan"


@pytest.fixture()
def env(tmp_path) -> dict[str, str]:
    environ = {**os.environ, "OICPLAN_DATA_DIR": str(tmp_path / "data")}
    environ.pop("OICPLAN_DATABASE_URL", None)
    return environ


def _run(args, env, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(OICPLAN), *args], input=stdin, env=env, capture_output=True,
                          text=True, timeout=120)


def test_add_reads_the_first_line_and_list_shows_the_user(env):
    added = _run(["users", "add", "wang.li", "--role", "admin"], env, "correct horse \nnext\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added wang.li (admin)"
    listed = _run(["users", "list", "--format", "csv"], env)
    assert listed.stdout.splitlines()[0] == "name,role,added (UTC),active"
    assert listed.stdout.splitlines()[1].startswith("wang.li,admin,")
    from oicplan.services.users import AuthenticateRequest, authenticate

    url = "sqlite:///" + str(Path(env["OICPLAN_DATA_DIR"]) / "oicplan.sqlite")
    # Only the line end is taken off: the trailing space belongs to the password.
    assert authenticate(AuthenticateRequest(database_url=url, name="wang.li",
                                            password="correct horse ")).user is not None
    assert authenticate(AuthenticateRequest(database_url=url, name="wang.li",
                                            password="correct horse")).user is None


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (["users", "add", "mei"], "", "the password is empty"),
        (["users", "add", "mei"], "\n", "the password is empty"),
        (["users", "add", "mei"], "short\n", "shorter than 8"),
        (["users", "add", "mei", "--role", "owner"], "correct horse\n", "unknown role"),
        (["users", "add", "m e i"], "correct horse\n", "no spaces"),
        (["users", "add", "x" * 100], "correct horse\n", "80"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, args, stdin, says):
    result = _run(args, env, stdin)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr


def test_a_duplicate_name_is_one_line_and_exit_2(env):
    assert _run(["users", "add", "mei"], env, "correct horse\n").returncode == 0
    again = _run(["users", "add", "mei", "--role", "admin"], env, "other password\n")
    assert again.returncode == 2
    assert again.stderr.strip() == "error: field name: a user named 'mei' exists"
    listed = _run(["users", "list", "--json"], env)
    assert '"role": "viewer"' in listed.stdout


def test_the_examples_in_the_help_run(env):
    from oicplan.cli.users import users_app

    examples = [
        line.strip()
        for line in users_app.info.help.splitlines()
        if line.strip().startswith(("echo ", "oicplan ")) and "#" not in line
    ]
    assert len(examples) == 2
    for example in examples:
        result = subprocess.run(example.replace("oicplan ", f"{OICPLAN} "), shell=True, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (example, result.stderr)
    help_text = _run(["users", "add", "--help"], env).stdout
    assert "standard input" in help_text


def test_read_password_asks_twice_on_a_terminal(monkeypatch):
    import getpass

    from oicplan.cli.users import read_password
    from oicplan.errors import InputError

    answers = iter(["correct horse", "correct horse", "correct horse", "correct hose"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert read_password(prompt=True) == "correct horse"
    with pytest.raises(InputError, match="differ"):
        read_password(prompt=True)
