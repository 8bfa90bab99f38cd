"""The vendored browser files: copied from npm packages into ``static/vendor`` at install time.

The pages load ECharts (charts and the map), topojson-client (TopoJSON to GeoJSON)
and the Natural Earth country shapes of the world-atlas package from the app itself
(``/static/vendor/...``), never from another site. ``package.json`` and
``package-lock.json`` at the root of the repository pin them; ``make install`` runs
``npm ci`` and then ``python -m oicplan.web.assets node_modules``, which copies the
files below (``static/vendor`` is not in git).

>>> sorted(VENDOR_FILES)
['countries-50m.json', 'echarts.min.js', 'topojson-client.min.js']
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

__all__ = ["VENDOR_DIR", "VENDOR_FILES", "copy_vendor_files", "missing_vendor_files", "main"]

VENDOR_DIR = Path(__file__).with_name("static") / "vendor"

VENDOR_FILES: dict[str, str] = {
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-50m.json": "world-atlas/countries-50m.json",
}
"""File name in ``static/vendor`` -> its path under ``node_modules``."""

_LICENSES = {
    "echarts": "echarts/LICENSE",
    "topojson-client": "topojson-client/LICENSE",
    "world-atlas": "world-atlas/LICENSE",
}


def missing_vendor_files(folder: Path = VENDOR_DIR) -> list[str]:
    """The vendored files not (yet) in ``folder``: run ``make install`` to get them."""
    return [name for name in VENDOR_FILES if not (folder / name).is_file()]


def copy_vendor_files(node_modules: Path, folder: Path = VENDOR_DIR) -> list[Path]:
    """Copy the files of :data:`VENDOR_FILES` (and the packages' licenses) into ``folder``."""
    missing = [path for path in VENDOR_FILES.values() if not (node_modules / path).is_file()]
    if missing:
        raise FileNotFoundError(
            f"not in {node_modules}: {', '.join(missing)} (run 'npm ci' at the repository root)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for name, source in VENDOR_FILES.items():
        copied.append(Path(shutil.copyfile(node_modules / source, folder / name)))
    for package, source in _LICENSES.items():
        if (node_modules / source).is_file():
            shutil.copyfile(node_modules / source, folder / f"LICENSE.{package}")
    return copied


def main(argv: list[str] | None = None) -> int:
    """``python -m oicplan.web.assets [NODE_MODULES]``: copy the vendored files."""
    args = sys.argv[1:] if argv is None else argv
    node_modules = Path(args[0] if args else "node_modules")
    try:
        copied = copy_vendor_files(node_modules)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"copied {len(copied)} files into {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
