"""Writes items through a running generated service until told to stop, recording every outcome.

Run by scripts/suites/integration-restart.sh inside the Debian rootfs (httpx from Debian), while PgBouncer and
Postgres are restarted under it. Usage: writer.py BASE_URL CONCURRENCY OUT_FILE STOP_FILE

Each line of OUT_FILE: "<unix time> <status or ERR> <id or -> <name>", flushed as it happens;
the name is unique per request, so a 2xx can be looked up in the table afterwards.
"""

import asyncio
import os
import sys
import time

import httpx

BASE, CONCURRENCY, OUT, STOP = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
PAUSE = 0.02  # seconds between two writes of one writer: a steady load that leaves CPU for the servers


async def writer(client: httpx.AsyncClient, index: int, out) -> None:
    seq = 0
    while not os.path.exists(STOP):
        seq += 1
        name = f"rt-{os.getpid()}-{index}-{seq}"
        try:
            response = await client.post("/items", json={"name": name, "description": "restart test"})
            status = str(response.status_code)
            item_id = str(response.json().get("id", "-")) if response.status_code < 300 else "-"
        except (httpx.HTTPError, ValueError) as error:
            status, item_id = "ERR", "-"
            name = f"{name} {type(error).__name__}"
        out.write(f"{time.time():.3f} {status} {item_id} {name}\n")
        out.flush()
        await asyncio.sleep(PAUSE)


async def main() -> None:
    with open(OUT, "w", encoding="utf-8") as out:
        async with httpx.AsyncClient(base_url=BASE, timeout=15) as client:
            await asyncio.gather(*(writer(client, i, out) for i in range(CONCURRENCY)))


asyncio.run(main())
