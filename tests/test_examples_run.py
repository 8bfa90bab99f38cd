"""Every example runs (issue 11): the ``--help`` pages, README.md and docs/*.md.

The examples are collected, not listed: the command tree of the full app
(:mod:`oicplan.cli.application`) is walked and every command's help text is read
after its ``Example:`` / ``Examples:`` mark, so a command added later is checked
without touching this file. README.md and docs/*.md give the lines of their code
blocks that start with ``oicplan `` (or ``$ oicplan ``; a trailing ``\\`` joins the
next line). A block line that shows a synopsis (``[--json]``) is not an example.

Each distinct command runs once, in-process through the console entry point
(:func:`oicplan.cli.main.main`), in its own temporary folder that holds the input
files the examples name (:data:`FILES`) and is also the data folder
(``OICPLAN_DATA_DIR``: the registry, users and stored enterprises start fresh);
``OICPLAN_CACHE_DIR`` is shared so repeated plans are cheap. ``echo '...' |``,
``< file`` and ``> file`` are honoured. The expected exit code is 0 unless the
example's own documentation shows an ``error:`` line after it (exit 2).
Examples that need a running server or a person at the keyboard are listed in
:data:`NOT_RUN` with the reason.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

pytestmark = pytest.mark.slow

NOT_RUN = {
    "oicplan serve": "starts a server that runs until Ctrl+C",
    "oicplan serve --port 8080": "starts a server that runs until Ctrl+C",
    "oicplan serve --host 0.0.0.0 --port 8080": "starts a server that runs until Ctrl+C",
    "oicplan users add mei --role editor": "asks a person for the password twice",
    "oicplan data build --wdi-dir ../shared/data/wdi": (
        "rebuilds the whole snapshot into the package (about 30 s of CPU, minutes on a busy "
        "machine); tests/data builds snapshots from the same code"
    ),
    "oicplan sensitivity --scenario zhejiang --samples 1000000 --seed 7 "
    "--scheduler tcp://10.0.0.5:8786": "needs a Dask cluster at that address",
}
"""Examples that are not run, with the reason (keyed by the normalised command)."""

_ENTERPRISES = (
    "name,industry,size,home_city,category,tech_needs,overseas_presence,synthetic\n"
    "Example Energy Co,new_energy_energy_internet,large,Taizhou,backbone,"
    "electrical_machinery_energy;control,,true\n"
    "Example Chemicals Co,green_petrochemicals,large,Jiaxing,backbone,"
    "chemical_engineering;basic_materials_chemistry,,true\n"
)
_COSTS = (
    "demand,Hangzhou,Singapore,Munich\n"
    "Jakarta,4690,880,11080\nBangkok,2850,1430,8800\n"
    "Milan,9160,10260,350\nWarsaw,7460,9390,810\n"
)
_PAIRWISE = (
    ",talent_pool,office_cost,flight_links\n"
    "talent_pool,1,3,5\noffice_cost,1/3,1,3\nflight_links,1/5,1/3,1\n"
)

FILES: dict[str, str | bytes] = {
    # MCDA (docs/mcda.md)
    "cities.csv": "city,talent_pool,office_cost,flight_links\n"
    "Budapest,70,30,5\nWarsaw,80,35,6\nBelgrade,55,20,3\nTashkent,40,15,2\n",
    "p.csv": _PAIRWISE,
    "expert1.csv": _PAIRWISE,
    "expert2.csv": ",talent_pool,office_cost,flight_links\n"
    "talent_pool,1,2,4\noffice_cost,1/2,1,2\nflight_links,1/4,1/2,1\n",
    # location models (docs/locate.md)
    "costs.csv": _COSTS,
    "weights.csv": "demand,weight\nJakarta,3\nBangkok,2\nMilan,1\nWarsaw,1\n",
    "w.csv": "demand,weight\nJakarta,3\nBangkok,2\nMilan,1\nWarsaw,1\n",
    # the layout model's own costs (docs/optimize.md)
    "my_costs.csv": "site_id,mode,setup_cost,annual_cost\n"
    "SGP-singapore,offshore_rd_center,80,25\nKOR-seoul,joint_lab,15,6\n",
    # the registry (docs/centers.md)
    "kpis.csv": "center_id,year,kpi,value,unit\n"
    "alibaba-damo-academy-lab-moscow,2024,patents,12,\n",
    "risk.csv": "iso3,year,score\nRUS,2021,0.5\nRUS,2022,0.7\nRUS,2023,0.9\n",
    "my_risk.csv": "iso3,year,score\nRUS,2021,0.5\nRUS,2022,0.7\nRUS,2023,0.9\n",
    "password.txt": "a long passphrase for mei\n",
    # field data for match (docs/match.md: iso3, field, value, year, source)
    "wipo_patents_by_field.csv": "iso3,field,value,year,source\n"
    "KOR,computer_technology,1200,2022,example\nKOR,semiconductors,900,2022,example\n"
    "DEU,computer_technology,800,2022,example\nDEU,semiconductors,300,2022,example\n"
    "CN-ZJ,computer_technology,300,2022,example\nCN-ZJ,semiconductors,100,2022,example\n",
    # enterprises and the network (docs/match.md, docs/network.md)
    "more.csv": _ENTERPRISES,
    "partners.csv": "id,kind,name,iso3,city,industries,service_type,source_note\n"
    "uni-a,university,Example host university,DEU,Munich,new_materials,,agreement of 2021\n"
    "ip-1,service,Example patent attorneys,DEU,Munich,,ip,engagement letter\n",
    "ties.csv": "source,target,relation,weight,year,source_note\n"
    "uni-a,ip-1,partner,1,2021,press release\n",
}
"""Input files the examples name, written into each example's folder.

