"""Reading pairwise comparison CSVs: every bad file is an InputError naming file, row, field."""

from __future__ import annotations

import json

import numpy as np
import pytest

from oicplan.cli.main import main
from oicplan.errors import InputError
from oicplan.mcda.files import read_pairwise


def _write(tmp_path, text, name="p.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _err(path) -> InputError:
    with pytest.raises(InputError) as info:
        read_pairwise(path)
    return info.value


def test_reads_fractions_and_accepts_rounded_reciprocals(tmp_path):
    path = _write(tmp_path, ",a,b,c\na,1,3,5\nb,1/3,1,2\nc,0.2,0.5,1\n")
    names, m = read_pairwise(path)
    assert names == ["a", "b", "c"]
    np.testing.assert_allclose(m[1], [1 / 3, 1, 2])
    # 0.33 for 1/3 is within the 2 % reciprocity tolerance
    read_pairwise(_write(tmp_path, ",a,b\na,1,3\nb,0.33,1\n", "q.csv"))


def test_duplicate_criterion_in_header(tmp_path):
    path = _write(tmp_path, ",a,a,c\na,1,2,3\na,0.5,1,2\nc,1/3,0.5,1\n")
    e = _err(path)
    assert (e.file, e.row, e.field) == (str(path), 1, "a")
    assert "appears twice (columns 1 and 2)" in e.message


def test_blank_criterion_name(tmp_path):
    e = _err(_write(tmp_path, ",a,\na,1,2\n,0.5,1\n"))
    assert e.row == 1 and e.field == "criterion 2" and "empty" in e.message


def test_reciprocity_error_names_both_cells(tmp_path):
    path = _write(tmp_path, ",a,b,c\na,1,3,1\nb,0.5,1,1\nc,1,1,1\n")
    e = _err(path)
    assert (e.file, e.row, e.field) == (str(path), 2, "b")
    assert "not reciprocal: a/b = 3 but b/a = 0.5 (row 3, field a)" in e.message
    assert "b/a should be 1/3 = 0.3333" in e.message


def test_rows_are_the_files_own_lines(tmp_path):
    # A blank line before the data moves every row down by one.
    e = _err(_write(tmp_path, ",a,b,c\n\na,1,2,4\nb,0.5,1,-2\nc,0.25,0.5,1\n"))
    assert (e.row, e.field) == (4, "c") and "b/c = -2 must be a positive number" in e.message
    e = _err(_write(tmp_path, ",a,b\na,2,2\nb,0.5,1\n", "d.csv"))
    assert (e.row, e.field) == (2, "a") and "diagonal entry a/a must be 1" in e.message


@pytest.mark.parametrize(
    ("text", "row", "field", "words"),
    [
        (",a,b\na,1,x\nb,1,1\n", 2, "b", "is not a number"),
        (",a,b\nb,1,1\na,1,1\n", 2, None, "does not match column 1"),
        (",a,b\na,1,2\n", None, None, "must be square"),
        (",a,b\na,1,2,3\nb,0.5,1\n", 2, None, "cells but the header has"),
    ],
)
def test_other_layout_errors(tmp_path, text, row, field, words):
    e = _err(_write(tmp_path, text))
    assert (e.row, e.field) == (row, field) and words in e.message


def test_cli_prints_one_line_with_both_cells(tmp_path, capsys):
    """Through the real ``oicplan`` entry point, whose console reads ``[...]`` as markup."""
    path = _write(tmp_path, ",a,b\na,1,3\nb,0.5,1\n")
    with pytest.raises(SystemExit) as info:
        main(["weights", "ahp", "--pairwise", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(
        f"error: {path}, row 2, field b: not reciprocal: a/b = 3 but b/a = 0.5")


def test_cli_rejects_duplicate_names(tmp_path, capsys):
    path = _write(tmp_path, ",a,a,c\na,1,2,3\na,0.5,1,2\nc,1/3,0.5,1\n")
    with pytest.raises(SystemExit) as info:
        main(["weights", "ahp", "--pairwise", str(path), "--json"])
    assert info.value.code == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert f"{path}, row 1, field a: criterion name appears twice" in out.err


def test_cli_group_ahp_still_works(tmp_path, capsys):
    p1 = _write(tmp_path, ",a,b\na,1,4\nb,1/4,1\n", "e1.csv")
    p2 = _write(tmp_path, ",a,b\na,1,1\nb,1,1\n", "e2.csv")
    try:
        main(["weights", "ahp", "--pairwise", str(p1), "--pairwise", str(p2), "--json"])
    except SystemExit as exc:  # Typer exits 0 after a successful command
        assert exc.code in (0, None)
    doc = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(doc["weights"], [2 / 3, 1 / 3], atol=1e-12)
