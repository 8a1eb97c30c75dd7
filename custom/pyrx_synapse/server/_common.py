"""Small pieces every part of the local server shares: ids, clocks, JSON, responses."""

from __future__ import annotations

import json
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "ApiError",
    "EngineResponse",
    "dump_json",
    "error_response",
    "json_response",
    "new_id",
    "parse_json",
    "utc_now",
]


@dataclass(frozen=True)
class EngineResponse:
    """One HTTP response, ready for any front end to write out."""

    status: int
    headers: dict[str, str]
    body: bytes


class ApiError(Exception):
    """A request ends with an error response; ``extra`` joins the JSON body."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}


def new_id(prefix: str) -> str:
    """A fresh random identifier such as ``ct_3f9a...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


def utc_now() -> str:
    """Now, as an ISO-8601 UTC timestamp with microseconds and a ``Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dump_json(value: Any) -> bytes:
    """Compact JSON with sorted keys, so equal values give equal bytes."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"the number {text[:40]} is out of range")
    return number


def parse_json(raw: bytes) -> Any:
    """Parse a request body strictly: UTF-8, finite numbers, no lone surrogates.

    Raises ValueError for anything that could not be stored and sent back
    as JSON later.
    """
    text = raw.decode("utf-8")
    value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    # A lone surrogate escape (\ud800) parses, but SQLite cannot store it.
    json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


def json_response(
    status: int, payload: Any, request_id: str, headers: dict[str, str] | None = None
) -> EngineResponse:
    """A JSON response carrying the request id header."""
    all_headers = {"Content-Type": "application/json", "X-Request-Id": request_id}
    all_headers.update(headers or {})
    return EngineResponse(status, all_headers, dump_json(payload))


def error_response(error: ApiError, request_id: str) -> EngineResponse:
    """The JSON error body every failure uses: detail, code, request_id, extras."""
    payload: dict[str, Any] = {"detail": error.detail, "code": error.code}
    payload.update(error.extra)
    payload["request_id"] = request_id
    return json_response(error.status, payload, request_id, error.headers)
