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

Connection security: never weaker than libpq (psql) with the same URL.
    ``sslmode`` means what it means to libpq (PGSSLMODE, PGSSLROOTCERT and PGCHANNELBINDING
    fill in what the URL leaves out, as for libpq):

    ``disable``      no TLS. For a database on this machine only (the local compose stack).
    ``allow``        TLS only if the server insists: not protected.
    ``prefer``       the default: TLS if the server offers it, but an attacker can remove it.
    ``require``      encrypted, but the server is NOT authenticated: whoever answers for the
                     host (a man in the middle with any certificate) gets the password exchange.
                     With ``sslrootcert`` (or ~/.postgresql/root.crt) the CA is checked (verify-ca).
    ``verify-ca``    encrypted; the certificate must come from the CA in ``sslrootcert``.
    ``verify-full``  encrypted; the certificate must come from a trusted CA and name the URL's
                     host. Recommended (Neon's certificates are publicly trusted):
                     ``?sslmode=verify-full&sslrootcert=system`` works with every driver and with
                     psql 16+. Without ``sslrootcert`` asyncpg uses the system trust store here.
    ``sslrootcert=system`` is the system trust store (SSL_CERT_FILE / SSL_CERT_DIR move it); as in
    libpq it means verify-full, and a weaker sslmode is refused.

    ``channel_binding=require`` (Neon's URLs carry it): libpq binds the SCRAM login to the TLS
    channel, so a man in the middle cannot log in. psycopg passes it to libpq. asyncpg cannot bind
    channels, so here the server is authenticated by its certificate instead: verify-full, against
    ``sslrootcert`` or the system trust store. If that fails, the connection is refused with an
    error that says what to change; it never goes ahead unauthenticated.

    VERIFY_SERVER raises the floor (``verifyServerCertificate`` in .projenrc.ts): every TLS
    connection to a host other than this machine (localhost, a loopback address or a Unix socket)
    is made with verify-full, whatever its sslmode says; an explicit ``sslmode=disable`` is kept,
    and so is psycopg's ``channel_binding=require`` (libpq authenticates the server by it).
"""

import asyncio
import functools
import importlib
import ipaddress
import math
import os
import re
import select
import shlex
import ssl
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from {{settingsModule}} import settings_error

POOLED_URL_ENV = "{{pooledUrlEnv}}"
DIRECT_URL_ENV = "{{directUrlEnv}}"
DRIVER = "{{driver}}"
# How the app holds connections to the pooled URL: see create_engine_from_env.
USE_CLIENT_POOL = {{useClientPool}}
# SQLAlchemy's pre-ping: a round trip through the pooler (asyncpg: BEGIN, a query, ROLLBACK) on
# every checkout. Off by default: a connection closed by the pooler or the server is detected
# at checkout without one (_replace_closed_connection).
PRE_PING = {{prePing}}
# Every TLS connection to another machine is made with sslmode=verify-full (see above).
VERIFY_SERVER = {{verifyServer}}
# Protocol-level prepared statements through the pooler (the drivers' statement caches): each
# statement is parsed once per connection instead of on every execution. PgBouncer >= 1.21 with
# max_prepared_statements > 0 (Neon's pooler) tracks them per client and prepares them on whichever
# server connection runs the transaction; turn off (preparedStatements in .projenrc.ts) for an
# older pooler or one configured without it.
PREPARED_STATEMENTS = {{preparedStatements}}
# asyncpg's own timeout of a command exceeds the server's statement_timeout by this much, so the
# server's (a clean error, the transaction rolled back) normally fires first.
CLIENT_TIMEOUT_MARGIN_SECONDS = 2.0


class DatabaseSettings(BaseSettings):
    """The database's runtime settings, read from the environment when the engine is made.

    Owned by the database layer (NeonDatabase in .projenrc.ts writes this file): its defaults are
    the ``databaseOptions`` of .projenrc.ts, so they change with them; the service's own settings
    (logging, readiness) are in settings.py, which loads both the same way. Locally, the tasks
    load .env (``uv run --env-file .env``); nothing here reads a file.
    """

    model_config = SettingsConfigDict(env_prefix="DB_", extra="ignore", frozen=True)

    pool_size: int = Field(default={{poolSize}}, ge=1, le=1000)
    """DB_POOL_SIZE: connections the client pool keeps open, per uvicorn worker. A replica running
    WEB_CONCURRENCY workers holds up to WEB_CONCURRENCY * (size + overflow) of them."""
    pool_max_overflow: int = Field(default={{poolMaxOverflow}}, ge=0, le=1000)
    """DB_POOL_MAX_OVERFLOW: connections opened beyond the pool in a burst (each closed when
    returned)."""
    pool_timeout_seconds: float = Field(default={{poolTimeoutSeconds}}, gt=0, le=300)
    """DB_POOL_TIMEOUT_SECONDS: how long a request waits for a free pooled connection (then
    503)."""
    pool_recycle_seconds: int = Field(default={{poolRecycleSeconds}}, ge=1, le=86400)
    """DB_POOL_RECYCLE_SECONDS: a pooled connection this old is reopened; less than Neon's
    scale-to-zero delay (5 minutes by default), so a connection a suspended compute closed is
    never reused."""
    statement_timeout_seconds: float = Field(default={{statementTimeoutSeconds}}, gt=0, le=3600)
    """DB_STATEMENT_TIMEOUT_SECONDS: the longest a statement of the app runs (then 504). Set in
    every transaction (SET LOCAL), so it holds through PgBouncer in transaction mode, where
    startup options are ignored."""
    connect_timeout_seconds: float = Field(default={{connectTimeoutSeconds}}, gt=0, le=300)
    """DB_CONNECT_TIMEOUT_SECONDS: the longest a new connection (TCP, TLS, login) may take."""
    migration_lock_timeout_seconds: float = Field(default={{migrationLockTimeoutSeconds}}, gt=0, le=3600)
    """DB_MIGRATION_LOCK_TIMEOUT_SECONDS: a migration waits at most this long for a lock (then
    it fails, instead of queueing behind live traffic and blocking it)."""
    migration_statement_timeout_seconds: float = Field(default={{migrationStatementTimeoutSeconds}}, gt=0)
    """DB_MIGRATION_STATEMENT_TIMEOUT_SECONDS: the longest one statement of a migration runs."""


@functools.cache
def database_settings() -> DatabaseSettings:
    """The database settings of this process (read once; a bad value is one SettingsError)."""
    try:
        return DatabaseSettings()
    except ValidationError as error:
        raise settings_error(DatabaseSettings, error) from None


_ROLES = {
    POOLED_URL_ENV: "the pooled URL the application uses (Neon: the host ending in -pooler)",
    DIRECT_URL_ENV: "the direct URL migrations use (Neon: the host without -pooler)",
}
_SCHEMES = ("postgresql", "postgres", f"postgresql+{DRIVER}")
_TLS_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_CHANNEL_BINDING = ("disable", "prefer", "require")
# What libpq reads when the URL does not say.
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "channel_binding": "PGCHANNELBINDING",
}
SYSTEM_TRUST = "system"


class DatabaseConfigError(RuntimeError):
    """The database environment variables are missing or malformed."""


class DatabaseTLSError(DatabaseConfigError):
    """The server could not be authenticated as the connection string (or VERIFY_SERVER) asks."""


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


def _query(url: URL) -> dict[str, str]:
    # A parameter given twice arrives as a tuple; libpq uses the last one.
    return {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}


# ---------------------------------------------------------------------------- TLS policy


@dataclass(frozen=True)
class TlsPolicy:
    """How a connection is protected, decided once from its URL (libpq's terms)."""

    mode: str
    """The sslmode the connection is made with."""
    root: str | None
    """Trusted CAs: a PEM file, ``"system"`` (the system trust store) or None (none checked)."""
    reason: str
    """What asked for it: ``sslmode=...``, ``channel_binding=require`` or ``VERIFY_SERVER``."""
    raised: bool
    """Whether db.py made it stricter than the URL's sslmode."""


def _libpq_setting(params: Mapping[str, str], key: str) -> str | None:
    return params.get(key) or os.environ.get(_LIBPQ_ENV[key]) or None


def _default_root() -> str | None:
    """libpq's default CA file, ~/.postgresql/root.crt, when it exists."""
    path = os.path.expanduser("~/.postgresql/root.crt")
    return path if os.path.isfile(path) else None


def is_local_host(host: str | None) -> bool:
    """This machine: no host (a Unix socket), a socket path, localhost or a loopback address.

    Names are not resolved: any other name is another machine.
    """
    if not host or host.startswith("/") or host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def tls_policy(name: str, params: Mapping[str, str], host: str | None) -> TlsPolicy:
    """libpq's rules for the URL's sslmode, sslrootcert and channel_binding, never weakened."""
    mode = _libpq_setting(params, "sslmode")
    root = _libpq_setting(params, "sslrootcert")
    binding = _libpq_setting(params, "channel_binding") or "prefer"
    if mode is not None and mode not in _TLS_MODES:
        raise DatabaseConfigError(f"{name}: sslmode={mode} is not one of {', '.join(_TLS_MODES)}")
    if binding not in _CHANNEL_BINDING:
        raise DatabaseConfigError(
            f"{name}: channel_binding={binding} is not one of {', '.join(_CHANNEL_BINDING)}"
        )
    if root == SYSTEM_TRUST and mode not in (None, "verify-full"):
        raise DatabaseConfigError(
            f"{name}: sslrootcert=system needs sslmode=verify-full, as in libpq: anyone can get a "
            "publicly trusted certificate for a host name they control, so only the host name "
            f"check makes it safe. Remove sslmode={mode} or change it to sslmode=verify-full."
        )
    mode = mode or ("verify-full" if root == SYSTEM_TRUST else "prefer")
    if mode == "disable":
        if binding == "require":
            raise DatabaseConfigError(
                f"{name}: channel_binding=require needs TLS, but sslmode=disable turns it off "
                "(libpq refuses this URL too). Use sslmode=verify-full, or remove "
                "channel_binding=require for a database on this machine without TLS."
            )
        return TlsPolicy("disable", None, "sslmode=disable", raised=False)
    root = root or _default_root()
    if DRIVER == "asyncpg" and binding == "require" and mode != "verify-full":
        return TlsPolicy("verify-full", root or SYSTEM_TRUST, "channel_binding=require", True)
    # The floor; libpq's channel binding authenticates the server already (no CA bundle to load).
    bound = DRIVER == "psycopg" and binding == "require"
    if VERIFY_SERVER and mode != "verify-full" and not bound and not is_local_host(host):
        return TlsPolicy("verify-full", root or SYSTEM_TRUST, "VERIFY_SERVER", raised=True)
    if mode == "verify-ca" and root is None:
        raise DatabaseConfigError(
            f"{name}: sslmode=verify-ca needs the CA that signed the server's certificate: add "
            "sslrootcert=/path/to/ca.pem. With publicly trusted certificates use "
            "sslmode=verify-full&sslrootcert=system (verify-ca with public CAs proves nothing)."
        )
    if mode in ("allow", "prefer") or (mode == "require" and root is None):
        root = None
    elif mode == "verify-full" and root is None:
        root = SYSTEM_TRUST
    return TlsPolicy(mode, root, f"sslmode={mode}", raised=False)


def _system_trust_store(name: str, policy: TlsPolicy) -> ssl.SSLContext:
    paths = ssl.get_default_verify_paths()
    capath = paths.capath
    if paths.cafile is None and not (capath and os.path.isdir(capath) and os.listdir(capath)):
        raise DatabaseConfigError(
            f"{name}: {_why(policy)}, but this system has no trusted CA certificates "
            f"(neither {paths.openssl_cafile} nor {paths.openssl_capath}). Install the "
            "ca-certificates package, point SSL_CERT_FILE at a CA bundle, or add "
            f"sslrootcert=/path/to/ca.pem to {name}."
        )
    return ssl.create_default_context()


def _trusting(name: str, policy: TlsPolicy) -> ssl.SSLContext:
    """A context that checks the server's certificate against the policy's CAs."""
    if policy.root == SYSTEM_TRUST:
        return _system_trust_store(name, policy)
    try:
        return ssl.create_default_context(cafile=policy.root)
    except (OSError, ssl.SSLError) as e:
        raise DatabaseConfigError(
            f"{name}: sslrootcert={policy.root} cannot be read as PEM CA certificates ({e}); "
            "give the path of the CA file, readable by the service, or sslrootcert=system."
        ) from None


def asyncpg_ssl(
    name: str, params: Mapping[str, str], host: str | None
) -> ssl.SSLContext | str | bool:
    """The URL's TLS settings as asyncpg's ``ssl`` argument (see TlsPolicy)."""
    policy = tls_policy(name, params, host)
    if policy.mode == "disable":
        return False
    if policy.mode in ("allow", "prefer"):
        return policy.mode
    if policy.root is None:
        # sslmode=require: encrypted, server not authenticated (libpq's meaning).
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context = _trusting(name, policy)
        context.check_hostname = policy.mode == "verify-full"
    if "sslcert" in params:
        context.load_cert_chain(params["sslcert"], params.get("sslkey"))
    return context


def _libpq_root(root: str) -> str:
    # The file Python finds for the system store: older libpq and some builds lack "system".
    if root == SYSTEM_TRUST:
        return ssl.get_default_verify_paths().cafile or SYSTEM_TRUST
    return root


def psycopg_url(name: str, url: URL) -> URL:
    """The URL for libpq: as given (libpq applies sslmode and channel_binding itself), or
    raised to verify-full by VERIFY_SERVER."""
    params = _query(url)
    policy = tls_policy(name, params, params.get("host", url.host))
    if not policy.raised or policy.root is None:
        return url
    root = _libpq_root(policy.root)
    return url.update_query_dict({"sslmode": "verify-full", "sslrootcert": root})


def _why(policy: TlsPolicy) -> str:
    """Why the server's certificate is checked, as the start of a sentence."""
    if policy.reason == "channel_binding=require":
        return (
            "The URL asks for channel_binding=require, which asyncpg cannot do, so the server's "
            "certificate is checked instead (as sslmode=verify-full)"
        )
    if policy.reason == "VERIFY_SERVER":
        return (
            "verifyServerCertificate (.projenrc.ts; VERIFY_SERVER here) checks every database "
            "server other than this machine (as sslmode=verify-full)"
        )
    return f"The URL asks for {policy.reason}"


def _refusal(name: str, host: str | None, detail: str, policy: TlsPolicy) -> str:
    trusted = "the system's trusted CAs" if policy.root == SYSTEM_TRUST else policy.root
    fix = "add sslrootcert=/path/to/ca.pem if the server uses a private CA"
    if policy.mode == "verify-full":
        fix = f"use the host name its certificate names, or {fix}"
    if policy.reason == "channel_binding=require":
        fix += ", or switch to DatabaseDriver.PSYCOPG (libpq does channel binding)"
    if policy.reason == "VERIFY_SERVER":
        fix += ", or add sslmode=disable on a private network without TLS"
    return (
        f"{name}: connection refused: the server {host} could not be authenticated ({detail}). "
        f"{_why(policy)} against {trusted}. Change {name}: {fix}."
    )


def _tls_failure(error: BaseException) -> str | None:
    """The short reason of a failed TLS connection, or None for any other error."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return error.verify_message  # e.g. "IP address mismatch, certificate is not valid for ..."
    # asyncpg: "server rejected SSL upgrade"; libpq: "... failed: SSL error: certificate verify
    # failed", "... server does not support SSL, but SSL was required".
    message = str(error).strip()
    if isinstance(error, ssl.SSLError) or re.search(r"SSL|certificate", message):
        return message.rsplit(" failed: ", 1)[-1]
    return None


def explain_tls_failures(engine: AsyncEngine, name: str) -> None:
    """Turns a server that cannot be authenticated into one DatabaseTLSError naming ``name``,
    why its certificate is checked and what to change (asyncpg's errors name neither)."""
    url = _parse(name, url_from_env(name))
    params = _query(url)
    host = params.get("host", url.host)
    policy = tls_policy(name, params, host)
    if policy.root is None or (DRIVER == "psycopg" and not policy.raised):
        return  # nothing to authenticate, or libpq's own message says it all

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as e:
            detail = _tls_failure(e)
            if detail is None:
                raise
            raise DatabaseTLSError(_refusal(name, host, detail, policy)) from e


# ---------------------------------------------------------------------------- drivers


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
    params = _query(url)
    known = {"sslmode", "sslrootcert", "sslcert", "sslkey", "application_name", "options"}
    known |= {"connect_timeout", "target_session_attrs", "channel_binding"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise DatabaseConfigError(
            f"{name}: unsupported URL parameter(s) {', '.join(unknown)} for asyncpg; "
            f"supported: {', '.join(sorted(known))}"
        )
    settings_ = database_settings()
    args: dict[str, Any] = {
        "ssl": asyncpg_ssl(name, params, url.host),
        "timeout": settings_.connect_timeout_seconds,
    }
    if pooled:
        # The client-side bound, past the server's (statement_timeout, set per transaction): it
        # also cuts a wait the server cannot see, e.g. for a server connection in PgBouncer's queue.
        margin = CLIENT_TIMEOUT_MARGIN_SECONDS
        args["command_timeout"] = settings_.statement_timeout_seconds + margin
    settings = _server_settings(name, params)
    if settings:
        args["server_settings"] = settings
    if "connect_timeout" in params:
        args["timeout"] = float(params["connect_timeout"])
    if "target_session_attrs" in params:
        args["target_session_attrs"] = params["target_session_attrs"]
    if pooled:
        # The statement timeout is sent with BEGIN, in the same round trip (BoundedConnection).
        args["connection_class"] = bounded_connection_class(settings_.statement_timeout_seconds)
        args["prepared_statement_name_func"] = _unique_statement_name
        if not PREPARED_STATEMENTS:
            args["statement_cache_size"] = 0
            args["prepared_statement_cache_size"] = 0
    return url.set(drivername="postgresql+asyncpg", query={}), args


def bounded_connection_class(seconds: float) -> type[Any]:
    """An asyncpg connection class whose transactions each start with ``statement_timeout`` set.

    Through PgBouncer in transaction mode (Neon's pooler) a session-level SET would leak to
    whichever client gets the server connection next, and startup ``options`` are ignored: a
    transaction-local setting is the one that holds. asyncpg starts a transaction with one
    simple-protocol ``BEGIN`` (SQLAlchemy's asyncpg dialect through ``Connection.transaction()``);
    ``SET LOCAL`` goes in the same message, so it costs no round trip of its own."""
    # The driver of this engine, imported only when it is the one in use; typed Any whether or not
    # the installed asyncpg ships type hints, so the type check reads the same everywhere.
    asyncpg: Any = importlib.import_module("asyncpg")

    bound = f"SET LOCAL statement_timeout = {math.ceil(seconds * 1000)};"

    class BoundedConnection(asyncpg.Connection):  # type: ignore[misc]
        async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
            if not args and query.startswith("BEGIN") and query.endswith(";"):
                query = f"{query} {bound}"
            return await super().execute(query, *args, timeout=timeout)  # type: ignore[no-any-return]

    return BoundedConnection


def _psycopg_args(name: str, url: URL, pooled: bool) -> tuple[URL, dict[str, Any]]:
    # libpq reads sslmode, channel_binding and friends from the URL itself; its connect_timeout
    # is whole seconds, at least 2.
    args: dict[str, Any] = {"prepare_threshold": None} if pooled and not PREPARED_STATEMENTS else {}
    if "connect_timeout" not in _query(url):
        args["connect_timeout"] = max(2, math.ceil(database_settings().connect_timeout_seconds))
    return psycopg_url(name, url).set(drivername="postgresql+psycopg"), args


def connection_settings(name: str, *, pooled: bool) -> tuple[URL, dict[str, Any]]:
    """The SQLAlchemy URL and driver arguments for the connection string in ``name``."""
    url = _parse(name, url_from_env(name))
    if DRIVER == "psycopg":
        return _psycopg_args(name, url, pooled)
    return _asyncpg_args(name, url, pooled)


def create_engine_from_env(name: str, *, pooled: bool) -> AsyncEngine:
    """An async engine for the URL in ``name``; ``pooled`` when it goes through PgBouncer.

    Two strategies for the pooled URL (``poolStrategy`` in .projenrc.ts):

    - client pool (the default): each uvicorn worker keeps DB_POOL_SIZE connections to the
      pooler open, so a request pays neither a TLS handshake nor a SCRAM login (17-20 ms of
      event-loop CPU per new asyncpg connection). Right for a long-running service. Measured
      through PgBouncer with TLS and SCRAM, one worker, 4 clients: POST /items {{benchClientPool}}
      req/s against {{benchNullPool}} with NullPool (scripts/bench/bench-service.sh, projen-uv-service).
    - NullPool: a new connection per session, closed afterwards; the pooler does all the
      pooling. Right for serverless runtimes (a process frozen between requests, or one request
      per process), where a kept connection would go stale while the process sleeps.
    """
    url, connect_args = connection_settings(name, pooled=pooled)
    engine = _create_engine(url, connect_args, pooled=pooled)
    explain_tls_failures(engine, name)
    if pooled and DRIVER == "psycopg":
        bound_every_transaction(engine, database_settings().statement_timeout_seconds)
    return engine


def bound_every_transaction(engine: AsyncEngine, seconds: float) -> None:
    """Sets ``statement_timeout`` at the start of every transaction of ``engine`` (SET LOCAL), for
    psycopg (see bounded_connection_class for why SET LOCAL). It costs one statement per
    transaction: libpq sends BEGIN on its own."""
    statement = f"SET LOCAL statement_timeout = {math.ceil(seconds * 1000)}"

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(statement)


def _create_engine(url: URL, connect_args: dict[str, Any], *, pooled: bool) -> AsyncEngine:
    if not (pooled and USE_CLIENT_POOL):
        return create_async_engine(
            url,
            poolclass=NullPool,
            pool_pre_ping=pooled and PRE_PING,
            connect_args=connect_args,
        )
    settings_ = database_settings()
    engine = create_async_engine(
        url,
        pool_size=settings_.pool_size,
        max_overflow=settings_.pool_max_overflow,
        pool_timeout=settings_.pool_timeout_seconds,
        pool_recycle=settings_.pool_recycle_seconds,
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


# A bad setting stops the import, so the startup, with one line (SettingsError).
database_settings()


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


# What a database that cannot be reached, refuses or fails raises through the pool.
_UNREACHABLE = (OSError, SQLAlchemyError)


async def database_ready(timeout_seconds: float) -> bool:
    """Whether the database answers ``SELECT 1`` through the app's pool within ``timeout_seconds``
    (the readiness check): False when it cannot be reached, refuses, or is too slow."""

    async def select_one() -> None:
        async with get_engine().connect() as connection:
            await connection.execute(text("SELECT 1"))

    # asyncio.wait, not wait_for: no timeout exception, whose class differs before Python 3.11.
    check = asyncio.ensure_future(select_one())
    done, _ = await asyncio.wait({check}, timeout=timeout_seconds)
    if not done:
        check.cancel()
        return False
    try:
        check.result()
    except _UNREACHABLE:
        return False
    return True


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Checks the database settings at startup; closes the engine's connections at shutdown."""
    engine = get_engine()
    try:
        yield
    finally:
        await engine.dispose()
