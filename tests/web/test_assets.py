"""The vendored browser files: copied from npm's node_modules, present after make install."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_copy_vendor_files_copies_the_listed_files_and_licenses(tmp_path):
    from oicplan.web.assets import VENDOR_FILES, copy_vendor_files, missing_vendor_files

    modules = tmp_path / "node_modules"
    for name, source in VENDOR_FILES.items():
        (modules / source).parent.mkdir(parents=True, exist_ok=True)
        (modules / source).write_text(f"/* {name} */", encoding="utf-8")
    (modules / "echarts" / "LICENSE").write_text("Apache-2.0", encoding="utf-8")
    target = tmp_path / "vendor"
    assert sorted(missing_vendor_files(target)) == sorted(VENDOR_FILES)
    copied = copy_vendor_files(modules, target)
    assert sorted(path.name for path in copied) == sorted(VENDOR_FILES)
    assert missing_vendor_files(target) == []
    assert (target / "echarts.min.js").read_text(encoding="utf-8") == "/* echarts.min.js */"
    assert (target / "LICENSE.echarts").read_text(encoding="utf-8") == "Apache-2.0"


def test_a_missing_package_is_an_error_naming_the_file(tmp_path, capsys):
    from oicplan.web.assets import main

    assert main([str(tmp_path / "node_modules")]) == 2
    assert "echarts/dist/echarts.min.js" in capsys.readouterr().err


def test_the_npm_packages_are_pinned_and_copied_by_make_install():
    from oicplan.web.assets import VENDOR_FILES

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    wanted = {source.split("/")[0] for source in VENDOR_FILES.values()}
    assert set(package["dependencies"]) == wanted
    for name in wanted:
        assert lock["packages"][f"node_modules/{name}"]["version"] == package["dependencies"][name]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "npm ci" in makefile and "oicplan.web.assets" in makefile


def test_the_vendored_files_are_installed():
    """After ``make install`` (as in CI) the pages have their scripts and map shapes."""
    from oicplan.web.assets import VENDOR_DIR, missing_vendor_files
    from tests.conftest import require_service

    missing = missing_vendor_files()
    require_service("vendored web assets", not missing,
                    f"{', '.join(missing)} not in {VENDOR_DIR} (run make install)")
    shapes = json.loads((VENDOR_DIR / "countries-50m.json").read_text(encoding="utf-8"))
    assert shapes["type"] == "Topology" and "countries" in shapes["objects"]


def test_the_app_serves_the_vendored_files(client):
    from oicplan.web.assets import missing_vendor_files

    if missing_vendor_files():
        pytest.skip("vendored files not installed")
    response = client.get("/static/vendor/echarts.min.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
