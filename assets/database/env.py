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
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import {{modelsModule}}  # noqa: F401  (registers the table models on SQLModel.metadata)
from {{dbModule}} import DIRECT_URL_ENV, create_engine_from_env

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
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
