"""The SDK end to end in a few seconds, against a local Synapse on this machine.

It starts the local server (``pyrx_synapse.server``) and a small webhook
receiver, both on free loopback ports, then walks through the main calls and
checks the signed webhooks they cause. Nothing leaves the machine. Run it with
``make demo`` or ``python examples/quickstart.py``; it exits 1 if a step fails.
"""

from __future__ import annotations

import base64
import math
import secrets
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pyrx_synapse import (
    IdentifyParams,
    Synapse,
    TemplateCreateParams,
    verify_webhook,
)
from pyrx_synapse.server import ServerConfig, WebhookEndpoint, run_server

BULK_CONTACTS = 120
PER_PAGE = 25
TEMPLATE: TemplateCreateParams = {
    "name": "Welcome",
    "slug": "welcome",
    "subject": "Welcome aboard, {{ contact.first_name }}!",
    "body_html": (
        "<h1>Hi {{ contact.first_name }}</h1>"
        "<p>Thanks for joining the {{ plan }} plan.</p>"
    ),
    "sender_name": "Acme",
    "from_email": "hello@acme.example",
}


class WebhookReceiver:
    """A loopback endpoint that keeps every webhook POSTed to it."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.received.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the report below says what arrived

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhooks"
        # A short poll interval lets shutdown() return quickly.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Report:
    """Runs the steps, printing one line for each; remembers whether any failed."""

    def __init__(self) -> None:
        self.failures = 0

    def step(self, title: str, action: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            outcome = action()
        except Exception as exc:
            self.failures += 1
            print(f"  FAIL {title}: {type(exc).__name__}: {exc}")
            return
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  ok   {title}: {outcome} ({elapsed:.0f} ms)")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def run_steps(client: Synapse, report: Report) -> None:
    def create_template() -> str:
        template = client.templates.create(TEMPLATE)
        return f"slug {template.slug!r}, id {template.id}"

    def track() -> str:
        event = client.track(
            external_id="ada", event_name="signed_up", attributes={"plan": "pro"}
        )
        check(event.status == "accepted", f"status {event.status}")
        return f"event {event.event_id} {event.status}"

    def identify() -> str:
        contact = client.identify(
            external_id="ada",
            email="ada@example.com",
            first_name="Ada",
            tags=["early-adopter"],
        )
        return f"contact {contact.id} <{contact.email}> tags {contact.tags}"

    def bulk_identify() -> str:
        rows: list[IdentifyParams] = [
            {"external_id": f"user_{i:03d}", "email": f"user{i}@example.com"}
            for i in range(BULK_CONTACTS)
        ]
        result = client.identify_batch(contacts=rows)
        check(result.created == BULK_CONTACTS, f"created {result.created}")
        return (
            f"{result.total} rows: {result.created} created, {result.updated} updated"
        )

    def send() -> str:
        email = client.send(
            template_slug="welcome",
            to={"user_id": "ada", "email": "ada@example.com", "first_name": "Ada"},
            attributes={"plan": "Pro"},
        )
        check(email.status == "queued", f"status {email.status}")
        return f"email {email.email_log_id} {email.status}"

    def list_all() -> str:
        count = sum(1 for _ in client.contacts.iter(per_page=PER_PAGE))
        expected = BULK_CONTACTS + 1
        check(count == expected, f"counted {count}, expected {expected}")
        pages = math.ceil(count / PER_PAGE)
        return f"{count} contacts over {pages} pages of {PER_PAGE}"

    def preview() -> str:
        rendered = client.templates.preview(
            "welcome", {"contact": {"first_name": "<Grace>"}, "event": {}}
        )
        check("&lt;Grace&gt;" in (rendered.html or ""), "HTML was not escaped")
        return f"subject {rendered.subject!r}"

    report.step("create template", create_template)
    report.step("track event", track)
    report.step("identify contact", identify)
    report.step(f"bulk identify {BULK_CONTACTS} contacts", bulk_identify)
    report.step("send email", send)
    report.step(f"list contacts, {PER_PAGE} per page", list_all)
    report.step("preview template", preview)


def verify_webhooks(received: list[tuple[dict[str, str], bytes]], secret: str) -> str:
    counts: dict[str, int] = {}
    for headers, body in received:
        payload = verify_webhook(body, headers, secret)
        counts[payload["type"]] = counts.get(payload["type"], 0) + 1
    for wanted in ("contact.created", "event.ingested", "email.sent"):
        check(wanted in counts, f"no {wanted} webhook arrived")
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    return f"{len(received)} verified ({summary})"


def main() -> int:
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    api_key = "psk_test_" + secrets.token_hex(8)
    report = Report()
    with WebhookReceiver() as receiver:
        config = ServerConfig(
            api_keys={api_key: "ws_demo"},
            webhooks=(WebhookEndpoint(url=receiver.url, secret=secret),),
        )
        with run_server(config, webhook_backoff_base=0.05) as server:
            print(f"Local Synapse on {server.url}, webhooks to {receiver.url}\n")
            with Synapse(
                server.api_key, workspace_id=server.workspace_id, base_url=server.url
            ) as client:
                run_steps(client, report)

            def webhooks() -> str:
                check(server.dispatcher.flush(10.0), "webhooks still pending")
                return verify_webhooks(receiver.received, secret)

            report.step("receive and verify webhooks", webhooks)
    if report.failures:
        print(f"\n{report.failures} step(s) failed.")
        return 1
    print("\nEvery step passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
