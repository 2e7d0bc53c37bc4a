"""HTTP entrypoint of {{name}}: the ASGI application served by uvicorn."""

from fastapi import FastAPI, HTTPException
from sqlmodel import select

from {{dbModule}} import SessionDep, lifespan
from {{modelsModule}} import Item, ItemCreate, ItemUpdate

{{variable}} = FastAPI(title="{{name}}", lifespan=lifespan)


@{{variable}}.get("{{healthPath}}")
def health() -> dict[str, str]:
    """Liveness probe, used by the container HEALTHCHECK. It does not touch the database."""
    return {"status": "ok"}


async def _get_item(session: SessionDep, item_id: int) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return item


@{{variable}}.post("/items", status_code=201)
async def create_item(body: ItemCreate, session: SessionDep) -> Item:
    item = Item.model_validate(body)
    session.add(item)
    await session.commit()
    await session.refresh(item)
    return item


@{{variable}}.get("/items")
async def list_items(session: SessionDep, offset: int = 0, limit: int = 100) -> list[Item]:
    result = await session.exec(select(Item).order_by(Item.id).offset(offset).limit(limit))
    return list(result.all())


@{{variable}}.get("/items/{item_id}")
async def read_item(item_id: int, session: SessionDep) -> Item:
    return await _get_item(session, item_id)


@{{variable}}.patch("/items/{item_id}")
async def update_item(item_id: int, body: ItemUpdate, session: SessionDep) -> Item:
    item = await _get_item(session, item_id)
    item.sqlmodel_update(body.model_dump(exclude_unset=True))
    session.add(item)
    await session.commit()
    await session.refresh(item)
    return item


@{{variable}}.delete("/items/{item_id}", status_code=204)
async def delete_item(item_id: int, session: SessionDep) -> None:
    item = await _get_item(session, item_id)
    await session.delete(item)
    await session.commit()
