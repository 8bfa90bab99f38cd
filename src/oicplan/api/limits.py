"""A small in-process limiter of failed sign-ins (per user name and client, and per client).

After ``per_name`` failures (5) for one user name from one client within
``window`` seconds (60), that pair is refused until the oldest failure is older
than the window; after ``per_client`` failures (20) from one client, whatever the
names, the client is. A successful sign-in clears its pair. The limiter lives
in the server process: several worker processes each count on their own.

>>> clock = iter(range(100)).__next__
>>> limiter = LoginLimiter(per_name=2, window=10, clock=clock)
>>> limiter.retry_after("mei", "10.0.0.1") is None
True
>>> limiter.failed("mei", "10.0.0.1"); limiter.failed("mei", "10.0.0.1")
>>> limiter.retry_after("mei", "10.0.0.1") > 0, limiter.retry_after("an", "10.0.0.1")
(True, None)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["LoginLimiter"]

_MAX_KEYS = 50_000


class LoginLimiter:
    """Counts failed sign-ins and says how long a name and client must wait."""

    def __init__(
        self,
        per_name: int = 5,
        window: float = 60.0,
        per_client: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_name = per_name
        self.window = float(window)
        self.per_client = per_client
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._clients: dict[str, deque[float]] = {}

    def _recent(self, times: deque[float] | None, now: float) -> deque[float] | None:
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _wait(self, times: deque[float] | None, limit: int, now: float) -> float | None:
        times = self._recent(times, now)
        if times is None or len(times) < limit:
            return None
        return max(times[-limit] + self.window - now, 0.001)

    def retry_after(self, name: str, client: str) -> float | None:
        """Seconds until ``name`` may try again from ``client``; None: now."""
        with self._lock:
            now = self._clock()
            waits = [
                self._wait(self._failures.get((name, client)), self.per_name, now),
                self._wait(self._clients.get(client), self.per_client, now),
            ]
        found = [wait for wait in waits if wait is not None]
        return max(found) if found else None

    def failed(self, name: str, client: str) -> None:
        """Count a failed sign-in."""
        with self._lock:
            now = self._clock()
            if len(self._failures) > _MAX_KEYS or len(self._clients) > _MAX_KEYS:
                self._prune(now)
            self._failures.setdefault((name, client), deque()).append(now)
            self._clients.setdefault(client, deque()).append(now)

    def succeeded(self, name: str, client: str) -> None:
        """Forget the failures of this name from this client."""
        with self._lock:
            self._failures.pop((name, client), None)

    def _prune(self, now: float) -> None:
        for pair in [key for key, times in self._failures.items() if not self._recent(times, now)]:
            del self._failures[pair]
        for client in [key for key, times in self._clients.items() if not self._recent(times, now)]:
            del self._clients[client]
