"""Create the item table.

Revision ID: {{revision}}
Revises:
Create Date: 2025-01-01 00:00:00

The first migration, matching the sample ``Item`` model. Yours from now on: generate the next
ones with ``npx projen db:revision "what changed"``.

Service: {{name}}
Models: {{modelsFile}}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "{{revision}}"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("item")
