"""Round trip through the item routes against a real database.

Skipped unless the pooled URL (URL_ENV below) is set. Locally: npx projen db:up, then db:migrate.
"""

import os

import pytest
from fastapi.testclient import TestClient

from {{module}} import {{variable}}

URL_ENV = "{{pooledUrlEnv}}"
pytestmark = pytest.mark.skipif(not os.environ.get(URL_ENV), reason=f"{URL_ENV} is not set")


def test_item_round_trip() -> None:
    with TestClient({{variable}}) as client:
        created = client.post("/items", json={"name": "first", "description": "from a test"})
        assert created.status_code == 201
        item = created.json()
        url = f"/items/{item['id']}"
        assert client.get(url).json() == item
        assert client.patch(url, json={"name": "renamed"}).json()["name"] == "renamed"
        assert client.delete(url).status_code == 204
        assert client.get(url).status_code == 404
