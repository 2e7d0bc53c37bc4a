"""HTTP entrypoint of the service: the ASGI application served by uvicorn."""

import os

from fastapi import FastAPI

from {{logsModule}} import RequestLogMiddleware, configure_logging

configure_logging(os.environ.get("LOG_LEVEL", "info"), os.environ.get("LOG_FORMAT", "json"))

{{variable}} = FastAPI(
    title="{{name}}",
)
{{variable}}.add_middleware(RequestLogMiddleware)


@{{variable}}.get("{{healthPath}}")
async def health() -> dict[str, str]:
    """Liveness probe, used by the container HEALTHCHECK."""
    return {"status": "ok"}


@{{variable}}.get("{{readyPath}}")
async def ready() -> dict[str, str]:
    """Readiness probe: this service has no database to wait for, so it is ready once it serves."""
    return {"status": "ready"}
