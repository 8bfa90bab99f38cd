"""Benchmark the uncertainty module (run by hand: python benchmarks/sensitivity_mc.py).

1. Monte Carlo with TOPSIS, 100,000 weight vectors x 250 sites x 40 criteria,
   against pymcdm's TOPSIS called once per weight vector (timed on a subsample
   in the same run and extrapolated).
2. The same Monte Carlo end to end through ``oicplan sensitivity --matrix ...
   --json`` in a subprocess.
3. Sobol' indices of 250 sites (N = 1024, 40 weights): the vectorized
   estimators against ``SALib.analyze.sobol.analyze`` once per site, with the
   same bootstrap: every site timed by default (about 5 s, 20 s with 100
   resamples); ``--salib-sites K`` times K sites and extrapolates, and says so.

Options: --samples, --sites, --criteria, --subsample, --sobol-n, --salib-sites,
--no-sobol.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from oicplan.uncertainty import monte_carlo, prepare, saltelli_indices
from oicplan.uncertainty.ranks import competition_ranks


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal"))
        mem = f"{mem_kb / 1024**2:.1f} GiB"
    except (OSError, StopIteration):
        mem = "unknown memory"
    return (f"nproc={os.cpu_count()}, CPU={cpu}, memory={mem}, "
            f"Python {platform.python_version()}, numpy {np.__version__}")


def _problem(m: int, n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 100.0, size=(m, n))
    weights = rng.uniform(0.5, 1.5, size=n)
    types = ["max" if j % 3 else "min" for j in range(n)]
    return matrix, weights / weights.sum(), types


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS: threadpoolctl not installed"
    libs = [f"{d.get('internal_api')} {d.get('version')} kernel {d.get('architecture')} "
            f"({d.get('num_threads')} threads)" for d in threadpool_info()
            if d.get("user_api") == "blas"]
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                      "OPENBLAS_NUM_THREADS") if k in os.environ}
    return f"BLAS: {'; '.join(libs) or 'none found'}; env {env or '{}'}"


def _floor(matrix, weights, types, samples: int) -> float:
    """Seconds for the unavoidable work: draw the weights, the two matrix
    products of TOPSIS, and one sort of every score row, chunk by chunk."""
    from threadpoolctl import threadpool_limits

    from oicplan.uncertainty.montecarlo import DEFAULT_CHUNK_SIZE

    setup = prepare(matrix, weights, types, "topsis")
    n = setup.nmatrices[0, 0]
    plus, minus = ((n - n.max(axis=0)) ** 2).T, ((n - n.min(axis=0)) ** 2).T
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, samples, DEFAULT_CHUNK_SIZE):
            size = min(DEFAULT_CHUNK_SIZE, samples - start)
            w = setup.base_weights * (1 + 0.2 * rng.uniform(-1, 1, (size, n.shape[1])))
            w2 = w * w
            w2 @ plus
            np.sort(w2 @ minus, axis=1)
    return time.perf_counter() - t0


def bench_monte_carlo(args, matrix, weights, types) -> float:
    ours = cpu = float("inf")
    for _ in range(3):  # best of 3: the machine is shared
        t0, c0 = time.perf_counter(), time.process_time()
        res = monte_carlo(matrix, weights, types, method="topsis", samples=args.samples,
                          spread=0.2, seed=1)
        ours = min(ours, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    floor = min(_floor(matrix, weights, types, args.samples) for _ in range(3))
    print(f"oicplan monte_carlo: {args.samples} x {matrix.shape[0]} sites x "
          f"{matrix.shape[1]} criteria: {ours:.2f} s wall, {cpu:.2f} s CPU "
          f"(median rank of site 1: {res.median_rank[0]:g}); floor (weights, two "
          f"GEMMs, one sort per row, one thread): {floor:.2f} s -> {ours / floor:.1f}x it")

    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    setup = prepare(matrix, weights, types, "topsis")
    sample = monte_carlo(setup, samples=args.subsample, spread=0.2, seed=1, keep_samples=True)
    body = TOPSIS(normalization_function=vector_normalization)
    signs = np.array([1 if t == "max" else -1 for t in types])
    t0, c0 = time.perf_counter(), time.process_time()
    ranks = np.empty((args.subsample, matrix.shape[0]), dtype=np.int32)
    for i, w in enumerate(sample.weights):
        pref = body(matrix, w, signs)
        ranks[i] = competition_ranks(pref)[0]
    loop, loop_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert np.array_equal(ranks, sample.ranks), "pymcdm and oicplan ranks differ"
    extrapolated = loop / args.subsample * args.samples
    extrapolated_cpu = loop_cpu / args.subsample * args.samples
    print(f"pymcdm TOPSIS loop: {args.subsample} vectors in {loop:.2f} s wall, "
          f"{loop_cpu:.2f} s CPU -> {extrapolated:.1f} s wall for {args.samples} "
          f"(extrapolated); ratio {extrapolated / ours:.0f}x wall, "
          f"{extrapolated_cpu / cpu:.0f}x CPU; ranks identical on the subsample")
    return extrapolated


def bench_cli(args, matrix, types, pymcdm_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.csv"
        header = "site," + ",".join(f"c{j + 1}" for j in range(matrix.shape[1]))
        rows = [f"s{i + 1}," + ",".join(f"{x:.6f}" for x in row)
                for i, row in enumerate(matrix)]
        path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        code = ("import typer; from oicplan.cli.sensitivity import sensitivity; "
                "typer.run(sensitivity)")
        cmd = [sys.executable, "-c", code, "--matrix", str(path), "--method", "topsis",
               "--types", ",".join(types), "--samples", str(args.samples), "--seed", "1",
               "--json"]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
    print(f"subprocess 'oicplan sensitivity --matrix' ({args.samples} samples, "
          f"{len(out.stdout)} bytes of JSON): {wall:.2f} s wall; vs pymcdm loop "
          f"{pymcdm_seconds / wall:.0f}x")


def bench_sobol(args) -> None:
    from SALib.analyze import sobol as salib_analyze

    m, d, n = args.sites, args.criteria, args.sobol_n
    timed = m if args.salib_sites is None else min(args.salib_sites, m)
    rng = np.random.default_rng(5)
    y = rng.normal(size=(n * (d + 2), m)).cumsum(axis=0)
    problem = {"num_vars": d, "names": [f"w{j}" for j in range(d)], "bounds": [[0, 1]] * d}
    for resamples in (0, 100):
        t0 = time.perf_counter()
        ours = saltelli_indices(y, d, num_resamples=resamples, seed=7)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(timed):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = salib_analyze.analyze(problem, y[:, i], calc_second_order=False,
                                            num_resamples=max(resamples, 2), seed=7)
            assert np.allclose(ref["S1"], ours["S1"][i], atol=1e-10)
            assert np.allclose(ref["ST"], ours["ST"][i], atol=1e-10)
        t_salib = (time.perf_counter() - t0) / timed * m
        how = "timed whole" if timed == m else f"extrapolated from {timed} sites"
        label = f"bootstrap {resamples}" if resamples else "no CI (SALib: 2 resamples)"
        print(f"Sobol' {m} sites, N={n}, D={d}, {label}: vectorized {t_ours:.2f} s, SALib "
              f"per site {t_salib:.1f} s ({how}); "
              f"ratio {t_salib / t_ours:.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=250)
    parser.add_argument("--criteria", type=int, default=40)
    parser.add_argument("--subsample", type=int, default=2_000)
    parser.add_argument("--sobol-n", type=int, default=1024)
    parser.add_argument("--salib-sites", type=int, default=None,
                        help="SALib on this many sites, extrapolated (default: all, timed whole)")
    parser.add_argument("--no-sobol", action="store_true", help="skip the Sobol' part")
    args = parser.parse_args()
    print(_machine())
    print(_blas())
    matrix, weights, types = _problem(args.sites, args.criteria)
    pymcdm_seconds = bench_monte_carlo(args, matrix, weights, types)
    bench_cli(args, matrix, types, pymcdm_seconds)
    if not args.no_sobol:
        bench_sobol(args)


if __name__ == "__main__":
    main()
