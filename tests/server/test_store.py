"""SQLite storage: persistence in a file, and all-or-nothing requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyrx_synapse.server._config import ServerConfig
from pyrx_synapse.server._engine import Engine
from pyrx_synapse.server._store import Store

HEADERS = {"x-api-key": "k", "x-workspace-id": "ws", "content-type": "application/json"}


def _post(
    engine: Engine, target: str, body: object, **headers: str
) -> tuple[int, bytes]:
    response = engine.handle(
        "POST", target, {**HEADERS, **headers}, json.dumps(body).encode()
    )
    return response.status, response.body


class TestPersistence:
    def test_state_survives_a_restart(self, tmp_path: Path) -> None:
        """A second engine on the same file sees contacts, events and keys."""
        config = ServerConfig(api_keys={"k": "ws"}, db_path=str(tmp_path / "s.db"))
        first = Engine(config)
        event = {"external_id": "u1", "event_name": "paid"}
        status, body = _post(first, "/v1/events", event, **{"idempotency-key": "i1"})
        assert status == 202
        first.close()

        second = Engine(config)
        try:
            assert [c["external_id"] for c in second.state("ws", "contacts")] == ["u1"]
            assert len(second.state("ws", "events")) == 1
            replay = _post(second, "/v1/events", event, **{"idempotency-key": "i1"})
            assert replay == (202, body)
            assert len(second.state("ws", "events")) == 1
        finally:
            second.close()

    def test_memory_engines_share_nothing(self) -> None:
        """Two in-memory engines are independent."""
        config = ServerConfig(api_keys={"k": "ws"})
        first, second = Engine(config), Engine(config)
        _post(first, "/v1/contacts", {"external_id": "u1"})
        assert second.state("ws", "contacts") == []


class TestTransactions:
    def test_failed_transaction_rolls_back(self) -> None:
        """An error inside a transaction leaves no row behind."""
        store = Store(None)
        contact = {
            "id": "ct_1",
            "external_id": "u1",
            "properties": {},
            "tags": [],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }

        def insert_then_fail() -> None:
            with store.transaction():
                store.insert_contact("ws", contact)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            insert_then_fail()
        assert store.contacts("ws") == []

    def test_render_error_keeps_new_contact_out(self) -> None:
        """A send that fails to render creates no contact and no email."""
        engine = Engine(ServerConfig(api_keys={"k": "ws"}))
        template = {
            "name": "T",
            "slug": "t",
            "subject": "s",
            "body_html": "{{ 1 / 0 }}",
            "sender_name": "S",
            "from_email": "s@example.test",
        }
        assert _post(engine, "/v1/templates", template)[0] == 201
        send = {"template_slug": "t", "to": {"user_id": "new", "email": "n@x.io"}}
        assert _post(engine, "/v1/send", send)[0] == 422
        assert engine.state("ws", "contacts") == []
        assert engine.state("ws", "outbox") == []
