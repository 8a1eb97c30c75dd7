"""Shared fixtures for the unit tests: clients wired to a mock transport.

A test describes the server as a handler function (often a ``Script`` of
answers) and asks ``make_client`` or ``make_async_client`` for a client that
sends to it through ``httpx.MockTransport``. The clients' backoff is recorded
in the ``sleeps`` list instead of slept, so retry tests run at once and can
assert each backoff. Nothing here opens a socket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol

import httpx
import pytest
from pyrx_synapse import AsyncSynapse, Synapse

# Planted in every client so tests can assert it never leaks anywhere.
FAKE_KEY = "psk_test_PLANTED_SECRET_0123456789"
WORKSPACE_ID = "ws_unit"
# The .invalid top-level domain can never resolve, should a request escape.
BASE_URL = "https://synapse.invalid"

Handler = Callable[[httpx.Request], httpx.Response]
Answer = httpx.Response | type[httpx.TransportError]


class Script:
    """A handler that gives its answers in order, repeating the last one.

    An answer is a response, or an httpx transport error class to raise with
    the request attached. Every request that arrives is kept in ``requests``.
    """

    def __init__(self, *answers: Answer) -> None:
        if not answers:
            raise ValueError("a Script needs at least one answer")
        self._answers = answers
        self.requests: list[httpx.Request] = []

    @property
    def attempts(self) -> int:
        return len(self.requests)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self._answers[min(len(self.requests), len(self._answers)) - 1]
        if isinstance(answer, httpx.Response):
            # A fresh copy each time: httpx binds a response to one request.
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        raise answer(f"scripted {answer.__name__}", request=request)


class MakeClient(Protocol):
    def __call__(self, handler: Handler, **kwargs: Any) -> Synapse: ...


class MakeAsyncClient(Protocol):
    def __call__(self, handler: Handler, **kwargs: Any) -> AsyncSynapse: ...


@pytest.fixture
def sleeps() -> list[float]:
    """Every backoff the test's clients asked for, in seconds, in order."""
    return []


@pytest.fixture
def make_client(sleeps: list[float]) -> Iterator[MakeClient]:
    """Build ``Synapse`` clients over ``handler``; extra kwargs go to the client."""
    made: list[tuple[Synapse, httpx.Client]] = []

    def make(handler: Handler, **kwargs: Any) -> Synapse:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        kwargs.setdefault("api_key", FAKE_KEY)
        kwargs.setdefault("workspace_id", WORKSPACE_ID)
        kwargs.setdefault("base_url", BASE_URL)
        client = Synapse(http_client=http, **kwargs)
        client._sleep = sleeps.append
        made.append((client, http))
        return client

    yield make
    for client, http in made:
        client.close()
        http.close()


@pytest.fixture
async def make_async_client(sleeps: list[float]) -> AsyncIterator[MakeAsyncClient]:
    """The ``AsyncSynapse`` twin of ``make_client``, sharing its ``sleeps``."""
    made: list[tuple[AsyncSynapse, httpx.AsyncClient]] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    def make(handler: Handler, **kwargs: Any) -> AsyncSynapse:
        # MockTransport accepts a plain function for async clients as well.
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        kwargs.setdefault("api_key", FAKE_KEY)
        kwargs.setdefault("workspace_id", WORKSPACE_ID)
        kwargs.setdefault("base_url", BASE_URL)
        client = AsyncSynapse(http_client=http, **kwargs)
        client._sleep = record
        made.append((client, http))
        return client

    yield make
    for client, http in made:
        await client.close()
        await http.aclose()
