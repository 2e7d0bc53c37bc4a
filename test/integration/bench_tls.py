"""The cost of a new connection per sslmode, for asyncpg and psycopg (libpq): figures, not a test.

Run by scripts/suites/integration-tls.sh in the rootfs against its PostgreSQL (TLS 1.3, scram-sha-256, over
TCP on 127.0.0.1): N sequential connect + "select 1" + close per row, as the app does per request
with NullPool. Prints milliseconds per connection: wall time and this process' CPU time (the event
loop's share, which is what limits a busy service), median over the rows' batches.

"verify-full, system store" loads Debian's CA bundle plus the test CA: what a real trust store costs.
asyncpg gets an SSLContext built once per engine (as db.py does); libpq builds its own per connection.
"""

import asyncio
import os
import ssl
import statistics
import sys
import tempfile
import time

import asyncpg
import psycopg

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
CA = os.environ["ITEST_CA"]
PASSWORD = os.environ["ITEST_PASSWORD"]
DBNAME = os.environ["ITEST_DBNAME"]
PORT = int(os.environ["ITEST_PG_PORT"])
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
BATCHES = 5


def system_store_with_test_ca() -> str:
    with open(SYSTEM_BUNDLE) as system, open(CA) as ca:
        bundle = system.read() + ca.read()
    f = tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False)
    f.write(bundle)
    f.close()
    return f.name


def measure(run) -> tuple[float, float]:
    """Median wall and CPU milliseconds per connection over BATCHES batches of N // BATCHES."""
    per = N // BATCHES
    walls, cpus = [], []
    run(2)  # warm up
    for _ in range(BATCHES):
        w, c = time.perf_counter(), time.process_time()
        run(per)
        walls.append((time.perf_counter() - w) * 1000 / per)
        cpus.append((time.process_time() - c) * 1000 / per)
    return statistics.median(walls), statistics.median(cpus)


def asyncpg_run(host: str, make_ssl):
    async def many(n: int) -> None:
        for _ in range(n):
            conn = await asyncpg.connect(
                host=host, port=PORT, user="app", password=PASSWORD, database=DBNAME, ssl=make_ssl()
            )
            await conn.fetchval("select 1")
            await conn.close()

    return lambda n: asyncio.run(many(n))


def psycopg_run(host: str, query: str):
    conninfo = f"postgresql://app:{PASSWORD}@{host}:{PORT}/{DBNAME}?{query}"

    def many(n: int) -> None:
        for _ in range(n):
            with psycopg.connect(conninfo) as conn:
                conn.execute("select 1")

    return many


def context(cafile: str | None, *, verify: bool) -> ssl.SSLContext:
    c = ssl.create_default_context(cafile=cafile)
    if not verify:
        c.check_hostname = False
        c.verify_mode = ssl.CERT_NONE
    return c


def main() -> None:
    bundle = system_store_with_test_ca()
    try:
        store = ssl.create_default_context(cafile=bundle).cert_store_stats()["x509_ca"]
        require = context(None, verify=False)
        test_ca = context(CA, verify=True)
        system = context(bundle, verify=True)
        rows = [
            ("asyncpg", "disable (plain TCP)", asyncpg_run("localhost", lambda: False)),
            ("asyncpg", "require (not authenticated)", asyncpg_run("localhost", lambda: require)),
            ("asyncpg", "verify-full, test CA file", asyncpg_run("localhost", lambda: test_ca)),
            (
                "asyncpg",
                f"verify-full, system store ({store} CAs)",
                asyncpg_run("localhost", lambda: system),
            ),
            (
                "asyncpg",
                "verify-full, system store rebuilt per connection",
                asyncpg_run("localhost", lambda: context(bundle, verify=True)),
            ),
            ("psycopg", "disable (plain TCP)", psycopg_run("localhost", "sslmode=disable")),
            ("psycopg", "require (not authenticated)", psycopg_run("localhost", "sslmode=require")),
            (
                "psycopg",
                "require + channel_binding=require",
                psycopg_run("localhost", "sslmode=require&channel_binding=require"),
            ),
            (
                "psycopg",
                "verify-full, test CA file",
                psycopg_run("localhost", f"sslmode=verify-full&sslrootcert={CA}"),
            ),
            (
                "psycopg",
                f"verify-full, system store ({store} CAs)",
                psycopg_run("localhost", f"sslmode=verify-full&sslrootcert={bundle}"),
            ),
        ]
        print(f"{'driver':8} {'sslmode':50} {'wall ms':>8} {'CPU ms':>7}   per connection, N={N}")
        for driver, label, run in rows:
            wall, cpu = measure(run)
            print(f"{driver:8} {label:50} {wall:8.2f} {cpu:7.2f}", flush=True)
    finally:
        os.unlink(bundle)


if __name__ == "__main__":
    main()
