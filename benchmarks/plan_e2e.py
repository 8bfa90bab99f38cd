"""``oicplan plan --scenario zhejiang --out DIR`` end to end: commit 8b9f4e5 against now, same run.

Run by hand: ``.venv/bin/python benchmarks/plan_e2e.py [--repeats 5] [--markdown FILE]``.

The old code is exported from git (``git archive BASE | tar -x``) into a temporary
folder and run with the same virtual environment, its ``src`` first on ``PYTHONPATH``
(``python -m oicplan.console plan ...``); the current code runs as ``python -m oicplan
plan ...``. Each run is a fresh process; old and new alternate, ``--repeats`` times each,
after one untimed warm-up run of each that fills the shared cache folder
(``OICPLAN_CACHE_DIR``, empty at the start: the transport graph of both, and the new
code's weight-free stages, keyed by code version, so each version keeps its own); the
warm-up is the cold-cache time, reported too. The current code is copied from
``src`` at the start (like the old one), so that other people's edits during the run
neither change what is measured nor invalidate its cache. Both get the same
environment and thread settings (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
``MKL_NUM_THREADS``, ``MPLBACKEND=Agg``).

Prints the machine (cores, CPU model, load average before and after), the wall time of
each run, the median, min and max per version, the ratio of the medians, the CPU time
(user + system of each child from :func:`os.wait4`; other people's jobs disturb it less
than the wall time) and the peak resident memory of each version (``ru_maxrss`` of each
child, the highest over its runs), and the files each version wrote. Then checks that
the old and the new ``plan.json`` choose the same sites with the same center modes, and
says so. Each run goes through ``benchmarks/_highs_clock.py``, which adds up the CPU
time of the run's HiGHS solves (both versions alike); the table gives it and the CPU
time outside HiGHS, so that the optimisation work, which the plan's content sets, is
seen apart from the rest. ``--markdown FILE`` also writes the
result as a markdown table (pasted into ``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "8b9f4e5"
SCENARIO = "zhejiang"


def machine() -> dict:
    """Cores, CPU model, memory and Python of this machine."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 2**20:.1f} GiB"
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def export_base(commit: str, folder: Path) -> Path:
    """The tree of ``commit`` written into ``folder`` (no worktree, no change to the repo)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def copy_current(folder: Path) -> Path:
    """The working tree's ``src`` copied into ``folder`` (without bytecode caches)."""
    target = folder / "src"
    shutil.copytree(ROOT / "src", target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


CLOCK = Path(__file__).with_name("_highs_clock.py")


def run_once(command: list[str], env: dict, out: Path) -> tuple[float, int, float, dict]:
    """Wall seconds, peak resident memory (bytes), CPU seconds and HiGHS's share of one run.

    ``command`` is ``[python, "-m", module, ...]``; it runs as ``[python, CLOCK, record,
    module, ...]`` and the last item returned is the record (``solves``, ``cpu``).
    """
    if out.exists():
        shutil.rmtree(out)
    record = out.with_name(out.name + ".highs.json")
    python, flag, module, *rest = command
    assert flag == "-m", command
    start = time.perf_counter()
    process = subprocess.Popen(
        [python, str(CLOCK), str(record), module, *rest, "--out", str(out)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()[-2000:]}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    highs = json.loads(record.read_text(encoding="utf-8"))
    return seconds, usage.ru_maxrss * 1024, cpu, highs  # Linux reports kilobytes


def chosen_sites(plan_json: Path) -> list[tuple[str, str]]:
    """``(site_id, mode)`` of every chosen site of a plan.json, sorted."""
    document = json.loads(plan_json.read_text(encoding="utf-8"))
    return sorted((site["site_id"], site["mode"]) for site in document["sites"])


def summary(times: list[float]) -> dict:
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
    }


def markdown(result: dict) -> str:
    """The result as the markdown table of ``benchmarks/README.md``."""
    m = result["machine"]
    old, new = result["old"], result["new"]
    load = result["load"]
    lines = [
        f"`oicplan plan --scenario {SCENARIO} --out DIR`, {result['date']}, "
        f"{result['repeats']} fresh processes each, alternating, warm cache; "
        f"{m['cores']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}; "
        f"threads {result['threads']}; load average {load['before']} before, "
        f"{load['after']} after.",
        "",
        "| code | median | min | max | CPU (user + sys), median | cold cache (first run) "
        "| HiGHS solves | HiGHS CPU, median | CPU outside HiGHS, median | peak resident memory "
        "| files written |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, data in ((f"commit {BASE}", old), ("now", new)):
        lines.append(
            f"| {label} | {data['median']:.2f} s | {data['min']:.2f} s | {data['max']:.2f} s "
            f"| {data['cpu']:.2f} s | {data['cold']:.2f} s | {data['solves']:g} "
            f"| {data['highs_cpu']:.2f} s | {data['rest_cpu']:.2f} s "
            f"| {data['peak_mb']:.0f} MB "
            f"| {', '.join(data['files'])} |"
        )
    lines += [
        "",
        f"Ratio of the medians: **{result['ratio']:.2f}×** wall, {result['cpu_ratio']:.2f}× "
        f"CPU (target ≥ 4×); outside HiGHS {result['rest_ratio']:.2f}× CPU. "
        f"Same chosen sites and modes: **{'yes' if result['same_sites'] else 'NO'}**.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each version")
    parser.add_argument("--base", default=BASE, help="the old commit")
    parser.add_argument("--threads", default=str(os.cpu_count() or 1),
                        help="OMP/OpenBLAS/MKL threads for both versions")
    parser.add_argument("--markdown", type=Path, help="also write the markdown table here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    info = machine()
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {info['cores']} cores, {info['cpu']}, {info['memory']}, "
          f"Python {info['python']}, {info['system']}")
    print(f"load average before: {before}")

    work = Path(tempfile.mkdtemp(prefix="oicplan-e2e-"))
    try:
        old_src = export_base(args.base, work / "old")
        new_src = copy_current(work / "new")
        cache = work / "cache"
        cache.mkdir()
        env = {
            **os.environ,
            "OICPLAN_CACHE_DIR": str(cache),
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": args.threads,
            "OPENBLAS_NUM_THREADS": args.threads,
            "MKL_NUM_THREADS": args.threads,
        }
        env.pop("PYTHONPATH", None)
        python = sys.executable
        versions = {
            "old": (
                [python, "-m", "oicplan.console", "plan", "--scenario", SCENARIO],
                {**env, "PYTHONPATH": str(old_src)},
            ),
            "new": (
                [python, "-m", "oicplan", "plan", "--scenario", SCENARIO],
                {**env, "PYTHONPATH": str(new_src)},
            ),
        }
        cold: dict[str, float] = {}
        for name, (command, version_env) in versions.items():
            where = subprocess.run(
                [python, "-c", "import oicplan; print(oicplan.__file__)"],
                env=version_env, capture_output=True, text=True, check=True,
            ).stdout.strip()
            print(f"{name}: {' '.join(command[1:])}  ({where})")
            seconds, _, cpu, _ = run_once(command, version_env, work / f"{name}-warm")
            cold[name] = seconds
            print(f"  warm-up (empty cache: fills it): {seconds:.2f} s, CPU {cpu:.2f} s")

        times: dict[str, list[float]] = {"old": [], "new": []}
        cpus: dict[str, list[float]] = {"old": [], "new": []}
        peaks: dict[str, int] = {"old": 0, "new": 0}
        highs: dict[str, list[dict]] = {"old": [], "new": []}
        for repeat in range(args.repeats):
            for name, (command, version_env) in versions.items():
                seconds, peak, cpu, solved = run_once(command, version_env,
                                                      work / f"{name}-{repeat}")
                highs[name].append(solved)
                times[name].append(seconds)
                cpus[name].append(cpu)
                peaks[name] = max(peaks[name], peak)
                print(f"  run {repeat + 1} {name}: {seconds:6.2f} s, CPU {cpu:6.2f} s, "
                      f"HiGHS {solved['solves']} solves {solved['cpu']:5.2f} s, "
                      f"peak {peak / 2**20:7.0f} MB, load {os.getloadavg()[0]:.2f}")

        old_sites = chosen_sites(work / "old-0" / "plan.json")
        new_sites = chosen_sites(work / "new-0" / "plan.json")
        after = " ".join(f"{x:.2f}" for x in os.getloadavg())
        result = {
            "date": datetime.date.today().isoformat(),
            "machine": info,
            "repeats": args.repeats,
            "threads": args.threads,
            "load": {"before": before, "after": after},
            "same_sites": old_sites == new_sites,
        }
        for name in ("old", "new"):
            result[name] = {
                **summary(times[name]),
                "cpu": statistics.median(cpus[name]),
                "solves": statistics.median(h["solves"] for h in highs[name]),
                "highs_cpu": statistics.median(h["cpu"] for h in highs[name]),
                "rest_cpu": statistics.median(
                    cpu - h["cpu"] for cpu, h in zip(cpus[name], highs[name], strict=True)),
                "cold": cold[name],
                "peak_mb": peaks[name] / 2**20,
                "files": sorted(path.name for path in (work / f"{name}-0").iterdir()),
            }
        result["ratio"] = result["old"]["median"] / result["new"]["median"]
        result["cpu_ratio"] = result["old"]["cpu"] / result["new"]["cpu"]
        result["rest_ratio"] = result["old"]["rest_cpu"] / result["new"]["rest_cpu"]
        print()
        for name in ("old", "new"):
            data = result[name]
            label = f"commit {args.base}" if name == "old" else "now"
            print(f"{label:>15}: median {data['median']:.2f} s (min {data['min']:.2f}, "
                  f"max {data['max']:.2f}), CPU {data['cpu']:.2f} s, cold cache "
                  f"{data['cold']:.2f} s, HiGHS {data['solves']:g} solves "
                  f"{data['highs_cpu']:.2f} s CPU, peak resident memory {data['peak_mb']:.0f} MB, "
                  f"wrote {', '.join(data['files'])}")
        print(f"ratio of the medians: {result['ratio']:.2f}x wall, {result['cpu_ratio']:.2f}x "
              f"CPU (target >= 4x); CPU outside HiGHS {result['rest_ratio']:.2f}x")
        print(f"load average after: {after}")
        if result["same_sites"]:
            print(f"same chosen sites and modes in old and new plan.json ({len(new_sites)} sites)")
        else:
            print("DIFFERENT chosen sites or modes:")
            print(f"  old only: {sorted(set(old_sites) - set(new_sites))}")
            print(f"  new only: {sorted(set(new_sites) - set(old_sites))}")
        table = markdown(result)
        print()
        print(table)
        if args.markdown:
            args.markdown.write_text(table, encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
