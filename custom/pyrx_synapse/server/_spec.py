"""openapi.yaml as the server reads it: routes, and validators for what clients send.

Request bodies, query parameters and headers are checked with jsonschema
(Draft 2020-12, which OpenAPI 3.1 schemas are). Every schema is validated by
reference into the whole document, so ``#/components/...`` references resolve
exactly as they are written in the spec.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = [
    "FieldError",
    "Operation",
    "Parameter",
    "Spec",
    "coerce_query_value",
    "load_spec",
    "parse_date_time",
]

_SPEC_URI = "urn:pyrx-synapse:openapi"
_MESSAGE_LIMIT = 300
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: its dotted path and what is wrong."""

    field: str
    message: str


@dataclass(frozen=True)
class Parameter:
    """A query, header or path parameter and the pointer to its schema."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    pointer: str


@dataclass(frozen=True)
class Operation:
    """One method on one path of the spec."""

    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    body_pointer: str | None
    body_required: bool
    response_pointers: Mapping[str, str | None] = field(default_factory=dict)


def parse_date_time(value: str) -> datetime | None:
    """The RFC 3339 timestamp ``value`` as an aware datetime, or None if invalid."""
    match = _DATE_TIME.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, zulu, sign, off_hour, off_minute = match.groups()[6:]
    try:
        offset = timedelta()
        if not zulu:
            if int(off_hour) > 23 or int(off_minute) > 59:
                return None
            offset = timedelta(hours=int(off_hour), minutes=int(off_minute))
            offset = -offset if sign == "-" else offset
        micro = int((fraction or ".0")[1:7].ljust(6, "0"))
        # RFC 3339 allows a leap second; datetime cannot hold one.
        return datetime(
            year, month, day, hour, minute, min(second, 59), micro, timezone(offset)
        )
    except ValueError:
        return None


def _format_checker() -> FormatChecker:
    # Own checks, so validation does not depend on which optional jsonschema
    # format packages happen to be installed.
    checker = FormatChecker(formats=())

    @checker.checks("email")
    def _is_email(instance: object) -> bool:
        return not isinstance(instance, str) or bool(_EMAIL.match(instance))

    @checker.checks("date-time")
    def _is_date_time(instance: object) -> bool:
        return not isinstance(instance, str) or parse_date_time(instance) is not None

    return checker


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _dotted(path: Iterable[object], root: str) -> str:
    parts = [str(part) for part in path]
    return ".".join(parts) if parts else root


def _short(message: str) -> str:
    if len(message) <= _MESSAGE_LIMIT:
        return message
    return message[: _MESSAGE_LIMIT - 3] + "..."


class Spec:
    """The loaded document, its routes and cached validators."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        resource: Resource[Any] = DRAFT202012.create_resource(document)
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self._format_checker = _format_checker()
        self._validators: dict[str, Draft202012Validator] = {}
        self._validators_lock = threading.Lock()
        self.operations = tuple(self._read_operations())

    def _resolve(self, node: Mapping[str, Any], pointer: str) -> tuple[Any, str]:
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node, pointer
        target: Any = self.document
        for token in ref[2:].split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        return target, ref[1:]

    def _read_parameters(
        self, raw: Iterable[Mapping[str, Any]], pointer: str
    ) -> list[Parameter]:
        found = []
        for index, entry in enumerate(raw):
            param, where = self._resolve(entry, f"{pointer}/{index}")
            found.append(
                Parameter(
                    name=param["name"],
                    location=param["in"],
                    required=bool(param.get("required", False)),
                    schema=param.get("schema", {}),
                    pointer=f"{where}/schema",
                )
            )
        return found

    def _read_operations(self) -> Iterable[Operation]:
        for path, item in self.document.get("paths", {}).items():
            item_pointer = f"/paths/{_escape(path)}"
            shared = self._read_parameters(
                item.get("parameters", []), f"{item_pointer}/parameters"
            )
            for method in _HTTP_METHODS:
                if method not in item:
                    continue
                op = item[method]
                op_pointer = f"{item_pointer}/{method}"
                own = self._read_parameters(
                    op.get("parameters", []), f"{op_pointer}/parameters"
                )
                names = {(param.name, param.location) for param in own}
                params = [p for p in shared if (p.name, p.location) not in names]
                body = op.get("requestBody")
                body_pointer = None
                if body is not None:
                    body_pointer = (
                        f"{op_pointer}/requestBody/content/application~1json/schema"
                    )
                yield Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=tuple(params + own),
                    body_pointer=body_pointer,
                    body_required=bool(body and body.get("required", False)),
                    response_pointers=self._response_pointers(op, op_pointer),
                )

    def _response_pointers(
        self, op: Mapping[str, Any], op_pointer: str
    ) -> dict[str, str | None]:
        pointers: dict[str, str | None] = {}
        for status, raw in op.get("responses", {}).items():
            response, where = self._resolve(raw, f"{op_pointer}/responses/{status}")
            content = response.get("content", {})
            if "application/json" in content:
                pointers[str(status)] = f"{where}/content/application~1json/schema"
            else:
                pointers[str(status)] = None
        return pointers

    def validator(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at ``pointer`` (a JSON pointer into the spec)."""
        with self._validators_lock:
            validator = self._validators.get(pointer)
            if validator is None:
                validator = Draft202012Validator(
                    {"$ref": f"{_SPEC_URI}#{pointer}"},
                    registry=self._registry,
                    format_checker=self._format_checker,
                )
                self._validators[pointer] = validator
            return validator

    def schema_errors(
        self, pointer: str, instance: object, root: str = "body"
    ) -> list[FieldError]:
        """Every way ``instance`` breaks the schema at ``pointer``, sorted by field."""
        found: dict[tuple[str, str], None] = {}
        for error in self.validator(pointer).iter_errors(instance):
            for item in _field_errors(error, root):
                found[(item.field, item.message)] = None
        return [FieldError(name, message) for name, message in sorted(found)]

    def response_schema_errors(
        self, operation: Operation, status: int, instance: object
    ) -> list[FieldError]:
        """How a response body breaks what the spec promises for ``status``."""
        pointers = operation.response_pointers
        pointer = pointers.get(str(status), pointers.get("default"))
        if pointer is None:
            return []
        return self.schema_errors(pointer, instance)


def _field_errors(error: ValidationError, root: str) -> list[FieldError]:
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        required = cast("list[str]", error.validator_value)
        missing = [name for name in required if name not in error.instance]
        return [
            FieldError(_dotted([*path, name], root), f"'{name}' is required")
            for name in missing
        ]
    return [FieldError(_dotted(path, root), _short(error.message))]


def coerce_query_value(param: Parameter, raw: str) -> object:
    """Turn the text of a query parameter into the type its schema declares."""
    if param.schema.get("type") == "integer" and _INTEGER.match(raw):
        return int(raw)
    return raw


@functools.lru_cache(maxsize=1)
def load_spec() -> Spec:
    """The openapi.yaml bundled with the package, parsed once per process."""
    source = importlib.resources.files("pyrx_synapse.server") / "openapi.yaml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    return Spec(document)
