"""The hand-written peer of scripts/bench/bench-service.sh: the smallest FastAPI + asyncpg app a user would
write for the sample routes (POST /items, GET /items/{id}, GET /items, GET /health), on the same table
and with the same JSON in and out as the generated service. No ORM, an asyncpg pool of 10 per worker,
``INSERT ... RETURNING``, asyncpg's statement cache on (PgBouncer >= 1.21 tracks prepared statements).

Run by the benchmark only: ``uvicorn bench_peer:app``, with the pooled URL in DATABASE_URL
(``postgresql://...?sslmode=require``: TLS, the server not authenticated; the benchmark's own pooler).
"""

import os
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import asyncpg
from fastapi import FastAPI, HTTPException, Path, Query
from pydantic import BaseModel, Field

POOL: asyncpg.Pool | None = None


def _ssl() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    global POOL
    url = os.environ["DATABASE_URL"].split("?", 1)[0]
    POOL = await asyncpg.create_pool(url, ssl=_ssl(), min_size=10, max_size=10)
    try:
        yield
    finally:
        await POOL.close()


app = FastAPI(lifespan=lifespan)


class ItemCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None


class ItemPublic(ItemCreate):
    id: int


def _pool() -> asyncpg.Pool:
    assert POOL is not None
    return POOL


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/items", status_code=201, response_model=ItemPublic)
async def create_item(body: ItemCreate) -> Any:
    row = await _pool().fetchrow(
        "INSERT INTO item (name, description) VALUES ($1, $2) RETURNING id, name, description",
        body.name,
        body.description,
    )
    return dict(row)


@app.get("/items/{item_id}", response_model=ItemPublic)
async def read_item(item_id: Annotated[int, Path(ge=1, le=2**63 - 1)]) -> Any:
    row = await _pool().fetchrow("SELECT id, name, description FROM item WHERE id = $1", item_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return dict(row)


@app.get("/items", response_model=list[ItemPublic])
async def list_items(
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=100)] = 100
) -> Any:
    rows = await _pool().fetch(
        "SELECT id, name, description FROM item ORDER BY id OFFSET $1 LIMIT $2", offset, limit
    )
    return [dict(row) for row in rows]
