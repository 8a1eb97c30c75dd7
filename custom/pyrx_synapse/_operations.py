"""Each API call as data: the request to send and how to read its answer.

The sync and async clients differ only in how they wait for I/O, so every
call is described here once, as a ``Call``, and both clients run it. Request
bodies carry exactly the fields the caller gave, as 0.1.x sent them. Readers
turn a decoded JSON body into a result object; a body that is not the shape
the API promises raises ``MalformedBody``, which the transport reports as a
``SynapseResponseError``.

The clients load this module on their first call, not at import: building
the result dataclasses costs more import time than the rest of the package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import contains
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from ._convert import as_bool, as_dict, as_int, as_str
from ._errors import MalformedBody
from ._types import (
    BatchTrackResponse,
    BulkContactResponse,
    ContactListMeta,
    ContactListResponse,
    ContactResponse,
    SendResponse,
    TemplatePreviewResponse,
    TemplateResponse,
    TrackResponse,
)

T = TypeVar("T")

EVENTS_PER_BATCH = 50
CONTACTS_PER_BULK = 1000


@dataclass(frozen=True)
class Call(Generic[T]):
    """One HTTP request of the API and the reader of its response body."""

    method: str
    path: str
    read: Callable[[Any], T]
    body: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None
    idempotency_key: str | None = None


def path_segment(value: str) -> str:
    """Percent-encode one path segment, so "../templates/x" stays one id."""
    segment = quote(str(value), safe="")
    if segment in (".", ".."):
        # Dot segments would be collapsed by URL normalisation.
        segment = segment.replace(".", "%2E")
    return segment


def _without_none(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _timestamp(value: str | datetime | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


# Readers: lenient per field, strict about the body's overall shape.


def _object(raw: Any, what: str, expected: tuple[str, ...]) -> dict[str, Any]:
    """The body as a dict holding at least one field a ``what`` must have."""
    if not isinstance(raw, dict):
        raise MalformedBody(f"expected a JSON object for {what}, got {_kind(raw)}")
    for key in expected:
        if key in raw:
            return raw
    raise MalformedBody(f"the response has none of the fields of {what}")


def _kind(raw: Any) -> str:
    return "nothing" if raw is None else f"a JSON {type(raw).__name__}"


def _texts(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: as_str(raw.get(name)) for name in names}


def _ints(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: as_int(raw.get(name)) for name in names}


_BULK_COUNTS = ("total", "created", "updated", "skipped")
_META_COUNTS = ("total", "page", "per_page", "total_pages")


def read_track(raw: Any) -> TrackResponse:
    d = _object(raw, "an event", ("event_id",))
    return TrackResponse(**_texts(d, ("event_id", "status")))


def read_batch_track(raw: Any) -> BatchTrackResponse:
    d = _object(raw, "a batch result", ("accepted", "rejected"))
    return BatchTrackResponse(**_ints(d, ("accepted", "rejected")))


def read_contact(raw: Any) -> ContactResponse:
    return ContactResponse._from_json(_object(raw, "a contact", ("id", "external_id")))


def read_bulk_contacts(raw: Any) -> BulkContactResponse:
    d = _object(raw, "a bulk result", _BULK_COUNTS)
    values = _ints(d, _BULK_COUNTS)
    errors = d.get("errors")
    values["errors"] = (
        [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
    )
    return BulkContactResponse(**values)


def read_contact_list(raw: Any) -> ContactListResponse:
    d = _object(raw, "a contact list", ("data",))
    data = d.get("data")
    if not isinstance(data, list):
        raise MalformedBody(f"expected a list of contacts in 'data', got {_kind(data)}")
    if {dict}.issuperset(map(type, data)) and all(map(contains, data, repeat("id"))):
        # The usual page: every item a dict with an id. The items are wrapped
        # in one pass and decoded field by field as they are read.
        contacts = ContactResponse._many_from_json(data)
    else:
        contacts = [read_contact(item) for item in data]
    meta = ContactListMeta(**_ints(as_dict(d.get("meta")), _META_COUNTS))
    return ContactListResponse(data=contacts, meta=meta)


def read_send(raw: Any) -> SendResponse:
    d = _object(raw, "a send result", ("email_log_id",))
    return SendResponse(**_texts(d, ("email_log_id", "status")))


def read_template(raw: Any) -> TemplateResponse:
    return TemplateResponse._from_json(_object(raw, "a template", ("id", "slug")))


def read_template_list(raw: Any) -> list[TemplateResponse]:
    if not isinstance(raw, list):
        raise MalformedBody(f"expected a JSON list of templates, got {_kind(raw)}")
    return [read_template(item) for item in raw]


def read_preview(raw: Any) -> TemplatePreviewResponse:
    d = _object(raw, "a template preview", ("subject", "html", "suppressed"))
    values = _texts(d, ("subject", "html", "suppressed_reason"))
    values["suppressed"] = as_bool(d.get("suppressed"))
    return TemplatePreviewResponse(**values)


def read_nothing(raw: Any) -> None:
    return None


# Calls.


def track(
    *,
    external_id: str,
    event_name: str,
    attributes: Mapping[str, Any] | None,
    contact: Mapping[str, Any] | None,
    idempotency_key: str | None,
    occurred_at: str | datetime | None,
) -> Call[TrackResponse]:
    body = _without_none(
        {
            "external_id": external_id,
            "event_name": event_name,
            "attributes": attributes,
            "contact": contact,
            "idempotency_key": idempotency_key,
            "occurred_at": _timestamp(occurred_at),
        }
    )
    return Call("POST", "/v1/events", read_track, body, idempotency_key=idempotency_key)


def track_batch(events: list[Any]) -> Call[BatchTrackResponse]:
    return Call("POST", "/v1/events/batch", read_batch_track, {"events": events})


def identify(fields: Mapping[str, Any]) -> Call[ContactResponse]:
    return Call("POST", "/v1/contacts", read_contact, _without_none(fields))


def identify_batch(
    contacts: list[Any], on_conflict: str | None
) -> Call[BulkContactResponse]:
    body = _without_none({"contacts": contacts, "on_conflict": on_conflict})
    return Call("POST", "/v1/contacts/bulk", read_bulk_contacts, body)


def send(
    *,
    template_slug: str,
    to: Mapping[str, Any],
    attributes: Mapping[str, Any] | None,
    idempotency_key: str | None,
) -> Call[SendResponse]:
    body = _without_none(
        {
            "template_slug": template_slug,
            "to": to,
            "attributes": attributes,
            "idempotency_key": idempotency_key,
        }
    )
    return Call("POST", "/v1/send", read_send, body, idempotency_key=idempotency_key)


def list_contacts(query: Mapping[str, Any]) -> Call[ContactListResponse]:
    params = {key: str(value) for key, value in query.items() if value is not None}
    return Call("GET", "/v1/contacts", read_contact_list, params=params)


def get_contact(contact_id: str) -> Call[ContactResponse]:
    return Call("GET", f"/v1/contacts/{path_segment(contact_id)}", read_contact)


def update_contact(external_id: str, data: Mapping[str, Any]) -> Call[ContactResponse]:
    path = f"/v1/contacts/{path_segment(external_id)}"
    return Call("PATCH", path, read_contact, dict(data))


def delete_contact(external_id: str) -> Call[None]:
    return Call("DELETE", f"/v1/contacts/{path_segment(external_id)}", read_nothing)


def list_templates() -> Call[list[TemplateResponse]]:
    return Call("GET", "/v1/templates", read_template_list)


def get_template(slug: str) -> Call[TemplateResponse]:
    return Call("GET", f"/v1/templates/{path_segment(slug)}", read_template)


def create_template(params: Mapping[str, Any]) -> Call[TemplateResponse]:
    return Call("POST", "/v1/templates", read_template, dict(params))


def update_template(slug: str, params: Mapping[str, Any]) -> Call[TemplateResponse]:
    path = f"/v1/templates/{path_segment(slug)}"
    return Call("PUT", path, read_template, dict(params))


def delete_template(slug: str) -> Call[None]:
    return Call("DELETE", f"/v1/templates/{path_segment(slug)}", read_nothing)


def preview_template(
    slug: str, params: Mapping[str, Any]
) -> Call[TemplatePreviewResponse]:
    path = f"/v1/templates/{path_segment(slug)}/preview"
    return Call("POST", path, read_preview, dict(params))


@dataclass(frozen=True)
class Batches(Generic[T]):
    """A batch call split to the API's per-request limit, and how to sum it."""

    calls: list[Call[T]]
    combine: Callable[[list[T]], T]


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def track_batches(events: list[Any]) -> Batches[BatchTrackResponse]:
    """Events in requests of at most 50. No events: no request, zero counts."""
    calls = [track_batch(chunk) for chunk in _chunks(list(events), EVENTS_PER_BATCH)]
    return Batches(calls, _sum_batch_results)


