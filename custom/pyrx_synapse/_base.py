"""What the sync and async clients share: configuration, identity and repr."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ._logging import configure_from_env
from ._retry import RetryPolicy
from ._transport import (
    DEFAULT_TIMEOUT,
    ClientConfig,
    Environment,
    detect_environment,
    mask_key,
    resolve_config,
)


class BaseClient:
    """Holds the resolved configuration; subclasses add the I/O."""

    _config: ClientConfig

    def __init__(
        self,
        api_key: str | None,
        *,
        workspace_id: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        retry_policy: RetryPolicy | None,
    ) -> None:
        configure_from_env()
        self._timeout = 30.0 if timeout is DEFAULT_TIMEOUT else timeout
        self._config = resolve_config(
            api_key=api_key,
            workspace_id=workspace_id,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
        )

    @property
    def api_key(self) -> str:
        return self._config.api_key

    @property
    def workspace_id(self) -> str:
        return self._config.workspace_id

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> float | httpx.Timeout | None:
        """The timeout as given: a float of seconds (30.0 by default) or a Timeout."""
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._config.policy.max_retries

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._config.policy

    @property
    def environment(self) -> Environment:
        """ "test" or "live" from the key's prefix, else "unknown"."""
        return detect_environment(self._config.api_key)

    def _option_overrides(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Constructor arguments for a copy of this client with ``changes``."""
        unknown = set(changes) - {
            "api_key",
            "workspace_id",
            "base_url",
            "timeout",
            "max_retries",
            "default_headers",
            "retry_policy",
        }
        if unknown:
            raise TypeError(f"with_options() got unexpected options: {sorted(unknown)}")
        config = self._config
        merged_headers = {
            **config.default_headers,
            **(changes.get("default_headers") or {}),
        }
        return {
            "api_key": changes.get("api_key", config.api_key),
            "workspace_id": changes.get("workspace_id", config.workspace_id),
            "base_url": changes.get("base_url", config.base_url),
            "timeout": changes.get("timeout", self._timeout_argument()),
            "retry_policy": changes.get("retry_policy", config.policy),
            "max_retries": changes.get(
                "max_retries", changes.get("retry_policy", config.policy).max_retries
            ),
            "default_headers": merged_headers,
        }

    def _timeout_argument(self) -> float | httpx.Timeout | None:
        # Keeps "not given" meaning "the shared http client's own timeout".
        return (
            DEFAULT_TIMEOUT
            if self._config.timeout is DEFAULT_TIMEOUT
            else self._timeout
        )

    def __repr__(self) -> str:
        config = self._config
        return (
            f"{type(self).__name__}(api_key={mask_key(config.api_key)!r},"
            f" workspace_id={config.workspace_id!r}, base_url={config.base_url!r})"
        )


__all__ = ["DEFAULT_TIMEOUT", "BaseClient"]
