"""Drives a running generated service over HTTP: health, CRUD round trip, then concurrent load.

Run by scripts/suites/integration.sh and scripts/suites/docker-integration.sh inside the Debian rootfs (httpx from Debian).
Usage: client.py BASE_URL [--writes N] [--reads N] [--health PATH]
Prints one line per check, "PASS name" or "FAIL name: detail", then
"SUMMARY requests=N writes=N errors=N seconds=S writes_per_second=W".
"""

import argparse
import asyncio
import sys
import time

import httpx

results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)


PAGE = 100  # the sample API's largest page (GET /items?limit=)


def all_items(client: httpx.Client) -> list[dict]:
    """Every item, page by page (GET /items?offset=&limit=100)."""
    rows: list[dict] = []
    while True:
        page = client.get("/items", params={"offset": len(rows), "limit": PAGE})
        page.raise_for_status()
        rows += page.json()
        if len(page.json()) < PAGE:
            return rows


def crud(client: httpx.Client) -> None:
    created = [client.post("/items", json={"name": f"item {i}", "description": f"row {i}"}) for i in range(3)]
    check(
        "POST /items creates rows (201)",
        all(r.status_code == 201 for r in created),
        str([(r.status_code, r.text[:200]) for r in created]),
    )
    if not all(r.status_code == 201 for r in created):
        return
    items = [r.json() for r in created]
    ids = [i["id"] for i in items]
    check("created rows get distinct ids", len(set(ids)) == 3, str(ids))
    read = [client.get(f"/items/{i}").json() for i in ids]
    check("GET /items/{id} reads back what was written", read == items, f"{read} != {items}")
    listed = all_items(client)
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


async def load(base: str, writes: int, reads: int) -> tuple[int, float, int]:
    """`writes` POSTs and `reads` GETs, all at once; returns errors, seconds, rows named "load <i>" after."""
    errors: list[str] = []
    total = writes + reads
    limits = httpx.Limits(max_connections=total, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def one(i: int) -> None:
            try:
                if i < writes:
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
        await asyncio.gather(*(one(i) for i in range(total)))
        seconds = time.perf_counter() - start
    with httpx.Client(base_url=base, timeout=120) as sync_client:
        rows = all_items(sync_client)
    for e in errors[:5]:
        print(f"  error {e}", flush=True)
    stored = sum(1 for row in rows if row["name"].startswith("load "))
    return len(errors), seconds, stored


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--reads", type=int, default=50)
    parser.add_argument("--health", default="/health")
    args = parser.parse_args()
    with httpx.Client(base_url=args.base, timeout=30) as client:
        check(f"health route {args.health} answers 200", client.get(args.health).status_code == 200)
        crud(client)
    errors, seconds, stored = asyncio.run(load(args.base, args.writes, args.reads))
    total = args.writes + args.reads
    check(f"{total} concurrent requests ({args.writes} writes), zero errors", errors == 0, f"{errors} errors")
    check("every concurrent write is stored once", stored == args.writes, f"{stored} != {args.writes}")
    print(
        f"SUMMARY requests={total} writes={args.writes} errors={errors} seconds={seconds:.2f} "
        f"writes_per_second={args.writes / seconds:.0f}",
        flush=True,
    )
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
