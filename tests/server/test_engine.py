"""The engine's request pipeline: auth, errors, validation, idempotency, limits."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from pyrx_synapse.server._config import ServerConfig, WebhookEndpoint
from pyrx_synapse.server._engine import Engine, WebhookMessage
from pyrx_synapse.testing import LocalSynapse

from .conftest import TEMPLATE, CheckedClient, make_api

JSON = {"Content-Type": "application/json"}


def _engine(**options: Any) -> Engine:
    return Engine(ServerConfig(api_keys={"key_a": "ws_a", "key_b": "ws_b"}, **options))


def _call(
    engine: Engine,
    method: str,
    target: str,
    body: Any = None,
    key: str = "key_a",
    workspace: str = "ws_a",
    **headers: str,
) -> tuple[int, Any]:
    all_headers = {"x-api-key": key, "x-workspace-id": workspace}
    all_headers["content-type"] = "application/json"
    all_headers.update(headers)
    raw = json.dumps(body).encode() if body is not None else b""
    response = engine.handle(method, target, all_headers, raw)
    return response.status, json.loads(response.body) if response.body else None


class TestAuth:
    def test_missing_key_is_401(self, local: LocalSynapse) -> None:
        """A request without X-Api-Key is refused with 401."""
        with make_api(local) as client:
            del client.headers["X-Api-Key"]
            response = client.get("/v1/templates")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"

    def test_unknown_key_is_401(self, api: CheckedClient) -> None:
        """An unknown key is refused with 401."""
        response = api.get("/v1/templates", headers={"X-Api-Key": "psk_nope"})
        assert response.status_code == 401

    def test_missing_workspace_is_401(self, api: CheckedClient) -> None:
        """A known key without X-Workspace-Id is refused with 401."""
        del api.headers["X-Workspace-Id"]
        assert api.get("/v1/templates").status_code == 401

    def test_other_workspace_is_403(self, api: CheckedClient) -> None:
        """A known key naming a workspace that is not its own gets 403 forbidden."""
        response = api.get("/v1/templates", headers={"X-Workspace-Id": "ws_other"})
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"

    def test_workspaces_are_isolated(self) -> None:
        """What one workspace stores, another cannot see."""
        engine = _engine()
        assert _call(engine, "POST", "/v1/contacts", {"external_id": "u1"})[0] == 200
        status, body = _call(
            engine, "GET", "/v1/contacts", key="key_b", workspace="ws_b"
        )
        assert status == 200
        assert body["meta"]["total"] == 0
        assert (
            _call(engine, "GET", "/v1/contacts/u1", key="key_b", workspace="ws_b")[0]
            == 404
        )


class TestProtocolErrors:
    def test_unknown_path_is_404(self, api: CheckedClient) -> None:
        """An unknown path gets a JSON 404 with a request id."""
        response = api.get("/v1/nothing")
        assert response.status_code == 404
        assert response.json()["request_id"] == response.headers["x-request-id"]

    def test_wrong_method_is_405_with_allow(self, api: CheckedClient) -> None:
        """A known path with a wrong method gets 405 and an Allow header."""
        response = api.delete("/v1/templates")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, POST"

    def test_literal_path_beats_template(self, api: CheckedClient) -> None:
        """GET /v1/contacts/bulk is the bulk path with the wrong method, not an id."""
        assert api.get("/v1/contacts/bulk").status_code == 405

    def test_malformed_json_is_400(self, api: CheckedClient) -> None:
        """A body that is not JSON gets 400."""
        response = api.post("/v1/contacts", content=b"{nope", headers=JSON)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_json"

    @pytest.mark.parametrize("raw", [b"NaN", b'{"external_id": 1e999}', b"\xff"])
    def test_unstorable_json_is_400(self, api: CheckedClient, raw: bytes) -> None:
        """NaN, infinite numbers and bytes that are not UTF-8 get 400."""
        response = api.post("/v1/contacts", content=raw, headers=JSON)
        assert response.status_code == 400

    def test_lone_surrogate_is_400(self, api: CheckedClient) -> None:
        """A lone surrogate escape cannot be stored, so it gets 400."""
        raw = b'{"external_id": "\\ud800"}'
        assert api.post("/v1/contacts", content=raw, headers=JSON).status_code == 400

    def test_wrong_content_type_is_415(self, api: CheckedClient) -> None:
        """A body sent as text/plain gets 415."""
        response = api.post(
            "/v1/contacts",
            content=b'{"external_id": "u1"}',
            headers={"Content-Type": "text/plain"},
        )
        assert response.status_code == 415

    def test_json_with_charset_is_accepted(self, api: CheckedClient) -> None:
        """application/json with a charset parameter is JSON."""
        response = api.post(
            "/v1/contacts",
            content=b'{"external_id": "u1"}',
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        assert response.status_code == 200

    def test_empty_body_is_422(self, api: CheckedClient) -> None:
        """A write without a body gets 422 naming the body."""
        response = api.post("/v1/contacts")
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "body", "message": "a JSON body is required"}
        ]

    def test_body_over_limit_is_413(self) -> None:
        """A body over max_body_bytes gets 413."""
        with LocalSynapse(max_body_bytes=100) as local, make_api(local) as client:
            response = client.post(
                "/v1/contacts", json={"external_id": "u1", "first_name": "x" * 200}
            )
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"

    def test_every_response_has_request_id(self, api: CheckedClient) -> None:
        """Successes and failures alike carry X-Request-Id."""
        for response in (api.get("/v1/templates"), api.get("/v1/none")):
            assert response.headers["x-request-id"].startswith("req_")


class TestValidation:
    def test_field_paths_are_dotted(self, api: CheckedClient) -> None:
        """A nested problem is named by its dotted path."""
        events = [{"external_id": "u", "event_name": "e"} for _ in range(4)]
        events[3] = {"external_id": "u"}
        response = api.post("/v1/events/batch", json={"events": events})
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_error"
        assert body["errors"] == [
            {"field": "events.3.event_name", "message": "'event_name' is required"}
        ]

    def test_email_format_is_checked(self, api: CheckedClient) -> None:
        """A contact email that is not an address is refused at contacts.0.email."""
        response = api.post(
            "/v1/contacts/bulk",
            json={"contacts": [{"external_id": "u", "email": "not-an-email"}]},
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["contacts.0.email"]

    def test_date_time_format_is_checked(self, api: CheckedClient) -> None:
        """occurred_at must be an RFC 3339 timestamp."""
        event = {"external_id": "u", "event_name": "e", "occurred_at": "yesterday"}
        response = api.post("/v1/events", json=event)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "occurred_at"

    def test_root_type_error_names_body(self, api: CheckedClient) -> None:
        """A body that is not an object is reported on the field "body"."""
        response = api.post("/v1/contacts", json=[1, 2])
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body"

    def test_batch_of_51_is_422(self, api: CheckedClient) -> None:
        """A batch holds at most 50 events."""
        events = [{"external_id": "u", "event_name": "e"}] * 51
        response = api.post("/v1/events/batch", json={"events": events})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "events"

    @pytest.mark.parametrize(
        "query", ["page=0", "per_page=101", "page=abc", "sort_by=nope", "page=1&page=2"]
    )
    def test_bad_query_is_422(self, api: CheckedClient, query: str) -> None:
        """Query parameters are checked against their schema."""
        response = api.get(f"/v1/contacts?{query}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] in ("page", "per_page", "sort_by")

    def test_idempotency_header_too_long_is_422(self, api: CheckedClient) -> None:
        """An Idempotency-Key over 255 characters is refused."""
        response = api.post(
            "/v1/contacts",
            json={"external_id": "u"},
            headers={"Idempotency-Key": "k" * 256},
        )
        assert response.status_code == 422


class TestIdempotency:
    def test_replay_is_byte_identical(
        self, api: CheckedClient, local: LocalSynapse
    ) -> None:
        """A repeated key returns the first response and stores nothing twice."""
        event = {"external_id": "u1", "event_name": "paid"}
        headers = {"Idempotency-Key": "key-1"}
        first = api.post("/v1/events", json=event, headers=headers)
        second = api.post("/v1/events", json=event, headers=headers)
        assert first.status_code == second.status_code == 202
        assert first.content == second.content
        assert second.headers["idempotent-replayed"] == "true"
        assert len(local.events) == 1

    def test_body_key_wins_over_header(
        self, api: CheckedClient, local: LocalSynapse
    ) -> None:
        """The body's idempotency_key is the key, whatever the header says."""
        event = {"external_id": "u1", "event_name": "paid", "idempotency_key": "body"}
        first = api.post("/v1/events", json=event, headers={"Idempotency-Key": "h1"})
        second = api.post("/v1/events", json=event, headers={"Idempotency-Key": "h2"})
        assert first.json() == second.json()
        assert len(local.events) == 1

    def test_reused_key_with_other_body_is_409(self, api: CheckedClient) -> None:
        """The same key with a different body gets 409 idempotency_key_reused."""
        headers = {"Idempotency-Key": "key-1"}
        api.post("/v1/contacts", json={"external_id": "u1"}, headers=headers)
        response = api.post("/v1/contacts", json={"external_id": "u2"}, headers=headers)
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"

    def test_keys_are_scoped_by_path(self, api: CheckedClient) -> None:
        """One key on two different paths means two different requests."""
        headers = {"Idempotency-Key": "shared"}
        assert api.post("/v1/contacts", json={"external_id": "u1"}, headers=headers)
        response = api.post("/v1/templates", json=TEMPLATE, headers=headers)
        assert response.status_code == 201

    def test_failed_request_is_not_stored(self, api: CheckedClient) -> None:
        """An error response does not use up the key."""
        headers = {"Idempotency-Key": "k"}
        send = {"template_slug": "welcome", "to": {"user_id": "u", "email": "u@x.io"}}
        assert api.post("/v1/send", json=send, headers=headers).status_code == 404
        api.post("/v1/templates", json=TEMPLATE)
        assert api.post("/v1/send", json=send, headers=headers).status_code == 202

    def test_replay_sends_no_second_webhook(self, local: LocalSynapse) -> None:
        """A replayed request causes no second webhook message."""
        local.add_webhook("http://127.0.0.1:9/hook")
        seen: list[WebhookMessage] = []
        local.engine.add_webhook_listener(seen.append)
        with make_api(local) as client:
            for _ in range(2):
                client.post(
                    "/v1/contacts",
                    json={"external_id": "u1"},
                    headers={"Idempotency-Key": "once"},
                )
        assert [m.event_type for m in seen] == ["contact.created"]

    def test_batch_event_keys_dedupe(
        self, api: CheckedClient, local: LocalSynapse
    ) -> None:
        """Events whose key was seen are accepted but stored once."""
        event = {"external_id": "u", "event_name": "e", "idempotency_key": "ev-1"}
        first = api.post("/v1/events/batch", json={"events": [event, event]})
        second = api.post("/v1/events/batch", json={"events": [event]})
        assert first.json() == {"accepted": 2, "rejected": 0}
        assert second.json() == {"accepted": 1, "rejected": 0}
        assert len(local.events) == 1

    def test_single_track_of_batched_key_is_duplicate(self, api: CheckedClient) -> None:
        """A track with a key a batch already stored reports status duplicate."""
        event = {"external_id": "u", "event_name": "e", "idempotency_key": "ev-1"}
        api.post("/v1/events/batch", json={"events": [event]})
        response = api.post("/v1/events", json=event)
        assert response.json()["status"] == "duplicate"


