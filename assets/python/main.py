"""HTTP entrypoint of the service: the ASGI application served by uvicorn."""

from fastapi import FastAPI

from {{logsModule}} import RequestLogMiddleware, configure_logging
from {{settingsModule}} import service_settings

# Before uvicorn's first line: its own lines (startup, errors) come out in the same format.
configure_logging(service_settings().log_level, service_settings().log_format)

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
