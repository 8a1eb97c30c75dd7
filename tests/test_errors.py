"""Error mapping: which SynapseError each answer raises, and reading odd bodies."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import httpx
import pytest
from pyrx_synapse import (
    SynapseAuthError,
    SynapseConflictError,
    SynapseConnectionError,
    SynapseError,
    SynapseNotFoundError,
    SynapsePlanLimitError,
    SynapseRateLimitError,
    SynapseResponseError,
    SynapseServerError,
    SynapseTimeoutError,
    SynapseValidationError,
    SynapseWebhookError,
)
from pyrx_synapse import _operations as ops
from pyrx_synapse._errors import error_from_response

from pyrx_synapse_api.types import Unset

from .conftest import FAKE_KEY, MakeAsyncClient, MakeClient, Script

HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
TEMPLATE = {"id": "t_1", "slug": "welcome", "name": "Welcome"}
# 120 events go out as three requests: 50, 50 and 20.
EVENTS: list[Any] = [{"external_id": f"u{i}", "event_name": "e"} for i in range(120)]


def error_of(make_client: MakeClient, answer: httpx.Response) -> SynapseError:
    """The error that one track call raises when the server gives ``answer``."""
    client = make_client(Script(answer), max_retries=0)
    with pytest.raises(SynapseError) as caught:
        client.track(external_id="u", event_name="e")
    return caught.value


def malformed_error(
    make_client: MakeClient, answer: httpx.Response, call: str
) -> SynapseResponseError:
    client = make_client(Script(answer))
    calls: dict[str, Any] = {
        "track": lambda: client.track(external_id="u", event_name="e"),
        "contacts.list": client.contacts.list,
        "contacts.get": lambda: client.contacts.get("u"),
        "templates.list": client.templates.list,
    }
    with pytest.raises(SynapseResponseError) as caught:
        calls[call]()
    return caught.value


class TestStatusMapping:
    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (401, SynapseAuthError),
            (403, SynapseAuthError),
            (404, SynapseNotFoundError),
            (409, SynapseConflictError),
            (422, SynapseValidationError),
            (429, SynapseRateLimitError),
            (500, SynapseServerError),
            (503, SynapseServerError),
        ],
    )
    def test_status_to_class(
        self, make_client: MakeClient, status: int, expected: type[SynapseError]
    ) -> None:
        """Each documented error status raises its own SynapseError subclass."""
        error = error_of(make_client, httpx.Response(status, json={"detail": "no"}))

        assert type(error) is expected
        assert error.status == status
        assert error.message == "no"

    def test_other_4xx_is_plain_synapse_error(self, make_client: MakeClient) -> None:
        """A 4xx without its own class raises SynapseError itself, with its code."""
        body = {"detail": "bad input", "code": "bad_request"}
        error = error_of(make_client, httpx.Response(400, json=body))

        assert type(error) is SynapseError
        assert error.code == "bad_request"

    def test_plan_limit(self, make_client: MakeClient) -> None:
        """403 plan_limit_reached raises SynapsePlanLimitError with the limits."""
        body = {
            "detail": "Contact limit reached",
            "code": "plan_limit_reached",
            "limit_type": "contacts",
            "current": 1000,
            "maximum": 1000,
            "plan": "free",
        }
        error = error_of(make_client, httpx.Response(403, json=body))

        assert isinstance(error, SynapsePlanLimitError)
        assert isinstance(error, SynapseAuthError)
        assert error.code == "plan_limit_reached"
        assert (error.limit_type, error.current, error.maximum, error.plan) == (
            "contacts",
            1000,
            1000,
            "free",
        )

    @pytest.mark.parametrize(
        ("raw", "expected"), [("12", 12), (7.0, 7), (True, 1), ("many", 0), (None, 0)]
    )
    def test_plan_limit_numbers_lenient(self, raw: object, expected: int) -> None:
        """Plan-limit counts sent as strings, floats or junk read as ints, else 0."""
        body = {"code": "plan_limit_reached", "current": raw}
        error = error_from_response(403, httpx.Response(403, json=body).content, {})

        assert isinstance(error, SynapsePlanLimitError)
        assert error.current == expected
        assert error.limit_type == ""

    def test_validation_errors(self, make_client: MakeClient) -> None:
        """422 lists each problem as {field, message}, taking "msg" as the message."""
        body = {
            "detail": "Validation failed",
            "errors": [
                {"field": "email", "message": "not an email"},
                {"field": "event_name", "msg": "required"},
                "not a mapping",
                {"message": "no field"},
            ],
        }
        error = error_of(make_client, httpx.Response(422, json=body))

        assert isinstance(error, SynapseValidationError)
        assert error.errors == [
            {"field": "email", "message": "not an email"},
            {"field": "event_name", "message": "required"},
            {"field": "", "message": "no field"},
        ]

    def test_validation_errors_not_a_list(self, make_client: MakeClient) -> None:
        """A 422 whose errors is not a list gives an empty errors list."""
        body = {"detail": "Validation failed", "errors": {"email": "bad"}}
        error = error_of(make_client, httpx.Response(422, json=body))

        assert isinstance(error, SynapseValidationError)
        assert error.errors == []

    def test_rate_limit_retry_after(self, make_client: MakeClient) -> None:
        """429 carries the Retry-After seconds as retry_after."""
        answer = httpx.Response(
            429, json={"detail": "slow"}, headers={"Retry-After": "7"}
        )
        error = error_of(make_client, answer)

        assert isinstance(error, SynapseRateLimitError)
        assert error.retry_after == 7.0

    def test_rate_limit_default_wait(self, make_client: MakeClient) -> None:
        """A 429 without Retry-After suggests waiting 60 seconds."""
        error = error_of(make_client, httpx.Response(429, json={"detail": "slow"}))

        assert isinstance(error, SynapseRateLimitError)
        assert error.retry_after == 60.0

    def test_non_standard_status(self, make_client: MakeClient) -> None:
        """520 raises SynapseServerError with status 520, not a ValueError."""
        error = error_of(make_client, httpx.Response(520, content=b"origin error"))

        assert type(error) is SynapseServerError
        assert error.status == 520
        assert "520" in error.message

    def test_html_error_page(self, make_client: MakeClient) -> None:
        """An HTML 502 page raises SynapseServerError naming the status."""
        answer = httpx.Response(
            502, content=HTML_502, headers={"Content-Type": "text/html"}
        )
        error = error_of(make_client, answer)

        assert type(error) is SynapseServerError
        assert error.status == 502
        assert "502" in error.message
        assert "not JSON" in error.message

    def test_undecodable_body(self) -> None:
        """A body that is not even UTF-8 still maps, with the status in the message."""
        error = error_from_response(500, b"\xff\xfe\x00\x81", {})

        assert type(error) is SynapseServerError
        assert "500" in error.message

    def test_empty_body(self, make_client: MakeClient) -> None:
        """An error with no body at all says just the status."""
        error = error_of(make_client, httpx.Response(404))

        assert isinstance(error, SynapseNotFoundError)
        assert error.message == "HTTP 404"

    @pytest.mark.parametrize("key", ["message", "error"])
    def test_message_when_no_detail(self, make_client: MakeClient, key: str) -> None:
        """Without "detail" the message comes from "message", then "error"."""
        error = error_of(make_client, httpx.Response(404, json={key: "gone"}))

        assert error.message == "gone"

    def test_request_id_from_body(self, make_client: MakeClient) -> None:
        """The body's request_id wins over the x-request-id header."""
        answer = httpx.Response(
            404,
            json={"detail": "gone", "request_id": "req_body"},
            headers={"x-request-id": "req_header"},
        )
        error = error_of(make_client, answer)

        assert error.request_id == "req_body"

    def test_request_id_from_header(self, make_client: MakeClient) -> None:
        """Without one in the body, request_id comes from the x-request-id header."""
        answer = httpx.Response(
            409, json={"detail": "taken"}, headers={"X-Request-Id": "req_header"}
        )
        error = error_of(make_client, answer)

        assert error.request_id == "req_header"

    def test_code_read_from_body(self, make_client: MakeClient) -> None:
        """The body's machine-readable code is the error's .code, as a string."""
        error = error_of(make_client, httpx.Response(401, json={"code": 40101}))

        assert error.code == "40101"

    async def test_async_mapping(self, make_async_client: MakeAsyncClient) -> None:
        """AsyncSynapse maps 401, 422 and 520 to the same classes."""
        answers = [
            (httpx.Response(401, json={"detail": "who"}), SynapseAuthError),
            (
                httpx.Response(422, json={"errors": [{"field": "x", "msg": "bad"}]}),
                SynapseValidationError,
            ),
            (httpx.Response(520), SynapseServerError),
        ]
        for answer, expected in answers:
            client = make_async_client(Script(answer), max_retries=0)
            with pytest.raises(SynapseError) as caught:
                await client.track(external_id="u", event_name="e")
            assert type(caught.value) is expected
            assert caught.value.status == answer.status_code


