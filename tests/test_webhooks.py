"""Tests for webhook signing and verification in pyrx_synapse._webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrx_synapse import _webhooks
from pyrx_synapse._errors import SynapseWebhookError
from pyrx_synapse._webhooks import sign_webhook, verify_webhook
from svix.webhooks import Webhook, WebhookVerificationError

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another key, of the old rotation").decode()
NOW = 1_700_000_000
MSG_ID = "msg_2b3x9QkZ"
PAYLOAD = b'{"type": "contact.created", "data": {"id": "c_1", "email": "a@b.io"}}'
PARSED = {"type": "contact.created", "data": {"id": "c_1", "email": "a@b.io"}}

HEADER_NAMES = [
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
]
PROPERTY_SETTINGS = settings(
    # Shared machines are noisy: the properties check outcomes, never speed.
    deadline=None,
    max_examples=300,
    # The pinned clock returns one constant, so sharing it between examples is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the module's clock to NOW."""
    monkeypatch.setattr(_webhooks, "_now", lambda: NOW)


@pytest.fixture
def local_zone_far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make local time UTC-5, so reading a naive datetime as local shows."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    # A POSIX zone string needs no time zone database.
    monkeypatch.setenv("TZ", "PYRX+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def signed(
    payload: bytes | str = PAYLOAD,
    secret: str = SECRET,
    *,
    msg_id: str = MSG_ID,
    timestamp: int = NOW,
) -> dict[str, str]:
    return sign_webhook(payload, secret, msg_id=msg_id, timestamp=timestamp)


