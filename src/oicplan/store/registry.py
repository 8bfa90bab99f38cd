"""The registry of established centers: list and add centers, store KPI values and targets.

A :class:`Registry` wraps one database (see :mod:`oicplan.store.db`). Every
method opens its own transaction; :meth:`Registry.replace_kpi_values` writes a
whole batch in one, so a failing batch, or a process killed during it, changes
nothing. Writers in several processes at once queue one after the other
(:meth:`Registry.session` with ``write=True``) and lose nothing.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     reg = Registry("sqlite:///" + os.path.join(d, "r.sqlite"))
...     seeded = len(reg.list_centers())
...     c = reg.add_center(name="Zhejiang-Hungary Joint Lab", iso3="hun", mode="joint_lab")
...     added = len(reg.list_centers()) - seeded
...     reg.engine.dispose()
>>> seeded > 0, added, c["id"], c["iso3"]
(True, 1, 'zhejiang-hungary-joint-lab', 'HUN')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oicplan.errors import InputError
from oicplan.store.db import database_errors, open_engine, resolve_database_url, write_engine
from oicplan.store.models import Center, KpiTarget, KpiValue
from oicplan.store.seed import MODES, slugify

__all__ = ["Registry", "ID_PATTERN", "FIRST_YEAR", "check_site_id"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
FIRST_YEAR = 1990
"""Earliest year accepted for KPI values and targets."""

_TEXT_LIMITS = {"name": 300, "name_zh": 300, "host_city": 200, "operator": 300}


def _iso3_known(code: str) -> bool:
    try:
        import pycountry
    except ImportError:  # pycountry is a project dependency; stay usable without it
        return True
    return pycountry.countries.get(alpha_3=code) is not None


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    limit = _TEXT_LIMITS.get(field)
    if limit and len(text) > limit:
        raise InputError(f"longer than {limit} characters", field=field)
    return text or None


def _lock_against_writers(session: Session, table: str) -> None:
    """PostgreSQL: hold ``table`` against other writers until this transaction ends.

    A replace is "delete the key, insert it": two transactions doing it for the same
    key at once would both find nothing to delete, and the second insert would break
    the unique constraint (or, for a target of every year, whose ``year`` is null,
    store two). SHARE ROW EXCLUSIVE lets readers go on and queues writers. SQLite
    needs nothing here: the session began with ``BEGIN IMMEDIATE``.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))


def _candidate_sites() -> dict[str, str]:
    """``site_id -> iso3`` of the embedded candidate sites."""
    from oicplan.data.dataset import load_dataset  # the dataset is only needed here

    sites = load_dataset().sites
    return dict(zip(sites["site_id"].astype(str), sites["iso3"].astype(str), strict=True))


def check_site_id(
    site_id: str, iso3: str | None = None, sites: dict[str, str] | None = None
) -> str:
    """The candidate site id as the dataset spells it, checked against the center's country.

    Parameters
    ----------
    site_id : str
        Id of a candidate site (``oicplan.data.load_dataset().sites``), e.g.
        ``DEU-raunheim``; letter case is not significant.
    iso3 : str, optional
        The center's host country; the site must lie in it.
    sites : dict, optional
        ``site_id -> iso3``; the embedded candidate sites by default.

    Raises
    ------
    InputError
        Field ``site_id``: unknown id (with the closest ids as a hint) or a site
        in another country than ``iso3``.

    >>> check_site_id("deu-raunheim", "DEU", {"DEU-raunheim": "DEU"})
    'DEU-raunheim'
    >>> try:
    ...     check_site_id("DEU-raunhiem", sites={"DEU-raunheim": "DEU"})
    ... except InputError as err:
    ...     print(err.field, "|", err.message)
    site_id | unknown site id 'DEU-raunhiem'; did you mean DEU-raunheim?
    """
    import difflib

    known = _candidate_sites() if sites is None else sites
    text = str(site_id).strip()
    by_lower = {s.lower(): s for s in known}
    canonical = by_lower.get(text.lower())
    if canonical is None:
        close = difflib.get_close_matches(text.lower(), list(by_lower), n=3, cutoff=0.6)
        country = (iso3 or "").strip().upper()
        in_country = sorted(s for s, code in known.items() if country and code == country)
        if close:
            hint = f"; did you mean {', '.join(by_lower[c] for c in close)}?"
        elif in_country:
            more = ", ..." if len(in_country) > 8 else ""
            hint = f"; candidate sites in {country}: {', '.join(in_country[:8])}{more}"
        else:
            hint = "; ids look like DEU-raunheim ('oicplan rank --top 500 --json' lists them)"
        raise InputError(f"unknown site id {text!r}{hint}", field="site_id")
    if iso3 and known[canonical] != iso3.strip().upper():
        raise InputError(
            f"site {canonical} is in {known[canonical]}, not in the center's country "
            f"{iso3.strip().upper()}",
            field="site_id",
        )
    return canonical


