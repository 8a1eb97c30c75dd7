"""Shared pieces of the end-to-end tests: a served Synapse and a webhook receiver.

Test modules bind the fixtures they use by name (``served = harness.served``),
since only tests/server/conftest.py would share them automatically.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pyrx_synapse import AsyncSynapse, Synapse
from pyrx_synapse.server import RunningServer, ServerConfig, run_server

API_KEY = "psk_test_integration"
WORKSPACE_ID = "ws_integration"
OTHER_API_KEY = "psk_test_other"
OTHER_WORKSPACE_ID = "ws_other"
WAIT = 10.0  # upper bound of every wait for a real server; never reached when green


@dataclass(frozen=True)
class ReceivedWebhook:
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    """A loopback HTTP endpoint that records every POST it gets.

    ``statuses`` holds the answers for the next requests, first first; once it
    is empty every request gets 200.
    """

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[ReceivedWebhook] = []
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._record(headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

        return Handler

    def _record(self, headers: dict[str, str], body: bytes) -> int:
        with self._cond:
            self.received.append(ReceivedWebhook(headers, body))
            self._cond.notify_all()
            return self.statuses.pop(0) if self.statuses else 200

    def wait_for(self, count: int, timeout: float = WAIT) -> bool:
        """Wait until ``count`` requests arrived; False if they did not in time."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.received) >= count, timeout)

    def of_type(self, event_type: str) -> list[ReceivedWebhook]:
        with self._cond:
            return [hook for hook in self.received if hook.json["type"] == event_type]

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(WAIT)


def server_config(**overrides: Any) -> ServerConfig:
    """A config with the two test workspaces; keyword arguments replace fields."""
    keys = {API_KEY: WORKSPACE_ID, OTHER_API_KEY: OTHER_WORKSPACE_ID}
    return ServerConfig(api_keys=keys, **overrides)


def start_server(config: ServerConfig) -> Any:
    """run_server with webhook backoff small enough for tests."""
    return run_server(
        config,
        webhook_max_attempts=4,
        webhook_backoff_base=0.02,
        webhook_backoff_cap=0.1,
        webhook_timeout=2.0,
    )


def dev(
    server: RunningServer, method: str, path: str, json_body: Any = None
) -> httpx.Response:
    """Call a /_dev endpoint of ``server`` as the test workspace."""
    headers = {"X-Api-Key": API_KEY, "X-Workspace-Id": WORKSPACE_ID}
    with httpx.Client(base_url=server.url, headers=headers, timeout=WAIT) as http:
        return http.request(method, path, json=json_body)


def dev_list(server: RunningServer, path: str) -> list[dict[str, Any]]:
    """The items a /_dev listing returns, whether bare or under "data"."""
    response = dev(server, "GET", path)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["data"] if isinstance(body, dict) else body


@pytest.fixture
def served() -> Iterator[RunningServer]:
    with start_server(server_config()) as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as endpoint:
        yield endpoint


@pytest.fixture
def client(served: RunningServer) -> Iterator[Synapse]:
    with Synapse(
        API_KEY, workspace_id=WORKSPACE_ID, base_url=served.url, timeout=5.0
    ) as sdk:
        yield sdk


@pytest.fixture
async def async_client(served: RunningServer) -> AsyncIterator[AsyncSynapse]:
    async with AsyncSynapse(
        API_KEY, workspace_id=WORKSPACE_ID, base_url=served.url, timeout=5.0
    ) as sdk:
        yield sdk
