"""The progress spinner of long CLI steps: shown on a terminal, silent when piped."""

from __future__ import annotations

import io

from rich.console import Console

from oicplan import console


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