class TestPlanLimits:
    def test_contacts_limit_is_403_with_details(self) -> None:
        """Going past the contacts limit gets 403 plan_limit_reached with details."""
        local = LocalSynapse(limits={"contacts": 1}, plan="free")
        with local, make_api(local) as client:
            client.post("/v1/contacts", json={"external_id": "u1"})
            response = client.post("/v1/contacts", json={"external_id": "u2"})
            updated = client.post("/v1/contacts", json={"external_id": "u1"})
        assert response.status_code == 403
        assert response.json() == {
            "detail": response.json()["detail"],
            "code": "plan_limit_reached",
            "limit_type": "contacts",
            "current": 1,
            "maximum": 1,
            "plan": "free",
            "request_id": response.headers["x-request-id"],
        }
        assert updated.status_code == 200

    def test_templates_limit(self) -> None:
        """A workspace at its templates limit cannot create another."""
        with LocalSynapse(limits={"templates": 0}) as local, make_api(local) as client:
            response = client.post("/v1/templates", json=TEMPLATE)
        assert response.json()["limit_type"] == "templates"

    def test_events_limit_rejects_rest_of_batch(self) -> None:
        """A batch that reaches the monthly events limit rejects the rest."""
        local = LocalSynapse(limits={"events_per_month": 2})
        with local, make_api(local) as client:
            events = [{"external_id": "u", "event_name": "e"}] * 3
            batch = client.post("/v1/events/batch", json={"events": events})
            single = client.post("/v1/events", json=events[0])
        assert batch.json() == {"accepted": 2, "rejected": 1}
        assert single.status_code == 403
        assert single.json()["limit_type"] == "events_per_month"

    def test_emails_limit(self) -> None:
        """A workspace at its monthly email limit cannot send."""
        send = {"template_slug": "welcome", "to": {"user_id": "u", "email": "u@x.io"}}
        local = LocalSynapse(limits={"emails_per_month": 1})
        with local, make_api(local) as client:
            client.post("/v1/templates", json=TEMPLATE)
            assert client.post("/v1/send", json=send).status_code == 202
            response = client.post("/v1/send", json=send)
        assert response.json()["limit_type"] == "emails_per_month"


