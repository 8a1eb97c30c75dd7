"""Logging: one line per retry, one per request at DEBUG, and never the API key."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from pyrx_synapse import (
    SynapseAuthError,
    SynapseConnectionError,
    SynapseError,
    SynapseTimeoutError,
    SynapseValidationError,
)
from pyrx_synapse import _logging as synapse_logging
from pyrx_synapse._transport import IDEMPOTENCY_HEADER

from pyrx_synapse_api.api.events import track_event
from pyrx_synapse_api.models import TrackEventRequest

from .conftest import FAKE_KEY, WORKSPACE_ID, MakeAsyncClient, MakeClient, Script

LOGGER = "pyrx_synapse"
SECRET_AUTH = "Bearer PLANTED_BEARER_TOKEN_42"


def accepted(**headers: str) -> httpx.Response:
    return httpx.Response(202, json={"event_id": "ev_1"}, headers=headers)


def failing(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"detail": "failed"}, headers=headers)


def package_records(
    caplog: pytest.LogCaptureFixture, level: int | None = None
) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name.startswith(LOGGER) and (level is None or record.levelno == level)
    ]


def record_texts(record: logging.LogRecord) -> list[str]:
    """Every form in which a record's content can reach a log sink."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [
        str(record.msg),
        repr(record.args),
        record.getMessage(),
        formatter.format(record),
    ]


def exception_texts(error: BaseException) -> list[str]:
    """str and repr of an error, of its cause, and of the cause's request headers."""
    texts = [str(error), repr(error)]
    cause = error.__cause__
    if cause is not None:
        texts += [str(cause), repr(cause)]
        request = getattr(cause, "request", None)
        if request is not None:
            texts += [repr(request), repr(request.headers), str(dict(request.headers))]
    return texts


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    return caplog


@pytest.fixture
def fresh_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    """The package logger as if SYNAPSE_LOG had never been read; restored after."""
    logger = logging.getLogger(LOGGER)
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(synapse_logging, "_configured", False)
    monkeypatch.delenv("SYNAPSE_LOG", raising=False)
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


class TestSecretNeverLogged:
    def test_key_absent_everywhere(
        self, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
    ) -> None:
        """Retries, auth, validation and connection failures never show the key."""
        errors: list[SynapseError] = []
        calls = [
            (Script(failing(503), failing(429, **{"Retry-After": "1"}), accepted()), 3),
            (Script(failing(401)), 3),
            (Script(failing(422)), 3),
            (Script(httpx.ConnectError), 1),
            (Script(httpx.ReadTimeout), 1),
        ]
        clients = []
        for script, retries in calls:
            client = make_client(
                script,
                max_retries=retries,
                default_headers={"Authorization": SECRET_AUTH},
            )
            clients.append(client)
            try:
                client.track(external_id="u", event_name="e")
            except SynapseError as exc:
                errors.append(exc)

        assert [type(e) for e in errors] == [
            SynapseAuthError,
            SynapseValidationError,
            SynapseConnectionError,
            SynapseTimeoutError,
        ]
        records = package_records(debug_logs)
        assert len(records) >= 8  # the run did log: 4 retries, 8 responses
        texts = [text for record in records for text in record_texts(record)]
        texts += [text for error in errors for text in exception_texts(error)]
        texts += [text for client in clients for text in (str(client), repr(client))]
        for text in texts:
            assert FAKE_KEY not in text
            assert SECRET_AUTH not in text

    def test_cause_request_redacted(self, make_client: MakeClient) -> None:
        """The httpx error kept as __cause__ holds a request with secrets redacted."""
        client = make_client(
            Script(httpx.ConnectError),
            max_retries=0,
            default_headers={"Authorization": SECRET_AUTH},
        )
        with pytest.raises(SynapseConnectionError) as caught:
            client.track(external_id="u", event_name="e")

        cause = caught.value.__cause__
        assert isinstance(cause, httpx.ConnectError)
        headers = cause.request.headers
        assert headers["x-api-key"] == "[redacted]"
        assert headers["authorization"] == "[redacted]"
        # Only the secrets go; the rest still helps whoever debugs the failure.
        assert headers["x-workspace-id"] == WORKSPACE_ID
        assert headers[IDEMPOTENCY_HEADER]
        assert cause.request.url.path == "/v1/events"

    async def test_async_key_absent(
        self,
        make_async_client: MakeAsyncClient,
        debug_logs: pytest.LogCaptureFixture,
    ) -> None:
        """AsyncSynapse keeps the key out of its logs and its errors too."""
        retried = make_async_client(Script(failing(502), accepted()))
        await retried.track(external_id="u", event_name="e")
        broken = make_async_client(Script(httpx.ReadError), max_retries=1)
        with pytest.raises(SynapseConnectionError) as caught:
            await broken.track(external_id="u", event_name="e")

        cause = caught.value.__cause__
        assert isinstance(cause, httpx.ReadError)
        assert cause.request.headers["x-api-key"] == "[redacted]"
        records = package_records(debug_logs)
        assert records
        texts = [text for record in records for text in record_texts(record)]
        texts += [*exception_texts(caught.value), repr(retried), repr(broken)]
        for text in texts:
            assert FAKE_KEY not in text

    def test_raw_client_error_redacted(
        self, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
    ) -> None:
        """A raw-client call that fails to connect keeps the key out of its error."""
        client = make_client(Script(httpx.ConnectError), max_retries=1)
        with pytest.raises(SynapseConnectionError) as caught:
            track_event.sync_detailed(
                client=client.raw,
                body=TrackEventRequest(external_id="u", event_name="e"),
            )

        cause = caught.value.__cause__
        assert isinstance(cause, httpx.ConnectError)
        assert cause.request.headers["x-api-key"] == "[redacted]"
        for text in exception_texts(caught.value):
            assert FAKE_KEY not in text
        for record in package_records(debug_logs):
            for text in record_texts(record):
                assert FAKE_KEY not in text

    def test_unknown_key_fully_masked(self, make_client: MakeClient) -> None:
        """A key without a known prefix shows no characters at all in repr."""
        client = make_client(Script(accepted()), api_key="sk_custom_SECRET_99")

        assert "SECRET_99" not in repr(client)
        assert "'****'" in repr(client)
        assert "'****'" in repr(client._config)


