"""Every error the SDK raises, and the mapping from HTTP responses to them.

The tree::

    Exception
    ├── SynapseError                  any failed call: .message .status .code .request_id
    │   ├── SynapseAuthError          401, or 403 for a key of another workspace
    │   │   └── SynapsePlanLimitError 403 plan_limit_reached: .limit_type .current ...
    │   ├── SynapseNotFoundError      404
    │   ├── SynapseConflictError      409
    │   ├── SynapseValidationError    422: .errors, one {field, message} per problem
    │   ├── SynapseRateLimitError     429: .retry_after in seconds
    │   ├── SynapseServerError        5xx, and statuses outside the standard list
    │   ├── SynapseResponseError      a success status with a body the SDK cannot read
    │   └── SynapseConnectionError    no response at all, after the retries (status 0)
    │       └── SynapseTimeoutError   the request timed out, after the retries
    └── ValueError
        └── SynapseWebhookError       a webhook failed verification

SynapsePlanLimitError stays a SynapseAuthError because 0.1.x callers catch it
as one. Transport failures keep their httpx exception as ``__cause__``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "SynapseAuthError",
    "SynapseConflictError",
    "SynapseConnectionError",
    "SynapseError",
    "SynapseNotFoundError",
    "SynapsePlanLimitError",
    "SynapseRateLimitError",
    "SynapseResponseError",
    "SynapseServerError",
    "SynapseTimeoutError",
    "SynapseValidationError",
    "SynapseWebhookError",
    "error_from_response",
]


class SynapseError(Exception):
    """A Synapse call failed; ``status`` is the HTTP status, 0 without a response.

    ``partial_result`` is set when a batch call sent in several requests failed
    part-way: it sums what the requests before the failure stored, so the caller
    knows what not to send again. It is None everywhere else.
    """

    partial_result: Any = None

    def __init__(
        self,
        message: str,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        details = [
            f"{name}={value}"
            for name, value in (
                ("status", status),
                ("code", code),
                ("request_id", request_id),
            )
            if value
        ]
        if details:
            # Tracebacks (Python 3.11+) print notes under the message, so the
            # request id is there for support while str() stays the message.
            self.__notes__ = [f"Synapse {', '.join(details)}"]

    # str() stays the bare message, as in 0.1.x, whose users compare it; the
    # repr (shown by loggers and debuggers) carries status, code and request id.
    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status!r},"
            f" code={self.code!r}, request_id={self.request_id!r})"
        )


class SynapseAuthError(SynapseError):
    """The key is missing, unknown (401) or not allowed here (403)."""


class SynapsePlanLimitError(SynapseAuthError):
    """The workspace's plan does not allow more: 403 with code plan_limit_reached."""

    def __init__(
        self,
        message: str,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        limit_type: str = "",
        current: int = 0,
        maximum: int = 0,
        plan: str = "",
    ) -> None:
        super().__init__(message, status, code, request_id)
        self.limit_type = limit_type
        self.current = current
        self.maximum = maximum
        self.plan = plan


class SynapseNotFoundError(SynapseError):
    """The contact, template or path does not exist (404)."""


class SynapseConflictError(SynapseError):
    """The resource exists already, such as a template slug (409)."""


class SynapseValidationError(SynapseError):
    """The request broke the schema (422); ``errors`` names each field."""

    def __init__(
        self,
        message: str,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message, status, code, request_id)
        self.errors: list[dict[str, str]] = errors or []


class SynapseRateLimitError(SynapseError):
    """Too many requests (429); ``retry_after`` says how many seconds to wait."""

    def __init__(
        self,
        message: str,
        status: int,
        code: str | None = None,
        request_id: str | None = None,
        retry_after: float = 60.0,
    ) -> None:
        super().__init__(message, status, code, request_id)
        self.retry_after = retry_after


class SynapseServerError(SynapseError):
    """The API failed on its side (5xx or a non-standard status)."""


class SynapseResponseError(SynapseError):
    """A success status came with a body that is not what the API promises."""


class SynapseConnectionError(SynapseError):
    """No response arrived: the connection failed, after every retry."""

    def __init__(self, message: str, request_id: str | None = None) -> None:
        super().__init__(message, 0, None, request_id)


class SynapseTimeoutError(SynapseConnectionError):
    """The request timed out, after every retry."""


class SynapseWebhookError(ValueError):
    """A webhook's headers, signature, timestamp or payload failed verification."""


class MalformedBody(Exception):
    """Internal: a success body that is not what the API promises.

    Raised by the response readers and turned into SynapseResponseError, with
    the status and request id, by the transport.
    """


def _as_int(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return 0


def _field_errors(raw: object) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    errors = []
    for entry in raw:
        if isinstance(entry, Mapping):
            message = entry.get("message") or entry.get("msg") or ""
            errors.append(
                {"field": str(entry.get("field", "")), "message": str(message)}
            )
    return errors


def _read_body(content: bytes) -> dict[str, Any]:
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _describe(status: int, body: Mapping[str, Any], content: bytes) -> str:
    for key in ("detail", "message", "error"):
        value = body.get(key)
        if value:
            return str(value)
    if content and not body:
        snippet = content[:80].decode("utf-8", "replace").strip()
        return f"HTTP {status} with a body that is not JSON: {snippet!r}"
    return f"HTTP {status}"


def error_from_response(
    status: int,
    content: bytes,
    headers: Mapping[str, str],
    retry_after: float | None = None,
) -> SynapseError:
    """Map an error response to the most specific SynapseError.

    ``headers`` must look names up case-insensitively (httpx.Headers does).
    ``retry_after`` is the already-parsed Retry-After, in seconds.
    """
    body = _read_body(content)
    message = _describe(status, body, content)
    code = str(body["code"]) if body.get("code") is not None else None
    request_id = body.get("request_id") or headers.get("x-request-id")
    request_id = str(request_id) if request_id else None

    if status == 429:
        wait = retry_after if retry_after is not None else 60.0
        return SynapseRateLimitError(
            message, status, code, request_id, retry_after=wait
        )
    if status == 403 and code == "plan_limit_reached":
        return SynapsePlanLimitError(
            message,
            status,
            code,
            request_id,
            limit_type=str(body.get("limit_type") or ""),
            current=_as_int(body.get("current")),
            maximum=_as_int(body.get("maximum")),
            plan=str(body.get("plan") or ""),
        )
    errors_by_status: dict[int, type[SynapseError]] = {
        401: SynapseAuthError,
        403: SynapseAuthError,
        404: SynapseNotFoundError,
        409: SynapseConflictError,
    }
    if status in errors_by_status:
        return errors_by_status[status](message, status, code, request_id)
    if status == 422:
        errors = _field_errors(body.get("errors"))
        return SynapseValidationError(message, status, code, request_id, errors=errors)
    if status >= 500:
        return SynapseServerError(message, status, code, request_id)
    return SynapseError(message, status, code, request_id)