class TestRateLimit:
    def test_over_limit_is_429_with_retry_after(self) -> None:
        """The request past the per-minute budget gets 429 and an integer Retry-After."""
        now = [1000.0]
        engine = Engine(
            ServerConfig(api_keys={"k": "ws"}, rate_limit_per_minute=2),
            clock=lambda: now[0],
        )
        headers = {"x-api-key": "k", "x-workspace-id": "ws"}
        statuses = [
            engine.handle("GET", "/v1/templates", headers, b"") for _ in range(3)
        ]
        assert [r.status for r in statuses] == [200, 200, 429]
        assert json.loads(statuses[2].body)["code"] == "rate_limited"
        assert statuses[2].headers["Retry-After"] == "60"
        now[0] += 45.5
        late = engine.handle("GET", "/v1/templates", headers, b"")
        assert late.headers["Retry-After"] == "15"
        now[0] += 15
        assert engine.handle("GET", "/v1/templates", headers, b"").status == 200

    def test_dev_endpoints_are_not_rate_limited(self) -> None:
        """Dev endpoints stay reachable when the API budget is spent."""
        engine = Engine(ServerConfig(api_keys={"k": "ws"}, rate_limit_per_minute=1))
        headers = {"x-api-key": "k", "x-workspace-id": "ws"}
        engine.handle("GET", "/v1/templates", headers, b"")
        assert engine.handle("GET", "/v1/templates", headers, b"").status == 429
        assert engine.handle("GET", "/_dev/events", headers, b"").status == 200


