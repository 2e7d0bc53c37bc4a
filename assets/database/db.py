# {{marker}}
"""Database access: the async engine on the pooled URL and the FastAPI session dependency.

Environment:
    {{pooledUrlEnv}}
        The pooled URL, used by the application: on Neon the host ending in ``-pooler``,
        served by PgBouncer in transaction mode.
    {{directUrlEnv}}
        The direct URL, used by migrations only (see {{migrationsDir}}/env.py).

Both take the URL exactly as Neon shows it, e.g.
``postgresql://user:password@host/dbname?sslmode=require&channel_binding=require``
(``postgres://`` works too): the scheme is rewritten for the driver and the libpq
parameters become the driver's own arguments.
"""

import functools
import os
import select
import shlex
import ssl
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

POOLED_URL_ENV = "{{pooledUrlEnv}}"
DIRECT_URL_ENV = "{{directUrlEnv}}"
DRIVER = "{{driver}}"
# How the app holds connections to the pooled URL: see create_engine_from_env.
USE_CLIENT_POOL = {{useClientPool}}
# Connection budget of the client pool, per uvicorn worker: CLIENT_POOL_SIZE connections kept
# open, plus up to CLIENT_POOL_MAX_OVERFLOW more in a burst (closed when returned). A replica
# running WEB_CONCURRENCY workers holds up to WEB_CONCURRENCY * (size + overflow) of them.
CLIENT_POOL_SIZE = {{poolSize}}
CLIENT_POOL_MAX_OVERFLOW = {{poolMaxOverflow}}
# A request waits at most this long for a free pooled connection, then fails.
POOL_TIMEOUT_SECONDS = 10
# Reopen a pooled connection once it is this old: less than Neon's scale-to-zero delay (5 minutes
# by default), so a connection the suspended compute closed is never reused.
POOL_RECYCLE_SECONDS = 240
# SQLAlchemy's pre-ping: a round trip through the pooler (asyncpg: BEGIN, a query, ROLLBACK) on
# every checkout. Off by default: a connection closed by the pooler or the server is detected
# at checkout without one (_replace_closed_connection).
PRE_PING = {{prePing}}

_ROLES = {
    POOLED_URL_ENV: "the pooled URL the application uses (Neon: the host ending in -pooler)",
    DIRECT_URL_ENV: "the direct URL migrations use (Neon: the host without -pooler)",
}
_SCHEMES = ("postgresql", "postgres", f"postgresql+{DRIVER}")
_TLS_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class DatabaseConfigError(RuntimeError):
    """The database environment variables are missing or malformed."""


