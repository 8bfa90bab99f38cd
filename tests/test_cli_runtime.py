"""The progress spinner of long CLI steps: shown on a terminal, silent when piped."""

from __future__ import annotations

import io

from rich.console import Console

from oicplan.cli import main as entry
from oicplan.cli import runtime as console


def test_spinner_shows_the_step_on_a_terminal(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(console, "err_console", Console(file=screen, force_terminal=True))
    with console.working("solving the layout model"):
        pass
    assert "solving the layout model ..." in screen.getvalue()


def test_nothing_is_written_when_stderr_is_not_a_terminal(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(console, "err_console", Console(file=piped, force_terminal=False))
    with console.working("ranking"):
        pass
    assert piped.getvalue() == ""


def test_error_messages_are_printed_verbatim_not_as_markup(monkeypatch):
    import pytest
    import typer

    from oicplan.errors import InputError

    screen = io.StringIO()
    monkeypatch.setattr(console, "err_console", Console(file=screen, width=200))

    @console.handle_errors
    def command():
        raise InputError("not reciprocal: a[x,y] = 3 but a[y,x] = 0.5 [bold]", field="b")

    with pytest.raises(typer.Exit) as exit_info:
        command()
    assert exit_info.value.exit_code == 2
    assert "a[x,y] = 3 but a[y,x] = 0.5 [bold]" in screen.getvalue()


def _help_of(argv, capsys):
    import pytest

    with pytest.raises(SystemExit) as done:
        entry.main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_fast_path_commands_match_the_full_app(capsys):
    """Every command run from its own module has the options it has in the full app."""
    import re

    from typer.testing import CliRunner

    from oicplan.cli import app

    runner = CliRunner()
    for name in [*entry.STANDALONE, *entry.STANDALONE_GROUPS]:
        fast = _help_of([name], capsys)
        assert f"Usage: oicplan {name}" in fast, name
        full = runner.invoke(app, [name, "--help"], terminal_width=200).output
        options = set(re.findall(r"--[a-z][a-z-]+", full))
        assert options and options <= set(re.findall(r"--[a-z][a-z-]+", fast)) | {"--help"}


def test_a_fast_path_command_does_not_load_the_other_commands():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from oicplan.cli.main import main\n"
        "try:\n"
        "    main(['optimize', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('oicplan.cli')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    loaded = "['oicplan.cli', 'oicplan.cli.main', 'oicplan.cli.optimize', 'oicplan.cli.runtime']"
    assert out == loaded


def test_the_full_command_line_starts_without_the_heavy_libraries():
    """``oicplan --help`` lists every command without loading data or solver libraries."""
    import subprocess
    import sys

    code = (
        "import sys, oicplan.cli.application\n"
        "heavy = ['pandas', 'scipy', 'networkx', 'highspy', 'searoute', 'matplotlib']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_command_line_tables_wrap_instead_of_cutting():
    """A long cell in a narrow terminal wraps over lines; no "…" hides a character."""
    screen = io.StringIO()
    narrow = Console(file=screen, width=30, force_terminal=False)
    table = console.Table("site", "mode")
    table.add_row("KOR-seoul", "offshore_rd_center_with_a_long_name")
    narrow.print(table)
    out = screen.getvalue()
    assert "…" not in out
    assert "".join(line.split("│")[2].strip() for line in out.splitlines()[3:-1]) == (
        "offshore_rd_center_with_a_long_name"
    )