class TestWebhooks:
    def test_messages_follow_the_spec(self, local: LocalSynapse) -> None:
        """Each change produces one message per matching endpoint, payload per spec."""
        local.add_webhook("http://127.0.0.1:9/all")
        local.add_webhook("http://127.0.0.1:9/emails", events=("email.*",))
        seen: list[WebhookMessage] = []
        local.engine.add_webhook_listener(seen.append)
        with make_api(local) as client:
            client.post("/v1/templates", json=TEMPLATE)
            client.post("/v1/events", json={"external_id": "u", "event_name": "e"})
            send = {
                "template_slug": "welcome",
                "to": {"user_id": "u", "email": "u@x.io"},
            }
            client.post("/v1/send", json=send)
            client.patch("/v1/contacts/u", json={"tags": ["a"]})
            client.delete("/v1/contacts/u")
        kinds = [(m.event_type, m.endpoint_url.rsplit("/", 1)[1]) for m in seen]
        assert kinds == [
            ("contact.created", "all"),
            ("event.ingested", "all"),
            ("email.sent", "all"),
            ("email.sent", "emails"),
            ("contact.updated", "all"),
            ("contact.deleted", "all"),
        ]
        assert seen[2].msg_id == seen[3].msg_id
        payload = json.loads(seen[2].payload)
        assert payload["type"] == "email.sent"
        assert payload["data"]["to"] == "u@x.io"
        assert (
            seen[2].payload
            == json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        )
        spec = local.engine._spec
        schemas = {
            "contact.created": "ContactCreatedWebhook",
            "contact.updated": "ContactUpdatedWebhook",
            "contact.deleted": "ContactDeletedWebhook",
            "event.ingested": "EventIngestedWebhook",
            "email.sent": "EmailSentWebhook",
        }
        for message in seen:
            pointer = f"/components/schemas/{schemas[message.event_type]}"
            assert spec.schema_errors(pointer, json.loads(message.payload)) == []

    def test_deliveries_are_recorded(self, local: LocalSynapse) -> None:
        """Messages start pending; record_delivery stores attempts and status."""
        local.add_webhook("http://127.0.0.1:9/hook")
        seen: list[WebhookMessage] = []
        local.engine.add_webhook_listener(seen.append)
        with make_api(local) as client:
            client.post("/v1/contacts", json={"external_id": "u"})
        assert local.webhook_deliveries[0]["status"] == "pending"
        message = seen[0]
        engine = local.engine
        engine.record_delivery(
            message.msg_id,
            message.endpoint_url,
            attempt=1,
            status=500,
            error="HTTP 500",
            delivered=False,
        )
        engine.record_delivery(
            message.msg_id,
            message.endpoint_url,
            attempt=2,
            status=200,
            error=None,
            delivered=True,
        )
        delivery = local.webhook_deliveries[0]
        assert delivery["status"] == "delivered"
        assert [a["status"] for a in delivery["attempts"]] == [500, 200]
        assert delivery["payload"]["type"] == "contact.created"

    def test_config_endpoints_get_messages(self) -> None:
        """Endpoints from the config receive messages of every workspace."""
        endpoint = WebhookEndpoint("http://127.0.0.1:9/c", "whsec_AAAA")
        engine = Engine(ServerConfig(api_keys={"key_a": "ws_a"}, webhooks=(endpoint,)))
        seen: list[WebhookMessage] = []
        engine.add_webhook_listener(seen.append)
        _call(engine, "POST", "/v1/contacts", {"external_id": "u"})
        assert [(m.endpoint_url, m.secret) for m in seen] == [
            ("http://127.0.0.1:9/c", "whsec_AAAA")
        ]

    def test_listener_runs_outside_the_lock(self, local: LocalSynapse) -> None:
        """A listener may call back into the engine from another thread."""
        local.add_webhook("http://127.0.0.1:9/hook")
        results: list[int] = []

        def listener(message: WebhookMessage) -> None:
            def read() -> None:
                results.append(len(local.contacts))

            thread = threading.Thread(target=read)
            thread.start()
            thread.join(timeout=5)

        local.engine.add_webhook_listener(listener)
        with make_api(local) as client:
            client.post("/v1/contacts", json={"external_id": "u"})
        assert results == [1]


