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
