"""Single output files are written whole: a writer that fails midway leaves the old file."""

from __future__ import annotations

import os

import matplotlib
import pytest

from oicplan.wholefile import write_figure, write_whole

matplotlib.use("Agg")


class _Killed(BaseException):
    """Stands for the process dying between writing and renaming."""


def _die(*_args, **_kwargs):
    raise _Killed


def test_a_write_cut_before_the_rename_leaves_the_old_file_and_no_temporary(tmp_path,
                                                                            monkeypatch):
    target = tmp_path / "ranks.csv"
    target.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(os, "replace", _die)
    with pytest.raises(_Killed):
        write_whole(target, "new\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ranks.csv"]


def test_the_file_gets_the_usual_permissions_not_a_temporary_files(tmp_path):
    """0666 less the umask, like a file the user writes (mkstemp would give 0600)."""
    umask = os.umask(0o022)
    try:
        path = write_whole(tmp_path / "export.csv", "a\n")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_text_is_encoded_and_bytes_kept(tmp_path):
    assert write_whole(tmp_path / "a.txt", "首尔").read_bytes() == "首尔".encode()
    assert write_whole(tmp_path / "b.txt", "首尔", encoding="gb18030").read_bytes() == \
        "首尔".encode("gb18030")


def test_a_figure_that_fails_to_render_leaves_the_old_file(tmp_path):
    from matplotlib.figure import Figure

    target = tmp_path / "chart.svg"
    target.write_text("<svg>old</svg>", encoding="utf-8")
    figure = Figure()
    figure.add_subplot().plot([0, 1], [1, 0])
    with pytest.raises(ValueError):
        write_figure(figure, target, format="no-such-format")
    assert target.read_text(encoding="utf-8") == "<svg>old</svg>"
    write_figure(figure, target)
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_data_export_cut_midway_keeps_the_previous_export(tmp_path, monkeypatch):
    from oicplan.services.data import DataExportRequest, data_export

    out = tmp_path / "export.csv"
    first = data_export(DataExportRequest(out=out))
    before = out.read_bytes()
    assert first.rows > 0 and b"," in before.splitlines()[0]
    monkeypatch.setattr(os, "replace", _die)
    with pytest.raises(_Killed):
        data_export(DataExportRequest(out=out, series=True))
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_the_next_write_removes_a_killed_writers_temporary_and_keeps_a_live_ones(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "plan.csv"
    target.write_text("old", encoding="utf-8")
    # A writer killed before its rename: its process is gone, its temporary is left.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".plan.csv.{dead.stdout.strip()}-abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    # A writer still at work (this test's parent process runs): left alone.
    live = tmp_path / f".plan.csv.{os.getppid()}-def456.tmp"
    live.write_text("writing", encoding="utf-8")
    other = tmp_path / f".other.csv.{dead.stdout.strip()}-abc123.tmp"
    other.write_text("another target's", encoding="utf-8")
    write_whole(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["plan.csv", live.name, other.name])


def test_stored_enterprises_are_written_whole_and_clean_up_after_a_killed_import(tmp_path):
    import pandas as pd

    from oicplan.match.enterprises import save_enterprises

    store = tmp_path / "enterprises.csv"
    (tmp_path / ".enterprises.csv.999999999-0a0b0c.tmp").write_text("cut", encoding="utf-8")
    frame = pd.DataFrame({"name": ["甲公司", "B Ltd"], "industry": ["新能源", "biomedicine"]})
    save_enterprises(frame, store)
    assert pd.read_csv(store).equals(frame)
    assert [p.name for p in tmp_path.iterdir()] == ["enterprises.csv"]
    assert oct(store.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
