"""What each API operation does to the state: contacts, events, templates, send."""

from __future__ import annotations

from typing import Any

import pytest
from pyrx_synapse.testing import LocalSynapse

from .conftest import TEMPLATE, CheckedClient, make_api


def _identify(api: CheckedClient, **fields: Any) -> dict[str, Any]:
    response = api.post("/v1/contacts", json=fields)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _send(api: CheckedClient, user_id: str = "u1", **extra: Any) -> dict[str, Any]:
    body = {
        "template_slug": "welcome",
        "to": {"user_id": user_id, "email": f"{user_id}@example.test", **extra},
        "attributes": {"order_id": "A-1"},
    }
    response = api.post("/v1/send", json=body)
    assert response.status_code == 202, response.text
    return dict(response.json())


class TestIdentify:
    def test_creates_then_merges(self, api: CheckedClient) -> None:
        """Fields left out keep their values; properties merge key by key."""
        first = _identify(
            api, external_id="u1", email="a@example.test", properties={"a": 1, "b": 1}
        )
        assert first["id"].startswith("ct_")
        second = _identify(api, external_id="u1", first_name="Ada", properties={"b": 2})
        assert second["id"] == first["id"]
        assert second["email"] == "a@example.test"
        assert second["first_name"] == "Ada"
        assert second["properties"] == {"a": 1, "b": 2}
        assert second["created_at"] == first["created_at"]

    def test_tags_are_replaced(self, api: CheckedClient) -> None:
        """Given tags replace the stored ones; absent tags are kept."""
        _identify(api, external_id="u1", tags=["a", "b"])
        assert _identify(api, external_id="u1")["tags"] == ["a", "b"]
        assert _identify(api, external_id="u1", tags=["c"])["tags"] == ["c"]


