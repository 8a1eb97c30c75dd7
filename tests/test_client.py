"""Every friendly call, sync and async: the request it sends and the result it reads."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pyrx_synapse import (
    AsyncSynapse,
    BatchTrackResponse,
    BulkContactResponse,
    ContactListResponse,
    ContactResponse,
    SendResponse,
    Synapse,
    TemplatePreviewResponse,
    TemplateResponse,
    TrackResponse,
)

KEY = "psk_test_client_tests"
BASE = "https://synapse-api.pyrx.tech"

CONTACT = {
    "id": "ct_1",
    "external_id": "user_1",
    "email": "jane@example.com",
    "phone": None,
    "first_name": "Jane",
    "last_name": None,
    "timezone": "Europe/Paris",
    "locale": "fr",
    "properties": {"tier": "pro"},
    "tags": ["vip"],
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}
TEMPLATE = {
    "id": "tpl_1",
    "name": "Welcome",
    "slug": "welcome",
    "subject": "Hi {{ contact.first_name }}",
    "body_html": "<p>Hello</p>",
    "sender_name": "Team",
    "from_email": "team@example.com",
    "reply_to": None,
    "content_type": "html",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}


@dataclass
class Case:
    """One call: how to make it, what must go out, what comes back."""

    call: Callable[[Any], Any]
    method: str
    path: str
    status: int
    answer: Any
    expected: Any
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)


CASES = {
    "track": Case(
        lambda c: c.track(
            external_id="user_1",
            event_name="purchase",
            attributes={"amount": 9.5},
            contact={"email": "jane@example.com"},
            occurred_at="2026-01-01T10:00:00Z",
        ),
        "POST",
        "/v1/events",
        202,
        {"event_id": "ev_1", "status": "accepted"},
        TrackResponse(event_id="ev_1", status="accepted"),
        body={
            "external_id": "user_1",
            "event_name": "purchase",
            "attributes": {"amount": 9.5},
            "contact": {"email": "jane@example.com"},
            "occurred_at": "2026-01-01T10:00:00Z",
        },
    ),
    "track_batch": Case(
        lambda c: c.track_batch(events=[{"external_id": "u", "event_name": "e"}]),
        "POST",
        "/v1/events/batch",
        202,
        {"accepted": 1, "rejected": 0},
        BatchTrackResponse(accepted=1, rejected=0),
        body={"events": [{"external_id": "u", "event_name": "e"}]},
    ),
    "identify": Case(
        lambda c: c.identify(
            external_id="user_1",
            email="jane@example.com",
            first_name="Jane",
            timezone="Europe/Paris",
            locale="fr",
            properties={"tier": "pro"},
            tags=["vip"],
        ),
        "POST",
        "/v1/contacts",
        200,
        CONTACT,
        ContactResponse(**CONTACT),
        body={
            "external_id": "user_1",
            "email": "jane@example.com",
            "first_name": "Jane",
            "timezone": "Europe/Paris",
            "locale": "fr",
            "properties": {"tier": "pro"},
            "tags": ["vip"],
        },
    ),
    "identify_batch": Case(
        lambda c: c.identify_batch(contacts=[{"external_id": "u"}], on_conflict="skip"),
        "POST",
        "/v1/contacts/bulk",
        200,
        {"total": 1, "created": 1, "updated": 0, "skipped": 0, "errors": []},
        BulkContactResponse(total=1, created=1, updated=0, skipped=0, errors=[]),
        body={"contacts": [{"external_id": "u"}], "on_conflict": "skip"},
    ),
    "send": Case(
        lambda c: c.send(
            template_slug="welcome",
            to={"user_id": "user_1", "email": "jane@example.com"},
            attributes={"first_name": "Jane"},
            idempotency_key="order-42",
        ),
        "POST",
        "/v1/send",
        202,
        {"email_log_id": "em_1", "status": "queued"},
        SendResponse(email_log_id="em_1", status="queued"),
        body={
            "template_slug": "welcome",
            "to": {"user_id": "user_1", "email": "jane@example.com"},
            "attributes": {"first_name": "Jane"},
            "idempotency_key": "order-42",
        },
    ),
    "contacts.list": Case(
        lambda c: c.contacts.list(
            search="jane", page=2, per_page=10, sort_by="email", sort_order="asc"
        ),
        "GET",
        "/v1/contacts",
        200,
        {
            "data": [CONTACT],
            "meta": {"total": 11, "page": 2, "per_page": 10, "total_pages": 2},
        },
        None,  # checked below: ContactListResponse with one contact
        params={
            "search": "jane",
            "page": "2",
            "per_page": "10",
            "sort_by": "email",
            "sort_order": "asc",
        },
    ),
    "contacts.get": Case(
        lambda c: c.contacts.get("user_1"),
        "GET",
        "/v1/contacts/user_1",
        200,
        CONTACT,
        ContactResponse(**CONTACT),
    ),
    "contacts.update": Case(
        lambda c: c.contacts.update("user_1", {"email": None, "add_tags": ["new"]}),
        "PATCH",
        "/v1/contacts/user_1",
        200,
        CONTACT,
        ContactResponse(**CONTACT),
        body={"email": None, "add_tags": ["new"]},
    ),
    "contacts.delete": Case(
        lambda c: c.contacts.delete("user_1"),
        "DELETE",
        "/v1/contacts/user_1",
        204,
        None,
        None,
    ),
    "templates.list": Case(
        lambda c: c.templates.list(),
        "GET",
        "/v1/templates",
        200,
        [TEMPLATE],
        [TemplateResponse(**TEMPLATE)],
    ),
    "templates.get": Case(
        lambda c: c.templates.get("welcome"),
        "GET",
        "/v1/templates/welcome",
        200,
        TEMPLATE,
        TemplateResponse(**TEMPLATE),
    ),
    "templates.create": Case(
        lambda c: c.templates.create(
            {
                "name": "Welcome",
                "slug": "welcome",
                "subject": "Hi",
                "body_html": "<p>Hello</p>",
                "sender_name": "Team",
                "from_email": "team@example.com",
            }
        ),
        "POST",
        "/v1/templates",
        201,
        TEMPLATE,
        TemplateResponse(**TEMPLATE),
        body={
            "name": "Welcome",
            "slug": "welcome",
            "subject": "Hi",
            "body_html": "<p>Hello</p>",
            "sender_name": "Team",
            "from_email": "team@example.com",
        },
    ),
    "templates.update": Case(
        lambda c: c.templates.update("welcome", {"subject": "New"}),
        "PUT",
        "/v1/templates/welcome",
        200,
        TEMPLATE,
        TemplateResponse(**TEMPLATE),
        body={"subject": "New"},
    ),
    "templates.delete": Case(
        lambda c: c.templates.delete("welcome"),
        "DELETE",
        "/v1/templates/welcome",
        204,
        None,
        None,
    ),
    "templates.preview": Case(
        lambda c: c.templates.preview("welcome", {"contact": {"first_name": "Jane"}}),
        "POST",
        "/v1/templates/welcome/preview",
        200,
        {"subject": "Hi Jane", "html": "<p>Hello</p>", "suppressed": False},
        TemplatePreviewResponse(
            subject="Hi Jane",
            html="<p>Hello</p>",
            suppressed=False,
            suppressed_reason=None,
        ),
        body={"contact": {"first_name": "Jane"}},
    ),
}


class Recorder:
    """A MockTransport handler that answers one canned response and keeps requests."""

    def __init__(self, status: int, answer: Any) -> None:
        self.status = status
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answer is None:
            return httpx.Response(self.status)
        return httpx.Response(self.status, json=self.answer)


def check_request(request: httpx.Request, case: Case) -> None:
    assert request.method == case.method
    assert request.url.raw_path.split(b"?")[0].decode() == case.path
    assert dict(request.url.params) == case.params
    assert request.headers["x-api-key"] == KEY
    assert request.headers["x-workspace-id"] == "ws_1"
    assert request.headers["user-agent"].startswith("pyrx-synapse-python/")
    if case.body is None:
        assert request.content == b""
    else:
        assert json.loads(request.content) == case.body


def check_result(result: Any, case: Case) -> None:
    if case.expected is not None or case.method == "DELETE":
        assert result == case.expected
        return
    assert isinstance(result, ContactListResponse)
    assert result.data == [ContactResponse(**CONTACT)]
    assert (result.meta.total, result.meta.page, result.meta.total_pages) == (11, 2, 2)


class TestSyncCalls:
    @pytest.mark.parametrize("name", list(CASES))
    def test_call_sends_request_and_reads_result(self, name: str) -> None:
        """Each sync call sends the documented request and returns the typed result."""
        case = CASES[name]
        recorder = Recorder(case.status, case.answer)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        with Synapse(KEY, workspace_id="ws_1", http_client=http) as client:
            result = case.call(client)
        assert len(recorder.requests) == 1
        check_request(recorder.requests[0], case)
        check_result(result, case)


class TestAsyncCalls:
    @pytest.mark.parametrize("name", list(CASES))
    async def test_call_sends_request_and_reads_result(self, name: str) -> None:
        """Each async call sends the same request as its sync twin and reads the same."""
        case = CASES[name]
        recorder = Recorder(case.status, case.answer)
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncSynapse(KEY, workspace_id="ws_1", http_client=http) as client:
            result = await case.call(client)
        assert len(recorder.requests) == 1
        check_request(recorder.requests[0], case)
        check_result(result, case)


class TestPathEncoding:
    @pytest.mark.parametrize(
        ("external_id", "raw_path"),
        [
            ("../templates/welcome", "/v1/contacts/..%2Ftemplates%2Fwelcome"),
            ("..", "/v1/contacts/%2E%2E"),
            (".", "/v1/contacts/%2E"),
            ("a b?c#d", "/v1/contacts/a%20b%3Fc%23d"),
            ("%2F", "/v1/contacts/%252F"),
            ("josé", "/v1/contacts/jos%C3%A9"),
        ],
    )
    def test_external_id_stays_one_path_segment(
        self, external_id: str, raw_path: str
    ) -> None:
        """An external_id with slashes, dots or reserved characters is one encoded segment."""
        recorder = Recorder(200, CONTACT)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        client = Synapse(KEY, workspace_id="ws_1", http_client=http)
        client.contacts.get(external_id)
        client.contacts.update(external_id, {"tags": []})
        for request in recorder.requests:
            assert request.url.raw_path.decode() == raw_path

    def test_log_lines_show_the_encoded_path(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Request logs show the path as sent, so an id never reads as a traversal."""
        caplog.set_level(logging.DEBUG, logger="pyrx_synapse")
        http = httpx.Client(transport=httpx.MockTransport(Recorder(200, CONTACT)))
        Synapse(KEY, workspace_id="ws_1", http_client=http).contacts.get("../x")
        assert "GET /v1/contacts/..%2Fx -> 200" in caplog.text

    def test_template_slug_is_encoded(self) -> None:
        """A slug cannot climb out of /v1/templates/ either."""
        recorder = Recorder(200, TEMPLATE)
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        Synapse(KEY, workspace_id="ws_1", http_client=http).templates.get("a/../b")
        assert recorder.requests[0].url.raw_path == b"/v1/templates/a%2F..%2Fb"


