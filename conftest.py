"""Keep every test and doctest away from the developer's own registry and stores.

The registry and the enterprise store default to folders in the home directory;
a test run must neither read what is there (real centres, imported enterprises)
nor change it. The transport-graph cache is left alone: it is disposable, keyed by
code and environment, and rebuilt when it does not load (``.ci/run`` starts CI
with an empty one).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_folders(monkeypatch, tmp_path_factory):
    monkeypatch.delenv("OICPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OICPLAN_DATA_DIR", str(tmp_path_factory.mktemp("oicplan-data")))
