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


def storable_text(value: str | None) -> str | None:
    """Text PostgreSQL can store, else refused (422): no NUL character, and no lone surrogate
    (``"\\ud800"`` is valid JSON, but no UTF-8 text: the driver could not send it)."""
    if value is None:
        return value
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must not contain a lone surrogate (\\ud800 to \\udfff)") from None
    return value


class ItemBase(SQLModel):
    """Fields an item is created with."""

    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    description: str | None = None

    @field_validator("name", "description")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return storable_text(value)


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
        return storable_text(value)

    @field_validator("description")
    @classmethod
    def storable_description(cls, value: str | None) -> str | None:
        return storable_text(value)
