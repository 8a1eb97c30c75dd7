"""Faults injected on purpose into API requests, reproducibly from a seed.

Status faults (500, 502, 503, 429) answer before the engine sees the
request, so nothing changes. ``delay`` waits, then lets the request through.
``drop`` lets the engine handle the request and then loses the response, so
the state changes while the client sees a broken connection: the case an
idempotency key exists for. Only ``/v1/`` requests get faults.
"""

from __future__ import annotations

import random
import threading

from ._common import ApiError, EngineResponse, error_response, new_id
from ._config import FaultConfig

__all__ = ["STATUS_FAULTS", "FaultInjector", "applies_to", "fault_response"]

#: The faults answered with a status code instead of reaching the engine.
STATUS_FAULTS = frozenset({"500", "502", "503", "429"})


class FaultInjector:
    """Draws faults from a seeded generator; safe to share between threads."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)  # noqa: S311 - test faults, not secrets
        self._lock = threading.Lock()

    def pick(self) -> str | None:
        """One of the configured kinds, or None for a request that goes through."""
        if self.config.rate <= 0:
            return None
        with self._lock:
            roll = self._random.random()
            kind = self._random.choice(self.config.kinds)
        return kind if roll < self.config.rate else None


def applies_to(target: str) -> bool:
    """Whether a request for ``target`` may get a fault (API paths only)."""
    return target.startswith("/v1/") or target == "/v1"


def fault_response(kind: str, config: FaultConfig) -> EngineResponse:
    """The response of a status fault, with Retry-After for an injected 429."""
    headers = {}
    if kind == "429":
        headers["Retry-After"] = str(config.retry_after_seconds)
    error = ApiError(
        int(kind),
        "rate_limited" if kind == "429" else "injected_fault",
        f"fault injected by the local server: HTTP {kind}",
        headers=headers,
    )
    return error_response(error, new_id("req"))
