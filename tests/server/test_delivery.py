"""WebhookDispatcher against a recording engine stand-in and real loopback endpoints."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pyrx_synapse._webhooks import verify_webhook
from pyrx_synapse.server import WebhookDispatcher
from pyrx_synapse.server._engine import WebhookMessage

from . import conftest_integration as harness

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class RecordingEngine:
    """The two Engine methods the dispatcher uses, recording what it does."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[WebhookMessage], None]] = []
        self.deliveries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add_webhook_listener(self, listener: Callable[[WebhookMessage], None]) -> None:
        self.listeners.append(listener)

    def record_delivery(self, msg_id: str, endpoint_url: str, **attempt: Any) -> None:
        with self._lock:
            self.deliveries.append({"msg_id": msg_id, "url": endpoint_url, **attempt})

    def emit(self, message: WebhookMessage) -> None:
        for listener in self.listeners:
            listener(message)

    def attempts(self, msg_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [d for d in self.deliveries if d["msg_id"] == msg_id]


def message(url: str, msg_id: str = "msg_1", **data: Any) -> WebhookMessage:
    payload = {
        "type": "event.ingested",
        "timestamp": "2026-01-01T00:00:00Z",
        "data": data or {"event_id": "ev_1"},
    }
    return WebhookMessage(
        msg_id=msg_id,
        workspace_id="ws_local",
        endpoint_url=url,
        secret=SECRET,
        event_type="event.ingested",
        payload=json.dumps(payload, separators=(",", ":")).encode(),
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def make_dispatcher(
    engine: RecordingEngine,
) -> Iterator[Callable[..., WebhookDispatcher]]:
    started: list[WebhookDispatcher] = []

    def make(**options: Any) -> WebhookDispatcher:
        options.setdefault("backoff_base", 0.01)
        options.setdefault("backoff_cap", 0.05)
        options.setdefault("timeout", 2.0)
        dispatcher = WebhookDispatcher(engine, **options)
        dispatcher.start()
        started.append(dispatcher)
        return dispatcher

    yield make
    for dispatcher in started:
        dispatcher.stop()


receiver = harness.receiver


class TestDelivery:
    def test_posts_the_exact_payload_with_a_valid_signature(
        self, engine, make_dispatcher, receiver
    ):
        """The endpoint gets the exact payload, typed JSON, signed in svix headers."""
        dispatcher = make_dispatcher()
        sent = message(receiver.url, msg_id="msg_exact")
        engine.emit(sent)

        assert dispatcher.flush(harness.WAIT)
        [hook] = receiver.received
        assert hook.body == sent.payload
        assert hook.headers["content-type"] == "application/json"
        assert hook.headers["svix-id"] == "msg_exact"
        verified = verify_webhook(hook.body, hook.headers, SECRET)
        assert verified == json.loads(sent.payload)

    def test_records_a_successful_attempt(self, engine, make_dispatcher, receiver):
        """One 2xx answer is recorded as attempt 1, delivered, with its status."""
        dispatcher = make_dispatcher()
        engine.emit(message(receiver.url))

        assert dispatcher.flush(harness.WAIT)
        assert engine.attempts("msg_1") == [
            {
                "msg_id": "msg_1",
                "url": receiver.url,
                "attempt": 1,
                "status": 200,
                "error": None,
                "delivered": True,
            }
        ]

    def test_any_2xx_counts_as_delivered(self, engine, make_dispatcher):
        """A 204 ends delivery just as a 200 does."""
        with harness.WebhookReceiver(statuses=[204]) as endpoint:
            dispatcher = make_dispatcher()
            engine.emit(message(endpoint.url))
            assert dispatcher.flush(harness.WAIT)

        [attempt] = engine.attempts("msg_1")
        assert (attempt["status"], attempt["delivered"]) == (204, True)

    def test_messages_sent_before_start_are_delivered_after_it(self, engine, receiver):
        """The listener queues messages even before the workers run."""
        dispatcher = WebhookDispatcher(engine, backoff_base=0.01)
        engine.emit(message(receiver.url))
        dispatcher.start()
        try:
            assert dispatcher.flush(harness.WAIT)
        finally:
            dispatcher.stop()
        assert len(receiver.received) == 1


class TestRetries:
    def test_retries_server_errors_until_a_2xx(self, engine, make_dispatcher):
        """Two 500s then a 200: three attempts, the same msg id, only the last ok."""
        with harness.WebhookReceiver(statuses=[500, 503]) as endpoint:
            dispatcher = make_dispatcher()
            engine.emit(message(endpoint.url))
            assert dispatcher.flush(harness.WAIT)

        attempts = engine.attempts("msg_1")
        assert [(a["attempt"], a["status"], a["delivered"]) for a in attempts] == [
            (1, 500, False),
            (2, 503, False),
            (3, 200, True),
        ]
        assert {hook.headers["svix-id"] for hook in endpoint.received} == {"msg_1"}
        for hook in endpoint.received:
            verify_webhook(hook.body, hook.headers, SECRET)

    def test_a_4xx_is_retried_too(self, engine, make_dispatcher):
        """Any status outside 2xx is a failed attempt, 4xx included."""
        with harness.WebhookReceiver(statuses=[400]) as endpoint:
            dispatcher = make_dispatcher()
            engine.emit(message(endpoint.url))
            assert dispatcher.flush(harness.WAIT)

        assert [a["status"] for a in engine.attempts("msg_1")] == [400, 200]

    def test_gives_up_after_max_attempts(self, engine, make_dispatcher):
        """An endpoint that always fails gets exactly max_attempts tries."""
        with harness.WebhookReceiver(statuses=[500] * 10) as endpoint:
            dispatcher = make_dispatcher(max_attempts=3)
            engine.emit(message(endpoint.url))
            assert dispatcher.flush(harness.WAIT)

        attempts = engine.attempts("msg_1")
        assert [a["attempt"] for a in attempts] == [1, 2, 3]
        assert not any(a["delivered"] for a in attempts)
        assert len(endpoint.received) == 3

    def test_connection_errors_are_recorded_and_retried(self, engine, make_dispatcher):
        """No listener on the port: each attempt has no status and says why."""
        dispatcher = make_dispatcher(max_attempts=2)
        engine.emit(message(closed_port_url()))

        assert dispatcher.flush(harness.WAIT)
        attempts = engine.attempts("msg_1")
        assert [a["attempt"] for a in attempts] == [1, 2]
        assert all(a["status"] is None for a in attempts)
        assert all("connection error" in a["error"] for a in attempts)

    def test_a_slow_endpoint_times_out(self, engine, make_dispatcher):
        """An endpoint slower than the timeout is a failed attempt marked timeout."""
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            url = f"http://127.0.0.1:{silent.getsockname()[1]}/hooks"
            dispatcher = make_dispatcher(max_attempts=1, timeout=0.2)
            engine.emit(message(url))
            assert dispatcher.flush(harness.WAIT)

        [attempt] = engine.attempts("msg_1")
        assert attempt["status"] is None
        assert attempt["error"].startswith("timeout")

    def test_backoff_doubles_with_jitter_up_to_the_cap(self, engine, make_dispatcher):
        """Backoffs lie in [half, all] of base * 2**n, and never above the cap."""
        backoffs: list[float] = []
        dispatcher = make_dispatcher(
            max_attempts=6, backoff_base=1.0, backoff_cap=4.0, sleep=backoffs.append
        )
        engine.emit(message(closed_port_url()))

        assert dispatcher.flush(harness.WAIT)
        assert len(backoffs) == 5
        for backoff, full in zip(backoffs, [1.0, 2.0, 4.0, 4.0, 4.0], strict=True):
            assert full / 2 <= backoff <= full

    def test_a_failing_endpoint_does_not_hold_up_another(
        self, engine, make_dispatcher, receiver
    ):
        """While one message waits a long backoff, a message to a good endpoint goes."""
        dispatcher = make_dispatcher(backoff_base=60.0, backoff_cap=60.0)
        engine.emit(message(closed_port_url(), msg_id="msg_failing"))
        engine.emit(message(receiver.url, msg_id="msg_fine"))

        assert receiver.wait_for(1)
        assert receiver.received[0].headers["svix-id"] == "msg_fine"
        assert not dispatcher.flush(0.2)  # the failed message waits for its retry


class TestLifecycle:
    def test_flush_is_true_when_nothing_is_queued(self, make_dispatcher):
        """flush on an idle dispatcher reports success."""
        assert make_dispatcher().flush(harness.WAIT)

    def test_stop_drops_pending_retries_and_ignores_new_messages(
        self, engine, make_dispatcher, receiver
    ):
        """After stop no attempt is made, neither a due retry nor a new message."""
        dispatcher = make_dispatcher(backoff_base=60.0, backoff_cap=60.0)
        engine.emit(message(closed_port_url(), msg_id="msg_waiting"))
        assert _wait_until(lambda: len(engine.attempts("msg_waiting")) == 1)

        dispatcher.stop(timeout=harness.WAIT)
        engine.emit(message(receiver.url, msg_id="msg_late"))

        assert dispatcher.flush(harness.WAIT)
        assert engine.attempts("msg_late") == []
        assert len(engine.attempts("msg_waiting")) == 1
        assert receiver.received == []

    def test_stop_twice_is_harmless(self, make_dispatcher):
        """stop may be called again, as run_server's cleanup does."""
        dispatcher = make_dispatcher()
        dispatcher.stop()
        dispatcher.stop()
        assert dispatcher.flush(harness.WAIT)

    def test_context_manager_starts_and_stops(self, engine, receiver):
        """Inside ``with`` messages are delivered."""
        with WebhookDispatcher(engine) as dispatcher:
            engine.emit(message(receiver.url))
            assert dispatcher.flush(harness.WAIT)
        assert len(receiver.received) == 1

    @pytest.mark.parametrize(
        "options",
        [
            {"max_attempts": 0},
            {"backoff_base": -1.0},
            {"backoff_cap": -1.0},
            {"timeout": 0.0},
        ],
    )
    def test_rejects_impossible_settings(self, engine, options):
        """Settings that make no sense raise ValueError at construction."""
        with pytest.raises(ValueError, match="must"):
            WebhookDispatcher(engine, **options)

    def test_registers_itself_as_an_engine_listener(self, engine):
        """Constructing the dispatcher subscribes it to the engine's messages."""
        WebhookDispatcher(engine).stop()
        assert len(engine.listeners) == 1


def _wait_until(condition: Callable[[], bool]) -> bool:
    event = threading.Event()
    for _ in range(int(harness.WAIT / 0.01)):
        if condition():
            return True
        event.wait(0.01)
    return condition()
