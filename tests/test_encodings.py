"""Files a user's Excel writes are read by every command named in issue 11's encodings item.

Each file is written in UTF-8 with a byte-order mark, GBK (GB18030) and UTF-16 ("Unicode
text", tab-separated for CSV); the command's answer must be the same as for plain UTF-8.
A binary file gets one line naming the file and the byte offset, exit 2.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oicplan.cli import app
from oicplan.scenario import scenario_yaml

runner = CliRunner()

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]

MATRIX = "城市,talent,cost,links\n布达佩斯,70,30,5\n华沙,80,35,6\n贝尔格莱德,55,20,3\n"
POLICY = (
    "year,additional_rate,manufacturing_additional_rate,overseas_share,overseas_cap_share\n"
    "2023,1.0,1.0,0.8,2/3\n"
)
ASSUMPTIONS = "# 差旅费（美元/人/年）\ntravel_per_head: 5000\n"


def _write(path, text: str, encoding: str):
    if encoding == "utf-16" and path.suffix == ".csv":
        text = text.replace(",", "\t")  # Excel's "Unicode text" is tab-separated
    path.write_bytes(text.encode(encoding))
    return path


def _ok(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_mcda_matrix_in_any_encoding(tmp_path, encoding):
    expected = _ok("mcda", "--matrix", str(_write(tmp_path / "u.csv", MATRIX, "utf-8")))
    got = _ok("mcda", "--matrix", str(_write(tmp_path / "m.csv", MATRIX, encoding)))
    assert got == expected
    assert "华沙" in json.dumps(got, ensure_ascii=False)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_tax_policy_file_in_any_encoding(tmp_path, encoding):
    args = ("tax", "--overseas-rd", "10", "--domestic-rd", "30")
    expected = _ok(*args, "--policy-file", str(_write(tmp_path / "u.csv", POLICY, "utf-8")))
    got = _ok(*args, "--policy-file", str(_write(tmp_path / "p.csv", POLICY, encoding)))
    assert got == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cost_assumptions_in_any_encoding(tmp_path, encoding):
    path = _write(tmp_path / "a.yaml", ASSUMPTIONS, encoding)
    cost = ("cost", "--site", "ESP-madrid", "--mode", "joint_lab", "--assumptions")
    reference = _write(tmp_path / "u.yaml", ASSUMPTIONS, "utf-8")
    got = json.dumps(_ok(*cost, str(path))).replace(str(path), "FILE")
    assert got == json.dumps(_ok(*cost, str(reference))).replace(str(reference), "FILE")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_rank_scenario_in_any_encoding(tmp_path, encoding):
    text = "# 浙江情景（另存为 GBK）\n" + scenario_yaml("zhejiang")
    path = _write(tmp_path / "s.yaml", text, encoding)
    got = _ok("rank", "--scenario", str(path), "--top", "5")
    expected = _ok("rank", "--scenario", "zhejiang", "--top", "5")
    assert [row["site_id"] for row in got["sites"]] == [row["site_id"] for row in expected["sites"]]


@pytest.mark.parametrize("command", [
    ("mcda", "--matrix"),
    ("tax", "--overseas-rd", "10", "--domestic-rd", "30", "--policy-file"),
    ("cost", "--site", "ESP-madrid", "--mode", "joint_lab", "--assumptions"),
    ("rank", "--scenario"),
])
def test_a_binary_file_is_one_line_naming_file_and_offset(tmp_path, command):
    path = tmp_path / ("bad.yaml" if command[0] in ("rank", "cost") else "bad.csv")
    path.write_bytes(b"a,b\n\x81\xff\x00\x00\xfe")
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert path.name in lines[0] and "offset 4" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_location_cost_matrix_in_any_encoding(tmp_path, encoding):
    from oicplan.optimize._inputs import read_costs

    text = "需求点,杭州,宁波\n甲,1,2\n乙,3,4\n"
    matrix = read_costs(_write(tmp_path / "c.csv", text, encoding))
    reference = read_costs(_write(tmp_path / "u.csv", text, "utf-8"))
    assert matrix.facility_ids == reference.facility_ids == ["杭州", "宁波"]
    assert matrix.demand_ids == ["甲", "乙"]
    assert (matrix.values == reference.values).all()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_enterprise_file_in_any_encoding(tmp_path, encoding):
    from oicplan.match.enterprises import read_enterprises

    text = ("name,industry,size,home_city\n"
            "杭州某新材料公司,new_energy_energy_internet,large,Hangzhou\n")
    frame = read_enterprises(_write(tmp_path / "e.csv", text, encoding))
    assert frame["name"].tolist() == ["杭州某新材料公司"]
