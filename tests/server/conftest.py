"""Fixtures for the local server's tests: an in-process Synapse and plain httpx.

``local`` is a fresh LocalSynapse per test; ``api`` is an httpx client sending
to it with the auth headers set, which checks every response it gets against
openapi.yaml (status listed for the operation, JSON body matching the
schema, X-Request-Id present), so each engine test is a conformance test too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pyrx_synapse.server._spec import Operation, load_spec
from pyrx_synapse.testing import LocalSynapse

API_KEY = "psk_test_local"
WORKSPACE_ID = "ws_local"
AUTH = {"X-Api-Key": API_KEY, "X-Workspace-Id": WORKSPACE_ID}

TEMPLATE = {
    "name": "Welcome",
    "slug": "welcome",
    "subject": "Hi {{ contact.first_name }}",
    "body_html": "<p>Hello {{ contact.first_name }}, order {{ order_id }}</p>",
    "sender_name": "Acme",
    "from_email": "hello@acme.test",
}


def _operation(method: str, path: str) -> Operation | None:
    parts = path.split("/")
    best: Operation | None = None
    best_literals = -1
    for operation in load_spec().operations:
        pattern = operation.path.split("/")
        if operation.method != method or len(pattern) != len(parts):
            continue
        if all(
            p.startswith("{") or p == part
            for p, part in zip(pattern, parts, strict=False)
        ):
            literals = sum(not p.startswith("{") for p in pattern)
            if literals > best_literals:
                best, best_literals = operation, literals
    return best


def check_conforms(response: httpx.Response) -> None:
    """Fail unless ``response`` is what openapi.yaml promises for its request."""
    assert response.headers.get("x-request-id")
    operation = _operation(response.request.method, response.request.url.path)
    if operation is None:
        return
    listed = operation.response_pointers
    assert str(response.status_code) in listed or "default" in listed
    if response.status_code == 204:
        assert response.content == b""
        return
    assert response.headers["content-type"] == "application/json"
    errors = load_spec().response_schema_errors(
        operation, response.status_code, response.json()
    )
    assert errors == [], errors


class CheckedClient(httpx.Client):
    """An httpx client that checks every response against the spec."""

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = super().send(request, **kwargs)
        response.read()
        check_conforms(response)
        return response


@pytest.fixture
def local() -> Iterator[LocalSynapse]:
    """A fresh in-memory Synapse."""
    with LocalSynapse(api_key=API_KEY, workspace_id=WORKSPACE_ID) as synapse:
        yield synapse


def make_api(synapse: LocalSynapse, **headers: str) -> CheckedClient:
    """A checked httpx client on ``synapse``'s transport with the auth headers."""
    return CheckedClient(
        transport=synapse.transport,
        base_url=synapse.base_url,
        headers={**AUTH, **headers},
    )


@pytest.fixture
def api(local: LocalSynapse) -> Iterator[CheckedClient]:
    """A checked httpx client for ``local``."""
    with make_api(local) as client:
        yield client


@pytest.fixture
def template(api: CheckedClient) -> dict[str, Any]:
    """The ``welcome`` template, created."""
    response = api.post("/v1/templates", json=TEMPLATE)
    assert response.status_code == 201
    return dict(response.json())
