"""Code and tests written for pyrx-synapse 0.1.x keep working unchanged."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pyrx_synapse
import pytest
import respx
from pyrx_synapse import AsyncSynapse, Synapse
from pytest_httpx import HTTPXMock

KEY = "psk_live_compat_tests"
API = "https://synapse-api.pyrx.tech"

# The public names and result attributes of the published 0.1.x package.
V01_NAMES = {
    "AsyncSynapse",
    "Synapse",
    "SynapseAuthError",
    "SynapseError",
    "SynapsePlanLimitError",
    "SynapseRateLimitError",
    "SynapseValidationError",
    "verify_webhook",
}
V01_RESULT_FIELDS = {
    "TrackResponse": ["event_id", "status"],
    "BatchTrackResponse": ["accepted", "rejected"],
    "ContactResponse": [
        "id",
        "external_id",
        "email",
        "phone",
        "first_name",
        "last_name",
        "timezone",
        "locale",
        "properties",
        "tags",
        "created_at",
        "updated_at",
    ],
    "BulkContactResponse": ["total", "created", "updated", "skipped", "errors"],
    "SendResponse": ["email_log_id", "status"],
    "ContactListMeta": ["total", "page", "per_page", "total_pages"],
    "ContactListResponse": ["data", "meta"],
    "TemplateResponse": [
        "id",
        "name",
        "slug",
        "subject",
        "body_html",
        "sender_name",
        "from_email",
        "reply_to",
        "content_type",
        "created_at",
        "updated_at",
    ],
    "TemplatePreviewResponse": ["subject", "html", "suppressed", "suppressed_reason"],
}


class TestPublicSurface:
    def test_every_v01_name_is_still_exported(self) -> None:
        """Each name 0.1.x exported is importable from pyrx_synapse."""
        assert set(pyrx_synapse.__all__) >= V01_NAMES

    def test_all_lists_exactly_the_public_names(self) -> None:
        """__all__ names every public attribute of the package, and only existing ones."""
        public = {
            name
            for name in dir(pyrx_synapse)
            if not name.startswith("_")
            and not isinstance(getattr(pyrx_synapse, name), type(pyrx_synapse))
        }
        assert public | {"__version__"} == set(pyrx_synapse.__all__)
        for name in pyrx_synapse.__all__:
            assert hasattr(pyrx_synapse, name)

    @pytest.mark.parametrize("name", sorted(V01_RESULT_FIELDS))
    def test_result_attributes_match_v01(self, name: str) -> None:
        """Result classes keep 0.1.x's attribute names, in order."""
        fields = [f.name for f in dataclasses.fields(getattr(pyrx_synapse, name))]
        assert fields == V01_RESULT_FIELDS[name]

    def test_package_is_marked_typed(self) -> None:
        """py.typed ships next to the package, so type checkers read its hints."""
        from pathlib import Path

        assert (Path(pyrx_synapse.__file__).parent / "py.typed").is_file()

    def test_v01_positional_and_keyword_shapes(self) -> None:
        """api_key stays positional; 0.1.x's keyword arguments are accepted."""
        client = Synapse(
            KEY, workspace_id="ws", base_url=API, timeout=10.0, max_retries=2
        )
        assert (client.api_key, client.workspace_id, client.max_retries) == (
            KEY,
            "ws",
            2,
        )
        with pytest.raises(TypeError):
            client.track("u", "e")  # type: ignore[misc]


class TestRespxMocks:
    @respx.mock
    def test_v01_style_respx_test_passes(self) -> None:
        """A respx-mocked 0.1.x test sees the same URL, body and result."""
        route = respx.post(f"{API}/v1/events").mock(
            return_value=httpx.Response(200, json={"event_id": "ev_1", "status": "ok"})
        )
        with Synapse(KEY, workspace_id="ws") as client:
            result = client.track(external_id="u", event_name="signup")
        assert route.called
        assert json.loads(route.calls.last.request.content) == {
            "external_id": "u",
            "event_name": "signup",
        }
        assert result.event_id == "ev_1"

    @respx.mock
    async def test_v01_style_async_respx_test_passes(self) -> None:
        """respx also intercepts AsyncSynapse's default AsyncClient."""
        respx.get(f"{API}/v1/templates").mock(return_value=httpx.Response(200, json=[]))
        async with AsyncSynapse(KEY, workspace_id="ws") as client:
            assert await client.templates.list() == []

    @respx.mock
    def test_respx_error_mocks_map_to_v01_errors(self) -> None:
        """A mocked 422 still raises SynapseValidationError with .errors."""
        respx.post(f"{API}/v1/contacts").mock(
            return_value=httpx.Response(
                422,
                json={"detail": "bad", "errors": [{"field": "email", "message": "x"}]},
            )
        )
        with pytest.raises(pyrx_synapse.SynapseValidationError) as caught:
            Synapse(KEY, workspace_id="ws").identify(external_id="u", email="nope")
        assert caught.value.errors == [{"field": "email", "message": "x"}]


class TestPytestHttpxMocks:
    def test_v01_style_httpx_mock_test_passes(self, httpx_mock: HTTPXMock) -> None:
        """pytest-httpx matching on URL, method, headers and JSON body still matches."""
        httpx_mock.add_response(
            url=f"{API}/v1/send",
            method="POST",
            match_headers={"X-Api-Key": KEY, "X-Workspace-Id": "ws"},
            match_json={
                "template_slug": "welcome",
                "to": {"user_id": "u", "email": "a@example.com"},
            },
            json={"email_log_id": "em_1", "status": "queued"},
        )
        with Synapse(KEY, workspace_id="ws") as client:
            result = client.send(
                template_slug="welcome", to={"user_id": "u", "email": "a@example.com"}
            )
        assert result.email_log_id == "em_1"

    async def test_v01_style_async_httpx_mock(self, httpx_mock: HTTPXMock) -> None:
        """pytest-httpx intercepts AsyncSynapse too."""
        httpx_mock.add_response(
            url=f"{API}/v1/contacts?page=1",
            json={
                "data": [],
                "meta": {"total": 0, "page": 1, "per_page": 20, "total_pages": 0},
            },
        )
        async with AsyncSynapse(KEY, workspace_id="ws") as client:
            result = await client.contacts.list(page=1)
        assert result.data == []
