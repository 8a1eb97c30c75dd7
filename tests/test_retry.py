"""The retry policy as the clients apply it: what is retried, backoff, idempotency."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from pyrx_synapse import (
    AsyncSynapse,
    RetryPolicy,
    Synapse,
    SynapseConnectionError,
    SynapseError,
    SynapseRateLimitError,
    SynapseServerError,
    SynapseTimeoutError,
)
from pyrx_synapse._retry import parse_retry_after
from pyrx_synapse._transport import IDEMPOTENCY_HEADER, connection_error

from pyrx_synapse_api.api.events import track_event
from pyrx_synapse_api.models import TrackEventRequest

from .conftest import FAKE_KEY, WORKSPACE_ID, MakeAsyncClient, MakeClient, Script

RETRIED_STATUSES = [429, 500, 502, 503, 504]
NEVER_RETRIED_STATUSES = [400, 401, 403, 404, 409, 422, 520]
CONNECTION_ERRORS = [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError]
TIMEOUT_ERRORS = [httpx.ReadTimeout, httpx.ConnectTimeout]
TRANSPORT_ERRORS = CONNECTION_ERRORS + TIMEOUT_ERRORS

TRACK_OK = {"event_id": "ev_1", "status": "queued"}


def accepted() -> httpx.Response:
    return httpx.Response(202, json=TRACK_OK)


def failing(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json={"detail": f"failed with {status}"}, headers=headers
    )


def track(client: Synapse) -> Any:
    return client.track(external_id="u", event_name="e")


async def async_track(client: AsyncSynapse) -> Any:
    return await client.track(external_id="u", event_name="e")


def backoff_bounds(
    retry_number: int, initial: float = 0.5, cap: float = 30.0
) -> tuple[float, float]:
    ceiling = min(initial * 2**retry_number, cap)
    return ceiling / 2, ceiling


def assert_backoffs_in_bounds(sleeps: list[float], initial: float = 0.5) -> None:
    for retry_number, seconds in enumerate(sleeps):
        low, high = backoff_bounds(retry_number, initial)
        assert low <= seconds <= high, (retry_number, seconds)


def seeded(seed: int) -> random.Random:
    # Jitter is not a secret: a seeded, repeatable generator is the point here.
    return random.Random(seed)  # noqa: S311


class _FixedRandom(random.Random):
    """A Random whose every draw is ``value``, to pin the jitter's end points."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


