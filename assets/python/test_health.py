"""Smoke test of the health endpoint and of the request id every answer carries."""

import json
import re

import pytest
from fastapi.testclient import TestClient

{{appImports}}


def test_health_returns_ok() -> None:
    client = TestClient({{variable}})
    response = client.get("{{healthPath}}")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_well_formed_request_id_is_sent_back() -> None:
    client = TestClient({{variable}})
    response = client.get("{{healthPath}}", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


@pytest.mark.parametrize(
    "sent",
    ["has space", "x" * 129, "", "a;b", "é"],
    ids=["space", "too long", "empty", "semicolon", "non-ascii"],
)
def test_a_malformed_request_id_is_replaced(sent: str) -> None:
    client = TestClient({{variable}})
    response = client.get("{{healthPath}}", headers={b"X-Request-ID": sent.encode()})
    assert re.fullmatch("[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_a_request_gets_a_new_id_without_one() -> None:
    client = TestClient({{variable}})
    first = client.get("{{healthPath}}").headers["X-Request-ID"]
    second = client.get("{{healthPath}}").headers["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", first)
    assert first != second


def test_one_json_log_line_per_request_with_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info", "json")
    client = TestClient({{variable}})
    client.get("{{healthPath}}", headers={"X-Request-ID": "trace-42"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    mine = [line for line in lines if line.get("request_id") == "trace-42"]
    assert len(mine) == 1
    assert mine[0]["method"] == "GET"
    assert mine[0]["path"] == "{{healthPath}}"
    assert mine[0]["status"] == 200
    assert mine[0]["duration_ms"] >= 0
