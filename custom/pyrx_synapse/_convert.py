"""Lenient readers of single JSON values, shared by every result type.

Each returns the value in the type the API promises, or an empty value (None,
{} or []) when the API sent something else: a result never holds a wrongly
typed field and never fails a call over one.
"""

from __future__ import annotations

import math
from typing import Any


def as_str(value: Any) -> str | None:
    """A string; numbers become their text, anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    """A whole number, from an int, an integral float or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_str_list(value: Any) -> list[str]:
    """The strings of a list, in order; anything else gives an empty list."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]
