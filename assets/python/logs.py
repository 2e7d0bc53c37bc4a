# {{marker}}
"""Logging of the service: one line per request, every line with its request's id.

``configure_logging`` sends every log line (the app's and uvicorn's own: startup, errors) to stdout,
as one JSON object per line (``json``, for production) or as plain text (``text``, for local work),
and silences uvicorn's access log: ``RequestLogMiddleware`` writes one line per request instead
(method, path, status, duration, client address, request id), and an error's line carries its
traceback.

``X-Request-ID`` is taken from the request when it is 1 to 128 of ``A-Z a-z 0-9 - _ . : = + /``
(a UUID, a trace id, base64), else replaced by a new one (``uuid4().hex``); it is sent back in the
response and set in every line logged while the request runs (``request_id``, a context variable).
"""

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")
LEVELS = ("debug", "info", "warning", "error", "critical")
FORMATS = ("json", "text")
INTERNAL_ERROR = b'{"detail":"internal server error"}'

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
"""The id of the request being served; None outside a request (startup, shutdown)."""

logger = logging.getLogger("{{loggerName}}")
"""The request lines' logger."""

# Attributes of every LogRecord: the others were passed with ``extra=`` and go into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class _RequestIdFilter(logging.Filter):
    """Sets ``record.request_id`` from the context of the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the ``extra=`` fields,
    and ``exception`` (the traceback) when the line reports one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{seconds}.{int(record.msecs):03d}Z"


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"{text} [request_id={rid}]" if rid else text


def configure_logging(level: str = "info", log_format: str = "json") -> None:
    """Every log line to stdout in ``log_format`` from ``level`` up, uvicorn's included; uvicorn's
    access log off (the middleware writes one line per request). A bad value stops the process with
    one line naming the variable."""
    if level not in LEVELS:
        raise SystemExit(
            f"Invalid setting: LOG_LEVEL={level!r}: expected one of {', '.join(LEVELS)}"
        )
    if log_format not in FORMATS:
        raise SystemExit(f"Invalid setting: LOG_FORMAT={log_format!r}: expected json or text")
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn = logging.getLogger(name)
        uvicorn.handlers.clear()
        uvicorn.setLevel(level.upper())
        uvicorn.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


def _request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            text = value.decode("latin-1")
            return text if REQUEST_ID.fullmatch(text) else uuid.uuid4().hex
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """ASGI middleware: the request id (taken or made, sent back, set for every log line) and one
    log line per request. An error no handler answered is logged with its traceback and answered
    with a JSON 500 carrying the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id_of(scope)
        token = request_id.set(rid)
        start = time.perf_counter()
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                message["headers"] = [*headers, (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        # The client address as uvicorn gives it: X-Forwarded-For's only when the peer is a proxy
        # listed in FORWARDED_ALLOW_IPS (--proxy-headers), else the peer's own.
        client = scope.get("client")
        fields: dict[str, Any] = {
            "method": scope["method"],
            "path": scope["path"],
            "client": client[0] if client else None,
        }
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            fields.update(status=500, duration_ms=_since(start))
            logger.error(
                "%s %s 500 (%s)",
                fields["method"],
                fields["path"],
                type(error).__name__,
                exc_info=error,
                extra=fields,
            )
            if not started:
                json_type = (b"content-type", b"application/json")
                await send_with_id(
                    {"type": "http.response.start", "status": 500, "headers": [json_type]}
                )
                await send_with_id({"type": "http.response.body", "body": INTERNAL_ERROR})
        else:
            fields.update(status=status, duration_ms=_since(start))
            logger.info(
                "%s %s %s %.1fms",
                fields["method"],
                fields["path"],
                status,
                fields["duration_ms"],
                extra=fields,
            )
        finally:
            request_id.reset(token)


def _since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
