# {{marker}}
"""Runtime settings of the service, read from the environment when the process starts.

Each component owns the settings of its own facts and declares them where it uses them:
this module holds the service's own (below) and the one way every settings class is loaded
(``settings_error``); the database's (pool, timeouts, the URLs) are ``DatabaseSettings`` in db.py,
written by the database layer, whose defaults come from ``databaseOptions`` in .projenrc.ts.
A bad value stops startup with one line naming the variable and what is wrong with it: the
runtime CMD runs this module first (``python -m``, so ``check_settings``), before uvicorn starts
its workers, which would otherwise each exit on it and be restarted forever.

Locally the tasks load .env (``uv run --env-file .env``); in production the platform sets the
variables. The service README lists every one, with its default.
"""

import functools
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(SystemExit):
    """A setting has a bad value. A SystemExit: the process ends with this one line, no
    traceback."""


class ServiceSettings(BaseSettings):
    """The service's own settings (logging, readiness)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    log_level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    """LOG_LEVEL: the lowest level of log line written."""
    log_format: Literal["json", "text"] = "{{logFormat}}"
    """LOG_FORMAT: ``json`` (one JSON object per line, for production) or ``text`` (local work)."""
    ready_timeout_seconds: float = Field(default={{readyTimeoutSeconds}}, gt=0, le=60)
    """READY_TIMEOUT_SECONDS: how long the readiness check waits for the database."""


def _variable(model: type[BaseSettings], field: str) -> str:
    info = model.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, str):
        return alias
    return f"{model.model_config.get('env_prefix', '')}{field}".upper()


def settings_error(model: type[BaseSettings], error: ValidationError) -> SettingsError:
    """The one error for the bad values of ``model`` in ``error``, each with its variable."""
    problems = []
    for e in error.errors():
        name = _variable(model, str(e["loc"][0])) if e["loc"] else model.__name__
        problems.append(f"{name}={e.get('input')!r}: {e['msg']}")
    return SettingsError("Invalid setting: " + "; ".join(problems))


@functools.cache
def service_settings() -> ServiceSettings:
    """The service's settings of this process (read once)."""
    try:
        return ServiceSettings()
    except ValidationError as error:
        raise settings_error(ServiceSettings, error) from None


def check_settings() -> None:
    """Reads every setting of the service once: the service's own, then each component's. A bad
    value ends the process with one line naming the variable (exit status 1)."""
    service_settings()
{{loaders}}

if __name__ == "__main__":
    check_settings()