class TestRetryLog:
    def test_one_info_line_per_retry(
        self,
        make_client: MakeClient,
        sleeps: list[float],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Each retry logs exactly one INFO line with the attempt and backoff."""
        caplog.set_level(logging.INFO, logger=LOGGER)
        script = Script(failing(503), failing(503), accepted())
        make_client(script).track(external_id="u", event_name="e")

        lines = [r.getMessage() for r in package_records(caplog, logging.INFO)]
        assert len(lines) == 2
        assert "attempt 2 of 4" in lines[0]
        assert "attempt 3 of 4" in lines[1]
        for line, backoff in zip(lines, sleeps, strict=True):
            assert line.startswith("Retrying POST /v1/events after status 503")
            assert f"backoff {backoff:.2f} s" in line
        assert package_records(caplog, logging.DEBUG) == []

    def test_connection_error_reason(
        self, make_client: MakeClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A retry after a connection failure names the failure's kind."""
        caplog.set_level(logging.INFO, logger=LOGGER)
        script = Script(httpx.ConnectError, accepted())
        make_client(script, max_retries=1).track(external_id="u", event_name="e")

        (line,) = [r.getMessage() for r in package_records(caplog, logging.INFO)]
        assert "after ConnectError" in line
        assert "attempt 2 of 2" in line

    def test_retry_after_backoff_logged(
        self, make_client: MakeClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The logged backoff is the Retry-After wait when the server gave one."""
        caplog.set_level(logging.INFO, logger=LOGGER)
        script = Script(failing(429, **{"Retry-After": "2"}), accepted())
        make_client(script).track(external_id="u", event_name="e")

        (line,) = [r.getMessage() for r in package_records(caplog, logging.INFO)]
        assert "status 429" in line
        assert "backoff 2.00 s" in line

    async def test_async_one_info_line_per_retry(
        self,
        make_async_client: MakeAsyncClient,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """AsyncSynapse logs its retries the same way."""
        caplog.set_level(logging.INFO, logger=LOGGER)
        script = Script(failing(500), accepted())
        await make_async_client(script).track(external_id="u", event_name="e")

        (line,) = [r.getMessage() for r in package_records(caplog, logging.INFO)]
        assert "attempt 2 of 4" in line

    def test_no_retry_no_info_line(
        self, make_client: MakeClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A call that succeeds at once, or fails for good, logs no retry line."""
        caplog.set_level(logging.INFO, logger=LOGGER)
        client = make_client(Script(accepted(), failing(404)))
        client.track(external_id="u", event_name="e")
        with pytest.raises(SynapseError):
            client.track(external_id="u", event_name="e")

        assert package_records(caplog) == []


class TestRequestLog:
    def test_debug_line_per_request(
        self, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
    ) -> None:
        """At DEBUG each request logs method, path, status and request id."""
        script = Script(failing(503), accepted(**{"x-request-id": "req_7"}))
        make_client(script).track(external_id="u", event_name="e")

        lines = [r.getMessage() for r in package_records(debug_logs, logging.DEBUG)]
        assert len(lines) == 2
        assert lines[0].startswith("POST /v1/events -> 503 in ")
        assert lines[0].endswith("(request id -)")
        assert lines[1].startswith("POST /v1/events -> 202 in ")
        assert lines[1].endswith("(request id req_7)")

    def test_debug_line_has_no_header_values(
        self, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
    ) -> None:
        """The per-request line holds no header value: key, workspace, agent, key."""
        script = Script(accepted())
        make_client(script, default_headers={"X-Tenant": "tenant_secret"}).track(
            external_id="u", event_name="e"
        )

        request = script.requests[0]
        (line,) = [r.getMessage() for r in package_records(debug_logs)]
        for value in (
            FAKE_KEY,
            WORKSPACE_ID,
            "tenant_secret",
            request.headers["User-Agent"],
            request.headers[IDEMPOTENCY_HEADER],
        ):
            assert value not in line

    def test_get_path_without_query(
        self, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
    ) -> None:
        """A GET logs its path but not its query string, which may hold search text."""
        script = Script(httpx.Response(200, json={"data": [], "meta": {}}))
        make_client(script).contacts.list(search="ada@example.com")

        (line,) = [r.getMessage() for r in package_records(debug_logs)]
        assert line.startswith("GET /v1/contacts -> 200")
        assert "ada@example.com" not in line


class TestConfigureFromEnv:
    def test_null_handler_by_default(self) -> None:
        """The package logger has a NullHandler: an unconfigured app sees nothing."""
        handlers = logging.getLogger(LOGGER).handlers

        assert any(isinstance(h, logging.NullHandler) for h in handlers)

    @pytest.mark.parametrize(
        ("value", "level"),
        [("debug", logging.DEBUG), ("info", logging.INFO), (" DEBUG ", logging.DEBUG)],
    )
    def test_turns_logger_on(
        self,
        fresh_logging: logging.Logger,
        monkeypatch: pytest.MonkeyPatch,
        value: str,
        level: int,
    ) -> None:
        """SYNAPSE_LOG=debug or info sets the level and adds a stream handler."""
        before = list(fresh_logging.handlers)
        monkeypatch.setenv("SYNAPSE_LOG", value)
        synapse_logging.configure_from_env()

        added = [h for h in fresh_logging.handlers if h not in before]
        assert fresh_logging.level == level
        assert len(added) == 1
        assert isinstance(added[0], logging.StreamHandler)

    @pytest.mark.parametrize("value", [None, "", "verbose"])
    def test_other_values_do_nothing(
        self,
        fresh_logging: logging.Logger,
        monkeypatch: pytest.MonkeyPatch,
        value: str | None,
    ) -> None:
        """SYNAPSE_LOG unset, empty or unknown leaves the logger as it was."""
        if value is not None:
            monkeypatch.setenv("SYNAPSE_LOG", value)
        before, level = list(fresh_logging.handlers), fresh_logging.level
        synapse_logging.configure_from_env()

        assert fresh_logging.handlers == before
        assert fresh_logging.level == level

    def test_runs_once(
        self, fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Only the first call reads SYNAPSE_LOG; later ones change nothing."""
        before = list(fresh_logging.handlers)
        monkeypatch.setenv("SYNAPSE_LOG", "debug")
        synapse_logging.configure_from_env()
        monkeypatch.setenv("SYNAPSE_LOG", "info")
        synapse_logging.configure_from_env()

        assert fresh_logging.level == logging.DEBUG
        assert len(fresh_logging.handlers) == len(before) + 1

    def test_client_applies_env(
        self,
        fresh_logging: logging.Logger,
        monkeypatch: pytest.MonkeyPatch,
        make_client: MakeClient,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Creating a client applies SYNAPSE_LOG; retry lines then reach stderr."""
        monkeypatch.setenv("SYNAPSE_LOG", "info")
        client = make_client(Script(failing(503), accepted()))
        client.track(external_id="u", event_name="e")

        assert fresh_logging.level == logging.INFO
        err = capsys.readouterr().err
        assert "pyrx_synapse INFO] Retrying POST /v1/events" in err
        assert FAKE_KEY not in err