def hand_signature(msg_id: str, timestamp: int, body: bytes, key: bytes = KEY) -> str:
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@pytest.mark.usefixtures("clock")
class TestVerifyWebhook:
    def test_returns_the_parsed_object(self) -> None:
        """A correctly signed delivery yields its JSON object."""
        assert verify_webhook(PAYLOAD, signed(), SECRET) == PARSED

    def test_accepts_a_hand_computed_signature(self) -> None:
        """A signature computed straight from the scheme verifies."""
        headers = {
            "svix-id": MSG_ID,
            "svix-timestamp": str(NOW),
            "svix-signature": hand_signature(MSG_ID, NOW, PAYLOAD),
        }
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    @pytest.mark.parametrize("name", ["svix-id", "svix-timestamp", "svix-signature"])
    def test_missing_header(self, name: str) -> None:
        """Each of the three headers is required, and the message names it."""
        headers = signed()
        del headers[name]
        with pytest.raises(SynapseWebhookError, match=f"header {name} .*is missing"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize(
        "value",
        # The last but one is Arabic-Indic digits, which int() would accept.
        ["soon", "1700000000.0", "-1700000000", "1.7e9", " 17", "\u0661\u0667", "0x10"],
    )
    def test_bad_timestamp_format(self, value: str) -> None:
        """A timestamp that is not plain ASCII digits is rejected as malformed."""
        headers = {**signed(), "svix-timestamp": value}
        with pytest.raises(SynapseWebhookError, match=r"not whole seconds|printable"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_bad_timestamp_format_even_with_the_check_disabled(self) -> None:
        """Disabling the window check still requires a well-formed timestamp."""
        headers = {**signed(), "svix-timestamp": "1700000000.5"}
        with pytest.raises(SynapseWebhookError, match="not whole seconds"):
            verify_webhook(PAYLOAD, headers, SECRET, disable_timestamp_check=True)

    def test_too_old(self) -> None:
        """A delivery one second past the tolerance is refused as too old."""
        headers = signed(timestamp=NOW - 301)
        with pytest.raises(SynapseWebhookError, match="too old"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_too_far_in_the_future(self) -> None:
        """A delivery one second beyond the tolerance ahead is refused."""
        headers = signed(timestamp=NOW + 301)
        with pytest.raises(SynapseWebhookError, match="in the future"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize("offset", [-300, 300])
    def test_default_tolerance_boundary_is_inclusive(self, offset: int) -> None:
        """Exactly 300 seconds either way still passes with the default tolerance."""
        headers = signed(timestamp=NOW + offset)
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_custom_tolerance_is_honoured(self) -> None:
        """A tolerance of 10 passes 10 seconds of age and refuses 11."""
        assert verify_webhook(PAYLOAD, signed(timestamp=NOW - 10), SECRET, tolerance=10)
        with pytest.raises(SynapseWebhookError, match="too old"):
            verify_webhook(PAYLOAD, signed(timestamp=NOW - 11), SECRET, tolerance=10)

    def test_disable_timestamp_check(self) -> None:
        """With the check disabled, a years-old signed delivery verifies."""
        headers = signed(timestamp=1_000_000_000)
        result = verify_webhook(PAYLOAD, headers, SECRET, disable_timestamp_check=True)
        assert result == PARSED

    def test_tampered_payload(self) -> None:
        """Changing one byte of the body breaks the signature."""
        tampered = PAYLOAD.replace(b"c_1", b"c_2")
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(tampered, signed(), SECRET)

    def test_reserialised_payload_does_not_verify(self) -> None:
        """The raw body is what was signed; the same JSON dumped again is not."""
        reserialised = json.dumps(PARSED, separators=(",", ":"))
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(reserialised, signed(), SECRET)

    def test_tampered_id(self) -> None:
        """The message id is part of the signed content."""
        headers = {**signed(), "svix-id": "msg_other"}
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_tampered_timestamp(self) -> None:
        """The timestamp is part of the signed content."""
        headers = {**signed(), "svix-timestamp": str(NOW + 1)}
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_wrong_secret(self) -> None:
        """A delivery signed under another secret is refused."""
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(PAYLOAD, signed(secret=OTHER_SECRET), SECRET)

    @pytest.mark.parametrize("entry", ["v1", "v1,", ",abc", "nonsense", "v1 ,abc"])
    def test_malformed_signature_entries(self, entry: str) -> None:
        """Entries without a version, comma or value count as no signature."""
        headers = {**signed(), "svix-signature": entry}
        with pytest.raises(SynapseWebhookError, match="holds no v1 signature"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_malformed_entries_beside_a_good_one(self) -> None:
        """Malformed entries are skipped when a valid one follows."""
        good = signed()["svix-signature"]
        headers = {**signed(), "svix-signature": f"v1 ,x nonsense {good}"}
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_only_other_versions(self) -> None:
        """Entries of versions other than v1 are never checked."""
        digest = signed()["svix-signature"].removeprefix("v1,")
        headers = {**signed(), "svix-signature": f"v1a,{digest} v2,{digest}"}
        with pytest.raises(SynapseWebhookError, match="holds no v1 signature"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize("value", ["", "   "])
    def test_empty_signature(self, value: str) -> None:
        """An empty signature header is refused as empty."""
        headers = {**signed(), "svix-signature": value}
        with pytest.raises(SynapseWebhookError, match="svix-signature is empty"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize(
        "secret", ["whsec_!!not base64!!", "whsec_abcde", "whsec_ab cd", "whsec_é"]
    )
    def test_invalid_secret_base64(self, secret: str) -> None:
        """A secret that is not base64 is refused, and not echoed back."""
        with pytest.raises(SynapseWebhookError, match="not valid base64") as caught:
            verify_webhook(PAYLOAD, signed(), secret)
        assert secret.removeprefix("whsec_") not in str(caught.value)

    @pytest.mark.parametrize("secret", ["", "whsec_"])
    def test_empty_secret(self, secret: str) -> None:
        """An empty key is refused before any signature is computed."""
        with pytest.raises(SynapseWebhookError, match="secret is empty"):
            verify_webhook(PAYLOAD, signed(), secret)

    def test_secret_without_prefix(self) -> None:
        """The bare base64 text of the key works like the whsec_ form."""
        bare = SECRET.removeprefix("whsec_")
        assert verify_webhook(PAYLOAD, signed(), bare) == PARSED

    def test_secret_without_padding(self) -> None:
        """A secret that lost its '=' padding still decodes to the same key."""
        unpadded = SECRET.rstrip("=")
        assert unpadded != SECRET
        assert verify_webhook(PAYLOAD, signed(), unpadded) == PARSED

    def test_wrong_secret_is_not_in_the_message(self) -> None:
        """A wrong but well-formed secret never shows up in the error text."""
        with pytest.raises(SynapseWebhookError) as caught:
            verify_webhook(PAYLOAD, signed(), OTHER_SECRET)
        text = f"{caught.value!s} {caught.value!r}"
        assert OTHER_SECRET.removeprefix("whsec_") not in text

    def test_non_json_payload(self) -> None:
        """A signed body that is not JSON is refused after the signature passes."""
        body = b"not json at all"
        with pytest.raises(SynapseWebhookError, match="not valid JSON") as caught:
            verify_webhook(body, signed(body), SECRET)
        assert isinstance(caught.value.__cause__, json.JSONDecodeError)

    @pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"42", b"null"])
    def test_json_that_is_not_an_object(self, body: bytes) -> None:
        """Only a JSON object is a valid payload."""
        with pytest.raises(SynapseWebhookError, match="must be a JSON object"):
            verify_webhook(body, signed(body), SECRET)

    def test_deeply_nested_json(self) -> None:
        """Absurd nesting ends as a webhook error, not a RecursionError."""
        body = b"[" * 100_000
        with pytest.raises(SynapseWebhookError, match="not valid JSON"):
            verify_webhook(body, signed(body), SECRET)

    def test_non_utf8_bytes(self) -> None:
        """A correctly signed body that is not UTF-8 is refused as such."""
        body = b'{"name": "\xff\xfe"}'
        with pytest.raises(SynapseWebhookError, match="not valid UTF-8") as caught:
            verify_webhook(body, signed(body), SECRET)
        assert isinstance(caught.value.__cause__, UnicodeDecodeError)

    def test_str_with_lone_surrogate(self) -> None:
        """A str payload that UTF-8 cannot encode is refused as such."""
        with pytest.raises(SynapseWebhookError, match="cannot be encoded as UTF-8"):
            verify_webhook('{"a": "\ud800"}', signed(), SECRET)

    def test_header_names_are_case_insensitive(self) -> None:
        """Header names match whatever their case."""
        headers = {name.upper(): value for name, value in signed().items()}
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_httpx_headers(self) -> None:
        """An httpx.Headers object is read like a dict."""
        headers = httpx.Headers({name.title(): val for name, val in signed().items()})
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_list_of_pairs(self) -> None:
        """A list of (name, value) pairs is accepted, mixed in with other headers."""
        pairs = [("Content-Type", "application/json"), *signed().items()]
        pairs.append(("Accept", "a/b"))
        pairs.append(("Accept", "c/d"))
        assert verify_webhook(PAYLOAD, pairs, SECRET) == PARSED

    def test_webhook_header_names(self) -> None:
        """The webhook-* spelling of the three headers works too."""
        headers = {
            name.replace("svix-", "Webhook-"): value for name, value in signed().items()
        }
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_svix_names_win_over_webhook_names(self) -> None:
        """When both spellings arrive, the svix-* values are the ones checked."""
        renamed = {n.replace("svix-", "webhook-"): v for n, v in signed().items()}
        headers = {**renamed, **signed(msg_id="msg_other")}
        headers["webhook-id"] = "msg_forged"
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_conflicting_duplicate_header(self) -> None:
        """The same header twice with different values is refused."""
        pairs = [*signed().items(), ("SVIX-ID", "msg_other")]
        with pytest.raises(SynapseWebhookError, match="svix-id is given twice"):
            verify_webhook(PAYLOAD, pairs, SECRET)

    def test_key_rotation_second_signature_matches(self) -> None:
        """Of several signatures, one match is enough, even when it is not the first."""
        old = signed(secret=OTHER_SECRET)["svix-signature"]
        new = signed()["svix-signature"]
        headers = {**signed(), "svix-signature": f"{old} {new}"}
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED
        assert verify_webhook(PAYLOAD, headers, OTHER_SECRET) == PARSED

    def test_str_and_bytes_payloads(self) -> None:
        """The same body as str or as bytes verifies to the same object."""
        text = '{"name": "Zoë"}'
        headers = signed(text)
        from_str = verify_webhook(text, headers, SECRET)
        from_bytes = verify_webhook(text.encode(), headers, SECRET)
        assert from_str == from_bytes == {"name": "Zoë"}

    @pytest.mark.parametrize("headers", [None, 42, "svix-id: x", b"raw", object()])
    def test_headers_of_the_wrong_type(self, headers: Any) -> None:
        """Headers that are neither a mapping nor pairs are refused."""
        with pytest.raises(SynapseWebhookError, match="headers must be"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize(
        "headers", [[("svix-id",)], [1, 2], [("svix-id", 5)], {b"svix-id": b"x"}]
    )
    def test_malformed_pairs(self, headers: Any) -> None:
        """Pairs that are not two str values are refused."""
        with pytest.raises(SynapseWebhookError, match=r"headers must be|must be str"):
            verify_webhook(PAYLOAD, headers, SECRET)

    @pytest.mark.parametrize("name", ["svix-id", "svix-timestamp", "svix-signature"])
    def test_non_ascii_header(self, name: str) -> None:
        """A header value outside printable ASCII is refused, not compared."""
        headers = {**signed(), name: signed()[name] + "é"}
        with pytest.raises(SynapseWebhookError, match=f"{name} is not printable ASCII"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_huge_signature_header(self) -> None:
        """A megabyte of signature entries ends in an ordinary refusal."""
        headers = {**signed(), "svix-signature": "v1,AAAA " * 130_000}
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(PAYLOAD, headers, SECRET)

    def test_huge_timestamp_header(self) -> None:
        """A timestamp of thousands of digits is refused as malformed."""
        headers = {**signed(), "svix-timestamp": "9" * 5_000}
        with pytest.raises(SynapseWebhookError, match="not whole seconds"):
            verify_webhook(PAYLOAD, headers, SECRET, disable_timestamp_check=True)

    @pytest.mark.parametrize("payload", [None, 17, ["{}"], {"a": 1}, bytearray(b"{}")])
    def test_payload_of_the_wrong_type(self, payload: Any) -> None:
        """Only bytes and str payloads are accepted."""
        with pytest.raises(SynapseWebhookError, match="payload must be bytes or str"):
            verify_webhook(payload, signed(), SECRET)

    @pytest.mark.parametrize("secret", [None, b"raw key", 17])
    def test_secret_of_the_wrong_type(self, secret: Any) -> None:
        """The secret must be a str."""
        with pytest.raises(SynapseWebhookError, match="secret must be a str"):
            verify_webhook(PAYLOAD, signed(), secret)

    @pytest.mark.parametrize("tolerance", [-1, 1.5, "300", None, True])
    def test_bad_tolerance(self, tolerance: Any) -> None:
        """The tolerance must be a non-negative int."""
        with pytest.raises(SynapseWebhookError, match="tolerance must be"):
            verify_webhook(PAYLOAD, signed(), SECRET, tolerance=tolerance)

    @pytest.mark.parametrize("flag", [None, 1, "yes"])
    def test_bad_disable_flag(self, flag: Any) -> None:
        """disable_timestamp_check must be a real bool."""
        with pytest.raises(SynapseWebhookError, match="must be a bool"):
            verify_webhook(PAYLOAD, signed(), SECRET, disable_timestamp_check=flag)

    @PROPERTY_SETTINGS
    @given(
        payload=st.one_of(st.binary(), st.text(), st.none(), st.integers()),
        headers=st.one_of(
            st.none(),
            st.text(),
            st.integers(),
            st.dictionaries(
                st.sampled_from(HEADER_NAMES) | st.text(),
                st.text() | st.none() | st.binary() | st.integers(),
            ),
            st.lists(st.tuples(st.sampled_from(HEADER_NAMES) | st.text(), st.text())),
            st.lists(st.text() | st.integers() | st.lists(st.text())),
        ),
        secret=st.one_of(
            st.text(), st.binary(), st.none(), st.text().map("whsec_".__add__)
        ),
        tolerance=st.one_of(st.integers(), st.floats(), st.none(), st.text()),
        disable=st.one_of(st.booleans(), st.none(), st.integers()),
    )
    def test_garbage_only_raises_webhook_error(
        self, payload: Any, headers: Any, secret: Any, tolerance: Any, disable: Any
    ) -> None:
        """Random garbage in any argument raises SynapseWebhookError, nothing else."""
        with pytest.raises(SynapseWebhookError):
            verify_webhook(
                payload,
                headers,
                secret,
                tolerance=tolerance,
                disable_timestamp_check=disable,
            )

    @PROPERTY_SETTINGS
    @given(
        name=st.sampled_from(["svix-id", "svix-timestamp", "svix-signature"]),
        value=st.text(),
        body=st.binary(),
    )
    def test_garbage_in_one_header_only_raises_webhook_error(
        self, name: str, value: str, body: bytes
    ) -> None:
        """Garbage in one header of an otherwise valid set raises only our error."""
        headers = {**signed(body), name: value}
        with pytest.raises(SynapseWebhookError):
            verify_webhook(body, headers, SECRET)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=10,
)


class TestSignWebhook:
    def test_returns_the_three_svix_headers(self) -> None:
        """Signing yields exactly svix-id, svix-timestamp and svix-signature."""
        headers = signed()
        assert headers == {
            "svix-id": MSG_ID,
            "svix-timestamp": str(NOW),
            "svix-signature": hand_signature(MSG_ID, NOW, PAYLOAD),
        }

    def test_str_payload_is_signed_as_utf8(self) -> None:
        """A str payload is signed as its UTF-8 bytes."""
        text = '{"name": "Zoë"}'
        assert signed(text) == signed(text.encode())

    def test_non_utf8_bytes_are_signed_as_sent(self) -> None:
        """Bytes are signed byte for byte, whatever their encoding."""
        body = b"\xff\x00\xfe"
        expected = hand_signature(MSG_ID, NOW, body)
        assert signed(body)["svix-signature"] == expected

    def test_default_msg_id(self) -> None:
        """Without msg_id, each call gets a fresh msg_ id."""
        first = sign_webhook(PAYLOAD, SECRET)["svix-id"]
        second = sign_webhook(PAYLOAD, SECRET)["svix-id"]
        assert first.startswith("msg_")
        assert len(first) > len("msg_") + 16
        assert first != second

    @pytest.mark.usefixtures("clock")
    def test_default_timestamp_is_now(self) -> None:
        """Without timestamp, the current clock second is used."""
        assert sign_webhook(PAYLOAD, SECRET)["svix-timestamp"] == str(NOW)

    def test_aware_datetime(self) -> None:
        """An aware datetime in any zone signs its epoch second, fraction dropped."""
        zone = timezone(timedelta(hours=-5))
        moment = datetime.fromtimestamp(NOW, zone) + timedelta(microseconds=999_999)
        headers = sign_webhook(PAYLOAD, SECRET, msg_id=MSG_ID, timestamp=moment)
        assert headers == signed()

    @pytest.mark.usefixtures("local_zone_far_from_utc")
    def test_naive_datetime_is_utc(self) -> None:
        """A naive datetime is read as UTC, as Svix reads it, not as local time."""
        naive = datetime(2023, 11, 14, 22, 13, 20)
        headers = sign_webhook(PAYLOAD, SECRET, msg_id=MSG_ID, timestamp=naive)
        assert headers["svix-timestamp"] == str(NOW)

    def test_returns_a_fresh_dict(self) -> None:
        """Callers may add their own headers to the result without side effects."""
        headers = signed()
        headers["Content-Type"] = "application/json"
        assert "Content-Type" not in signed()

    @pytest.mark.parametrize(
        "secret", ["whsec_!!!", "whsec_", "", "whsec_abcde", None, b"key"]
    )
    def test_invalid_secret(self, secret: Any) -> None:
        """A secret that is not a non-empty base64 key is refused."""
        with pytest.raises(SynapseWebhookError, match="secret"):
            sign_webhook(PAYLOAD, secret)

    @pytest.mark.parametrize(
        "msg_id", ["", "msg 1", "msg_1\r\nX-Evil: 1", "msg_é", 17, b"msg_1"]
    )
    def test_invalid_msg_id(self, msg_id: Any) -> None:
        """A msg_id that cannot travel as a header value is refused."""
        with pytest.raises(SynapseWebhookError, match="msg_id must be"):
            sign_webhook(PAYLOAD, SECRET, msg_id=msg_id)

    @pytest.mark.parametrize(
        "timestamp",
        [-1, 10**12, True, 1.5, "17", datetime(1960, 1, 1, tzinfo=timezone.utc)],
    )
    def test_invalid_timestamp(self, timestamp: Any) -> None:
        """Timestamps outside 1970 to 12 digits, or of other types, are refused."""
        with pytest.raises(SynapseWebhookError, match="timestamp must be"):
            sign_webhook(PAYLOAD, SECRET, timestamp=timestamp)

    @pytest.mark.parametrize("payload", [None, 17, {"a": 1}])
    def test_invalid_payload(self, payload: Any) -> None:
        """Only bytes and str can be signed."""
        with pytest.raises(SynapseWebhookError, match="payload must be bytes or str"):
            sign_webhook(payload, SECRET)

    @settings(deadline=None, max_examples=100)
    @given(data=st.dictionaries(st.text(), JSON_VALUES), as_bytes=st.booleans())
    def test_round_trip(self, data: dict[str, Any], as_bytes: bool) -> None:
        """Any JSON object signed here verifies here, to an equal object."""
        text = json.dumps(data)
        payload: bytes | str = text.encode() if as_bytes else text
        headers = sign_webhook(payload, SECRET)
        assert verify_webhook(payload, headers, SECRET) == data

    @PROPERTY_SETTINGS
    @given(
        payload=st.one_of(st.binary(), st.text(), st.none(), st.integers()),
        secret=st.one_of(st.text(), st.none(), st.text().map("whsec_".__add__)),
        msg_id=st.one_of(st.none(), st.text(), st.integers()),
        timestamp=st.one_of(
            st.none(), st.integers(), st.datetimes(), st.floats(), st.text()
        ),
    )
    def test_garbage_only_raises_webhook_error(
        self, payload: Any, secret: Any, msg_id: Any, timestamp: Any
    ) -> None:
        """Signing either returns the headers or raises SynapseWebhookError."""
        try:
            headers = sign_webhook(payload, secret, msg_id=msg_id, timestamp=timestamp)
        except SynapseWebhookError:
            return
        assert set(headers) == {"svix-id", "svix-timestamp", "svix-signature"}


class TestSvixInterop:
    def test_svix_signature_verifies_here(self) -> None:
        """A signature made by svix's library passes verify_webhook."""
        moment = datetime.now(timezone.utc)
        signature = Webhook(SECRET).sign(MSG_ID, moment, PAYLOAD.decode())
        headers = {
            "svix-id": MSG_ID,
            "svix-timestamp": str(int(moment.timestamp())),
            "svix-signature": signature,
        }
        assert verify_webhook(PAYLOAD, headers, SECRET) == PARSED

    def test_our_headers_verify_in_svix(self) -> None:
        """Headers from sign_webhook pass svix's Webhook.verify."""
        headers = sign_webhook(PAYLOAD, SECRET)
        Webhook(SECRET).verify(PAYLOAD, headers)

    def test_bare_secret_headers_verify_in_svix(self) -> None:
        """Signing with the bare base64 secret matches svix using the whsec_ form."""
        headers = sign_webhook(PAYLOAD, SECRET.removeprefix("whsec_"))
        Webhook(SECRET).verify(PAYLOAD, headers)

    def test_same_signature_as_svix(self) -> None:
        """For the same id, time and body, both libraries produce the same string."""
        moment = datetime.fromtimestamp(NOW, timezone.utc)
        theirs = Webhook(SECRET).sign(MSG_ID, moment, PAYLOAD.decode())
        assert signed()["svix-signature"] == theirs

    def test_tampered_payload_rejected_by_svix(self) -> None:
        """svix refuses our headers when the body was changed."""
        headers = sign_webhook(PAYLOAD, SECRET)
        with pytest.raises(WebhookVerificationError):
            Webhook(SECRET).verify(PAYLOAD.replace(b"c_1", b"c_2"), headers)

    def test_tampered_payload_rejected_here(self) -> None:
        """verify_webhook refuses a svix signature when the body was changed."""
        moment = datetime.now(timezone.utc)
        signature = Webhook(SECRET).sign(MSG_ID, moment, PAYLOAD.decode())
        headers = {
            "svix-id": MSG_ID,
            "svix-timestamp": str(int(moment.timestamp())),
            "svix-signature": signature,
        }
        with pytest.raises(SynapseWebhookError, match="no v1 signature matches"):
            verify_webhook(PAYLOAD.replace(b"c_1", b"c_2"), headers, SECRET)
