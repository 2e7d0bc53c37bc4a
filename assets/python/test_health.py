"""Smoke test of the health endpoint."""

from fastapi.testclient import TestClient

from {{module}} import {{variable}}


def test_health_returns_ok() -> None:
    client = TestClient({{variable}})
    response = client.get("{{healthPath}}")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