class TestBulkIdentify:
    def _bulk(self, api: CheckedClient, rows: list[Any], mode: str) -> dict[str, Any]:
        response = api.post(
            "/v1/contacts/bulk", json={"contacts": rows, "on_conflict": mode}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def test_merge(self, api: CheckedClient) -> None:
        """merge updates existing contacts like identify does."""
        _identify(api, external_id="u1", email="a@example.test", properties={"a": 1})
        rows = [{"external_id": "u1", "properties": {"b": 2}}, {"external_id": "u2"}]
        result = self._bulk(api, rows, "merge")
        assert result == {
            "total": 2,
            "created": 1,
            "updated": 1,
            "skipped": 0,
            "errors": [],
        }
        contact = api.get("/v1/contacts/u1").json()
        assert contact["email"] == "a@example.test"
        assert contact["properties"] == {"a": 1, "b": 2}

    def test_skip(self, api: CheckedClient) -> None:
        """skip leaves existing contacts untouched and counts them."""
        _identify(api, external_id="u1", email="a@example.test")
        rows = [{"external_id": "u1", "email": "b@example.test"}]
        assert self._bulk(api, rows, "skip")["skipped"] == 1
        assert api.get("/v1/contacts/u1").json()["email"] == "a@example.test"

    def test_replace(self, api: CheckedClient) -> None:
        """replace makes an existing contact exactly the given fields."""
        before = _identify(
            api,
            external_id="u1",
            email="a@example.test",
            tags=["x"],
            properties={"a": 1},
        )
        self._bulk(api, [{"external_id": "u1", "first_name": "Bo"}], "replace")
        after = api.get("/v1/contacts/u1").json()
        assert after["id"] == before["id"]
        assert after["first_name"] == "Bo"
        assert (after["email"], after["tags"], after["properties"]) == (None, [], {})

    def test_duplicate_row_is_an_error(self, api: CheckedClient) -> None:
        """A repeated external_id is reported and counted nowhere."""
        rows = [{"external_id": "u1"}, {"external_id": "u2"}, {"external_id": "u1"}]
        result = self._bulk(api, rows, "merge")
        assert (result["created"], result["updated"]) == (2, 0)
        assert result["errors"] == [
            {
                "index": 2,
                "external_id": "u1",
                "field": "external_id",
                "message": "duplicate of row 0",
            }
        ]

    def test_plan_limit_mid_batch(self) -> None:
        """Rows past the contacts limit are errors; the rest are stored."""
        local = LocalSynapse(limits={"contacts": 2})
        with local, make_api(local) as client:
            rows = [{"external_id": f"u{n}"} for n in range(3)]
            response = client.post("/v1/contacts/bulk", json={"contacts": rows})
            result = response.json()
            assert (result["total"], result["created"]) == (3, 2)
            assert [e["index"] for e in result["errors"]] == [2]
            assert len(local.contacts) == 2


class TestContact:
    def test_get_by_external_id_or_id(self, api: CheckedClient) -> None:
        """A contact is found by its external_id first, then by its id."""
        contact = _identify(api, external_id="u1")
        assert api.get("/v1/contacts/u1").json()["id"] == contact["id"]
        assert api.get(f"/v1/contacts/{contact['id']}").json()["external_id"] == "u1"
        assert api.get("/v1/contacts/nobody").status_code == 404

    def test_percent_encoded_id(self, api: CheckedClient) -> None:
        """An external_id with a slash is reachable percent-encoded."""
        _identify(api, external_id="team/42")
        assert api.get("/v1/contacts/team%2F42").status_code == 200

    def test_patch(self, api: CheckedClient) -> None:
        """PATCH clears email with null, merges properties, then adds/removes tags."""
        _identify(
            api,
            external_id="u1",
            email="a@example.test",
            tags=["a"],
            properties={"x": 1},
        )
        response = api.patch(
            "/v1/contacts/u1",
            json={
                "email": None,
                "properties": {"y": 2},
                "tags": ["b", "c"],
                "add_tags": ["d"],
                "remove_tags": ["b"],
            },
        )
        contact = response.json()
        assert contact["email"] is None
        assert contact["properties"] == {"x": 1, "y": 2}
        assert contact["tags"] == ["c", "d"]

    def test_delete(self, api: CheckedClient) -> None:
        """DELETE answers 204, then the contact is gone."""
        _identify(api, external_id="u1")
        assert api.delete("/v1/contacts/u1").status_code == 204
        assert api.delete("/v1/contacts/u1").status_code == 404


class TestListContacts:
    @pytest.fixture
    def people(self, api: CheckedClient) -> None:
        """Five contacts with names to search and sort."""
        names = ["Carol", "alice", "Bob", "dave", "Alicia"]
        for n, name in enumerate(names):
            _identify(api, external_id=f"u{n}", first_name=name)

    def _page(self, api: CheckedClient, query: str) -> dict[str, Any]:
        response = api.get(f"/v1/contacts?{query}")
        assert response.status_code == 200
        return dict(response.json())

    @pytest.mark.usefixtures("people")
    def test_defaults(self, api: CheckedClient) -> None:
        """Without parameters: page 1, 20 per page, newest first."""
        page = self._page(api, "")
        assert page["meta"] == {"total": 5, "page": 1, "per_page": 20, "total_pages": 1}
        assert [c["external_id"] for c in page["data"]] == [
            "u4",
            "u3",
            "u2",
            "u1",
            "u0",
        ]

    @pytest.mark.usefixtures("people")
    def test_search_is_case_insensitive(self, api: CheckedClient) -> None:
        """search matches a substring of the name, ignoring case."""
        page = self._page(api, "search=ALIC&sort_by=first_name&sort_order=asc")
        assert [c["first_name"] for c in page["data"]] == ["Alicia", "alice"]

    @pytest.mark.usefixtures("people")
    def test_paging(self, api: CheckedClient) -> None:
        """Pages split the sorted list; a page past the end is empty."""
        query = "sort_by=external_id&sort_order=asc&per_page=2"
        pages = [self._page(api, f"{query}&page={n}") for n in (1, 2, 3, 4)]
        ids = [[c["external_id"] for c in page["data"]] for page in pages]
        assert ids == [["u0", "u1"], ["u2", "u3"], ["u4"], []]
        assert pages[3]["meta"] == {
            "total": 5,
            "page": 4,
            "per_page": 2,
            "total_pages": 3,
        }

    def test_ties_break_on_id(self, api: CheckedClient) -> None:
        """Equal sort values are ordered by id, so paging is stable."""
        made = [_identify(api, external_id=f"t{n}", last_name="Same") for n in range(4)]
        page = self._page(api, "sort_by=last_name&sort_order=asc")
        assert [c["id"] for c in page["data"]] == sorted(c["id"] for c in made)


class TestTrack:
    def test_track_creates_contact(
        self, api: CheckedClient, local: LocalSynapse
    ) -> None:
        """A new external_id creates the contact with the event's contact fields."""
        response = api.post(
            "/v1/events",
            json={
                "external_id": "u1",
                "event_name": "signed_up",
                "attributes": {"plan": "pro"},
                "contact": {"email": "u1@example.test", "company": "Acme"},
            },
        )
        assert response.status_code == 202
        body = response.json()
        assert body["status"] == "accepted"
        assert body["event_id"].startswith("ev_")
        contact = local.contacts[0]
        assert contact["email"] == "u1@example.test"
        assert contact["properties"] == {"company": "Acme"}
        event = local.events[0]
        assert event["event_id"] == body["event_id"]
        assert event["attributes"] == {"plan": "pro"}
        assert event["occurred_at"].endswith("Z")

    def test_occurred_at_is_kept(self, api: CheckedClient, local: LocalSynapse) -> None:
        """A given occurred_at is stored as sent."""
        when = "2024-05-01T10:00:00+02:00"
        event = {"external_id": "u", "event_name": "e", "occurred_at": when}
        api.post("/v1/events", json=event)
        assert local.events[0]["occurred_at"] == when


class TestTemplates:
    def test_crud(self, api: CheckedClient, template: dict[str, Any]) -> None:
        """Create, read, change some fields, list and delete a template."""
        assert template["id"].startswith("tpl_")
        assert template["content_type"] == "html"
        assert api.get("/v1/templates/welcome").json() == template
        changed = api.put("/v1/templates/welcome", json={"name": "Hello"}).json()
        assert changed["name"] == "Hello"
        assert changed["subject"] == template["subject"]
        assert [t["slug"] for t in api.get("/v1/templates").json()] == ["welcome"]
        assert api.delete("/v1/templates/welcome").status_code == 204
        assert api.get("/v1/templates/welcome").status_code == 404

    @pytest.mark.usefixtures("template")
    def test_duplicate_slug_is_409(self, api: CheckedClient) -> None:
        """A slug is unique in its workspace."""
        response = api.post("/v1/templates", json=TEMPLATE)
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"

    @pytest.mark.parametrize("field", ["subject", "body_html"])
    def test_bad_syntax_is_422(self, api: CheckedClient, field: str) -> None:
        """A template that does not compile is refused, naming the field."""
        response = api.post("/v1/templates", json={**TEMPLATE, field: "{% if %}"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field

    @pytest.mark.usefixtures("template")
    def test_bad_syntax_on_update_is_422(self, api: CheckedClient) -> None:
        """An update that breaks the template is refused and changes nothing."""
        response = api.put("/v1/templates/welcome", json={"body_html": "{{ x"})
        assert response.status_code == 422
        assert (
            api.get("/v1/templates/welcome").json()["body_html"]
            == TEMPLATE["body_html"]
        )


class TestRendering:
    def _preview(
        self, api: CheckedClient, body_html: str, **body: Any
    ) -> dict[str, Any]:
        api.put("/v1/templates/welcome", json={"body_html": body_html})
        response = api.post("/v1/templates/welcome/preview", json=body)
        return {"status": response.status_code, **response.json()}

    @pytest.mark.usefixtures("template")
    def test_html_is_escaped_subject_is_not(self, api: CheckedClient) -> None:
        """Values are HTML-escaped in the body but not in the subject."""
        result = self._preview(
            api, "<p>{{ contact.first_name }}</p>", contact={"first_name": "<b>&"}
        )
        assert result["html"] == "<p>&lt;b&gt;&amp;</p>"
        assert result["subject"] == "Hi <b>&"

    @pytest.mark.usefixtures("template")
    def test_missing_values_render_empty(self, api: CheckedClient) -> None:
        """Missing variables, and attributes of them, render as nothing."""
        result = self._preview(api, "[{{ nope }}|{{ contact.a.b.c }}|{{ event.x }}]")
        assert result["html"] == "[||]"

    @pytest.mark.usefixtures("template")
    def test_null_values_render_empty(self, api: CheckedClient) -> None:
        """A field set to null renders as nothing, not as the word None."""
        result = self._preview(
            api, "[{{ contact.last_name }}]", contact={"last_name": None}
        )
        assert result["html"] == "[]"
        assert result["subject"] == "Hi "

    @pytest.mark.usefixtures("template")
    def test_context_shapes(self, api: CheckedClient) -> None:
        """Properties reach contact directly; event keys are attributes too."""
        result = self._preview(
            api,
            "{{ contact.plan }} {{ event.total }} {{ total }}",
            contact={"properties": {"plan": "pro"}},
            event={"total": 3},
        )
        assert result["html"] == "pro 3 3"

    @pytest.mark.parametrize(
        "source",
        [
            "{{ ''.__class__.__mro__ }}",
            "{{ cycler.__init__.__globals__ }}",
            "{{ contact.__class__ }}",
        ],
    )
    @pytest.mark.usefixtures("template")
    def test_sandbox_refuses_internals(self, api: CheckedClient, source: str) -> None:
        """Reaching Python internals fails the render with 422."""
        result = self._preview(api, source)
        assert result["status"] == 422
        assert result["errors"][0]["field"] == "body_html"

    @pytest.mark.usefixtures("template")
    def test_no_file_access(self, api: CheckedClient) -> None:
        """Templates have no loader, so include fails instead of reading a file."""
        result = self._preview(api, "{% include '/etc/passwd' %}")
        assert result["status"] == 422

    @pytest.mark.usefixtures("template")
    def test_runtime_error_is_422(self, api: CheckedClient) -> None:
        """An error while rendering is the template's fault: 422."""
        assert self._preview(api, "{{ 1 / 0 }}")["status"] == 422


class TestSend:
    @pytest.mark.usefixtures("template")
    def test_send_renders_into_outbox(
        self, api: CheckedClient, local: LocalSynapse
    ) -> None:
        """A send renders the template with the recipient and attributes."""
        result = _send(api, first_name="Ada")
        assert result["status"] == "queued"
        assert result["email_log_id"].startswith("em_")
        email = local.outbox[0]
        assert email["email_log_id"] == result["email_log_id"]
        assert email["to"] == "u1@example.test"
        assert email["subject"] == "Hi Ada"
        assert email["html"] == "<p>Hello Ada, order A-1</p>"
        assert (email["from_email"], email["sender_name"]) == (
            "hello@acme.test",
            "Acme",
        )
        assert local.contacts[0]["external_id"] == "u1"

    def test_unknown_template_is_404(self, api: CheckedClient) -> None:
        """Sending from a missing template gets 404."""
        body = {"template_slug": "nope", "to": {"user_id": "u", "email": "u@x.io"}}
        assert api.post("/v1/send", json=body).status_code == 404

    @pytest.mark.parametrize(
        "fields", [{"properties": {"unsubscribed": True}}, {"tags": ["unsubscribed"]}]
    )
    @pytest.mark.usefixtures("template")
    def test_unsubscribed_is_suppressed(
        self, api: CheckedClient, local: LocalSynapse, fields: dict[str, Any]
    ) -> None:
        """An unsubscribed contact gets nothing; the outbox records it suppressed."""
        _identify(api, external_id="u1", **fields)
        seen: list[object] = []
        local.add_webhook("http://127.0.0.1:9/hook")
        local.engine.add_webhook_listener(seen.append)
        assert _send(api)["status"] == "suppressed"
        assert [e["status"] for e in local.outbox] == ["suppressed"]
        assert seen == []

    @pytest.mark.usefixtures("template")
    def test_preview_shows_suppression(self, api: CheckedClient) -> None:
        """preview reports suppressed with the reason."""
        response = api.post(
            "/v1/templates/welcome/preview",
            json={"contact": {"tags": ["unsubscribed"]}},
        )
        body = response.json()
        assert (body["suppressed"], body["suppressed_reason"]) == (True, "unsubscribed")
