"""Enterprise import: good files stored, bad rows rejected whole, XLSX, the sample."""

from __future__ import annotations

import runpy
from pathlib import Path

import pandas as pd
import pytest

from oicplan.errors import InputError
from oicplan.match import enterprises as ent

HEADER = "name,industry,size,home_city,category,tech_needs,overseas_presence\n"
GOOD = HEADER + (
    "Acme Optics,information_technology,large,Hangzhou,backbone,semiconductors;6,SGP;KAZ\n"
    "Blue Sea,marine_engineering,medium,舟山,high_tech,,\n"
    "Cloud Co,High-end software and information services,small,yiwu,,,\n"
)


@pytest.fixture
def store(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(folder))
    return folder / "enterprises.csv"


def _csv(tmp_path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_is_accepted_and_stored(tmp_path, store):
    frame, target = ent.import_enterprises(_csv(tmp_path, GOOD))
    assert target == store and store.is_file()
    assert frame["industry"].tolist() == [
        "information_technology",
        "marine_engineering",
        "software_information_services",
    ]
    assert frame["home_city"].tolist() == ["Hangzhou", "Zhoushan", "Yiwu"]
    assert frame["prefecture"].tolist() == ["Hangzhou", "Zhoushan", "Jinhua"]
    assert frame.at[0, "tech_needs"] == "semiconductors;computer_technology"
    assert frame.at[2, "category"] == "other"
    assert not frame["synthetic"].any()
    stored = ent.load_stored()
    assert stored["name"].tolist() == frame["name"].tolist()
    assert [p.name for p in store.parent.iterdir()] == ["enterprises.csv"]


BAD_ROWS = [
    ("Bad,quantum_farming,large,Hangzhou,,,\n", "industry"),
    ("Bad,new_materials,large,Shanghai,,,\n", "home_city"),
    ("Bad,new_materials,huge,Ningbo,,,\n", "size"),
    ("Bad,new_materials,large,Ningbo,,,,extra\n", "column 8"),
    (",new_materials,large,Ningbo,,,\n", "name"),
    ("Acme Optics,new_materials,large,Ningbo,,,\n", "name"),
    ("Bad,new_materials,large,Ningbo,,warp_drive,\n", "tech_needs"),
    ("Bad,new_materials,large,Ningbo,,,XXX\n", "overseas_presence"),
    ("Bad,new_materials,large,Ningbo,vip,,\n", "category"),
]


@pytest.mark.parametrize(("line", "field"), BAD_ROWS)
def test_each_bad_row_kind_is_rejected_with_row_and_field(tmp_path, store, line, field):
    ent.import_enterprises(_csv(tmp_path, GOOD))
    before = store.read_bytes()
    bad = _csv(tmp_path, GOOD + line)
    with pytest.raises(InputError) as error:
        ent.import_enterprises(bad)
    assert error.value.row == 5  # header row 1, three good rows, then this one
    assert error.value.field == field
    assert error.value.file == str(bad)
    assert store.read_bytes() == before  # nothing stored on failure
    assert sorted(p.name for p in store.parent.iterdir()) == ["enterprises.csv"]


def test_missing_and_unknown_columns(tmp_path, store):
    with pytest.raises(InputError) as error:
        ent.import_enterprises(_csv(tmp_path, "name,industry,size\nA,new_materials,large\n"))
    assert error.value.field == "home_city"
    with pytest.raises(InputError) as error:
        ent.import_enterprises(_csv(tmp_path, GOOD.replace("category", "kategory")))
    assert error.value.field == "kategory" and error.value.row == 1
    assert not store.exists()


def test_xlsx_works_and_rows_are_numbered_as_shown(tmp_path, store):
    rows = [line.split(",") for line in GOOD.strip().split("\n")]
    path = tmp_path / "in.xlsx"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, index=False)
    frame, _ = ent.import_enterprises(path)
    assert len(frame) == 3 and frame.at[1, "home_city"] == "Zhoushan"
    rows.append(["Bad", "new_materials", "tiny", "Ningbo", "", "", ""])
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, index=False)
    with pytest.raises(InputError) as error:
        ent.import_enterprises(path)
    assert (error.value.row, error.value.field) == (5, "size")


def test_append_refuses_duplicates(tmp_path, store):
    ent.import_enterprises(_csv(tmp_path, GOOD))
    with pytest.raises(InputError, match="already stored"):
        ent.import_enterprises(_csv(tmp_path, GOOD), append=True)
    other = HEADER + "Delta,new_materials,micro,Lishui,,,\n"
    frame, _ = ent.import_enterprises(_csv(tmp_path, other), append=True)
    assert len(frame) == 4 and len(ent.load_stored()) == 4


def test_sample_counts_follow_the_paper_and_are_synthetic():
    sample = ent.load_sample()
    counts = sample["category"].value_counts()
    assert counts["backbone"] == 146
    assert counts["high_tech"] == 3973
    assert len(sample) == 146 + 3973
    assert sample["synthetic"].all()
    assert sample["name"].str.startswith("Illustrative enterprise ").all()
    readme = (ent.SAMPLE_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower()


def test_sample_is_reproduced_by_its_seeded_script():
    script = ent.SAMPLE_FILE.parent / "make_sample.py"
    generated = runpy.run_path(str(script))["make_sample"]()
    shipped = pd.read_csv(ent.SAMPLE_FILE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(generated.astype(str), shipped)
