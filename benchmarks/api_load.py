"""Loopback load on the REST API, and the dashboard's slider-to-ranking time in Chromium.

Run by hand: ``.venv/bin/python benchmarks/api_load.py`` (``--help`` for the knobs).
Issue 10's goals: under 20 concurrent clients the p95 latency of
``GET /api/rankings?scenario=zhejiang`` is within 5x the p95 of ``GET /api/health``
on the same server; after a slider move the dashboard shows the new ranking
within 200 ms.

What it does, in one run:

1. Starts the real server, ``python -m oicplan serve`` (uvicorn with its default
   settings: ONE worker process, one asyncio event loop, the app's plain ``def``
   routes such as ``/api/rankings`` run in AnyIO's thread pool of 40 threads),
   on a free loopback port with a fresh SQLite database, data folder and secret.
2. Signs in (``POST /api/auth/token``) and warms up both endpoints (the first
   ranking of the built-in scenario is computed once per process and kept).
3. Load: ``--clients`` asyncio tasks (one httpx connection each) call one
   endpoint back to back for ``--seconds``; health and ranking phases alternate
   ``--rounds`` times so that a change in the machine's load hits both alike.
   Reports p50/p95/max latency, throughput and errors per endpoint, and the
   ratio p95(ranking) / p95(health).
4. Slider (Chromium via playwright, Debian's ``/usr/bin/chromium``): signs in to
   the dashboard and moves a weight slider ``--slider-samples`` times to weights
   never asked before (the server must re-rank), then to weights already seen
   (the page's own cache); each time from just before the slider's ``input``
   event (``performance.now()``) until the ranking table has been redrawn for
   those weights, and the next animation frame (when it is painted). The page's
   debounce (40 ms) is part of the time.
   ``--server-rerank`` also times ``GET /api/rankings`` with new weights alone.

The client and the server share the machine's cores: on 2 cores the load
generator takes a large part of one core, so the throughputs are a lower bound.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PASSWORD = "benchmark password 42"
USER = "bench"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# ------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(folder: Path):
    """``python -m oicplan serve`` on a free port with a fresh database; yields its base URL."""
    from oicplan.services.users import AddUserRequest, add_user

    database_url = f"sqlite:///{folder / 'bench.sqlite'}"
    add_user(AddUserRequest(database_url=database_url, name=USER, role="editor",
                            password=PASSWORD))
    env = {k: v for k, v in os.environ.items() if k != "OICPLAN_INSECURE_COOKIES"}
    env.update(OICPLAN_DATA_DIR=str(folder / "data"), OICPLAN_DATABASE_URL=database_url,
               OICPLAN_SECRET_KEY=secrets.token_urlsafe(48), MPLBACKEND="Agg")
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "oicplan", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit("the server exited:\n" + (folder / "server.log").read_text())
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start in 120 s") from None
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# --------------------------------------------------------------------------------- load


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        if not ordered:
            return {"requests": 0, "errors": self.errors}
        return {
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": 1000 * _quantile(ordered, 0.50),
            "p95_ms": 1000 * _quantile(ordered, 0.95),
            "max_ms": 1000 * ordered[-1],
            "per_s": len(ordered) / self.seconds,
        }


def _quantile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values (linear between neighbours, as numpy's default)."""
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def _hammer(url: str, headers: dict[str, str], clients: int, seconds: float,
                  sample: Sample) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as client:
        deadline = time.perf_counter() + seconds

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    answer = await client.get(url)
                    await answer.aread()
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    sample.latencies.append(time.perf_counter() - start)
                else:
                    sample.errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        sample.seconds += time.perf_counter() - started


def load(base: str, token: str, clients: int, seconds: float, rounds: int) -> dict[str, dict]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    targets = {"health": f"{base}/api/health",
               "ranking": f"{base}/api/rankings?scenario=zhejiang"}
    for url in targets.values():  # warm-up: the first ranking is computed here
        httpx.get(url, headers=headers, timeout=300).raise_for_status()
    samples = {name: Sample() for name in targets}
    for _ in range(rounds):
        for name, url in targets.items():
            asyncio.run(_hammer(url, headers, clients, seconds / rounds, samples[name]))
    return {name: sample.summary() for name, sample in samples.items()}


# ------------------------------------------------------------------------------- slider

_MEASURE = """
async ([pillar, value]) => {
  const slider = document.getElementById("weight-" + pillar);
  const status = document.getElementById("rerank-status");
  const body = document.getElementById("ranking-body");
  return await new Promise((resolve) => {
    let start = 0;
    const observer = new MutationObserver(() => {
      // The table was redrawn (dashboard.js writes the status just after, in the same task).
      observer.disconnect();
      const drawn = performance.now() - start;
      requestAnimationFrame(() => resolve({
        ms: performance.now() - start, drawn_ms: drawn, page_ms: Number(status.dataset.ms),
        state: status.dataset.state, rows: body.children.length }));
    });
    observer.observe(body, { childList: true });
    start = performance.now();
    slider.value = String(value);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
"""


