"""Shared fixtures: small input files in the real formats, and service checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from oicplan.data.build import SNAPSHOT_DIR

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def require_service(name: str, available: bool, why: str) -> None:
    """Skip when a system service is missing, or fail when CI says it must be there."""
    if available:
        return
    if os.environ.get("OICPLAN_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required (OICPLAN_REQUIRE_SERVICES=1) but {why}")
    pytest.skip(f"{name} not available: {why}")


POSTGRES_ENV = "OICPLAN_TEST_POSTGRES_URL"


@pytest.fixture(scope="session", autouse=True)
def _own_data_home(tmp_path_factory):
    """The default stores (``XDG_DATA_HOME``) in a folder of this run, never the user's home.

    Under pytest-xdist each worker has its own, so workers never share a store.
    """
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data-home")))
    yield
    patch.undo()


def empty_postgres_url() -> str:
    """The test PostgreSQL server's URL, its ``public`` schema emptied first.

    Every table of every revision goes, whatever an earlier test left behind, so
    the migrations run from scratch. Without ``OICPLAN_TEST_POSTGRES_URL`` (for
    example ``postgresql+psycopg://u:p@host/db``) or with the server unreachable,
    the test skips, or fails under ``OICPLAN_REQUIRE_SERVICES=1``.
    """
    import sqlalchemy as sa

    url = os.environ.get(POSTGRES_ENV)
    require_service("PostgreSQL", bool(url), f"{POSTGRES_ENV} is not set")
    try:
        url = _worker_database(url)
        engine = sa.create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        finally:
            engine.dispose()
    except sa.exc.OperationalError as exc:
        require_service("PostgreSQL", False, f"{POSTGRES_ENV} is unreachable: {exc.orig}")
    return url


def _worker_database(url: str) -> str:
    """``url`` itself, or under pytest-xdist a database of this worker's own beside it.

    Workers run side by side and every PostgreSQL test empties its database's schema
    first, so each worker (``PYTEST_XDIST_WORKER``: gw0, gw1, ...) gets ``DB_gw0``,
    ``DB_gw1``, ..., created on first use through the database ``url`` names.
    """
    import sqlalchemy as sa

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = sa.engine.make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    engine = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": own.database},
            ).first()
            if exists is None:
                conn.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    except sa.exc.ProgrammingError as exc:  # the role may not create databases
        require_service(
            "PostgreSQL",
            False,
            f"pytest-xdist worker {worker} needs its own database {own.database!r} and "
            f"could not create it ({exc.orig}); grant the role CREATEDB, create it, or run "
            "the tests in one process (TEST_WORKERS=0 make test)",
        )
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def wdi_fixture_dir(tmp_path_factory) -> Path:
    """Two WDI indicator files in the World Bank long format, aggregates mixed in."""
    folder = tmp_path_factory.mktemp("wdi")
    (folder / "gb.xpd.rsdv.gd.zs.csv").write_text(
        "Country Name,Country Code,Year,Value\n"
        "Germany,DEU,2021,3.13\n"
        "Germany,DEU,2022,3.11\n"
        "Kazakhstan,KAZ,2020,0.13\n"
        "World,WLD,2022,2.6\n"
        "High income,HIC,2022,2.9\n"
        "European Union,EUU,2022,2.2\n"
        "Kosovo,XKX,2019,0.1\n",
        encoding="utf-8",
    )
    (folder / "sp.pop.totl.csv").write_text(
        "Country Name,Country Code,Year,Value\n"
        "Germany,DEU,2000,82211508\n"
        "Germany,DEU,2023,84482267\n"
        "Kazakhstan,KAZ,2023,19900177\n"
        "Sub-Saharan Africa,SSF,2023,1200000000\n",
        encoding="utf-8",
    )
    (folder / "index.csv").write_text(
        "code,title,license,rows,first_year,last_year\n"
        "gb.xpd.rsdv.gd.zs,Research and development expenditure (% of GDP),CC-BY-4.0,7,2019,2022\n"
        'sp.pop.totl,"Population, total",CC-BY-4.0,4,2000,2023\n',
        encoding="utf-8",
    )
    (folder / "SOURCE.txt").write_text(
        "Test fixture in the WDI long format; commit 0123456789abcdef0123456789abcdef01234567.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def wgi_fixture_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wgi")
    (folder / "wgidataset.csv").write_text(
        "codeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,"
        "pctranklower,pctrankupper\n"
        "DEUpv2023,DEU,Germany,2023,pv,0.6,0.2,10,65,55,75\n"
        "KAZpv2023,KAZ,Kazakhstan,2023,pv,-0.2,0.2,8,40,30,50\n"
        "ROMpv2023,ROM,Romania,2023,pv,0.4,0.2,9,60,50,70\n"
        "KAZrl2023,KAZ,Kazakhstan,2023,rl,..,..,..,..,..,..\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def facts_fixture_dir(tmp_path_factory) -> Path:
    """The real fact tables as shipped in the package."""
    folder = tmp_path_factory.mktemp("facts")
    for path in (SNAPSHOT_DIR / "facts").glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    return folder
