"""Signals: RCA and relative indices checked by hand; user field data validation."""

from __future__ import annotations

import statistics

import pytest

from oicplan.errors import InputError
from oicplan.match.signals import field_data_index, load_field_data, signal_table, strength
from oicplan.match.taxonomy import load_taxonomy


def _world_share(dataset) -> float:
    exports = manufactured = 0.0
    for iso3 in dataset.countries.index:
        x = dataset.value(iso3, "TX.VAL.TECH.CD")
        s = dataset.value(iso3, "TX.VAL.TECH.MF.ZS")
        if x is None or s is None or s.value <= 0:
            continue
        exports += x.value
        manufactured += x.value / (s.value / 100.0)
    return exports / manufactured


def test_rca_by_hand_for_two_economies(dataset, candidates):
    economies = sorted(set(candidates["iso3"]))
    table = signal_table(dataset, ["SGP", "KAZ"], economies, load_taxonomy())
    rca = table[table["signal"] == "htx_rca"].set_index("iso3")
    world = _world_share(dataset)
    for iso3 in ("SGP", "KAZ"):
        share = dataset.value(iso3, "TX.VAL.TECH.MF.ZS")
        expected = (share.value / 100.0) / world
        assert rca.at[iso3, "index"] == pytest.approx(expected, rel=1e-9)
        assert rca.at[iso3, "year"] == share.year
        assert rca.at[iso3, "source"] == "wdi"
    # Singapore exports relatively more high-tech goods than Kazakhstan does.
    assert rca.at["SGP", "index"] > rca.at["KAZ", "index"]


def test_relative_index_by_hand(dataset, candidates):
    economies = sorted(set(candidates["iso3"]))
    table = signal_table(dataset, ["KAZ"], economies, load_taxonomy()).set_index("signal")
    values = [dataset.value(c, "SP.POP.SCIE.RD.P6") for c in economies]
    median = statistics.median(v.value for v in values if v is not None)
    kaz = dataset.value("KAZ", "SP.POP.SCIE.RD.P6")
    assert table.at["researchers", "index"] == pytest.approx(kaz.value / median)
    assert table.at["researchers", "strength"] == pytest.approx(
        (kaz.value / median) / (1 + kaz.value / median)
    )


def test_strength_mapping():
    assert strength(1.0) == 0.5
    assert strength(None) is None
    assert strength(9.0, slope=0.5) == pytest.approx(0.75)


def _write(tmp_path, text: str, name: str = "fields.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "iso3,field,value,year,source\n"
    "SGP,computer_technology,300,2022,WIPO IP Statistics\n"
    "SGP,6,1,2022,x\n"
)


def test_field_data_valid_and_rca(tmp_path, dataset):
    path = _write(
        tmp_path,
        "iso3,field,value,year,source\n"
        "SGP,computer_technology,30,2022,WIPO\n"
        "SGP,Biotechnology,10,2022,WIPO\n"
        "KAZ,6,10,2022,WIPO\n"
        "KAZ,biotechnology,30,2022,WIPO\n"
        "CN-ZJ,computer_technology,5,2022,CNIPA\n",
    )
    frame = load_field_data(path, load_taxonomy(), dataset)
    assert frame["field"].tolist()[:3] == [
        "computer_technology",
        "biotechnology",
        "computer_technology",
    ]
    index = field_data_index(frame).set_index(["iso3", "field"])["index"]
    # By hand: SGP computer share 30/40, field share 45/85.
    assert index[("SGP", "computer_technology")] == pytest.approx((30 / 40) / (45 / 85))


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        (3, "iso3", "XXX,computer_technology,1,2022,s\n"),
        (3, "field", "KAZ,quantum_magic,1,2022,s\n"),
        (3, "value", "KAZ,computer_technology,-1,2022,s\n"),
        (3, "year", "KAZ,computer_technology,1,20x2,s\n"),
        (3, "field", "SGP,computer_technology,1,2022,s\n"),
    ],
)
def test_field_data_errors_name_row_and_field(tmp_path, dataset, row, field, text):
    path = _write(
        tmp_path, "iso3,field,value,year,source\nSGP,computer_technology,1,2022,s\n" + text
    )
    with pytest.raises(InputError) as error:
        load_field_data(path, load_taxonomy(), dataset)
    assert error.value.row == row
    assert error.value.field == field
    assert error.value.file == str(path)


def test_field_data_missing_column_and_too_small_for_rca(tmp_path, dataset):
    with pytest.raises(InputError) as error:
        load_field_data(
            _write(tmp_path, "iso3,field,value,year\nSGP,6,1,2022\n"), load_taxonomy(), dataset
        )
    assert error.value.field == "source"
    frame = load_field_data(
        _write(tmp_path, GOOD.replace("SGP,6", "KAZ,6")), load_taxonomy(), dataset
    )
    with pytest.raises(InputError, match="two economies and two fields"):
        field_data_index(frame, "counts")
    assert field_data_index(frame, "index")["index"].tolist() == [300.0, 1.0]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("KAZ,computer_technology,-5,2022,s\n", "value", "must be a number >= 0, got -5"),
        (
            "KAZ,computer_technology,2.5,1850,s\n",
            "year",
            "expected a year between 1900 and 2100, got 1850",
        ),
        ("KAZ,computer_technology,lots,2022,s\n", "value", "expected a number, got 'lots'"),
    ],
)
def test_field_data_errors_in_plain_words(tmp_path, dataset, text, field, message):
    path = _write(
        tmp_path, "iso3,field,value,year,source\nSGP,computer_technology,1,2022,s\n" + text
    )
    with pytest.raises(InputError) as error:
        load_field_data(path, load_taxonomy(), dataset)
    assert (error.value.row, error.value.field) == (3, field)
    assert error.value.message == message
    assert str(error.value) == f"{path}, row 3, field {field}: {message}"


def test_match_field_data_negative_value_one_plain_error_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from oicplan.cli import app

    _write(tmp_path, "iso3,field,value,year,source\nSGP,6,1,2022,s\nKAZ,6,-5,2022,s\n", "fd.csv")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["match", "--field-data", "fd.csv"])
    assert result.exit_code == 2, result.output
    assert (
        result.output.strip() == "error: fd.csv, row 3, field value: must be a number >= 0, got -5"
    )
