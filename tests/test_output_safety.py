"""Output paths: oicplan never deletes the user's files, and bad paths are one-line errors."""

from __future__ import annotations

import json

import pytest

from oicplan.cli.main import main
from oicplan.data.build import OPTIONAL_SNAPSHOT_FILES, SNAPSHOT_FILES, build_snapshot
from oicplan.errors import InputError
from oicplan.plan import make_plan
from oicplan.report import render as render_module
from oicplan.report.render import write_plan
from oicplan.scenario import load_scenario

PLAN_FILES = ("plan.json", "report.html", "report.md", "plan.xlsx", "plan.docx")


def _run(capsys, args: list[str]) -> tuple[int, str, str]:
    """Run ``oicplan ARGS`` in process: exit code, stdout, stderr (no exception escapes)."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def _assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def _user_files(folder):
    """A user's own file and subfolder in ``folder``; returns what to check afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "thesis.docx").write_bytes(b"my thesis")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "chapter1.txt").write_text("chapter one", encoding="utf-8")
    return {"thesis.docx": b"my thesis", "drafts/chapter1.txt": b"chapter one"}


def _assert_kept(folder, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        assert (folder / name).read_bytes() == content, name


# ----------------------------------------------------------------- plan --out


@pytest.fixture(scope="module")
def plan():
    return make_plan(load_scenario("zhejiang"), centers=3)


def test_write_plan_keeps_the_users_files_and_folders(tmp_path, plan):
    out = tmp_path / "thesis"
    kept = _user_files(out)
    (out / "report.md").write_text("an old report", encoding="utf-8")
    write_plan(plan, out, "en")
    _assert_kept(out, kept)
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["scenario"] == "zhejiang"
    assert (out / "report.md").read_text(encoding="utf-8") != "an old report"
    # No temporary folder is left beside or inside the target.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]
    assert sorted(p.name for p in out.iterdir()) == sorted(["drafts", "thesis.docx", *PLAN_FILES])


def test_write_plan_creates_a_missing_folder(tmp_path, plan):
    out = tmp_path / "a" / "b"
    write_plan(plan, out, "en")
    assert sorted(p.name for p in out.iterdir()) == sorted(PLAN_FILES)


def test_write_plan_into_an_existing_file_is_an_error_and_leaves_it(tmp_path, plan):
    target = tmp_path / "thesis.docx"
    target.write_bytes(b"my thesis")
    with pytest.raises(InputError) as error:
        write_plan(plan, target, "en")
    assert error.value.field == "out" and str(target) in str(error.value)
    assert target.read_bytes() == b"my thesis"
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.docx"]


def test_write_plan_failing_half_way_keeps_the_previous_plan(tmp_path, plan, monkeypatch):
    out = tmp_path / "plan"
    write_plan(plan, out, "en")
    before = {name: (out / name).read_bytes() for name in PLAN_FILES}

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(render_module, "render_markdown", broken)
    with pytest.raises(RuntimeError):
        write_plan(plan, out, "zh")
    assert {name: (out / name).read_bytes() for name in PLAN_FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_write_plan_failing_while_writing_keeps_the_previous_plan(tmp_path, plan, monkeypatch):
    out = tmp_path / "plan"
    write_plan(plan, out, "en")
    before = {name: (out / name).read_bytes() for name in PLAN_FILES}
    from oicplan.report import outfiles

    real_write = outfiles._write_whole

    def failing_write(path, content):
        if path.name == "report.md":
            raise OSError(28, "No space left on device", str(path))
        return real_write(path, content)

    monkeypatch.setattr(outfiles, "_write_whole", failing_write)
    with pytest.raises(OSError):
        write_plan(plan, out, "zh")
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in PLAN_FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_cli_plan_keeps_the_users_files(tmp_path, capsys):
    out = tmp_path / "work"
    kept = _user_files(out)
    code, _, err = _run(capsys, ["plan", "--centers", "2", "--lang", "en", "--out", str(out)])
    assert code in (0, None), err
    _assert_kept(out, kept)
    assert all((out / name).is_file() for name in PLAN_FILES)


def test_cli_plan_out_is_a_file(tmp_path, capsys):
    target = tmp_path / "thesis.docx"
    target.write_bytes(b"my thesis")
    code, _, err = _run(capsys, ["plan", "--centers", "2", "--out", str(target)])
    _assert_one_line_error(code, err, "field out", str(target), "not a folder")
    assert target.read_bytes() == b"my thesis"
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.docx"]


# ----------------------------------------------------------- data build --out


def test_data_build_keeps_the_users_files(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    out = tmp_path / "snap"
    kept = _user_files(out)
    build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    _assert_kept(out, kept)
    assert all(
        (out / name).is_file() for name in SNAPSHOT_FILES if name not in OPTIONAL_SNAPSHOT_FILES
    )
    assert (out / "facts" / "gii_scores.csv").is_file()
    # A second build over it keeps them too.
    build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    _assert_kept(out, kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


def test_data_build_removes_only_its_own_stale_files(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir
):
    out = tmp_path / "snap"
    kept = _user_files(out)
    (out / "site_access.csv").write_text("site_id\nold\n", encoding="utf-8")  # an earlier build's
    (out / "facts").mkdir()
    (out / "facts" / "my_notes.csv").write_text("mine\n", encoding="utf-8")
    build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    _assert_kept(out, kept)
    assert not (out / "site_access.csv").exists()
    assert (out / "facts" / "my_notes.csv").read_text(encoding="utf-8") == "mine\n"


def test_data_build_into_an_existing_file_is_an_error(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, capsys
):
    target = tmp_path / "thesis.docx"
    target.write_bytes(b"my thesis")
    with pytest.raises(InputError) as error:
        build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, target)
    assert error.value.field == "out"
    code, _, err = _run(
        capsys, ["data", "build", "--wdi-dir", str(wdi_fixture_dir), "--out", str(target)]
    )
    _assert_one_line_error(code, err, "field out", str(target))
    assert target.read_bytes() == b"my thesis"
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.docx"]


def test_data_build_failing_half_way_keeps_the_previous_snapshot(
    tmp_path, wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, monkeypatch
):

    out = tmp_path / "snap"
    build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(snapshot):
        raise RuntimeError("routing failed")

    with pytest.raises(RuntimeError):
        build_snapshot(wdi_fixture_dir, wgi_fixture_dir, facts_fixture_dir, out, site_access=broken)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


# ------------------------------------------------- bad output paths, bad URLs


@pytest.fixture
def pfile(tmp_path):
    """A plain file, used below as if it were a folder."""
    path = tmp_path / "pfile"
    path.write_text("not a folder", encoding="utf-8")
    return path


def test_network_svg_under_a_file(pfile, capsys):
    code, _, err = _run(capsys, ["network", "--sample", "--svg", str(pfile / "n.svg")])
    _assert_one_line_error(code, err, str(pfile), "not a folder")


def test_network_svg_creates_a_missing_folder(tmp_path, capsys):
    svg = tmp_path / "nodir" / "n.svg"
    code, _, err = _run(capsys, ["network", "--sample", "--svg", str(svg)])
    assert code in (0, None), err
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<")


def test_enterprises_sample_out_under_a_file(pfile, capsys):
    code, _, err = _run(capsys, ["enterprises", "sample", "--out", str(pfile / "s.csv")])
    _assert_one_line_error(code, err, str(pfile), "not a folder")


def test_enterprises_sample_out_creates_a_missing_folder(tmp_path, capsys):
    out = tmp_path / "nodir" / "s.csv"
    code, _, err = _run(capsys, ["enterprises", "sample", "--out", str(out)])
    assert code in (0, None), err
    assert out.read_text(encoding="utf-8").count("\n") > 100


def test_data_export_under_a_file(pfile, capsys):
    code, _, err = _run(capsys, ["data", "export", "--out", str(pfile / "t.csv")])
    _assert_one_line_error(code, err, str(pfile), "not a folder")


def test_optimize_chart_under_a_file_fails_before_solving(pfile, capsys):
    code, _, err = _run(
        capsys, ["optimize", "--pareto", "--points", "2", "--chart", str(pfile / "c.svg")]
    )
    _assert_one_line_error(code, err, str(pfile), "not a folder")


def test_sensitivity_plot_under_a_file(pfile, tmp_path, capsys):
    matrix = tmp_path / "m.csv"
    matrix.write_text("site,a,b\nx,1,2\ny,2,1\nz,3,3\n", encoding="utf-8")
    code, _, err = _run(
        capsys,
        ["sensitivity", "--matrix", str(matrix), "--samples", "10", "--plot", str(pfile / "x.png")],
    )
    _assert_one_line_error(code, err, str(pfile), "not a folder")


def test_missing_input_file_is_one_line(tmp_path, capsys):
    missing = tmp_path / "nodir" / "m.csv"
    code, _, err = _run(capsys, ["sensitivity", "--matrix", str(missing), "--samples", "10"])
    assert code == 2 and "Traceback" not in err
    assert str(missing) in err


def test_bad_database_url_in_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("OICPLAN_DATABASE_URL", "foo://bar")
    code, _, err = _run(capsys, ["centers", "list"])
    _assert_one_line_error(code, err, "field database-url", "'foo'")


def test_bad_database_url_option_of_plan(tmp_path, capsys):
    out = tmp_path / "plan"
    code, _, err = _run(
        capsys, ["plan", "--feedback", "--database-url", "foo://bar", "--out", str(out)]
    )
    _assert_one_line_error(code, err, "field database-url", "'foo'")
    assert not out.exists()