class TestRetriedStatuses:
    @pytest.mark.parametrize("status", RETRIED_STATUSES)
    def test_succeeds_after_failures(
        self, make_client: MakeClient, sleeps: list[float], status: int
    ) -> None:
        """A retried status is sent again until it succeeds, one attempt per try."""
        script = Script(failing(status), failing(status), accepted())
        result = track(make_client(script))

        assert result.event_id == "ev_1"
        assert script.attempts == 3
        assert len(sleeps) == 2

    @pytest.mark.parametrize("status", RETRIED_STATUSES)
    async def test_async_succeeds_after_failures(
        self, make_async_client: MakeAsyncClient, sleeps: list[float], status: int
    ) -> None:
        """AsyncSynapse retries the same statuses the same number of times."""
        script = Script(failing(status), failing(status), accepted())
        result = await async_track(make_async_client(script))

        assert result.event_id == "ev_1"
        assert script.attempts == 3
        assert len(sleeps) == 2

    def test_status_list_is_the_policys(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A policy's own retryable_statuses replace the default list."""
        policy = RetryPolicy(retryable_statuses=frozenset({520}))
        script = Script(failing(520), accepted())
        track(make_client(script, retry_policy=policy))

        assert script.attempts == 2
        assert len(sleeps) == 1


class TestNeverRetried:
    @pytest.mark.parametrize("status", NEVER_RETRIED_STATUSES)
    def test_one_attempt(
        self, make_client: MakeClient, sleeps: list[float], status: int
    ) -> None:
        """Other 4xx and non-standard statuses fail after exactly one attempt."""
        script = Script(failing(status), accepted())
        with pytest.raises(SynapseError) as caught:
            track(make_client(script))

        assert caught.value.status == status
        assert script.attempts == 1
        assert sleeps == []

    @pytest.mark.parametrize("status", NEVER_RETRIED_STATUSES)
    async def test_async_one_attempt(
        self, make_async_client: MakeAsyncClient, sleeps: list[float], status: int
    ) -> None:
        """AsyncSynapse sends a non-retried status exactly once too."""
        script = Script(failing(status), accepted())
        with pytest.raises(SynapseError) as caught:
            await async_track(make_async_client(script))

        assert caught.value.status == status
        assert script.attempts == 1
        assert sleeps == []

    def test_retry_after_does_not_make_a_4xx_retried(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A Retry-After header on a status that is never retried changes nothing."""
        script = Script(failing(400, **{"Retry-After": "1"}), accepted())
        with pytest.raises(SynapseError):
            track(make_client(script))

        assert script.attempts == 1
        assert sleeps == []


class TestTransportErrors:
    @pytest.mark.parametrize("error", TRANSPORT_ERRORS)
    def test_retried_until_success(
        self,
        make_client: MakeClient,
        sleeps: list[float],
        error: type[httpx.TransportError],
    ) -> None:
        """Connection failures and timeouts are retried like a 503."""
        script = Script(error, error, accepted())
        result = track(make_client(script))

        assert result.event_id == "ev_1"
        assert script.attempts == 3
        assert len(sleeps) == 2
        assert_backoffs_in_bounds(sleeps)

    @pytest.mark.parametrize("error", TRANSPORT_ERRORS)
    async def test_async_retried_until_success(
        self,
        make_async_client: MakeAsyncClient,
        sleeps: list[float],
        error: type[httpx.TransportError],
    ) -> None:
        """AsyncSynapse retries connection failures and timeouts too."""
        script = Script(error, error, accepted())
        result = await async_track(make_async_client(script))

        assert result.event_id == "ev_1"
        assert script.attempts == 3
        assert len(sleeps) == 2

    @pytest.mark.parametrize("error", CONNECTION_ERRORS)
    def test_exhausted_connection_error(
        self,
        make_client: MakeClient,
        sleeps: list[float],
        error: type[httpx.TransportError],
    ) -> None:
        """After max_retries a connection failure raises SynapseConnectionError."""
        script = Script(error)
        with pytest.raises(SynapseConnectionError) as caught:
            track(make_client(script, max_retries=2))

        assert type(caught.value) is SynapseConnectionError
        assert isinstance(caught.value.__cause__, error)
        assert caught.value.status == 0
        assert "POST /v1/events" in caught.value.message
        assert script.attempts == 3
        assert len(sleeps) == 2

    @pytest.mark.parametrize("error", TIMEOUT_ERRORS)
    def test_exhausted_timeout(
        self,
        make_client: MakeClient,
        sleeps: list[float],
        error: type[httpx.TransportError],
    ) -> None:
        """After max_retries a timeout raises SynapseTimeoutError."""
        script = Script(error)
        with pytest.raises(SynapseTimeoutError) as caught:
            track(make_client(script, max_retries=2))

        assert isinstance(caught.value, SynapseConnectionError)
        assert isinstance(caught.value.__cause__, error)
        assert caught.value.status == 0
        assert "timed out" in caught.value.message
        assert script.attempts == 3

    @pytest.mark.parametrize("error", TRANSPORT_ERRORS)
    async def test_async_exhausted(
        self,
        make_async_client: MakeAsyncClient,
        sleeps: list[float],
        error: type[httpx.TransportError],
    ) -> None:
        """AsyncSynapse maps exhausted transport errors the same way, chained."""
        expected = (
            SynapseTimeoutError if error in TIMEOUT_ERRORS else SynapseConnectionError
        )
        script = Script(error)
        with pytest.raises(SynapseConnectionError) as caught:
            await async_track(make_async_client(script, max_retries=1))

        assert type(caught.value) is expected
        assert isinstance(caught.value.__cause__, error)
        assert caught.value.status == 0
        assert script.attempts == 2
        assert len(sleeps) == 1

    def test_unsendable_request_not_retried(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A transport error that no retry can cure fails after one attempt."""
        script = Script(httpx.UnsupportedProtocol)
        with pytest.raises(SynapseConnectionError) as caught:
            track(make_client(script))

        assert isinstance(caught.value.__cause__, httpx.UnsupportedProtocol)
        assert script.attempts == 1
        assert sleeps == []

    def test_error_without_request_still_maps(self) -> None:
        """An httpx error that carries no request still becomes a public error."""
        error = connection_error(httpx.ReadTimeout("slow"))

        assert isinstance(error, SynapseTimeoutError)
        assert "the request timed out" in error.message


class TestMaxRetries:
    def test_zero_means_one_attempt(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """max_retries=0 sends once and raises the retried status's error."""
        script = Script(failing(503), accepted())
        with pytest.raises(SynapseServerError) as caught:
            track(make_client(script, max_retries=0))

        assert caught.value.status == 503
        assert script.attempts == 1
        assert sleeps == []

    def test_exhausted_on_503(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """With the default 3 retries a steady 503 is sent 4 times, then raised."""
        script = Script(failing(503))
        with pytest.raises(SynapseServerError) as caught:
            track(make_client(script))

        assert caught.value.status == 503
        assert script.attempts == 4
        assert len(sleeps) == 3

    async def test_async_exhausted_on_503(
        self, make_async_client: MakeAsyncClient, sleeps: list[float]
    ) -> None:
        """AsyncSynapse gives up after the same number of attempts."""
        script = Script(failing(503))
        with pytest.raises(SynapseServerError) as caught:
            await async_track(make_async_client(script))

        assert caught.value.status == 503
        assert script.attempts == 4
        assert len(sleeps) == 3


class TestBackoff:
    @pytest.mark.parametrize("retry_number", range(12))
    def test_within_jitter_bounds(self, retry_number: int) -> None:
        """Backoff n lies in [0.5, 1] x min(initial * 2**n, cap)."""
        policy = RetryPolicy()
        low, high = backoff_bounds(retry_number)
        rng = seeded(retry_number)
        for _ in range(50):
            assert low <= policy.backoff(retry_number, rng) <= high

    def test_jitter_end_points(self) -> None:
        """The lowest draw gives half the ceiling and the highest all of it."""
        policy = RetryPolicy(initial_backoff=1.0)

        assert policy.backoff(2, _FixedRandom(0.0)) == 2.0
        assert policy.backoff(2, _FixedRandom(1.0)) == 4.0

    def test_capped_at_max_backoff(self) -> None:
        """However many retries came before, one backoff never passes 30 s."""
        policy = RetryPolicy()

        assert policy.backoff(40, _FixedRandom(1.0)) == 30.0
        assert policy.backoff(40, _FixedRandom(0.0)) == 15.0

    def test_seeded_rng_repeats(self) -> None:
        """The jitter comes from the given rng, so one seed gives one backoff."""
        policy = RetryPolicy()

        assert policy.backoff(3, seeded(7)) == policy.backoff(3, seeded(7))

    def test_recorded_backoffs_in_bounds(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A real retry sequence backs off exponentially, within the jitter bounds."""
        script = Script(failing(503), failing(502), failing(500), accepted())
        track(make_client(script))

        assert len(sleeps) == 3
        assert_backoffs_in_bounds(sleeps)

    async def test_async_recorded_backoffs_in_bounds(
        self, make_async_client: MakeAsyncClient, sleeps: list[float]
    ) -> None:
        """AsyncSynapse backs off by the same rule."""
        script = Script(failing(503), failing(502), failing(500), accepted())
        await async_track(make_async_client(script))

        assert len(sleeps) == 3
        assert_backoffs_in_bounds(sleeps)


class TestRetryAfter:
    @pytest.mark.parametrize(("header", "seconds"), [("2", 2.0), ("1.5", 1.5)])
    def test_seconds_replace_backoff(
        self, make_client: MakeClient, sleeps: list[float], header: str, seconds: float
    ) -> None:
        """A Retry-After in (possibly fractional) seconds is slept exactly."""
        script = Script(failing(429, **{"Retry-After": header}), accepted())
        track(make_client(script))

        assert sleeps == [seconds]
        assert script.attempts == 2

    async def test_async_seconds_replace_backoff(
        self, make_async_client: MakeAsyncClient, sleeps: list[float]
    ) -> None:
        """AsyncSynapse honours Retry-After the same way."""
        script = Script(failing(429, **{"Retry-After": "2"}), accepted())
        await async_track(make_async_client(script))

        assert sleeps == [2.0]

    def test_honoured_on_503(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """Retry-After on a 503 is honoured like on a 429."""
        script = Script(failing(503, **{"Retry-After": "3"}), accepted())
        track(make_client(script))

        assert sleeps == [3.0]

    def test_http_date_through_client(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """An HTTP-date about 5 s ahead makes the client wait about 5 s."""
        moment = datetime.now(timezone.utc) + timedelta(seconds=5)
        header = format_datetime(moment, usegmt=True)
        script = Script(failing(429, **{"Retry-After": header}), accepted())
        track(make_client(script))

        # The header has whole seconds and the clock moves: a wide window.
        assert len(sleeps) == 1
        assert 2.0 <= sleeps[0] <= 6.0

    def test_http_date_exact(self) -> None:
        """An HTTP-date is read as the seconds from ``now`` until it."""
        now = datetime(2026, 10, 21, 7, 27, 55, tzinfo=timezone.utc).timestamp()

        assert parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 5.0

    def test_past_date_means_no_wait(self) -> None:
        """A date in the past, or a negative number, asks for no wait at all."""
        now = datetime(2026, 10, 21, 7, 28, 10, tzinfo=timezone.utc).timestamp()

        assert parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 0.0
        assert parse_retry_after("-3") == 0.0

    @pytest.mark.parametrize("header", [None, "", "soon", "nan", "Wed, 99 Foo"])
    def test_unreadable_is_none(self, header: str | None) -> None:
        """An absent or unreadable Retry-After parses to None."""
        assert parse_retry_after(header) is None

    def test_garbage_falls_back_to_backoff(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """An unreadable Retry-After is ignored and the computed backoff used."""
        script = Script(failing(429, **{"Retry-After": "soon"}), accepted())
        track(make_client(script))

        assert len(sleeps) == 1
        assert_backoffs_in_bounds(sleeps)

    def test_over_cap_raises_at_once(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """Retry-After above max_retry_after fails at once with the server's wait."""
        script = Script(failing(429, **{"Retry-After": "120"}), accepted())
        with pytest.raises(SynapseRateLimitError) as caught:
            track(make_client(script))

        assert caught.value.retry_after == 120.0
        assert script.attempts == 1
        assert sleeps == []

    async def test_async_over_cap_raises_at_once(
        self, make_async_client: MakeAsyncClient, sleeps: list[float]
    ) -> None:
        """AsyncSynapse does not wait out an over-long Retry-After either."""
        script = Script(failing(429, **{"Retry-After": "61"}), accepted())
        with pytest.raises(SynapseRateLimitError) as caught:
            await async_track(make_async_client(script))

        assert caught.value.retry_after == 61.0
        assert script.attempts == 1
        assert sleeps == []

    def test_over_cap_on_503_raises_at_once(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """The cap applies to a 503's Retry-After too."""
        script = Script(failing(503, **{"Retry-After": "3600"}), accepted())
        with pytest.raises(SynapseServerError):
            track(make_client(script))

        assert script.attempts == 1
        assert sleeps == []

    def test_cap_itself_is_waited(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A Retry-After equal to max_retry_after is still waited out."""
        script = Script(failing(429, **{"Retry-After": "60"}), accepted())
        track(make_client(script))

        assert sleeps == [60.0]

    def test_cap_is_the_policys(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A policy with a higher max_retry_after waits longer Retry-Afters out."""
        policy = RetryPolicy(max_retry_after=300.0)
        script = Script(failing(429, **{"Retry-After": "120"}), accepted())
        track(make_client(script, retry_policy=policy))

        assert sleeps == [120.0]


def _post_calls() -> list[tuple[str, Callable[[Synapse], Any], httpx.Response]]:
    contact = {"id": "c_1", "external_id": "u"}
    bulk = {"total": 1, "created": 1, "updated": 0, "skipped": 0, "errors": []}
    return [
        ("track", track, accepted()),
        (
            "send",
            lambda c: c.send(
                template_slug="welcome", to={"user_id": "u", "email": "u@example.com"}
            ),
            httpx.Response(202, json={"email_log_id": "el_1", "status": "queued"}),
        ),
        (
            "track_batch",
            lambda c: c.track_batch(events=[{"external_id": "u", "event_name": "e"}]),
            httpx.Response(202, json={"accepted": 1, "rejected": 0}),
        ),
        (
            "identify_batch",
            lambda c: c.identify_batch(contacts=[{"external_id": "u"}]),
            httpx.Response(200, json=bulk),
        ),
        (
            "identify",
            lambda c: c.identify(external_id="u"),
            httpx.Response(200, json=contact),
        ),
    ]


POST_CALLS = _post_calls()
POST_IDS = [name for name, _, _ in POST_CALLS]


class TestIdempotency:
    @pytest.mark.parametrize(("name", "call", "ok"), POST_CALLS, ids=POST_IDS)
    def test_same_key_on_every_retry(
        self,
        make_client: MakeClient,
        name: str,
        call: Callable[[Synapse], Any],
        ok: httpx.Response,
    ) -> None:
        """Every attempt of one POST carries the same, non-empty idempotency key."""
        script = Script(failing(503), failing(502), ok)
        call(make_client(script))

        keys = [r.headers.get(IDEMPOTENCY_HEADER) for r in script.requests]
        assert len(keys) == 3
        assert keys[0]
        assert keys == [keys[0]] * 3

    @pytest.mark.parametrize(("name", "call", "ok"), POST_CALLS, ids=POST_IDS)
    def test_new_key_per_call(
        self,
        make_client: MakeClient,
        name: str,
        call: Callable[[Synapse], Any],
        ok: httpx.Response,
    ) -> None:
        """Two calls of the same POST carry two different idempotency keys."""
        script = Script(ok)
        client = make_client(script)
        call(client)
        call(client)

        first, second = (r.headers[IDEMPOTENCY_HEADER] for r in script.requests)
        assert first != second

    async def test_async_same_key_on_every_retry(
        self, make_async_client: MakeAsyncClient
    ) -> None:
        """AsyncSynapse repeats one key across retries and changes it per call."""
        script = Script(failing(503), accepted())
        client = make_async_client(script)
        await async_track(client)
        await async_track(client)

        keys = [r.headers[IDEMPOTENCY_HEADER] for r in script.requests]
        assert len(keys) == 3
        assert keys[0] == keys[1]
        assert keys[1] != keys[2]

    def test_callers_key_on_track(self, make_client: MakeClient) -> None:
        """track's idempotency_key is every attempt's header and stays in the body."""
        script = Script(failing(503), accepted())
        make_client(script).track(
            external_id="u", event_name="e", idempotency_key="order-42"
        )

        for request in script.requests:
            assert request.headers[IDEMPOTENCY_HEADER] == "order-42"
            assert (
                httpx.Response(200, content=request.content).json()["idempotency_key"]
                == "order-42"
            )

    def test_callers_key_on_send(self, make_client: MakeClient) -> None:
        """send's idempotency_key is the header and stays in the body."""
        script = Script(httpx.Response(202, json={"email_log_id": "el_1"}))
        make_client(script).send(
            template_slug="welcome",
            to={"user_id": "u", "email": "u@example.com"},
            idempotency_key="mail-7",
        )

        (request,) = script.requests
        assert request.headers[IDEMPOTENCY_HEADER] == "mail-7"
        assert b'"idempotency_key":"mail-7"' in request.content.replace(b" ", b"")

    async def test_async_callers_key(self, make_async_client: MakeAsyncClient) -> None:
        """AsyncSynapse sends the caller's key as the header too."""
        script = Script(accepted())
        await make_async_client(script).track(
            external_id="u", event_name="e", idempotency_key="order-43"
        )

        assert script.requests[0].headers[IDEMPOTENCY_HEADER] == "order-43"

    def test_get_and_delete_carry_none(self, make_client: MakeClient) -> None:
        """Reads and deletes, retried or not, carry no idempotency key."""
        contact = httpx.Response(200, json={"id": "c_1", "external_id": "u"})
        script = Script(
            failing(503),
            contact,
            httpx.Response(200, json={"data": [], "meta": {}}),
            httpx.Response(204),
            httpx.Response(204),
        )
        client = make_client(script)
        client.contacts.get("u")
        client.contacts.list()
        client.contacts.delete("u")
        client.templates.delete("welcome")

        methods = [r.method for r in script.requests]
        assert methods == ["GET", "GET", "GET", "DELETE", "DELETE"]
        assert all(IDEMPOTENCY_HEADER not in r.headers for r in script.requests)


class TestRetryPolicyConfig:
    def test_negative_max_retries_rejected(self) -> None:
        """A policy with negative max_retries cannot be built."""
        with pytest.raises(ValueError, match="max_retries"):
            RetryPolicy(max_retries=-1)

    @pytest.mark.parametrize(("initial", "cap"), [(-0.1, 30.0), (0.5, -1.0)])
    def test_negative_backoff_rejected(self, initial: float, cap: float) -> None:
        """A policy with a negative backoff cannot be built."""
        with pytest.raises(ValueError, match="backoff"):
            RetryPolicy(initial_backoff=initial, max_backoff=cap)

    def test_policy_is_immutable(self) -> None:
        """A policy cannot be changed in place; with_max_retries makes a copy."""
        policy = RetryPolicy()
        with pytest.raises(dataclasses.FrozenInstanceError):
            policy.max_retries = 9  # type: ignore[misc]  # the point of the test

        assert policy.with_max_retries(9).max_retries == 9
        assert policy.max_retries == 3

    def test_client_max_retries_sets_policy(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """Synapse(max_retries=n) makes n retries, n + 1 attempts."""
        script = Script(failing(503))
        client = make_client(script, max_retries=5)
        with pytest.raises(SynapseServerError):
            track(client)

        assert client.max_retries == 5
        assert client.retry_policy.max_retries == 5
        assert script.attempts == 6

    @pytest.mark.parametrize("value", [-1, True, 2.0])
    def test_client_rejects_bad_max_retries(self, value: Any) -> None:
        """Synapse(max_retries=...) takes only a non-negative int."""
        with pytest.raises(ValueError, match="max_retries"):
            Synapse(api_key=FAKE_KEY, workspace_id=WORKSPACE_ID, max_retries=value)

    def test_client_honours_policy_max_retries(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """Synapse(retry_policy=...) alone makes that policy's number of retries."""
        policy = RetryPolicy(max_retries=1)
        script = Script(failing(503))
        client = make_client(script, retry_policy=policy)
        with pytest.raises(SynapseServerError):
            track(client)

        assert client.retry_policy == policy
        assert script.attempts == 2
        assert len(sleeps) == 1

    def test_client_honours_policy_backoff(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """Synapse(retry_policy=...) backs off by that policy's rule."""
        policy = RetryPolicy(initial_backoff=8.0, max_backoff=10.0)
        script = Script(failing(503), failing(503), accepted())
        track(make_client(script, retry_policy=policy))

        assert 4.0 <= sleeps[0] <= 8.0
        assert 5.0 <= sleeps[1] <= 10.0

    def test_explicit_max_retries_overrides_policy(
        self, make_client: MakeClient
    ) -> None:
        """max_retries given next to retry_policy wins over the policy's own."""
        policy = RetryPolicy(max_retries=1, initial_backoff=8.0)
        client = make_client(Script(accepted()), retry_policy=policy, max_retries=4)

        assert client.max_retries == 4
        assert client.retry_policy.initial_backoff == 8.0


class TestRawClient:
    @staticmethod
    def _body() -> TrackEventRequest:
        return TrackEventRequest(external_id="u", event_name="e")

    def test_retries_and_authenticates(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """The raw client retries like the friendly one and sends the auth headers."""
        script = Script(failing(503), failing(429), accepted())
        client = make_client(script)
        response = track_event.sync_detailed(client=client.raw, body=self._body())

        assert response.status_code == 202
        assert script.attempts == 3
        assert len(sleeps) == 2
        keys = {r.headers[IDEMPOTENCY_HEADER] for r in script.requests}
        assert len(keys) == 1
        for request in script.requests:
            assert request.headers["X-Api-Key"] == FAKE_KEY
            assert request.headers["X-Workspace-Id"] == WORKSPACE_ID
            assert request.url.path == "/v1/events"

    def test_callers_key_kept(self, make_client: MakeClient) -> None:
        """A raw call given an idempotency key sends that key on every attempt."""
        script = Script(failing(503), accepted())
        track_event.sync_detailed(
            client=make_client(script).raw, body=self._body(), idempotency_key="k-1"
        )

        assert [r.headers[IDEMPOTENCY_HEADER] for r in script.requests] == ["k-1"] * 2

    def test_returns_last_response_when_exhausted(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """When retries run out the raw client returns the last response, no raise."""
        script = Script(failing(503))
        client = make_client(script, max_retries=1)
        response = track_event.sync_detailed(client=client.raw, body=self._body())

        assert response.status_code == 503
        assert script.attempts == 2

    def test_connection_error_mapped(
        self, make_client: MakeClient, sleeps: list[float]
    ) -> None:
        """A raw call that never gets a response raises SynapseConnectionError."""
        script = Script(httpx.ConnectError)
        client = make_client(script, max_retries=1)
        with pytest.raises(SynapseConnectionError) as caught:
            track_event.sync_detailed(client=client.raw, body=self._body())

        assert isinstance(caught.value.__cause__, httpx.ConnectError)
        assert script.attempts == 2

    async def test_async_retries_and_authenticates(
        self, make_async_client: MakeAsyncClient, sleeps: list[float]
    ) -> None:
        """The async raw client retries and authenticates the same way."""
        script = Script(failing(503), accepted())
        client = make_async_client(script)
        response = await track_event.asyncio_detailed(
            client=client.raw, body=self._body()
        )

        assert response.status_code == 202
        assert script.attempts == 2
        assert len(sleeps) == 1
        first, second = script.requests
        assert first.headers[IDEMPOTENCY_HEADER] == second.headers[IDEMPOTENCY_HEADER]
        assert second.headers["X-Api-Key"] == FAKE_KEY
        assert second.headers["X-Workspace-Id"] == WORKSPACE_ID
