"""Template rendering in Jinja2's sandbox.

Neither environment has a loader, so no template can include or import a
file. Unsafe attribute access (dunder attributes, function internals) fails
the render instead of quietly printing nothing, and a missing variable, or
any attribute of one, renders as an empty string. The HTML body is
autoescaped; the subject is plain text and is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

__all__ = [
    "RenderError",
    "build_context",
    "check_syntax",
    "render",
    "suppression_reason",
]


class RenderError(Exception):
    """A template could not be compiled or rendered; ``field`` names which part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _StrictSandbox(SandboxedEnvironment):
    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(
            f"attribute {attribute!r} of a {type(obj).__name__} is not allowed"
        )


def _blank_none(value: Any) -> Any:
    # A contact field that is set to null renders empty, like a missing one,
    # instead of as the word "None".
    return "" if value is None else value


_HTML = _StrictSandbox(
    autoescape=True, undefined=ChainableUndefined, finalize=_blank_none
)
_TEXT = _StrictSandbox(
    autoescape=False, undefined=ChainableUndefined, finalize=_blank_none
)


def _environment(field: str, content_type: str | None) -> SandboxedEnvironment:
    if field == "body_html" and content_type != "text":
        return _HTML
    return _TEXT


def check_syntax(field: str, source: str, content_type: str | None = "html") -> None:
    """Raise RenderError if ``source`` is not a valid template."""
    try:
        _environment(field, content_type).parse(source)
    except TemplateSyntaxError as exc:
        raise RenderError(field, f"template syntax error: {exc.message}") from exc


def render(
    field: str, source: str, context: Mapping[str, Any], content_type: str | None
) -> str:
    """Render ``source`` with ``context``; raise RenderError on any failure."""
    environment = _environment(field, content_type)
    try:
        return environment.from_string(source).render(context)
    except TemplateError as exc:
        raise RenderError(field, f"template error: {exc.message}") from exc
    # A template can call methods of plain values (str, dict, int) that
    # fail in ordinary ways; each of those is the template's fault.
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise RenderError(field, f"template error: {exc}") from exc
    except RecursionError as exc:
        raise RenderError(field, "template error: recursion too deep") from exc


def build_context(
    contact: Mapping[str, Any], event: Mapping[str, Any], attributes: Mapping[str, Any]
) -> dict[str, Any]:
    """What a template sees: contact, event, attributes and each attribute by name.

    The contact's properties are also reachable directly on ``contact``;
    a real contact field wins over a property of the same name.
    """
    properties = contact.get("properties")
    contact_view = dict(properties) if isinstance(properties, Mapping) else {}
    contact_view.update(contact)
    context = {str(key): value for key, value in attributes.items()}
    context.update(contact=contact_view, event=dict(event), attributes=dict(attributes))
    return context


def suppression_reason(contact: Mapping[str, Any]) -> str | None:
    """Why this contact may not be mailed, or None when it may."""
    properties = contact.get("properties")
    tags = contact.get("tags")
    if isinstance(properties, Mapping) and properties.get("unsubscribed") is True:
        return "unsubscribed"
    if isinstance(tags, list) and "unsubscribed" in tags:
        return "unsubscribed"
    return None
