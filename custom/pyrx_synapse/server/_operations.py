"""What each operation of openapi.yaml does to a workspace's state.

Every handler gets a Call (the validated request and the store) and returns
the status and the JSON payload; failures raise ApiError. Handlers run inside
the engine's lock and one store transaction, and queue the webhook events
they cause in ``call.emitted``; the engine sends them only if the request
succeeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._common import ApiError, new_id
from ._config import ServerConfig
from ._render import (
    RenderError,
    build_context,
    check_syntax,
    render,
    suppression_reason,
)
from ._store import CONTACT_FIELDS, Store

__all__ = ["HANDLERS", "Call", "Result"]

Result = tuple[int, Any]

_TEMPLATE_FIELDS = (
    "name",
    "subject",
    "body_html",
    "sender_name",
    "from_email",
    "reply_to",
    "content_type",
)
_RESERVED_CONTACT_KEYS = frozenset({"id", "external_id", "created_at", "updated_at"})


@dataclass
class Call:
    """One validated API request, with the state it may read and change."""

    store: Store
    config: ServerConfig
    workspace: str
    now: str
    body: Any
    query: Mapping[str, Any]
    path_params: Mapping[str, str]
    idempotency_key: str | None
    emitted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def month(self) -> str:
        """The calendar month (YYYY-MM, UTC) monthly limits count in."""
        return self.now[:7]

    def emit(self, event_type: str, data: dict[str, Any]) -> None:
        """Queue a webhook event, sent once the request has succeeded."""
        self.emitted.append((event_type, data))

    def limit_error(self, limit_type: str, current: int) -> ApiError | None:
        """The 403 to raise when one more ``limit_type`` would break the plan."""
        maximum = self.config.limits.get(limit_type)
        if maximum is None or current < maximum:
            return None
        return ApiError(
            403,
            "plan_limit_reached",
            f"the {self.config.plan} plan allows {maximum} {limit_type}",
            extra={
                "limit_type": limit_type,
                "current": current,
                "maximum": maximum,
                "plan": self.config.plan,
            },
        )

    def check_limit(self, limit_type: str, current: int) -> None:
        """Raise the plan-limit 403 if one more ``limit_type`` is not allowed."""
        error = self.limit_error(limit_type, current)
        if error is not None:
            raise error


def _not_found(what: str, key: str) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {key!r} in this workspace")


def _unique(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tags))


# Contacts


def public_contact(contact: Mapping[str, Any]) -> dict[str, Any]:
    """A stored contact as the API shows it."""
    names = ("id", "external_id", *CONTACT_FIELDS, "properties", "tags")
    shown = {name: contact.get(name) for name in names}
    shown["created_at"] = contact["created_at"]
    shown["updated_at"] = contact["updated_at"]
    return shown


def _webhook_contact(contact: Mapping[str, Any]) -> dict[str, Any]:
    names = ("id", "external_id", "email", "first_name", "last_name", "properties")
    data = {name: contact.get(name) for name in names}
    data["tags"] = contact["tags"]
    return data


def _new_contact(external_id: str, now: str) -> dict[str, Any]:
    contact: dict[str, Any] = {"id": new_id("ct"), "external_id": external_id}
    contact.update(dict.fromkeys(CONTACT_FIELDS))
    contact.update(properties={}, tags=[], created_at=now, updated_at=now)
    return contact


def _merge_fields(contact: dict[str, Any], fields: Mapping[str, Any]) -> None:
    for name in CONTACT_FIELDS:
        if name in fields:
            contact[name] = fields[name]
    if "properties" in fields:
        contact["properties"] = {**contact["properties"], **fields["properties"]}
    if "tags" in fields:
        contact["tags"] = _unique(fields["tags"])


def _replace_fields(contact: dict[str, Any], fields: Mapping[str, Any]) -> None:
    for name in CONTACT_FIELDS:
        contact[name] = fields.get(name)
    contact["properties"] = dict(fields.get("properties", {}))
    contact["tags"] = _unique(fields.get("tags", []))


def _apply_loose_fields(contact: dict[str, Any], fields: Mapping[str, Any]) -> None:
    # The contact object of an event is free-form: known fields are applied
    # when their type fits and every other key becomes a property.
    properties = dict(contact["properties"])
    for name, value in fields.items():
        if name in CONTACT_FIELDS:
            if value is None or isinstance(value, str):
                contact[name] = value
        elif name == "properties" and isinstance(value, dict):
            properties.update(value)
        elif name == "tags" and isinstance(value, list):
            if all(isinstance(tag, str) for tag in value):
                contact["tags"] = _unique(value)
        elif name not in _RESERVED_CONTACT_KEYS:
            properties[name] = value
    contact["properties"] = properties


def _save_contact(
    call: Call, contact: dict[str, Any], *, created: bool
) -> dict[str, Any]:
    if created:
        call.store.insert_contact(call.workspace, contact)
        call.emit("contact.created", _webhook_contact(contact))
    else:
        contact["updated_at"] = call.now
        call.store.update_contact(call.workspace, contact)
        call.emit("contact.updated", _webhook_contact(contact))
    return contact


def _create_or_load(call: Call, external_id: str) -> tuple[dict[str, Any], bool]:
    existing = call.store.contact_by_external_id(call.workspace, external_id)
    if existing is not None:
        return existing, False
    call.check_limit("contacts", call.store.count_contacts(call.workspace))
    return _new_contact(external_id, call.now), True


def identify_contact(call: Call) -> Result:
    """Create the contact, or merge the given fields into the stored one."""
    contact, created = _create_or_load(call, call.body["external_id"])
    _merge_fields(contact, call.body)
    return 200, public_contact(_save_contact(call, contact, created=created))


def bulk_identify_contacts(call: Call) -> Result:
    """Identify many contacts; rows that cannot be stored are reported, not fatal."""
    rows: list[dict[str, Any]] = call.body["contacts"]
    mode = call.body.get("on_conflict", "merge")
    counts = {"created": 0, "updated": 0, "skipped": 0}
    errors: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    stored = call.store.count_contacts(call.workspace)
    for index, row in enumerate(rows):
        external_id = row["external_id"]
        if external_id in first_row:
            errors.append(
                {
                    "index": index,
                    "external_id": external_id,
                    "field": "external_id",
                    "message": f"duplicate of row {first_row[external_id]}",
                }
            )
            continue
        first_row[external_id] = index
        contact = call.store.contact_by_external_id(call.workspace, external_id)
        if contact is not None and mode == "skip":
            counts["skipped"] += 1
            continue
        if contact is not None:
            merge = _merge_fields if mode == "merge" else _replace_fields
            merge(contact, row)
            _save_contact(call, contact, created=False)
            counts["updated"] += 1
            continue
        limit = call.limit_error("contacts", stored)
        if limit is not None:
            errors.append(
                {
                    "index": index,
                    "external_id": external_id,
                    "field": None,
                    "message": limit.detail,
                }
            )
            continue
        contact = _new_contact(external_id, call.now)
        _merge_fields(contact, row)
        _save_contact(call, contact, created=True)
        stored += 1
        counts["created"] += 1
    return 200, {"total": len(rows), **counts, "errors": errors}


def _contact_or_404(call: Call) -> dict[str, Any]:
    key = call.path_params["contact_id"]
    contact = call.store.find_contact(call.workspace, key)
    if contact is None:
        raise _not_found("contact", key)
    return contact


def get_contact(call: Call) -> Result:
    """One contact, by external_id or id."""
    return 200, public_contact(_contact_or_404(call))


def update_contact(call: Call) -> Result:
    """Change some fields; add_tags and remove_tags apply after tags."""
    contact = _contact_or_404(call)
    body = call.body
    if "email" in body:
        contact["email"] = body["email"]
    if "properties" in body:
        contact["properties"] = {**contact["properties"], **body["properties"]}
    tags = list(body["tags"]) if "tags" in body else list(contact["tags"])
    tags.extend(body.get("add_tags", []))
    removed = set(body.get("remove_tags", []))
    contact["tags"] = _unique(tag for tag in tags if tag not in removed)
    return 200, public_contact(_save_contact(call, contact, created=False))


def delete_contact(call: Call) -> Result:
    """Remove a contact."""
    contact = _contact_or_404(call)
    call.store.delete_contact(call.workspace, contact["id"])
    call.emit(
        "contact.deleted", {"id": contact["id"], "external_id": contact["external_id"]}
    )
    return 204, None


def _sort_key(name: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    def key(contact: Mapping[str, Any]) -> tuple[Any, ...]:
        value = contact.get(name)
        return (value is None, value if value is not None else "", contact["id"])

    return key


def _matches(contact: Mapping[str, Any], needle: str) -> bool:
    names = ("external_id", "email", "first_name", "last_name")
    return any(needle in (contact.get(name) or "").casefold() for name in names)


def list_contacts(call: Call) -> Result:
    """One page of contacts, searched and sorted; ties fall back to the id."""
    contacts = call.store.contacts(call.workspace)
    search = call.query.get("search")
    if search:
        needle = str(search).casefold()
        contacts = [contact for contact in contacts if _matches(contact, needle)]
    reverse = call.query["sort_order"] == "desc"
    contacts.sort(key=_sort_key(call.query["sort_by"]), reverse=reverse)
    page, per_page = int(call.query["page"]), int(call.query["per_page"])
    start = (page - 1) * per_page
    meta = {
        "total": len(contacts),
        "page": page,
        "per_page": per_page,
        "total_pages": math.ceil(len(contacts) / per_page),
    }
    data = [public_contact(contact) for contact in contacts[start : start + per_page]]
    return 200, {"data": data, "meta": meta}


# Events


def _store_event(call: Call, event: Mapping[str, Any], key: str | None) -> str:
    contact, created = _create_or_load(call, event["external_id"])
    contact_fields = event.get("contact")
    if created or contact_fields:
        _apply_loose_fields(contact, contact_fields or {})
        _save_contact(call, contact, created=created)
    row = {
        "id": new_id("ev"),
        "external_id": event["external_id"],
        "event_name": event["event_name"],
        "attributes": event.get("attributes", {}),
        "contact": contact_fields,
        "occurred_at": event.get("occurred_at", call.now),
        "received_at": call.now,
        "idempotency_key": key,
    }
    call.store.insert_event(call.workspace, row, call.month)
    call.emit(
        "event.ingested",
        {
            "event_id": row["id"],
            "external_id": row["external_id"],
            "event_name": row["event_name"],
            "attributes": row["attributes"],
            "occurred_at": row["occurred_at"],
        },
    )
    return str(row["id"])


def track_event(call: Call) -> Result:
    """Store one event; a key already used by a stored event is a duplicate."""
    key = call.body.get("idempotency_key") or call.idempotency_key
    if key:
        earlier = call.store.event_with_key(call.workspace, key)
        if earlier is not None:
            return 202, {"event_id": earlier["id"], "status": "duplicate"}
    call.check_limit(
        "events_per_month", call.store.count_events(call.workspace, call.month)
    )
    return 202, {"event_id": _store_event(call, call.body, key), "status": "accepted"}


def track_events_batch(call: Call) -> Result:
    """Store up to 50 events; repeated keys count as accepted, over-limit rejected."""
    used = call.store.count_events(call.workspace, call.month)
    call.check_limit("events_per_month", used)
    accepted = rejected = 0
    seen: set[str] = set()
    for event in call.body["events"]:
        key = event.get("idempotency_key")
        if key and (key in seen or call.store.event_with_key(call.workspace, key)):
            accepted += 1
            continue
        if call.limit_error("events_per_month", used) is not None:
            rejected += 1
            continue
        try:
            _store_event(call, event, key)
        except ApiError as error:
            if error.code != "plan_limit_reached":
                raise
            rejected += 1
            continue
        if key:
            seen.add(key)
        used += 1
        accepted += 1
    return 202, {"accepted": accepted, "rejected": rejected}


# Templates


def public_template(template: Mapping[str, Any]) -> dict[str, Any]:
    """A stored template as the API shows it."""
    names = ("id", "slug", *_TEMPLATE_FIELDS, "created_at", "updated_at")
    return {name: template.get(name) for name in names}


def _check_template(template: Mapping[str, Any]) -> None:
    try:
        check_syntax("subject", template["subject"])
        check_syntax("body_html", template["body_html"], template.get("content_type"))
    except RenderError as exc:
        raise _render_failure(exc) from exc


def _render_failure(error: RenderError) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        error.message,
        extra={"errors": [{"field": error.field, "message": error.message}]},
    )


def _template_or_404(call: Call) -> dict[str, Any]:
    slug = call.path_params["slug"]
    template = call.store.template(call.workspace, slug)
    if template is None:
        raise _not_found("template", slug)
    return template


def list_templates(call: Call) -> Result:
    """Every template, oldest first."""
    return 200, [public_template(item) for item in call.store.templates(call.workspace)]


def create_template(call: Call) -> Result:
    """Create a template; its slug must be new in the workspace."""
    call.check_limit("templates", call.store.count_templates(call.workspace))
    slug = call.body["slug"]
    if call.store.template(call.workspace, slug) is not None:
        raise ApiError(409, "conflict", f"a template with slug {slug!r} exists already")
    template: dict[str, Any] = {"id": new_id("tpl"), "slug": slug}
    template.update(dict.fromkeys(_TEMPLATE_FIELDS))
    template.update(
        {name: call.body[name] for name in _TEMPLATE_FIELDS if name in call.body}
    )
    template["content_type"] = template["content_type"] or "html"
    template.update(created_at=call.now, updated_at=call.now)
    _check_template(template)
    call.store.insert_template(call.workspace, template)
    return 201, public_template(template)


def get_template(call: Call) -> Result:
    """One template by slug."""
    return 200, public_template(_template_or_404(call))


def update_template(call: Call) -> Result:
    """Change the given fields of a template."""
    template = _template_or_404(call)
    template.update(
        {name: call.body[name] for name in _TEMPLATE_FIELDS if name in call.body}
    )
    template["updated_at"] = call.now
    _check_template(template)
    call.store.update_template(call.workspace, template)
    return 200, public_template(template)


def delete_template(call: Call) -> Result:
    """Remove a template."""
    template = _template_or_404(call)
    call.store.delete_template(call.workspace, template["slug"])
    return 204, None


def _render_template(
    template: Mapping[str, Any], context: Mapping[str, Any]
) -> tuple[str, str]:
    try:
        subject = render("subject", template["subject"], context, "text")
        html = render(
            "body_html", template["body_html"], context, template.get("content_type")
        )
    except RenderError as exc:
        raise _render_failure(exc) from exc
    return subject, html


def preview_template(call: Call) -> Result:
    """Render with sample data; the event doubles as the attributes."""
    template = _template_or_404(call)
    contact = call.body.get("contact", {})
    event = call.body.get("event", {})
    subject, html = _render_template(template, build_context(contact, event, event))
    reason = suppression_reason(contact)
    return 200, {
        "subject": subject,
        "html": html,
        "suppressed": reason is not None,
        "suppressed_reason": reason,
    }


# Sending


def send_email(call: Call) -> Result:
    """Render a template for one recipient into the outbox, unless suppressed."""
    slug = call.body["template_slug"]
    template = call.store.template(call.workspace, slug)
    if template is None:
        raise _not_found("template", slug)
    to = call.body["to"]
    attributes = call.body.get("attributes", {})
    contact, created = _create_or_load(call, to["user_id"])
    recipient = {
        name: to[name] for name in ("email", "first_name", "last_name") if name in to
    }
    if created:
        contact.update(recipient)
        _save_contact(call, contact, created=True)
    reason = suppression_reason(contact)
    email: dict[str, Any] = {
        "email_log_id": new_id("em"),
        "template_slug": slug,
        "user_id": to["user_id"],
        "to": to["email"],
        "from_email": template["from_email"],
        "sender_name": template["sender_name"],
        "subject": None,
        "html": None,
        "status": "suppressed" if reason else "queued",
        "attributes": attributes,
        "created_at": call.now,
    }
    if reason is None:
        call.check_limit(
            "emails_per_month", call.store.count_sent_emails(call.workspace, call.month)
        )
        context = build_context({**contact, **recipient}, attributes, attributes)
        email["subject"], email["html"] = _render_template(template, context)
    call.store.insert_email(call.workspace, email, call.month)
    if reason is None:
        call.emit(
            "email.sent",
            {
                "email_log_id": email["email_log_id"],
                "template_slug": slug,
                "to": email["to"],
                "subject": email["subject"],
            },
        )
    return 202, {"email_log_id": email["email_log_id"], "status": email["status"]}


#: Handler of each operationId in openapi.yaml.
HANDLERS: dict[str, Callable[[Call], Result]] = {
    "track_event": track_event,
    "track_events_batch": track_events_batch,
    "identify_contact": identify_contact,
    "list_contacts": list_contacts,
    "bulk_identify_contacts": bulk_identify_contacts,
    "get_contact": get_contact,
    "update_contact": update_contact,
    "delete_contact": delete_contact,
    "send_email": send_email,
    "list_templates": list_templates,
    "create_template": create_template,
    "get_template": get_template,
    "update_template": update_template,
    "delete_template": delete_template,
    "preview_template": preview_template,
}
