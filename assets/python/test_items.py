"""Every item route against a real database, through the pooler: its success and error codes.

The ``client`` fixture (conftest.py) serves the app on a database of its own, every table empty at
the start of each test. Without the database URLs these tests are skipped, and ``pytest -ra`` says
how to run them.
"""

import os
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

import {{dbModule}} as db

# A valid id that no item has: the largest bigint.
MISSING_ID = 2**63 - 1
BAD_IDS = ["0", "-1", "abc", "1.5", str(2**63)]


def _create(client: TestClient, name: str, description: str | None = None) -> dict[str, Any]:
    response = client.post("/items", json={"name": name, "description": description})
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def test_create_returns_201_and_the_item_with_its_id(client: TestClient) -> None:
    item = _create(client, "first", "from a test")
    assert isinstance(item["id"], int)
    assert item == {"id": item["id"], "name": "first", "description": "from a test"}
    assert client.get(f"/items/{item['id']}").json() == item


@pytest.mark.parametrize(
    "body",
    [{}, {"name": None}, {"name": ""}, {"name": "x" * 201}, {"name": "a\x00b"}, {"name": 5}, ["x"]],
    ids=["no name", "null name", "empty name", "long name", "NUL in name", "number", "not a dict"],
)
def test_create_refuses_a_bad_body_with_422(client: TestClient, body: object) -> None:
    assert client.post("/items", json=body).status_code == 422
    assert client.get("/items").json() == []


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"name": "a\\ud800"}', b'{"name": "a", "description": "\\udfff"}'],
    ids=["malformed JSON", "lone surrogate in name", "lone surrogate in description"],
)
def test_create_refuses_unstorable_json_with_422(client: TestClient, raw: bytes) -> None:
    # Raw bytes: a JSON client encodes text as UTF-8, which no lone surrogate is.
    response = client.post("/items", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert client.get("/items").json() == []


def test_read_returns_200_or_404(client: TestClient) -> None:
    item = _create(client, "read me")
    assert client.get(f"/items/{item['id']}").status_code == 200
    response = client.get(f"/items/{MISSING_ID}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"item {MISSING_ID} not found"}


@pytest.mark.parametrize("item_id", BAD_IDS)
def test_every_item_route_refuses_a_bad_id_with_422(client: TestClient, item_id: str) -> None:
    assert client.get(f"/items/{item_id}").status_code == 422
    assert client.patch(f"/items/{item_id}", json={"name": "x"}).status_code == 422
    assert client.delete(f"/items/{item_id}").status_code == 422


def test_list_pages_through_the_items_in_id_order(client: TestClient) -> None:
    ids = [_create(client, f"item {n}")["id"] for n in range(3)]

    def page(**params: int) -> list[int]:
        response = client.get("/items", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()]

    assert page() == ids
    assert page(limit=2) == ids[:2]
    assert page(offset=2, limit=2) == ids[2:]
    assert page(offset=3) == []
    assert page(limit=100, offset=0) == ids


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"offset": -1}, {"offset": 2**63}],
    ids=["limit 0", "limit 101", "limit not a number", "negative offset", "offset past bigint"],
)
def test_list_refuses_bad_paging_with_422(client: TestClient, params: dict[str, int | str]) -> None:
    assert client.get("/items", params=params).status_code == 422


def test_update_changes_only_the_fields_given(client: TestClient) -> None:
    item = _create(client, "before", "kept")
    url = f"/items/{item['id']}"
    renamed = client.patch(url, json={"name": "after"})
    assert renamed.status_code == 200
    assert renamed.json() == {**item, "name": "after"}
    cleared = client.patch(url, json={"description": None})
    assert cleared.status_code == 200
    assert client.get(url).json() == {**item, "name": "after", "description": None}


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"name": ""}, {"name": "x" * 201}, {"description": "\x00"}, ["name"]],
    ids=["null name", "empty name", "long name", "NUL in description", "not an object"],
)
def test_update_refuses_a_bad_body_with_422(client: TestClient, body: object) -> None:
    item = _create(client, "unchanged", "as created")
    assert client.patch(f"/items/{item['id']}", json=body).status_code == 422
    assert client.get(f"/items/{item['id']}").json() == item


def test_update_of_a_missing_item_is_404(client: TestClient) -> None:
    assert client.patch(f"/items/{MISSING_ID}", json={"name": "x"}).status_code == 404


def test_delete_returns_204_then_the_item_is_gone(client: TestClient) -> None:
    item = _create(client, "delete me")
    url = f"/items/{item['id']}"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404


def test_ready_is_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("{{readyPath}}")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_ready_is_503_while_the_database_does_not_answer(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A port nothing listens on: the pooled URL's host with port 1.
    url = make_url(os.environ[db.POOLED_URL_ENV]).set(host="127.0.0.1", port=1)
    monkeypatch.setenv(db.POOLED_URL_ENV, url.render_as_string(hide_password=False))
    db.get_engine.cache_clear()
    try:
        response = client.get("{{readyPath}}")
    finally:
        db.get_engine.cache_clear()
    assert response.status_code == 503
    assert response.json() == {"detail": "the database is unavailable"}
    assert client.get("{{healthPath}}").status_code == 200