class Registry:
    """Access to the centers, KPI values and KPI targets in one database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; ``$OICPLAN_DATABASE_URL`` or the default SQLite file
        when omitted. The schema is migrated (and seeded) on first use.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_database_url(url)
        self.engine: Engine = open_engine(self.url)

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        ``write=True``: on SQLite the transaction takes the write lock at its start
        (:func:`oicplan.store.db.write_engine`), so writers of several processes
        queue and what a writer checked (an id is free, a center exists) still
        holds when it commits. A process killed in between leaves nothing of it.
        """
        engine = write_engine(self.engine) if write else self.engine
        with database_errors(self.engine.url), Session(engine) as session, session.begin():
            yield session

    # -- centers ---------------------------------------------------------
    def list_centers(self, mode: str | None = None, iso3: str | None = None) -> list[dict]:
        """Centers as dictionaries, sorted by id, optionally filtered.

        Returns
        -------
        list of dict
            Keys as in :data:`oicplan.store.models.CENTER_COLUMNS`.
        """
        stmt = select(Center).order_by(Center.id)
        if mode:
            stmt = stmt.where(Center.mode == mode)
        if iso3:
            stmt = stmt.where(Center.iso3 == iso3.strip().upper())
        with self.session() as s:
            return [c.to_dict() for c in s.scalars(stmt)]

    def center_ids(self) -> set[str]:
        """Ids of all centers."""
        with self.session() as s:
            return set(s.scalars(select(Center.id)))

    def get_center(self, center_id: str) -> dict | None:
        """One center as a dictionary, or None."""
        with self.session() as s:
            center = s.get(Center, center_id)
            return None if center is None else center.to_dict()

    def add_center(
        self,
        *,
        name: str,
        iso3: str,
        mode: str,
        id: str | None = None,  # noqa: A002 - the column is called id
        name_zh: str | None = None,
        host_city: str | None = None,
        operator: str | None = None,
        opening_year: int | None = None,
        partners: str | None = None,
        source: str | None = None,
        status: str | None = None,
        site_id: str | None = None,
    ) -> dict:
        """Validate and insert a center; the id defaults to a slug of the name.

        ``site_id`` links the center to a candidate site of the dataset (see
        :func:`check_site_id`); it is optional.

        Raises
        ------
        InputError
            Naming the field: empty name, unknown ISO3 code, unknown mode,
            malformed or taken id, opening year outside 1900..current year,
            unknown site id or a site in another country.
        """
        name_text = _text(name, "name")
        if not name_text:
            raise InputError("a center needs a name", field="name")
        center_id = (id or slugify(name_text)).strip()
        if not ID_PATTERN.match(center_id):
            raise InputError(
                f"use lower-case letters, digits and '-' (max 80), got {center_id!r}", field="id"
            )
        code = (iso3 or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code) or not _iso3_known(code):
            raise InputError(f"not an ISO 3166 alpha-3 country code: {iso3!r}", field="iso3")
        if mode not in MODES:
            raise InputError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}", field="mode")
        year = None
        if opening_year is not None:
            year = int(opening_year)
            if not 1900 <= year <= _dt.date.today().year:
                raise InputError(f"not a plausible opening year: {year}", field="opening_year")
        site = None
        if site_id is not None and str(site_id).strip():
            site = check_site_id(site_id, code)
        center = Center(
            id=center_id,
            name=name_text,
            name_zh=_text(name_zh, "name_zh"),
            host_city=_text(host_city, "host_city"),
            iso3=code,
            mode=mode,
            operator=_text(operator, "operator"),
            opening_year=year,
            opening_year_text=None if year is None else str(year),
            partners=_text(partners, "partners"),
            type_text=None,
            status=_text(status, "status"),
            source=_text(source, "source"),
            as_of=_dt.date.today().isoformat(),
            site_id=site,
        )
        taken = InputError(f"a center with id {center_id!r} exists already", field="id")
        try:
            with self.session(write=True) as s:
                if s.get(Center, center_id) is not None:
                    raise taken
                s.add(center)
                s.flush()
                return center.to_dict()
        except IntegrityError:
            # PostgreSQL: another process added the same id after the check above.
            raise taken from None

    def set_site(self, center_id: str, site_id: str | None) -> dict:
        """Link a center to a candidate site (checked as in :func:`check_site_id`); None unlinks.

        Raises
        ------
        InputError
            Unknown center (field ``center_id``); unknown site or a site in
            another country than the center's (field ``site_id``).
        """
        with self.session(write=True) as s:
            center = s.get(Center, center_id)
            if center is None:
                raise InputError(f"unknown center id {center_id!r}", field="center_id")
            if site_id is None or not str(site_id).strip():
                center.site_id = None
            else:
                center.site_id = check_site_id(site_id, center.iso3)
            s.flush()
            return center.to_dict()

    # -- KPI values and targets -------------------------------------------
    def replace_kpi_values(
        self,
        rows: Iterable[Any],
        check: Callable[[Session, Any], dict] | None = None,
    ) -> int:
        """Write KPI values in one transaction, replacing values of the same key.

        Parameters
        ----------
        rows : iterable
            Dictionaries with ``center_id, year, kpi, value, unit``, or raw
            rows that ``check`` turns into such dictionaries.
        check : callable, optional
            ``check(session, row) -> dict``, called row by row inside the
            transaction; an exception it raises rolls back everything.

        Returns
        -------
        int
            Number of values written.

        Notes
        -----
        Two processes importing at once both succeed, one after the other: on
        SQLite the transaction holds the write lock from its start, on PostgreSQL
        it locks the table against other writers (readers go on), so two imports
        replacing the same key never clash.
        """
        count = 0
        with self.session(write=True) as s:
            _lock_against_writers(s, KpiValue.__tablename__)
            for raw in rows:
                row = check(s, raw) if check else dict(raw)
                s.execute(
                    delete(KpiValue).where(
                        KpiValue.center_id == row["center_id"],
                        KpiValue.year == row["year"],
                        KpiValue.kpi == row["kpi"],
                    )
                )
                s.add(
                    KpiValue(**{k: row[k] for k in ("center_id", "year", "kpi", "value", "unit")})
                )
                # Flush per row so a database error points at the row that caused it.
                s.flush()
                count += 1
        return count

    def kpi_values(self, center_id: str | None = None) -> list[dict]:
        """KPI values sorted by center, KPI and year."""
        stmt = select(KpiValue).order_by(KpiValue.center_id, KpiValue.kpi, KpiValue.year)
        if center_id:
            stmt = stmt.where(KpiValue.center_id == center_id)
        with self.session() as s:
            return [
                {
                    "center_id": v.center_id,
                    "year": v.year,
                    "kpi": v.kpi,
                    "value": float(v.value),
                    "unit": v.unit,
                }
                for v in s.scalars(stmt)
            ]

    def set_target(self, center_id: str, kpi: str, target: float, year: int | None = None) -> dict:
        """Set (or replace) a KPI target; ``year`` None means every year.

        KPI names are checked by the caller (:mod:`oicplan.monitor.kpis`); here
        the center must exist, the target must be a non-negative number and a
        target year must not lie before the center's opening year.
        """
        try:
            value = float(target)
        except (TypeError, ValueError):
            raise InputError(f"not a number: {target!r}", field="target") from None
        if not value >= 0:
            raise InputError(f"must be zero or more, got {target!r}", field="target")
        if year is not None and not FIRST_YEAR <= int(year) <= _dt.date.today().year + 30:
            raise InputError(f"year out of range: {year}", field="year")
        with self.session(write=True) as s:
            _lock_against_writers(s, KpiTarget.__tablename__)
            center = s.get(Center, center_id)
            if center is None:
                raise InputError(f"unknown center id {center_id!r}", field="center_id")
            if year is not None and center.opening_year and int(year) < center.opening_year:
                raise InputError(
                    f"year {year} is before the center's opening year {center.opening_year}",
                    field="year",
                )
            cond = KpiTarget.year.is_(None) if year is None else KpiTarget.year == int(year)
            s.execute(
                delete(KpiTarget).where(
                    KpiTarget.center_id == center_id, KpiTarget.kpi == kpi, cond
                )
            )
            s.add(KpiTarget(center_id=center_id, kpi=kpi, year=year, target=value))
        return {"center_id": center_id, "kpi": kpi, "year": year, "target": value}

    def targets(self, center_id: str | None = None) -> list[dict]:
        """KPI targets sorted by center and KPI."""
        stmt = select(KpiTarget).order_by(KpiTarget.center_id, KpiTarget.kpi, KpiTarget.year)
        if center_id:
            stmt = stmt.where(KpiTarget.center_id == center_id)
        with self.session() as s:
            return [
                {"center_id": t.center_id, "kpi": t.kpi, "year": t.year, "target": float(t.target)}
                for t in s.scalars(stmt)
            ]

    def dispose(self) -> None:
        """Close the connection pool (tests and long-running processes)."""
        self.engine.dispose()
