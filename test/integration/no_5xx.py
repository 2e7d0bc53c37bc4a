"""Property test of the generated sample API: no input makes it answer 5xx.

Run against a live app (uvicorn -> PgBouncer in transaction mode -> PostgreSQL) by the root suites:

    python3 no_5xx.py http://127.0.0.1:PORT [--examples N]

Hypothesis (Debian's python3-hypothesis) sends random JSON bodies (and bytes that are not JSON),
random ids and random query strings to every sample route: POST /items, GET /items, GET, PATCH
and DELETE /items/{id}, and the health route. Every answer must be below 500. Prints one
"PASS <route>: ..." or "FAIL <route>: ..." line per route (the shell suites count them), the
status codes seen, and for a failure the request Hypothesis shrank it to.
"""

import argparse
import collections
import json
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

# Text the database layer is known to choke on when nothing stops it: NUL, lone surrogates, long.
NASTY_TEXT = st.sampled_from(["", "\x00", "a\x00b", "\ud800", "\udfff", "x" * 201, "x" * 2_000, " "])
# Any text, and text mixing NUL and a lone surrogate into letters.
TEXT = st.text() | NASTY_TEXT | st.text(st.sampled_from("a\x00\ud800"))
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
# Mostly item-shaped objects (the fields the routes read, with any values), sometimes anything.
ITEM_SHAPED = st.fixed_dictionaries(
    {}, optional={"name": JSON, "description": JSON, "id": JSON, "extra": JSON}
)
# Items with a text name (random text: NUL, lone surrogates, long), so most reach the database.
TEXT_ITEMS = st.fixed_dictionaries({"name": TEXT}, optional={"description": TEXT | st.none()})
BODY = TEXT_ITEMS | ITEM_SHAPED | JSON
RAW_BODY = st.binary(max_size=64)
IDS = (
    st.integers(min_value=-(2**70), max_value=2**70).map(str)
    | st.sampled_from(["0", "1", str(2**63 - 1), str(2**63), "-0", "1e3", "0x10", " 1", "abc"])
    | TEXT
)
QUERY = st.dictionaries(
    st.sampled_from(["offset", "limit", "other"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str) | TEXT,
    max_size=3,
)


class Probe:
    """Sends the requests, records every status code, remembers the first 5xx."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30)
        self.statuses: collections.Counter[int] = collections.Counter()
        self.failure: str | None = None

    def send(self, method: str, path: str, **kwargs: Any) -> None:
        try:
            request = self.client.build_request(method, path, **kwargs)
        except UnicodeEncodeError:
            reject()  # a lone surrogate in a query string: no HTTP client can send it
        response = self.client.send(request)
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            sent = {"method": method, "path": path, **{k: repr(v) for k, v in kwargs.items()}}
            self.failure = f"{response.status_code} for {sent}: {response.text[:300]}"
            raise AssertionError(self.failure)


def item_path(item_id: str) -> str:
    # surrogatepass: a lone surrogate goes out as its (invalid) UTF-8 bytes, percent-encoded.
    return "/items/" + quote(item_id.encode("utf-8", "surrogatepass"), safe="")


def encoded(body: object) -> bytes:
    # ensure_ascii: lone surrogates travel as \ud800 escapes, as a client may send them.
    return json.dumps(body, allow_nan=True).encode()


def run(name: str, probe: Probe, test: Callable[[], None]) -> bool:
    probe.statuses.clear()
    try:
        test()
    except Exception as error:  # a 5xx, or the request could not be made at all
        print(f"FAIL {name}: {probe.failure or f'{type(error).__name__}: {error}'}")
        return False
    seen = ", ".join(f"{code}x{n}" for code, n in sorted(probe.statuses.items()))
    print(f"PASS {name}: no 5xx in {sum(probe.statuses.values())} requests ({seen})")
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--health", default="/health")
    args = parser.parse_args()
    probe = Probe(args.base)
    created = probe.client.post("/items", json={"name": "property test"})
    if created.status_code != 201:
        print(f"FAIL property test setup: POST /items answered {created.status_code}")
        return 1
    known = str(created.json()["id"])
    ids = IDS | st.just(known)
    check = settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    json_headers = {"content-type": "application/json"}

    @check
    @given(body=BODY)
    def create(body: object) -> None:
        probe.send("POST", "/items", content=encoded(body), headers=json_headers)

    @check
    @given(raw=RAW_BODY)
    def create_raw(raw: bytes) -> None:
        probe.send("POST", "/items", content=raw, headers=json_headers)

    @check
    @given(query=QUERY)
    def list_items(query: dict[str, str]) -> None:
        probe.send("GET", "/items", params=query)

    @check
    @given(item_id=ids)
    def read(item_id: str) -> None:
        probe.send("GET", item_path(item_id))

    @check
    @given(item_id=ids, body=BODY)
    def update(item_id: str, body: object) -> None:
        probe.send("PATCH", item_path(item_id), content=encoded(body), headers=json_headers)

    @check
    @given(item_id=ids)
    def delete(item_id: str) -> None:
        probe.send("DELETE", item_path(item_id))

    @check
    @given(query=QUERY)
    def health(query: dict[str, str]) -> None:
        probe.send("GET", args.health, params=query)

    routes: list[tuple[str, Callable[[], None]]] = [
        ("POST /items with random JSON bodies", create),
        ("POST /items with random bytes", create_raw),
        ("GET /items with random query strings", list_items),
        ("GET /items/{id} with random ids", read),
        ("PATCH /items/{id} with random ids and bodies", update),
        ("DELETE /items/{id} with random ids", delete),
        (f"GET {args.health} with random query strings", health),
    ]
    results = [run(name, probe, test) for name, test in routes]
    total = sum(1 for ok in results if ok)
    print(f"SUMMARY property test: {total} of {len(results)} routes without a 5xx, {args.examples} examples each")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