class TestTrackOccurredAt:
    def test_datetime_is_sent_as_iso_8601(self) -> None:
        """occurred_at also takes a datetime, sent in ISO 8601 with its offset."""
        from datetime import datetime, timezone

        recorder = Recorder(202, {"event_id": "ev_1", "status": "accepted"})
        http = httpx.Client(transport=httpx.MockTransport(recorder))
        client = Synapse(KEY, workspace_id="ws_1", http_client=http)
        moment = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
        client.track(external_id="u", event_name="e", occurred_at=moment)
        body = json.loads(recorder.requests[0].content)
        assert body["occurred_at"] == "2026-05-01T12:00:00+00:00"


class TestContactPages:
    """contacts.list reads a regular page in bulk and an irregular one item by item."""

    def _page(self, items: list[dict[str, Any]]) -> ContactListResponse:
        answer = {
            "data": items,
            "meta": {"total": len(items), "page": 1, "per_page": 50, "total_pages": 1},
        }
        http = httpx.Client(transport=httpx.MockTransport(Recorder(200, answer)))
        return Synapse(KEY, workspace_id="ws_1", http_client=http).contacts.list()

    def test_regular_page_reads_like_single_contacts(self) -> None:
        """Every contact of a regular page equals the same contact read alone."""
        items = [{**CONTACT, "id": f"ct_{n}", "external_id": f"u{n}"} for n in range(5)]
        page = self._page([dict(item) for item in items])
        assert page.data == [ContactResponse(**item) for item in items]

    @pytest.mark.parametrize(
        "odd",
        [
            {"email": 5},
            {"tags": ["vip", 3]},
            {"properties": None},
            {"extra_field": "x"},
            {"phone": ["+33"]},
        ],
    )
    def test_one_irregular_contact_is_read_carefully(self, odd: dict[str, Any]) -> None:
        """One odd contact on a page still gets each field checked and converted."""
        items = [dict(CONTACT), {**CONTACT, "id": "ct_2", **odd}]
        page = self._page(items)
        second = page.data[1]
        assert page.data[0] == ContactResponse(**CONTACT)
        assert isinstance(second.email, str)
        assert isinstance(second.properties, dict)
        assert all(isinstance(tag, str) for tag in second.tags)
        assert second.phone is None or isinstance(second.phone, str)
        assert not hasattr(second, "extra_field")

    def test_missing_field_reads_as_none(self) -> None:
        """A contact without some fields reads them as None, on a page too."""
        page = self._page([{"id": "ct_1", "external_id": "u1"}])
        assert page.data[0] == ContactResponse(id="ct_1", external_id="u1")

    def test_results_are_frozen(self) -> None:
        """Contacts read in bulk are as immutable as any other result."""
        import dataclasses

        contact = self._page([dict(CONTACT)]).data[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            contact.email = "other@example.com"  # type: ignore[misc]
