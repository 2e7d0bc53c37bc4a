# {{marker}}
"""Alembic environment: migrations run over the DIRECT URL, never through the pooler.

Direct URL: {{directUrlEnv}}
Pooled URL (never read here): {{pooledUrlEnv}}
Version table (the revision this database is at): {{versionTable}}
Services that migrate one shared database each record their revision in a table of their own.

Schema changes hold locks and session state that PgBouncer's transaction mode cannot keep.
The URL is read by create_engine_from_env with the app's rules: sslmode as in libpq,
channel_binding=require honoured (asyncpg: the server's certificate is verified instead), and a
server that cannot be authenticated is refused, never migrated unauthenticated. Its module:
{{dbModule}}
Every table model must be importable from this module (autogenerate compares its tables):
{{modelsModule}}
"""

import asyncio
import math
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import {{modelsModule}}  # noqa: F401  (registers the table models on SQLModel.metadata)
from {{dbModule}} import DIRECT_URL_ENV, create_engine_from_env, database_settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = SQLModel.metadata
VERSION_TABLE = "{{versionTable}}"


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: prints the SQL instead of connecting."""
    context.configure(
        dialect_name="postgresql",
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # A migration waits at most DB_MIGRATION_LOCK_TIMEOUT_SECONDS for a lock: an ALTER TABLE
    # queued behind a long transaction would otherwise block every query queued behind it.
    settings = database_settings()
    lock_ms = math.ceil(settings.migration_lock_timeout_seconds * 1000)
    statement_ms = math.ceil(settings.migration_statement_timeout_seconds * 1000)
    connection.exec_driver_sql(f"SET lock_timeout = {lock_ms}")
    connection.exec_driver_sql(f"SET statement_timeout = {statement_ms}")
    connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        version_table=VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine_from_env(DIRECT_URL_ENV, pooled=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    except DBAPIError as error:
        code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        if code not in _TIMEOUTS:
            raise
        raise SystemExit(
            f"Migration stopped: {_TIMEOUTS[code]} ({str(error.orig).strip()}). "
            "Nothing was applied by the failed revision; retry when the database is quieter, "
            "or raise DB_MIGRATION_LOCK_TIMEOUT_SECONDS / DB_MIGRATION_STATEMENT_TIMEOUT_SECONDS."
        ) from None
    finally:
        await engine.dispose()


_TIMEOUTS = {
    "55P03": "a lock it needs was held longer than DB_MIGRATION_LOCK_TIMEOUT_SECONDS",
    "57014": "a statement ran longer than DB_MIGRATION_STATEMENT_TIMEOUT_SECONDS",
}


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
