"""Request parameter shapes and result objects of the friendly clients.

Names and attributes are those of pyrx-synapse 0.1.x, so code written for it
keeps working. Results are frozen dataclasses whose every field holds a real
value or None: a field the API left out, or sent in a form that cannot be
read, is None rather than a crash or a sentinel.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal, TypedDict, TypeVar

from ._convert import as_dict, as_str, as_str_list

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

J = TypeVar("J", bound="_DecodedOnRead")

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


class _DecodedField:
    """A field decoded from the result's JSON object when first read, then kept.

    A non-data descriptor: once the value is in the instance dict, reads find
    it there and never come back here; results built by the constructor have
    every field in their dict from the start.
    """

    __slots__ = ("name", "read")

    def __init__(self, name: str, read: Callable[[Any], Any]) -> None:
        self.name = name
        self.read = read

    def __get__(self, result: object, owner: type | None = None) -> Any:
        if result is None:
            return None  # the class attribute, as a dataclass default would be
        value = self.read(result.__dict__["_json"].get(self.name))
        result.__dict__[self.name] = value  # set directly: the result is frozen
        return value


class _DecodedOnRead:
    """Base of results that can keep their JSON object and decode fields on read.

    Contacts come fifty to a page and most code reads a few of their fields, so
    ``_from_json`` results hold only the decoded JSON object; each field is
    converted (see ``_convert``) on its first read. Equality, repr,
    ``dataclasses.asdict`` and pickling read fields the same way, so such a
    result behaves exactly like one built by its constructor.
    """

    @classmethod
    def _from_json(cls: type[J], raw: dict[str, Any]) -> J:
        result = object.__new__(cls)
        # Frozen dataclasses refuse setattr; the instance dict is set directly.
        object.__setattr__(result, "__dict__", {"_json": raw})
        return result

    @classmethod
    def _many_from_json(cls: type[J], items: list[dict[str, Any]]) -> list[J]:
        """``_from_json`` for a whole page, with the loops run by C code."""
        results = list(map(object.__new__, repeat(cls, len(items))))
        states = [{"_json": raw} for raw in items]
        deque(map(object.__setattr__, results, repeat("__dict__"), states), maxlen=0)
        return results


def _decoded_on_read(
    readers: Mapping[str, Callable[[Any], Any]],
) -> Callable[[type[J]], type[J]]:
    """Install a ``_DecodedField`` for each field, after the dataclass is made.

    Installed afterwards so the dataclass still takes its defaults from the
    class body; its ``__init__`` keeps those defaults on its own.
    """

    def apply(cls: type[J]) -> type[J]:
        for name, read in readers.items():
            setattr(cls, name, _DecodedField(name, read))
        return cls

    return apply


@dataclass(frozen=True)
class TrackResponse:
    event_id: str | None
    status: str | None


@dataclass(frozen=True)
class BatchTrackResponse:
    accepted: int | None
    rejected: int | None


@_decoded_on_read(
    dict.fromkeys(
        (
            "id",
            "external_id",
            "email",
            "phone",
            "first_name",
            "last_name",
            "timezone",
            "locale",
            "created_at",
            "updated_at",
        ),
        as_str,
    )
    | {"properties": as_dict, "tags": as_str_list}
)
@dataclass(frozen=True)
class ContactResponse(_DecodedOnRead):
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


@_decoded_on_read(
    dict.fromkeys(
        (
            "id",
            "name",
            "slug",
            "subject",
            "body_html",
            "sender_name",
            "from_email",
            "reply_to",
            "content_type",
            "created_at",
            "updated_at",
        ),
        as_str,
    )
)
@dataclass(frozen=True)
class TemplateResponse(_DecodedOnRead):
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
