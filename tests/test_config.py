"""Client configuration: arguments, environment fallbacks, options and lifecycle."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pyrx_synapse import AsyncSynapse, RetryPolicy, Synapse

KEY = "psk_live_config_tests"
ENV_VARS = (
    "SYNAPSE_API_KEY",
    "SYNAPSE_WORKSPACE_ID",
    "SYNAPSE_BASE_URL",
    "SYNAPSE_API_URL",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(202, json={"event_id": "ev", "status": "accepted"})


def recording(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """A handler that keeps each request in ``seen`` and accepts it."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(request)

    return handler


class TestRequiredSettings:
    def test_missing_key_names_the_setting(self) -> None:
        """No key anywhere is a ValueError naming api_key and its variable."""
        with pytest.raises(ValueError, match=r"api_key.*SYNAPSE_API_KEY"):
            Synapse(workspace_id="ws")

    def test_missing_workspace_names_the_setting(self) -> None:
        """No workspace anywhere is a ValueError naming workspace_id and its variable."""
        with pytest.raises(ValueError, match=r"workspace_id.*SYNAPSE_WORKSPACE_ID"):
            AsyncSynapse(KEY)

    def test_base_url_needs_a_scheme(self) -> None:
        """A base URL without http(s):// fails at construction, not at the first call."""
        with pytest.raises(ValueError, match="base_url"):
            Synapse(KEY, workspace_id="ws", base_url="synapse.local:8787")

    def test_max_retries_must_be_an_int(self) -> None:
        """max_retries=True or "3" is refused."""
        with pytest.raises(ValueError, match="max_retries"):
            Synapse(KEY, workspace_id="ws", max_retries="3")  # type: ignore[arg-type]

    def test_wrong_http_client_kind_is_a_type_error(self) -> None:
        """An AsyncClient given to Synapse (or the reverse) is a TypeError."""
        with pytest.raises(TypeError, match="AsyncSynapse"):
            Synapse(KEY, workspace_id="ws", http_client=httpx.AsyncClient())  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="Synapse"):
            AsyncSynapse(KEY, workspace_id="ws", http_client=httpx.Client())  # type: ignore[arg-type]


