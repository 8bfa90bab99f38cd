"""Keep pytest's doctest collection out of the Alembic scripts.

``migrations/env.py`` only runs inside Alembic, and the revision files are not
importable module names, so importing them for doctests would fail.
"""

collect_ignore = ["migrations"]
