"""synapse-dev-server: its flags, and the real command run as a subprocess."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import httpx
import pytest
from pyrx_synapse import verify_webhook
from pyrx_synapse.server import FaultConfig, WebhookEndpoint
from pyrx_synapse.server.__main__ import build_parser, config_from_args, main

from . import conftest_integration as harness

receiver = harness.receiver

REPO = Path(__file__).resolve().parents[2]
LEGACY_SCRIPT = REPO / "examples" / "legacy_script.py"
CONSOLE_SCRIPT = Path(sys.executable).with_name("synapse-dev-server")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class ServerProcess:
    """``synapse-dev-server`` in a subprocess, with what its banner announced."""

    def __init__(self, *flags: str) -> None:
        command = [str(CONSOLE_SCRIPT)]
        if not CONSOLE_SCRIPT.exists():
            command = [sys.executable, "-m", "pyrx_synapse.server"]
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [*command, "--port", "0", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        assert self.process.stdout is not None
        self._pump_thread = threading.Thread(
            target=self._pump, args=(self.process.stdout,), daemon=True
        )
        self._pump_thread.start()
        self.env = self._read_banner()

    def _pump(self, stream: Iterable[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put("")  # end of output

    def _read_banner(self) -> dict[str, str]:
        found: dict[str, str] = {}
        while "SYNAPSE_WORKSPACE_ID" not in found:
            try:
                line = self.lines.get(timeout=harness.WAIT)
            except queue.Empty:
                line = ""
            if not line:
                self.stop()
                pytest.fail(f"no banner in {self.output}; stderr: {self.stderr}")
            self.output.append(line)
            match = re.search(r"(SYNAPSE_\w+)=(\S+)", line)
            if match:
                found[match.group(1)] = match.group(2)
        return found

    def banner_value(self, label: str) -> str:
        """The text after ``label`` on the banner line that starts with it."""
        self._drain(until="Press Ctrl+C")
        for line in self.output:
            if line.strip().startswith(label):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"{label!r} not in {self.output}")

    def _drain(self, until: str) -> None:
        while not any(until in line for line in self.output):
            line = self.lines.get(timeout=harness.WAIT)
            if not line:
                raise AssertionError(f"{until!r} never printed: {self.output}")
            self.output.append(line)

    @property
    def url(self) -> str:
        return self.env["SYNAPSE_BASE_URL"]

    @property
    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def get(self, path: str) -> httpx.Response:
        headers = {
            "X-Api-Key": self.env["SYNAPSE_API_KEY"],
            "X-Workspace-Id": self.env["SYNAPSE_WORKSPACE_ID"],
        }
        return httpx.get(self.url + path, headers=headers, timeout=harness.WAIT)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Send ``signum`` and return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            status = self.process.wait(harness.WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self._pump_thread.join(harness.WAIT)
        return status

    def close(self) -> None:
        self.stop()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def start():
    started: list[ServerProcess] = []

    def run(*flags: str) -> ServerProcess:
        server = ServerProcess(*flags)
        started.append(server)
        return server

    yield run
    for server in started:
        server.close()


def run_python(
    args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and files
        [sys.executable, *args],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class TestServedCommand:
    def test_banner_creates_and_prints_a_working_key(self, start):
        """Without --api-key a psk_test_ key is made, printed, and accepted."""
        server = start()

        assert server.env["SYNAPSE_API_KEY"].startswith("psk_test_")
        assert server.env["SYNAPSE_WORKSPACE_ID"] == "ws_local"
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
        assert httpx.get(server.url + "/_dev/health").json() == {"status": "ok"}
        assert server.get("/v1/contacts").status_code == 200

    def test_legacy_script_runs_with_only_the_three_variables(self, start):
        """A 0.1.x-style script reads the printed variables and its writes land."""
        server = start("--api-key", "psk_test_cli", "--workspace-id", "ws_cli")

        done = run_python([str(LEGACY_SCRIPT)], server.env)

        assert done.returncode == 0, done.stderr
        assert "sent" in done.stdout
        contact = server.get("/v1/contacts/legacy_user").json()
        assert contact["email"] == "legacy@example.com"
        events = server.get("/_dev/events").json()
        events = events["data"] if isinstance(events, dict) else events
        assert [e["event_name"] for e in events] == ["order_shipped"]
        outbox = server.get("/_dev/outbox").json()
        outbox = outbox["data"] if isinstance(outbox, dict) else outbox
        assert outbox[0]["subject"] == "Your order A-100 is on its way"

    def test_client_reads_the_variables_by_itself(self, start):
        """Synapse() with no arguments finds the server from the environment."""
        server = start()
        snippet = (
            "from pyrx_synapse import Synapse\n"
            "with Synapse() as client:\n"
            "    client.identify(external_id='from_env')\n"
        )

        done = run_python(["-c", snippet], server.env)

        assert done.returncode == 0, done.stderr
        assert server.get("/v1/contacts/from_env").status_code == 200

    def test_db_keeps_state_across_a_restart(self, start, tmp_path):
        """With --db, a contact written before a restart is there after it."""
        flags = ("--api-key", "psk_test_db", "--db", str(tmp_path / "state.db"))
        first = start(*flags)
        snippet = (
            "from pyrx_synapse import Synapse\nSynapse().identify(external_id='kept')"
        )
        assert run_python(["-c", snippet], first.env).returncode == 0
        assert first.stop() == 0

        second = start(*flags)

        assert second.get("/v1/contacts/kept").status_code == 200

    def test_without_db_a_restart_starts_empty(self, start):
        """Without --db nothing survives a restart."""
        first = start("--api-key", "psk_test_mem")
        httpx.post(
            first.url + "/v1/contacts",
            json={"external_id": "lost"},
            headers={"X-Api-Key": "psk_test_mem", "X-Workspace-Id": "ws_local"},
        ).raise_for_status()
        first.stop()

        second = start("--api-key", "psk_test_mem")

        assert second.get("/v1/contacts/lost").status_code == 404

    @pytest.mark.parametrize(
        "signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"]
    )
    def test_a_signal_stops_it_cleanly(self, start, signum):
        """SIGTERM and SIGINT end the server with status 0 and a goodbye line."""
        server = start()

        status = server.stop(signum)

        assert status == 0
        assert "Stopped." in "".join(server.output) + _rest(server)

    def test_webhook_flag_delivers_with_the_printed_secret(self, start, receiver):
        """--webhook without a secret prints one that verifies the deliveries."""
        server = start("--api-key", "psk_test_hooks", "--webhook", receiver.url)
        secret = server.banner_value("Webhook secret")

        httpx.post(
            server.url + "/v1/contacts",
            json={"external_id": "hooked"},
            headers={"X-Api-Key": "psk_test_hooks", "X-Workspace-Id": "ws_local"},
        ).raise_for_status()

        assert receiver.wait_for(1)
        payload = verify_webhook(
            receiver.received[0].body, receiver.received[0].headers, secret
        )
        assert payload["type"] == "contact.created"


def _rest(server: ServerProcess) -> str:
    text = ""
    while not server.lines.empty():
        text += server.lines.get_nowait()
    return text


class TestFlags:
    def parse(self, *argv: str):
        args = build_parser().parse_args(argv)
        args.api_keys = args.api_keys or ["psk_test_x"]
        return args

    def test_defaults(self):
        """Without flags: loopback, port 8787, ws_local, no faults or limits."""
        args = self.parse()
        config = config_from_args(args)

        assert (args.host, args.port) == ("127.0.0.1", 8787)
        assert dict(config.api_keys) == {"psk_test_x": "ws_local"}
        assert config.db_path is None
        assert config.faults.rate == 0.0
        assert dict(config.limits) == {}
        assert config.rate_limit_per_minute is None

    def test_every_flag_reaches_the_config(self):
        """Each flag lands in the matching ServerConfig field."""
        args = self.parse(
            "--api-key", "k1", "--api-key", "k2", "--workspace-id", "ws_9",
            "--db", "s.db", "--webhook", "http://127.0.0.1:9/a",
            "--webhook-secret", SECRET, "--fault-rate", "0.25",
            "--fault-kinds", "500,drop", "--fault-seed", "3", "--fault-delay", "0.5",
            "--rate-limit", "60", "--limit", "contacts=10", "--limit", "templates=2",
            "--plan", "starter", "--max-body-bytes", "2048",
        )  # fmt: skip

        config = config_from_args(args)

        assert dict(config.api_keys) == {"k1": "ws_9", "k2": "ws_9"}
        assert config.db_path == "s.db"
        assert config.webhooks == (WebhookEndpoint("http://127.0.0.1:9/a", SECRET),)
        assert config.faults == FaultConfig(
            rate=0.25, kinds=("500", "drop"), seed=3, delay_seconds=0.5
        )
        assert config.rate_limit_per_minute == 60
        assert dict(config.limits) == {"contacts": 10, "templates": 2}
        assert (config.plan, config.max_body_bytes) == ("starter", 2048)

    @pytest.mark.parametrize(
        ("argv", "complaint"),
        [
            (["--port", "70000"], "not a port"),
            (["--port", "eighty"], "not a whole number"),
            (["--fault-rate", "1.5"], "between 0 and 1"),
            (["--fault-rate", "nan"], "seconds"),
            (["--fault-kinds", "500,teapot"], "comma-separated"),
            (["--fault-delay", "-1"], "seconds"),
            (["--limit", "seats=3"], "NAME=N"),
            (["--limit", "contacts"], "NAME=N"),
            (["--limit", "contacts=-1"], "below 0"),
            (["--rate-limit", "0"], "below 1"),
            (["--max-body-bytes", "0"], "below 1"),
            (["--webhook", "ftp://x"], "http(s) URL"),
            (["--webhook-secret", "whsec_%%%"], "base64"),
            (["--api-key", "two words"], "API key"),
        ],
    )
    def test_bad_values_exit_2_with_a_reason(self, argv, complaint, capsys):
        """A bad flag value stops before serving: exit status 2 and why."""
        with pytest.raises(SystemExit) as stopped:
            main(argv)

        assert stopped.value.code == 2
        assert complaint in capsys.readouterr().err

    def test_a_busy_port_is_a_clear_error(self, capsys):
        """A port already taken ends with status 1 and a message, not a traceback."""
        with harness.start_server(harness.server_config()) as busy:
            port = busy.url.rsplit(":", 1)[1]
            status = main(["--port", port])

        assert status == 1
        assert "cannot start" in capsys.readouterr().err
