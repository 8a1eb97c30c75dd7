"""An in-process Synapse for tests: the local server without ports or threads.

``LocalSynapse`` owns an Engine (the same one ``synapse-dev-server`` runs) and
exposes it as ``transport``, one object that works as both an
``httpx.BaseTransport`` and an ``httpx.AsyncBaseTransport``::

    from pyrx_synapse.testing import LocalSynapse

    with LocalSynapse() as synapse:
        client = synapse.client()            # a Synapse wired to the engine
        client.track(external_id="user_1", event_name="signed_up")
        assert synapse.events[0]["event_name"] == "signed_up"

    # or with plain httpx
    with LocalSynapse() as synapse, httpx.Client(
        transport=synapse.transport, base_url=synapse.base_url,
        headers=synapse.auth_headers,
    ) as http:
        http.post("/v1/contacts", json={"external_id": "user_1"})

State of the default workspace is readable as plain lists of dicts:
``contacts``, ``events``, ``templates``, ``outbox`` (every email, with
``status`` "queued" or "suppressed"; ``to`` is the recipient's address and
``user_id`` the contact's external_id) and ``webhook_deliveries`` (every
webhook message with its ``status`` and ``attempts``; nothing is delivered
over the network here, add a listener with ``engine.add_webhook_listener``
to see messages as they happen). ``reset()`` empties the workspace.

Faults (``FaultConfig``) are applied by the transport as they are by the
HTTP server: status faults answer without touching the engine, ``delay``
sleeps first, ``drop`` lets the engine act and then raises
``httpx.RemoteProtocolError`` instead of returning the response.

Needs the ``server`` extra: ``pip install "pyrx-synapse[server]"``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from .server._config import FaultConfig, ServerConfig, WebhookEndpoint
from .server._engine import Engine, EngineResponse
from .server._faults import STATUS_FAULTS, FaultInjector, applies_to, fault_response

if TYPE_CHECKING:
    from . import AsyncSynapse, Synapse

__all__ = ["LocalSynapse", "LocalTransport"]

_DROPPED = "Server disconnected without sending a response."


class LocalTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Hands httpx requests straight to an Engine, sync or async."""

    def __init__(self, engine: Engine, faults: FaultConfig | None = None) -> None:
        self.engine = engine
        self._faults = FaultInjector(faults) if faults is not None else None

    def _fault(self, request: httpx.Request) -> str | None:
        if self._faults is None or not applies_to(request.url.path):
            return None
        return self._faults.pick()

    def _call(self, request: httpx.Request, body: bytes) -> EngineResponse:
        headers: dict[str, str] = {}
        for name, value in request.headers.multi_items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        target = request.url.raw_path.decode("ascii")
        return self.engine.handle(request.method, target, headers, body)

    def _to_httpx(
        self, response: EngineResponse, request: httpx.Request
    ) -> httpx.Response:
        return httpx.Response(
            response.status,
            headers=response.headers,
            content=response.body,
            request=request,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer a request of an ``httpx.Client``."""
        body = request.read()
        kind = self._fault(request)
        if kind in STATUS_FAULTS and self._faults is not None:
            return self._to_httpx(
                fault_response(str(kind), self._faults.config), request
            )
        if kind == "delay" and self._faults is not None:
            time.sleep(self._faults.config.delay_seconds)
        response = self._call(request, body)
        if kind == "drop":
            raise httpx.RemoteProtocolError(_DROPPED, request=request)
        return self._to_httpx(response, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer a request of an ``httpx.AsyncClient``."""
        body = await request.aread()
        kind = self._fault(request)
        if kind in STATUS_FAULTS and self._faults is not None:
            return self._to_httpx(
                fault_response(str(kind), self._faults.config), request
            )
        if kind == "delay" and self._faults is not None:
            await asyncio.sleep(self._faults.config.delay_seconds)
        response = self._call(request, body)
        if kind == "drop":
            raise httpx.RemoteProtocolError(_DROPPED, request=request)
        return self._to_httpx(response, request)


class LocalSynapse:
    """A private Synapse in memory (or in ``db_path``) for one test.

    Without ``config``, the server knows one key, ``api_key``, for
    ``workspace_id``, and the keyword arguments ``plan``, ``limits`` (such as
    ``{"contacts": 10}``), ``rate_limit_per_minute`` and ``max_body_bytes``
    set its rules. With ``config``, those come from it and ``api_key`` is
    added to its keys when missing. ``faults`` overrides ``config.faults``.
    """

    base_url = "http://synapse.local"

    def __init__(
        self,
        *,
        api_key: str = "psk_test_local",
        workspace_id: str = "ws_local",
        config: ServerConfig | None = None,
        faults: FaultConfig | None = None,
        db_path: str | None = None,
        plan: str = "dev",
        limits: Mapping[str, int] | None = None,
        rate_limit_per_minute: int | None = None,
        max_body_bytes: int = 1_048_576,
    ) -> None:
        if config is None:
            config = ServerConfig(
                api_keys={api_key: workspace_id},
                db_path=db_path,
                plan=plan,
                limits=dict(limits or {}),
                rate_limit_per_minute=rate_limit_per_minute,
                max_body_bytes=max_body_bytes,
            )
        else:
            config = self._with_key(config, api_key, workspace_id, db_path)
        self.api_key = api_key
        self.workspace_id = workspace_id
        self.config = config
        self.engine = Engine(config)
        self.transport = LocalTransport(self.engine, faults or config.faults)
        self._clients: list[httpx.Client] = []

    @staticmethod
    def _with_key(
        config: ServerConfig, api_key: str, workspace_id: str, db_path: str | None
    ) -> ServerConfig:
        owner = config.api_keys.get(api_key)
        if owner is not None and owner != workspace_id:
            raise ValueError(f"the config gives this API key to workspace {owner!r}")
        keys = {**config.api_keys, api_key: workspace_id}
        changes: dict[str, Any] = {"api_keys": keys}
        if db_path is not None:
            changes["db_path"] = db_path
        return dataclasses.replace(config, **changes)

    @property
    def auth_headers(self) -> dict[str, str]:
        """The two headers that open the default workspace."""
        return {"X-Api-Key": self.api_key, "X-Workspace-Id": self.workspace_id}

    # State of the default workspace

    @property
    def contacts(self) -> list[dict[str, Any]]:
        """Every contact, oldest first, as the API shows them."""
        return self.engine.state(self.workspace_id, "contacts")

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every stored event, in the order received."""
        return self.engine.state(self.workspace_id, "events")

    @property
    def templates(self) -> list[dict[str, Any]]:
        """Every template, oldest first."""
        return self.engine.state(self.workspace_id, "templates")

    @property
    def outbox(self) -> list[dict[str, Any]]:
        """Every email sent or suppressed, oldest first."""
        return self.engine.state(self.workspace_id, "outbox")

    @property
    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every webhook message with its delivery status and attempts."""
        return self.engine.state(self.workspace_id, "webhook_deliveries")

    def reset(self) -> None:
        """Empty the default workspace, including webhooks added with add_webhook."""
        self.engine.reset_workspace(self.workspace_id)

    def add_webhook(
        self, url: str, secret: str | None = None, events: tuple[str, ...] | None = None
    ) -> WebhookEndpoint:
        """Register a webhook endpoint; the returned one carries the secret."""
        added = self.engine.add_webhook_endpoint(self.workspace_id, url, secret, events)
        return WebhookEndpoint(added["url"], added["secret"], events)

    # Clients

    def client(self, **kwargs: Any) -> Synapse:
        """A ``pyrx_synapse.Synapse`` talking to this engine; kwargs go to it."""
        from . import Synapse

        http_client = httpx.Client(transport=self.transport, base_url=self.base_url)
        self._clients.append(http_client)
        options: dict[str, Any] = {
            "workspace_id": self.workspace_id,
            "base_url": self.base_url,
            "http_client": http_client,
        }
        api_key = kwargs.pop("api_key", self.api_key)
        options.update(kwargs)
        return Synapse(api_key, **options)

    def async_client(self, **kwargs: Any) -> AsyncSynapse:
        """A ``pyrx_synapse.AsyncSynapse`` talking to this engine."""
        from . import AsyncSynapse

        http_client = httpx.AsyncClient(
            transport=self.transport, base_url=self.base_url
        )
        options: dict[str, Any] = {
            "workspace_id": self.workspace_id,
            "base_url": self.base_url,
            "http_client": http_client,
        }
        api_key = kwargs.pop("api_key", self.api_key)
        options.update(kwargs)
        return AsyncSynapse(api_key, **options)

    def close(self) -> None:
        """Close the clients made here and the engine."""
        for http_client in self._clients:
            http_client.close()
        self._clients.clear()
        self.engine.close()

    def __enter__(self) -> LocalSynapse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
