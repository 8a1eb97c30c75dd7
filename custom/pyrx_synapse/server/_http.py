"""The HTTP front end of the local server: ``http.server`` over an Engine.

HTTP/1.1 with keep-alive; each connection gets a daemon thread. Faults from
a FaultConfig apply to ``/v1/`` requests only. A body over the engine's size
limit is read no further than one byte past it, answered with 413, and the
connection is closed, since the rest of the body is still unread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from ._common import ApiError, EngineResponse, error_response, new_id
from ._config import FaultConfig
from ._engine import Engine
from ._faults import STATUS_FAULTS, FaultInjector, applies_to, fault_response

__all__ = ["DevServer"]

logger = logging.getLogger(__name__)

_IDLE_TIMEOUT_SECONDS = 120
# How often the accept loop notices stop(); short so tests and Ctrl-C are quick.
_POLL_SECONDS = 0.05


class _BadRequestError(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        engine: Engine,
        faults: FaultInjector | None,
        log_requests: bool,
    ) -> None:
        super().__init__(address, _Handler)
        self.engine = engine
        self.faults = faults
        self.log_requests = log_requests
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on,
    # the second waits for the client's delayed ACK, about 40 ms per request.
    disable_nagle_algorithm = True
    timeout = _IDLE_TIMEOUT_SECONDS
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log_requests:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, or an invented one) reaches the engine
        # too, which answers 405 with Allow instead of http.server's 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _serve(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            body = self._read_body(headers)
        except _BadRequestError as exc:
            self.close_connection = True
            error = ApiError(400, "bad_request", str(exc))
            self._write(error_response(error, new_id("req")))
            return
        kind = None
        if self.server.faults is not None and applies_to(self.path):
            kind = self.server.faults.pick()
        if kind in STATUS_FAULTS and self.server.faults is not None:
            self._write(fault_response(str(kind), self.server.faults.config))
            return
        if kind == "delay" and self.server.faults is not None:
            time.sleep(self.server.faults.config.delay_seconds)
        response = self.server.engine.handle(self.command, self.path, headers, body)
        if kind == "drop":
            # The engine has acted; losing the answer is the point of the fault.
            self.close_connection = True
            return
        self._write(response)

    def _read_body(self, headers: dict[str, str]) -> bytes:
        limit = self.server.engine.config.max_body_bytes
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked(limit)
        raw_length = headers.get("content-length")
        if raw_length is None:
            return b""
        if not raw_length.strip().isdigit():
            raise _BadRequestError("the Content-Length header is not a number")
        length = int(raw_length)
        if length > limit:
            self.close_connection = True
        return self.rfile.read(min(length, limit + 1))

    def _read_chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            size_line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError as exc:
                raise _BadRequestError("a chunk size is not valid") from exc
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(body)
            if len(body) + size > limit:
                self.close_connection = True
                return bytes(body) + self.rfile.read(limit + 1 - len(body))
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _write(self, response: EngineResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and response.status != 204:
            self.wfile.write(response.body)


class DevServer:
    """Serves an Engine over HTTP on ``host:port``; port 0 picks a free port."""

    def __init__(
        self,
        engine: Engine,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultConfig | None = None,
        *,
        log_requests: bool = False,
    ) -> None:
        injector = FaultInjector(faults) if faults is not None else None
        self.engine = engine
        self._server = _Server((host, port), engine, injector, log_requests)
        bound_host, bound_port = self._server.server_address[:2]
        self.host = str(bound_host)
        self.port = int(bound_port)
        self.url = f"http://{self.host}:{self.port}"
        self._thread: threading.Thread | None = None
        self._serving = False
        self._stopped = False
        self._state_lock = threading.Lock()

    def start(self) -> None:
        """Serve in a daemon thread and return at once."""
        with self._state_lock:
            if self._thread is not None or self._stopped:
                return
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                args=(_POLL_SECONDS,),
                name=f"synapse-dev-server-{self.port}",
                daemon=True,
            )
            self._serving = True
            self._thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until ``stop()`` is called from another thread."""
        with self._state_lock:
            self._serving = True
        self._server.serve_forever(_POLL_SECONDS)

    def stop(self) -> None:
        """Stop serving, close open connections and the socket; safe to repeat."""
        with self._state_lock:
            if self._stopped:
                return
            self._stopped = True
            serving = self._serving
        if serving:
            self._server.shutdown()
        with self._server.connections_lock:
            connections = list(self._server.connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                logger.debug("a connection was already closed")
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
