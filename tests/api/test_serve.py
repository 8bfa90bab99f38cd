"""``oicplan serve`` serves the API: started on a free loopback port, asked, stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_health_and_stops(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "OICPLAN_DATA_DIR": str(tmp_path / "data"),
        "OICPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
    }
    env.pop("OICPLAN_SECRET_KEY", None)
    oicplan = Path(sys.executable).parent / "oicplan"
    server = subprocess.Popen(
        [str(oicplan), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert body["status"] == "ok"
        # The token secret was generated into the data folder, readable by its owner only.
        assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode is not None
