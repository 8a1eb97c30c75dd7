"""The synchronous SDK end to end, over loopback, against the served local Synapse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pyrx_synapse import (
    RetryPolicy,
    Synapse,
    SynapseAuthError,
    SynapseConflictError,
    SynapseNotFoundError,
    SynapsePlanLimitError,
    SynapseValidationError,
    verify_webhook,
)
from pyrx_synapse.server import FaultConfig, RunningServer, run_server
from svix.webhooks import Webhook

from . import conftest_integration as harness

served = harness.served
receiver = harness.receiver
client = harness.client

TEMPLATE = {
    "name": "Welcome",
    "slug": "welcome",
    "subject": "Hi {{ contact.first_name }}",
    "body_html": "<p>Hello {{ contact.first_name }}, you bought {{ item }}.</p>",
    "sender_name": "Acme",
    "from_email": "hello@acme.test",
}
# Retries in these tests should wait milliseconds, not the production seconds.
FAST_RETRIES = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, max_retry_after=5)


def register(server: RunningServer, url: str, events: list[str] | None = None) -> str:
    """Register ``url`` as a webhook endpoint of the test workspace; its secret."""
    endpoint: dict[str, Any] = {"url": url}
    if events is not None:
        endpoint["events"] = events
    response = harness.dev(server, "POST", "/_dev/webhooks", endpoint)
    assert response.status_code == 201, response.text
    return str(response.json()["secret"])


class TestEvents:
    def test_track_is_stored_once(self, served, client):
        """track answers accepted with an event id the server has stored."""
        result = client.track(
            external_id="user_1", event_name="signed_up", attributes={"plan": "pro"}
        )

        assert result.status == "accepted"
        [event] = harness.dev_list(served, "/_dev/events")
        assert event["event_id"] == result.event_id
        assert event["event_name"] == "signed_up"
        assert event["attributes"] == {"plan": "pro"}

    def test_track_creates_the_contact(self, client):
        """An event for a new external_id creates that contact with its fields."""
        client.track(
            external_id="user_2", event_name="visit", contact={"email": "u2@acme.test"}
        )

        assert client.contacts.get("user_2").email == "u2@acme.test"

    def test_same_idempotency_key_records_one_event(self, served, client):
        """Repeating a track with one idempotency key returns the first event."""
        first = client.track(
            external_id="user_1", event_name="paid", idempotency_key="order-17"
        )
        again = client.track(
            external_id="user_1", event_name="paid", idempotency_key="order-17"
        )

        assert again.event_id == first.event_id
        assert len(harness.dev_list(served, "/_dev/events")) == 1

    def test_track_batch_over_fifty_events_is_chunked(self, served, client):
        """120 events go out as three requests and all of them are stored."""
        events = [
            {"external_id": f"user_{i % 7}", "event_name": "viewed", "attributes": {}}
            for i in range(120)
        ]

        result = client.track_batch(events=events)

        assert (result.accepted, result.rejected) == (120, 0)
        assert len(harness.dev_list(served, "/_dev/events")) == 120


class TestContacts:
    def test_identify_then_get_by_external_id_and_by_id(self, client):
        """A contact is found by its external_id and by its server id."""
        made = client.identify(
            external_id="ada",
            email="ada@acme.test",
            first_name="Ada",
            properties={"lang": "en"},
            tags=["vip"],
        )

        by_external_id = client.contacts.get("ada")
        by_id = client.contacts.get(made.id)
        assert by_external_id == by_id
        assert made.id.startswith("ct_")
        assert (by_id.email, by_id.first_name) == ("ada@acme.test", "Ada")
        assert (by_id.properties, by_id.tags) == ({"lang": "en"}, ["vip"])

    def test_identify_keeps_fields_left_out(self, client):
        """A second identify changes only the fields it sends."""
        client.identify(external_id="ada", email="ada@acme.test", first_name="Ada")
        client.identify(external_id="ada", last_name="Lovelace")

        contact = client.contacts.get("ada")
        assert (contact.email, contact.first_name, contact.last_name) == (
            "ada@acme.test",
            "Ada",
            "Lovelace",
        )

    def test_identify_batch_over_a_thousand_rows_is_chunked(self, client):
        """1100 contacts go out as two requests; totals add up and all are listed."""
        rows = [
            {"external_id": f"bulk_{i:04d}", "email": f"b{i}@acme.test"}
            for i in range(1100)
        ]

        result = client.identify_batch(contacts=rows)

        assert (result.total, result.created, result.updated) == (1100, 1100, 0)
        assert result.errors == []
        assert client.contacts.list(per_page=1).meta.total == 1100

    def test_identify_batch_skip_leaves_existing_contacts(self, client):
        """on_conflict=skip counts existing contacts as skipped and keeps them."""
        client.identify(external_id="kept", email="old@acme.test")

        result = client.identify_batch(
            contacts=[
                {"external_id": "kept", "email": "new@acme.test"},
                {"external_id": "fresh"},
            ],
            on_conflict="skip",
        )

        assert (result.created, result.skipped) == (1, 1)
        assert client.contacts.get("kept").email == "old@acme.test"

    def test_iter_pages_through_every_contact(self, client):
        """contacts.iter yields each contact exactly once across pages."""
        rows = [{"external_id": f"it_{i:03d}"} for i in range(57)]
        client.identify_batch(contacts=rows)

        seen = [c.external_id for c in client.contacts.iter(per_page=10)]

        assert sorted(seen) == [row["external_id"] for row in rows]

    def test_list_searches_sorts_and_pages(self, client):
        """search filters, sort_by orders, and meta describes the page."""
        for name in ("carol", "alice", "bob", "alina"):
            client.identify(external_id=name, email=f"{name}@acme.test")

        page = client.contacts.list(
            search="ali", sort_by="external_id", sort_order="asc", per_page=1, page=2
        )

        assert [c.external_id for c in page.data] == ["alina"]
        assert (page.meta.total, page.meta.page, page.meta.total_pages) == (2, 2, 2)

    def test_update_merges_properties_and_changes_tags(self, client):
        """update merges properties, applies add_tags, and clears email with None."""
        client.identify(
            external_id="ada",
            email="ada@acme.test",
            properties={"lang": "en"},
            tags=["vip"],
        )

        updated = client.contacts.update(
            "ada", {"email": None, "properties": {"tz": "UTC"}, "add_tags": ["beta"]}
        )

        assert updated.email is None
        assert updated.properties == {"lang": "en", "tz": "UTC"}
        assert sorted(updated.tags) == ["beta", "vip"]

    def test_delete_removes_the_contact(self, client):
        """A deleted contact is gone: get raises SynapseNotFoundError."""
        client.identify(external_id="gone")

        client.contacts.delete("gone")

        with pytest.raises(SynapseNotFoundError):
            client.contacts.get("gone")


class TestTemplates:
    def test_create_get_list_update_delete(self, client):
        """A template goes through its whole life as the SDK sees it."""
        created = client.templates.create(TEMPLATE)
        assert created.slug == "welcome"
        assert client.templates.get("welcome").subject == TEMPLATE["subject"]
        assert [t.slug for t in client.templates.list()] == ["welcome"]

        updated = client.templates.update("welcome", {"subject": "Welcome!"})
        assert (updated.subject, updated.name) == ("Welcome!", "Welcome")

        client.templates.delete("welcome")
        assert client.templates.list() == []
        with pytest.raises(SynapseNotFoundError):
            client.templates.get("welcome")

    def test_preview_renders_with_escaping(self, client):
        """preview fills the contact and event data in, HTML-escaped in the body."""
        client.templates.create(TEMPLATE)

        preview = client.templates.preview(
            "welcome", {"contact": {"first_name": "<Ada>"}, "event": {}}
        )

        assert preview.subject == "Hi <Ada>"
        assert "Hello &lt;Ada&gt;" in preview.html
        assert preview.suppressed is False


class TestSend:
    def test_send_puts_the_rendered_email_in_the_outbox(self, served, client):
        """send answers queued and the outbox holds the rendered email."""
        client.templates.create(TEMPLATE)

        result = client.send(
            template_slug="welcome",
            to={"user_id": "ada", "email": "ada@acme.test", "first_name": "Ada"},
            attributes={"item": "a lamp"},
        )

        assert result.status == "queued"
        [email] = harness.dev_list(served, "/_dev/outbox")
        assert email["email_log_id"] == result.email_log_id
        assert email["subject"] == "Hi Ada"
        assert "you bought a lamp" in email["html"]
        assert email["to"] == "ada@acme.test"

    def test_send_to_an_unsubscribed_contact_is_suppressed(self, served, client):
        """A contact tagged unsubscribed gets no email."""
        client.templates.create(TEMPLATE)
        client.identify(external_id="ada", tags=["unsubscribed"])

        result = client.send(
            template_slug="welcome", to={"user_id": "ada", "email": "ada@acme.test"}
        )

        assert result.status == "suppressed"
        sent = [
            e
            for e in harness.dev_list(served, "/_dev/outbox")
            if e["status"] != "suppressed"
        ]
        assert sent == []


class TestErrorMapping:
    def test_unknown_key_is_an_auth_error(self, served):
        """401 from a key the server does not know becomes SynapseAuthError."""
        with (
            Synapse(
                "psk_test_nobody",
                workspace_id=harness.WORKSPACE_ID,
                base_url=served.url,
            ) as stranger,
            pytest.raises(SynapseAuthError) as caught,
        ):
            stranger.track(external_id="u", event_name="e")
        assert caught.value.status == 401

    def test_key_of_another_workspace_is_forbidden(self, served):
        """A valid key used with a workspace that is not its own gets 403."""
        with (
            Synapse(
                harness.OTHER_API_KEY,
                workspace_id=harness.WORKSPACE_ID,
                base_url=served.url,
            ) as intruder,
            pytest.raises(SynapseAuthError) as caught,
        ):
            intruder.contacts.list()
        assert caught.value.status == 403

    def test_workspaces_do_not_see_each_other(self, served, client):
        """A contact of one workspace is not found from another."""
        client.identify(external_id="private")
        with (
            Synapse(
                harness.OTHER_API_KEY,
                workspace_id=harness.OTHER_WORKSPACE_ID,
                base_url=served.url,
            ) as other,
            pytest.raises(SynapseNotFoundError),
        ):
            other.contacts.get("private")

    def test_missing_resource_is_not_found(self, client):
        """404 becomes SynapseNotFoundError with its status."""
        with pytest.raises(SynapseNotFoundError) as caught:
            client.templates.get("no-such-template")
        assert caught.value.status == 404

    def test_duplicate_slug_is_a_conflict(self, client):
        """409 on a second template with the same slug becomes SynapseConflictError."""
        client.templates.create(TEMPLATE)
        with pytest.raises(SynapseConflictError) as caught:
            client.templates.create(TEMPLATE)
        assert caught.value.status == 409

    def test_schema_violation_names_the_field(self, client):
        """422 becomes SynapseValidationError listing the offending field."""
        with pytest.raises(SynapseValidationError) as caught:
            client.identify(external_id="ada", email="not an email")
        assert caught.value.status == 422
        assert "email" in [error["field"] for error in caught.value.errors]

    def test_plan_limit_carries_its_details(self):
        """403 plan_limit_reached becomes SynapsePlanLimitError with the numbers."""
        config = harness.server_config(limits={"contacts": 1}, plan="starter")
        with harness.start_server(config) as server, _client_for(server) as sdk:
            sdk.identify(external_id="first")
            with pytest.raises(SynapsePlanLimitError) as caught:
                sdk.identify(external_id="second")
        error = caught.value
        assert (error.limit_type, error.current, error.maximum) == ("contacts", 1, 1)
        assert error.plan == "starter"


class TestWebhooks:
    def test_deliveries_verify_with_ours_and_with_svix(self, served, receiver, client):
        """Each event type arrives signed; both verifiers accept every delivery."""
        secret = register(served, receiver.url)
        client.templates.create(TEMPLATE)

        client.identify(external_id="ada", email="ada@acme.test")
        client.identify(external_id="ada", first_name="Ada")
        client.track(external_id="ada", event_name="paid")
        client.send(template_slug="welcome", to={"user_id": "ada", "email": "a@b.co"})
        client.contacts.delete("ada")

        assert served.dispatcher.flush(harness.WAIT)
        types = {hook.json["type"] for hook in receiver.received}
        assert types >= {
            "contact.created",
            "contact.updated",
            "contact.deleted",
            "event.ingested",
            "email.sent",
        }
        for hook in receiver.received:
            assert verify_webhook(hook.body, hook.headers, secret) == hook.json
            Webhook(secret).verify(hook.body, hook.headers)

    def test_payload_follows_the_spec(self, served, receiver, client):
        """An event.ingested payload carries the event's id, contact and name."""
        register(served, receiver.url)

        result = client.track(external_id="ada", event_name="paid")

        assert served.dispatcher.flush(harness.WAIT)
        [hook] = receiver.of_type("event.ingested")
        assert hook.json["data"]["event_id"] == result.event_id
        assert hook.json["data"]["external_id"] == "ada"
        assert hook.json["data"]["event_name"] == "paid"
        assert hook.json["timestamp"]

    def test_failed_deliveries_are_retried_until_accepted(self, served, client):
        """A receiver answering 500 twice gets the same message a third time, ok."""
        with harness.WebhookReceiver(statuses=[500, 500]) as flaky:
            secret = register(served, flaky.url, events=["event.ingested"])
            client.track(external_id="ada", event_name="paid")
            assert served.dispatcher.flush(harness.WAIT)

        [message_id] = {hook.headers["svix-id"] for hook in flaky.received}
        assert len(flaky.received) == 3
        verify_webhook(flaky.received[-1].body, flaky.received[-1].headers, secret)
        [delivery] = [
            d
            for d in harness.dev_list(served, "/_dev/webhook-deliveries")
            if d["msg_id"] == message_id
        ]
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]

    def test_no_webhook_for_a_replayed_write(self, served, receiver, client):
        """A write repeated under its idempotency key sends no second webhook."""
        register(served, receiver.url)

        client.track(external_id="ada", event_name="paid", idempotency_key="k1")
        client.track(external_id="ada", event_name="paid", idempotency_key="k1")

        assert served.dispatcher.flush(harness.WAIT)
        assert len(receiver.of_type("event.ingested")) == 1


