"""Table models of the service, and the bodies the API reads and writes.

The Alembic environment imports this module, so every table model must be importable from here
(define them here, or import them here from other modules). Alembic environment:
{{migrationsDir}}/env.py
"""

from pydantic import field_validator
from sqlalchemy import BigInteger, Column, Identity
from sqlmodel import Field, SQLModel

# The largest value of a PostgreSQL bigint: the range of the item ids (and of an offset).
BIGINT_MAX = 2**63 - 1
NAME_MAX_LENGTH = 200


def no_nul(value: str | None) -> str | None:
    """PostgreSQL's text types cannot hold the NUL character: a string with one is refused (422)."""
    if value is not None and "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    return value


class ItemBase(SQLModel):
    """Fields an item is created with."""

    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    description: str | None = None

    @field_validator("name", "description")
    @classmethod
    def text_without_nul(cls, value: str | None) -> str | None:
        return no_nul(value)


class Item(ItemBase, table=True):
    """A row of the ``item`` table (created by the first migration): a bigint identity key."""

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))


class ItemCreate(ItemBase):
    """Body of ``POST /items``."""


class ItemPublic(ItemBase):
    """An item as the API returns it: its id is always set."""

    id: int


class ItemUpdate(SQLModel):
    """Body of ``PATCH /items/{id}``: only the fields given change.

    ``description`` may be null (it clears the description); ``name`` may be left out but not null.
    """

    name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX_LENGTH)
    description: str | None = None

    @field_validator("name")
    @classmethod
    def name_not_null(cls, value: str | None) -> str | None:
        # Runs only for a name the body gives: a left-out name keeps its default and is not set.
        if value is None:
            raise ValueError("name cannot be null: leave it out to keep the current name")
        return no_nul(value)

    @field_validator("description")
    @classmethod
    def description_without_nul(cls, value: str | None) -> str | None:
        return no_nul(value)