def url_from_env(name: str) -> str:
    """The connection string in environment variable ``name``; a clear error when unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        role = _ROLES.get(name, "a Postgres connection string")
        raise DatabaseConfigError(
            f"Environment variable {name} is not set: it must hold {role}. "
            "Locally: copy .env.example to .env (npx projen db:up starts the compose database). "
            "On Neon: copy the connection string from the console (Connect)."
        )
    return value


def _parse(name: str, raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseConfigError(
            f"{name} is not a database URL; expected postgresql://user:password@host/dbname"
        ) from None
    if url.drivername not in _SCHEMES:
        raise DatabaseConfigError(
            f"{name} uses the scheme {url.drivername}://; expected postgresql:// or postgres://"
        )
    return url


def _tls(name: str, params: Mapping[str, str]) -> ssl.SSLContext | str | bool:
    """libpq's sslmode semantics as asyncpg's ``ssl`` argument."""
    mode = params.get("sslmode", "prefer")
    if mode not in _TLS_MODES:
        raise DatabaseConfigError(f"{name}: sslmode={mode} is not one of {', '.join(_TLS_MODES)}")
    if mode == "disable":
        return False
    if mode in ("allow", "prefer"):
        return mode
    root = params.get("sslrootcert")
    if mode == "require" and root is None:
        # Encrypted, server certificate not checked: what libpq does for sslmode=require.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        # verify-ca / verify-full (and require with a root certificate, as libpq does).
        context = ssl.create_default_context(cafile=None if root in (None, "system") else root)
        context.check_hostname = mode == "verify-full"
    if "sslcert" in params:
        context.load_cert_chain(params["sslcert"], params.get("sslkey"))
    return context


def _server_settings(name: str, params: Mapping[str, str]) -> dict[str, str]:
    """``application_name`` and libpq ``options`` (``-c key=value``) as asyncpg server settings."""
    settings: dict[str, str] = {}
    if "application_name" in params:
        settings["application_name"] = params["application_name"]
    words = shlex.split(params.get("options", ""))
    while words:
        word = words.pop(0)
        if word.startswith("endpoint="):
            # Neon's fallback for clients without SNI; asyncpg sends SNI.
            continue
        if word == "-c" and words:
            word = "-c" + words.pop(0)
        key, sep, value = word[2:].partition("=")
        if not word.startswith("-c") or not sep:
            raise DatabaseConfigError(f"{name}: options={word} is not supported; use -c key=value")
        settings[key] = value
    return settings


def _unique_statement_name() -> str:
    # PgBouncer in transaction mode hands each transaction any server connection: names
    # must never repeat across clients.
    return f"__asyncpg_{uuid.uuid4()}__"


def _asyncpg_args(name: str, url: URL, pooled: bool) -> tuple[URL, dict[str, Any]]:
    # A parameter given twice arrives as a tuple; libpq uses the last one.
    params = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}
    # asyncpg has no SCRAM channel binding; TLS protects the connection (verify-full checks it).
    params.pop("channel_binding", None)
    known = {"sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "options"}
    known |= {"connect_timeout", "target_session_attrs"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise DatabaseConfigError(
            f"{name}: unsupported URL parameter(s) {', '.join(unknown)} for asyncpg; "
            f"supported: {', '.join(sorted(known | {'channel_binding'}))}"
        )
    args: dict[str, Any] = {"ssl": _tls(name, params)}
    settings = _server_settings(name, params)
    if settings:
        args["server_settings"] = settings
    if "connect_timeout" in params:
        args["timeout"] = float(params["connect_timeout"])
    if "target_session_attrs" in params:
        args["target_session_attrs"] = params["target_session_attrs"]
    if pooled:
        args["statement_cache_size"] = 0
        args["prepared_statement_cache_size"] = 0
        args["prepared_statement_name_func"] = _unique_statement_name
    return url.set(drivername="postgresql+asyncpg", query={}), args


def _psycopg_args(url: URL, pooled: bool) -> tuple[URL, dict[str, Any]]:
    # libpq reads sslmode, channel_binding and friends from the URL itself.
    args: dict[str, Any] = {"prepare_threshold": None} if pooled else {}
    return url.set(drivername="postgresql+psycopg"), args


def connection_settings(name: str, *, pooled: bool) -> tuple[URL, dict[str, Any]]:
    """The SQLAlchemy URL and driver arguments for the connection string in ``name``."""
    url = _parse(name, url_from_env(name))
    if DRIVER == "psycopg":
        return _psycopg_args(url, pooled)
    return _asyncpg_args(name, url, pooled)


def create_engine_from_env(name: str, *, pooled: bool) -> AsyncEngine:
    """An async engine for the URL in ``name``; ``pooled`` when it goes through PgBouncer.

    Two strategies for the pooled URL (``poolStrategy`` in .projenrc.ts):

    - client pool (the default): each uvicorn worker keeps CLIENT_POOL_SIZE connections to the
      pooler open, so a request pays neither a TLS handshake nor a SCRAM login (17-20 ms of
      event-loop CPU per new asyncpg connection). Right for a long-running service. Measured
      through PgBouncer with TLS and SCRAM, one worker, 4 clients: POST /items {{benchClientPool}}
      req/s against {{benchNullPool}} with NullPool (scripts/bench-service.sh, projen-uv-service).
    - NullPool: a new connection per session, closed afterwards; the pooler does all the
      pooling. Right for serverless runtimes (a process frozen between requests, or one request
      per process), where a kept connection would go stale while the process sleeps.
    """
    url, connect_args = connection_settings(name, pooled=pooled)
    if not (pooled and USE_CLIENT_POOL):
        return create_async_engine(
            url,
            poolclass=NullPool,
            pool_pre_ping=pooled and PRE_PING,
            connect_args=connect_args,
        )
    engine = create_async_engine(
        url,
        pool_size=CLIENT_POOL_SIZE,
        max_overflow=CLIENT_POOL_MAX_OVERFLOW,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=PRE_PING,
        connect_args=connect_args,
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    return engine


def _replace_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Replaces, at checkout, a pooled connection the other side has closed (the pooler or the
    compute restarted): SQLAlchemy retries the checkout on DisconnectionError. No round trip."""
    driver = dbapi_connection.driver_connection
    if DRIVER == "psycopg":
        # Between transactions the server sends nothing: a readable socket is a close or an error.
        closed = driver.closed or bool(select.select([driver.pgconn.socket], [], [], 0)[0])
    else:
        closed = driver.is_closed()
    if closed:
        raise DisconnectionError("the pooled connection was closed by the server")


@functools.cache
def get_engine() -> AsyncEngine:
    """The application's engine, on the pooled URL (created on first use)."""
    return create_engine_from_env(POOLED_URL_ENV, pooled=True)


@functools.cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(get_engine(), class_=AsyncSession, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request, closed afterwards."""
    async with get_sessionmaker()() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Checks the database settings at startup; closes the engine's connections at shutdown."""
    engine = get_engine()
    try:
        yield
    finally:
        await engine.dispose()
