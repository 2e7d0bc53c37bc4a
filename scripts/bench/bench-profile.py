"""Where one request's time goes: cProfile of N requests served in-process by an ASGI app.

Run by scripts/bench/bench-profile.sh inside the rootfs, in the app's directory, with its database URL in the
environment: ``python3 bench_profile.py MODULE:VARIABLE ROUTE N``, ROUTE being ``post`` (POST /items) or
``item`` (GET /items/{id} of the first 1000 ids). The app runs its own lifespan (its engine and pool) on
uvloop when the rootfs has it; the requests go through httpx's ASGI transport, so no socket and no HTTP
parsing are measured, only the app, its framework and its driver (and httpx's client). Prints the wall
and CPU time per request without the profiler, then, profiled on the process's CPU clock (waits for
the database count for nothing), the CPU time by package (each function's own time, "tottime") and
the functions of most own time. The report goes to stderr; the app's own log lines to stdout.
"""

import cProfile
import importlib
import logging
import pstats
import sys
import time
from collections import defaultdict
from typing import Any

import httpx

WARMUP = 200


def say(line: str) -> None:
    print(line, file=sys.stderr)


def package_of(filename: str) -> str:
    """The package a profiled function belongs to, from its file (C functions: "C (builtins, drivers' C code)")."""
    if filename.startswith("~") or filename.startswith("<"):
        return "C (builtins, extension modules)"
    for marker in ("/dist-packages/", "/site-packages/"):
        if marker in filename:
            return filename.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/python3." in filename:
        rest = filename.split("/python3.", 1)[1].split("/", 1)[1]
        return "stdlib " + rest.split("/", 1)[0].removesuffix(".py")
    return "the app's own code"


async def serve(app: Any, route: str, n: int, profile: cProfile.Profile | None) -> tuple[float, float]:
    async def one(client: httpx.AsyncClient, i: int) -> None:
        if route == "post":
            r = await client.post("/items", json={"name": f"profile {i}", "description": "cProfile"})
            assert r.status_code == 201, r.text
        else:
            r = await client.get(f"/items/{1 + i % 1000}")
            assert r.status_code == 200, r.text

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://profile") as client:
        for i in range(WARMUP):
            await one(client, i)
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        for i in range(n):
            await one(client, i)
        if profile:
            profile.disable()
        return (time.perf_counter() - started) / n, (time.process_time() - cpu) / n


async def main(target: str, route: str, n: int) -> None:
    module, variable = target.split(":")
    app = getattr(importlib.import_module(module), variable)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the client's own lines: not the service's
    profile = cProfile.Profile(time.process_time)
    async with app.router.lifespan_context(app):
        wall, cpu = await serve(app, route, n, None)
        await serve(app, route, n, profile)
    say(f"{target} {route}: {wall * 1000:.3f} ms wall and {cpu * 1000:.3f} ms CPU per request in-process ({n} requests)")
    stats = pstats.Stats(profile)
    by_package: dict[str, float] = defaultdict(float)
    total = 0.0
    rows = []
    for (filename, line, name), (_cc, calls, tottime, _cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[package_of(filename)] += tottime
        total += tottime
        rows.append((tottime, calls, f"{package_of(filename)}: {name} ({filename.rsplit('/', 1)[-1]}:{line})"))
    say(f"  CPU by package (of {total / n * 1000:.3f} ms per request under cProfile):")
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:12]:
        say(f"    {100 * seconds / total:5.1f}%  {seconds / n * 1000:7.3f} ms  {package}")
    say("  the app's own functions, by CPU including what they call (cumtime):")
    own = [(cum, calls, f"{name} ({filename.rsplit('/', 1)[-1]}:{line})")
           for (filename, line, name), (_cc, calls, _tt, cum, _callers) in stats.stats.items()  # type: ignore[attr-defined]
           if package_of(filename) == "the app's own code"]
    for cum, calls, label in sorted(own, reverse=True)[:10]:
        say(f"    {100 * cum / total:5.1f}%  {calls / n:6.1f} calls/request  {label}")
    say("  functions of most own CPU time:")
    for tottime, calls, label in sorted(rows, reverse=True)[:15]:
        say(f"    {100 * tottime / total:5.1f}%  {calls / n:6.1f} calls/request  {label}")


if __name__ == "__main__":
    try:
        from uvloop import run  # uvicorn's loop when uvloop is installed, as in production
    except ImportError:
        from asyncio import run
    run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
