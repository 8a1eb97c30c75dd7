"""``make bench``: what the SDK costs on top of plain httpx, measured side by side.

Each pair runs in one process, interleaved round by round, over the same
in-memory transport, so machine noise hits both sides alike. The figures are
medians. Targets: a call at most 1.10x plain httpx doing the same request and
JSON decoding, and ``import pyrx_synapse`` at most 1.25x ``import httpx``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
from pyrx_synapse import Synapse

KEY = "psk_test_benchmark"
WORKSPACE = "ws_bench"
BASE = "https://synapse-api.pyrx.tech"
ROUNDS = 31
CALLS_PER_ROUND = 200
IMPORT_RUNS = 21

TRACK_BODY = json.dumps({"event_id": "ev_1", "status": "accepted"}).encode()
CONTACT = {
    "id": "ct_0",
    "external_id": "user_0",
    "email": "user@example.com",
    "phone": None,
    "first_name": "Ada",
    "last_name": "Lovelace",
    "timezone": "Europe/London",
    "locale": "en",
    "properties": {"plan": "pro", "seats": 3},
    "tags": ["vip", "beta"],
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}
LIST_BODY = json.dumps(
    {
        "data": [
            {**CONTACT, "id": f"ct_{n}", "external_id": f"user_{n}"} for n in range(50)
        ],
        "meta": {"total": 50, "page": 1, "per_page": 50, "total_pages": 1},
    }
).encode()
JSON_HEADERS = {"content-type": "application/json", "x-request-id": "req_bench"}


def answer(request: httpx.Request) -> httpx.Response:
    body = TRACK_BODY if request.method == "POST" else LIST_BODY
    return httpx.Response(
        202 if request.method == "POST" else 200, content=body, headers=JSON_HEADERS
    )


def per_call_seconds(pair: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds per call of each function, rounds interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in pair}
    for function in pair.values():  # warm-up: caches, lazy imports
        for _ in range(50):
            function()
    for _ in range(ROUNDS):
        for name, function in pair.items():
            started = time.perf_counter()
            for _ in range(CALLS_PER_ROUND):
                function()
            samples[name].append((time.perf_counter() - started) / CALLS_PER_ROUND)
    return {name: statistics.median(values) for name, values in samples.items()}


def call_benchmarks() -> list[tuple[str, float, float, float | None]]:
    transport = httpx.MockTransport(answer)
    sdk = Synapse(
        KEY, workspace_id=WORKSPACE, http_client=httpx.Client(transport=transport)
    )
    plain = httpx.Client(
        transport=transport,
        headers={"X-Api-Key": KEY, "X-Workspace-Id": WORKSPACE},
        timeout=30.0,
    )
    event = {
        "external_id": "user_1",
        "event_name": "purchase",
        "attributes": {"amount": 9.5},
    }

    def plain_track() -> object:
        response = plain.post(f"{BASE}/v1/events", json=event)
        response.raise_for_status()
        return response.json()

    def plain_list() -> object:
        response = plain.get(f"{BASE}/v1/contacts", params={"per_page": 50})
        response.raise_for_status()
        return response.json()

    rows = []
    track = per_call_seconds(
        {"sdk": lambda: sdk.track(**event), "httpx": plain_track}  # type: ignore[arg-type]
    )
    rows.append(("track", track["sdk"], track["httpx"], 1.10))
    listing = per_call_seconds(
        {"sdk": lambda: sdk.contacts.list(per_page=50), "httpx": plain_list}
    )
    rows.append(("contacts.list (50)", listing["sdk"], listing["httpx"], 1.10))
    # Contacts decode their fields when first read; this row shows that cost
    # too, for information: it has no target.
    reading = per_call_seconds(
        {
            "sdk": lambda: [c.email for c in sdk.contacts.list(per_page=50).data],
            "httpx": lambda: [c["email"] for c in plain_list()["data"]],  # type: ignore[index]
        }
    )
    rows.append(("  + read each email", reading["sdk"], reading["httpx"], None))
    return rows


def import_seconds(module: str) -> float:
    code = (
        "import time; started = time.perf_counter(); "
        f"import {module}; print(time.perf_counter() - started)"
    )
    # The command is this interpreter and a fixed snippet, never outside input.
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return float(output)


def import_benchmark() -> tuple[str, float, float, float | None]:
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(IMPORT_RUNS):
        ours.append(import_seconds("pyrx_synapse"))
        theirs.append(import_seconds("httpx"))
    return ("import", statistics.median(ours), statistics.median(theirs), 1.25)


def main() -> int:
    rows = [*call_benchmarks(), import_benchmark()]
    print(f"{'measure':<20}{'pyrx_synapse':>14}{'httpx':>12}{'ratio':>8}{'target':>8}")
    over = 0
    for name, ours, theirs, target in rows:
        ratio = ours / theirs
        unit, scale = ("ms", 1e3) if name == "import" else ("us", 1e6)
        if target is None:
            goal, verdict = "     -", ""
        else:
            goal, verdict = f"{target:>6.2f}x", "ok" if ratio <= target else "OVER"
        over += verdict == "OVER"
        print(
            f"{name:<20}{ours * scale:>11.1f} {unit}{theirs * scale:>9.1f} {unit}"
            f"{ratio:>7.2f}x{goal}  {verdict}"
        )
    print(
        f"{ROUNDS} rounds x {CALLS_PER_ROUND} calls, {IMPORT_RUNS} fresh imports; medians"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
