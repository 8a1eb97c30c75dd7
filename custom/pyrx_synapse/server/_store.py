"""SQLite storage of every workspace's state, in memory or in a file.

One connection is shared by every thread; the engine's lock serialises all
access to it, and each request runs inside one transaction so a failure
half-way leaves nothing behind. Objects, lists and other free-form values
are kept as JSON text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["CONTACT_FIELDS", "Replay", "Store"]

#: The plain text fields of a contact, in the order the API lists them.
CONTACT_FIELDS = ("email", "phone", "first_name", "last_name", "timezone", "locale")

_JSON_COLUMNS = frozenset(
    {"properties", "tags", "attributes", "contact", "events", "attempts"}
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL,
    external_id TEXT NOT NULL, email TEXT, phone TEXT, first_name TEXT,
    last_name TEXT, timezone TEXT, locale TEXT, properties TEXT NOT NULL,
    tags TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (workspace, external_id), UNIQUE (workspace, id)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL,
    external_id TEXT NOT NULL, event_name TEXT NOT NULL, attributes TEXT NOT NULL,
    contact TEXT, occurred_at TEXT NOT NULL, received_at TEXT NOT NULL,
    month TEXT NOT NULL, idempotency_key TEXT
);
CREATE INDEX IF NOT EXISTS events_key ON events (workspace, idempotency_key);
CREATE INDEX IF NOT EXISTS events_month ON events (workspace, month);
CREATE TABLE IF NOT EXISTS templates (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL,
    slug TEXT NOT NULL, name TEXT NOT NULL, subject TEXT NOT NULL,
    body_html TEXT NOT NULL, sender_name TEXT, from_email TEXT, reply_to TEXT,
    content_type TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (workspace, slug)
);
CREATE TABLE IF NOT EXISTS emails (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, email_log_id TEXT NOT NULL,
    template_slug TEXT NOT NULL, user_id TEXT NOT NULL, "to" TEXT NOT NULL,
    from_email TEXT, sender_name TEXT, subject TEXT, html TEXT,
    status TEXT NOT NULL, attributes TEXT NOT NULL, month TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    workspace TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL,
    fingerprint TEXT NOT NULL, status INTEGER NOT NULL, headers TEXT NOT NULL,
    body BLOB NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (workspace, scope, key)
);
CREATE TABLE IF NOT EXISTS endpoints (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL,
    url TEXT NOT NULL, secret TEXT NOT NULL, events TEXT, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, workspace TEXT NOT NULL, msg_id TEXT NOT NULL,
    endpoint_url TEXT NOT NULL, event_type TEXT NOT NULL, payload BLOB NOT NULL,
    status TEXT NOT NULL, attempts TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (msg_id, endpoint_url)
);
"""

_WORKSPACE_TABLES = (
    "contacts",
    "events",
    "templates",
    "emails",
    "idempotency",
    "endpoints",
    "messages",
)