class TestMalformedSuccess:
    def test_not_json(self, make_client: MakeClient) -> None:
        """A success body that is not JSON raises SynapseResponseError."""
        answer = httpx.Response(
            202, content=b"<html>ok</html>", headers={"x-request-id": "req_1"}
        )
        error = malformed_error(make_client, answer, "track")

        assert isinstance(error, SynapseError)
        assert error.status == 202
        assert error.request_id == "req_1"
        assert "not JSON" in error.message

    def test_list_instead_of_object(self, make_client: MakeClient) -> None:
        """A JSON list where an object is promised raises SynapseResponseError."""
        answer = httpx.Response(202, json=[{"event_id": "ev_1"}])
        error = malformed_error(make_client, answer, "track")

        assert error.status == 202
        assert "list" in error.message

    def test_object_without_expected_fields(self, make_client: MakeClient) -> None:
        """An object with none of the promised fields raises SynapseResponseError."""
        answer = httpx.Response(202, json={}, headers={"x-request-id": "req_2"})
        error = malformed_error(make_client, answer, "track")

        assert error.request_id == "req_2"

    def test_empty_success_body(self, make_client: MakeClient) -> None:
        """A success with no body where a result is promised is an error, not None."""
        error = malformed_error(make_client, httpx.Response(200), "contacts.get")

        assert "nothing" in error.message

    def test_contact_list_data_not_a_list(self, make_client: MakeClient) -> None:
        """contacts.list whose "data" is not a list raises SynapseResponseError."""
        answer = httpx.Response(200, json={"data": {"id": "c_1"}, "meta": {}})
        error = malformed_error(make_client, answer, "contacts.list")

        assert error.status == 200
        assert "data" in error.message

    def test_template_list_is_an_object(self, make_client: MakeClient) -> None:
        """templates.list answered with an object raises SynapseResponseError."""
        answer = httpx.Response(200, json={"templates": [TEMPLATE]})
        error = malformed_error(make_client, answer, "templates.list")

        assert error.status == 200

    async def test_async_malformed(self, make_async_client: MakeAsyncClient) -> None:
        """AsyncSynapse raises SynapseResponseError for a malformed body too."""
        client = make_async_client(Script(httpx.Response(200, json=[1, 2])))
        with pytest.raises(SynapseResponseError) as caught:
            await client.contacts.get("u")

        assert caught.value.status == 200


