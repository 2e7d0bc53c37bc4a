"""HTTP entrypoint of the service: the ASGI application served by uvicorn."""

from fastapi import FastAPI

{{variable}} = FastAPI(
    title="{{name}}",
)


@{{variable}}.get("{{healthPath}}")
def health() -> dict[str, str]:
    """Liveness probe, used by the container HEALTHCHECK."""
    return {"status": "ok"}
