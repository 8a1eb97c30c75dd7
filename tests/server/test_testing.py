"""pyrx_synapse.testing: LocalSynapse, its transport, accessors and clients."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pyrx_synapse.server._config import ServerConfig
from pyrx_synapse.testing import LocalSynapse

from .conftest import AUTH, TEMPLATE


class TestLocalSynapse:
    def test_transport_is_sync_and_async(self, local: LocalSynapse) -> None:
        """One transport object plugs into both httpx client kinds."""
        assert isinstance(local.transport, httpx.BaseTransport)
        assert isinstance(local.transport, httpx.AsyncBaseTransport)

    async def test_async_client_shares_state(self, local: LocalSynapse) -> None:
        """An AsyncClient on the transport writes the same state."""
        async with httpx.AsyncClient(
            transport=local.transport, base_url=local.base_url, headers=AUTH
        ) as client:
            response = await client.post("/v1/contacts", json={"external_id": "u1"})
        assert response.status_code == 200
        assert [c["external_id"] for c in local.contacts] == ["u1"]

    def test_accessors_and_reset(self, local: LocalSynapse) -> None:
        """The accessors show plain data; reset empties them."""
        with httpx.Client(
            transport=local.transport, base_url=local.base_url, headers=AUTH
        ) as client:
            client.post("/v1/templates", json=TEMPLATE)
            client.post("/v1/events", json={"external_id": "u1", "event_name": "e"})
            send = {
                "template_slug": "welcome",
                "to": {"user_id": "u1", "email": "a@b.io"},
            }
            client.post("/v1/send", json=send)
        assert [t["slug"] for t in local.templates] == ["welcome"]
        assert [e["event_name"] for e in local.events] == ["e"]
        assert [m["status"] for m in local.outbox] == ["queued"]
        local.reset()
        assert (local.contacts, local.events, local.templates, local.outbox) == (
            [],
            [],
            [],
            [],
        )

    def test_add_webhook_records_messages(self, local: LocalSynapse) -> None:
        """A webhook added here collects a pending delivery per change."""
        endpoint = local.add_webhook("http://127.0.0.1:9/hook")
        assert endpoint.secret.startswith("whsec_")
        with httpx.Client(
            transport=local.transport, base_url=local.base_url, headers=AUTH
        ) as client:
            client.post("/v1/contacts", json={"external_id": "u1"})
        deliveries = local.webhook_deliveries
        assert [(d["event_type"], d["status"]) for d in deliveries] == [
            ("contact.created", "pending")
        ]

    def test_config_gets_the_key(self) -> None:
        """A given config keeps its keys and gains the default one."""
        config = ServerConfig(api_keys={"other": "ws_other"}, limits={"contacts": 5})
        with LocalSynapse(config=config) as local:
            assert local.config.api_keys == {
                "other": "ws_other",
                **{AUTH["X-Api-Key"]: AUTH["X-Workspace-Id"]},
            }
            assert local.config.limits == {"contacts": 5}

    def test_conflicting_key_is_refused(self) -> None:
        """A config that gives the key to another workspace is an error."""
        config = ServerConfig(api_keys={"psk_test_local": "ws_other"})
        with pytest.raises(ValueError, match="ws_other"):
            LocalSynapse(config=config)


class TestSdkClients:
    def test_sync_client(self, local: LocalSynapse) -> None:
        """client() returns a Synapse that talks to the engine."""
        with local.client() as client:
            result = client.track(external_id="u1", event_name="signed_up")
            contact = client.identify(external_id="u1", email="u1@example.test")
        assert result.status == "accepted"
        assert contact.email == "u1@example.test"
        assert [e["event_id"] for e in local.events] == [result.event_id]

    async def test_async_client(self, local: LocalSynapse) -> None:
        """async_client() returns an AsyncSynapse that talks to the engine."""
        async with local.async_client() as client:
            result = await client.track(external_id="u1", event_name="e")
        assert result.status == "accepted"
        assert len(local.events) == 1


class TestServerExtra:
    def test_missing_dependency_names_the_install_command(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the server extra, importing the server says what to install."""
        import importlib
        import importlib.util

        from pyrx_synapse.server import _requirements

        real_find_spec = importlib.util.find_spec

        def without_jinja(name: str, *args: Any) -> Any:
            return None if name == "jinja2" else real_find_spec(name, *args)

        monkeypatch.setattr(importlib.util, "find_spec", without_jinja)
        with pytest.raises(ImportError, match=r"jinja2.*pyrx-synapse\[server\]"):
            importlib.reload(_requirements)