class TestEnvironmentFallbacks:
    def test_all_three_variables_are_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SYNAPSE_API_KEY, SYNAPSE_WORKSPACE_ID and SYNAPSE_BASE_URL fill the arguments."""
        monkeypatch.setenv("SYNAPSE_API_KEY", KEY)
        monkeypatch.setenv("SYNAPSE_WORKSPACE_ID", "ws_env")
        monkeypatch.setenv("SYNAPSE_BASE_URL", "http://127.0.0.1:8787/")
        seen: list[httpx.Request] = []
        handler = recording(seen)

        client = Synapse(
            http_client=httpx.Client(transport=httpx.MockTransport(handler))
        )
        client.track(external_id="u", event_name="e")
        assert str(seen[0].url) == "http://127.0.0.1:8787/v1/events"
        assert seen[0].headers["x-api-key"] == KEY
        assert seen[0].headers["x-workspace-id"] == "ws_env"

    def test_api_url_is_accepted_as_an_alias(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SYNAPSE_API_URL works when SYNAPSE_BASE_URL is unset."""
        monkeypatch.setenv("SYNAPSE_API_URL", "http://localhost:9000")
        assert Synapse(KEY, workspace_id="ws").base_url == "http://localhost:9000"

    def test_arguments_win_over_variables(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An explicit argument beats the environment."""
        monkeypatch.setenv("SYNAPSE_API_KEY", "psk_test_from_env")
        monkeypatch.setenv("SYNAPSE_BASE_URL", "http://env.invalid")
        client = Synapse(KEY, workspace_id="ws", base_url="http://arg.invalid")
        assert client.api_key == KEY
        assert client.base_url == "http://arg.invalid"

    def test_default_base_url(self) -> None:
        """Without any setting the production API is used."""
        assert (
            Synapse(KEY, workspace_id="ws").base_url == "https://synapse-api.pyrx.tech"
        )


class TestIdentity:
    @pytest.mark.parametrize(
        ("key", "environment"),
        [
            ("psk_test_abc", "test"),
            ("gck_test_abc", "test"),
            ("psk_live_abc", "live"),
            ("gck_live_abc", "live"),
            ("sk_abc", "unknown"),
        ],
    )
    def test_environment_comes_from_the_key_prefix(
        self, key: str, environment: str
    ) -> None:
        """.environment is test/live by prefix, else unknown."""
        assert Synapse(key, workspace_id="ws").environment == environment

    def test_repr_masks_the_key(self) -> None:
        """repr() shows the key's prefix only."""
        text = repr(Synapse(KEY, workspace_id="ws"))
        assert KEY not in text
        assert "psk_live_****" in text
        assert "config_tests" not in repr(AsyncSynapse(KEY, workspace_id="ws"))


class TestOptions:
    def test_with_options_shares_the_pool(self) -> None:
        """with_options() returns a client over the same httpx client, options changed."""
        seen: list[httpx.Request] = []
        handler = recording(seen)

        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = Synapse(
            KEY, workspace_id="ws", http_client=http, default_headers={"A": "1"}
        )
        other = client.with_options(
            workspace_id="ws_2", max_retries=7, default_headers={"B": "2"}
        )
        assert other._http is client._http
        assert other.max_retries == 7
        assert client.max_retries == 3
        other.track(external_id="u", event_name="e")
        assert seen[0].headers["x-workspace-id"] == "ws_2"
        assert (seen[0].headers["a"], seen[0].headers["b"]) == ("1", "2")

    def test_with_options_refuses_unknown_names(self) -> None:
        """A misspelt option is a TypeError, not silently ignored."""
        with pytest.raises(TypeError, match="max_retry"):
            Synapse(KEY, workspace_id="ws").with_options(max_retry=1)

    async def test_async_with_options(self) -> None:
        """AsyncSynapse.with_options shares its AsyncClient too."""
        client = AsyncSynapse(KEY, workspace_id="ws")
        other = client.with_options(timeout=5.0)
        assert other._http is client._http
        assert other.timeout == 5.0
        assert client.timeout == 30.0
        await client.close()

    def test_default_headers_cannot_replace_auth(self) -> None:
        """default_headers add headers but never override the key or workspace."""
        seen: list[httpx.Request] = []
        handler = recording(seen)

        http = httpx.Client(transport=httpx.MockTransport(handler))
        headers = {"X-Api-Key": "psk_test_other", "X-Trace": "t1"}
        Synapse(
            KEY, workspace_id="ws", http_client=http, default_headers=headers
        ).track(external_id="u", event_name="e")
        assert seen[0].headers["x-api-key"] == KEY
        assert seen[0].headers["x-trace"] == "t1"

    def test_retry_policy_and_max_retries(self) -> None:
        """max_retries overrides the policy's count; the rest of the policy is kept."""
        policy = RetryPolicy(initial_backoff=0.1, max_backoff=2.0)
        client = Synapse(KEY, workspace_id="ws", max_retries=5, retry_policy=policy)
        assert client.retry_policy == RetryPolicy(
            max_retries=5, initial_backoff=0.1, max_backoff=2.0
        )


class TestTimeouts:
    def test_explicit_timeout_applies_to_requests(self) -> None:
        """timeout= reaches every request, even over a caller's http_client."""
        seen: list[httpx.Request] = []
        handler = recording(seen)

        http = httpx.Client(transport=httpx.MockTransport(handler), timeout=99)
        Synapse(KEY, workspace_id="ws", http_client=http, timeout=4.5).track(
            external_id="u", event_name="e"
        )
        assert seen[0].extensions["timeout"]["read"] == 4.5

    def test_callers_http_client_keeps_its_timeout_by_default(self) -> None:
        """Without timeout=, a caller's http_client keeps its own timeout."""
        seen: list[httpx.Request] = []
        handler = recording(seen)

        http = httpx.Client(transport=httpx.MockTransport(handler), timeout=7)
        Synapse(KEY, workspace_id="ws", http_client=http).track(
            external_id="u", event_name="e"
        )
        assert seen[0].extensions["timeout"]["read"] == 7

    def test_with_options_keeps_timeout_not_given(self) -> None:
        """A copy made by with_options() still defers to the http_client's timeout."""
        seen: list[httpx.Request] = []
        handler = recording(seen)

        http = httpx.Client(transport=httpx.MockTransport(handler), timeout=7)
        client = Synapse(KEY, workspace_id="ws", http_client=http)
        client.with_options(max_retries=1).track(external_id="u", event_name="e")
        assert seen[0].extensions["timeout"]["read"] == 7

    def test_own_client_defaults_to_thirty_seconds(self) -> None:
        """The client the SDK creates waits 30 s by default."""
        client = Synapse(KEY, workspace_id="ws")
        assert client._http.timeout == httpx.Timeout(30.0)
        client.close()


class TestLifecycle:
    def test_context_manager_closes_its_own_pool(self) -> None:
        """Leaving ``with`` closes the httpx client the SDK created."""
        with Synapse(KEY, workspace_id="ws") as client:
            http = client._http
        assert http.is_closed

    def test_callers_http_client_is_left_open(self) -> None:
        """close() leaves a caller's http_client for the caller to close."""
        http = httpx.Client(transport=httpx.MockTransport(ok))
        with Synapse(KEY, workspace_id="ws", http_client=http):
            pass
        assert not http.is_closed

    async def test_async_context_manager_closes_its_own_pool(self) -> None:
        """Leaving ``async with`` closes the AsyncClient the SDK created, raw one too."""
        async with AsyncSynapse(KEY, workspace_id="ws") as client:
            http = client._http
            raw_http = client.raw.get_async_httpx_client()
        assert http.is_closed
        assert raw_http.is_closed

    def test_raw_client_is_built_once_and_closed(self) -> None:
        """client.raw is one generated Client; close() closes its httpx client."""
        client = Synapse(KEY, workspace_id="ws")
        assert client.raw is client.raw
        raw_http = client.raw.get_httpx_client()
        client.close()
        assert raw_http.is_closed