class CountingTransport(httpx.HTTPTransport):
    """Counts what came back for each request: a status, or the error's name."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = super().handle_request(request)
        except httpx.TransportError as exc:
            self.outcomes.append(type(exc).__name__)
            raise
        self.outcomes.append(str(response.status_code))
        return response


@pytest.fixture
def faulty() -> Iterator[RunningServer]:
    faults = FaultConfig(rate=0.3, seed=11, delay_seconds=0.6, retry_after_seconds=0)
    with harness.start_server(harness.server_config(faults=faults)) as server:
        yield server


def _client_for(server: RunningServer, **options: Any) -> Synapse:
    return Synapse(
        harness.API_KEY,
        workspace_id=harness.WORKSPACE_ID,
        base_url=server.url,
        **options,
    )


class TestReliability:
    def test_every_write_counts_once_despite_faults(self, faulty):
        """With 30% of requests failing every way, each write lands exactly once."""
        transport = CountingTransport()
        http = httpx.Client(transport=transport)
        sdk = _client_for(
            faulty,
            http_client=http,
            timeout=0.3,
            max_retries=12,
            retry_policy=FAST_RETRIES,
        )
        with http, sdk:
            sdk.templates.create(TEMPLATE)
            events = [
                sdk.track(external_id=f"user_{i}", event_name="tick").event_id
                for i in range(30)
            ]
            emails = [
                sdk.send(
                    template_slug="welcome",
                    to={"user_id": f"user_{i}", "email": f"u{i}@acme.test"},
                ).email_log_id
                for i in range(10)
            ]

        stored = [e["event_id"] for e in harness.dev_list(faulty, "/_dev/events")]
        outbox = [e["email_log_id"] for e in harness.dev_list(faulty, "/_dev/outbox")]
        assert sorted(stored) == sorted(events)
        assert sorted(outbox) == sorted(emails)
        failures = set(transport.outcomes) - {"200", "201", "202"}
        assert failures >= {"500", "502", "503", "429", "RemoteProtocolError"}
        assert "ReadTimeout" in failures


class TestRunServer:
    def test_default_config_serves_one_local_key(self):
        """Without a config the server accepts psk_test_local for ws_local."""
        with (
            run_server() as server,
            Synapse(
                server.api_key, workspace_id=server.workspace_id, base_url=server.url
            ) as sdk,
        ):
            sdk.identify(external_id="ada")
            assert (server.api_key, server.workspace_id) == (
                "psk_test_local",
                "ws_local",
            )
            assert sdk.contacts.get("ada").external_id == "ada"

    def test_everything_stops_when_the_block_ends(self):
        """After the block the port is closed and the engine refuses requests."""
        with run_server() as server:
            url, engine = server.url, server.engine

        with pytest.raises(httpx.ConnectError):
            httpx.get(url + "/_dev/health", timeout=harness.WAIT)
        assert engine.handle("GET", "/_dev/health", {}, b"").status == 503

    def test_public_surface_is_complete(self):
        """pyrx_synapse.server exports exactly its documented names."""
        import pyrx_synapse.server as server_package

        assert sorted(server_package.__all__) == [
            "DevServer",
            "Engine",
            "FaultConfig",
            "RunningServer",
            "ServerConfig",
            "WebhookDispatcher",
            "WebhookEndpoint",
            "run_server",
        ]
        for name in server_package.__all__:
            assert getattr(server_package, name) is not None