class TestDevEndpoints:
    def test_health_needs_no_auth(self, local: LocalSynapse) -> None:
        """GET /_dev/health answers without credentials."""
        with httpx.Client(transport=local.transport, base_url=local.base_url) as client:
            assert client.get("/_dev/health").json() == {"status": "ok"}

    def test_dev_endpoints_need_auth(self, local: LocalSynapse) -> None:
        """Other dev endpoints need the API headers."""
        with httpx.Client(transport=local.transport, base_url=local.base_url) as client:
            assert client.get("/_dev/outbox").status_code == 401

    def test_add_webhook_makes_a_secret(self, api: CheckedClient) -> None:
        """POST /_dev/webhooks without a secret creates one."""
        response = api.post("/_dev/webhooks", json={"url": "http://127.0.0.1:9/h"})
        assert response.status_code == 201
        body = response.json()
        assert body["secret"].startswith("whsec_")
        assert api.get("/_dev/webhooks").json()[0]["url"] == "http://127.0.0.1:9/h"

    def test_add_webhook_validates(self, api: CheckedClient) -> None:
        """A webhook without an http URL is refused with 422."""
        response = api.post("/_dev/webhooks", json={"url": "ftp://x", "events": "all"})
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {"url", "events"}

    def test_reset_clears_the_workspace(self, api: CheckedClient) -> None:
        """POST /_dev/reset forgets the workspace's contacts and events."""
        api.post("/v1/events", json={"external_id": "u", "event_name": "e"})
        assert api.post("/_dev/reset").status_code == 200
        assert api.get("/_dev/events").json() == []
        assert api.get("/v1/contacts").json()["meta"]["total"] == 0

    def test_unknown_dev_path_is_404(self, api: CheckedClient) -> None:
        """An unknown dev path gets 404, a wrong method 405."""
        assert api.get("/_dev/nothing").status_code == 404
        assert api.delete("/_dev/outbox").status_code == 405


class TestConcurrency:
    def test_parallel_writes_keep_counts(self, local: LocalSynapse) -> None:
        """Threads hammering identify and track lose and duplicate nothing."""
        errors: list[BaseException] = []

        def work(worker: int) -> None:
            try:
                with make_api(local) as client:
                    for n in range(25):
                        external_id = f"w{worker}-{n}"
                        client.post("/v1/contacts", json={"external_id": external_id})
                        event = {"external_id": external_id, "event_name": "e"}
                        assert client.post("/v1/events", json=event).status_code == 202
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert len(local.contacts) == 200
        assert len(local.events) == 200
        assert len({c["id"] for c in local.contacts}) == 200

    def test_unexpected_failure_is_500_json(self, local: LocalSynapse) -> None:
        """A bug inside a handler becomes a JSON 500, not an exception."""
        local.engine._store.close()
        with make_api(local) as client:
            response = client.get("/v1/templates")
        assert response.status_code == 500
        assert response.json()["code"] == "internal_error"
