"""Webhook delivery for the local server: signed POSTs, retried with backoff.

The engine announces every webhook message to its listeners; the dispatcher
puts each one on a schedule ordered by due time and a few worker threads
deliver whatever is due. A failed attempt (a status other than 2xx, a
connection error, a timeout) goes back on the schedule after an exponential
backoff with jitter, so a slow or failing endpoint never holds up deliveries
to the others. Every attempt is signed afresh, the way Svix signs, and is
reported to the engine with ``record_delivery``.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .._webhooks import sign_webhook
from ._engine import Engine, WebhookMessage

__all__ = ["WebhookDispatcher"]

logger = logging.getLogger(__name__)

_WORKERS = 4
_USER_AGENT = "pyrx-synapse-dev-server"


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    message: WebhookMessage = field(compare=False)
    attempt: int = field(compare=False, default=1)


class WebhookDispatcher:
    """Deliver the engine's webhook messages to their endpoints in the background.

    ``max_attempts`` counts the first attempt too. The backoff before retry n is
    ``backoff_base * 2 ** (n - 1)`` capped at ``backoff_cap``, of which a random
    part up to half is taken off so that retries spread out. ``timeout`` limits
    each POST. ``sleep``, when given, is called with each backoff instead of
    waiting for it on the schedule, so tests can record backoffs without
    waiting.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        max_attempts: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        timeout: float = 5.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if backoff_base < 0 or backoff_cap < 0:
            raise ValueError("backoff_base and backoff_cap must not be negative")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._engine = engine
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._sleep = sleep
        self._random = random.Random()  # noqa: S311 - jitter needs no secrecy
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, trust_env=False
        )
        self._schedule: list[_Job] = []
        self._seq = itertools.count()
        self._in_flight = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._workers: list[threading.Thread] = []
        engine.add_webhook_listener(self._enqueue)

    def start(self) -> None:
        """Start the worker threads; messages sent before this wait for it."""
        with self._cond:
            if self._workers or self._stopping:
                return
            for index in range(_WORKERS):
                worker = threading.Thread(
                    target=self._work,
                    name=f"synapse-webhooks-{index}",
                    daemon=True,
                )
                self._workers.append(worker)
            for worker in self._workers:
                worker.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting messages and end the workers; pending retries are dropped.

        Waits at most ``timeout`` seconds for attempts in progress; the workers
        are daemon threads, so one stuck on a slow endpoint never blocks exit.
        """
        with self._cond:
            self._stopping = True
            self._schedule.clear()
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        if not any(worker.is_alive() for worker in self._workers):
            self._client.close()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every message is delivered or given up; False on timeout."""
        with self._cond:
            return self._cond.wait_for(self._idle, timeout)

    def __enter__(self) -> WebhookDispatcher:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _idle(self) -> bool:
        return not self._schedule and self._in_flight == 0

    def _enqueue(self, message: WebhookMessage) -> None:
        with self._cond:
            if self._stopping:
                return
            self._push(_Job(time.monotonic(), next(self._seq), message))

    def _push(self, job: _Job) -> None:
        heapq.heappush(self._schedule, job)
        self._cond.notify_all()

    def _next_due(self) -> _Job | None:
        """Block until a job is due and take it, or return None when stopping."""
        with self._cond:
            while not self._stopping:
                wait = None
                if self._schedule:
                    wait = self._schedule[0].due - time.monotonic()
                    if wait <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._schedule)
                self._cond.wait(wait)
            return None

    def _work(self) -> None:
        while (job := self._next_due()) is not None:
            try:
                retry = self._attempt(job)
            except Exception:
                # A worker must survive anything a delivery throws, or every
                # later message would wait forever.
                logger.exception("webhook delivery %s failed", job.message.msg_id)
                retry = None
            with self._cond:
                self._in_flight -= 1
                if retry is not None and not self._stopping:
                    self._push(retry)
                self._cond.notify_all()

    def _attempt(self, job: _Job) -> _Job | None:
        """POST once and record it; return the retry job, if one is due."""
        message = job.message
        status, error = self._post(message)
        delivered = status is not None and 200 <= status < 300
        self._engine.record_delivery(
            message.msg_id,
            message.endpoint_url,
            attempt=job.attempt,
            status=status,
            error=error,
            delivered=delivered,
        )
        if delivered:
            return None
        outcome = f"status {status}" if status is not None else error
        if job.attempt >= self._max_attempts:
            logger.warning(
                "webhook %s to %s given up after %d attempts (%s)",
                message.msg_id,
                message.endpoint_url,
                job.attempt,
                outcome,
            )
            return None
        backoff = self._backoff(job.attempt)
        logger.info(
            "webhook %s to %s: attempt %d of %d failed (%s), retrying in %.2f s",
            message.msg_id,
            message.endpoint_url,
            job.attempt,
            self._max_attempts,
            outcome,
            backoff,
        )
        due = time.monotonic() + backoff
        if self._sleep is not None:
            self._sleep(backoff)
            due = time.monotonic()
        return _Job(due, next(self._seq), message, job.attempt + 1)

    def _post(self, message: WebhookMessage) -> tuple[int | None, str | None]:
        headers = sign_webhook(message.payload, message.secret, msg_id=message.msg_id)
        headers["Content-Type"] = "application/json"
        headers["User-Agent"] = _USER_AGENT
        try:
            response = self._client.post(
                message.endpoint_url, content=message.payload, headers=headers
            )
        except httpx.TimeoutException as exc:
            return None, f"timeout: {type(exc).__name__}"
        except httpx.HTTPError as exc:
            return None, f"connection error: {type(exc).__name__}: {exc}"
        return response.status_code, None

    def _backoff(self, attempt: int) -> float:
        full = min(self._backoff_cap, self._backoff_base * 2.0 ** (attempt - 1))
        return full - self._random.uniform(0, full / 2)
