"""The asynchronous SDK end to end, over loopback, against the served local Synapse."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pyrx_synapse import (
    AsyncSynapse,
    RetryPolicy,
    SynapseAuthError,
    SynapseConflictError,
    SynapseNotFoundError,
    SynapseValidationError,
    verify_webhook,
)
from pyrx_synapse.server import FaultConfig
from svix.webhooks import Webhook

from . import conftest_integration as harness
from .test_integration import TEMPLATE, register

served = harness.served
receiver = harness.receiver
async_client = harness.async_client


class TestAsyncCalls:
    async def test_track_and_batch_are_stored(self, served, async_client):
        """track and a chunked track_batch of 75 events store 76 events."""
        single = await async_client.track(external_id="ada", event_name="signed_up")
        events = [{"external_id": "ada", "event_name": "viewed"} for _ in range(75)]
        batch = await async_client.track_batch(events=events)

        assert single.status == "accepted"
        assert (batch.accepted, batch.rejected) == (75, 0)
        assert len(harness.dev_list(served, "/_dev/events")) == 76

    async def test_identify_batch_then_iterate(self, async_client):
        """identify_batch of 1001 rows is chunked; the async iterator sees them all."""
        rows = [{"external_id": f"a_{i:04d}"} for i in range(1001)]

        result = await async_client.identify_batch(contacts=rows)
        seen = [c.external_id async for c in async_client.contacts.iter(per_page=100)]

        assert (result.total, result.created) == (1001, 1001)
        assert sorted(seen) == [row["external_id"] for row in rows]

    async def test_contact_get_update_delete(self, async_client):
        """A contact can be read, changed and deleted through the async client."""
        await async_client.identify(external_id="ada", tags=["a"])

        updated = await async_client.contacts.update("ada", {"remove_tags": ["a"]})
        fetched = await async_client.contacts.get("ada")
        await async_client.contacts.delete("ada")

        assert updated.tags == fetched.tags == []
        with pytest.raises(SynapseNotFoundError):
            await async_client.contacts.get("ada")

    async def test_templates_preview_and_send(self, served, async_client):
        """Template CRUD, preview and send work the same over asyncio."""
        await async_client.templates.create(TEMPLATE)
        await async_client.templates.update("welcome", {"name": "Hello"})
        preview = await async_client.templates.preview(
            "welcome", {"contact": {"first_name": "Ada"}}
        )
        sent = await async_client.send(
            template_slug="welcome",
            to={"user_id": "ada", "email": "ada@acme.test"},
            attributes={"item": "tea"},
        )

        assert preview.subject == "Hi Ada"
        assert sent.status == "queued"
        [email] = harness.dev_list(served, "/_dev/outbox")
        assert "you bought tea" in email["html"]
        assert [t.name for t in await async_client.templates.list()] == ["Hello"]
        await async_client.templates.delete("welcome")
        assert await async_client.templates.list() == []

    async def test_concurrent_calls_all_land(self, served, async_client):
        """Twenty tracks gathered at once are all stored."""
        results = await asyncio.gather(
            *(
                async_client.track(external_id=f"u{i}", event_name="tick")
                for i in range(20)
            )
        )

        stored = {e["event_id"] for e in harness.dev_list(served, "/_dev/events")}
        assert stored == {r.event_id for r in results}


class TestAsyncErrors:
    async def test_statuses_map_to_typed_errors(self, served, async_client):
        """401, 404, 409 and 422 become their SynapseError subclasses."""
        await async_client.templates.create(TEMPLATE)
        async with AsyncSynapse(
            "psk_test_nobody", workspace_id=harness.WORKSPACE_ID, base_url=served.url
        ) as stranger:
            with pytest.raises(SynapseAuthError):
                await stranger.contacts.list()
        with pytest.raises(SynapseNotFoundError):
            await async_client.contacts.get("nobody")
        with pytest.raises(SynapseConflictError):
            await async_client.templates.create(TEMPLATE)
        with pytest.raises(SynapseValidationError):
            await async_client.identify(external_id="x", email="nope")


class TestAsyncWebhooks:
    async def test_delivery_verifies(self, served, receiver, async_client):
        """A webhook caused by an async call arrives and verifies both ways."""
        secret = register(served, receiver.url)

        await async_client.identify(external_id="ada", email="ada@acme.test")

        assert served.dispatcher.flush(harness.WAIT)
        [hook] = receiver.of_type("contact.created")
        assert verify_webhook(hook.body, hook.headers, secret)["data"]["external_id"]
        Webhook(secret).verify(hook.body, hook.headers)


class TestAsyncReliability:
    async def test_writes_count_once_despite_faults(self):
        """Under injected faults every async write still lands exactly once."""
        faults = FaultConfig(rate=0.3, seed=5, delay_seconds=0.6, retry_after_seconds=0)
        config = harness.server_config(faults=faults)
        policy = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, max_retry_after=5)
        with harness.start_server(config) as server:
            async with AsyncSynapse(
                harness.API_KEY,
                workspace_id=harness.WORKSPACE_ID,
                base_url=server.url,
                timeout=0.3,
                max_retries=12,
                retry_policy=policy,
            ) as sdk:
                ids = [
                    (await sdk.track(external_id=f"u{i}", event_name="tick")).event_id
                    for i in range(20)
                ]
            stored = [e["event_id"] for e in harness.dev_list(server, "/_dev/events")]
        assert sorted(stored) == sorted(ids)


class TestDevEndpoints:
    def test_dev_endpoints_are_never_faulted(self):
        """/_dev/* answers normally even when every API request is faulted."""
        faults = FaultConfig(rate=1.0, kinds=("500",))
        with harness.start_server(harness.server_config(faults=faults)) as server:
            assert harness.dev(server, "GET", "/_dev/events").status_code == 200
            health = httpx.get(server.url + "/_dev/health", timeout=harness.WAIT)
            assert health.json() == {"status": "ok"}