def assert_no_unset(result: Any) -> None:
    for item in dataclasses.fields(result):
        assert not isinstance(getattr(result, item.name), Unset), item.name


class TestLenientFields:
    def test_missing_field_is_none(self, make_client: MakeClient) -> None:
        """A field the API left out reads as None, never as an Unset sentinel."""
        client = make_client(Script(httpx.Response(202, json={"event_id": "ev_1"})))
        result = client.track(external_id="u", event_name="e")

        assert result.event_id == "ev_1"
        assert result.status is None
        assert_no_unset(result)

    def test_contact_fields(self, make_client: MakeClient) -> None:
        """Numbers read as strings, objects as None, and junk lists are filtered."""
        body = {
            "id": 17,
            "external_id": "u",
            "email": 5,
            "first_name": {"given": "Ada"},
            "phone": True,
            "properties": ["not", "a", "dict"],
            "tags": ["vip", 3, None, "beta"],
        }
        client = make_client(Script(httpx.Response(200, json=body)))
        contact = client.contacts.get("u")

        assert contact.id == "17"
        assert contact.email == "5"
        assert contact.first_name is None
        assert contact.phone is None
        assert contact.properties == {}
        assert contact.tags == ["vip", "beta"]
        assert contact.created_at is None
        assert_no_unset(contact)

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("x", None), ("3", 3), (2.0, 2), (2.5, None), (True, None), (None, None)],
    )
    def test_count_reader(self, raw: object, expected: int | None) -> None:
        """Counts read as ints when they are whole numbers, else None."""
        result = ops.read_batch_track({"accepted": raw, "rejected": 0})

        assert result.accepted == expected
        assert result.rejected == 0

    def test_unreadable_count_through_track_batch(
        self, make_client: MakeClient
    ) -> None:
        """track_batch keeps an unreadable count None instead of claiming 0."""
        body = {"accepted": "x", "rejected": 0}
        client = make_client(Script(httpx.Response(202, json=body)))
        result = client.track_batch(events=[{"external_id": "u", "event_name": "e"}])

        assert result.accepted is None
        assert result.rejected == 0

    def test_unreadable_count_through_identify_batch(
        self, make_client: MakeClient
    ) -> None:
        """identify_batch keeps a missing count None instead of claiming 0."""
        body = {"total": 1, "created": 1, "updated": 0}
        client = make_client(Script(httpx.Response(200, json=body)))
        result = client.identify_batch(contacts=[{"external_id": "u"}])

        assert result.created == 1
        assert result.skipped is None

    def test_preview_flag(self, make_client: MakeClient) -> None:
        """A boolean field holding a string reads as None."""
        body = {"subject": "Hi", "html": "<p>Hi</p>", "suppressed": "no"}
        client = make_client(Script(httpx.Response(200, json=body)))
        preview = client.templates.preview("welcome", {})

        assert preview.subject == "Hi"
        assert preview.suppressed is None
        assert_no_unset(preview)


