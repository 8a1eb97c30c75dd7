"""Signing and verification of Synapse webhooks.

Synapse signs every delivery with the scheme Svix uses, also published as
Standard Webhooks:

- An endpoint secret reads ``whsec_`` followed by the base64 of the key bytes.
  The base64 text on its own, without the prefix, is accepted as well.
- Three headers travel with the body: ``svix-id`` names the message,
  ``svix-timestamp`` holds whole seconds since the Unix epoch, and
  ``svix-signature`` holds the signatures. The ``webhook-id``,
  ``webhook-timestamp`` and ``webhook-signature`` names carry the same values.
- The bytes that get signed are the id, a dot, the timestamp, a dot and then
  the body exactly as it went over the wire. Parsing the JSON and dumping it
  again would change those bytes, so verification needs the raw body.
- A signature is ``v1,`` and the base64 HMAC-SHA256 of those bytes under the
  key. During a secret rotation the header lists several, separated by spaces;
  one ``v1`` entry that matches is enough, and entries of other versions are
  skipped.
- The timestamp must lie within ``tolerance`` seconds of the receiver's clock,
  in either direction, which limits how long a captured delivery can be
  replayed.

Whatever goes wrong, verify_webhook and sign_webhook raise SynapseWebhookError
with a message naming the check that failed. The secret never appears in it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from ._errors import SynapseWebhookError

__all__ = ["sign_webhook", "verify_webhook"]

_SECRET_PREFIX = "whsec_"  # noqa: S105 - a format marker, not a secret
_VERSION = "v1"
# Each tuple lists the Svix spelling first: it is what Synapse sends, and it wins
# when a request carries both spellings.
_ID_HEADERS = ("svix-id", "webhook-id")
_TIMESTAMP_HEADERS = ("svix-timestamp", "webhook-timestamp")
_SIGNATURE_HEADERS = ("svix-signature", "webhook-signature")
_KNOWN_HEADERS = frozenset(_ID_HEADERS + _TIMESTAMP_HEADERS + _SIGNATURE_HEADERS)
# Twelve digits reach far past any real clock; the cap stops a hostile header
# from becoming an enormous integer.
_MAX_SECONDS = 999_999_999_999
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# A message id becomes a header value, so no spaces or control characters.
_MSG_ID = re.compile(r"[!-~]+")


def verify_webhook(
    payload: bytes | str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    secret: str,
    *,
    tolerance: int = 300,
    disable_timestamp_check: bool = False,
) -> dict[str, Any]:
    """Check a delivery's signature and timestamp, then return its JSON object.

    Pass the body exactly as received. ``headers`` may be a dict, a mapping such
    as httpx.Headers, or (name, value) pairs; names match in any case.
    """
    key = _decode_secret(secret)
    body = _payload_bytes(payload)
    _check_options(tolerance, disable_timestamp_check)

    found = _collect_headers(headers)
    msg_id = _required(found, _ID_HEADERS)
    timestamp = _required(found, _TIMESTAMP_HEADERS)
    signatures = _required(found, _SIGNATURE_HEADERS)

    seconds = _parse_timestamp(timestamp)
    if not disable_timestamp_check:
        _check_window(seconds, tolerance)
    _match_signature(_signature(key, msg_id, timestamp, body), signatures)
    return _parse_object(body)


def sign_webhook(
    payload: bytes | str,
    secret: str,
    *,
    msg_id: str | None = None,
    timestamp: int | datetime | None = None,
) -> dict[str, str]:
    """Sign ``payload`` as Synapse does and return the svix-* headers to send.

    ``msg_id`` defaults to a fresh ``msg_`` id and ``timestamp`` to now; a naive
    datetime is read as UTC, as Svix reads it.
    """
    key = _decode_secret(secret)
    body = _payload_bytes(payload)
    message_id = _new_msg_id() if msg_id is None else _check_msg_id(msg_id)
    seconds = str(_timestamp_seconds(timestamp))

    signature = _signature(key, message_id, seconds, body)
    return {
        "svix-id": message_id,
        "svix-timestamp": seconds,
        "svix-signature": f"{_VERSION},{signature}",
    }


def _now() -> int:
    """Whole seconds since the epoch; tests replace this to pin the clock."""
    return int(time.time())


def _decode_secret(secret: object) -> bytes:
    if not isinstance(secret, str):
        raise SynapseWebhookError("the secret must be a str such as 'whsec_...'")
    encoded = secret.removeprefix(_SECRET_PREFIX)
    # Secrets copied by hand sometimes lose their trailing '=' padding.
    encoded += "=" * (-len(encoded) % 4)
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:  # binascii.Error, or non-ASCII text
        raise SynapseWebhookError(
            "the secret is not valid base64 (after any 'whsec_' prefix)"
        ) from exc
    if not key:
        raise SynapseWebhookError("the secret is empty")
    return key


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise SynapseWebhookError("the payload cannot be encoded as UTF-8") from exc
    if isinstance(payload, bytes):
        return payload
    raise SynapseWebhookError(
        f"the payload must be bytes or str, not {type(payload).__name__}"
    )


def _check_options(tolerance: object, disable_timestamp_check: object) -> None:
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise SynapseWebhookError("tolerance must be an int of seconds, 0 or more")
    if not isinstance(disable_timestamp_check, bool):
        raise SynapseWebhookError("disable_timestamp_check must be a bool")


def _collect_headers(headers: object) -> dict[str, str]:
    """Map the lower-cased names this module reads to their values."""
    found: dict[str, str] = {}
    for pair in _header_pairs(headers):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise SynapseWebhookError("headers must be (name, value) pairs")
        name, value = pair
        if not isinstance(name, str) or not isinstance(value, str):
            raise SynapseWebhookError("header names and values must be str")
        name = name.lower()
        if name not in _KNOWN_HEADERS:
            continue
        # Two different values leave no safe choice of which one was signed.
        if found.setdefault(name, value) != value:
            raise SynapseWebhookError(f"header {name} is given twice, with two values")
    return found


def _header_pairs(headers: object) -> Iterable[object]:
    if isinstance(headers, Mapping):
        return list(headers.items())
    # werkzeug's Headers is no Mapping but iterates as (name, value) pairs.
    if isinstance(headers, Iterable) and not isinstance(headers, (str, bytes)):
        return headers
    raise SynapseWebhookError(
        "headers must be a mapping or (name, value) pairs,"
        f" not {type(headers).__name__}"
    )


def _required(found: Mapping[str, str], names: tuple[str, str]) -> str:
    name = next((name for name in names if name in found), None)
    if name is None:
        raise SynapseWebhookError(f"header {names[0]} (or {names[1]}) is missing")
    value = found[name]
    if not value.strip():
        raise SynapseWebhookError(f"header {name} is empty")
    if not (value.isascii() and value.isprintable()):
        raise SynapseWebhookError(f"header {name} is not printable ASCII")
    return value


def _parse_timestamp(value: str) -> int:
    if not _TIMESTAMP.fullmatch(value):
        raise SynapseWebhookError(
            f"the timestamp {value[:20]!r} is not whole seconds since the epoch"
        )
    return int(value)


def _check_window(seconds: int, tolerance: int) -> None:
    age = _now() - seconds
    if age > tolerance:
        raise SynapseWebhookError(
            f"the timestamp is too old: {age} s, over the {tolerance} s tolerance"
        )
    if -age > tolerance:
        raise SynapseWebhookError(
            f"the timestamp is {-age} s in the future, over the {tolerance} s tolerance"
        )


def _signature(key: bytes, msg_id: str, timestamp: str, body: bytes) -> str:
    """The base64 HMAC of the signed content, without the version prefix."""
    content = f"{msg_id}.{timestamp}.".encode("ascii") + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _match_signature(expected: str, header: str) -> None:
    candidates = []
    for entry in header.split():
        version, comma, value = entry.partition(",")
        if version == _VERSION and comma and value:
            candidates.append(value.encode("ascii"))
    if not candidates:
        raise SynapseWebhookError("the signature header holds no v1 signature")

    wanted = expected.encode("ascii")
    if not any(hmac.compare_digest(wanted, candidate) for candidate in candidates):
        raise SynapseWebhookError(
            "no v1 signature matches: the secret is wrong, or the id,"
            " timestamp or payload was changed"
        )


def _parse_object(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SynapseWebhookError("the payload is not valid UTF-8") from exc
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise SynapseWebhookError("the payload is not valid JSON") from exc
    if not isinstance(parsed, dict):
        raise SynapseWebhookError(
            f"the payload must be a JSON object, not {type(parsed).__name__}"
        )
    return parsed


def _new_msg_id() -> str:
    return f"msg_{secrets.token_urlsafe(18)}"


def _check_msg_id(msg_id: object) -> str:
    if not isinstance(msg_id, str) or not _MSG_ID.fullmatch(msg_id):
        raise SynapseWebhookError(
            "msg_id must be a non-empty str of printable ASCII without spaces"
        )
    return msg_id


def _timestamp_seconds(timestamp: object) -> int:
    if timestamp is None:
        seconds = _now()
    elif isinstance(timestamp, datetime):
        if timestamp.utcoffset() is None:
            timestamp = timestamp.replace(tzinfo=timezone.utc)
        seconds = math.floor(timestamp.timestamp())
    elif isinstance(timestamp, int) and not isinstance(timestamp, bool):
        seconds = timestamp
    else:
        raise SynapseWebhookError("timestamp must be an int, a datetime or None")
    if not 0 <= seconds <= _MAX_SECONDS:
        raise SynapseWebhookError(
            f"timestamp must be 0 to {_MAX_SECONDS} seconds since the epoch"
        )
    return seconds