def identify_batches(
    contacts: list[Any], on_conflict: str | None
) -> Batches[BulkContactResponse]:
    """Contacts in requests of at most 1000, row indexes kept relative to the whole."""
    chunked = _chunks(list(contacts), CONTACTS_PER_BULK)
    calls = [identify_batch(chunk, on_conflict) for chunk in chunked]
    return Batches(calls, _sum_bulk_results)


def _total(counts: list[int | None]) -> int | None:
    """The sum of chunk counts; unknown (None) if any chunk's count was unreadable."""
    known = [count for count in counts if count is not None]
    return sum(known) if len(known) == len(counts) else None


def _sum_batch_results(results: list[BatchTrackResponse]) -> BatchTrackResponse:
    return BatchTrackResponse(
        accepted=_total([r.accepted for r in results]),
        rejected=_total([r.rejected for r in results]),
    )


def _sum_bulk_results(results: list[BulkContactResponse]) -> BulkContactResponse:
    errors = []
    for chunk_number, result in enumerate(results):
        offset = chunk_number * CONTACTS_PER_BULK
        for error in result.errors:
            index = as_int(error.get("index"))
            errors.append(
                error if index is None else {**error, "index": index + offset}
            )
    return BulkContactResponse(
        total=_total([r.total for r in results]),
        created=_total([r.created for r in results]),
        updated=_total([r.updated for r in results]),
        skipped=_total([r.skipped for r in results]),
        errors=errors,
    )


def is_last_page(result: ContactListResponse, page: int, per_page: int | None) -> bool:
    """Whether paging should stop after ``page``.

    Trusts ``meta.total_pages`` when the API sent it; otherwise a short or empty
    page is the last. An empty page always ends paging, so a server that keeps
    answering the same totals can never make the loop endless.
    """
    if not result.data:
        return True
    total_pages = result.meta.total_pages
    if total_pages is not None:
        return page >= total_pages
    size = per_page or result.meta.per_page
    return size is None or len(result.data) < size
