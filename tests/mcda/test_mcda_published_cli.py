"""Published worked examples end to end through ``oicplan mcda`` and ``oicplan weights``.

The sources and printed numbers are documented in ``test_mcda_published.py``;
here the same inputs go through CSV files and the JSON output.
"""

from __future__ import annotations

import json

import numpy as np
import typer
from typer.testing import CliRunner

from oicplan.cli.mcda import mcda, weights_app

app = typer.Typer()
app.command("mcda")(mcda)
app.add_typer(weights_app, name="weights")
runner = CliRunner()


def _csv(tmp_path, name, header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _json(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_promethee2_zhao_peng_li_2013_cli(tmp_path):
    """Zhao, Peng & Li (2013): net flows 0.1, -0.3, 0.2 with the usual criterion."""
    path = _csv(tmp_path, "z.csv", ["plan", "c1", "c2", "c3"],
                [["a1", 4, 3, 2], ["a2", 3, 2, 4], ["a3", 5, 1, 3]])
    out = _json(["mcda", "--matrix", str(path), "--method", "promethee2",
                 "--weights", "0.5,0.3,0.2", "--types", "max,max,max",
                 "--preference", "usual", "--json"])
    np.testing.assert_allclose(out["net_flow"], [0.1, -0.3, 0.2], atol=5e-3)
    assert out["ranks"] == [2, 3, 1]


def test_wsm_triantaphyllou_cli(tmp_path):
    """Triantaphyllou (2000) WSM example in raw units: 21.50, 22.00, 22.00."""
    path = _csv(tmp_path, "t.csv", ["alt", "C1", "C2", "C3", "C4"],
                [["A1", 25, 20, 15, 30], ["A2", 10, 30, 20, 30], ["A3", 30, 10, 30, 10]])
    out = _json(["mcda", "--matrix", str(path), "--method", "wsm", "--normalization", "none",
                 "--weights", "0.20,0.15,0.40,0.25", "--json"])
    np.testing.assert_allclose(out["scores"], [21.50, 22.00, 22.00], atol=5e-3)


def test_critic_tus_adali_2019_cli(tmp_path):
    """Tuş & Adalı (2019): CRITIC weights 0.157, 0.249, 0.168, 0.121, 0.154, 0.151."""
    rows = [[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
            [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]]
    path = _csv(tmp_path, "c.csv", ["software", "c1", "c2", "c3", "c4", "c5", "c6"],
                [[f"A{i + 1}", *r] for i, r in enumerate(rows)])
    out = _json(["weights", "critic", "--matrix", str(path), "--json"])
    assert out["criteria"] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    np.testing.assert_allclose(out["weights"], [0.157, 0.249, 0.168, 0.121, 0.154, 0.151],
                               atol=5e-4)


def test_entropy_elsayed_2017_cli(tmp_path):
    """Elsayed, Dawood & Karthikeyan (2017): entropy weights to six decimals."""
    rows = [
        [7, 312, 1891, 6613, 163], [72, 88, 728, 941804, 1078],
        [10, 252, 2594, 3466, 117471], [10, 145, 980, 2371, 86329],
        [65, 54, 350, 501, 29897], [29, 48, 380, 912, 34051],
        [7, 476, 3300, 78470, 2212], [70, 87, 650, 733, 819000],
        [4, 86, 591, 3015, 103], [12, 79, 579, 3240, 96098],
        [21, 45, 261, 1253, 453], [1, 72, 530, 4333, 0.104800],
    ]
    path = _csv(tmp_path, "e.csv", ["alt", "c1", "c2", "c3", "c4", "c5"],
                [[f"A{i + 1}", *r] for i, r in enumerate(rows)])
    out = _json(["weights", "entropy", "--matrix", str(path), "--json"])
    np.testing.assert_allclose(
        out["weights"], [0.104991, 0.069124, 0.071373, 0.449937, 0.304575], atol=5e-7
    )
