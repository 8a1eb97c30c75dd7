"""Injected faults: reproducible picks, and how both front ends apply them."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from pyrx_synapse.server._config import FaultConfig, ServerConfig
from pyrx_synapse.server._engine import Engine
from pyrx_synapse.server._faults import FaultInjector
from pyrx_synapse.server._http import DevServer
from pyrx_synapse.testing import LocalSynapse

from .conftest import AUTH


class TestFaultInjector:
    def test_same_seed_same_faults(self) -> None:
        """Two injectors with one seed pick the same sequence."""
        config = FaultConfig(rate=0.5, seed=7)
        first, second = FaultInjector(config), FaultInjector(config)
        picks = [first.pick() for _ in range(200)]
        assert picks == [second.pick() for _ in range(200)]
        assert set(picks) == {None, *config.kinds}

    def test_other_seed_other_faults(self) -> None:
        """A different seed gives a different sequence."""
        first = FaultInjector(FaultConfig(rate=0.5, seed=1))
        second = FaultInjector(FaultConfig(rate=0.5, seed=2))
        assert [first.pick() for _ in range(50)] != [second.pick() for _ in range(50)]

    def test_rate_zero_never_faults(self) -> None:
        """Rate 0 means no fault at all."""
        injector = FaultInjector(FaultConfig(rate=0.0))
        assert {injector.pick() for _ in range(100)} == {None}

    def test_rate_one_always_faults(self) -> None:
        """Rate 1 faults every request, with only the configured kinds."""
        injector = FaultInjector(FaultConfig(rate=1.0, kinds=("503",)))
        assert {injector.pick() for _ in range(50)} == {"503"}

    @pytest.mark.parametrize(
        "options", [{"rate": 1.5}, {"kinds": ("404",)}, {"kinds": ()}]
    )
    def test_bad_config_is_refused(self, options: dict[str, object]) -> None:
        """Out-of-range rates and unknown kinds are errors."""
        with pytest.raises(ValueError, match="fault"):
            FaultConfig(**options)  # type: ignore[arg-type]


def _local(kind: str) -> LocalSynapse:
    return LocalSynapse(faults=FaultConfig(rate=1.0, kinds=(kind,), delay_seconds=0))


class TestTransportFaults:
    @pytest.mark.parametrize("kind", ["500", "502", "503"])
    def test_status_fault_changes_nothing(self, kind: str) -> None:
        """A status fault answers with that status before the engine acts."""
        with (
            _local(kind) as local,
            httpx.Client(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client,
        ):
            response = client.post("/v1/contacts", json={"external_id": "u1"})
            assert response.status_code == int(kind)
            assert response.json()["code"] == "injected_fault"
            assert local.contacts == []

    def test_injected_429_has_retry_after(self) -> None:
        """An injected 429 carries the configured Retry-After."""
        faults = FaultConfig(rate=1.0, kinds=("429",), retry_after_seconds=3)
        with (
            LocalSynapse(faults=faults) as local,
            httpx.Client(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client,
        ):
            response = client.get("/v1/templates")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "3"

    def test_drop_acts_then_raises(self) -> None:
        """A dropped request changes the state, then the client sees no response."""
        with (
            _local("drop") as local,
            httpx.Client(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client,
        ):
            with pytest.raises(httpx.RemoteProtocolError):
                client.post("/v1/contacts", json={"external_id": "u1"})
            assert [c["external_id"] for c in local.contacts] == ["u1"]

    def test_delay_then_answers(self) -> None:
        """A delayed request is answered normally."""
        with (
            _local("delay") as local,
            httpx.Client(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client,
        ):
            assert client.get("/v1/templates").status_code == 200

    async def test_async_drop(self) -> None:
        """The async transport drops the same way."""
        with _local("drop") as local:
            async with httpx.AsyncClient(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client:
                with pytest.raises(httpx.RemoteProtocolError):
                    await client.post("/v1/contacts", json={"external_id": "u1"})
            assert len(local.contacts) == 1

    def test_dev_endpoints_get_no_faults(self) -> None:
        """Faults never touch /_dev/ paths."""
        with (
            _local("500") as local,
            httpx.Client(
                transport=local.transport, base_url=local.base_url, headers=AUTH
            ) as client,
        ):
            assert client.get("/_dev/outbox").status_code == 200


@pytest.fixture
def make_server() -> Iterator[type[DevServer]]:
    """Builds DevServers on 127.0.0.1 and stops them all after the test."""
    servers: list[DevServer] = []

    class Tracked(DevServer):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            servers.append(self)

    yield Tracked
    for server in servers:
        server.stop()


def _engine(**options: object) -> Engine:
    return Engine(
        ServerConfig(api_keys={AUTH["X-Api-Key"]: AUTH["X-Workspace-Id"]}, **options)
    )  # type: ignore[arg-type]


class TestDevServer:
    def test_serves_the_engine(self, make_server: type[DevServer]) -> None:
        """Requests over loopback reach the engine, keep-alive included."""
        server = make_server(_engine())
        server.start()
        with httpx.Client(base_url=server.url, headers=AUTH) as client:
            assert client.get("/_dev/health").json() == {"status": "ok"}
            created = client.post("/v1/contacts", json={"external_id": "u1"})
            assert created.status_code == 200
            assert client.get("/v1/contacts/u1").json()["id"] == created.json()["id"]
            assert client.delete("/v1/contacts/u1").status_code == 204
            assert client.get("/v1/contacts/u1").status_code == 404

    def test_drop_closes_without_answer(self, make_server: type[DevServer]) -> None:
        """A drop fault acts and then closes the connection without a response."""
        engine = _engine()
        faults = FaultConfig(rate=1.0, kinds=("drop",))
        server = make_server(engine, faults=faults)
        server.start()
        with httpx.Client(base_url=server.url, headers=AUTH) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                client.post("/v1/contacts", json={"external_id": "u1"})
            assert client.get("/_dev/health").status_code == 200
        assert len(engine.state(AUTH["X-Workspace-Id"], "contacts")) == 1

    def test_status_fault_over_http(self, make_server: type[DevServer]) -> None:
        """A status fault is answered over HTTP with a JSON body."""
        server = make_server(_engine(), faults=FaultConfig(rate=1.0, kinds=("503",)))
        server.start()
        with httpx.Client(base_url=server.url, headers=AUTH) as client:
            response = client.get("/v1/templates")
        assert response.status_code == 503
        assert response.json()["code"] == "injected_fault"

    def test_oversized_body_is_413_unread(self, make_server: type[DevServer]) -> None:
        """A Content-Length over the limit gets 413 without reading the body."""
        server = make_server(_engine(max_body_bytes=64))
        server.start()
        request = (
            "POST /v1/contacts HTTP/1.1\r\nHost: x\r\n"
            f"X-Api-Key: {AUTH['X-Api-Key']}\r\n"
            f"X-Workspace-Id: {AUTH['X-Workspace-Id']}\r\n"
            "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"
        ).encode() + b"x" * 100
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(request)
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 413")
        assert b"Connection: close" in reply
        assert b"payload_too_large" in reply

    def test_chunked_body(self, make_server: type[DevServer]) -> None:
        """A chunked request body is read like any other."""
        server = make_server(_engine())
        server.start()

        def chunks() -> Iterator[bytes]:
            yield b'{"external_id":'
            yield b' "u1"}'

        with httpx.Client(base_url=server.url, headers=AUTH) as client:
            response = client.post(
                "/v1/contacts",
                content=chunks(),
                headers={"Content-Type": "application/json"},
            )
        assert response.status_code == 200

    def test_stop_is_idempotent(self, make_server: type[DevServer]) -> None:
        """stop() twice is fine, and the port is closed afterwards."""
        server = make_server(_engine())
        with server:
            pass
        server.stop()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((server.host, server.port), timeout=1).close()