class TestErrorTree:
    @pytest.mark.parametrize(
        ("child", "parent"),
        [
            (SynapseError, Exception),
            (SynapseAuthError, SynapseError),
            (SynapsePlanLimitError, SynapseAuthError),
            (SynapseNotFoundError, SynapseError),
            (SynapseConflictError, SynapseError),
            (SynapseValidationError, SynapseError),
            (SynapseRateLimitError, SynapseError),
            (SynapseServerError, SynapseError),
            (SynapseResponseError, SynapseError),
            (SynapseConnectionError, SynapseError),
            (SynapseTimeoutError, SynapseConnectionError),
            (SynapseWebhookError, ValueError),
        ],
    )
    def test_subclass(self, child: type[Exception], parent: type[Exception]) -> None:
        """Each error sits where the errors module's tree draws it."""
        assert issubclass(child, parent)

    @pytest.mark.parametrize(
        "error",
        [SynapseServerError, SynapseResponseError, SynapseConnectionError],
    )
    def test_siblings_stay_apart(self, error: type[SynapseError]) -> None:
        """Server, response and connection errors are not one another's kind."""
        others = {SynapseServerError, SynapseResponseError, SynapseConnectionError}
        for other in others - {error}:
            assert not issubclass(error, other)

    def test_webhook_error_is_not_a_call_error(self) -> None:
        """A webhook failure is a ValueError, not a SynapseError."""
        assert not issubclass(SynapseWebhookError, SynapseError)

    def test_str_is_the_message_as_in_v01(self) -> None:
        """str(error) is the message alone, as 0.1.x code compares it."""
        error = SynapseNotFoundError("gone", 404, "not_found", "req_9")

        assert str(error) == "gone"
        assert error.args == ("gone",)

    @pytest.mark.skipif(sys.version_info < (3, 11), reason="notes print from 3.11 on")
    def test_traceback_shows_status_code_and_request_id(self) -> None:
        """A printed traceback adds status, code and request id under the message."""
        import traceback

        error = SynapseNotFoundError("gone", 404, "not_found", "req_9")
        text = "".join(traceback.format_exception(error))

        assert "gone" in text
        assert "Synapse status=404, code=not_found, request_id=req_9" in text

    def test_str_of_bare_error(self) -> None:
        """An error with no status, code or request id prints just its message."""
        assert str(SynapseConnectionError("no route")) == "no route"

    def test_repr_names_fields(self) -> None:
        """repr(error) names the class and its fields."""
        error = SynapseServerError("down", 503, None, "req_3")

        assert repr(error) == (
            "SynapseServerError(message='down', status=503, code=None,"
            " request_id='req_3')"
        )

    def test_repr_has_no_secret(self, make_client: MakeClient) -> None:
        """Neither the error of a failed call nor the client shows the key."""
        client = make_client(Script(httpx.Response(401, json={"detail": "bad key"})))
        with pytest.raises(SynapseAuthError) as caught:
            client.track(external_id="u", event_name="e")

        for text in (str(caught.value), repr(caught.value), repr(client)):
            assert FAKE_KEY not in text
        assert "psk_test_****" in repr(client)


class TestBatchPartialFailure:
    def test_second_request_fails(self, make_client: MakeClient) -> None:
        """A failure in request 2 reports what request 1 stored as partial_result."""
        script = Script(
            httpx.Response(202, json={"accepted": 50, "rejected": 0}),
            httpx.Response(422, json={"detail": "bad event"}),
        )
        with pytest.raises(SynapseValidationError) as caught:
            make_client(script).track_batch(events=EVENTS)

        assert caught.value.partial_result.accepted == 50
        assert caught.value.partial_result.rejected == 0
        assert script.attempts == 2

    def test_first_request_fails(self, make_client: MakeClient) -> None:
        """When the first request fails nothing was stored: partial_result is None."""
        script = Script(httpx.Response(422, json={"detail": "bad event"}))
        with pytest.raises(SynapseValidationError) as caught:
            make_client(script).track_batch(events=EVENTS)

        assert caught.value.partial_result is None
        assert script.attempts == 1

    async def test_async_second_request_fails(
        self, make_async_client: MakeAsyncClient
    ) -> None:
        """AsyncSynapse reports the same partial_result."""
        script = Script(
            httpx.Response(202, json={"accepted": 48, "rejected": 2}),
            httpx.Response(422, json={"detail": "bad event"}),
        )
        with pytest.raises(SynapseValidationError) as caught:
            await make_async_client(script).track_batch(events=EVENTS)

        assert caught.value.partial_result.accepted == 48
        assert caught.value.partial_result.rejected == 2