def slider(base: str, samples: int) -> dict[str, dict]:
    """Slider move to new ranking on screen, in ms: new weights, then weights seen before."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("OICPLAN_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base)
        page.goto("/login")
        page.fill("#username", USER)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("#login-submit")
        page.wait_for_selector("#ranking-body tr")
        pillars = page.eval_on_selector_all(
            "#weights-form input[type=range]", "inputs => inputs.map(i => i.dataset.pillar)")
        pillar = pillars[0]
        # Values on the slider's own steps, none equal to the scenario's own weight.
        own, step = page.eval_on_selector(
            f"#weight-{pillar}", "i => [Number(i.value), Number(i.step) || 0.01]")
        values = [round(k * step, 10) for k in range(2, 100, 3)
                  if abs(k * step - own) > step / 2][:samples]
        fresh = [page.evaluate(_MEASURE, [pillar, value]) for value in values]
        again = [page.evaluate(_MEASURE, [pillar, value]) for value in values]
        bad = [run for run in fresh + again if run["state"] != "done" or not run["rows"]]
        if bad:
            raise SystemExit(f"the dashboard did not show a ranking: {bad[0]}")
        browser.close()

    def stats(runs: list[dict]) -> dict[str, float]:
        times = sorted(run["ms"] for run in runs)
        return {"n": len(times), "median_ms": statistics.median(times),
                "p95_ms": _quantile(times, 0.95), "max_ms": times[-1],
                "drawn_median_ms": statistics.median(run["drawn_ms"] for run in runs),
                "page_median_ms": statistics.median(run["page_ms"] for run in runs)}

    return {"new_weights": stats(fresh), "seen_weights": stats(again)}


def server_rerank(base: str, token: str, samples: int) -> dict[str, float]:
    """``GET /api/rankings`` with weights the server has not ranked before, one at a time."""
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    with httpx.Client(headers=headers, timeout=120) as client:
        for step in range(samples):
            weights = json.dumps({"innovation": 0.5 + step / 1000})
            start = time.perf_counter()
            client.get(f"{base}/api/rankings",
                       params={"scenario": "zhejiang", "weights": weights}).raise_for_status()
            times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {"n": samples, "median_ms": statistics.median(times), "max_ms": times[-1]}


# --------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="load time per endpoint (split over the rounds)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--slider-samples", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--server-rerank", type=int, default=5,
                        help="also time this many GET /api/rankings with new weights (0: no)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    results: dict[str, object] = {"cores": os.cpu_count(),
                                  "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="oicplan-bench-") as folder, \
            running_server(Path(folder)) as base:
        answer = httpx.post(f"{base}/api/auth/token",
                            data={"username": USER, "password": PASSWORD}, timeout=60)
        answer.raise_for_status()
        token = answer.json()["access_token"]
        results["load"] = load(base, token, args.clients, args.seconds, args.rounds)
        health, ranking = results["load"]["health"], results["load"]["ranking"]
        results["p95_ratio"] = ranking["p95_ms"] / health["p95_ms"]
        if args.server_rerank:
            results["server_rerank"] = server_rerank(base, token, args.server_rerank)
        if not args.no_browser:
            results["slider"] = slider(base, args.slider_samples)
    results["load_average_after"] = os.getloadavg()

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"cores {results['cores']}, load average before "
          f"{results['load_average_before'][0]:.1f}, after {results['load_average_after'][0]:.1f}")
    print(f"{args.clients} clients, {args.seconds:g} s per endpoint in {args.rounds} rounds")
    print(f"{'endpoint':10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8} {'req/s':>8}")
    for name, row in results["load"].items():
        print(f"{name:10} {row['requests']:8d} {row['errors']:6d} {row['p50_ms']:8.1f} "
              f"{row['p95_ms']:8.1f} {row['max_ms']:8.1f} {row['per_s']:8.1f}")
    print(f"p95(ranking) / p95(health) = {results['p95_ratio']:.2f} (goal <= 5)")
    if "server_rerank" in results:
        rerank = results["server_rerank"]
        print(f"GET /api/rankings with new weights, one client: median "
              f"{rerank['median_ms']:.0f} ms, max {rerank['max_ms']:.0f} ms (n={rerank['n']})")
    if "slider" in results:
        for name, row in results["slider"].items():
            print(f"slider -> ranking on screen, {name.replace('_', ' ')}: median "
                  f"{row['median_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms, max "
                  f"{row['max_ms']:.0f} ms (n={row['n']}; the page's own figure "
                  f"{row['page_median_ms']:.0f} ms) (goal <= 200)")


if __name__ == "__main__":
    main()
