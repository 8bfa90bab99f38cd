"""Nothing lost (issue 11): ``plan --out DIR`` killed while it writes.

Every file of DIR must afterwards be either its previous version or a complete
new one, never truncated; the user's own files stay as they were; the next run
removes the killed run's temporary folder.

The first test kills a child process inside the write step itself
(:func:`oicplan.report.outfiles.replace_files`, which ``plan --out`` calls), with
large files so that the kills land while bytes are being written and renamed;
the second (slow) kills the real ``oicplan plan`` late in its run, where it writes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from oicplan.report.outfiles import TEMP_MARK, replace_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

NAMES = ("plan.json", "report.html", "report.md", "plan.xlsx", "plan.docx")
_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from oicplan.report.outfiles import replace_files

    out, size, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    names = sys.argv[4:]
    replace_files(out, {name: (tag + name) * (size // len(tag + name)) for name in names})
    """
)


def _content(name: str, tag: str, size: int) -> bytes:
    return ((tag + name) * (size // len(tag + name))).encode()


def _writer(out: Path, size: int, tag: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(out), str(size), tag, *NAMES])


def test_write_step_killed_anywhere_leaves_old_or_whole_new_files(tmp_path):
    size = 8_000_000  # 5 files of 8 MB: the kills land in the write, not only in start-up
    out = tmp_path / "plan"
    mine = out / "notes.txt"
    replace_files(out, {name: _content(name, "old-", size) for name in NAMES})
    mine.write_text("the user's own file", encoding="utf-8")
    old = {name: (out / name).read_bytes() for name in NAMES}
    new = {name: _content(name, "new-", size) for name in NAMES}
    runs = []  # the shorter of two whole runs: a busy machine makes the first one slow
    for _ in range(2):
        started = time.monotonic()
        assert _writer(tmp_path / "scratch", size, "new-").wait(timeout=300) == 0
        runs.append(time.monotonic() - started)
    took = min(runs)
    rng = random.Random(21)
    killed = 0
    for k in range(5):
        child = _writer(out, size, "new-")
        time.sleep(took * (k + rng.uniform(0.1, 0.9)) / 5)
        if child.poll() is None:
            killed += 1
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        now = {name: (out / name).read_bytes() for name in NAMES}
        for name in NAMES:
            assert now[name] in (old[name], new[name]), f"kill {k}: {name} is neither"
        assert mine.read_text(encoding="utf-8") == "the user's own file"
        # Put the old files back so that the next kill can tell old from new again.
        replace_files(out, {name: _content(name, "old-", size) for name in NAMES})
    assert killed >= 2, "the kills should land before the writer ends"
    leftovers = [p.name for p in tmp_path.iterdir() if TEMP_MARK in p.name]
    assert leftovers == [], "replace_files removes the temporary folders of killed runs"


def _complete(path: Path) -> bool:
    """Whether a plan output file is whole (a truncated one fails these checks)."""
    data = path.read_bytes()
    if path.suffix == ".json":
        document = json.loads(data)  # a truncated file is no JSON
        return {"scenario", "sites", "solves"} <= set(document)
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    return data.endswith(b"\n") and len(data) > 100


@pytest.mark.slow
def test_cli_plan_killed_while_writing_keeps_whole_files(tmp_path):
    out = tmp_path / "plan"
    env = dict(os.environ)
    command = [sys.executable, "-m", "oicplan", "plan", "--centers", "2", "--out", str(out)]
    started = time.monotonic()
    first = subprocess.run([*command, "--lang", "en"], env=env, capture_output=True, timeout=600)
    assert first.returncode == 0, first.stderr.decode(errors="replace")
    took = time.monotonic() - started
    old = {name: (out / name).read_bytes() for name in NAMES}
    rng = random.Random(22)
    for k in range(2):
        child = subprocess.Popen(
            [*command, "--lang", "zh"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(took * (0.5 + 0.25 * (k + rng.random())))  # the later half
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        for name in NAMES:
            data = (out / name).read_bytes()
            assert data == old[name] or _complete(out / name), f"kill {k}: {name} truncated"
    last = subprocess.run([*command, "--lang", "zh"], env=env, capture_output=True, timeout=600)
    assert last.returncode == 0, last.stderr.decode(errors="replace")
    assert all(_complete(out / name) for name in NAMES)
    assert [p.name for p in tmp_path.iterdir() if TEMP_MARK in p.name] == []
