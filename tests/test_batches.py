"""Batch calls split to the API's limits, and contacts.iter pages through everything."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pyrx_synapse import AsyncSynapse, Synapse

KEY = "psk_test_batch_tests"


class BatchServer:
    """Accepts batches like the API: at most 50 events or 1000 contacts a request."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.keys: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        self.keys.append(request.headers["idempotency-key"])
        if request.url.path == "/v1/events/batch":
            assert len(body["events"]) <= 50
            return httpx.Response(
                202, json={"accepted": len(body["events"]), "rejected": 0}
            )
        rows = body["contacts"]
        assert len(rows) <= 1000
        errors = [{"index": 0, "message": "bad row"}]
        return httpx.Response(
            200,
            json={
                "total": len(rows),
                "created": len(rows) - 1,
                "updated": 0,
                "skipped": 0,
                "errors": errors,
            },
        )


def events(count: int) -> list[dict[str, Any]]:
    return [{"external_id": f"u{i}", "event_name": "e"} for i in range(count)]


class TestTrackBatch:
    @pytest.mark.parametrize(
        ("count", "requests"), [(1, 1), (50, 1), (51, 2), (120, 3)]
    )
    def test_events_are_sent_fifty_per_request(self, count: int, requests: int) -> None:
        """Any number of events goes out in requests of at most 50, counts summed."""
        server = BatchServer()
        http = httpx.Client(transport=httpx.MockTransport(server))
        result = Synapse(KEY, workspace_id="ws", http_client=http).track_batch(
            events=events(count)
        )
        assert len(server.bodies) == requests
        sent = [e for body in server.bodies for e in body["events"]]
        assert sent == events(count)
        assert (result.accepted, result.rejected) == (count, 0)
        assert len(set(server.keys)) == requests

    def test_no_events_sends_nothing(self) -> None:
        """An empty list makes no request and reports zero counts."""
        server = BatchServer()
        http = httpx.Client(transport=httpx.MockTransport(server))
        result = Synapse(KEY, workspace_id="ws", http_client=http).track_batch(
            events=[]
        )
        assert server.bodies == []
        assert (result.accepted, result.rejected) == (0, 0)

    async def test_async_twin_chunks_the_same(self) -> None:
        """AsyncSynapse.track_batch splits 120 events into 50, 50 and 20."""
        server = BatchServer()
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = AsyncSynapse(KEY, workspace_id="ws", http_client=http)
        result = await client.track_batch(events=events(120))
        assert [len(b["events"]) for b in server.bodies] == [50, 50, 20]
        assert result.accepted == 120


class TestIdentifyBatch:
    def test_contacts_are_sent_a_thousand_per_request(self) -> None:
        """2500 contacts go out as 1000, 1000 and 500; row errors keep global indexes."""
        server = BatchServer()
        http = httpx.Client(transport=httpx.MockTransport(server))
        rows = [{"external_id": f"c{i}"} for i in range(2500)]
        result = Synapse(KEY, workspace_id="ws", http_client=http).identify_batch(
            contacts=rows, on_conflict="merge"
        )
        assert [len(b["contacts"]) for b in server.bodies] == [1000, 1000, 500]
        assert all(b["on_conflict"] == "merge" for b in server.bodies)
        assert (result.total, result.created) == (2500, 2497)
        assert [e["index"] for e in result.errors] == [0, 1000, 2000]

    async def test_async_twin_chunks_the_same(self) -> None:
        """AsyncSynapse.identify_batch splits 1001 contacts into 1000 and 1."""
        server = BatchServer()
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = AsyncSynapse(KEY, workspace_id="ws", http_client=http)
        rows = [{"external_id": f"c{i}"} for i in range(1001)]
        result = await client.identify_batch(contacts=rows)
        assert [len(b["contacts"]) for b in server.bodies] == [1000, 1]
        assert "on_conflict" not in server.bodies[0]
        assert result.total == 1001


def contact(number: int) -> dict[str, Any]:
    return {"id": f"ct_{number}", "external_id": f"user_{number}"}


class PagedServer:
    """Serves ``total`` contacts page by page, with or without meta."""

    def __init__(self, total: int, with_meta: bool = True) -> None:
        self.total = total
        self.with_meta = with_meta
        self.pages: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        per_page = int(request.url.params.get("per_page", "20"))
        self.pages.append(page)
        start = (page - 1) * per_page
        data = [contact(n) for n in range(start, min(start + per_page, self.total))]
        body: dict[str, Any] = {"data": data}
        if self.with_meta:
            pages = -(-self.total // per_page)
            body["meta"] = {
                "total": self.total,
                "page": page,
                "per_page": per_page,
                "total_pages": pages,
            }
        return httpx.Response(200, json=body)


class TestContactsIter:
    @pytest.mark.parametrize(
        ("total", "pages"), [(0, [1]), (25, [1, 2, 3]), (30, [1, 2, 3])]
    )
    def test_iter_yields_every_contact_once(self, total: int, pages: list[int]) -> None:
        """iter() walks pages 1..total_pages and yields each contact exactly once."""
        server = PagedServer(total)
        http = httpx.Client(transport=httpx.MockTransport(server))
        client = Synapse(KEY, workspace_id="ws", http_client=http)
        seen = [c.external_id for c in client.contacts.iter(per_page=10)]
        assert seen == [f"user_{n}" for n in range(total)]
        assert server.pages == pages

    def test_iter_without_meta_stops_at_a_short_page(self) -> None:
        """Without meta, a page shorter than per_page is the last one."""
        server = PagedServer(23, with_meta=False)
        http = httpx.Client(transport=httpx.MockTransport(server))
        client = Synapse(KEY, workspace_id="ws", http_client=http)
        assert len(list(client.contacts.iter(per_page=10))) == 23
        assert server.pages == [1, 2, 3]

    def test_iter_stops_on_an_empty_page_whatever_meta_says(self) -> None:
        """A server that claims more pages but sends none cannot loop iter forever."""

        def lying(request: httpx.Request) -> httpx.Response:
            meta = {"total": 10**6, "page": 1, "per_page": 10, "total_pages": 10**5}
            page = int(request.url.params["page"])
            data = [contact(page)] if page < 3 else []
            return httpx.Response(200, json={"data": data, "meta": meta})

        http = httpx.Client(transport=httpx.MockTransport(lying))
        client = Synapse(KEY, workspace_id="ws", http_client=http)
        assert len(list(client.contacts.iter())) == 2

    def test_iter_passes_filters_to_every_page(self) -> None:
        """search and sorting go with every page request."""
        seen: list[httpx.URL] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request.url)
            return PagedServer(3)(request)

        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = Synapse(KEY, workspace_id="ws", http_client=http)
        list(
            client.contacts.iter(
                search="a", per_page=2, sort_by="email", sort_order="asc"
            )
        )
        assert len(seen) == 2
        for url in seen:
            assert url.params["search"] == "a"
            assert url.params["sort_by"] == "email"
            assert url.params["sort_order"] == "asc"

    async def test_async_iter_yields_every_contact(self) -> None:
        """``async for`` over contacts.iter() sees all 25 contacts across 3 pages."""
        server = PagedServer(25)
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = AsyncSynapse(KEY, workspace_id="ws", http_client=http)
        seen = [c.external_id async for c in client.contacts.iter(per_page=10)]
        assert len(seen) == 25
        assert server.pages == [1, 2, 3]
