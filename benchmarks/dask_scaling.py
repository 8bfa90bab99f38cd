"""Benchmark: Monte Carlo TOPSIS ranking in process and on a dask.distributed LocalCluster.

Run by hand (pytest does not collect this file)::

    .venv/bin/python benchmarks/dask_scaling.py            # 1,000,000 samples, a few minutes
    .venv/bin/python benchmarks/dask_scaling.py --quick    # smoke run, well under a minute

What is measured (issue 3), all in one run so that the ratios share the
machine's conditions:

* **In process**: ``oicplan.uncertainty.monte_carlo`` on a random, seeded
  250 x 40 TOPSIS matrix (values uniform in [1, 100), every third criterion a
  cost, random weights), ``--samples`` replications (default 1,000,000),
  uniform weight model with spread 0.2, default chunk size (8,192). Timed
  with the chunk threads limited to 1 (``montecarlo.MAX_LOCAL_THREADS = 1``,
  set from this script) and with the default (one per CPU, here 2).
* **LocalCluster**: ``LocalCluster(n_workers=1 or 2, threads_per_worker=1,
  processes=True)``; the same call with ``scheduler=client``. The cluster is
  started once per configuration, warmed up with one small run (the workers
  import oicplan on their first task), then the full run is timed
  ``--repeats`` times. Reported: wall time, samples/s, scaling efficiency
  ``T1 / (2 T2)`` (median times), and per worker the peak resident memory
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` inside the worker, through
  ``client.run``) and the resident memory after the run (psutil).
* **Memory limit sweep**: the full run on a LocalCluster with
  ``--sweep-workers`` workers and each ``memory_limit`` of ``--memory-limits``;
  a limit "works" when the run finishes within ``--sweep-timeout`` seconds and
  its rank histogram equals the in-process one.
* **Materialized samples** (``--keep-probe``): peak memory of one in-process
  run with ``keep_samples=True``, the case where the samples themselves are
  held in memory.

Every Dask result is checked against the in-process result for the same seed
(the rank-count histograms must be equal, compared through a SHA-256 of the
array). Each configuration runs in its own child process (a new session, so
that its scheduler and worker processes form one process group); the parent
waits at most ``--timeout`` seconds and then kills that group, and inside
the child a watchdog closes the cluster if one run takes too long.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

SPREAD = 0.2


def _problem(alternatives: int, criteria: int, seed: int):
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 100.0, size=(alternatives, criteria))
    types = ["min" if j % 3 == 2 else "max" for j in range(criteria)]
    weights = rng.uniform(0.5, 1.5, size=criteria)
    return matrix, weights / weights.sum(), types


def _digest(counts: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(counts, dtype=np.int64).tobytes()).hexdigest()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _worker_memory() -> dict:
    import resource as res

    import psutil

    proc = psutil.Process()
    cpu = proc.cpu_times()
    return {"peak_mb": res.getrusage(res.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_mb": proc.memory_info().rss / 2**20, "cpu_s": cpu.user + cpu.system}


# --------------------------------------------------------------------- children


def _child_inprocess(args) -> dict:
    from oicplan.uncertainty import montecarlo

    matrix, weights, types = _problem(args.alternatives, args.criteria, args.seed)
    setup = montecarlo.prepare(matrix, weights, types, "topsis")
    out: dict = {"baseline_peak_mb": _peak_mb()}
    digest = None
    for threads in (1, montecarlo.MAX_LOCAL_THREADS):
        montecarlo.MAX_LOCAL_THREADS = threads
        times, cpu = [], []
        for _ in range(args.repeats):
            t, c = time.perf_counter(), time.process_time()
            res = montecarlo.monte_carlo(setup, samples=args.samples, spread=SPREAD,
                                         seed=args.seed)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            d = _digest(res.rank_counts)
            assert digest is None or d == digest, "in-process results differ between runs"
            digest = d
        used = min(threads, montecarlo._local_workers())
        out[f"threads_{used}"] = times
        out[f"cpu_{used}"] = cpu
    out["digest"] = digest
    out["peak_mb"] = _peak_mb()
    return out


def _child_keep(args) -> dict:
    from oicplan.uncertainty import monte_carlo

    matrix, weights, types = _problem(args.alternatives, args.criteria, args.seed)
    before = _peak_mb()
    t = time.perf_counter()
    res = monte_carlo(matrix, weights, types, "topsis", samples=args.samples, spread=SPREAD,
                      seed=args.seed, keep_samples=True)
    seconds = time.perf_counter() - t
    held = sum(a.nbytes for a in (res.weights, res.ranks, res.normalization_choice,
                                  res.matrix_choice))
    return {"seconds": seconds, "baseline_peak_mb": before, "peak_mb": _peak_mb(),
            "held_mb": held / 2**20, "digest": _digest(res.rank_counts)}


def _run_with_watchdog(fn, limit: float, on_timeout):
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # reported, not raised: the child must still answer
            box["error"] = f"{type(exc).__name__}: {exc}"[:300]

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        on_timeout()
        return None, f"timeout after {limit:g} s"
    return box.get("value"), box.get("error")


def _child_cluster(args) -> dict:
    from distributed import Client, LocalCluster

    from oicplan.uncertainty import montecarlo

    matrix, weights, types = _problem(args.alternatives, args.criteria, args.seed)
    setup = montecarlo.prepare(matrix, weights, types, "topsis")
    limit = args.memory_limit if args.memory_limit not in (None, "auto") else "auto"
    if args.no_trim:
        import dask

        env = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
        env.pop("MALLOC_TRIM_THRESHOLD_", None)
        dask.config.set({"distributed.nanny.pre-spawn-environ": env})
    t = time.perf_counter()
    cluster = LocalCluster(n_workers=args.n_workers, threads_per_worker=1, processes=True,
                           memory_limit=limit, dashboard_address=None)
    client = Client(cluster)
    out: dict = {"start_s": time.perf_counter() - t}
    try:
        client.wait_for_workers(args.n_workers, timeout=60)
        info = client.scheduler_info()["workers"]
        out["memory_limit_mb"] = [w["memory_limit"] / 2**20 for w in info.values()]
        addresses = set(info)
        out["before_warmup"] = list(client.run(_worker_memory).values())
        out["trim_env"] = sorted(set(client.run(
            lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_", "unset")).values()))
        # warm-up: each worker unpickles (imports) oicplan on its first task
        warm = montecarlo.DEFAULT_CHUNK_SIZE * args.n_workers * 2
        _, error = _run_with_watchdog(
            lambda: montecarlo.monte_carlo(setup, samples=warm, spread=SPREAD, seed=args.seed,
                                           scheduler=client),
            args.run_timeout, cluster.close)
        if error is not None:
            out["error"] = f"warm-up: {error}"
            return out
        out["after_warmup"] = list(client.run(_worker_memory).values())
        times, digests, cpu = [], [], []
        for _ in range(args.repeats):
            before = sum(w["cpu_s"] for w in client.run(_worker_memory).values())
            start = time.perf_counter()

            def job():
                return montecarlo.monte_carlo(setup, samples=args.samples, spread=SPREAD,
                                              seed=args.seed, scheduler=client)

            res, error = _run_with_watchdog(job, args.run_timeout, cluster.close)
            if error is not None:
                out["error"] = error
                break
            times.append(time.perf_counter() - start)
            digests.append(_digest(res.rank_counts))
            cpu.append(sum(w["cpu_s"] for w in client.run(_worker_memory).values()) - before)
        out["times"] = times
        out["cpu"] = cpu
        out["digests"] = digests
        if "error" not in out:
            out["workers"] = list(client.run(_worker_memory).values())
            out["restarted"] = set(client.scheduler_info()["workers"]) != addresses
    finally:
        t = time.perf_counter()
        client.close(timeout=20)
        cluster.close(timeout=20)
        out["close_s"] = time.perf_counter() - t
    return out


CHILDREN = {"inprocess": _child_inprocess, "keep": _child_keep, "cluster": _child_cluster}


# ----------------------------------------------------------------------- parent


def _spawn(args, mode: str, timeout: float, env: dict | None = None, **extra) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", mode,
           "--samples", str(args.samples), "--alternatives", str(args.alternatives),
           "--criteria", str(args.criteria), "--seed", str(args.seed),
           "--repeats", str(extra.pop("repeats", args.repeats)),
           "--run-timeout", str(extra.pop("run_timeout", args.run_timeout))]
    for key, value in extra.items():
        if value is False:
            continue
        if value is True:
            cmd.append(f"--{key.replace('_', '-')}")
        else:
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, **(env or {})})
    t = time.perf_counter()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child's own group: scheduler and workers
        proc.communicate()
        return {"error": f"killed after {timeout:g} s", "wall_s": time.perf_counter() - t}
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        return {"error": f"exit {proc.returncode}: {tail}"[:300],
                "wall_s": time.perf_counter() - t}
    out = json.loads(lines[-1])
    out["wall_s"] = time.perf_counter() - t
    out["stderr_lines"] = len(stderr.splitlines())
    return out


def _machine() -> str:
    import dask
    import distributed
    import psutil

    model = "?"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = psutil.virtual_memory().total / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=os.path.dirname(os.path.abspath(__file__))).stdout
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}
    return (f"nproc={os.cpu_count()} (affinity {len(os.sched_getaffinity(0))}), CPU={model}, "
            f"memory={mem:.1f} GiB, Python {platform.python_version()}, numpy "
            f"{np.__version__}, dask {dask.__version__}, distributed "
            f"{distributed.__version__}, psutil {psutil.__version__}, oicplan commit "
            f"{commit.strip()}, env {blas or 'no OPENBLAS_*'}, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def _fmt_times(xs: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in xs)


def _parse_mb(text: str) -> float:
    from dask.utils import parse_bytes

    return parse_bytes(text) / 2**20


def _cluster_table(args, ref: str, one_thread: float, no_trim: bool) -> dict[int, float]:
    n = args.samples
    print("| workers | start s | times s | median s | samples/s | vs in-process 1 thread "
          "| worker CPU s | RSS before 1st task MB | peak RSS MB | RSS after MB | trim env "
          "| equal |")
    print("|--:|--:|--|--:|--:|--:|--|--|--|--|--|--|")
    medians = {}
    for workers in args.workers:
        res = _spawn(args, "cluster", args.timeout, n_workers=workers, memory_limit="auto",
                     no_trim=no_trim)
        if "error" in res or not res.get("times"):
            print(f"| {workers} | failed: {res.get('error')} ||||||||||", flush=True)
            continue
        med = medians[workers] = _median(res["times"])
        equal = all(d == ref for d in res["digests"])

        def col(key, field, res=res):
            return "/".join(f"{w[field]:.0f}" for w in res[key])

        print(f"| {workers} | {res['start_s']:.1f} | {_fmt_times(res['times'])} | {med:.2f} | "
              f"{n / med:,.0f} | {one_thread / med:.2f} | {_fmt_times(res['cpu'])} | "
              f"{col('before_warmup', 'rss_mb')} | "
              f"{col('workers', 'peak_mb')} | {col('workers', 'rss_mb')} | "
              f"{','.join(res['trim_env'])} | {'yes' if equal else 'NO'} |", flush=True)
        assert equal, "Dask result differs from the in-process result"
    return medians


def parent(args) -> None:
    n = args.samples
    print(f"# Monte Carlo TOPSIS {args.alternatives} x {args.criteria}, {n:,} samples, "
          f"spread {SPREAD}, seed {args.seed}, repeats {args.repeats}")
    print(f"machine: {_machine()}\n", flush=True)

    local = _spawn(args, "inprocess", args.timeout)
    if "error" in local:
        sys.exit(f"in-process run failed: {local['error']}")
    ref = local["digest"]
    print("## In process (monte_carlo, no scheduler)")
    print("| threads | times s | median s | samples/s | CPU s (process) |")
    print("|--:|--|--:|--:|--|")
    for key in sorted(k for k in local if k.startswith("threads_")):
        med = _median(local[key])
        cpu = local["cpu_" + key.split("_")[1]]
        print(f"| {key.split('_')[1]} | {_fmt_times(local[key])} | {med:.2f} | "
              f"{n / med:,.0f} | {_fmt_times(cpu)} |")
    print(f"peak RSS of the process {local['peak_mb']:.0f} MB (after imports and setup "
          f"{local['baseline_peak_mb']:.0f} MB)\n", flush=True)

    print("## LocalCluster(threads_per_worker=1, processes=True, memory_limit=auto)")
    one_thread = _median(local["threads_1"])
    medians = _cluster_table(args, ref, one_thread, no_trim=False)
    if 1 in medians and 2 in medians:
        eff = medians[1] / (2 * medians[2])
        print(f"\nscaling 1 -> 2 workers: speed-up {medians[1] / medians[2]:.2f}, "
              f"efficiency T1/(2 T2) = {eff:.2f}")
    if 2 in medians and "threads_2" in local:
        print(f"2 workers vs in process with 2 threads: "
              f"{_median(local['threads_2']) / medians[2]:.2f} (>1: Dask faster)")
    print(flush=True)

    if args.trim_probe:
        print("## Allocator probe: MALLOC_TRIM_THRESHOLD_=65536 (what dask's nanny sets)")
        trimmed = _spawn(args, "inprocess", args.timeout, env={"MALLOC_TRIM_THRESHOLD_": "65536"})
        if "error" in trimmed:
            print(f"in process with the variable: failed: {trimmed['error']}")
        else:
            for key in sorted(k for k in trimmed if k.startswith("threads_")):
                med = _median(trimmed[key])
                cpu = _fmt_times(trimmed["cpu_" + key.split("_")[1]])
                print(f"in process, {key.split('_')[1]} thread(s), with the variable: "
                      f"{_fmt_times(trimmed[key])} s (CPU {cpu} s), median {med:.2f} s "
                      f"(without: {_median(local[key]):.2f} s), equal: "
                      f"{'yes' if trimmed['digest'] == ref else 'NO'}")
        print("\nLocalCluster with the variable removed from pre-spawn-environ:")
        untrimmed = _cluster_table(args, ref, one_thread, no_trim=True)
        if 1 in untrimmed and 2 in untrimmed:
            eff = untrimmed[1] / (2 * untrimmed[2])
            print(f"\nscaling 1 -> 2 workers without the variable: speed-up "
                  f"{untrimmed[1] / untrimmed[2]:.2f}, efficiency T1/(2 T2) = {eff:.2f}")
        print(flush=True)

    if args.memory_limits:
        print(f"## Memory limit sweep ({args.sweep_workers} worker(s), 1 run each, "
              f"limit {args.sweep_timeout:g} s)")
        print("| memory_limit | completed | seconds | equal | peak RSS per worker MB "
              "| RSS before 1st task MB | RSS after warm-up MB | note |")
        print("|--|--|--:|--|--|--|--|--|")
        for limit in args.memory_limits:
            res = _spawn(args, "cluster", args.sweep_timeout + 90, n_workers=args.sweep_workers,
                         memory_limit=limit, repeats=1, run_timeout=args.sweep_timeout)
            ok = not res.get("error") and bool(res.get("times"))
            equal = ok and all(d == ref for d in res["digests"])
            peaks = "/".join(f"{w['peak_mb']:.0f}" for w in res.get("workers", []))
            warm = "/".join(f"{w['rss_mb']:.0f}" for w in res.get("after_warmup", []))
            note = res.get("error", "") or ("worker restarted" if res.get("restarted") else "")
            secs = f"{res['times'][0]:.2f}" if ok else "-"
            before = "/".join(f"{w['rss_mb']:.0f}" for w in res.get("before_warmup", []))
            print(f"| {limit} ({_parse_mb(limit):.0f} MiB) | {'yes' if ok else 'no'} | {secs} "
                  f"| {'yes' if equal else '-'} | {peaks or '-'} | {before or '-'} | "
                  f"{warm or '-'} | {note} |",
                  flush=True)
        print()

    if args.keep_probe:
        res = _spawn(args, "keep", args.timeout)
        print("## Materialized samples (in process, keep_samples=True)")
        if "error" in res:
            print(f"failed: {res['error']}")
        else:
            print(f"{res['seconds']:.2f} s, arrays held {res['held_mb']:.0f} MB, peak RSS "
                  f"{res['peak_mb']:.0f} MB (before the run {res['baseline_peak_mb']:.0f} MB), "
                  f"histogram equal: {'yes' if res['digest'] == ref else 'NO'}")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=1_000_000)
    ap.add_argument("--alternatives", type=int, default=250)
    ap.add_argument("--criteria", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per configuration")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, 2], help="LocalCluster sizes, comma separated")
    ap.add_argument("--memory-limits", type=lambda s: [x for x in s.split(",") if x],
                    default=["128MiB", "192MiB", "256MiB", "384MiB", "512MiB", "1GiB"],
                    help="memory_limit values for the sweep, comma separated ('' skips it)")
    ap.add_argument("--sweep-workers", type=int, default=2)
    ap.add_argument("--sweep-timeout", type=float, default=120.0,
                    help="seconds one sweep run may take")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds one configuration (child process) may take")
    ap.add_argument("--run-timeout", type=float, default=300.0, help=argparse.SUPPRESS)
    ap.add_argument("--no-keep-probe", dest="keep_probe", action="store_false")
    ap.add_argument("--no-trim-probe", dest="trim_probe", action="store_false",
                    help="skip the MALLOC_TRIM_THRESHOLD_ probe")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 40,000 samples, 50 x 10, 1 repeat, two limits")
    ap.add_argument("--child", choices=list(CHILDREN), help=argparse.SUPPRESS)
    ap.add_argument("--n-workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--memory-limit", default="auto", help=argparse.SUPPRESS)
    ap.add_argument("--no-trim", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)), flush=True)
        return
    if args.quick:
        args.samples, args.alternatives, args.criteria, args.repeats = 40_000, 50, 10, 1
        args.memory_limits = ["256MiB", "1GiB"]
        args.sweep_timeout, args.timeout = 60.0, 180.0
    parent(args)


if __name__ == "__main__":
    main()
