"""Who each signed-in user is *now*, for the API's guard and the pages alike.

A bearer token or a page session names the role the user had when signing in; an
admin may since have changed the role, disabled or deleted the user. Every
guarded API request and every page checks the users table through
:class:`AccountCheck`, a small per-app cache.

>>> check = AccountCheck(ttl=60)
>>> check.forget("nobody")  # nothing cached yet: nothing to drop
"""

from __future__ import annotations

import threading
import time
from typing import Any

__all__ = ["AccountCheck", "account_check"]


class AccountCheck:
    """Who each signed-in user is *now*: their current role, or None if disabled or deleted.

    A token or session names the role the user had when signing in; an admin may
    since have changed the role, disabled or deleted the user. Every guarded
    request is checked against the users table, through this small per-app cache
    that keeps each answer ``ttl`` seconds (so a busy page does not read the table
    on every call). The users routes call :meth:`forget` after a change, so in
    this server a change takes effect at once; other servers sharing the
    database see it within ``ttl`` seconds.
    """

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._entries: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def role_of(self, database_url: str, name: str) -> str | None:
        """The user's current role; None when there is no such user or it is disabled."""
        key = (database_url, name)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        from oicplan.errors import NotFoundError
        from oicplan.services.users import GetUserRequest, get_user

        try:
            user = get_user(GetUserRequest(database_url=database_url, name=name)).user
            role: str | None = user.role if user.active else None
        except NotFoundError:
            role = None
        with self._lock:
            self._entries[key] = (now, role)
        return role

    def forget(self, name: str | None = None) -> None:
        """Drop the cached answer for ``name`` (every user when None)."""
        with self._lock:
            if name is None:
                self._entries.clear()
            else:
                for key in [key for key in self._entries if key[1] == name]:
                    del self._entries[key]


def account_check(request: Any) -> AccountCheck:
    """The app's :class:`AccountCheck` (made on first use)."""
    check = getattr(request.app.state, "account_check", None)
    if check is None:
        check = request.app.state.account_check = AccountCheck()
    return check  # type: ignore[no-any-return]


