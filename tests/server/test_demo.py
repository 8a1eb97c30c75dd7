"""examples/quickstart.py, the demo ``make demo`` runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pyrx_synapse import SynapseWebhookError
from pyrx_synapse._webhooks import sign_webhook

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"
STEPS = (
    "create template",
    "track event",
    "identify contact",
    "bulk identify 120 contacts",
    "send email",
    "list contacts, 25 per page",
    "preview template",
    "receive and verify webhooks",
)


def load_quickstart() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quickstart", QUICKSTART)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestQuickstart:
    def test_runs_every_step_and_exits_0(self):
        """The demo passes each step, reports it, and exits 0."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and file
            [sys.executable, str(QUICKSTART)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert done.returncode == 0, done.stdout + done.stderr
        for step in STEPS:
            assert f"ok   {step}:" in done.stdout
        assert "121 contacts over 5 pages of 25" in done.stdout
        assert "FAIL" not in done.stdout
        assert "Every step passed." in done.stdout

    def test_a_failing_step_is_reported_and_counted(self, capsys):
        """A step that raises prints FAIL with the reason and counts as a failure."""
        report = load_quickstart().Report()

        def broken() -> str:
            raise RuntimeError("server said no")

        report.step("broken step", broken)
        report.step("fine step", lambda: "fine")

        assert report.failures == 1
        output = capsys.readouterr().out
        assert "FAIL broken step: RuntimeError: server said no" in output
        assert "ok   fine step: fine" in output

    def test_webhook_check_rejects_a_forged_delivery(self):
        """A delivery signed with another secret fails the demo's webhook step."""
        body = b'{"type":"email.sent","timestamp":"2026-01-01T00:00:00Z","data":{}}'
        forged = sign_webhook(body, "whsec_" + "A" * 32)

        with pytest.raises(SynapseWebhookError):
            load_quickstart().verify_webhooks([(forged, body)], "whsec_" + "B" * 32)
