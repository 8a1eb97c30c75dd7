"""Settings of the local Synapse server: keys, storage, limits, webhooks, faults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "FAULT_KINDS",
    "LIMIT_TYPES",
    "FaultConfig",
    "ServerConfig",
    "WebhookEndpoint",
]

#: Every kind of fault the front ends know how to inject.
FAULT_KINDS = ("500", "502", "503", "429", "drop", "delay")

#: The plan limits a workspace can be given, by name.
LIMIT_TYPES = ("contacts", "templates", "events_per_month", "emails_per_month")


@dataclass(frozen=True)
class WebhookEndpoint:
    """Where webhooks go, the secret that signs them, and which types it wants."""

    url: str
    secret: str
    events: tuple[str, ...] | None = None

    def wants(self, event_type: str) -> bool:
        """Whether this endpoint subscribes to ``event_type``.

        A filter entry is an exact type, ``*``, or a family such as ``contact.*``.
        """
        if self.events is None:
            return True
        for wanted in self.events:
            if wanted in ("*", event_type):
                return True
            if wanted.endswith(".*") and event_type.startswith(wanted[:-1]):
                return True
        return False


@dataclass(frozen=True)
class FaultConfig:
    """Which share of API requests fail on purpose, and how."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    seed: int = 0
    delay_seconds: float = 2.0
    retry_after_seconds: int = 1

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate}")
        unknown = [kind for kind in self.kinds if kind not in FAULT_KINDS]
        if unknown or not self.kinds:
            raise ValueError(
                f"fault kinds must be among {', '.join(FAULT_KINDS)}; got {self.kinds}"
            )
        if self.delay_seconds < 0 or self.retry_after_seconds < 0:
            raise ValueError("fault delay and Retry-After must not be negative")


@dataclass(frozen=True)
class ServerConfig:
    """Everything the engine needs: which keys open which workspace, and the rules."""

    api_keys: Mapping[str, str]
    db_path: str | None = None
    max_body_bytes: int = 1_048_576
    plan: str = "dev"
    limits: Mapping[str, int] = field(default_factory=dict)
    rate_limit_per_minute: int | None = None
    webhooks: tuple[WebhookEndpoint, ...] = ()
    faults: FaultConfig = field(default_factory=FaultConfig)

    def __post_init__(self) -> None:
        if not self.api_keys:
            raise ValueError("at least one API key is needed")
        unknown = sorted(set(self.limits) - set(LIMIT_TYPES))
        if unknown:
            raise ValueError(
                f"unknown plan limits {unknown}; known: {', '.join(LIMIT_TYPES)}"
            )
        if any(value < 0 for value in self.limits.values()):
            raise ValueError("plan limits must not be negative")
        if self.rate_limit_per_minute is not None and self.rate_limit_per_minute < 1:
            raise ValueError("rate_limit_per_minute must be at least 1")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
