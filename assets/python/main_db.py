"""HTTP entrypoint of the service: the ASGI application served by uvicorn.

Every bad request gets a 4xx, never a 500: bodies, ids and query strings are validated before they
reach the database (422), and an id that names no item is a 404.
"""

import math
from collections.abc import Sequence
from typing import Annotated, Any, cast

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Table, exc, insert, inspect
from sqlmodel import col, select

from {{dbModule}} import SessionDep, database_ready, lifespan
from {{logsModule}} import RequestLogMiddleware, configure_logging, logger
from {{modelsModule}} import BIGINT_MAX, Item, ItemCreate, ItemPublic, ItemUpdate
from {{settingsModule}} import service_settings

# Before uvicorn's first line: its own lines (startup, errors) come out in the same format.
configure_logging(service_settings().log_level, service_settings().log_format)

{{variable}} = FastAPI(
    title="{{name}}",
    lifespan=lifespan,
)
{{variable}}.add_middleware(RequestLogMiddleware)

PAGE_SIZE_MAX = 100
ItemId = Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The item's id.")]
Offset = Annotated[
    int,
    Query(ge=0, le=BIGINT_MAX, description="How many items to skip, in id order."),
]
Limit = Annotated[
    int,
    Query(ge=1, le=PAGE_SIZE_MAX, description=f"Items to return: 1 to {PAGE_SIZE_MAX}."),
]
# The table behind Item (a declarative class's local table is its Table), for Core statements.
ITEM_TABLE = cast(Table, inspect(Item).local_table)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No item has this id."}}


def _writable(value: Any) -> Any:
    """``value`` with what JSON cannot write made text: NaN and Infinity (Python's JSON parser reads
    them) and lone surrogates (``"\\ud800"`` parses, but is no UTF-8)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_writable(key): _writable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_writable(item) for item in value]
    return value


@{{variable}}.exception_handler(RequestValidationError)
async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 answer, for any input: its own handler echoes the bad value and fails (500)
    when JSON cannot write it."""
    detail = _writable(jsonable_encoder(error.errors()))
    return JSONResponse(status_code=422, content={"detail": detail})


TIMED_OUT = "the database did not answer in time"
# SQLSTATEs of a statement cut by its timeout (statement_timeout, lock_timeout).
_TIMED_OUT = {"57014", "55P03"}


def _sqlstate(error: exc.DBAPIError) -> str | None:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if isinstance(code, str) else None


@{{variable}}.exception_handler(exc.DBAPIError)
async def database_error(_request: Request, error: exc.DBAPIError) -> JSONResponse:
    """A statement cut by its timeout is a 504, a database that cannot be reached a 503; the
    session's transaction is rolled back and its connection goes back to the pool clean."""
    if _sqlstate(error) in _TIMED_OUT:
        logger.warning("504: a statement was cut by its timeout: %s", error.orig)
        return JSONResponse(status_code=504, content={"detail": TIMED_OUT})
    unreachable = isinstance(error, (exc.OperationalError, exc.InterfaceError))
    if unreachable or error.connection_invalidated:
        # The client learns only that it may retry; the log says why (a refused TLS check...).
        logger.warning("503: the database is unavailable: %s", error.orig)
        return JSONResponse(status_code=503, content={"detail": "the database is unavailable"})
    raise error


@{{variable}}.exception_handler(exc.TimeoutError)
async def pool_exhausted(_request: Request, error: exc.TimeoutError) -> JSONResponse:
    """No pooled connection came free within DB_POOL_TIMEOUT_SECONDS."""
    logger.warning("503: no pooled connection came free in time: %s", error)
    busy = {"detail": "the database is busy"}
    return JSONResponse(status_code=503, content=busy, headers={"Retry-After": "1"})


@{{variable}}.exception_handler(TimeoutError)
async def client_timeout(_request: Request, error: TimeoutError) -> JSONResponse:
    """asyncpg's own bound (DB_STATEMENT_TIMEOUT_SECONDS plus a margin) or a connect timeout."""
    logger.warning("504: the database did not answer within the client's bound: %r", error)
    return JSONResponse(status_code=504, content={"detail": TIMED_OUT})


@{{variable}}.get("{{healthPath}}")
async def health() -> dict[str, str]:
    """Liveness probe, used by the container HEALTHCHECK. It does not touch the database."""
    return {"status": "ok"}


@{{variable}}.get("{{readyPath}}", responses={503: {"description": "The database does not answer."}})
async def ready() -> JSONResponse:
    """Readiness probe: 200 when the database answers through the pool within
    READY_TIMEOUT_SECONDS, 503 while it does not (the pod is taken out of the Service)."""
    if await database_ready(service_settings().ready_timeout_seconds):
        return JSONResponse(status_code=200, content={"status": "ready"})
    return JSONResponse(status_code=503, content={"detail": "the database is unavailable"})


async def _get_item(session: SessionDep, item_id: int) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return item


@{{variable}}.post("/items", status_code=201, response_model=ItemPublic)
async def create_item(body: ItemCreate, session: SessionDep) -> ItemPublic:
    # One round trip for the row: INSERT ... RETURNING gives the id the database assigned. A Core
    # statement on the table: the ORM's unit of work and identity map cost CPU on every write, for a
    # row this request only returns.
    statement = insert(ITEM_TABLE).values(body.model_dump()).returning(*ITEM_TABLE.c)
    row = (await session.execute(statement)).one()
    await session.commit()
    return ItemPublic.model_validate(row._mapping)


@{{variable}}.get("/items", response_model=list[ItemPublic])
async def list_items(
    session: SessionDep,
    offset: Offset = 0,
    limit: Limit = PAGE_SIZE_MAX,
) -> Sequence[Item]:
    """A page of items in id order: ``offset`` items skipped, at most ``limit`` returned."""
    result = await session.exec(select(Item).order_by(col(Item.id)).offset(offset).limit(limit))
    return result.all()


@{{variable}}.get("/items/{item_id}", response_model=ItemPublic, responses=NOT_FOUND)
async def read_item(item_id: ItemId, session: SessionDep) -> Item:
    return await _get_item(session, item_id)


@{{variable}}.patch("/items/{item_id}", response_model=ItemPublic, responses=NOT_FOUND)
async def update_item(item_id: ItemId, body: ItemUpdate, session: SessionDep) -> Item:
    item = await _get_item(session, item_id)
    item.sqlmodel_update(body.model_dump(exclude_unset=True))
    session.add(item)
    await session.commit()  # expire_on_commit=False: the item keeps its values, no re-read
    return item


@{{variable}}.delete("/items/{item_id}", status_code=204, responses=NOT_FOUND)
async def delete_item(item_id: ItemId, session: SessionDep) -> None:
    item = await _get_item(session, item_id)
    await session.delete(item)
    await session.commit()
