"""A local, stateful Synapse server for development and tests.

``run_server`` starts the whole thing in the background of the current
process: the engine that implements openapi.yaml, the HTTP front end on a
loopback port and the webhook dispatcher. The ``synapse-dev-server`` command
(``python -m pyrx_synapse.server``) runs the same in the foreground::

    from pyrx_synapse import Synapse
    from pyrx_synapse.server import ServerConfig, run_server

    config = ServerConfig(api_keys={"psk_test_local": "ws_local"})
    with run_server(config) as server:
        client = Synapse(
            server.api_key, workspace_id=server.workspace_id, base_url=server.url
        )
        client.track(external_id="user_1", event_name="signed_up")

The server needs the ``server`` extra: ``pip install "pyrx-synapse[server]"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

# First, so a missing optional dependency fails with the command that fixes it.
from . import _requirements  # noqa: F401
from ._config import FaultConfig, ServerConfig, WebhookEndpoint
from ._delivery import WebhookDispatcher
from ._engine import Engine
from ._http import DevServer

__all__ = [
    "DevServer",
    "Engine",
    "FaultConfig",
    "RunningServer",
    "ServerConfig",
    "WebhookDispatcher",
    "WebhookEndpoint",
    "run_server",
]

_DEFAULT_API_KEY = "psk_test_local"
_DEFAULT_WORKSPACE_ID = "ws_local"


@dataclass(frozen=True)
class RunningServer:
    """The parts of a server started by ``run_server``, while it runs."""

    url: str
    config: ServerConfig
    engine: Engine
    http: DevServer
    dispatcher: WebhookDispatcher

    @property
    def api_key(self) -> str:
        """The first configured API key, the one to hand to a client."""
        return next(iter(self.config.api_keys))

    @property
    def workspace_id(self) -> str:
        """The workspace of ``api_key``."""
        return self.config.api_keys[self.api_key]


@contextmanager
def run_server(
    config: ServerConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_requests: bool = False,
    webhook_max_attempts: int = 5,
    webhook_backoff_base: float = 0.5,
    webhook_backoff_cap: float = 30.0,
    webhook_timeout: float = 5.0,
) -> Iterator[RunningServer]:
    """Serve ``config`` on ``host:port`` (0 picks a free port) until the block ends.

    Without a config the server knows one key, ``psk_test_local``, for the
    workspace ``ws_local``. Faults come from ``config.faults``. The
    ``webhook_*`` arguments tune the dispatcher (see WebhookDispatcher). On
    exit the HTTP server stops first, then webhook delivery, then the engine.
    """
    if config is None:
        config = ServerConfig(api_keys={_DEFAULT_API_KEY: _DEFAULT_WORKSPACE_ID})
    with ExitStack() as stack:
        engine = Engine(config)
        stack.callback(engine.close)
        dispatcher = WebhookDispatcher(
            engine,
            max_attempts=webhook_max_attempts,
            backoff_base=webhook_backoff_base,
            backoff_cap=webhook_backoff_cap,
            timeout=webhook_timeout,
        )
        stack.callback(dispatcher.stop)
        http = DevServer(
            engine, host, port, faults=config.faults, log_requests=log_requests
        )
        stack.callback(http.stop)
        dispatcher.start()
        http.start()
        yield RunningServer(http.url, config, engine, http, dispatcher)
