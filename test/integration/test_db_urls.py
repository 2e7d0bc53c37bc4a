"""Checks of the generated db module's URL handling, run with pytest inside the Debian rootfs.

scripts/suites/integration.sh puts the generated service on sys.path and sets DB_MODULE (e.g. "orders.db"),
ITEST_POOLED_URL (a Neon-shaped URL of the real PgBouncer) and ITEST_CA (the server certificate).
"""

import asyncio
import importlib
import os
import ssl

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

db = importlib.import_module(os.environ["DB_MODULE"])
POOLED = os.environ["ITEST_POOLED_URL"]
CA = os.environ["ITEST_CA"]


def settings(monkeypatch: pytest.MonkeyPatch, url: str, *, pooled: bool = True):
    monkeypatch.setenv("ITEST_URL", url)
    return db.connection_settings("ITEST_URL", pooled=pooled)


def test_missing_variable_names_it_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.POOLED_URL_ENV, raising=False)
    with pytest.raises(db.DatabaseConfigError) as e:
        db.create_engine_from_env(db.POOLED_URL_ENV, pooled=True)
    assert db.POOLED_URL_ENV in str(e.value)
    assert ".env.example" in str(e.value)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_neon_url_is_rewritten_for_asyncpg(monkeypatch: pytest.MonkeyPatch, scheme: str) -> None:
    url, args = settings(
        monkeypatch,
        f"{scheme}://u:p%40ss@ep-x-pooler.neon.tech/db?sslmode=require&channel_binding=require",
    )
    assert url.drivername == "postgresql+asyncpg"
    assert dict(url.query) == {}
    assert url.password == "p@ss"
    # asyncpg cannot do channel_binding=require: the server's certificate and name are checked instead
    assert isinstance(args["ssl"], ssl.SSLContext)
    assert args["ssl"].verify_mode == ssl.CERT_REQUIRED
    assert args["ssl"].check_hostname is True
    # The statement caches are off only where the option turns them off (PgBouncer >= 1.21 tracks them).
    assert args.get("statement_cache_size") == (None if db.PREPARED_STATEMENTS else 0)
    # The statement timeout goes with BEGIN: a connection class of the driver's own.
    assert issubclass(args["connection_class"], asyncpg.Connection)
    names = {args["prepared_statement_name_func"]() for _ in range(1000)}
    assert len(names) == 1000


def test_direct_url_keeps_driver_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    _, args = settings(monkeypatch, "postgresql://u:p@h/db?sslmode=require", pooled=False)
    assert "prepared_statement_name_func" not in args
    assert "statement_cache_size" not in args
    assert "connection_class" not in args


def test_verify_full_checks_host_and_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    _, args = settings(monkeypatch, f"postgresql://u:p@h/db?sslmode=verify-full&sslrootcert={CA}")
    assert args["ssl"].verify_mode == ssl.CERT_REQUIRED
    assert args["ssl"].check_hostname is True


def test_disable_and_prefer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch, "postgresql://u:p@h/db?sslmode=disable")[1]["ssl"] is False
    # prefer (the default) on this machine; elsewhere verifyServerCertificate makes it verify-full
    assert settings(monkeypatch, "postgresql://u:p@127.0.0.1/db")[1]["ssl"] == "prefer"


def test_options_and_application_name(monkeypatch: pytest.MonkeyPatch) -> None:
    _, args = settings(
        monkeypatch,
        "postgresql://u:p@h/db?application_name=api&options=endpoint%3Dep-x%20-c%20search_path%3Dapp"
        "&connect_timeout=7",
    )
    assert args["server_settings"] == {"application_name": "api", "search_path": "app"}
    assert args["timeout"] == 7.0


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://u:p@h/db", "scheme"),
        ("postgresql://u:p@h/db?sslmode=sometimes", "sslmode"),
        ("postgresql://u:p@h/db?gssencmode=disable", "gssencmode"),
        ("not a url", "not a database URL"),
    ],
)
def test_bad_urls_fail_clearly(monkeypatch: pytest.MonkeyPatch, url: str, message: str) -> None:
    with pytest.raises(db.DatabaseConfigError, match=message):
        settings(monkeypatch, url)


def test_the_raw_neon_url_breaks_plain_sqlalchemy() -> None:
    """The problem db.py solves (sqlalchemy#6275): asyncpg rejects libpq's sslmode."""

    async def connect() -> None:
        raw = POOLED.replace("postgresql://", "postgresql+asyncpg://", 1)
        engine = create_async_engine(raw)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("select 1"))
        finally:
            await engine.dispose()

    with pytest.raises(TypeError, match="sslmode"):
        asyncio.run(connect())


async def _current_database(url_env: str) -> str:
    engine = db.create_engine_from_env(url_env, pooled=True)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text("select current_database()"))).scalar_one()
    finally:
        await engine.dispose()


def test_the_generated_engine_reaches_pgbouncer_over_tls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITEST_URL", POOLED)
    assert asyncio.run(_current_database("ITEST_URL")) == os.environ["ITEST_DBNAME"]
    # PgBouncer refuses clients without TLS (client_tls_sslmode=require): the connection above was TLS.
    plain = POOLED.replace("sslmode=require", "sslmode=disable")
    monkeypatch.setenv("ITEST_URL", plain)
    with pytest.raises(Exception, match="(?i)ssl"):
        asyncio.run(_current_database("ITEST_URL"))
