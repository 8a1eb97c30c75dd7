"""``synapse-dev-server``: run the local Synapse server in the foreground.

It prints the URL and the environment variables a client needs, serves until
SIGINT or SIGTERM, then exits 0. ``--help`` lists every option.
"""

from __future__ import annotations

import argparse
import base64
import logging
import secrets
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TextIO
from urllib.parse import urlsplit

from .._errors import SynapseWebhookError
from .._webhooks import sign_webhook
from . import RunningServer, run_server
from ._config import FaultConfig, ServerConfig, WebhookEndpoint

__all__ = ["build_parser", "config_from_args", "main"]

_FAULT_KINDS = ("500", "502", "503", "429", "drop", "delay")
_LIMIT_NAMES = ("contacts", "templates", "events_per_month", "emails_per_month")
_PROG = "synapse-dev-server"


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            message = f"{text!r} is not a whole number"
            raise argparse.ArgumentTypeError(message) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} is below {minimum}")
        return value

    return parse


def _port(text: str) -> int:
    value = _int_at_least(0)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds >= 0")
    return value


def _rate(text: str) -> float:
    value = _seconds(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share between 0 and 1")
    return value


def _fault_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(kind.strip() for kind in text.split(",") if kind.strip())
    unknown = [kind for kind in kinds if kind not in _FAULT_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"{text!r} must be a comma-separated list of {','.join(_FAULT_KINDS)}"
        )
    return kinds


def _limit(text: str) -> tuple[str, int]:
    name, sep, number = text.partition("=")
    if not sep or name.strip() not in _LIMIT_NAMES:
        raise argparse.ArgumentTypeError(
            f"{text!r} must be NAME=N with NAME one of {', '.join(_LIMIT_NAMES)}"
        )
    return name.strip(), _int_at_least(0)(number.strip())


def _webhook_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL")
    return text


def _webhook_secret(text: str) -> str:
    try:
        sign_webhook(b"{}", text)
    except SynapseWebhookError:
        raise argparse.ArgumentTypeError(
            "the webhook secret must be 'whsec_' followed by base64 key bytes"
        ) from None
    return text


def _api_key(text: str) -> str:
    if not text.strip() or any(ch.isspace() for ch in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a usable API key")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``synapse-dev-server``."""
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Run a local, stateful PYRX Synapse API server for development.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    add("--port", type=_port, default=8787, help="port (default 8787; 0: any free)")
    add(
        "--api-key",
        dest="api_keys",
        action="append",
        type=_api_key,
        metavar="KEY",
        help="an accepted API key; repeat for several (default: one is created)",
    )
    add("--workspace-id", default="ws_local", help="workspace of the API keys")
    add("--db", metavar="FILE", help="SQLite file that keeps state across restarts")
    add(
        "--webhook",
        dest="webhooks",
        action="append",
        type=_webhook_url,
        metavar="URL",
        help="send every webhook event to URL; repeat for several",
    )
    add(
        "--webhook-secret",
        type=_webhook_secret,
        metavar="SECRET",
        help="whsec_... secret that signs webhooks (default: one is created)",
    )
    add(
        "--fault-rate",
        type=_rate,
        default=0.0,
        metavar="SHARE",
        help="share of API requests to fail on purpose, 0 to 1 (default 0)",
    )
    add(
        "--fault-kinds",
        type=_fault_kinds,
        default=_FAULT_KINDS,
        metavar="KINDS",
        help=f"comma-separated faults to inject (default {','.join(_FAULT_KINDS)})",
    )
    add("--fault-seed", type=int, default=0, metavar="N", help="fault sequence seed")
    add(
        "--fault-delay",
        type=_seconds,
        default=2.0,
        metavar="SECONDS",
        help="how long a delay fault holds a request (default 2)",
    )
    add("--rate-limit", type=_int_at_least(1), metavar="N", help="requests/min/key")
    add(
        "--limit",
        dest="limits",
        action="append",
        type=_limit,
        metavar="NAME=N",
        help=f"plan limit; NAME is one of {', '.join(_LIMIT_NAMES)}",
    )
    add("--plan", default="dev", help="plan name reported with plan limits")
    add(
        "--max-body-bytes",
        type=_int_at_least(1),
        default=1_048_576,
        metavar="N",
        help="largest request body accepted (default 1 MiB)",
    )
    add("--log-requests", action="store_true", help="log each request to stderr")
    return parser


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """Turn parsed arguments (with api_keys and secret filled in) into a config."""
    endpoints = tuple(
        WebhookEndpoint(url=url, secret=args.webhook_secret)
        for url in args.webhooks or ()
    )
    faults = FaultConfig(
        rate=args.fault_rate,
        kinds=args.fault_kinds,
        seed=args.fault_seed,
        delay_seconds=args.fault_delay,
    )
    return ServerConfig(
        api_keys=dict.fromkeys(args.api_keys, args.workspace_id),
        db_path=args.db,
        max_body_bytes=args.max_body_bytes,
        plan=args.plan,
        limits=dict(args.limits or ()),
        rate_limit_per_minute=args.rate_limit,
        webhooks=endpoints,
        faults=faults,
    )


def _banner(server: RunningServer, args: argparse.Namespace) -> str:
    lines = [
        f"Synapse dev server listening on {server.url}",
        "",
        "Point a client at it with:",
        f"  export SYNAPSE_BASE_URL={server.url}",
        f"  export SYNAPSE_API_KEY={server.api_key}",
        f"  export SYNAPSE_WORKSPACE_ID={server.workspace_id}",
    ]
    more_keys = list(server.config.api_keys)[1:]
    if more_keys:
        lines.append(f"Other accepted API keys: {', '.join(more_keys)}")
    if args.webhooks:
        lines += ["", f"Webhooks go to: {', '.join(args.webhooks)}"]
        lines.append(f"Webhook secret: {args.webhook_secret}")
    if args.db:
        lines.append(f"State is kept in {args.db}")
    if args.limits:
        limits = ", ".join(f"{name}={value}" for name, value in args.limits)
        lines.append(f"Plan {args.plan!r} limits: {limits}")
    if args.rate_limit:
        lines.append(f"Rate limit: {args.rate_limit} requests per minute per key")
    if args.fault_rate:
        lines.append(f"Injecting faults in {args.fault_rate:.0%} of API requests")
    lines += ["", "Press Ctrl+C to stop."]
    return "\n".join(lines)


@contextmanager
def _server_logs_on_stderr() -> Iterator[None]:
    # Webhook retries and failures are logged at INFO; someone running the
    # dev server wants to see them on the terminal.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    server_logger = logging.getLogger("pyrx_synapse.server")
    level = server_logger.level
    server_logger.addHandler(handler)
    server_logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        server_logger.removeHandler(handler)
        server_logger.setLevel(level)


def _serve(args: argparse.Namespace, out: TextIO) -> None:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    with (
        _server_logs_on_stderr(),
        run_server(
            config_from_args(args),
            host=args.host,
            port=args.port,
            log_requests=args.log_requests,
        ) as server,
    ):
        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            print(_banner(server, args), file=out, flush=True)
            # A bounded wait keeps the main thread coming back to the
            # interpreter, which is where signal handlers run.
            while not stop.wait(0.5):
                pass
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
    print("Stopped.", file=out, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, serve until SIGINT or SIGTERM and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.api_keys:
        args.api_keys = ["psk_test_" + secrets.token_urlsafe(18)]
    if args.webhooks and not args.webhook_secret:
        args.webhook_secret = "whsec_" + base64.b64encode(
            secrets.token_bytes(24)
        ).decode("ascii")
    try:
        _serve(args, sys.stdout)
    except (OSError, sqlite3.Error) as exc:
        print(f"{_PROG}: cannot start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Ctrl+C before the handlers were installed: run_server has cleaned up.
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
