"""Fixtures of the test suite: a database of its own for the tests that need one.

The database tests run against ``<database>_test``, made next to the database the URLs name. It is
created over the direct URL when the session starts; its tables are made from the models
(SQLModel.metadata, which ``alembic check`` compares with the migrations) and emptied before each
test; it is dropped when the session ends. The database the URLs name is left as it was. The app
reaches the test database over the pooled URL (through the pooler), as in production. The role of
the direct URL needs the CREATEDB privilege (the local compose user, CI's database and Neon's roles
have it). Without both URLs the database tests are skipped; ``pytest -ra`` (the default here) says
why and how to run them.

Direct URL: {{directUrlEnv}}
Pooled URL: {{pooledUrlEnv}}
"""

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel, text

import {{dbModule}} as db
from {{module}} import {{variable}} as app_under_test

HOW_TO_RUN = "cp .env.example .env, npx projen db:up, then npx projen test (they read .env)"


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _with_database(url: str, database: str) -> str:
    """The connection string ``url`` with another database name (host, user and options kept)."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


async def _over_direct_url(work: Callable[[AsyncConnection], Awaitable[None]]) -> None:
    """Runs ``work`` on one connection to the database of the direct URL, outside a transaction."""
    engine = db.create_engine_from_env(db.DIRECT_URL_ENV, pooled=False)
    try:
        async with engine.connect() as connection:
            await work(await connection.execution_options(isolation_level="AUTOCOMMIT"))
    finally:
        await engine.dispose()


def _run_sql(*statements: str) -> None:
    async def work(connection: AsyncConnection) -> None:
        for statement in statements:
            await connection.execute(text(statement))

    asyncio.run(_over_direct_url(work))


async def _create_tables(connection: AsyncConnection) -> None:
    await connection.run_sync(SQLModel.metadata.create_all)


async def _empty_tables(connection: AsyncConnection) -> None:
    for table in reversed(SQLModel.metadata.sorted_tables):
        await connection.execute(table.delete())


def _forget_engines() -> None:
    """Drops the app's cached engine, so the next request opens one on the current URL."""
    db.get_sessionmaker.cache_clear()
    db.get_engine.cache_clear()


@pytest.fixture(scope="session")
def test_database() -> Iterator[str]:
    """The name of the session's own database, with the models' tables; both URLs point at it."""
    missing = [name for name in (db.POOLED_URL_ENV, db.DIRECT_URL_ENV) if not os.environ.get(name)]
    if missing:
        unset = " and ".join(missing)
        pytest.skip(f"{unset} not set: the database tests need both. To run them: {HOW_TO_RUN}")
    url = make_url(os.environ[db.DIRECT_URL_ENV])
    database = f"{url.database or url.username}_test"
    _run_sql(
        f"DROP DATABASE IF EXISTS {_quoted(database)} WITH (FORCE)",
        f"CREATE DATABASE {_quoted(database)}",
    )
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name in (db.POOLED_URL_ENV, db.DIRECT_URL_ENV):
                patch.setenv(name, _with_database(os.environ[name], database))
            _forget_engines()
            asyncio.run(_over_direct_url(_create_tables))
            yield database
            _forget_engines()
    finally:
        _run_sql(f"DROP DATABASE {_quoted(database)} WITH (FORCE)")


@pytest.fixture
def client(test_database: str) -> Iterator[TestClient]:
    """The app (its lifespan included) on the test database, every table empty.

    The app is imported as ``app_under_test``: its variable may be any name, even one used here.
    """
    asyncio.run(_over_direct_url(_empty_tables))
    with TestClient(app_under_test) as client:
        yield client
