"""Drives a running generated service over HTTP: CRUD round trip, then concurrent load.

Run by scripts/integration.sh inside the Debian rootfs (httpx from Debian). Prints one line per check,
"PASS name" or "FAIL name: detail", then "SUMMARY requests=N errors=N seconds=S".
"""

import asyncio
import sys
import time

import httpx

BASE = sys.argv[1]
CONCURRENT = int(sys.argv[2])
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)


def crud(client: httpx.Client) -> None:
    created = [client.post("/items", json={"name": f"item {i}", "description": f"row {i}"}) for i in range(3)]
    check(
        "POST /items creates rows (201)",
        all(r.status_code == 201 for r in created),
        str([r.status_code for r in created]),
    )
    items = [r.json() for r in created]
    ids = [i["id"] for i in items]
    check("created rows get distinct ids", len(set(ids)) == 3, str(ids))
    read = [client.get(f"/items/{i}").json() for i in ids]
    check("GET /items/{id} reads back what was written", read == items, f"{read} != {items}")
    listed = client.get("/items", params={"limit": 1000}).json()
    check("GET /items lists the written rows", all(i in listed for i in items), str(listed)[:200])
    patched = client.patch(f"/items/{ids[0]}", json={"description": "changed"})
    check(
        "PATCH changes only the given field",
        patched.status_code == 200 and patched.json() == {**items[0], "description": "changed"},
        patched.text,
    )
    check("the change is persisted", client.get(f"/items/{ids[0]}").json()["description"] == "changed")
    deleted = client.delete(f"/items/{ids[1]}")
    check("DELETE returns 204", deleted.status_code == 204, str(deleted.status_code))
    check("a deleted row is gone (404)", client.get(f"/items/{ids[1]}").status_code == 404)


async def load() -> tuple[int, int, float, int]:
    """CONCURRENT requests at once, half writes, half reads; returns requests, errors, seconds."""
    errors: list[str] = []
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=BASE, limits=limits, timeout=60) as client:

        async def one(i: int) -> None:
            try:
                if i % 2 == 0:
                    r = await client.post("/items", json={"name": f"load {i}"})
                    ok = r.status_code == 201 and r.json()["name"] == f"load {i}"
                else:
                    r = await client.get("/items", params={"limit": 5})
                    ok = r.status_code == 200
                if not ok:
                    errors.append(f"{i}: {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as e:
                errors.append(f"{i}: {type(e).__name__} {e}")

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(CONCURRENT)))
        seconds = time.perf_counter() - start
        rows = (await client.get("/items", params={"limit": 100000})).json()
    for e in errors[:5]:
        print(f"  error {e}", flush=True)
    writes = sum(1 for row in rows if row["name"].startswith("load "))
    return CONCURRENT, len(errors), seconds, writes


def main() -> int:
    with httpx.Client(base_url=BASE, timeout=30) as client:
        check("health route answers 200", client.get("/health").status_code == 200)
        crud(client)
    requests, errors, seconds, writes = asyncio.run(load())
    check(f"{requests} concurrent requests, zero errors", errors == 0, f"{errors} errors")
    expected = (requests + 1) // 2
    check("every concurrent write is stored once", writes == expected, f"{writes} != {expected}")
    print(f"SUMMARY requests={requests} errors={errors} seconds={seconds:.2f}", flush=True)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
