"""The engine of the local Synapse server: openapi.yaml as a stateful service.

``Engine.handle`` takes one raw HTTP request and returns the response. The
steps, in order: route (404, 405), body size (413), authentication (401,
403), rate limit (429), content type (415), JSON (400), schema (422),
idempotency key (replay or 409), then the operation itself inside one store
transaction. Webhook listeners are called after the engine lock is released.
Front ends (the in-process transport, the HTTP server) add injected faults;
the engine never does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from ._common import (
    ApiError,
    EngineResponse,
    dump_json,
    error_response,
    json_response,
    new_id,
    parse_json,
    utc_now,
)
from ._config import ServerConfig, WebhookEndpoint
from ._operations import HANDLERS, Call, public_contact, public_template
from ._spec import FieldError, Operation, Spec, coerce_query_value, load_spec
from ._store import Replay, Store

__all__ = ["Engine", "EngineResponse", "WebhookMessage"]

logger = logging.getLogger(__name__)

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_RATE_WINDOW_SECONDS = 60.0
_IDEMPOTENCY_HEADER = "idempotency-key"


@dataclass(frozen=True)
class WebhookMessage:
    """One webhook to deliver to one endpoint; ``msg_id`` stays the same on retries."""

    msg_id: str
    workspace_id: str
    endpoint_url: str
    secret: str
    event_type: str
    payload: bytes


@dataclass(frozen=True)
class _Route:
    path: str
    segments: tuple[str, ...]
    operations: Mapping[str, Operation]

    def match(self, parts: list[str]) -> dict[str, str] | None:
        if len(parts) != len(self.segments):
            return None
        params = {}
        for pattern, part in zip(self.segments, parts, strict=True):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not part:
                    return None
                params[pattern[1:-1]] = part
            elif pattern != part:
                return None
        return params

    @property
    def literal_count(self) -> int:
        return sum(not segment.startswith("{") for segment in self.segments)


def _build_routes(operations: Iterable[Operation]) -> list[_Route]:
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    routes = [
        _Route(path, tuple(path.split("/")), methods)
        for path, methods in by_path.items()
    ]
    # A literal segment beats a template: /v1/contacts/bulk is not a contact id.
    routes.sort(key=lambda route: -route.literal_count)
    return routes


def _validation_error(errors: list[FieldError]) -> ApiError:
    first = errors[0]
    return ApiError(
        422,
        "validation_error",
        f"{first.field}: {first.message}"
        + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
        extra={"errors": [{"field": e.field, "message": e.message} for e in errors]},
    )


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class Engine:
    """Implements openapi.yaml over SQLite; thread-safe, one lock per request."""

    def __init__(
        self, config: ServerConfig, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        self._spec: Spec = load_spec()
        self._routes = _build_routes(self._spec.operations)
        self._store = Store(config.db_path)
        self._lock = threading.RLock()
        self._listeners: list[Callable[[WebhookMessage], None]] = []
        self._clock = clock
        self._rate_windows: dict[str, deque[float]] = {}
        self._closed = False

    # Public API

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> EngineResponse:
        """Answer one request; ``headers`` has lower-case names."""
        request_id = new_id("req")
        messages: list[WebhookMessage] = []
        try:
            with self._lock:
                if self._closed:
                    raise ApiError(503, "unavailable", "the local server is closed")
                response = self._dispatch(
                    method.upper(), target, headers, body, request_id, messages
                )
        except ApiError as error:
            return error_response(error, request_id)
        except Exception:
            logger.exception("request %s %s failed", method, target.split("?")[0])
            failure = ApiError(500, "internal_error", "the local server failed")
            return error_response(failure, request_id)
        self._notify(messages)
        return response

    def add_webhook_listener(self, listener: Callable[[WebhookMessage], None]) -> None:
        """Call ``listener`` with every webhook message from now on."""
        with self._lock:
            self._listeners.append(listener)

    def record_delivery(
        self,
        msg_id: str,
        endpoint_url: str,
        *,
        attempt: int,
        status: int | None,
        error: str | None,
        delivered: bool,
    ) -> None:
        """Note one delivery attempt of a message; unknown messages are ignored."""
        with self._lock:
            if self._closed:
                return
            message = self._store.message(msg_id, endpoint_url)
            if message is None:
                return
            attempts = list(message["attempts"])
            attempts.append(
                {
                    "attempt": attempt,
                    "status": status,
                    "error": error,
                    "delivered": delivered,
                    "at": utc_now(),
                }
            )
            with self._store.transaction():
                self._store.update_message(
                    msg_id,
                    endpoint_url,
                    "delivered" if delivered else "failed",
                    attempts,
                )

    def close(self) -> None:
        """Close the store; later requests get 503. Safe to call twice."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._store.close()

    # State of one workspace, for the dev endpoints and the testing API

    def state(self, workspace_id: str, kind: str) -> list[dict[str, Any]]:
        """Plain copies of one kind of state of a workspace.

        ``kind`` is contacts, events, templates, outbox, webhooks or
        webhook_deliveries.
        """
        readers: dict[str, Callable[[str], list[dict[str, Any]]]] = {
            "contacts": self._contacts_view,
            "events": self._events_view,
            "templates": self._templates_view,
            "outbox": self._store.emails,
            "webhooks": self._webhooks_view,
            "webhook_deliveries": self._deliveries_view,
        }
        if kind not in readers:
            raise ValueError(f"unknown kind of state {kind!r}")
        with self._lock:
            return readers[kind](workspace_id)

    def reset_workspace(self, workspace_id: str) -> None:
        """Forget the workspace's state, including webhooks added at run time."""
        with self._lock, self._store.transaction():
            self._store.reset(workspace_id)

    def add_webhook_endpoint(
        self,
        workspace_id: str,
        url: str,
        secret: str | None = None,
        events: Iterable[str] | None = None,
    ) -> dict[str, Any]:
        """Register an endpoint for one workspace; makes a secret when none is given."""
        endpoint = {
            "id": new_id("we"),
            "url": url,
            "secret": secret or _new_secret(),
            "events": list(events) if events is not None else None,
            "created_at": utc_now(),
        }
        with self._lock, self._store.transaction():
            self._store.insert_endpoint(workspace_id, endpoint)
        return {key: endpoint[key] for key in ("id", "url", "secret", "events")}

    def _contacts_view(self, workspace: str) -> list[dict[str, Any]]:
        return [public_contact(row) for row in self._store.contacts(workspace)]

    def _templates_view(self, workspace: str) -> list[dict[str, Any]]:
        return [public_template(row) for row in self._store.templates(workspace)]

    def _events_view(self, workspace: str) -> list[dict[str, Any]]:
        events = self._store.events(workspace)
        for event in events:
            event["event_id"] = event.pop("id")
        return events

    def _webhooks_view(self, workspace: str) -> list[dict[str, Any]]:
        configured = [
            {"id": None, "url": e.url, "secret": e.secret, "events": _listed(e.events)}
            for e in self.config.webhooks
        ]
        added = [
            {key: row[key] for key in ("id", "url", "secret", "events")}
            for row in self._store.endpoints(workspace)
        ]
        return configured + added

    def _deliveries_view(self, workspace: str) -> list[dict[str, Any]]:
        deliveries = []
        for row in self._store.messages(workspace):
            row["payload"] = json.loads(bytes(row["payload"]))
            deliveries.append(row)
        return deliveries

    # The request pipeline

    def _dispatch(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes,
        request_id: str,
        messages: list[WebhookMessage],
    ) -> EngineResponse:
        raw_path, _, raw_query = target.partition("?")
        parts = [unquote(part) for part in raw_path.split("/")]
        if raw_path.startswith("/_dev/"):
            return self._dev(method, parts, headers, body, request_id)
        operation, path_params = self._route(method, parts)
        self._check_size(body)
        workspace = self._authenticate(headers)
        self._check_rate(headers["x-api-key"])
        payload = self._read_body(operation, headers, body)
        query = self._read_query(operation, raw_query)
        key = self._idempotency_key(operation, headers, payload)
        scope = f"{method} {raw_path}"
        fingerprint = ""
        if key is not None:
            # Only keyed writes are replayed, so only they need a fingerprint.
            fingerprint = hashlib.sha256(dump_json([payload, query])).hexdigest()
            replay = self._store.replay(workspace, scope, key)
            if replay is not None:
                return self._replay(replay, fingerprint, request_id)
        call = Call(
            store=self._store,
            config=self.config,
            workspace=workspace,
            now=utc_now(),
            body=payload,
            query=query,
            path_params=path_params,
            idempotency_key=headers.get(_IDEMPOTENCY_HEADER),
        )
        with self._store.transaction():
            status, result = HANDLERS[operation.operation_id](call)
            response = self._respond(status, result, request_id)
            if key is not None and 200 <= status < 300:
                replay = Replay(fingerprint, status, response.headers, response.body)
                self._store.save_replay(workspace, scope, key, replay, call.now)
            messages.extend(self._record_webhooks(workspace, call))
        return response

    def _route(self, method: str, parts: list[str]) -> tuple[Operation, dict[str, str]]:
        for route in self._routes:
            params = route.match(parts)
            if params is None:
                continue
            if method not in route.operations:
                allowed = ", ".join(sorted(route.operations))
                raise ApiError(
                    405,
                    "method_not_allowed",
                    f"{method} is not allowed here; use {allowed}",
                    headers={"Allow": allowed},
                )
            return route.operations[method], params
        raise ApiError(404, "not_found", "no such path")

    def _check_size(self, body: bytes) -> None:
        if len(body) > self.config.max_body_bytes:
            raise ApiError(
                413,
                "payload_too_large",
                f"the body is over {self.config.max_body_bytes} bytes",
            )

    def _authenticate(self, headers: Mapping[str, str]) -> str:
        key = headers.get("x-api-key")
        if not key:
            raise ApiError(401, "unauthorized", "the X-Api-Key header is missing")
        owner = self.config.api_keys.get(key)
        if owner is None:
            raise ApiError(401, "unauthorized", "the API key is not valid")
        workspace = headers.get("x-workspace-id")
        if not workspace:
            raise ApiError(401, "unauthorized", "the X-Workspace-Id header is missing")
        if workspace != owner:
            raise ApiError(403, "forbidden", "the API key belongs to another workspace")
        return workspace

    def _check_rate(self, api_key: str) -> None:
        limit = self.config.rate_limit_per_minute
        if limit is None:
            return
        now = self._clock()
        window = self._rate_windows.setdefault(api_key, deque())
        while window and window[0] <= now - _RATE_WINDOW_SECONDS:
            window.popleft()
        if len(window) >= limit:
            wait = max(1, math.ceil(window[0] + _RATE_WINDOW_SECONDS - now))
            raise ApiError(
                429,
                "rate_limited",
                f"more than {limit} requests a minute with this key",
                headers={"Retry-After": str(wait)},
            )
        window.append(now)

    def _read_body(
        self, operation: Operation, headers: Mapping[str, str], body: bytes
    ) -> Any:
        if operation.body_pointer is None:
            return None
        if not body:
            if operation.body_required:
                raise _validation_error([FieldError("body", "a JSON body is required")])
            return {}
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise ApiError(
                415,
                "unsupported_media_type",
                "the body must be sent as application/json",
            )
        try:
            payload = parse_json(body)
        except (ValueError, RecursionError) as exc:
            raise ApiError(
                400, "invalid_json", f"the body is not valid JSON: {exc}"
            ) from exc
        errors = self._spec.schema_errors(operation.body_pointer, payload)
        if errors:
            raise _validation_error(errors)
        return payload

    def _read_query(self, operation: Operation, raw_query: str) -> dict[str, Any]:
        given = parse_qs(raw_query, keep_blank_values=True)
        query: dict[str, Any] = {}
        errors: list[FieldError] = []
        for param in operation.parameters:
            if param.location != "query":
                continue
            values = given.get(param.name)
            if values is None:
                if "default" in param.schema:
                    query[param.name] = param.schema["default"]
                continue
            if len(values) > 1:
                errors.append(FieldError(param.name, "give this parameter once"))
                continue
            value = coerce_query_value(param, values[0])
            errors.extend(self._spec.schema_errors(param.pointer, value, param.name))
            query[param.name] = value
        if errors:
            raise _validation_error(errors)
        return query

    def _idempotency_key(
        self, operation: Operation, headers: Mapping[str, str], payload: Any
    ) -> str | None:
        header = headers.get(_IDEMPOTENCY_HEADER)
        if header is not None and not 1 <= len(header) <= 255:
            raise _validation_error(
                [FieldError("Idempotency-Key", "must be 1 to 255 characters long")]
            )
        if operation.method not in _WRITE_METHODS:
            return None
        if isinstance(payload, dict) and isinstance(
            payload.get("idempotency_key"), str
        ):
            return str(payload["idempotency_key"])
        return header

    def _replay(
        self, replay: Replay, fingerprint: str, request_id: str
    ) -> EngineResponse:
        if replay.fingerprint != fingerprint:
            raise ApiError(
                409,
                "idempotency_key_reused",
                "this idempotency key was used with a different request body",
            )
        headers = dict(replay.headers)
        headers.update({"X-Request-Id": request_id, "Idempotent-Replayed": "true"})
        return EngineResponse(replay.status, headers, replay.body)

    def _respond(self, status: int, result: Any, request_id: str) -> EngineResponse:
        if status == 204:
            return EngineResponse(204, {"X-Request-Id": request_id}, b"")
        return json_response(status, result, request_id)

    def _endpoints(self, workspace: str) -> list[WebhookEndpoint]:
        endpoints = list(self.config.webhooks)
        for row in self._store.endpoints(workspace):
            events = tuple(row["events"]) if row["events"] is not None else None
            endpoints.append(WebhookEndpoint(row["url"], row["secret"], events))
        unique: dict[str, WebhookEndpoint] = {}
        for endpoint in endpoints:
            unique.setdefault(endpoint.url, endpoint)
        return list(unique.values())

    def _record_webhooks(self, workspace: str, call: Call) -> list[WebhookMessage]:
        if not call.emitted:
            return []
        endpoints = self._endpoints(workspace)
        messages = []
        for event_type, data in call.emitted:
            msg_id = new_id("msg")
            payload = dump_json(
                {"type": event_type, "timestamp": call.now, "data": data}
            )
            for endpoint in endpoints:
                if not endpoint.wants(event_type):
                    continue
                row = {
                    "msg_id": msg_id,
                    "endpoint_url": endpoint.url,
                    "event_type": event_type,
                    "payload": payload,
                    "status": "pending",
                    "attempts": [],
                    "created_at": call.now,
                }
                self._store.insert_message(workspace, row)
                messages.append(
                    WebhookMessage(
                        msg_id,
                        workspace,
                        endpoint.url,
                        endpoint.secret,
                        event_type,
                        payload,
                    )
                )
        return messages

    def _notify(self, messages: list[WebhookMessage]) -> None:
        if not messages:
            return
        with self._lock:
            listeners = list(self._listeners)
        for message in messages:
            for listener in listeners:
                try:
                    listener(message)
                except Exception:
                    logger.exception("webhook listener failed for %s", message.msg_id)

    # Dev-only endpoints

    def _dev(
        self,
        method: str,
        parts: list[str],
        headers: Mapping[str, str],
        body: bytes,
        request_id: str,
    ) -> EngineResponse:
        name = "/".join(parts[2:])
        allowed = {
            "health": ("GET",),
            "outbox": ("GET",),
            "events": ("GET",),
            "webhook-deliveries": ("GET",),
            "webhooks": ("GET", "POST"),
            "reset": ("POST",),
        }
        if name not in allowed:
            raise ApiError(404, "not_found", "no such dev endpoint")
        if method not in allowed[name]:
            methods = ", ".join(allowed[name])
            raise ApiError(
                405,
                "method_not_allowed",
                f"{method} is not allowed here; use {methods}",
                headers={"Allow": methods},
            )
        if name == "health":
            return json_response(200, {"status": "ok"}, request_id)
        self._check_size(body)
        workspace = self._authenticate(headers)
        if name == "reset":
            self._store.reset(workspace)
            return json_response(200, {"status": "reset"}, request_id)
        if name == "webhooks" and method == "POST":
            return self._dev_add_webhook(workspace, body, request_id)
        kind = "webhook_deliveries" if name == "webhook-deliveries" else name
        return json_response(200, self.state(workspace, kind), request_id)

    def _dev_add_webhook(
        self, workspace: str, body: bytes, request_id: str
    ) -> EngineResponse:
        try:
            payload = parse_json(body) if body else {}
        except (ValueError, RecursionError) as exc:
            raise ApiError(
                400, "invalid_json", f"the body is not valid JSON: {exc}"
            ) from exc
        errors = _webhook_request_errors(payload)
        if errors:
            raise _validation_error(errors)
        endpoint = self.add_webhook_endpoint(
            workspace, payload["url"], payload.get("secret"), payload.get("events")
        )
        return json_response(201, endpoint, request_id)


def _listed(events: tuple[str, ...] | None) -> list[str] | None:
    return list(events) if events is not None else None


def _webhook_request_errors(payload: Any) -> list[FieldError]:
    if not isinstance(payload, dict):
        return [FieldError("body", "must be a JSON object")]
    errors = []
    url = payload.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        errors.append(FieldError("url", "must be an http:// or https:// URL"))
    secret = payload.get("secret")
    if secret is not None and (not isinstance(secret, str) or not secret):
        errors.append(FieldError("secret", "must be a non-empty string"))
    events = payload.get("events")
    if events is not None and (
        not isinstance(events, list) or not all(isinstance(e, str) for e in events)
    ):
        errors.append(FieldError("events", "must be a list of event types"))
    return errors
