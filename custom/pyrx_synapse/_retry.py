"""The retry policy: which failures are retried, and how long to back off.

One immutable object holds every rule, so the sync client, the async client
and the raw client's transport all retry the same way:

- Retried: statuses 429, 500, 502, 503 and 504, connection failures and
  timeouts. Never any other 4xx: the same request would fail the same way.
- Backoff before retry ``n`` (0-based) is ``initial_backoff * 2**n``, capped at
  ``max_backoff``, with "full jitter" (a uniform draw between half and all of
  it) so that many clients do not retry in lockstep.
- A Retry-After header, in seconds or as an HTTP-date, replaces the computed
  backoff. When it asks for more than ``max_retry_after`` the call is not
  retried at all and fails at once with the server's wait attached.
- Every write carries an idempotency key that is the same on every attempt
  (see ``_transport``), which is what makes retrying a POST safe.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, replace

__all__ = ["RetryPolicy", "parse_retry_after"]


@dataclass(frozen=True)
class RetryPolicy:
    """How many times, after what backoff, and for which statuses to retry."""

    max_retries: int = 3
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    retryable_statuses: frozenset[int] = field(
        default=frozenset({429, 500, 502, 503, 504})
    )

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if self.initial_backoff < 0 or self.max_backoff < 0:
            raise ValueError("backoff must not be negative")

    def with_max_retries(self, max_retries: int) -> RetryPolicy:
        return replace(self, max_retries=max_retries)

    def is_retryable_status(self, status: int) -> bool:
        return status in self.retryable_statuses

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.initial_backoff * 2.0**retry_number, self.max_backoff)
        # Jitter only spreads retries out; it needs no cryptographic randomness.
        draw = rng.random() if rng is not None else random.random()  # noqa: S311
        return ceiling * (0.5 + draw / 2)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for, or None when absent or unreadable.

    Accepts both forms HTTP allows: a number of seconds ("120", and "1.5" which
    some servers send) and an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT").
    """
    if value is None:
        return None
    value = value.strip()
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until_http_date(value, now)
    if seconds is None or seconds != seconds:  # NaN never equals itself
        return None
    return max(0.0, seconds)


def _seconds_until_http_date(value: str, now: float | None) -> float | None:
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return moment.timestamp() - current