class Replay:
    """A stored first response for an idempotency key."""

    def __init__(
        self, fingerprint: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        self.fingerprint = fingerprint
        self.status = status
        self.headers = headers
        self.body = body


def _row_to_dict(row: sqlite3.Row) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for name in row.keys():  # noqa: SIM118 - sqlite3.Row is not iterable by name
        if name in ("seq", "workspace", "month"):
            continue
        value = row[name]
        if name in _JSON_COLUMNS and isinstance(value, str):
            value = json.loads(value)
        item[name] = value
    return item


def _to_column(name: str, value: Any) -> Any:
    if name in _JSON_COLUMNS and value is not None:
        return json.dumps(value, sort_keys=True)
    return value


class Store:
    """Rows of every workspace; call only while holding the engine's lock."""

    def __init__(self, db_path: str | None) -> None:
        self._db = sqlite3.connect(
            db_path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        if db_path:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together, or not at all."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _insert(self, table: str, workspace: str, row: Mapping[str, Any]) -> None:
        names = ["workspace", *row]
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        values = [workspace, *(_to_column(name, value) for name, value in row.items())]
        self._db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608 - names come from code, never from requests

    def _update(
        self, table: str, workspace: str, key: str, row: Mapping[str, Any]
    ) -> None:
        names = [name for name in row if name != key]
        assignments = ", ".join(f'"{name}" = ?' for name in names)
        values = [_to_column(name, row[name]) for name in names]
        self._db.execute(
            f"UPDATE {table} SET {assignments} WHERE workspace = ? AND {key} = ?",  # noqa: S608 - names come from code, never from requests
            [*values, workspace, row[key]],
        )

    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [_row_to_dict(row) for row in self._db.execute(sql, params)]

    def _count(self, sql: str, params: Sequence[Any]) -> int:
        row = self._db.execute(sql, params).fetchone()
        return int(row[0])

    # Contacts

    def find_contact(self, workspace: str, key: str) -> dict[str, Any] | None:
        """The contact whose external_id is ``key``, else whose id is ``key``."""
        for column in ("external_id", "id"):
            rows = self._select(
                f"SELECT * FROM contacts WHERE workspace = ? AND {column} = ?",  # noqa: S608 - column is one of two literals
                (workspace, key),
            )
            if rows:
                return rows[0]
        return None

    def contact_by_external_id(
        self, workspace: str, external_id: str
    ) -> dict[str, Any] | None:
        """The contact with this external_id, or None."""
        rows = self._select(
            "SELECT * FROM contacts WHERE workspace = ? AND external_id = ?",
            (workspace, external_id),
        )
        return rows[0] if rows else None

    def insert_contact(self, workspace: str, contact: Mapping[str, Any]) -> None:
        """Store a new contact."""
        self._insert("contacts", workspace, contact)

    def update_contact(self, workspace: str, contact: Mapping[str, Any]) -> None:
        """Overwrite the stored contact that has ``contact["id"]``."""
        self._update("contacts", workspace, "id", contact)

    def delete_contact(self, workspace: str, contact_id: str) -> None:
        """Remove one contact."""
        self._db.execute(
            "DELETE FROM contacts WHERE workspace = ? AND id = ?",
            (workspace, contact_id),
        )

    def contacts(self, workspace: str) -> list[dict[str, Any]]:
        """Every contact of the workspace, oldest first."""
        return self._select(
            "SELECT * FROM contacts WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def count_contacts(self, workspace: str) -> int:
        """How many contacts the workspace has."""
        return self._count(
            "SELECT COUNT(*) FROM contacts WHERE workspace = ?", (workspace,)
        )

    # Events

    def insert_event(
        self, workspace: str, event: Mapping[str, Any], month: str
    ) -> None:
        """Store an event; ``month`` (YYYY-MM of receipt) feeds the monthly limit."""
        self._insert("events", workspace, {**event, "month": month})

    def event_with_key(self, workspace: str, key: str) -> dict[str, Any] | None:
        """The event stored with this idempotency key, or None."""
        rows = self._select(
            "SELECT * FROM events WHERE workspace = ? AND idempotency_key = ?"
            " ORDER BY seq LIMIT 1",
            (workspace, key),
        )
        return rows[0] if rows else None

    def events(self, workspace: str) -> list[dict[str, Any]]:
        """Every event of the workspace, in the order received."""
        return self._select(
            "SELECT * FROM events WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def count_events(self, workspace: str, month: str) -> int:
        """How many events the workspace received in ``month``."""
        return self._count(
            "SELECT COUNT(*) FROM events WHERE workspace = ? AND month = ?",
            (workspace, month),
        )

    # Templates

    def template(self, workspace: str, slug: str) -> dict[str, Any] | None:
        """The template with this slug, or None."""
        rows = self._select(
            "SELECT * FROM templates WHERE workspace = ? AND slug = ?",
            (workspace, slug),
        )
        return rows[0] if rows else None

    def insert_template(self, workspace: str, template: Mapping[str, Any]) -> None:
        """Store a new template."""
        self._insert("templates", workspace, template)

    def update_template(self, workspace: str, template: Mapping[str, Any]) -> None:
        """Overwrite the stored template that has ``template["id"]``."""
        self._update("templates", workspace, "id", template)

    def delete_template(self, workspace: str, slug: str) -> None:
        """Remove one template."""
        self._db.execute(
            "DELETE FROM templates WHERE workspace = ? AND slug = ?", (workspace, slug)
        )

    def templates(self, workspace: str) -> list[dict[str, Any]]:
        """Every template of the workspace, oldest first."""
        return self._select(
            "SELECT * FROM templates WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def count_templates(self, workspace: str) -> int:
        """How many templates the workspace has."""
        return self._count(
            "SELECT COUNT(*) FROM templates WHERE workspace = ?", (workspace,)
        )

    # Emails

    def insert_email(
        self, workspace: str, email: Mapping[str, Any], month: str
    ) -> None:
        """Record a rendered (or suppressed) email in the outbox."""
        self._insert("emails", workspace, {**email, "month": month})

    def emails(self, workspace: str) -> list[dict[str, Any]]:
        """The workspace's outbox, oldest first."""
        return self._select(
            "SELECT * FROM emails WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def count_sent_emails(self, workspace: str, month: str) -> int:
        """How many emails were queued (not suppressed) in ``month``."""
        return self._count(
            "SELECT COUNT(*) FROM emails WHERE workspace = ? AND month = ?"
            " AND status = 'queued'",
            (workspace, month),
        )

    # Idempotency keys

    def replay(self, workspace: str, scope: str, key: str) -> Replay | None:
        """The first response stored under this key, or None."""
        row = self._db.execute(
            "SELECT fingerprint, status, headers, body FROM idempotency"
            " WHERE workspace = ? AND scope = ? AND key = ?",
            (workspace, scope, key),
        ).fetchone()
        if row is None:
            return None
        return Replay(row[0], int(row[1]), json.loads(row[2]), bytes(row[3]))

    def save_replay(
        self, workspace: str, scope: str, key: str, replay: Replay, created_at: str
    ) -> None:
        """Remember the first successful response under this key."""
        self._db.execute(
            "INSERT OR IGNORE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                workspace,
                scope,
                key,
                replay.fingerprint,
                replay.status,
                json.dumps(replay.headers, sort_keys=True),
                replay.body,
                created_at,
            ),
        )

    # Webhook endpoints and messages

    def insert_endpoint(self, workspace: str, endpoint: Mapping[str, Any]) -> None:
        """Register a webhook endpoint for one workspace."""
        self._insert("endpoints", workspace, endpoint)

    def endpoints(self, workspace: str) -> list[dict[str, Any]]:
        """The webhook endpoints registered for the workspace, oldest first."""
        return self._select(
            "SELECT * FROM endpoints WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def insert_message(self, workspace: str, message: Mapping[str, Any]) -> None:
        """Record a webhook message for one endpoint, not yet delivered."""
        self._insert("messages", workspace, message)

    def message(self, msg_id: str, endpoint_url: str) -> dict[str, Any] | None:
        """The message sent as ``msg_id`` to ``endpoint_url``, or None."""
        rows = self._select(
            "SELECT * FROM messages WHERE msg_id = ? AND endpoint_url = ?",
            (msg_id, endpoint_url),
        )
        return rows[0] if rows else None

    def update_message(
        self, msg_id: str, endpoint_url: str, status: str, attempts: list[Any]
    ) -> None:
        """Store the delivery status and attempts of one message."""
        self._db.execute(
            "UPDATE messages SET status = ?, attempts = ?"
            " WHERE msg_id = ? AND endpoint_url = ?",
            (status, json.dumps(attempts), msg_id, endpoint_url),
        )

    def messages(self, workspace: str) -> list[dict[str, Any]]:
        """Every webhook message of the workspace, oldest first."""
        return self._select(
            "SELECT * FROM messages WHERE workspace = ? ORDER BY seq", (workspace,)
        )

    def reset(self, workspace: str) -> None:
        """Forget everything the workspace stored."""
        for table in _WORKSPACE_TABLES:
            self._db.execute(f"DELETE FROM {table} WHERE workspace = ?", (workspace,))  # noqa: S608 - table names are literals
