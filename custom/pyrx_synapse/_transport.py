"""Sending requests: configuration, retries, idempotency keys and decoding.

The friendly clients and the raw generated client share this module, so a
call retries, logs and fails the same way whichever of them made it.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx

from ._errors import (
    MalformedBody,
    SynapseConnectionError,
    SynapseResponseError,
    SynapseTimeoutError,
    error_from_response,
)
from ._logging import logger
from ._retry import RetryPolicy, parse_retry_after

if TYPE_CHECKING:
    from ._operations import Call

T = TypeVar("T")

__version__ = "0.2.0"
DEFAULT_BASE_URL = "https://synapse-api.pyrx.tech"
# A distinct object, so a client given its own http_client can tell "timeout
# not given" (keep the http_client's) from an explicit 30 seconds.
DEFAULT_TIMEOUT = httpx.Timeout(30.0)

Environment = Literal["test", "live", "unknown"]
_ENVIRONMENT_PREFIXES: tuple[tuple[str, Environment], ...] = (
    ("psk_test_", "test"),
    ("gck_test_", "test"),
    ("psk_live_", "live"),
    ("gck_live_", "live"),
)
_SECRET_HEADERS = frozenset({"x-api-key", "authorization"})
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Errors after which the request may never have reached the server, or its
# answer was lost; the idempotency key makes sending it again safe.
_RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def detect_environment(api_key: str) -> Environment:
    for prefix, environment in _ENVIRONMENT_PREFIXES:
        if api_key.startswith(prefix):
            return environment
    return "unknown"


def mask_key(api_key: str) -> str:
    """Enough of a key to recognise it, never enough to use it."""
    for prefix, _ in _ENVIRONMENT_PREFIXES:
        if api_key.startswith(prefix):
            return f"{prefix}****"
    return "****"


@dataclass(frozen=True)
class ClientConfig:
    """Everything a client needs to address and authenticate its requests."""

    api_key: str
    workspace_id: str
    base_url: str
    timeout: httpx.Timeout | None
    policy: RetryPolicy
    default_headers: Mapping[str, str]
    headers: Mapping[str, str] = field(init=False, repr=False)
    header_names: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The spelling 0.1.x sent: tests that match header names exactly
        # (pytest-httpx does) keep passing.
        headers = {
            "User-Agent": f"pyrx-synapse-python/{__version__}",
            "Accept": "application/json",
            "Content-Type": "application/json",
            **self.default_headers,
            "X-Api-Key": self.api_key,
            "X-Workspace-Id": self.workspace_id,
        }
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "header_names", frozenset(n.lower() for n in headers))

    def __repr__(self) -> str:
        return (
            f"ClientConfig(api_key={mask_key(self.api_key)!r},"
            f" workspace_id={self.workspace_id!r}, base_url={self.base_url!r})"
        )


def resolve_config(
    *,
    api_key: str | None,
    workspace_id: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    retry_policy: RetryPolicy | None,
    default_headers: Mapping[str, str] | None,
) -> ClientConfig:
    """Fill what the caller left out from the environment, and check it."""
    api_key = api_key or os.environ.get("SYNAPSE_API_KEY")
    if not api_key:
        raise ValueError("Synapse: api_key is required (or set SYNAPSE_API_KEY)")
    workspace_id = workspace_id or os.environ.get("SYNAPSE_WORKSPACE_ID")
    if not workspace_id:
        raise ValueError(
            "Synapse: workspace_id is required (or set SYNAPSE_WORKSPACE_ID)"
        )
    base_url = (
        base_url
        or os.environ.get("SYNAPSE_BASE_URL")
        or os.environ.get("SYNAPSE_API_URL")
        or DEFAULT_BASE_URL
    )
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(
            f"Synapse: base_url must start with http:// or https://: {base_url!r}"
        )
    policy = retry_policy or RetryPolicy()
    if max_retries is not None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int):
            raise ValueError("Synapse: max_retries must be an int")
        policy = policy.with_max_retries(max_retries)
    if timeout is not None and not isinstance(timeout, httpx.Timeout):
        timeout = httpx.Timeout(timeout)
    return ClientConfig(
        api_key=api_key,
        workspace_id=workspace_id,
        base_url=base_url.rstrip("/"),
        timeout=timeout,
        policy=policy,
        default_headers=dict(default_headers or {}),
    )


def build_request(
    http: httpx.Client | httpx.AsyncClient, config: ClientConfig, call: Call[Any]
) -> httpx.Request:
    """The request for ``call``, with its idempotency key if it is a POST.

    It is built directly rather than through ``http.build_request``: merging
    headers there costs more than the rest of the SDK's work per call. The
    http client's own default headers (compression, tracing) are still sent;
    its cookies and default query parameters are not, as the API uses neither.
    """
    ours = config.header_names
    headers = [
        (name, value) for name, value in http.headers.items() if name not in ours
    ]
    headers.extend(config.headers.items())
    if call.idempotency_key is not None:
        headers.append((IDEMPOTENCY_HEADER, call.idempotency_key))
    elif call.method == "POST":
        headers.append((IDEMPOTENCY_HEADER, str(uuid.uuid4())))
    content = None
    if call.body is not None:
        content = json.dumps(
            call.body, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode()
    timeout = http.timeout if config.timeout is DEFAULT_TIMEOUT else config.timeout
    return httpx.Request(
        call.method,
        _parsed_url(config.base_url + call.path),
        params=call.params,
        headers=headers,
        content=content,
        extensions={"timeout": httpx.Timeout(timeout).as_dict()},
    )


@functools.lru_cache(maxsize=1024)
def _parsed_url(url: str) -> httpx.URL:
    # Parsing a URL is a fifth of a request's cost in httpx; most calls reuse a
    # handful of paths. httpx.URL is immutable, so sharing one is safe.
    return httpx.URL(url)


def ensure_idempotency_key(request: httpx.Request) -> None:
    """Give a POST a key once, before its first attempt, so retries repeat it."""
    if request.method == "POST" and IDEMPOTENCY_HEADER not in request.headers:
        request.headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())


def _retry_wait(
    response: httpx.Response, retry: int, policy: RetryPolicy
) -> float | None:
    """Seconds to back off before retrying ``response``, or None to stop here."""
    if response.is_success or retry >= policy.max_retries:
        return None
    if not policy.is_retryable_status(response.status_code):
        return None
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if retry_after is None:
        return policy.backoff(retry)
    if retry_after > policy.max_retry_after:
        return None
    return retry_after


def _may_retry_error(
    exc: httpx.TransportError, retry: int, policy: RetryPolicy
) -> bool:
    return retry < policy.max_retries and isinstance(exc, _RETRYABLE_ERRORS)


def _path(request: httpx.Request) -> str:
    # The path as sent, still percent-encoded: "/v1/contacts/..%2Fx" must not
    # read as "/v1/contacts/../x". The query string is left out.
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")


def _log_retry(
    request: httpx.Request, reason: str, retry: int, policy: RetryPolicy, wait: float
) -> None:
    logger.info(
        "Retrying %s %s after %s (attempt %d of %d, backoff %.2f s)",
        request.method,
        _path(request),
        reason,
        retry + 2,
        policy.max_retries + 1,
        wait,
    )


def _log_response(
    request: httpx.Request, response: httpx.Response, started: float
) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %d in %.1f ms (request id %s)",
            request.method,
            _path(request),
            response.status_code,
            (time.perf_counter() - started) * 1000,
            response.headers.get("x-request-id", "-"),
        )


def connection_error(exc: httpx.TransportError) -> SynapseConnectionError:
    """The public error for a failure with no response; strips the key from ``exc``."""
    try:
        request = exc.request
    except RuntimeError:  # httpx raises this when no request is attached
        request = None
    if request is not None:
        exc.request = redacted(request)
        target = f"{request.method} {_path(request)}"
    else:
        target = "the request"
    if isinstance(exc, httpx.TimeoutException):
        return SynapseTimeoutError(f"{target} timed out: {exc or type(exc).__name__}")
    return SynapseConnectionError(f"{target} failed: {exc or type(exc).__name__}")


def redacted(request: httpx.Request) -> httpx.Request:
    headers = [
        (name, "[redacted]" if name.lower() in _SECRET_HEADERS else value)
        for name, value in request.headers.items()
    ]
    return httpx.Request(request.method, request.url, headers=headers)


def send_with_retries(
    send: Callable[[httpx.Request], httpx.Response],
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], object],
) -> httpx.Response:
    """Send ``request``, retrying as ``policy`` says; return the last response.

    A POST must already carry its idempotency key, so every attempt repeats it.
    """
    retry = 0
    while True:
        started = time.perf_counter()
        try:
            response = send(request)
        except httpx.TransportError as exc:
            if not _may_retry_error(exc, retry, policy):
                raise connection_error(exc) from exc
            wait, reason = policy.backoff(retry), type(exc).__name__
        else:
            _log_response(request, response, started)
            status_wait = _retry_wait(response, retry, policy)
            if status_wait is None:
                return response
            wait, reason = status_wait, f"status {response.status_code}"
        _log_retry(request, reason, retry, policy, wait)
        sleep(wait)
        retry += 1


async def async_send_with_retries(
    send: Callable[[httpx.Request], Awaitable[httpx.Response]],
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[object]],
) -> httpx.Response:
    """The async twin of ``send_with_retries``."""
    retry = 0
    while True:
        started = time.perf_counter()
        try:
            response = await send(request)
        except httpx.TransportError as exc:
            if not _may_retry_error(exc, retry, policy):
                raise connection_error(exc) from exc
            wait, reason = policy.backoff(retry), type(exc).__name__
        else:
            _log_response(request, response, started)
            status_wait = _retry_wait(response, retry, policy)
            if status_wait is None:
                return response
            wait, reason = status_wait, f"status {response.status_code}"
        _log_retry(request, reason, retry, policy, wait)
        await sleep(wait)
        retry += 1


def decode(response: httpx.Response, call: Call[T]) -> T:
    """The call's result from a final response, or the matching SynapseError."""
    status = response.status_code
    if not 200 <= status < 300:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise error_from_response(
            status, response.content, response.headers, retry_after
        )
    try:
        data = json.loads(response.content) if response.content else None
        return call.read(data)
    except ValueError:
        problem = "with a body that is not JSON"
    except MalformedBody as exc:
        problem = f"but {exc}"
    request_id = response.headers.get("x-request-id")
    message = f"{call.method} {call.path} answered {status} {problem}"
    raise SynapseResponseError(message, status, request_id=request_id) from None


class RetryingTransport(httpx.BaseTransport):
    """Gives the raw generated client the friendly client's retries and pool."""

    def __init__(
        self, http: httpx.Client, policy: RetryPolicy, sleep: Callable[[float], object]
    ) -> None:
        self._http = http
        self._policy = policy
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        ensure_idempotency_key(request)
        return send_with_retries(self._http.send, request, self._policy, self._sleep)


class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """The async twin of ``RetryingTransport``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self._http = http
        self._policy = policy
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        ensure_idempotency_key(request)
        return await async_send_with_retries(
            self._http.send, request, self._policy, self._sleep
        )
