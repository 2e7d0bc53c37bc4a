"""Table models of {{name}}.

The Alembic environment imports this module, so every table model must be importable from here
(define them here, or import them here from other modules). Alembic environment:
{{migrationsDir}}/env.py
"""

from sqlmodel import Field, SQLModel


class ItemBase(SQLModel):
    """Fields an item is created with."""

    name: str = Field(max_length=200)
    description: str | None = None


class Item(ItemBase, table=True):
    """A row of the ``item`` table (created by the first migration)."""

    id: int | None = Field(default=None, primary_key=True)


class ItemCreate(ItemBase):
    """Body of ``POST /items``."""


class ItemUpdate(SQLModel):
    """Body of ``PATCH /items/{id}``: only the fields given change."""

    name: str | None = Field(default=None, max_length=200)
    description: str | None = None