The contents follow the formats the docs give (the docs' own sample rows where
they show one). Files made by code at start (:func:`_make_files`): the Excel
workbooks, ``my.yaml`` (``oicplan scenario show zhejiang``), ``my-costs.yaml``
(``oicplan cost --show-assumptions``), the field data and the center-cost table.
"""


PLACEHOLDERS = {
    # "compare two data builds": both sides are the package's own snapshot here
    "/path/old-snapshot": str(ROOT / "src" / "oicplan" / "data" / "snapshot"),
    "/path/new-snapshot": str(ROOT / "src" / "oicplan" / "data" / "snapshot"),
}
"""Placeholder paths of the examples and what stands in for them."""

OVERRIDES: dict[str, dict[str, str]] = {
    # centers alerts --costs takes budget and actual per center and year (docs/centers.md),
    # not the location models' cost matrix of the same name
    "oicplan centers alerts": {
        "costs.csv": "center_id,year,budget,actual\n"
        "alibaba-damo-academy-lab-moscow,2023,100,120\n"
        "alibaba-damo-academy-lab-moscow,2024,100,150\n",
    },
}
"""Files that differ for one command (keyed by the start of the command)."""


@dataclass
class Example:
    """One example command: its text, where it was found, the exit code it should give."""

    command: str
    sources: list[str] = field(default_factory=list)
    exit_code: int = 0


# -- collecting ------------------------------------------------------------------

_MARK = re.compile(r"\bExamples?\b[^:\n]*:")
_PROSE_LINE = re.compile(r"^\s*[A-Z][\w ,&'/-]*:\s")  # "Method: docs/match.md."
_START = re.compile(r"(?:echo\s+'[^']*'\s*\|\s*)?\boicplan(?=\s|$)")
_SPLIT = re.compile(r"\s;\s|\s;$|\s{2,}or\s{2,}")
_TAIL = re.compile(r"\s{2,}[#(].*$|\s+#\s.*$")


def _normal(command: str) -> str:
    return " ".join(_TAIL.sub("", command).split()).rstrip(" ;")


def help_commands(text: str) -> list[str]:
    """The example commands of one help text (after its ``Example(s):`` mark).

    >>> help_commands("Do it.\\n\\nExamples: oicplan a --x 1 ;\\noicplan b\\nMethod: docs/a.md.")
    ['oicplan a --x 1', 'oicplan b']
    >>> help_commands("Example:\\n\\n    oicplan m --matrix c.csv\\n    --json\\n\\nThe JSON ...")
    ['oicplan m --matrix c.csv --json']
    >>> help_commands("Example: oicplan d --avoid s   or   oicplan d --avoid t")
    ['oicplan d --avoid s', 'oicplan d --avoid t']
    """
    mark = _MARK.search(text)
    if mark is None:
        return []
    commands = []
    for paragraph in re.split(r"\n\s*\n", text[mark.end():]):
        lines = []
        for line in paragraph.splitlines():
            if lines and _PROSE_LINE.match(line):
                break
            lines.append(line.strip())
        for piece in _SPLIT.split(" ".join(lines)):
            start = _START.search(piece)
            if start is not None:
                commands.append(_normal(piece[start.start():]))
    return [command for command in commands if command]


def _command_tree():
    import typer

    from oicplan.cli.application import app

    def walk(command, path):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), ["oicplan"]))


def doc_commands(text: str) -> list[tuple[str, int]]:
    """The ``oicplan`` lines of a Markdown text's code blocks, with the exit code they show.

    >>> doc_commands("```console\\n$ oicplan a \\\\\\n   --b 1   # c\\nerror: x\\n```\\noicplan z")
    [('oicplan a --b 1', 2)]
    >>> doc_commands("```\\noicplan c [--json]\\n```")
    []
    """
    found: list[tuple[str, int]] = []
    in_block = False
    pending = ""
    after_command = False  # the line before was an example: an "error:" line is its output
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block, pending, after_command = not in_block, "", False
            continue
        if not in_block:
            continue
        stripped = line.strip()
        if pending:
            stripped, pending = pending + " " + stripped, ""
        elif stripped.startswith("$ "):
            stripped = stripped[2:].lstrip()
        if stripped.startswith("error:") and after_command:
            found[-1] = (found[-1][0], 2)
        after_command = False
        if not stripped.startswith("oicplan ") and stripped != "oicplan":
            continue
        if _TAIL.sub("", stripped).rstrip().endswith("\\"):
            pending = _TAIL.sub("", stripped).rstrip()[:-1].rstrip()
            continue
        command = _normal(stripped)
        if re.search(r"\[-", command):  # a synopsis such as "[--json]", not an example
            continue
        found.append((command, 0))
        after_command = True
    return found


def collect_examples() -> list[Example]:
    """Every example of the help pages and the docs, once each (same words, same command)."""
    examples: dict[str, Example] = {}

    def add(command: str, source: str, exit_code: int = 0) -> None:
        key = " ".join(shlex.split(command))
        example = examples.setdefault(key, Example(command, exit_code=exit_code))
        example.sources.append(source)
        example.exit_code = max(example.exit_code, exit_code)

    for path, command in _command_tree():
        text = "\n".join(part for part in (command.help, command.epilog) if part)
        for found in help_commands(text):
            add(found, " ".join([*path, "--help"]))
    for doc in DOCS:
        if doc.exists():
            for found, exit_code in doc_commands(doc.read_text(encoding="utf-8")):
                add(found, doc.relative_to(ROOT).as_posix(), exit_code)
    return list(examples.values())


EXAMPLES = collect_examples()


# -- running ---------------------------------------------------------------------

@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def _run(argv: list[str], stdin: str = "") -> Outcome:
    from oicplan.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.stdin = old_stdin
    return Outcome(code, out.getvalue(), err.getvalue())


def run_example(command: str, folder: Path) -> Outcome:
    """Run ``command`` (a shell line) in-process with cwd ``folder``; pipes and redirects."""
    tokens = shlex.split(command)
    stdin = ""
    if tokens[0] == "echo":
        bar = tokens.index("|")
        stdin = " ".join(tokens[1:bar]) + "\n"
        tokens = tokens[bar + 1:]
    assert tokens[0] == "oicplan", command
    target = None
    argv: list[str] = []
    tokens = tokens[1:]
    while tokens:
        token = tokens.pop(0)
        if token == ">":
            target = folder / tokens.pop(0)
        elif token == "<":
            stdin = (folder / tokens.pop(0)).read_text(encoding="utf-8")
        else:
            argv.append(PLACEHOLDERS.get(token, token))
    outcome = _run(argv, stdin)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(outcome.stdout, encoding="utf-8")
    return outcome


def _make_files(folder: Path) -> None:
    """Write :data:`FILES` and the files made by code into ``folder``."""
    import openpyxl
    import pandas as pd

    for name, content in FILES.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    sample = pd.read_csv(io.StringIO(_ENTERPRISES), dtype=str, keep_default_na=False)
    for name in ("firms.xlsx", "my_enterprises.xlsx"):
        sample.to_excel(folder / name, index=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["center_id", "year", "kpi", "value", "unit"])
    sheet.append(["alibaba-damo-academy-lab-tel-aviv", 2024, "patents", 6, None])
    book.save(folder / "kpis.xlsx")
    for name, argv in (
        ("my.yaml", ["scenario", "show", "zhejiang"]),
        ("my-costs.yaml", ["cost", "--show-assumptions"]),
    ):
        outcome = _run(argv)
        assert outcome.exit_code == 0, outcome.stderr
        (folder / name).write_text(outcome.stdout, encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("example-inputs")
    _make_files(folder)
    return folder


def test_examples_were_found():
    """The collector finds the help pages' and the docs' examples (it cannot silently find none)."""
    sources = {source for example in EXAMPLES for source in example.sources}
    assert any(source.endswith("--help") for source in sources)
    assert "README.md" in sources
    commands = {example.command for example in EXAMPLES}
    assert "oicplan access --from Yiwu --to Madrid --mode rail" in commands
    assert len(EXAMPLES) > 40


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command[:90] for e in EXAMPLES])
def test_example_runs(example: Example, inputs: Path, tmp_path: Path, monkeypatch):
    if example.command in NOT_RUN:
        pytest.skip(NOT_RUN[example.command])
    folder = tmp_path / "work"
    shutil.copytree(inputs, folder)
    for prefix, files in OVERRIDES.items():
        if example.command.startswith(prefix):
            for name, content in files.items():
                (folder / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(folder / "data"))
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    outcome = run_example(example.command, folder)
    where = ", ".join(example.sources)
    assert outcome.exit_code == example.exit_code, (
        f"{example.command!r} (from {where}) exited {outcome.exit_code}, "
        f"expected {example.exit_code}:\n{outcome.stderr[-2000:]}"
    )
    if example.exit_code == 2:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), outcome.stderr


def test_an_ambiguous_site_name_lists_the_candidates(tmp_path, monkeypatch):
    """Valencia names two sites: one line with both site ids and how to pick one, exit 2."""
    monkeypatch.chdir(tmp_path)
    outcome = run_example("oicplan access --from Ningbo --to Valencia --mode sea", tmp_path)
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert outcome.exit_code == 2 and len(lines) == 1, outcome.stderr
    assert "ESP-valencia" in lines[0] and "VEN-valencia" in lines[0]
    assert "field to" in lines[0] and "give one of these site ids" in lines[0]
