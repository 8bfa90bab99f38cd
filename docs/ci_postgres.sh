#!/bin/sh
# PostgreSQL for the registry tests in tests/monitor (lines meant for .ci/run).
# Debian, run as root, non-interactive. Afterwards the PostgreSQL variants of the
# tests run, and with OICPLAN_REQUIRE_SERVICES=1 they fail instead of skipping if
# the server is missing. The readiness loop exits 1 if the server does not come up.
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql
PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
pg_lsclusters -h | grep -q "^$PG_VERSION main" || pg_createcluster "$PG_VERSION" main
pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true   # 'already running' is fine
i=0; until pg_isready -q -h localhost; do i=$((i+1)); [ "$i" -lt 30 ] || exit 1; sleep 1; done
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "ALTER USER postgres PASSWORD 'postgres';"
runuser -u postgres -- dropdb --if-exists oicplan_test
runuser -u postgres -- createdb oicplan_test
export OICPLAN_TEST_POSTGRES_URL="postgresql+psycopg://postgres:postgres@localhost/oicplan_test"
export OICPLAN_REQUIRE_SERVICES=1
