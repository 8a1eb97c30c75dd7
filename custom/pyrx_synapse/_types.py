"""Request parameter shapes and result objects of the friendly clients.

Names and attributes are those of pyrx-synapse 0.1.x, so code written for it
keeps working. Results are frozen dataclasses whose every field holds a real
value or None: a field the API left out, or sent in a form that cannot be
read, is None rather than a crash or a sentinel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

__all__ = [
    "BatchTrackResponse",
    "BulkContactResponse",
    "ContactListMeta",
    "ContactListParams",
    "ContactListResponse",
    "ContactResponse",
    "ContactUpdateParams",
    "IdentifyParams",
    "SendParams",
    "SendResponse",
    "SendToParams",
    "TemplateCreateParams",
    "TemplatePreviewParams",
    "TemplatePreviewResponse",
    "TemplateResponse",
    "TemplateUpdateParams",
    "TrackParams",
    "TrackResponse",
]

OnConflict = Literal["merge", "skip", "replace"]
SortOrder = Literal["asc", "desc"]


# Required keys sit in a base class and optional ones in a total=False
# subclass: NotRequired is not in typing before Python 3.11.
class _TrackRequired(TypedDict):
    external_id: str
    event_name: str


class TrackParams(_TrackRequired, total=False):
    attributes: dict[str, Any]
    contact: dict[str, Any]
    idempotency_key: str
    occurred_at: str


class _IdentifyRequired(TypedDict):
    external_id: str


class IdentifyParams(_IdentifyRequired, total=False):
    email: str
    phone: str
    first_name: str
    last_name: str
    timezone: str
    locale: str
    properties: dict[str, Any]
    tags: list[str]


class _SendToRequired(TypedDict):
    user_id: str
    email: str


class SendToParams(_SendToRequired, total=False):
    first_name: str
    last_name: str


class _SendRequired(TypedDict):
    template_slug: str
    to: SendToParams


class SendParams(_SendRequired, total=False):
    attributes: dict[str, Any]
    idempotency_key: str


class ContactListParams(TypedDict, total=False):
    search: str
    page: int
    per_page: int
    sort_by: str
    sort_order: SortOrder


class ContactUpdateParams(TypedDict, total=False):
    email: str | None
    properties: dict[str, Any]
    tags: list[str]
    add_tags: list[str]
    remove_tags: list[str]


class _TemplateCreateRequired(TypedDict):
    name: str
    slug: str
    subject: str
    body_html: str
    sender_name: str
    from_email: str


class TemplateCreateParams(_TemplateCreateRequired, total=False):
    reply_to: str
    content_type: str


class TemplateUpdateParams(TypedDict, total=False):
    name: str
    subject: str
    body_html: str
    sender_name: str
    from_email: str
    reply_to: str | None
    content_type: str


class TemplatePreviewParams(TypedDict, total=False):
    contact: dict[str, Any]
    event: dict[str, Any]


@dataclass(frozen=True)
class TrackResponse:
    event_id: str | None
    status: str | None


@dataclass(frozen=True)
class BatchTrackResponse:
    accepted: int | None
    rejected: int | None


@dataclass(frozen=True)
class ContactResponse:
    id: str | None
    external_id: str | None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    timezone: str | None = None
    locale: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class BulkContactResponse:
    total: int | None
    created: int | None
    updated: int | None
    skipped: int | None
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SendResponse:
    email_log_id: str | None
    status: str | None


@dataclass(frozen=True)
class ContactListMeta:
    total: int | None
    page: int | None
    per_page: int | None
    total_pages: int | None


@dataclass(frozen=True)
class ContactListResponse:
    data: list[ContactResponse]
    meta: ContactListMeta


@dataclass(frozen=True)
class TemplateResponse:
    id: str | None
    name: str | None
    slug: str | None
    subject: str | None
    body_html: str | None
    sender_name: str | None = None
    from_email: str | None = None
    reply_to: str | None = None
    content_type: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class TemplatePreviewResponse:
    subject: str | None
    html: str | None
    suppressed: bool | None
    suppressed_reason: str | None
