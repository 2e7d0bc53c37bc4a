"""Shared helpers of the TLS checks that scripts/suites/integration-tls.sh runs with pytest in the rootfs.

The script sets DB_MODULE (the generated db module, e.g. "orders.db", asyncpg or psycopg service),
ITEST_CA (the test CA), ITEST_PASSWORD / ITEST_MD5_PASSWORD (roles app and app_md5),
ITEST_DBNAME, ITEST_PG_PORT, ITEST_BOUNCER_PORT, and ITEST_OTHER_HOST (a name of 127.0.0.1 that
is not "localhost", so the service treats it as another machine).
"""

import asyncio
import importlib
import os
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import text

db = importlib.import_module(os.environ["DB_MODULE"])
CA = os.environ["ITEST_CA"]
PASSWORD = os.environ["ITEST_PASSWORD"]
MD5_PASSWORD = os.environ["ITEST_MD5_PASSWORD"]
DBNAME = os.environ["ITEST_DBNAME"]
PORTS = {"postgres": int(os.environ["ITEST_PG_PORT"]), "pgbouncer": int(os.environ["ITEST_BOUNCER_PORT"])}
OTHER_HOST = os.environ["ITEST_OTHER_HOST"]
# The server certificate names localhost and OTHER_HOST, never 127.0.0.1.
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
URL_ENV = "ITEST_URL"
NEON = "sslmode=require&channel_binding=require"


def url(target: str, query: str = "", *, host: str = "localhost", user: str = "app") -> str:
    password = MD5_PASSWORD if user == "app_md5" else PASSWORD
    base = f"postgresql://{user}:{password}@{host}:{PORTS[target]}/{DBNAME}"
    return f"{base}?{query}" if query else base


@dataclass(frozen=True)
class Session:
    user: str
    ssl: bool  # of the server connection: through PgBouncer, its socket to Postgres (never TLS)


async def _probe(pooled: bool) -> Session:
    engine = db.create_engine_from_env(URL_ENV, pooled=pooled)
    try:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "select current_user, coalesce((select ssl from pg_stat_ssl"
                        " where pid = pg_backend_pid()), false)"
                    )
                )
            ).one()
            return Session(row[0], row[1])
    finally:
        await engine.dispose()


def connect(monkeypatch: pytest.MonkeyPatch, target: str, raw_url: str) -> Session:
    """Connects through the generated db module, as the app (PgBouncer) or Alembic (Postgres) do."""
    monkeypatch.setenv(URL_ENV, raw_url)
    return asyncio.run(_probe(pooled=target == "pgbouncer"))


def refusal(monkeypatch: pytest.MonkeyPatch, target: str, raw_url: str) -> BaseException:
    """The error the generated db module raises for this URL (fails the test if it connects)."""
    try:
        session = connect(monkeypatch, target, raw_url)
    except Exception as e:  # noqa: BLE001 - the error is what the caller asserts
        return e
    pytest.fail(f"connected ({session}) although it should have been refused: {raw_url}")


def libpq_verdict(raw_url: str) -> str | None:
    """libpq's own answer for the same URL (psycopg straight, no db.py): None if it connects,
    else its error message. The reference for "never weaker than libpq"."""
    try:
        with psycopg.connect(raw_url, connect_timeout=10) as conn:
            conn.execute("select 1")
    except psycopg.Error as e:
        return str(e)
    return None


def chain(error: BaseException) -> str:
    """The messages of an error and its causes (SQLAlchemy wraps the driver's)."""
    parts = []
    seen: BaseException | None = error
    while seen is not None:
        parts.append(f"{type(seen).__name__}: {seen}")
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(parts)
